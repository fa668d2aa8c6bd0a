//! `libvirtd`: the monolithic daemon, every driver in one process.

use oxvirt_daemon::{run, DaemonSpec, DriverEnv};
use oxvirt_driver::ConnectDriver;
use std::process::ExitCode;
use std::sync::Arc;

fn drivers(_env: &DriverEnv) -> Vec<Arc<dyn ConnectDriver>> {
    vec![Arc::new(oxvirt_driver_test::TestDriver::new())]
}

fn main() -> ExitCode {
    run::main(DaemonSpec {
        name: "libvirtd",
        sock_prefix: "libvirt",
        flavor: oxvirt_daemon::DaemonFlavor::Libvirtd,
        has_listen: true,
        drivers,
    })
}
