//! The runtime every oxvirt daemon binary shares.
//!
//! A binary describes itself with a [`DaemonSpec`] (its name, socket prefix,
//! config flavour and the drivers it loads) and hands it to [`run::main`]. The
//! runtime does the rest the way libvirt's daemons do: flags, the config file,
//! system or session paths (relocated by `--root`), the pid-file lock, logging,
//! the UNIX listeners (bound, or inherited through socket activation), the main
//! server speaking the remote program and the `admin` server speaking the admin
//! program, signals and idle exit.
//!
//! This crate is the only one that knows both the wire (`oxvirt-protocol`,
//! `oxvirt-rpc`) and the drivers (`oxvirt-driver`).

pub mod activation;
pub mod admin;
pub mod args;
pub mod drivers;
pub mod logging;
pub mod net;
pub mod paths;
pub mod pidfile;
pub mod remote;
pub mod run;
pub mod sasl;

pub use oxvirt_conffile::daemon::DaemonFlavor;
use oxvirt_driver::ConnectDriver;
use std::sync::Arc;

/// What the runtime knows when it builds the drivers.
#[derive(Debug, Clone)]
pub struct DriverEnv {
    pub paths: paths::DaemonPaths,
    pub privileged: bool,
}

/// How one driver is built, and the state lock it holds while it lives.
#[derive(Clone, Copy)]
pub struct DriverEntry {
    /// The driver's state name ("qemu", "storage", …): its run directory is
    /// `<run_dir>/<name>`, where it holds `driver.pid` so that libvirtd and a
    /// modular daemon never run the same driver at once. `None` for stateless
    /// drivers (test).
    pub state: Option<&'static str>,
    /// The URI schemes it opens ("qemu", "test"); a client opening another
    /// scheme never waits for this driver to start. Empty: ask it anyway.
    pub schemes: &'static [&'static str],
    /// Builds the driver; an error is a driver initialisation failure.
    pub build: fn(&DriverEnv) -> Result<Arc<dyn ConnectDriver>, String>,
}

/// A daemon binary, described.
pub struct DaemonSpec {
    /// Binary, config, pid-file and systemd fd names: "libvirtd", "virtqemud".
    pub name: &'static str,
    /// Socket file prefix: "libvirt" for libvirtd and virtproxyd, else the name.
    pub sock_prefix: &'static str,
    pub flavor: DaemonFlavor,
    /// Whether `-l/--listen` exists (libvirtd only).
    pub has_listen: bool,
    /// The drivers, in the order a probing client tries them. A modular
    /// daemon treats a driver that fails to start (or whose state lock is
    /// held elsewhere) as fatal; libvirtd carries on without it, as libvirt's.
    pub drivers: &'static [DriverEntry],
}

impl DaemonSpec {
    /// A modular per-driver daemon (`virtDRIVERd`).
    pub const fn modular(name: &'static str, drivers: &'static [DriverEntry]) -> DaemonSpec {
        DaemonSpec {
            name,
            sock_prefix: name,
            flavor: DaemonFlavor::Modular,
            has_listen: false,
            drivers,
        }
    }
}
