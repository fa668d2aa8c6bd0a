//! `net-*`: virtual networks.

use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::table::Table;
use crate::vsh::{CmdResult, Failed};
use crate::{extra, out};
use oxvirt_client::{ErrorCode, Legacy, Network, Wait};

/// `virshCommandOptNetworkBy`: by UUID when it looks like one, else by name;
/// the library error is kept and printed after virsh's own.
pub fn lookup(ctl: &mut Ctl, cmd: &Cmd) -> Result<Network, Failed> {
    let n = cmd.string_req(ctl, "network")?.to_owned();
    let c = ctl.conn()?;
    let mut net = None;
    if n.len() == 36 {
        if let Ok(u) = n.parse() {
            net = ctl.wait(c.network_lookup_by_uuid(&u)).ok();
        }
    }
    if net.is_none() {
        net = ctl.wait(c.network_lookup_by_name(&n)).ok();
    }
    match net {
        Some(net) => {
            ctl.reset_error();
            Ok(net)
        }
        None => ctl.fail(&format!("failed to get network '{n}'")),
    }
}

/// `vshNetworkListCollect`.
fn collect(ctl: &mut Ctl, flags: u32) -> Result<Vec<Network>, Failed> {
    let c = ctl.conn()?;
    let m = |b: u32| flags & b != 0;
    let mut nets = match c.list_all_networks(flags).wait() {
        Ok(n) => n,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let want_active = !m(3) || m(2);
            let want_inactive = !m(3) || m(1);
            let mut names = Vec::new();
            let mut n_active = 0;
            let mut n_inactive = 0;
            if want_active {
                let Ok(n) = ctl.wait(c.legacy_count(Legacy::Networks)) else {
                    return ctl.fail("Failed to get the number of active networks");
                };
                n_active = n;
            }
            if want_inactive {
                let Ok(n) = ctl.wait(c.legacy_count(Legacy::DefinedNetworks)) else {
                    return ctl.fail("Failed to get the number of inactive networks");
                };
                n_inactive = n;
            }
            if want_active && n_active > 0 {
                let Ok(v) = ctl.wait(c.legacy_names(Legacy::Networks, n_active)) else {
                    return ctl.fail("Failed to list active networks");
                };
                names.extend(v);
            }
            if want_inactive && n_inactive > 0 {
                let Ok(v) = ctl.wait(c.legacy_names(Legacy::DefinedNetworks, n_inactive)) else {
                    return ctl.fail("Failed to list inactive networks");
                };
                names.extend(v);
            }
            let mut nets = Vec::new();
            for n in names {
                if let Ok(net) = c.network_lookup_by_name(&n).wait() {
                    nets.push(net);
                }
            }
            let mut kept = Vec::new();
            for net in nets {
                if m(4 | 8) {
                    let Ok(p) = ctl.wait(net.is_persistent()) else {
                        return ctl.fail("Failed to get network persistence info");
                    };
                    if !((m(4) && p) || (m(8) && !p)) {
                        continue;
                    }
                }
                if m(16 | 32) {
                    let Ok(a) = ctl.wait(net.get_autostart()) else {
                        return ctl.fail("Failed to get network autostart state");
                    };
                    if !((m(16) && a) || (m(32) && !a)) {
                        continue;
                    }
                }
                kept.push(net);
            }
            kept
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list networks");
        }
    };
    nets.sort_by_key(|n| n.name().to_lowercase());
    Ok(nets)
}

