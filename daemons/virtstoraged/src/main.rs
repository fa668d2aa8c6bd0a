//! `virtstoraged`: libvirt's modular storage daemon. It serves
//! `storage:///system` (`storage:///session` unprivileged); virtqemud passes
//! its clients' storage calls here.

use oxvirt_daemon::{run, DaemonSpec, DriverEntry, DriverEnv};
use oxvirt_driver::ConnectDriver;
use oxvirt_driver_storage::StorageConnectDriver;
use std::process::ExitCode;
use std::sync::Arc;

fn storage_driver(env: &DriverEnv) -> Result<Arc<dyn ConnectDriver>, String> {
    let d = StorageConnectDriver::for_daemon(
        &env.paths.config_dir,
        &env.paths.run_dir,
        env.privileged,
    )?;
    Ok(d)
}

const DRIVERS: &[DriverEntry] = &[DriverEntry {
    state: Some("storage"),
    schemes: &["storage"],
    build: storage_driver,
}];

fn main() -> ExitCode {
    run::main(DaemonSpec::modular("virtstoraged", DRIVERS))
}
