//! The one test that runs QEMU: probe the host's `qemu-system-x86_64`
//! (skipped when there is none), through a cache shared by every run under
//! the target directory, and check the documents built from it.
//!
//! `OXVIRT_CAPTURE_CAPS=1` also writes the probe result as the golden
//! tests' capabilities snapshot (`tests/data/caps/x86_64.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oxvirt_driver_qemu::caps::{self, host::HostInfo, xml, CapsCache};
use std::path::{Path, PathBuf};

fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("qemu-caps-cache")
}

#[test]
fn host_qemu_is_probed_once_and_described() {
    let Some(binary) = caps::find_emulator("x86_64") else {
        eprintln!("no qemu-system-x86_64: skipped");
        return;
    };
    let cache = CapsCache::new(cache_dir());
    let c = cache.lookup(&binary).unwrap();
    assert_eq!(c.arch, "x86_64");
    assert!(c.version >= 2_012_000);
    assert!(c.machine("q35").is_some());
    assert!(c.has_command("query-kvm"));
    assert!(c.has_type("virtio-blk-pci"));
    assert!(cache.file_for(&binary).exists());
    // A second cache over the same directory reads the file, no probe.
    let again = CapsCache::new(cache_dir()).lookup(&binary).unwrap();
    assert_eq!(*again, *c);

    let host = HostInfo::detect();
    let doc = xml::capabilities_xml(
        &host,
        &[&c],
        None,
        &xml::SecurityInfo::dac(0, 0),
        caps::kvm_usable(),
    );
    assert!(doc.contains("<domain type='qemu'/>"));
    assert!(doc.contains("canonical="));
    let dom = xml::domain_capabilities_xml(
        &c,
        &host,
        &caps::firmware::load_system(),
        &xml::DomCapsRequest::default(),
        caps::kvm_usable(),
    )
    .unwrap();
    assert!(dom.contains("<domainCapabilities>"));

    if std::env::var_os("OXVIRT_CAPTURE_CAPS").is_some() {
        let mut snap = (*c).clone();
        snap.emulator = "/usr/bin/qemu-system-x86_64".into();
        snap.kvm = true;
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/caps/x86_64.json");
        std::fs::write(out, snap.to_json() + "\n").unwrap();
    }
}