/// `net-list`.
pub fn list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let n = ["table", "name", "uuid"]
        .iter()
        .filter(|o| cmd.flag(o))
        .count();
    if n > 1 {
        return ctl.fail("Only one argument from --table, --name and --uuid may be specified.");
    }
    let mut flags = 2;
    if cmd.flag("inactive") {
        flags = 1;
    }
    if cmd.flag("all") {
        flags = 3;
    }
    for (o, b) in [
        ("persistent", 4),
        ("transient", 8),
        ("autostart", 16),
        ("no-autostart", 32),
    ] {
        if cmd.flag(o) {
            flags |= b;
        }
    }
    let nets = collect(ctl, flags)?;
    if cmd.flag("uuid") {
        for net in &nets {
            out!(ctl, "{}\n", net.uuid());
        }
    } else if cmd.flag("name") {
        for net in &nets {
            out!(ctl, "{}\n", net.name());
        }
    } else {
        let mut t = Table::new(&["Name", "State", "Autostart", "Persistent"]);
        for net in &nets {
            let autostart = match net.get_autostart().wait() {
                Ok(true) => "yes",
                Ok(false) => "no",
                Err(_) => "no autostart",
            };
            let active = net.is_active().wait().unwrap_or(false);
            let persistent = net.is_persistent().wait().unwrap_or(false);
            t.row(vec![
                net.name().to_owned(),
                if active { "active" } else { "inactive" }.to_owned(),
                autostart.to_owned(),
                if persistent { "yes" } else { "no" }.to_owned(),
            ]);
        }
        t.print(ctl);
    }
    Ok(())
}

/// `net-info <network>`.
pub fn info(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let net = lookup(ctl, cmd)?;
    out!(ctl, "{:<15} {}\n", "Name:", net.name());
    out!(ctl, "{:<15} {}\n", "UUID:", net.uuid());
    if let Ok(a) = net.is_active().wait() {
        out!(ctl, "{:<15} {}\n", "Active:", if a { "yes" } else { "no" });
    }
    match net.is_persistent().wait() {
        Ok(p) => out!(
            ctl,
            "{:<15} {}\n",
            "Persistent:",
            if p { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} unknown\n", "Persistent:"),
    }
    match net.get_autostart().wait() {
        Ok(a) => out!(
            ctl,
            "{:<15} {}\n",
            "Autostart:",
            if a { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} no autostart\n", "Autostart:"),
    }
    if let Ok(b) = net.get_bridge_name().wait() {
        out!(ctl, "{:<15} {}\n", "Bridge:", b);
    }
    ctl.reset_error();
    Ok(())
}

/// `net-dumpxml <network> [--inactive]`.
pub fn dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let net = lookup(ctl, cmd)?;
    let flags = u32::from(cmd.flag("inactive"));
    let xml = ctl.wait(net.get_xml_desc(flags))?;
    out!(ctl, "{xml}");
    Ok(())
}

/// `net-define <file>`.
pub fn define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(net) = ctl.wait(c.network_define_xml(&xml)) else {
        return ctl.fail(&format!("Failed to define network from {from}"));
    };
    extra!(ctl, "Network {} defined from {from}\n", net.name());
    Ok(())
}

/// `net-create <file>`.
pub fn create(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(net) = ctl.wait(c.network_create_xml(&xml)) else {
        return ctl.fail(&format!("Failed to create network from {from}"));
    };
    extra!(ctl, "Network {} created from {from}\n", net.name());
    Ok(())
}

/// `net-start <network>`.
pub fn start(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let net = lookup(ctl, cmd)?;
    if ctl.wait(net.create()).is_err() {
        return ctl.fail(&format!("Failed to start network {}", net.name()));
    }
    extra!(ctl, "Network {} started\n", net.name());
    Ok(())
}

/// `net-destroy <network>`.
pub fn destroy(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let net = lookup(ctl, cmd)?;
    if ctl.wait(net.destroy()).is_err() {
        return ctl.fail(&format!("Failed to destroy network {}", net.name()));
    }
    extra!(ctl, "Network {} destroyed\n", net.name());
    Ok(())
}

/// `net-undefine <network>`.
pub fn undefine(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let net = lookup(ctl, cmd)?;
    if ctl.wait(net.undefine()).is_err() {
        return ctl.fail(&format!("Failed to undefine network {}", net.name()));
    }
    extra!(ctl, "Network {} has been undefined\n", net.name());
    Ok(())
}

/// `net-autostart <network> [--disable]`.
pub fn autostart(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let net = lookup(ctl, cmd)?;
    let on = !cmd.flag("disable");
    if ctl.wait(net.set_autostart(on)).is_err() {
        let verb = if on { "mark" } else { "unmark" };
        return ctl.fail(&format!(
            "failed to {verb} network {} as autostarted",
            net.name()
        ));
    }
    if on {
        extra!(ctl, "Network {} marked as autostarted\n", net.name());
    } else {
        extra!(ctl, "Network {} unmarked as autostarted\n", net.name());
    }
    Ok(())
}

