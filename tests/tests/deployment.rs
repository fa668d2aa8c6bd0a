//! A whole host, as systemd would run it: the modular daemons started by
//! socket activation and reached by real virsh through `libvirt-sock`
//! (virtproxyd → virtqemud → virtstoraged), then the same host switched to
//! monolithic libvirtd and back, with a guest defined and running before the
//! switch still there, still running, after each.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A daemon started by `systemd-socket-activate` on its unit's socket names.
struct Activated {
    child: Child,
    socks: Vec<PathBuf>,
}

impl Activated {
    fn start(root: &Path, daemon: &str, socks: &[(&str, String)]) -> Activated {
        let mut cmd = Command::new("systemd-socket-activate");
        for (path, _) in socks {
            cmd.arg("-l").arg(root.join(path));
        }
        let names: Vec<&str> = socks.iter().map(|(_, n)| n.as_str()).collect();
        cmd.arg(format!("--fdname={}", names.join(":")))
            .arg(bin(daemon))
            .arg("--root")
            .arg(root)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(root.join(format!("{daemon}.log"))).unwrap());
        let child = cmd.spawn().unwrap();
        let socks: Vec<PathBuf> = socks.iter().map(|(p, _)| root.join(p)).collect();
        for s in &socks {
            wait_connectable(s, Duration::from_secs(10));
        }
        Activated { child, socks }
    }

    /// Stops the daemon as systemd does (SIGTERM to the service) and removes
    /// the sockets (RemoveOnStop=yes).
    fn stop(mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for s in &self.socks {
            let _ = std::fs::remove_file(s);
        }
    }
}

fn unit_socks(daemon: &str, prefix: &str, admin_prefix: &str) -> Vec<(&'static str, String)> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    vec![
        (
            leak(format!("run/libvirt/{prefix}-sock")),
            format!("{daemon}.socket"),
        ),
        (
            leak(format!("run/libvirt/{prefix}-sock-ro")),
            format!("{daemon}-ro.socket"),
        ),
        (
            leak(format!("run/libvirt/{admin_prefix}-admin-sock")),
            format!("{daemon}-admin.socket"),
        ),
    ]
}

fn start_modular(root: &Path) -> Vec<Activated> {
    std::fs::create_dir_all(root.join("run/libvirt")).unwrap();
    vec![
        Activated::start(
            root,
            "virtqemud",
            &unit_socks("virtqemud", "virtqemud", "virtqemud"),
        ),
        Activated::start(
            root,
            "virtstoraged",
            &unit_socks("virtstoraged", "virtstoraged", "virtstoraged"),
        ),
        Activated::start(
            root,
            "virtproxyd",
            &unit_socks("virtproxyd", "libvirt", "virtproxyd"),
        ),
    ]
}

fn legacy_uri(root: &Path) -> String {
    format!(
        "qemu+unix:///system?socket={}",
        root.join("run/libvirt/libvirt-sock").display()
    )
}

fn assert_guest_running(root: &Path) {
    let out = ok(virsh(&legacy_uri(root), &["list", "--all"]));
    assert!(out.contains("keep") && out.contains("running"), "{out}");
    let out = ok(virsh(&legacy_uri(root), &["pool-list", "--all", "--name"]));
    assert_eq!(out.trim(), "images", "{out}");
}

#[test]
fn modular_host_by_socket_activation_then_monolithic_and_back() {
    if !have_qemu() {
        panic!("QEMU is required (.ci/run installs qemu-system-x86)");
    }
    let root = temp_root("deploy");
    let _guard = QemuGuard(root.clone());
    let pool = root.join("images");
    std::fs::create_dir_all(&pool).unwrap();
    let xml = root.join("keep.xml");
    std::fs::write(&xml, bare_guest_xml("keep")).unwrap();
    let xml = xml.display().to_string();

    // 1. Modular, socket-activated: everything through libvirt-sock.
    let daemons = start_modular(&root);
    let uri = legacy_uri(&root);
    ok(virsh(&uri, &["define", &xml]));
    ok(virsh(&uri, &["start", "keep"]));
    ok(virsh(
        &uri,
        &[&format!("pool-define-as images dir --target {}; pool-start images; vol-create-as images disk0 1M", pool.display())],
    ));
    assert_guest_running(&root);
    let qemu = qemu_pids_under(&root);
    assert_eq!(qemu.len(), 1, "one QEMU expected: {qemu:?}");
    // The direct socket serves the same daemon; read-only stays read-only
    // behind the proxy.
    let ro = format!(
        "qemu+unix:///system?socket={}",
        root.join("run/libvirt/libvirt-sock-ro").display()
    );
    let o = virsh(&ro, &["destroy", "keep"]);
    assert!(
        stderr(&o).contains("read only access prevents"),
        "{}",
        stderr(&o)
    );

    // 2. Switch to monolithic: the modular services stop, libvirtd starts on
    // the same state; the guest keeps running and is re-attached.
    for d in daemons {
        d.stop();
    }
    assert!(
        qemu.iter().all(|p| pid_alive(*p)),
        "QEMU must outlive the daemons"
    );
    {
        let _libvirtd = Daemon::start_in("libvirtd", &root, &[]);
        assert_guest_running(&root);
        let out = ok(virsh(&uri, &["vol-list", "images"]));
        assert!(out.contains("disk0"), "{out}");
    }
    assert!(
        qemu.iter().all(|p| pid_alive(*p)),
        "QEMU must outlive libvirtd"
    );

    // 3. And back to modular.
    let daemons = start_modular(&root);
    assert_guest_running(&root);
    assert_eq!(qemu_pids_under(&root), qemu, "the same QEMU, not a new one");
    ok(virsh(&uri, &["destroy", "keep"]));
    ok(virsh(&uri, &["undefine", "keep"]));
    for d in daemons {
        d.stop();
    }
}

#[test]
fn libvirtd_runs_without_a_driver_a_modular_daemon_holds() {
    let root = temp_root("driverlock");
    let q = Daemon::start_in("virtqemud", &root, &[]);
    // libvirtd on the same state: the qemu driver lock is taken, so libvirtd
    // starts without it (and says so) instead of driving the guests twice.
    let l = Daemon::start_in("libvirtd", &root, &[]);
    // Sockets accept (into the backlog) before the drivers are up; wait for
    // the driver set-up to have run.
    ok(virsh(&l.test_uri(), &["list"]));
    assert!(l.stderr().contains("driver.pid"), "{}", l.stderr());
    let o = virsh(
        &format!("qemu+unix:///system?socket={}", l.sock().display()),
        &["list"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no connection driver available"),
        "{}",
        stderr(&o)
    );
    // A second virtqemud is refused outright: its driver is mandatory.
    let o = run(
        Command::new(bin("virtqemud"))
            .arg("--root")
            .arg(&root)
            .arg("-p")
            .arg(root.join("second.pid")),
        Duration::from_secs(10),
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("Driver state initialization failed"),
        "{}",
        stderr(&o)
    );
    drop(q);
}
