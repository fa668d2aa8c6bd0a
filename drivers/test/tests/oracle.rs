#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Output compared with what libvirt 9.0's test driver gives for the same
//! calls (the files under tests/data were captured from it).

use oxvirt_driver::{ConnectDriver, ConnectUri, HypervisorConnection, OpenContext};
use oxvirt_driver_test::TestDriver;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn fixed_random() -> [u8; 16] {
    [7; 16]
}

fn open() -> std::sync::Arc<dyn HypervisorConnection> {
    let drv = Box::leak(Box::new(TestDriver::with_random(fixed_random)));
    let uri = ConnectUri::parse("test:///default").unwrap();
    drv.open(&uri, &OpenContext::default()).unwrap().unwrap()
}

fn check(name: &str, actual: &str) {
    let path = data(name);
    if std::env::var_os("VIR_TEST_REGENERATE_OUTPUT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(actual, expected, "mismatch with {}", path.display());
}

#[test]
fn default_domain_xml_matches_libvirt() {
    let c = open();
    let d = c.lookup_domain_by_name("test").unwrap();
    check(
        "default-test-live.xml",
        &c.domain_get_xml_desc(&d, 0).unwrap(),
    );
    check(
        "default-test-inactive.xml",
        &c.domain_get_xml_desc(&d, 2).unwrap(),
    );
}

#[test]
fn capabilities_match_libvirt() {
    let c = open();
    check("capabilities.xml", &c.get_capabilities().unwrap());
}
