//! systemd units for every oxvirt daemon, written the way libvirt's build
//! renders its own: the same unit names (so socket activation hands the
//! daemons the fd names they claim), the same `Conflicts=` between the modular
//! and monolithic sockets and services, `Type=notify`, `--timeout 120` for the
//! modular daemons and `KillMode=process` where guests or helpers must outlive
//! a restart.

pub mod switch;

use std::fmt::Write as _;

/// Where the units point.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Directory of the daemon binaries (`/usr/sbin`).
    pub sbindir: String,
    /// Run-state directory (`/run`).
    pub runstatedir: String,
    /// Directory of the `EnvironmentFile=`s (`/etc/default` on Debian).
    pub initconfdir: String,
    /// Socket mode of the read-write sockets: 0666 with polkit, else 0600.
    pub polkit: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            sbindir: "/usr/sbin".into(),
            runstatedir: "/run".into(),
            initconfdir: "/etc/default".into(),
            polkit: true,
        }
    }
}

/// One daemon's unit-relevant facts.
#[derive(Debug, Clone, Copy)]
pub struct DaemonUnits {
    pub name: &'static str,
    pub description: &'static str,
    pub sock_prefix: &'static str,
    pub kind: Kind,
}

/// The three families of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// libvirtd.
    Monolithic,
    /// virtXd, virtproxyd (which adds -tcp and -tls sockets).
    Modular,
    /// virtlogd and virtlockd: no -ro socket, no timeout, no conflicts.
    Helper,
}

/// Every daemon oxvirt builds, in libvirt's order.
pub const DAEMONS: &[DaemonUnits] = &[
    DaemonUnits {
        name: "libvirtd",
        description: "Virtualization daemon",
        sock_prefix: "libvirt",
        kind: Kind::Monolithic,
    },
    DaemonUnits {
        name: "virtproxyd",
        description: "proxy daemon",
        sock_prefix: "libvirt",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtqemud",
        description: "QEMU daemon",
        sock_prefix: "virtqemud",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtxend",
        description: "Xen daemon",
        sock_prefix: "virtxend",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtnetworkd",
        description: "network daemon",
        sock_prefix: "virtnetworkd",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtstoraged",
        description: "storage daemon",
        sock_prefix: "virtstoraged",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtsecretd",
        description: "secret daemon",
        sock_prefix: "virtsecretd",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtnodedevd",
        description: "nodedev daemon",
        sock_prefix: "virtnodedevd",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtnwfilterd",
        description: "nwfilter daemon",
        sock_prefix: "virtnwfilterd",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtinterfaced",
        description: "interface daemon",
        sock_prefix: "virtinterfaced",
        kind: Kind::Modular,
    },
    DaemonUnits {
        name: "virtlogd",
        description: "logging daemon",
        sock_prefix: "virtlogd",
        kind: Kind::Helper,
    },
    DaemonUnits {
        name: "virtlockd",
        description: "locking daemon",
        sock_prefix: "virtlockd",
        kind: Kind::Helper,
    },
];

/// A generated unit file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub file_name: String,
    pub text: String,
}

fn unit(file_name: String, text: String) -> Unit {
    Unit { file_name, text }
}

/// Lines added to a daemon's `[Unit]` and `[Service]` sections, as libvirt's
/// per-driver "extra" snippets add them. `helpers` says whether virtlogd and
/// virtlockd units are installed alongside (the references are dropped when
/// they are not, so that the units still load).
fn extras(name: &str, helpers: bool) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut unit = Vec::new();
    let mut service = Vec::new();
    let mut also = Vec::new();
    let s = |v: &mut Vec<String>, l: &str| v.push(l.to_owned());
    match name {
        "virtqemud" | "libvirtd" => {
            if helpers {
                s(&mut unit, "Requires=virtlogd.socket");
                s(&mut unit, "Wants=virtlockd.socket");
                s(&mut unit, "After=virtlogd.socket");
                s(&mut unit, "After=virtlockd.socket");
                s(&mut also, "virtlogd.socket");
                s(&mut also, "virtlockd.socket");
            }
            s(&mut unit, "Wants=systemd-machined.service");
            s(&mut unit, "After=systemd-machined.service");
            s(&mut unit, "After=remote-fs.target");
            s(&mut service, "KillMode=process");
            s(&mut service, "LimitNOFILE=1024:524288");
            s(&mut service, "TasksMax=32768");
            s(&mut service, "LimitMEMLOCK=64M");
            if name == "libvirtd" {
                s(&mut unit, "After=iscsid.service");
                s(&mut unit, "After=xencommons.service");
                s(&mut unit, "Conflicts=xendomains.service");
            }
        }
        "virtxend" => {
            if helpers {
                s(&mut unit, "Wants=virtlockd.socket");
                s(&mut unit, "After=virtlockd.socket");
                s(&mut also, "virtlockd.socket");
            }
            s(&mut unit, "After=remote-fs.target");
            s(&mut unit, "After=xencommons.service");
            s(&mut unit, "Conflicts=xendomains.service");
            s(&mut unit, "ConditionPathExists=/proc/xen/capabilities");
            s(&mut service, "KillMode=process");
        }
        "virtnetworkd" => s(&mut service, "KillMode=process"),
        "virtstoraged" => {
            s(&mut unit, "After=iscsid.service");
            s(&mut unit, "After=remote-fs.target");
        }
        _ => {}
    }
    (unit, service, also)
}

