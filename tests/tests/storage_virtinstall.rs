//! virt-install's `--disk vol=POOL/VOL`: the guest's disk comes from a
//! storage pool, reached through the hypervisor connection — in-process in
//! libvirtd, passed on to virtstoraged by virtqemud.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod storage_common;

use oxvirt_tests::{have_qemu, ok, run, stderr, virsh, Daemon, QemuGuard};
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use storage_common::*;

fn install_from_pool(uri: &str, pool_dir: &Path) {
    ok(virsh(
        uri,
        &[
            "pool-create-as",
            "vms",
            "dir",
            "--target",
            pool_dir.to_str().unwrap(),
            "--build",
        ],
    ));
    ok(virsh(
        uri,
        &[
            "vol-create-as",
            "vms",
            "root.qcow2",
            "64M",
            "--format",
            "qcow2",
        ],
    ));
    let out = run(
        Command::new("virt-install")
            .args([
                "--connect",
                uri,
                "--import",
                "--noautoconsole",
                "--name",
                "vol1",
            ])
            .args(["--memory", "128", "--vcpus", "1", "--osinfo", "linux2022"])
            .args(["--cpu", "qemu64", "--graphics", "none", "--network", "none"])
            .args(["--disk", "vol=vms/root.qcow2,bus=virtio"]),
        Duration::from_secs(120),
    );
    assert!(
        out.status.success(),
        "virt-install failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    let disks = ok(virsh(uri, &["domblklist", "vol1"]));
    let path = pool_dir.join("root.qcow2");
    assert!(
        disks.contains(&path.display().to_string()),
        "the guest's disk is not the pool's volume: {disks}"
    );
    assert!(ok(virsh(uri, &["list"])).contains("running"));
    ok(virsh(uri, &["destroy", "vol1"]));
    ok(virsh(uri, &["undefine", "vol1"]));
    // The volume is still the pool's, and can go now.
    ok(virsh(uri, &["vol-delete", "--pool", "vms", "root.qcow2"]));
    ok(virsh(uri, &["pool-destroy", "vms"]));
}

fn skip() -> bool {
    if !have_qemu() || !Path::new("/usr/bin/virt-install").exists() {
        eprintln!("SKIPPED virt-install --disk vol=: qemu or virt-install missing");
        return true;
    }
    false
}

#[test]
fn virt_install_takes_its_disk_from_a_pool_on_libvirtd() {
    if skip() {
        return;
    }
    let s = Scratch::new("st-vi-libvirtd");
    let root_dir = Scratch::new("vil");
    let root = root_dir.0.clone();
    let _guard = QemuGuard(root.clone());
    let d = Daemon::start_in("libvirtd", &root, &[]);
    let uri = format!("qemu+unix:///system?socket={}", d.sock().display());
    install_from_pool(&uri, &s.path("pool"));
}

#[test]
fn virt_install_takes_its_disk_from_a_pool_on_a_modular_host() {
    if skip() {
        return;
    }
    let s = Scratch::new("st-vi-modular");
    let root_dir = Scratch::new("vim");
    let root = root_dir.0.clone();
    let _guard = QemuGuard(root.clone());
    let _storage = Daemon::start_in("virtstoraged", &root, &[]);
    let d = Daemon::start_in("virtqemud", &root, &[]);
    let uri = format!("qemu+unix:///system?socket={}", d.sock().display());
    install_from_pool(&uri, &s.path("pool"));
}
