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

    let mem = ok(virsh(&uri, &["dommemstat", "v1"]));
    assert!(
        mem.contains("actual 65536") && mem.contains("rss "),
        "{mem}"
    );

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

/// A QEMU that cannot start is reported with its own last words, and the
/// domain stays defined and shut off (failed).
#[test]
fn failed_start_reports_qemus_error() {
    if !have_qemu() {
        return;
    }
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    let missing = root.join("no-such-disk.qcow2");
    let xml = bare_xml("f1").replace(
        "</domain>",
        &format!(
            "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\
             <source file='{}'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
            missing.display()
        ),
    );
    let x = write_file(&root, "f1.xml", &xml);
    ok(virsh(&uri, &["define", &x]));
    let out = virsh(&uri, &["start", "f1"]);
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(
        e.contains("internal error: qemu unexpectedly closed the monitor")
            && e.contains("no-such-disk.qcow2"),
        "{e}"
    );
    assert_eq!(
        ok(virsh(&uri, &["domstate", "--reason", "f1"])).trim(),
        "shut off (failed)"
    );
    assert!(!root.join("run/libvirt/qemu/f1.xml").exists());
    ok(virsh(&uri, &["undefine", "f1"]));
}

/// Disks and NICs attached to a running guest and to its definition, a
/// CD-ROM's medium changed, a disk detached from the definition.
#[test]
fn hotplug_of_disks_nics_and_cdrom_media() {
    if !have_qemu() {
        return;
    }
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    let xml = bare_xml("h1").replace(
        "</domain>",
        "<devices><disk type='file' device='cdrom'><driver name='qemu' type='raw'/>\
         <target dev='sda' bus='sata'/><readonly/></disk>\
         <controller type='pci' index='0' model='pcie-root'/>\
         <controller type='pci' index='1' model='pcie-root-port'/>\
         <controller type='pci' index='2' model='pcie-root-port'/>\
         <controller type='pci' index='3' model='pcie-root-port'/>\
         <controller type='pci' index='4' model='pcie-root-port'/>\
         <controller type='pci' index='5' model='pcie-root-port'/></devices></domain>",
    );
    let x = write_file(&root, "h1.xml", &xml);
    ok(virsh(&uri, &["define", &x]));
    ok(virsh(&uri, &["start", "h1"]));
    let img = root.join("extra.img");
    let iso = root.join("media.iso");
    std::fs::write(&img, vec![0u8; 1 << 20]).unwrap();
    std::fs::write(&iso, vec![0u8; 1 << 20]).unwrap();
    let (img, iso) = (img.display().to_string(), iso.display().to_string());

    ok(virsh(
        &uri,
        &["attach-disk", "h1", &img, "vdb", "--live", "--persistent"],
    ));
    let live = ok(virsh(&uri, &["domblklist", "h1"]));
    assert!(live.contains("vdb") && live.contains(&img), "{live}");
    let cfg = ok(virsh(&uri, &["domblklist", "h1", "--inactive"]));
    assert!(cfg.contains("vdb"), "{cfg}");
    let stats = ok(virsh(&uri, &["domstats", "--block", "h1"]));
    assert!(
        stats.contains("block.count=2") && stats.contains("block.1.name=vdb"),
        "{stats}"
    );

    let blk = ok(virsh(&uri, &["domblkstat", "h1", "vdb"]));
    assert!(
        blk.contains("vdb rd_req") && blk.contains("vdb wr_bytes"),
        "{blk}"
    );

    let nic = write_file(
        &root,
        "nic.xml",
        "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/></interface>",
    );
    ok(virsh(&uri, &["attach-device", "h1", &nic, "--live"]));
    let ifs = ok(virsh(&uri, &["domiflist", "h1"]));
    assert!(ifs.contains("52:54:00:aa:bb:cc"), "{ifs}");

    ok(virsh(
        &uri,
        &["change-media", "h1", "sda", &iso, "--insert", "--live"],
    ));
    let live = ok(virsh(&uri, &["domblklist", "h1"]));
    assert!(live.contains(&iso), "{live}");
    ok(virsh(
        &uri,
        &["change-media", "h1", "sda", "--eject", "--live"],
    ));
    let live = ok(virsh(&uri, &["domblklist", "h1"]));
    assert!(!live.contains(&iso), "{live}");

    ok(virsh(&uri, &["detach-disk", "h1", "vdb", "--config"]));
    let cfg = ok(virsh(&uri, &["domblklist", "h1", "--inactive"]));
    assert!(!cfg.contains("vdb"), "{cfg}");
    let out = virsh(&uri, &["detach-disk", "h1", "vdz", "--config"]);
    assert!(stderr(&out).contains("No disk found"), "{}", stderr(&out));
    ok(virsh(&uri, &["destroy", "h1"]));
}

/// Autostart: the linked definitions start once per host boot (the
/// `autostarted` marker in the run directory), not on every daemon start.
#[test]
fn autostart_runs_once_per_boot() {
    if !have_qemu() {
        return;
    }
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    let mut d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    let x = write_file(&root, "a1.xml", &bare_xml("a1"));
    ok(virsh(&uri, &["define", &x]));
    ok(virsh(&uri, &["autostart", "a1"]));
    assert!(root.join("etc/libvirt/qemu/autostart/a1.xml").exists());
    d.signal(libc::SIGTERM);
    d.wait_exit(Duration::from_secs(10)).unwrap();
    drop(d);
    // Same boot: the marker is there, nothing starts.
    let mut d = Daemon::start_in("virtqemud", &root, &[]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(ok(virsh(&uri, &["domstate", "a1"])).trim(), "shut off");
    d.signal(libc::SIGTERM);
    d.wait_exit(Duration::from_secs(10)).unwrap();
    drop(d);
    // A new boot (the run directory is a tmpfs): it starts.
    std::fs::remove_file(root.join("run/libvirt/qemu/autostarted")).unwrap();
    let _d = Daemon::start_in("virtqemud", &root, &[]);
    assert!(wait_until(Duration::from_secs(20), || {
        ok(virsh(&uri, &["domstate", "a1"])).trim() == "running"
    }));
    ok(virsh(&uri, &["destroy", "a1"]));
}

/// on_reboot=destroy: QEMU is told (`set-action`) to turn a reset into a
/// shutdown, so a reset stops the guest; the default (restart) keeps it
/// running and reports REBOOT.
#[test]
fn on_reboot_destroy_turns_a_reset_into_a_stop() {
    if !have_qemu() {
        return;
    }
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = qemu_uri(&d);
    let x = write_file(
        &root,
        "o1.xml",
        &bare_xml("o1").replace("</domain>", "<on_reboot>destroy</on_reboot></domain>"),
    );
    ok(virsh(&uri, &["define", &x]));
    ok(virsh(&uri, &["start", "o1"]));
    let y = write_file(&root, "o2.xml", &bare_xml("o2"));
    ok(virsh(&uri, &["define", &y]));
    ok(virsh(&uri, &["start", "o2"]));
    ok(virsh(&uri, &["reset", "o1"]));
    ok(virsh(&uri, &["reset", "o2"]));
    assert!(wait_until(Duration::from_secs(10), || {
        ok(virsh(&uri, &["domstate", "--reason", "o1"])).trim() == "shut off (shutdown)"
    }));
    assert_eq!(ok(virsh(&uri, &["domstate", "o2"])).trim(), "running");
    ok(virsh(&uri, &["destroy", "o2"]));
}
