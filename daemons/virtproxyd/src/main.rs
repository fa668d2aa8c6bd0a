//! `virtproxyd`: the legacy `libvirt-sock` paths (and TCP/TLS) in a modular
//! deployment. A client opening `qemu:///system` is relayed to virtqemud,
//! `network:///system` to virtnetworkd, and so on; `test:///default` is served
//! in-process, as libvirt's library serves it.

use oxvirt_daemon::{run, DaemonFlavor, DaemonSpec, DriverEntry, DriverEnv};
use oxvirt_driver::ConnectDriver;
use std::process::ExitCode;
use std::sync::Arc;

fn test_driver(_env: &DriverEnv) -> Result<Arc<dyn ConnectDriver>, String> {
    Ok(Arc::new(oxvirt_driver_test::TestDriver::new()))
}

const DRIVERS: &[DriverEntry] = &[DriverEntry {
    state: None,
    schemes: &["test"],
    build: test_driver,
}];

fn main() -> ExitCode {
    run::main(DaemonSpec {
        name: "virtproxyd",
        sock_prefix: "libvirt",
        flavor: DaemonFlavor::Virtproxyd,
        has_listen: false,
        drivers: DRIVERS,
    })
}
