//! Checks a daemon configuration file the way the daemon would at startup and
//! prints the resulting settings, or the error with its file, line and key.
//!
//! ```text
//! cargo run -p oxvirt-conffile --example check_conf -- /etc/libvirt/libvirtd.conf libvirtd
//! ```
//!
//! The second argument is `libvirtd`, `virtproxyd` or anything else for a
//! modular daemon; add `--session` for session-mode defaults.

use std::path::PathBuf;
use std::process::ExitCode;

use oxvirt_conffile::daemon::{DaemonFlavor, DaemonSettings};
use oxvirt_conffile::Conf;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("usage: check_conf FILE [libvirtd|virtproxyd|virtqemud] [--session]");
        return ExitCode::FAILURE;
    };
    let flavor = match args.get(1).map(String::as_str) {
        Some("libvirtd") | None => DaemonFlavor::Libvirtd,
        Some("virtproxyd") => DaemonFlavor::Virtproxyd,
        Some(_) => DaemonFlavor::Modular,
    };
    let privileged = !args.iter().any(|a| a == "--session");

    let settings = Conf::read_file(&path)
        .and_then(|conf| DaemonSettings::from_conf(&conf, flavor, privileged));
    match settings {
        Ok(settings) => {
            println!("{settings:#?}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
