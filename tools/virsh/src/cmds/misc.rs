//! `nwfilter-*`, `nodedev-*` and `iface-*`.

use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::table::Table;
use crate::vsh::{CmdResult, Failed};
use crate::{extra, out};
use oxvirt_client::{ErrorCode, Interface, Legacy, NodeDevice, NwFilter, Wait};

// ---------------------------------------------------------------- nwfilter

fn nwfilter(ctl: &mut Ctl, cmd: &Cmd) -> Result<NwFilter, Failed> {
    let n = cmd.string_req(ctl, "nwfilter")?.to_owned();
    let c = ctl.conn()?;
    let mut f = None;
    if n.len() == 36 {
        if let Ok(u) = n.parse() {
            f = ctl.wait(c.nwfilter_lookup_by_uuid(&u)).ok();
        }
    }
    if f.is_none() {
        f = ctl.wait(c.nwfilter_lookup_by_name(&n)).ok();
    }
    match f {
        Some(f) => {
            ctl.reset_error();
            Ok(f)
        }
        None => ctl.fail(&format!("failed to get nwfilter '{n}'")),
    }
}

/// `nwfilter-list`.
pub fn nwfilter_list(ctl: &mut Ctl, _cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let mut filters = match c.list_all_nwfilters(0).wait() {
        Ok(f) => f,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let Ok(n) = ctl.wait(c.legacy_count(Legacy::NwFilters)) else {
                return ctl.fail("Failed to count network filters");
            };
            let mut v = Vec::new();
            if n > 0 {
                let Ok(names) = ctl.wait(c.legacy_names(Legacy::NwFilters, n)) else {
                    return ctl.fail("Failed to list network filters");
                };
                for name in names {
                    if let Ok(f) = c.nwfilter_lookup_by_name(&name).wait() {
                        v.push(f);
                    }
                }
            }
            v
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list network filters");
        }
    };
    filters.sort_by_key(|f| f.name().to_lowercase());
    let mut t = Table::new(&["UUID", "Name"]);
    for f in &filters {
        t.row(vec![f.uuid().to_string(), f.name().to_owned()]);
    }
    t.print(ctl);
    Ok(())
}

/// `nwfilter-define <file>`.
pub fn nwfilter_define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(f) = ctl.wait(c.nwfilter_define_xml(&xml)) else {
        return ctl.fail(&format!("Failed to define network filter from {from}"));
    };
    extra!(ctl, "Network filter {} defined from {from}\n", f.name());
    Ok(())
}

/// `nwfilter-undefine <nwfilter>`.
pub fn nwfilter_undefine(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let f = nwfilter(ctl, cmd)?;
    if ctl.wait(f.undefine()).is_err() {
        return ctl.fail(&format!("Failed to undefine network filter {}", f.name()));
    }
    extra!(ctl, "Network filter {} undefined\n", f.name());
    Ok(())
}

/// `nwfilter-dumpxml <nwfilter>`.
pub fn nwfilter_dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let f = nwfilter(ctl, cmd)?;
    let xml = ctl.wait(f.get_xml_desc(0))?;
    out!(ctl, "{xml}");
    Ok(())
}

// ---------------------------------------------------------------- nodedev

const CAPS: [&str; 22] = [
    "system",
    "pci",
    "usb_device",
    "usb",
    "net",
    "scsi_host",
    "scsi_target",
    "scsi",
    "storage",
    "fc_host",
    "vports",
    "scsi_generic",
    "drm",
    "mdev_types",
    "mdev",
    "ccw",
    "css",
    "vdpa",
    "ap_card",
    "ap_queue",
    "ap_matrix",
    "vpd",
];

fn nodedev(ctl: &mut Ctl, cmd: &Cmd) -> Result<NodeDevice, Failed> {
    let n = cmd.string_req(ctl, "device")?.to_owned();
    let c = ctl.conn()?;
    match ctl.wait(c.node_device_lookup_by_name(&n)) {
        Ok(d) => Ok(d),
        Err(f) => {
            ctl.error(&format!("Could not find matching device '{n}'"));
            Err(f)
        }
    }
}

