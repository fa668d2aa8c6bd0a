//! libvirt's own clients (virsh, virt-admin, python3-libvirt) against oxvirt's
//! libvirtd and virtqemud serving the test driver.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;

const FOO: &str =
    "<domain type='test'><name>foo</name><memory>1024</memory><os><type>hvm</type></os></domain>";

fn write_xml(d: &Daemon, name: &str, xml: &str) -> String {
    let p = d.root.join(name);
    std::fs::write(&p, xml).unwrap();
    p.display().to_string()
}

#[test]
fn virsh_lists_default_domain_on_both_daemons() {
    for name in ["libvirtd", "virtqemud"] {
        let d = Daemon::start(name, &[]);
        let out = ok(virsh(&d.test_uri(), &["list", "--all"]));
        assert!(out.contains(" 1    test   running"), "{name}: {out}");
        let out = ok(virsh(&d.test_uri(), &["list", "--name"]));
        assert_eq!(out.trim(), "test");
    }
}

#[test]
fn virsh_runs_a_full_lifecycle() {
    let d = Daemon::start("libvirtd", &[]);
    let xml = write_xml(&d, "foo.xml", FOO);
    // One virsh session: the test driver's state lives as long as a connection.
    let script = format!(
        "define {xml}; start foo; domstate foo; suspend foo; domstate foo; resume foo; dominfo foo; destroy foo; domstate foo; undefine foo; list --all --name"
    );
    let out = ok(virsh(&d.test_uri(), &[&script]));
    for want in [
        "Domain 'foo' defined from",
        "Domain 'foo' started",
        "running",
        "Domain 'foo' suspended",
        "paused",
        "Domain 'foo' resumed",
        "Persistent:     yes",
        "Domain 'foo' destroyed",
        "shut off",
        "Domain 'foo' has been undefined",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(!out.lines().any(|l| l.trim() == "foo"), "{out}");
}

#[test]
fn virsh_host_commands_answer() {
    let d = Daemon::start("virtqemud", &[]);
    let out = ok(virsh(&d.test_uri(), &["nodeinfo"]));
    assert!(out.contains("CPU model:           i686"), "{out}");
    let out = ok(virsh(&d.test_uri(), &["version"]));
    assert!(out.contains("Running hypervisor: TEST"), "{out}");
    let out = ok(virsh(&d.test_uri(), &["uri"]));
    assert!(out.trim().starts_with("test+unix:///default"), "{out}");
    let out = ok(virsh(&d.test_uri(), &["capabilities"]));
    assert!(out.contains("<capabilities>"), "{out}");
    let out = ok(virsh(&d.test_uri(), &["hostname"]));
    assert!(!out.trim().is_empty());
    let out = ok(virsh(&d.test_uri(), &["dumpxml", "test"]));
    assert!(out.contains("<name>test</name>"), "{out}");
    let out = ok(virsh(&d.test_uri(), &["domstats", "test"]));
    assert!(out.contains("state.state=1"), "{out}");
}

#[test]
fn readonly_socket_refuses_writes_with_operation_denied() {
    let d = Daemon::start("libvirtd", &[]);
    let o = virsh(&d.test_uri_ro(), &["destroy", "test"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("operation forbidden: read only access prevents virDomainDestroy"),
        "{}",
        stderr(&o)
    );
    // Reads still work there.
    let out = ok(virsh(&d.test_uri_ro(), &["list", "--all"]));
    assert!(out.contains("test"));
    let script = r#"
import libvirt, sys
c = libvirt.open(sys.argv[1])
try:
    c.lookupByName("test").destroy()
    print("destroyed")
except libvirt.libvirtError as e:
    print(e.get_error_code(), e.get_error_domain())
"#;
    let out = ok(python(script, &[&d.test_uri_ro()]));
    assert_eq!(out.trim(), "29 20");
}

#[test]
fn python_callback_receives_lifecycle_events() {
    let d = Daemon::start("virtqemud", &[]);
    let script = r#"
import libvirt, threading, time, sys
libvirt.virEventRegisterDefaultImpl()
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
c = libvirt.open(sys.argv[1])
got = []
def cb(conn, dom, event, detail, opaque):
    got.append("%s:%d:%d" % (dom.name(), event, detail))
cid = c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, cb, None)
x = "<domain type='test'><name>ev1</name><memory>1024</memory><os><type>hvm</type></os></domain>"
d = c.defineXML(x); d.create(); d.suspend(); d.resume(); d.destroy(); d.undefine()
deadline = time.time() + 5
while len(got) < 6 and time.time() < deadline:
    time.sleep(0.02)
print(" ".join(got))
c.domainEventDeregisterAny(cid)
c.close()
"#;
    let out = ok(python(script, &[&d.test_uri()]));
    assert_eq!(
        out.trim(),
        "ev1:0:0 ev1:2:0 ev1:3:0 ev1:4:0 ev1:5:1 ev1:1:0"
    );
}

#[test]
fn python_transient_domain_and_errors() {
    let d = Daemon::start("libvirtd", &[]);
    let script = r#"
import libvirt, sys
c = libvirt.open(sys.argv[1])
x = "<domain type='test'><name>tr</name><memory>1024</memory><os><type>hvm</type></os></domain>"
d = c.createXML(x, 0)
print(d.isActive(), d.isPersistent(), d.ID() > 0)
d.destroy()
try:
    c.lookupByName("tr")
except libvirt.libvirtError as e:
    print("gone", e.get_error_code())
try:
    c.defineXML("<domain type='test'><name>bad")
except libvirt.libvirtError as e:
    print("xml", e.get_error_code(), e.get_error_domain())
try:
    c.lookupByName("x" * 1000000)
except libvirt.libvirtError as e:
    print("big", e.get_error_code())
print(len(c.listAllDomains()), c.getLibVersion())
"#;
    let out = ok(python(script, &[&d.test_uri()]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "1 0 True");
    assert_eq!(lines[1], "gone 42");
    assert!(
        lines[2].starts_with("xml 27 ") || lines[2].starts_with("xml 35 "),
        "{out}"
    );
    assert_eq!(lines[3], "big 42");
    assert_eq!(lines[4], "1 9000000");
}

#[test]
fn virt_admin_lists_servers_and_clients() {
    let d = Daemon::start("libvirtd", &[]);
    let uri = format!("libvirtd:///system?socket={}", d.sock_admin().display());
    let out = ok(run(
        std::process::Command::new("virt-admin").args(["-c", &uri, "srv-list"]),
        std::time::Duration::from_secs(20),
    ));
    assert!(out.contains("libvirtd") && out.contains("admin"), "{out}");
    // Keep a client connected on the main server while listing.
    let _held = std::os::unix::net::UnixStream::connect(d.sock()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    let out = ok(run(
        std::process::Command::new("virt-admin").args(["-c", &uri, "srv-clients-list", "libvirtd"]),
        std::time::Duration::from_secs(20),
    ));
    assert!(out.contains("unix"), "{out}");
}
