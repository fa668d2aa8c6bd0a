//! `virtnodedevd`: libvirt's modular host device daemon.
//!
//! Its driver is not built yet: the daemon serves its sockets (and its admin
//! server), and a client opening the driver's URI gets libvirt's answer for a
//! driver that is not there ("no connection driver available for …").

use oxvirt_daemon::{run, DaemonSpec};
use std::process::ExitCode;

fn main() -> ExitCode {
    run::main(DaemonSpec::modular("virtnodedevd", &[]))
}
