//! `oxvirt-units`: writes the systemd units of the daemons found in a
//! directory of binaries.
//!
//! ```text
//! oxvirt-units --sbindir /usr/sbin --unitdir /usr/lib/systemd/system [--initconfdir /etc/default] [--runstatedir /run] [--no-polkit] [--all]
//! ```

use oxvirt_units::{units, Layout, DAEMONS};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut layout = Layout::default();
    let mut unitdir: Option<PathBuf> = None;
    let mut all = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |flag: &str| match args.next() {
            Some(v) => Ok(v),
            None => Err(format!("{flag} needs a value")),
        };
        let r = match a.as_str() {
            "--sbindir" => value(&a).map(|v| layout.sbindir = v),
            "--unitdir" => value(&a).map(|v| unitdir = Some(PathBuf::from(v))),
            "--initconfdir" => value(&a).map(|v| layout.initconfdir = v),
            "--runstatedir" => value(&a).map(|v| layout.runstatedir = v),
            "--no-polkit" => {
                layout.polkit = false;
                Ok(())
            }
            "--all" => {
                all = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("usage: oxvirt-units --sbindir DIR --unitdir DIR [--initconfdir DIR] [--runstatedir DIR] [--no-polkit] [--all]");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown option {other}")),
        };
        if let Err(e) = r {
            eprintln!("oxvirt-units: {e}");
            return ExitCode::FAILURE;
        }
    }
    let Some(unitdir) = unitdir else {
        eprintln!("oxvirt-units: --unitdir is required");
        return ExitCode::FAILURE;
    };
    let present: Vec<_> = DAEMONS
        .iter()
        .filter(|d| all || PathBuf::from(&layout.sbindir).join(d.name).exists())
        .collect();
    if let Err(e) = std::fs::create_dir_all(&unitdir) {
        eprintln!("oxvirt-units: cannot create {}: {e}", unitdir.display());
        return ExitCode::FAILURE;
    }
    for u in units(&present, &layout) {
        let path = unitdir.join(&u.file_name);
        if let Err(e) = std::fs::write(&path, &u.text) {
            eprintln!("oxvirt-units: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), "{}", path.display());
    }
    ExitCode::SUCCESS
}
