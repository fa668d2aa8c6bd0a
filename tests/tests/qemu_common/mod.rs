//! Helpers of the QEMU tests: URIs, domain XML for a KVM guest without an
//! OS (lifecycle only) and for the tiny TCG guest (kernel + busybox
//! initramfs, built once into `target/qemu-guest`), and a guard that kills
//! every QEMU of a test root when the test ends, whatever happened.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::{run, workspace_root, Daemon};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The QEMU driver's URI through a daemon's read-write socket.
pub fn qemu_uri(d: &Daemon) -> String {
    format!("qemu+unix:///system?socket={}", d.sock().display())
}

/// True when QEMU is installed (the tests skip otherwise).
pub fn have_qemu() -> bool {
    Path::new("/usr/bin/qemu-system-x86_64").exists()
}

fn kvm_usable() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok()
}

/// A guest without an OS: KVM with the qemu64 CPU when /dev/kvm opens
/// (host-passthrough fails under nested KVM), else TCG.
pub fn bare_xml(name: &str) -> String {
    let ty = if kvm_usable() { "kvm" } else { "qemu" };
    format!(
        "<domain type='{ty}'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>\
         <os><type arch='x86_64' machine='q35'>hvm</type></os>\
         <cpu mode='custom' match='exact' check='none'><model>qemu64</model></cpu>\
         <features><acpi/></features></domain>"
    )
}

/// The tiny guest's kernel and initramfs, built on first use.
pub fn guest_files() -> (PathBuf, PathBuf) {
    let dir = workspace_root().join("target/qemu-guest");
    let (k, i) = (dir.join("vmlinuz"), dir.join("initrd.img"));
    if !(k.exists() && i.exists()) {
        std::fs::create_dir_all(&dir).unwrap();
        let script = workspace_root().join("drivers/qemu/tests/guest/build.sh");
        // flock: test binaries running at once build it once.
        let out = run(
            Command::new("flock")
                .arg(dir.join(".lock"))
                .arg("sh")
                .arg(&script)
                .arg(&dir),
            Duration::from_secs(300),
        );
        assert!(
            out.status.success(),
            "cannot build the test guest: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (k, i)
}

/// The tiny guest under TCG: prints `oxvirt-guest: ready` on its serial
/// console, echoes lines as `oxvirt-guest: got LINE` and powers off on
/// the ACPI power button.
pub fn guest_xml(name: &str) -> String {
    let (k, i) = guest_files();
    format!(
        "<domain type='qemu'><name>{name}</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>\
         <os><type arch='x86_64' machine='q35'>hvm</type><kernel>{}</kernel><initrd>{}</initrd>\
         <cmdline>console=ttyS0 quiet panic=-1</cmdline></os><features><acpi/></features>\
         <devices><serial type='pty'/><console type='pty'/></devices></domain>",
        k.display(),
        i.display()
    )
}

/// Kills every process whose command line mentions `root` when dropped:
/// QEMUs outlive their daemon by design, so a failing test must not leave
/// them behind.
pub struct QemuReaper(pub PathBuf);

impl QemuReaper {
    pub fn pids(&self) -> Vec<i32> {
        qemu_pids_under(&self.0)
    }
}

impl Drop for QemuReaper {
    fn drop(&mut self) {
        for pid in qemu_pids_under(&self.0) {
            // SAFETY: signalling a process this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// Live QEMU processes whose arguments mention `root`.
pub fn qemu_pids_under(root: &Path) -> Vec<i32> {
    // With the separator, so that root `…-1` does not match `…-10`.
    let needle = format!("{}/", root.to_string_lossy());
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let cmd = String::from_utf8_lossy(&cmd);
        if !cmd.starts_with("/usr/bin/qemu-system") || !cmd.contains(&needle) {
            continue;
        }
        let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        let zombie = stat
            .rfind(')')
            .map(|i| stat[i + 1..].trim_start().starts_with('Z'))
            .unwrap_or(true);
        if !zombie {
            out.push(pid);
        }
    }
    out
}

/// True if `pid` runs and is not a zombie.
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => s
            .rfind(')')
            .map(|i| !s[i + 1..].trim_start().starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Polls `f` until it holds or `limit` passes.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    f()
}

/// Writes `text` to a file under `dir` and returns its path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The pid virtqemud recorded for a running domain.
pub fn recorded_pid(d: &Daemon, name: &str) -> i32 {
    std::fs::read_to_string(d.root.join(format!("run/libvirt/qemu/{name}.pid")))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}
