//! Helpers for the integration tests: start a daemon binary under a private
//! `--root`, wait until it answers, run libvirt's own clients against it, and
//! stop it cleanly.
//!
//! The daemons are the workspace's own binaries, found next to the test
//! executable's target directory; build them first (`cargo test --workspace`
//! does).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The directory holding the workspace's binaries.
pub fn bin_dir() -> PathBuf {
    // target/<profile>/deps/<test-exe>
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

/// Path of a workspace binary. The daemon packages are (re)built once per test
/// process, so the tests never run a stale binary.
pub fn bin(name: &str) -> PathBuf {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.arg("build").current_dir(workspace_root());
        for pkg in DAEMON_PACKAGES {
            cmd.args(["-p", pkg]);
        }
        if bin_dir().ends_with("release") {
            cmd.arg("--release");
        }
        let status = cmd.status().unwrap();
        assert!(status.success(), "cannot build the daemons");
    });
    bin_dir().join(name)
}

/// Packages whose binaries the tests run.
const DAEMON_PACKAGES: &[&str] = &[
    "oxvirt-libvirtd",
    "oxvirt-virtqemud",
    "oxvirt-virtproxyd",
    "oxvirt-virtnetworkd",
    "oxvirt-virtstoraged",
];

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh private directory under the system temp dir.
pub fn temp_root(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "oxvirt-it-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A running daemon; stopped with SIGTERM when dropped.
pub struct Daemon {
    pub name: String,
    pub root: PathBuf,
    pub child: Option<Child>,
    pub log: PathBuf,
}

impl Daemon {
    /// Starts `name` (e.g. "libvirtd") under a new root with `extra` flags and
    /// waits for its read-write socket.
    pub fn start(name: &str, extra: &[&str]) -> Daemon {
        Self::start_in(name, &temp_root(name), extra)
    }

    /// Starts `name` under `root`.
    pub fn start_in(name: &str, root: &Path, extra: &[&str]) -> Daemon {
        let log = root.join(format!("{name}.stderr"));
        let child = Command::new(bin(name))
            .arg("--root")
            .arg(root)
            .args(extra)
            .env("LIBVIRT_LOG_OUTPUTS", "3:stderr")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let d = Daemon {
            name: name.to_owned(),
            root: root.to_path_buf(),
            child: Some(child),
            log,
        };
        d.wait_for_socket(&d.sock());
        d
    }

    fn prefix(&self) -> &str {
        match self.name.as_str() {
            "libvirtd" | "virtproxyd" => "libvirt",
            n => n,
        }
    }

    /// The read-write socket.
    pub fn sock(&self) -> PathBuf {
        self.root
            .join(format!("run/libvirt/{}-sock", self.prefix()))
    }

    /// The read-only socket.
    pub fn sock_ro(&self) -> PathBuf {
        self.root
            .join(format!("run/libvirt/{}-sock-ro", self.prefix()))
    }

    /// The admin socket.
    pub fn sock_admin(&self) -> PathBuf {
        self.root
            .join(format!("run/libvirt/{}-admin-sock", self.prefix()))
    }

    /// The test driver's URI through the read-write socket.
    pub fn test_uri(&self) -> String {
        format!("test+unix:///default?socket={}", self.sock().display())
    }

    /// The test driver's URI through the read-only socket.
    pub fn test_uri_ro(&self) -> String {
        format!("test+unix:///default?socket={}", self.sock_ro().display())
    }

    fn wait_for_socket(&self, p: &Path) {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) {
            if std::os::unix::net::UnixStream::connect(p).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!(
            "{} did not open {}: {}",
            self.name,
            p.display(),
            self.stderr()
        );
    }

    /// What the daemon wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The daemon's pid.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Sends `sig` to the daemon.
    pub fn signal(&self, sig: i32) {
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(self.pid() as i32, sig) };
    }

    /// Waits up to `limit` for the daemon to exit; returns its status code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let t = Instant::now();
        let child = self.child.as_mut()?;
        while t.elapsed() < limit {
            if let Ok(Some(st)) = child.try_wait() {
                self.child = None;
                return Some(st.code().unwrap_or(-1));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let t = Instant::now();
            while t.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Runs a command with a timeout and returns its output.
pub fn run(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let t = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().unwrap();
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{cmd:?} timed out; stdout: {} stderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs libvirt's virsh with `uri` and the given arguments.
pub fn virsh(uri: &str, args: &[&str]) -> Output {
    run(
        Command::new("virsh").arg("-c").arg(uri).args(args),
        Duration::from_secs(30),
    )
}

/// Runs a python snippet with Debian's python3 (which has libvirt's bindings).
pub fn python(script: &str, args: &[&str]) -> Output {
    run(
        Command::new("/usr/bin/python3")
            .arg("-c")
            .arg(script)
            .args(args),
        Duration::from_secs(60),
    )
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and returns stdout.
pub fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "command failed ({:?}); stdout: {} stderr: {}",
        o.status,
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// True when QEMU is installed.
pub fn have_qemu() -> bool {
    Path::new("/usr/bin/qemu-system-x86_64").exists()
}

/// Whether /dev/kvm opens (KVM guests), else TCG.
pub fn kvm_usable() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok()
}

/// A guest without an OS, for lifecycle-only tests: KVM with the qemu64 CPU
/// when /dev/kvm opens (host-passthrough fails under nested KVM), else TCG.
pub fn bare_guest_xml(name: &str) -> String {
    let ty = if kvm_usable() { "kvm" } else { "qemu" };
    format!(
        "<domain type='{ty}'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>\
         <os><type arch='x86_64' machine='q35'>hvm</type></os>\
         <cpu mode='custom' match='exact' check='none'><model>qemu64</model></cpu>\
         <features><acpi/></features></domain>"
    )
}

/// Live (non-zombie) QEMU processes whose command line mentions `root`.
pub fn qemu_pids_under(root: &Path) -> Vec<i32> {
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
        if cmd.starts_with("/usr/bin/qemu-system") && cmd.contains(&needle) && pid_alive(pid) {
            out.push(pid);
        }
    }
    out
}

/// True if `pid` runs and is not a zombie.
pub fn pid_alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => s
            .rfind(')')
            .map(|i| !s[i + 1..].trim_start().starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Kills every QEMU of a test root when dropped, whatever the test did.
pub struct QemuGuard(pub PathBuf);

impl Drop for QemuGuard {
    fn drop(&mut self) {
        for pid in qemu_pids_under(&self.0) {
            // SAFETY: signalling a process this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// Waits until a UNIX socket accepts connections (a path can exist between
/// `bind` and `listen`).
pub fn wait_connectable(path: &Path, limit: Duration) {
    let t = Instant::now();
    while std::os::unix::net::UnixStream::connect(path).is_err() {
        assert!(
            t.elapsed() < limit,
            "{} does not accept connections",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
