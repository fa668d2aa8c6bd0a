//! Guests outlive their daemon: virtqemud stopped with SIGTERM, or killed
//! with SIGKILL, comes back with every running guest re-attached (same id,
//! same process, same state, events flowing), none lost, killed or
//! duplicated; a guest that died meanwhile is reported shut off.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod qemu_common;

use oxvirt_tests::{ok, python, temp_root, virsh, Daemon};
use qemu_common::*;
use std::time::Duration;

/// Registers for lifecycle events, suspends and resumes `r1`, and checks
/// the two events arrive: the monitor and the event path work after a
/// restart.
const PY_EVENTS_AFTER_RESTART: &str = r#"
import libvirt, sys, threading, time
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open(sys.argv[1])
events = []
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                         lambda conn, dom, ev, det, o: events.append((dom.name(), ev, det)), None)
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
d = c.lookupByName("r1")
d.suspend()
d.resume()
deadline = time.time() + 5
while len(events) < 2 and time.time() < deadline:
    time.sleep(0.05)
assert events == [("r1", 3, 0), ("r1", 4, 0)], events
print("ok")
"#;

fn domains(uri: &str) -> Vec<Vec<String>> {
    let out = ok(virsh(uri, &["list", "--all"]));
    out.lines()
        .skip(2)
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect()
}

fn restart_after(sig: i32) {
    if !have_qemu() {
        eprintln!("qemu-system-x86_64 not installed; skipped");
        return;
    }
    let root = temp_root("virtqemud");
    let reaper = QemuReaper(root.clone());
    let mut d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    for n in ["r1", "r2", "r3"] {
        let x = write_file(&root, &format!("{n}.xml"), &bare_xml(n));
        ok(virsh(&uri, &["define", &x]));
    }
    ok(virsh(&uri, &["start", "r1"]));
    ok(virsh(&uri, &["start", "--paused", "r2"]));
    ok(virsh(&uri, &["start", "r3"]));
    // A transient guest too.
    let t = write_file(&root, "t1.xml", &bare_xml("t1"));
    ok(virsh(&uri, &["create", &t]));
    let pids: Vec<i32> = ["r1", "r2", "r3", "t1"]
        .iter()
        .map(|n| recorded_pid(&d, n))
        .collect();
    let before = domains(&uri);
    assert_eq!(before.len(), 4, "{before:?}");

    d.signal(sig);
    assert!(
        d.wait_exit(Duration::from_secs(10)).is_some(),
        "daemon did not stop"
    );
    for p in &pids {
        assert!(alive(*p), "QEMU {p} died with the daemon");
    }
    // r3's QEMU dies while no daemon watches it.
    // SAFETY: signalling a QEMU this test started.
    unsafe { libc::kill(pids[2], libc::SIGKILL) };
    assert!(wait_until(Duration::from_secs(5), || !alive(pids[2])));

    let d2 = Daemon::start_in("virtqemud", &root, &[]);
    // Re-attaching runs in the background: the list answers at once.
    assert!(wait_until(Duration::from_secs(10), || {
        let l = domains(&uri);
        l.iter().any(|r| r[1] == "r3" && r[2] == "shut")
            && l.iter().any(|r| r[1] == "r2" && r[2] == "paused")
    }));
    let after = domains(&uri);
    let row = |n: &str| after.iter().find(|r| r[1] == n).cloned().unwrap();
    let row_before = |n: &str| before.iter().find(|r| r[1] == n).cloned().unwrap();
    assert_eq!(row("r1"), row_before("r1"));
    assert_eq!(row("r2"), row_before("r2"));
    assert_eq!(row("t1"), row_before("t1"));
    assert_eq!(row("r3")[0], "-");
    assert_eq!(
        ok(virsh(&uri, &["domstate", "--reason", "r3"])).trim(),
        "shut off (crashed)"
    );
    // Same processes, nothing started twice.
    assert_eq!(recorded_pid(&d2, "r1"), pids[0]);
    assert_eq!(recorded_pid(&d2, "r2"), pids[1]);
    let mut live = reaper.pids();
    live.sort_unstable();
    let mut want = vec![pids[0], pids[1], pids[3]];
    want.sort_unstable();
    assert_eq!(live, want);

    // The monitor and events work on the re-attached guests.
    let out = ok(python(PY_EVENTS_AFTER_RESTART, &[&uri]));
    assert!(out.contains("ok"), "{out}");
    ok(virsh(&uri, &["resume", "r2"]));
    assert_eq!(ok(virsh(&uri, &["domstate", "r2"])).trim(), "running");
    // A new guest gets an id above the re-attached ones.
    ok(virsh(&uri, &["start", "r3"]));
    let id3: i32 = ok(virsh(&uri, &["domid", "r3"])).trim().parse().unwrap();
    assert!(id3 > 4, "{id3}");

    for n in ["r1", "r2", "r3", "t1"] {
        ok(virsh(&uri, &["destroy", n]));
    }
    for p in &pids {
        assert!(wait_until(Duration::from_secs(5), || !alive(*p)));
    }
    assert!(reaper.pids().is_empty());
    // The transient guest is gone once stopped.
    let l = domains(&uri);
    assert!(!l.iter().any(|r| r[1] == "t1"), "{l:?}");
}

#[test]
fn guests_survive_a_daemon_stopped_with_sigterm() {
    restart_after(libc::SIGTERM);
}

#[test]
fn guests_survive_a_daemon_killed_with_sigkill() {
    restart_after(libc::SIGKILL);
}
