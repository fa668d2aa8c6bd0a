//! `virtqemud`: the modular QEMU daemon. Until the QEMU driver lands it serves
//! the test driver, as the issue asks of both daemons.

use oxvirt_daemon::{run, DaemonSpec, DriverEnv};
use oxvirt_driver::ConnectDriver;
use std::process::ExitCode;
use std::sync::Arc;

fn drivers(_env: &DriverEnv) -> Vec<Arc<dyn ConnectDriver>> {
    vec![Arc::new(oxvirt_driver_test::TestDriver::new())]
}

fn main() -> ExitCode {
    run::main(DaemonSpec {
        name: "virtqemud",
        sock_prefix: "virtqemud",
        flavor: oxvirt_daemon::DaemonFlavor::Modular,
        has_listen: false,
        drivers,
    })
}
