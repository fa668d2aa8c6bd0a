//! The QEMU driver driven by libvirt's own clients: virsh and
//! python3-libvirt run a guest's whole life on virtqemud and on libvirtd,
//! the python client sees the lifecycle events in libvirt's order, and
//! virt-install imports a disk and gets a running guest.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod qemu_common;

use oxvirt_tests::{ok, python, stderr, temp_root, virsh, Daemon};
use qemu_common::*;
use std::process::Command;
use std::time::Duration;

fn virsh_lifecycle(daemon: &str) {
    if !have_qemu() {
        eprintln!("qemu-system-x86_64 not installed; skipped");
        return;
    }
    let root = temp_root(daemon);
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in(daemon, &root, &[]);
    let uri = qemu_uri(&d);
    let xml = write_file(&root, "v1.xml", &bare_xml("v1"));

    let out = ok(virsh(&uri, &["define", &xml]));
    assert!(out.contains("Domain 'v1' defined"), "{out}");
    let out = ok(virsh(&uri, &["list", "--all"]));
    assert!(out.contains("v1") && out.contains("shut off"), "{out}");

    ok(virsh(&uri, &["start", "v1"]));
    let out = ok(virsh(&uri, &["list"]));
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["1", "v1", "running"]),
        "{out}"
    );
    let info = ok(virsh(&uri, &["dominfo", "v1"]));
    assert!(info.contains("State:          running"), "{info}");
    assert!(info.contains("Max memory:     65536 KiB"), "{info}");
    assert!(info.contains("Persistent:     yes"), "{info}");
    let pid = recorded_pid(&d, "v1");
    assert!(alive(pid));

    ok(virsh(&uri, &["suspend", "v1"]));
    assert_eq!(
        ok(virsh(&uri, &["domstate", "--reason", "v1"])).trim(),
        "paused (user)"
    );
    ok(virsh(&uri, &["resume", "v1"]));
    assert_eq!(
        ok(virsh(&uri, &["domstate", "--reason", "v1"])).trim(),
        "running (unpaused)"
    );

    let stats = ok(virsh(&uri, &["domstats", "v1"]));
    for key in [
        "state.state=1",
        "state.reason=5",
        "cpu.time=",
        "balloon.current=65536",
        "balloon.maximum=65536",
        "vcpu.current=1",
        "vcpu.0.state=1",
        "net.count=0",
        "block.count=0",
    ] {
        assert!(stats.contains(key), "{key} missing in {stats}");
    }

    // Running: the status file and the live XML carry the id.
    assert!(root.join("run/libvirt/qemu/v1.xml").exists());
    let live = ok(virsh(&uri, &["dumpxml", "v1"]));
    assert!(
        live.contains("<domain type=") && live.contains("id='1'"),
        "{live}"
    );

    ok(virsh(&uri, &["destroy", "v1"]));
    assert!(wait_until(Duration::from_secs(5), || !alive(pid)));
    assert_eq!(
        ok(virsh(&uri, &["domstate", "--reason", "v1"])).trim(),
        "shut off (destroyed)"
    );
    assert!(!root.join("run/libvirt/qemu/v1.xml").exists());
    let log = std::fs::read_to_string(root.join("var/log/libvirt/qemu/v1.log")).unwrap();
    assert!(log.contains("starting up libvirt version: 9.0.0"), "{log}");
    assert!(log.contains("shutting down, reason=destroyed"), "{log}");

    ok(virsh(&uri, &["undefine", "v1"]));
    assert!(!root.join("etc/libvirt/qemu/v1.xml").exists());
    let out = virsh(&uri, &["dominfo", "v1"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("failed to get domain 'v1'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn virsh_runs_a_guest_on_virtqemud() {
    virsh_lifecycle("virtqemud");
}

#[test]
fn virsh_runs_a_guest_on_libvirtd() {
    virsh_lifecycle("libvirtd");
}

/// Define, start, suspend, resume, stats, destroy, undefine through the
/// python bindings, with every lifecycle event checked in order.
const PY_LIFECYCLE: &str = r#"
import libvirt, sys, threading, time
libvirt.virEventRegisterDefaultImpl()
uri, xml = sys.argv[1], open(sys.argv[2]).read()
c = libvirt.open(uri)
events = []
def cb(conn, dom, ev, detail, opaque):
    events.append((dom.name(), ev, detail))
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, cb, None)
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()

d = c.defineXML(xml)
assert [x.name() for x in c.listAllDomains()] == ["p1"]
d.create()
assert d.isActive() and d.ID() == 1
st, reason = d.state()
assert (st, reason) == (libvirt.VIR_DOMAIN_RUNNING, 1), (st, reason)
info = d.info()
assert info[0] == libvirt.VIR_DOMAIN_RUNNING and info[1] == 65536 and info[3] == 1, info
d.suspend()
assert d.state() == [libvirt.VIR_DOMAIN_PAUSED, 1]
d.resume()
assert d.state() == [libvirt.VIR_DOMAIN_RUNNING, 5]
stats = dict(c.getAllDomainStats()[0][1])
assert stats["state.state"] == 1 and stats["balloon.maximum"] == 65536, stats
assert "cpu.time" in stats and stats["vcpu.current"] == 1, stats
d.destroy()
assert d.state() == [libvirt.VIR_DOMAIN_SHUTOFF, 2]
d.undefine()
deadline = time.time() + 5
want = [("p1", 0, 0), ("p1", 4, 0), ("p1", 2, 0), ("p1", 3, 0), ("p1", 4, 0),
        ("p1", 6, 2), ("p1", 5, 1), ("p1", 1, 0)]
while len(events) < len(want) and time.time() < deadline:
    time.sleep(0.05)
assert events == want, events
print("ok")
"#;

fn python_lifecycle(daemon: &str) {
    if !have_qemu() {
        return;
    }
    let root = temp_root(daemon);
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in(daemon, &root, &[]);
    let xml = write_file(&root, "p1.xml", &bare_xml("p1"));
    let out = ok(python(PY_LIFECYCLE, &[&qemu_uri(&d), &xml]));
    assert!(out.contains("ok"), "{out}");
}

#[test]
fn python_runs_a_guest_and_sees_its_events_on_virtqemud() {
    python_lifecycle("virtqemud");
}

#[test]
fn python_runs_a_guest_and_sees_its_events_on_libvirtd() {
    python_lifecycle("libvirtd");
}

#[test]
fn define_errors_are_libvirts() {
    if !have_qemu() {
        return;
    }
    let root = temp_root("virtqemud");
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    let xml = write_file(&root, "e1.xml", &bare_xml("e1"));
    ok(virsh(&uri, &["define", &xml]));
    // Same name, other UUID.
    let other = write_file(
        &root,
        "e1b.xml",
        &bare_xml("e1").replace(
            "<name>",
            "<uuid>11111111-2222-3333-4444-555555555555</uuid><name>",
        ),
    );
    let out = virsh(&uri, &["define", &other]);
    assert!(
        stderr(&out).contains("operation failed: domain 'e1' already exists with uuid"),
        "{}",
        stderr(&out)
    );
    let out = virsh(&uri, &["destroy", "e1"]);
    assert!(
        stderr(&out).contains("Requested operation is not valid: domain is not running"),
        "{}",
        stderr(&out)
    );
    let bad = write_file(&root, "bad.xml", "<domain type='kvm'><name>x</name>");
    let out = virsh(&uri, &["define", &bad]);
    assert!(!out.status.success());
    ok(virsh(&uri, &["undefine", "e1"]));
}

/// `virt-install --import` of a small disk: capabilities, domain
/// capabilities, define and start all have to be right for it to succeed.
#[test]
fn virt_install_imports_a_disk_and_the_guest_runs() {
    if !have_qemu() || !std::path::Path::new("/usr/bin/virt-install").exists() {
        eprintln!("qemu or virt-install missing; skipped");
        return;
    }
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    // virt-install asks the storage driver about the disk's path;
    // virtqemud forwards storage calls to virtstoraged, as libvirt's does.
    let _storage = Daemon::start_in("virtstoraged", &root, &[]);
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    let disk = root.join("small.qcow2");
    let out = oxvirt_tests::run(
        Command::new("qemu-img")
            .args(["create", "-f", "qcow2"])
            .arg(&disk)
            .arg("16M"),
        Duration::from_secs(30),
    );
    assert!(out.status.success());
    let out = oxvirt_tests::run(
        Command::new("virt-install")
            .args([
                "--connect",
                &uri,
                "--import",
                "--noautoconsole",
                "--name",
                "vi1",
            ])
            .args(["--memory", "128", "--vcpus", "1", "--osinfo", "linux2022"])
            .args(["--cpu", "qemu64", "--graphics", "none", "--network", "user"])
            .arg("--disk")
            .arg(format!("path={}", disk.display())),
        Duration::from_secs(120),
    );
    assert!(
        out.status.success(),
        "virt-install failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    let list = ok(virsh(&uri, &["list"]));
    assert!(list.contains("vi1") && list.contains("running"), "{list}");
    let pid = recorded_pid(&d, "vi1");
    assert!(alive(pid));
    let xml = ok(virsh(&uri, &["dumpxml", "vi1"]));
    assert!(xml.contains(&disk.display().to_string()), "{xml}");
    ok(virsh(&uri, &["destroy", "vi1"]));
    ok(virsh(&uri, &["undefine", "vi1"]));
    assert!(wait_until(Duration::from_secs(5), || !alive(pid)));
}