fn header(d: &DaemonUnits) -> String {
    format!("libvirt {} (oxvirt)", d.description)
}

fn service(d: &DaemonUnits, l: &Layout, helpers: bool) -> Unit {
    let (extra_unit, extra_service, extra_also) = extras(d.name, helpers);
    let upper = d.name.to_uppercase();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "[Unit]\nDescription={}\nDocumentation=man:{}(8)",
        header(d),
        d.name
    );
    match d.kind {
        Kind::Monolithic => {
            for s in ["", "-ro", "-admin"] {
                let _ = writeln!(t, "Wants={}{s}.socket", d.name);
            }
            for s in ["", "-ro", "-admin"] {
                let _ = writeln!(t, "After={}{s}.socket", d.name);
            }
            t.push_str("After=network.target\nAfter=dbus.service\nAfter=apparmor.service\n");
        }
        Kind::Modular => {
            let _ = writeln!(t, "BindsTo={}.socket", d.name);
            let _ = writeln!(t, "Wants={0}-ro.socket\nWants={0}-admin.socket", d.name);
            for s in ["", "-ro", "-admin"] {
                let _ = writeln!(t, "After={}{s}.socket", d.name);
            }
            t.push_str("Conflicts=libvirtd.service\nAfter=libvirtd.service\n");
            t.push_str("After=network.target\nAfter=dbus.service\nAfter=apparmor.service\n");
        }
        Kind::Helper => {
            let _ = writeln!(t, "BindsTo={0}.socket\nWants={0}-admin.socket", d.name);
            let _ = writeln!(t, "After={0}.socket\nAfter={0}-admin.socket", d.name);
        }
    }
    for x in &extra_unit {
        let _ = writeln!(t, "{x}");
    }
    let args = match d.kind {
        Kind::Helper => String::new(),
        _ => "\"--timeout 120\"".to_owned(),
    };
    let _ = writeln!(t, "\n[Service]\nType=notify");
    let _ = writeln!(t, "Environment={upper}_ARGS={args}");
    let _ = writeln!(t, "EnvironmentFile=-{}/{}", l.initconfdir, d.name);
    let _ = writeln!(t, "ExecStart={}/{} ${upper}_ARGS", l.sbindir, d.name);
    match d.kind {
        Kind::Helper => {
            // Re-exec keeping state and descriptors, not a driver reload.
            t.push_str("ExecReload=/bin/kill -USR1 $MAINPID\nOOMScoreAdjust=-900\nLimitNOFILE=1024:524288\n");
        }
        _ => t.push_str("ExecReload=/bin/kill -HUP $MAINPID\nRestart=on-failure\n"),
    }
    for x in &extra_service {
        let _ = writeln!(t, "{x}");
    }
    let _ = writeln!(t, "\n[Install]\nWantedBy=multi-user.target");
    let sockets: &[&str] = match d.kind {
        Kind::Helper => &["", "-admin"],
        _ => &["", "-ro", "-admin"],
    };
    for s in sockets {
        let _ = writeln!(t, "Also={}{s}.socket", d.name);
    }
    for x in &extra_also {
        let _ = writeln!(t, "Also={x}");
    }
    unit(format!("{}.service", d.name), t)
}