fn print_tree(
    ctl: &mut Ctl,
    names: &[String],
    parents: &[Option<String>],
    dev: usize,
    last: usize,
    root: bool,
    indent: &mut String,
) {
    out!(
        ctl,
        "{}{}{}\n",
        indent,
        if root { "" } else { "+- " },
        names[dev]
    );
    if !root {
        indent.push(if dev == last { ' ' } else { '|' });
        indent.push(' ');
    }
    let children: Vec<usize> = (0..names.len())
        .filter(|i| parents[*i].as_deref() == Some(names[dev].as_str()))
        .collect();
    let next_last = children.last().copied();
    if next_last.is_some() {
        out!(ctl, "{indent}  |\n");
    }
    indent.push_str("  ");
    for c in &children {
        print_tree(
            ctl,
            names,
            parents,
            *c,
            next_last.unwrap_or(*c),
            false,
            indent,
        );
    }
    indent.truncate(indent.len().saturating_sub(2));
    if next_last.is_none() && dev == last {
        out!(ctl, "{indent}\n");
    }
    if !root {
        indent.truncate(indent.len().saturating_sub(2));
    }
}

/// `nodedev-list [--tree] [--cap c,…] [--inactive] [--all]`.
pub fn nodedev_list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    ctl.exclusive(cmd, "all", "inactive")?;
    let tree = cmd.flag("tree");
    let mut flags: u32 = if cmd.flag("all") {
        (1 << 31) | (1 << 30)
    } else if cmd.flag("inactive") {
        1 << 30
    } else {
        1 << 31
    };
    let mut cap_names = Vec::new();
    if let Some(caps) = cmd.string(ctl, "cap")? {
        if tree {
            return ctl.fail("Options --tree and --cap are incompatible");
        }
        for cap in crate::builtins::split_commas(caps) {
            match CAPS.iter().position(|c| *c == cap) {
                Some(i) => flags |= 1 << i,
                None => return ctl.fail(&format!("Invalid capability type '{cap}'")),
            }
            cap_names.push(cap);
        }
    }
    let c = ctl.conn()?;
    let mut names: Vec<String> = match c.list_all_node_devices(flags).wait() {
        Ok(d) => d.iter().map(|d| d.name().to_owned()).collect(),
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let cap = cap_names.first().map(String::as_str);
            let Ok(n) = ctl.wait(c.node_num_of_devices(cap, 0)) else {
                return ctl.fail("Failed to count node devices");
            };
            if n > 0 {
                let Ok(v) = ctl.wait(c.node_list_devices(cap, n, 0)) else {
                    return ctl.fail("Failed to list node devices");
                };
                v
            } else {
                Vec::new()
            }
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list node devices");
        }
    };
    names.sort();
    if tree {
        let mut parents = Vec::new();
        for n in &names {
            let p = match c.node_device_lookup_by_name(n).wait() {
                Ok(d) => d.get_parent().wait().ok().flatten(),
                Err(_) => None,
            };
            parents.push(p);
        }
        for i in 0..names.len() {
            let is_root = match &parents[i] {
                None => true,
                Some(p) => !names.contains(p),
            };
            if is_root {
                let mut indent = String::new();
                print_tree(ctl, &names, &parents, i, i, true, &mut indent);
            }
        }
    } else {
        for n in &names {
            out!(ctl, "{n}\n");
        }
    }
    Ok(())
}

/// `nodedev-dumpxml <device>`.
pub fn nodedev_dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let d = nodedev(ctl, cmd)?;
    let flags = u32::from(cmd.flag("inactive"));
    let xml = ctl.wait(d.get_xml_desc(flags))?;
    out!(ctl, "{xml}");
    Ok(())
}

