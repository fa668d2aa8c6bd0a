//! `libvirtd`: the monolithic daemon, every driver in one process.

use oxvirt_daemon::{run, DaemonSpec, DriverEntry, DriverEnv};
use oxvirt_driver::ConnectDriver;
use std::process::ExitCode;
use std::sync::Arc;

fn qemu_driver(env: &DriverEnv) -> Result<Arc<dyn ConnectDriver>, String> {
    let p = &env.paths;
    let dirs = oxvirt_driver_qemu::driver::DriverDirs {
        config: p.config_dir.clone(),
        run: p.run_dir.clone(),
        lib: p.state_dir.clone(),
        log: p.log_dir.clone(),
        cache: p.cache_dir.clone(),
        privileged: env.privileged,
    };
    Ok(Arc::new(oxvirt_driver_qemu::driver::QemuDriver::new(
        &dirs,
    )?))
}

fn test_driver(_env: &DriverEnv) -> Result<Arc<dyn ConnectDriver>, String> {
    Ok(Arc::new(oxvirt_driver_test::TestDriver::new()))
}

fn storage_driver(env: &DriverEnv) -> Result<Arc<dyn ConnectDriver>, String> {
    let d = oxvirt_driver_storage::StorageConnectDriver::for_daemon(
        &env.paths.config_dir,
        &env.paths.run_dir,
        env.privileged,
    )?;
    Ok(d)
}

const DRIVERS: &[DriverEntry] = &[
    DriverEntry {
        state: Some("qemu"),
        schemes: &["qemu"],
        build: qemu_driver,
    },
    DriverEntry {
        state: None,
        schemes: &["test"],
        build: test_driver,
    },
    DriverEntry {
        state: Some("storage"),
        schemes: &["storage"],
        build: storage_driver,
    },
];

fn main() -> ExitCode {
    run::main(DaemonSpec {
        name: "libvirtd",
        sock_prefix: "libvirt",
        flavor: oxvirt_daemon::DaemonFlavor::Libvirtd,
        has_listen: true,
        drivers: DRIVERS,
    })
}