/// `net-uuid <network>`.
pub fn uuid(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let net = lookup(ctl, cmd)?;
    out!(ctl, "{}\n", net.uuid());
    Ok(())
}

/// `net-name <uuid>`.
pub fn name(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let n = cmd.string_req(ctl, "network")?.to_owned();
    let c = ctl.conn()?;
    let net = match n.parse() {
        Ok(u) => ctl.wait(c.network_lookup_by_uuid(&u)).ok(),
        Err(_) => None,
    };
    match net {
        Some(net) => {
            out!(ctl, "{}\n", net.name());
            Ok(())
        }
        None => ctl.fail(&format!("failed to get network '{n}'")),
    }
}

fn local_time(secs: i64) -> String {
    // SAFETY: tm is plain data; localtime_r fills it from a valid time_t.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: both pointers are valid for the call.
    unsafe { libc::localtime_r(&t, &mut tm) };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// `net-dhcp-leases <network> [--mac <mac>]`.
pub fn dhcp_leases(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let mac = cmd.string(ctl, "mac")?.map(str::to_owned);
    let net = lookup(ctl, cmd)?;
    let Ok(mut leases) = ctl.wait(net.get_dhcp_leases(mac.as_deref(), 0)) else {
        return ctl.fail(&format!("Failed to get leases info for {}", net.name()));
    };
    leases.sort_by(|a, b| a.mac.cmp(&b.mac));
    let mut t = Table::new(&[
        "Expiry Time",
        "MAC address",
        "Protocol",
        "IP address",
        "Hostname",
        "Client ID or DUID",
    ]);
    for l in leases {
        t.row(vec![
            local_time(l.expiry_time),
            l.mac.unwrap_or_default(),
            if l.type_ == 0 { "ipv4" } else { "ipv6" }.to_owned(),
            format!("{}/{}", l.ipaddr, l.prefix),
            l.hostname.unwrap_or_else(|| "-".to_owned()),
            l.clientid.unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    t.print(ctl);
    Ok(())
}

/// `net-update <network> <command> <section> <xml> [--parent-index n] [--config] [--live] [--current]`.
pub fn update(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    ctl.exclusive(cmd, "current", "live")?;
    ctl.exclusive(cmd, "current", "config")?;
    let net = lookup(ctl, cmd)?;
    let command = cmd.string_req(ctl, "command")?.to_owned();
    let command_n = match command.as_str() {
        "add" | "add-last" => 3,
        "add-first" => 4,
        "delete" => 2,
        "modify" => 1,
        other => return ctl.fail(&format!("unrecognized command name '{other}'")),
    };
    let section = cmd.string_req(ctl, "section")?.to_owned();
    const SECTIONS: [&str; 12] = [
        "bridge",
        "domain",
        "ip",
        "ip-dhcp-host",
        "ip-dhcp-range",
        "forward",
        "forward-interface",
        "forward-pf",
        "portgroup",
        "dns-host",
        "dns-txt",
        "dns-srv",
    ];
    let Some(section_n) = SECTIONS.iter().position(|s| *s == section) else {
        return ctl.fail(&format!("unrecognized section name '{section}'"));
    };
    let parent = cmd.int(ctl, "parent-index")?.unwrap_or(-1);
    let xml_arg = cmd.string_req(ctl, "xml")?.to_owned();
    let xml = if xml_arg.starts_with('<') {
        xml_arg
    } else {
        ctl.read_file(&xml_arg)?
    };
    let config = cmd.flag("config");
    let live = cmd.flag("live");
    let mut flags = 0;
    if config {
        flags |= 2;
    }
    if live {
        flags |= 1;
    }
    if ctl
        .wait(net.update(command_n, section_n as u32 + 1, parent, &xml, flags))
        .is_err()
    {
        return ctl.fail(&format!("Failed to update network {}", net.name()));
    }
    let what = if config && live {
        "persistent config and live state"
    } else if config {
        "persistent config"
    } else if live || net.is_active().wait().unwrap_or(false) {
        "live state"
    } else {
        "persistent config"
    };
    extra!(ctl, "Updated network {} {what}", net.name());
    Ok(())
}