fn socket(d: &DaemonUnits, l: &Layout, suffix: &str) -> Unit {
    let what = match suffix {
        "" => "local socket",
        "-ro" => "local read-only socket",
        "-admin" => "admin socket",
        "-tcp" => "non-TLS IP socket",
        _ => "TLS IP socket",
    };
    let mut t = String::new();
    let _ = writeln!(t, "[Unit]\nDescription={} {what}", header(d));
    let _ = writeln!(t, "Before={}.service", d.name);
    if !suffix.is_empty() {
        let _ = writeln!(t, "BindsTo={0}.socket\nAfter={0}.socket", d.name);
    }
    if d.kind == Kind::Modular {
        let _ = writeln!(
            t,
            "Conflicts=libvirtd{suffix}.socket\nAfter=libvirtd{suffix}.socket"
        );
    }
    t.push_str("\n[Socket]\n");
    let mode = match suffix {
        "" if l.polkit && d.kind != Kind::Helper => Some("0666"),
        "" | "-admin" => Some("0600"),
        "-ro" => Some("0666"),
        _ => None,
    };
    match suffix {
        "-tcp" => t.push_str("ListenStream=16509\n"),
        "-tls" => t.push_str("ListenStream=16514\n"),
        _ => {
            let path_suffix = match suffix {
                "" => "-sock".to_owned(),
                "-ro" => "-sock-ro".to_owned(),
                _ => "-admin-sock".to_owned(),
            };
            // virtproxyd shares libvirtd's socket paths but not its admin one.
            let prefix = if suffix == "-admin" && d.name == "virtproxyd" {
                d.name
            } else {
                d.sock_prefix
            };
            let _ = writeln!(
                t,
                "ListenStream={}/libvirt/{prefix}{path_suffix}",
                l.runstatedir
            );
        }
    }
    let _ = writeln!(t, "Service={}.service", d.name);
    if let Some(m) = mode {
        let _ = writeln!(t, "SocketMode={m}");
    }
    if matches!(suffix, "" | "-ro" | "-admin") {
        t.push_str("RemoveOnStop=yes\n");
    }
    let _ = writeln!(t, "\n[Install]\nWantedBy=sockets.target");
    if suffix.is_empty() {
        let others: &[&str] = match d.kind {
            Kind::Helper => &["-admin"],
            _ => &["-ro", "-admin"],
        };
        for o in others {
            let _ = writeln!(t, "Also={}{o}.socket", d.name);
        }
    }
    unit(format!("{}{suffix}.socket", d.name), t)
}

/// Every unit of the given daemons. `helpers` tells whether virtlogd and
/// virtlockd are among them (other units reference their sockets only then).
pub fn units(daemons: &[&DaemonUnits], l: &Layout) -> Vec<Unit> {
    let helpers = daemons.iter().any(|d| d.name == "virtlogd")
        && daemons.iter().any(|d| d.name == "virtlockd");
    let mut out = Vec::new();
    for d in daemons {
        out.push(service(d, l, helpers));
        let suffixes: &[&str] = match (d.kind, d.name) {
            (Kind::Helper, _) => &["", "-admin"],
            (_, "libvirtd" | "virtproxyd") => &["", "-ro", "-admin", "-tcp", "-tls"],
            _ => &["", "-ro", "-admin"],
        };
        for s in suffixes {
            out.push(socket(d, l, s));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(u: &'a [Unit], name: &str) -> &'a str {
        &u.iter().find(|x| x.file_name == name).unwrap().text
    }

    #[test]
    fn modular_units_conflict_with_monolithic_ones() {
        let all: Vec<&DaemonUnits> = DAEMONS.iter().collect();
        let u = units(&all, &Layout::default());
        let svc = find(&u, "virtqemud.service");
        assert!(svc.contains("Conflicts=libvirtd.service"));
        assert!(svc.contains("Type=notify"));
        assert!(svc.contains("KillMode=process"));
        assert!(svc.contains("Environment=VIRTQEMUD_ARGS=\"--timeout 120\""));
        assert!(svc.contains("Requires=virtlogd.socket"));
        let ro = find(&u, "virtqemud-ro.socket");
        assert!(ro.contains("ListenStream=/run/libvirt/virtqemud-sock-ro"));
        assert!(ro.contains("Conflicts=libvirtd-ro.socket"));
        assert!(!find(&u, "libvirtd.socket").contains("Conflicts="));
        assert!(find(&u, "virtproxyd-admin.socket").contains("/run/libvirt/virtproxyd-admin-sock"));
        assert!(find(&u, "virtproxyd.socket").contains("/run/libvirt/libvirt-sock"));
        assert!(find(&u, "virtproxyd-tls.socket").contains("ListenStream=16514"));
        assert!(find(&u, "virtlogd.service").contains("ExecReload=/bin/kill -USR1 $MAINPID"));
    }

    #[test]
    fn helper_references_vanish_without_helpers() {
        let some: Vec<&DaemonUnits> = DAEMONS.iter().filter(|d| d.kind != Kind::Helper).collect();
        let u = units(&some, &Layout::default());
        assert!(!find(&u, "virtqemud.service").contains("virtlogd"));
    }
}
