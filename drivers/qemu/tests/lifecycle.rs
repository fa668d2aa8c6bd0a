//! The driver without a daemon: a guest started through the connection API,
//! its events on the bus in libvirt's order, its files on disk, a driver
//! that goes away (its runtime shut down) and a new one that re-attaches to
//! the same QEMU, and a destroy seen through the pidfd at once.
//!
//! Needs QEMU; skipped when `/usr/bin/qemu-system-x86_64` is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_driver::{DomainEventKind, HypervisorConnection};
use oxvirt_driver_qemu::driver::{DriverDirs, QemuDriver};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn dirs(root: &Path) -> DriverDirs {
    DriverDirs {
        config: root.join("etc/libvirt"),
        run: root.join("run/libvirt"),
        lib: root.join("var/lib/libvirt"),
        log: root.join("var/log/libvirt"),
        cache: root.join("var/cache/libvirt"),
        privileged: true,
    }
}

fn kvm() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok()
}

fn xml() -> String {
    let ty = if kvm() { "kvm" } else { "qemu" };
    format!(
        "<domain type='{ty}'><name>drv1</name><memory unit='MiB'>64</memory>\
         <os><type arch='x86_64' machine='q35'>hvm</type></os>\
         <cpu mode='custom' match='exact' check='none'><model>qemu64</model></cpu></domain>"
    )
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rfind(')')
                .is_some_and(|i| !s[i + 1..].trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Kills the test's QEMU if an assertion fails half-way.
struct Reaper(Option<i32>);

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            // SAFETY: signalling the QEMU this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

#[test]
fn a_new_driver_reattaches_to_a_running_guest_and_destroys_it() {
    if !Path::new("/usr/bin/qemu-system-x86_64").exists() {
        eprintln!("QEMU not installed; skipped");
        return;
    }
    let root: PathBuf =
        std::env::temp_dir().join(format!("oxvirt-qemu-drv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut reaper = Reaper(None);

    // First driver: define, start, then its runtime goes away.
    let rt = runtime();
    let (dom, pid) = rt.block_on(async {
        let drv = QemuDriver::new(&dirs(&root)).unwrap();
        let conn = drv.connect();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        conn.domain_events().unwrap().register(0, None, tx);
        let dom = conn.domain_define_xml(&xml(), 0).await.unwrap();
        let dom = conn.domain_create(&dom, 0).await.unwrap();
        assert_eq!(dom.id, 1);
        assert_eq!(conn.domain_get_state(&dom, 0).unwrap(), (1, 1));
        let mut seen = Vec::new();
        while seen.len() < 3 {
            let (_, ev) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
                .await
                .unwrap()
                .unwrap();
            if let DomainEventKind::Lifecycle { event, detail } = ev.kind {
                seen.push((event, detail));
            }
        }
        // DEFINED ADDED, RESUMED UNPAUSED, STARTED BOOTED.
        assert_eq!(seen, vec![(0, 0), (4, 0), (2, 0)]);
        let pid: i32 = std::fs::read_to_string(root.join("run/libvirt/qemu/drv1.pid"))
            .unwrap()
            .parse()
            .unwrap();
        (dom, pid)
    });
    reaper.0 = Some(pid);
    rt.shutdown_timeout(Duration::from_secs(2));
    assert!(alive(pid), "QEMU went away with the driver");
    let status = std::fs::read_to_string(root.join("run/libvirt/qemu/drv1.xml")).unwrap();
    assert!(status.contains(&format!(
        "<domstatus state='running' reason='booted' pid='{pid}'>"
    )));
    let config = std::fs::read_to_string(root.join("etc/libvirt/qemu/drv1.xml")).unwrap();
    assert!(config.starts_with("<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE."));

    // Second driver: the guest is found running under the same id.
    let rt = runtime();
    rt.block_on(async {
        let drv = QemuDriver::new(&dirs(&root)).unwrap();
        let conn = drv.connect();
        let again = conn.lookup_domain_by_name("drv1").unwrap();
        assert_eq!(again.id, dom.id);
        // The monitor is reconnected in the background; a state change
        // waits for that job and then works.
        conn.domain_suspend(&again).await.unwrap();
        assert_eq!(conn.domain_get_state(&again, 0).unwrap(), (3, 1));
        conn.domain_resume(&again).await.unwrap();

        let t = Instant::now();
        conn.domain_destroy(&again, 0).await.unwrap();
        let took = t.elapsed();
        assert!(took < Duration::from_secs(2), "destroy took {took:?}");
        assert_eq!(conn.domain_get_state(&again, 0).unwrap(), (5, 2));
        assert!(!root.join("run/libvirt/qemu/drv1.xml").exists());
        conn.domain_undefine(&again, 0).await.unwrap();
        assert!(!root.join("etc/libvirt/qemu/drv1.xml").exists());
    });
    rt.shutdown_timeout(Duration::from_secs(2));
    assert!(!alive(pid));
    reaper.0 = None;
    let _ = std::fs::remove_dir_all(&root);
}
