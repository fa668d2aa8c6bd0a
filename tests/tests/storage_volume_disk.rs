//! `<disk type='volume'>`: the QEMU driver resolves the volume through the
//! client's storage connection — in-process in libvirtd, over RPC to
//! virtstoraged in virtqemud — and QEMU opens the volume's path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::path::Path;

fn guest_with_volume_disk(name: &str) -> String {
    bare_guest_xml(name).replace(
        "</features>",
        "</features><devices><disk type='volume' device='disk'><driver name='qemu' type='raw'/>\
         <source pool='images' volume='disk0.img'/><target dev='vda' bus='virtio'/></disk></devices>",
    )
}

fn run_guest_on_volume(uri: &str, root: &Path) {
    let pool = root.join("images");
    std::fs::create_dir_all(&pool).unwrap();
    ok(virsh(
        uri,
        &[&format!(
            "pool-define-as images dir --target {}; pool-start images; vol-create-as images disk0.img 1M --format raw",
            pool.display()
        )],
    ));
    let xml = root.join("g.xml");
    std::fs::write(&xml, guest_with_volume_disk("vd")).unwrap();
    ok(virsh(uri, &["define", &xml.display().to_string()]));
    ok(virsh(uri, &["start", "vd"]));
    let pids = qemu_pids_under(root);
    assert_eq!(pids.len(), 1, "{pids:?}");
    let cmdline =
        String::from_utf8_lossy(&std::fs::read(format!("/proc/{}/cmdline", pids[0])).unwrap())
            .replace('\0', " ");
    let path = pool.join("disk0.img").display().to_string();
    assert!(
        cmdline.contains(&path),
        "QEMU does not open {path}: {cmdline}"
    );
    let out = ok(virsh(uri, &["dumpxml", "vd"]));
    assert!(
        out.contains("<source pool='images' volume='disk0.img'"),
        "{out}"
    );
    ok(virsh(uri, &["destroy", "vd"]));
    ok(virsh(uri, &["undefine", "vd"]));
}

#[test]
fn libvirtd_resolves_volume_disks_in_process() {
    assert!(have_qemu(), "QEMU is required (.ci/run installs it)");
    let d = Daemon::start("libvirtd", &[]);
    let _guard = QemuGuard(d.root.clone());
    run_guest_on_volume(
        &format!("qemu+unix:///system?socket={}", d.sock().display()),
        &d.root,
    );
}

#[test]
fn virtqemud_resolves_volume_disks_through_virtstoraged() {
    assert!(have_qemu(), "QEMU is required (.ci/run installs it)");
    let root = temp_root("voldisk");
    let _guard = QemuGuard(root.clone());
    let _s = Daemon::start_in("virtstoraged", &root, &[]);
    let q = Daemon::start_in("virtqemud", &root, &[]);
    run_guest_on_volume(
        &format!("qemu+unix:///system?socket={}", q.sock().display()),
        &root,
    );
}
