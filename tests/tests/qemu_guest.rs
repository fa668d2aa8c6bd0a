//! A real guest kernel under TCG: its serial console through the stream
//! API (DOMAIN_OPEN_CONSOLE), an ACPI reboot and an ACPI shutdown the
//! guest honours, each with libvirt's events.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod qemu_common;

use oxvirt_tests::{ok, run, temp_root, Daemon};
use qemu_common::*;
use std::process::Command;
use std::time::Duration;

const PY_GUEST: &str = r#"
import libvirt, sys, threading, time
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open(sys.argv[1])
events, reboots = [], []
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                         lambda conn, dom, ev, det, o: events.append((ev, det)), None)
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT,
                         lambda conn, dom, o: reboots.append(dom.name()), None)
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()

def wait(cond, secs, what):
    deadline = time.time() + secs
    while not cond():
        if time.time() > deadline:
            raise Exception("timed out waiting for " + what + ": %r %r" % (events, reboots))
        time.sleep(0.05)

def console_until(d, marker, send=None):
    st = c.newStream(0)
    d.openConsole(None, st, 0)
    if send:
        st.send(send)
    buf = b""
    deadline = time.time() + 60
    while marker not in buf:
        if time.time() > deadline:
            raise Exception("no %r on the console: %r" % (marker, buf))
        buf += st.recv(4096)
    st.finish()
    return buf

d = c.createXML(open(sys.argv[2]).read(), 0)
console_until(d, b"oxvirt-guest: ready")
# Keystrokes reach the guest, its answer comes back.
console_until(d, b"oxvirt-guest: got ping", send=b"ping\r")
# A second console while one is open: refused unless forced.
st1 = c.newStream(0)
d.openConsole(None, st1, 0)
try:
    d.openConsole(None, c.newStream(0), 0)
    raise Exception("second console accepted")
except libvirt.libvirtError as e:
    assert "Active console session exists" in str(e), e
st2 = c.newStream(0)
d.openConsole(None, st2, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
# The forced open ended the first session's stream (after whatever
# output was already on its way).
for _ in range(100):
    if st1.recv(4096) == b"":
        break
else:
    raise Exception("first console stream not ended")
st1.finish()
st2.abort()

# ACPI reboot: the guest powers off, the driver resets it, it boots again.
d.reboot(0)
wait(lambda: len(reboots) >= 1, 60, "REBOOT")
console_until(d, b"oxvirt-guest: ready")
assert d.state() == [libvirt.VIR_DOMAIN_RUNNING, 1], d.state()

# ACPI shutdown: SHUTDOWN GUEST then STOPPED SHUTDOWN; the transient
# domain is gone.
# A power button press that comes while the guest's kernel is still
# arming its ACPI handler is lost (the guest's business, as on real
# hardware): press again, as a user would.
for attempt in range(6):
    d.shutdown()
    try:
        wait(lambda: (5, 0) in events, 15, "STOPPED")
        break
    except Exception:
        if attempt == 5:
            raise
assert events == [(4, 0), (2, 0), (6, 1), (5, 0)], events
try:
    c.lookupByName("g1")
    raise Exception("transient domain still listed")
except libvirt.libvirtError:
    pass
print("ok")
"#;

#[test]
fn console_reboot_and_acpi_shutdown_of_a_real_guest() {
    if !have_qemu() {
        eprintln!("qemu-system-x86_64 not installed; skipped");
        return;
    }
    let xml_text = guest_xml("g1");
    let root = temp_root("virtqemud");
    let _reaper = QemuReaper(root.clone());
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let xml = write_file(&root, "g1.xml", &xml_text);
    // Two TCG boots: minutes on a busy machine, so a longer leash than
    // the harness's `python()`.
    let out = ok(run(
        Command::new("/usr/bin/python3")
            .arg("-c")
            .arg(PY_GUEST)
            .arg(qemu_uri(&d))
            .arg(&xml),
        Duration::from_secs(300),
    ));
    assert!(out.contains("ok"), "{out}");
    let log = std::fs::read_to_string(root.join("var/log/libvirt/qemu/g1.log")).unwrap();
    assert!(log.contains("shutting down, reason=shutdown"), "{log}");
}
