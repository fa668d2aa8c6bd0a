//! `oxvirt-deploy`: switches a host between monolithic libvirtd and the
//! modular daemons (see `docs/deployment.md`).
//!
//! ```text
//! oxvirt-deploy monolithic [--dry-run]
//! oxvirt-deploy modular [--drivers qemu,storage,...] [--tls] [--dry-run]
//! oxvirt-deploy status
//! ```

use oxvirt_units::switch::{plan, Target, DEFAULT_DRIVERS};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(verb) = args.first() else {
        eprintln!(
            "usage: oxvirt-deploy monolithic|modular|status [--drivers a,b] [--tls] [--dry-run]"
        );
        return ExitCode::FAILURE;
    };
    let dry = args.iter().any(|a| a == "--dry-run");
    let tls = args.iter().any(|a| a == "--tls");
    let drivers: Vec<String> = match args.iter().position(|a| a == "--drivers") {
        Some(i) => match args.get(i + 1) {
            Some(list) => list.split(',').map(str::to_owned).collect(),
            None => {
                eprintln!("oxvirt-deploy: --drivers needs a list");
                return ExitCode::FAILURE;
            }
        },
        None => DEFAULT_DRIVERS.iter().map(|s| (*s).to_owned()).collect(),
    };
    let target = match verb.as_str() {
        "monolithic" => Target::Monolithic,
        "modular" => Target::Modular,
        "status" => {
            let st = Command::new("systemctl")
                .args(["is-active", "virtqemud.socket", "libvirtd.socket"])
                .output();
            return match st {
                Ok(o) => {
                    let text = String::from_utf8_lossy(&o.stdout);
                    let mut lines = text.lines();
                    let modular = lines.next() == Some("active");
                    let mono = lines.next() == Some("active");
                    println!(
                        "{}",
                        match (modular, mono) {
                            (true, false) => "modular",
                            (false, true) => "monolithic",
                            (true, true) =>
                                "conflicting: both libvirtd and virtqemud sockets are active",
                            (false, false) => "inactive",
                        }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("oxvirt-deploy: cannot run systemctl: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        other => {
            eprintln!("oxvirt-deploy: unknown action '{other}'");
            return ExitCode::FAILURE;
        }
    };
    let drivers: Vec<&str> = drivers.iter().map(String::as_str).collect();
    for step in plan(target, &drivers, tls) {
        println!("systemctl {}", step.join(" "));
        if dry {
            continue;
        }
        match Command::new("systemctl").args(&step).status() {
            // Stopping or disabling units that are not installed is fine.
            Ok(s) if s.success() || matches!(step[0].as_str(), "stop" | "disable") => {}
            Ok(s) => {
                eprintln!("oxvirt-deploy: systemctl {} failed ({s})", step[0]);
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("oxvirt-deploy: cannot run systemctl: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