/// `nodedev-info <device>`.
pub fn nodedev_info(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    let parent = d.get_parent().wait().ok().flatten().unwrap_or_default();
    out!(ctl, "{:<15} {}\n", "Name:", d.name());
    out!(ctl, "{:<15} {}\n", "Parent:", parent);
    // virsh tests the C return value, so a failure (-1) reads as "yes".
    let yn = |r: oxvirt_client::Result<bool>| match r {
        Ok(false) => "no",
        _ => "yes",
    };
    out!(ctl, "{:<15} {}\n", "Active:", yn(d.is_active().wait()));
    out!(
        ctl,
        "{:<15} {}\n",
        "Persistent:",
        yn(d.is_persistent().wait())
    );
    match d.get_autostart().wait() {
        Ok(a) => out!(
            ctl,
            "{:<15} {}\n",
            "Autostart:",
            if a { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} no autostart\n", "Autostart:"),
    }
    ctl.reset_error();
    Ok(())
}

/// `nodedev-create <file>`.
pub fn nodedev_create(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let flags = u32::from(cmd.flag("validate"));
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(d) = ctl.wait(c.node_device_create_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to create node device from {from}"));
    };
    extra!(ctl, "Node device {} created from {from}\n", d.name());
    Ok(())
}

/// `nodedev-define <file>`.
pub fn nodedev_define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let flags = u32::from(cmd.flag("validate"));
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(d) = ctl.wait(c.node_device_define_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to define node device from '{from}'"));
    };
    extra!(ctl, "Node device '{}' defined from '{from}'\n", d.name());
    Ok(())
}

/// `nodedev-destroy <device>`.
pub fn nodedev_destroy(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    if ctl.wait(d.destroy()).is_err() {
        return ctl.fail(&format!("Failed to destroy node device '{}'", d.name()));
    }
    extra!(ctl, "Destroyed node device '{}'\n", d.name());
    Ok(())
}

/// `nodedev-undefine <device>`.
pub fn nodedev_undefine(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    if ctl.wait(d.undefine(0)).is_err() {
        return ctl.fail(&format!("Failed to undefine node device '{}'", d.name()));
    }
    extra!(ctl, "Undefined node device '{}'\n", d.name());
    Ok(())
}

/// `nodedev-start <device>`.
pub fn nodedev_start(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    if ctl.wait(d.create(0)).is_err() {
        return ctl.fail(&format!("Failed to start device {}", d.name()));
    }
    extra!(ctl, "Device {} started\n", d.name());
    Ok(())
}

/// `nodedev-autostart <device> [--disable]`.
pub fn nodedev_autostart(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    let on = !cmd.flag("disable");
    if ctl.wait(d.set_autostart(on)).is_err() {
        let verb = if on { "mark" } else { "unmark" };
        return ctl.fail(&format!(
            "failed to {verb} device {} as autostarted",
            d.name()
        ));
    }
    if on {
        extra!(ctl, "Device {} marked as autostarted\n", d.name());
    } else {
        extra!(ctl, "Device {} unmarked as autostarted\n", d.name());
    }
    Ok(())
}

/// `nodedev-detach <device> [--driver d]`.
pub fn nodedev_detach(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let driver = cmd.string(ctl, "driver")?.map(str::to_owned);
    let d = nodedev(ctl, cmd)?;
    let r = match &driver {
        Some(drv) => ctl.wait(d.detach_flags(Some(drv), 0)),
        None => ctl.wait(d.dettach()),
    };
    if r.is_err() {
        return ctl.fail(&format!("Failed to detach device {}", d.name()));
    }
    extra!(ctl, "Device {} detached\n", d.name());
    Ok(())
}

/// `nodedev-reattach <device>`.
pub fn nodedev_reattach(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    if ctl.wait(d.reattach()).is_err() {
        return ctl.fail(&format!("Failed to re-attach device {}", d.name()));
    }
    extra!(ctl, "Device {} re-attached\n", d.name());
    Ok(())
}

/// `nodedev-reset <device>`.
pub fn nodedev_reset(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let d = nodedev(ctl, cmd)?;
    if ctl.wait(d.reset()).is_err() {
        return ctl.fail(&format!("Failed to reset device {}", d.name()));
    }
    extra!(ctl, "Device {} reset\n", d.name());
    Ok(())
}

// ---------------------------------------------------------------- iface

fn iface(ctl: &mut Ctl, cmd: &Cmd) -> Result<Interface, Failed> {
    iface_by(ctl, cmd, true, true)
}

fn iface_by(ctl: &mut Ctl, cmd: &Cmd, by_name: bool, by_mac: bool) -> Result<Interface, Failed> {
    let n = cmd.string_req(ctl, "interface")?.to_owned();
    let c = ctl.conn()?;
    let mut i = None;
    if by_name {
        i = ctl.wait(c.interface_lookup_by_name(&n)).ok();
    }
    if i.is_none() && by_mac && n.len() == 17 && n.matches(':').count() == 5 {
        i = ctl.wait(c.interface_lookup_by_mac(&n)).ok();
    }
    match i {
        Some(i) => {
            ctl.reset_error();
            Ok(i)
        }
        None => ctl.fail(&format!("failed to get interface '{n}'")),
    }
}

