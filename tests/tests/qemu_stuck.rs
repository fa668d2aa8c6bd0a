//! A QEMU whose monitor stops answering (`kill -STOP`) blocks only its own
//! domain's state changes, with a timeout error; listing and querying it
//! and every other domain keep answering at once, and destroy still works.
//!
//! This file is its own test binary because it shortens the monitor and
//! job deadlines through the daemon's environment.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod qemu_common;

use oxvirt_tests::{ok, stderr, temp_root, virsh, Daemon};
use qemu_common::*;
use std::time::{Duration, Instant};

fn timed(uri: &str, args: &[&str]) -> (std::process::Output, Duration) {
    let t = Instant::now();
    let o = virsh(uri, args);
    (o, t.elapsed())
}

#[test]
fn stuck_monitor_blocks_only_its_own_domain() {
    if !have_qemu() {
        eprintln!("qemu-system-x86_64 not installed; skipped");
        return;
    }
    // The daemon inherits these: 2 s per monitor call, 1 s to wait for a
    // job (shorter than the stuck call holds it).
    std::env::set_var("OXVIRT_QEMU_MONITOR_TIMEOUT", "2");
    std::env::set_var("OXVIRT_QEMU_JOB_TIMEOUT", "1");
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    for n in ["s1", "s2"] {
        let x = write_file(&root, &format!("{n}.xml"), &bare_xml(n));
        ok(virsh(&uri, &["define", &x]));
        ok(virsh(&uri, &["start", n]));
    }
    let stuck = recorded_pid(&d, "s1");
    // SAFETY: stopping a QEMU this test started.
    unsafe { libc::kill(stuck, libc::SIGSTOP) };

    // A state change of the stuck domain, in the background.
    let u = uri.clone();
    let bg = std::thread::spawn(move || timed(&u, &["suspend", "s1"]));
    std::thread::sleep(Duration::from_millis(300));
    // A second one waits for the job, then gives up.
    let u = uri.clone();
    let bg2 = std::thread::spawn(move || timed(&u, &["resume", "s1"]));
    std::thread::sleep(Duration::from_millis(200));

    // Meanwhile queries answer at once, and the other domain works.
    for args in [
        &["list", "--all"][..],
        &["dominfo", "s1"],
        &["domstate", "s1"],
        &["dominfo", "s2"],
        &["dumpxml", "s1"],
        &["suspend", "s2"],
        &["resume", "s2"],
    ] {
        let (o, t) = timed(&uri, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(t < Duration::from_millis(1500), "{args:?} took {t:?}");
    }

    let (o, t) = bg.join().unwrap();
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("Timed out during operation: QEMU monitor did not answer 'stop'"),
        "{e}"
    );
    assert!(
        t >= Duration::from_millis(1900) && t < Duration::from_secs(6),
        "{t:?}"
    );
    let (o, _) = bg2.join().unwrap();
    let e = stderr(&o);
    assert!(
        e.contains("Timed out during operation: cannot acquire state change lock"),
        "{e}"
    );

    // Destroy does not need the stuck monitor.
    let (o, t) = timed(&uri, &["destroy", "s1"]);
    eprintln!("destroy of the stuck domain took {t:?}");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(t < Duration::from_secs(5), "{t:?}");
    assert!(wait_until(Duration::from_secs(5), || !alive(stuck)));
    assert_eq!(
        ok(virsh(&uri, &["domstate", "--reason", "s1"])).trim(),
        "shut off (destroyed)"
    );
    ok(virsh(&uri, &["destroy", "s2"]));
}
