//! The monolithic ↔ modular switch, as systemctl commands.
//!
//! Moving a host between `libvirtd` and the per-driver daemons is a matter of
//! which units are enabled and started: stop and disable one side's service
//! and sockets, enable the other side's and start only its sockets (socket
//! activation starts the services on first use). Guests survive because the
//! hypervisor services run with `KillMode=process` and re-attach to running
//! QEMU processes from the shared state directories. The units' `Conflicts=`
//! make a half-switched host fail loudly instead of running a driver twice.

/// Which deployment to move to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Monolithic,
    Modular,
}

/// The modular drivers enabled by default, as libvirt's packaging does.
pub const DEFAULT_DRIVERS: &[&str] = &[
    "qemu",
    "network",
    "nodedev",
    "nwfilter",
    "secret",
    "storage",
    "interface",
];

fn sockets(daemon: &str, net: bool) -> Vec<String> {
    let mut v = vec![
        format!("{daemon}.socket"),
        format!("{daemon}-ro.socket"),
        format!("{daemon}-admin.socket"),
    ];
    if net {
        v.push(format!("{daemon}-tcp.socket"));
        v.push(format!("{daemon}-tls.socket"));
    }
    v
}

/// The systemctl invocations (arguments after `systemctl`) that move a host to
/// `target`. `drivers` are the modular drivers to enable; `tls` also enables
/// virtproxyd's TLS socket for remote clients.
pub fn plan(target: Target, drivers: &[&str], tls: bool) -> Vec<Vec<String>> {
    let monolithic_units = {
        let mut v = vec!["libvirtd.service".to_owned()];
        v.extend(sockets("libvirtd", true));
        v
    };
    let mut modular_units = Vec::new();
    let mut modular_sockets = Vec::new();
    for d in drivers {
        let daemon = format!("virt{d}d");
        modular_units.push(format!("{daemon}.service"));
        modular_units.extend(sockets(&daemon, false));
        modular_sockets.extend(sockets(&daemon, false));
    }
    modular_units.push("virtproxyd.service".to_owned());
    modular_units.extend(sockets("virtproxyd", true));
    modular_sockets.extend(sockets("virtproxyd", false));
    if tls {
        modular_sockets.push("virtproxyd-tls.socket".to_owned());
    }
    let cmd = |verb: &str, units: &[String]| {
        let mut c = vec![verb.to_owned()];
        c.extend(units.iter().cloned());
        c
    };
    match target {
        Target::Monolithic => {
            let start = sockets("libvirtd", false);
            let mut enable = vec!["libvirtd.service".to_owned()];
            enable.extend(start.iter().cloned());
            vec![
                cmd("stop", &modular_units),
                cmd("disable", &modular_units),
                cmd("enable", &enable),
                cmd("start", &start),
            ]
        }
        Target::Modular => {
            let mut enable: Vec<String> = drivers
                .iter()
                .map(|d| format!("virt{d}d.service"))
                .collect();
            enable.push("virtproxyd.service".to_owned());
            enable.extend(modular_sockets.iter().cloned());
            vec![
                cmd("stop", &monolithic_units),
                cmd("disable", &monolithic_units),
                cmd("enable", &enable),
                cmd("start", &modular_sockets),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_modular_stops_libvirtd_and_starts_sockets_only() {
        let p = plan(Target::Modular, &["qemu", "storage"], false);
        assert_eq!(p[0][0], "stop");
        assert!(p[0].contains(&"libvirtd.service".to_owned()));
        assert!(p[0].contains(&"libvirtd-tls.socket".to_owned()));
        assert_eq!(p[3][0], "start");
        assert!(p[3].iter().all(|u| u == "start" || u.ends_with(".socket")));
        assert!(p[3].contains(&"virtqemud.socket".to_owned()));
        assert!(p[3].contains(&"virtproxyd.socket".to_owned()));
    }

    #[test]
    fn to_monolithic_disables_every_modular_unit() {
        let p = plan(Target::Monolithic, DEFAULT_DRIVERS, true);
        assert!(p[1].contains(&"virtqemud-admin.socket".to_owned()));
        assert!(p[1].contains(&"virtproxyd-tls.socket".to_owned()));
        assert_eq!(
            p[3],
            vec![
                "start",
                "libvirtd.socket",
                "libvirtd-ro.socket",
                "libvirtd-admin.socket"
            ]
        );
    }
}