/// `iface-list [--inactive | --all]`.
pub fn iface_list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    ctl.exclusive(cmd, "all", "inactive")?;
    let flags = if cmd.flag("all") {
        3
    } else if cmd.flag("inactive") {
        1
    } else {
        2
    };
    let c = ctl.conn()?;
    let mut ifaces = match c.list_all_interfaces(flags).wait() {
        Ok(i) => i,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let mut names = Vec::new();
            if flags & 2 != 0 {
                let Ok(n) = ctl.wait(c.legacy_count(Legacy::Interfaces)) else {
                    return ctl.fail("Failed to list active interfaces");
                };
                if n > 0 {
                    let Ok(v) = ctl.wait(c.legacy_names(Legacy::Interfaces, n)) else {
                        return ctl.fail("Failed to list active interfaces");
                    };
                    names.extend(v);
                }
            }
            if flags & 1 != 0 {
                let Ok(n) = ctl.wait(c.legacy_count(Legacy::DefinedInterfaces)) else {
                    return ctl.fail("Failed to list inactive interfaces");
                };
                if n > 0 {
                    let Ok(v) = ctl.wait(c.legacy_names(Legacy::DefinedInterfaces, n)) else {
                        return ctl.fail("Failed to list inactive interfaces");
                    };
                    names.extend(v);
                }
            }
            let mut v = Vec::new();
            for n in names {
                if let Ok(i) = c.interface_lookup_by_name(&n).wait() {
                    v.push(i);
                }
            }
            v
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list interfaces");
        }
    };
    ifaces.sort_by_key(|i| i.name().to_lowercase());
    let mut t = Table::new(&["Name", "State", "MAC Address"]);
    for i in &ifaces {
        let active = i.is_active().wait().unwrap_or(false);
        t.row(vec![
            i.name().to_owned(),
            if active { "active" } else { "inactive" }.to_owned(),
            i.mac().to_owned(),
        ]);
    }
    ctl.reset_error();
    t.print(ctl);
    Ok(())
}

/// `iface-define <file> [--validate]`.
pub fn iface_define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let flags = u32::from(cmd.flag("validate"));
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(i) = ctl.wait(c.interface_define_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to define interface from {from}"));
    };
    extra!(ctl, "Interface {} defined from {from}\n", i.name());
    Ok(())
}

/// `iface-undefine <interface>`.
pub fn iface_undefine(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let i = iface(ctl, cmd)?;
    if ctl.wait(i.undefine()).is_err() {
        return ctl.fail(&format!("Failed to undefine interface {}", i.name()));
    }
    extra!(ctl, "Interface {} undefined\n", i.name());
    Ok(())
}

/// `iface-start <interface>`.
pub fn iface_start(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let i = iface(ctl, cmd)?;
    if ctl.wait(i.create(0)).is_err() {
        return ctl.fail(&format!("Failed to start interface {}", i.name()));
    }
    extra!(ctl, "Interface {} started\n", i.name());
    Ok(())
}

/// `iface-destroy <interface>`.
pub fn iface_destroy(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let i = iface(ctl, cmd)?;
    if ctl.wait(i.destroy(0)).is_err() {
        return ctl.fail(&format!("Failed to destroy interface {}", i.name()));
    }
    extra!(ctl, "Interface {} destroyed\n", i.name());
    // virsh 9.0 reports failure even when the interface was destroyed; the
    // exit status is kept for scripts that compare it.
    Err(Failed)
}

/// `iface-dumpxml <interface> [--inactive]`.
pub fn iface_dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let i = iface(ctl, cmd)?;
    let xml = ctl.wait(i.get_xml_desc(u32::from(cmd.flag("inactive"))))?;
    out!(ctl, "{xml}");
    Ok(())
}

/// `iface-mac <interface>`.
pub fn iface_mac(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let i = iface_by(ctl, cmd, true, false)?;
    out!(ctl, "{}\n", i.mac());
    Ok(())
}

/// `iface-name <mac>`.
pub fn iface_name(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let i = iface_by(ctl, cmd, false, true)?;
    out!(ctl, "{}\n", i.name());
    Ok(())
}
