//! `pool-*`: storage pools.

use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::table::Table;
use crate::vsh::{CmdResult, Failed};
use crate::{extra, out};
use oxvirt_client::{ErrorCode, Legacy, StoragePool, Wait};

/// `vshPrettyCapacity`: bytes in the largest unit that keeps the value
/// above 1, formatted `%.2lf UNIT`.
pub fn pretty(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut limit: u128 = 1024;
    for (i, u) in UNITS.iter().enumerate() {
        if u128::from(bytes) < limit || i == UNITS.len() - 1 {
            let div = (limit / 1024) as f64;
            return format!("{:.2} {u}", bytes as f64 / div);
        }
        limit *= 1024;
    }
    format!("{bytes} B")
}

/// `virshCommandOptPoolBy` with option `opt`.
pub fn lookup_opt(
    ctl: &mut Ctl,
    cmd: &Cmd,
    opt: &str,
    by_uuid_only: bool,
) -> Result<StoragePool, Failed> {
    let n = cmd.string_req(ctl, opt)?.to_owned();
    lookup_name(ctl, &n, by_uuid_only)
}

/// Looks a pool up by UUID (when it looks like one) or name.
pub fn lookup_name(ctl: &mut Ctl, n: &str, by_uuid_only: bool) -> Result<StoragePool, Failed> {
    let c = ctl.conn()?;
    let mut pool = None;
    if n.len() == 36 {
        if let Ok(u) = n.parse() {
            pool = ctl.wait(c.storage_pool_lookup_by_uuid(&u)).ok();
        }
    }
    if pool.is_none() && !by_uuid_only {
        pool = ctl.wait(c.storage_pool_lookup_by_name(n)).ok();
    }
    match pool {
        Some(p) => {
            ctl.reset_error();
            Ok(p)
        }
        None => ctl.fail(&format!("failed to get pool '{n}'")),
    }
}

fn lookup(ctl: &mut Ctl, cmd: &Cmd) -> Result<StoragePool, Failed> {
    lookup_opt(ctl, cmd, "pool", false)
}

const POOL_TYPES: [(&str, u32); 14] = [
    ("dir", 1 << 6),
    ("fs", 1 << 7),
    ("netfs", 1 << 8),
    ("logical", 1 << 9),
    ("disk", 1 << 10),
    ("iscsi", 1 << 11),
    ("scsi", 1 << 12),
    ("mpath", 1 << 13),
    ("rbd", 1 << 14),
    ("sheepdog", 1 << 15),
    ("gluster", 1 << 16),
    ("zfs", 1 << 17),
    ("vstorage", 1 << 18),
    ("iscsi-direct", 1 << 19),
];

fn collect(ctl: &mut Ctl, flags: u32) -> Result<Vec<StoragePool>, Failed> {
    let c = ctl.conn()?;
    let m = |b: u32| flags & b != 0;
    let mut pools = match c.list_all_storage_pools(flags).wait() {
        Ok(p) => p,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let want_active = !m(3) || m(2);
            let want_inactive = !m(3) || m(1);
            let mut names = Vec::new();
            let (mut na, mut ni) = (0, 0);
            if want_active {
                let Ok(n) = ctl.wait(c.legacy_count(Legacy::StoragePools)) else {
                    return ctl.fail("Failed to get the number of active pools ");
                };
                na = n;
            }
            if want_inactive {
                let Ok(n) = ctl.wait(c.legacy_count(Legacy::DefinedStoragePools)) else {
                    return ctl.fail("Failed to get the number of inactive pools");
                };
                ni = n;
            }
            if want_active && na > 0 {
                let Ok(v) = ctl.wait(c.legacy_names(Legacy::StoragePools, na)) else {
                    return ctl.fail("Failed to list active pools");
                };
                names.extend(v);
            }
            if want_inactive && ni > 0 {
                let Ok(v) = ctl.wait(c.legacy_names(Legacy::DefinedStoragePools, ni)) else {
                    return ctl.fail("Failed to list inactive pools");
                };
                names.extend(v);
            }
            let mut kept = Vec::new();
            for n in names {
                let Ok(p) = c.storage_pool_lookup_by_name(&n).wait() else {
                    continue;
                };
                if m(4 | 8) {
                    let Ok(per) = ctl.wait(p.is_persistent()) else {
                        return ctl.fail("Failed to get pool persistence info");
                    };
                    if !((m(4) && per) || (m(8) && !per)) {
                        continue;
                    }
                }
                if m(16 | 32) {
                    let Ok(a) = ctl.wait(p.get_autostart()) else {
                        return ctl.fail("Failed to get pool autostart state");
                    };
                    if !((m(16) && a) || (m(32) && !a)) {
                        continue;
                    }
                }
                kept.push(p);
            }
            kept
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list pools");
        }
    };
    pools.sort_by_key(|p| p.name().to_lowercase());
    Ok(pools)
}

/// `pool-list`.
pub fn list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let details = cmd.flag("details");
    let uuid = cmd.flag("uuid");
    let name = cmd.flag("name");
    ctl.exclusive(cmd, "details", "uuid")?;
    ctl.exclusive(cmd, "details", "name")?;
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
    if let Some(types) = cmd.string(ctl, "type")? {
        for t in crate::builtins::split_commas(types) {
            match POOL_TYPES.iter().find(|(n, _)| *n == t) {
                Some((_, b)) => flags |= b,
                None => return ctl.fail(&format!("Invalid pool type '{t}'")),
            }
        }
    }
    let pools = collect(ctl, flags)?;
    if uuid || name {
        for p in &pools {
            match (uuid, name) {
                (true, true) => out!(ctl, "{:<36} {:<20}\n", p.uuid().to_string(), p.name()),
                (true, false) => out!(ctl, "{:<36}\n", p.uuid().to_string()),
                _ => out!(ctl, "{:<20}\n", p.name()),
            }
        }
        return Ok(());
    }
    let mut t = if details {
        Table::new(&[
            "Name",
            "State",
            "Autostart",
            "Persistent",
            "Capacity",
            "Allocation",
            "Available",
        ])
    } else {
        Table::new(&["Name", "State", "Autostart"])
    };
    for p in &pools {
        let autostart = match p.get_autostart().wait() {
            Ok(true) => "yes",
            Ok(false) => "no",
            Err(_) => "no autostart",
        };
        if details {
            let Ok(info) = ctl.wait(p.get_info()) else {
                t.row(vec![
                    p.name().to_owned(),
                    "unknown".to_owned(),
                    autostart.to_owned(),
                    "unknown".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                ]);
                continue;
            };
            let state = state_str(info.state);
            let persistent = match p.is_persistent().wait() {
                Ok(true) => "yes",
                Ok(false) => "no",
                Err(_) => "unknown",
            };
            let (cap, alloc, avail) = if info.state == 2 || info.state == 3 {
                (
                    pretty(info.capacity),
                    pretty(info.allocation),
                    pretty(info.available),
                )
            } else {
                ("-".to_owned(), "-".to_owned(), "-".to_owned())
            };
            t.row(vec![
                p.name().to_owned(),
                state.to_owned(),
                autostart.to_owned(),
                persistent.to_owned(),
                cap,
                alloc,
                avail,
            ]);
        } else {
            let active = p.is_active().wait().unwrap_or(false);
            t.row(vec![
                p.name().to_owned(),
                if active { "active" } else { "inactive" }.to_owned(),
                autostart.to_owned(),
            ]);
        }
    }
    ctl.reset_error();
    t.print(ctl);
    Ok(())
}

/// `virshStoragePoolStateToString`.
pub fn state_str(state: u32) -> &'static str {
    match state {
        0 => "inactive",
        1 => "building",
        2 => "running",
        3 => "degraded",
        4 => "inaccessible",
        _ => "unknown",
    }
}

/// `pool-info <pool> [--bytes]`.
pub fn info(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let bytes = cmd.flag("bytes");
    let p = lookup(ctl, cmd)?;
    out!(ctl, "{:<15} {}\n", "Name:", p.name());
    out!(ctl, "{:<15} {}\n", "UUID:", p.uuid());
    let info = ctl.wait(p.get_info())?;
    out!(ctl, "{:<15} {}\n", "State:", state_str(info.state));
    match p.is_persistent().wait() {
        Ok(v) => out!(
            ctl,
            "{:<15} {}\n",
            "Persistent:",
            if v { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} unknown\n", "Persistent:"),
    }
    match p.get_autostart().wait() {
        Ok(v) => out!(
            ctl,
            "{:<15} {}\n",
            "Autostart:",
            if v { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} no autostart\n", "Autostart:"),
    }
    if info.state == 2 || info.state == 3 {
        for (label, v) in [
            ("Capacity:", info.capacity),
            ("Allocation:", info.allocation),
            ("Available:", info.available),
        ] {
            if bytes {
                out!(ctl, "{:<15} {}\n", label, v);
            } else {
                out!(ctl, "{:<15} {}\n", label, pretty(v));
            }
        }
    }
    ctl.reset_error();
    Ok(())
}

/// `pool-dumpxml <pool> [--inactive]`.
pub fn dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let p = lookup(ctl, cmd)?;
    let xml = ctl.wait(p.get_xml_desc(u32::from(cmd.flag("inactive"))))?;
    out!(ctl, "{xml}");
    Ok(())
}

fn build_flags(cmd: &Cmd) -> u32 {
    let mut flags = 0;
    if cmd.flag("no-overwrite") {
        flags |= 4;
    }
    if cmd.flag("overwrite") {
        flags |= 8;
    }
    flags
}

fn create_flags(ctl: &mut Ctl, cmd: &Cmd) -> Result<u32, Failed> {
    ctl.exclusive(cmd, "overwrite", "no-overwrite")?;
    let mut flags = 0;
    if cmd.flag("build") {
        flags |= 1;
    }
    if cmd.flag("overwrite") {
        flags |= 2;
    }
    if cmd.flag("no-overwrite") {
        flags |= 4;
    }
    Ok(flags)
}

/// `pool-define <file>`.
pub fn define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let flags = u32::from(cmd.flag("validate"));
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(p) = ctl.wait(c.storage_pool_define_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to define pool from {from}"));
    };
    extra!(ctl, "Pool {} defined from {from}\n", p.name());
    Ok(())
}

/// `pool-create <file> [--build] [--overwrite] [--no-overwrite]`.
pub fn create(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let flags = create_flags(ctl, cmd)?;
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(p) = ctl.wait(c.storage_pool_create_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to create pool from {from}"));
    };
    extra!(ctl, "Pool {} created from {from}\n", p.name());
    Ok(())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

/// The pool XML of `pool-define-as` / `pool-create-as`.
fn build_xml(ctl: &mut Ctl, cmd: &Cmd) -> Result<(String, String), Failed> {
    let name = cmd.string_req(ctl, "name")?.to_owned();
    let ty = cmd.string_req(ctl, "type")?.to_owned();
    let mut get =
        |o: &str| -> Result<Option<String>, Failed> { Ok(cmd.string(ctl, o)?.map(xml_escape)) };
    let host = get("source-host")?;
    let path = get("source-path")?;
    let dev = get("source-dev")?;
    let src_name = get("source-name")?;
    let target = get("target")?;
    let format = get("source-format")?;
    let auth_type = get("auth-type")?;
    let auth_user = get("auth-username")?;
    let secret_usage = get("secret-usage")?;
    let secret_uuid = get("secret-uuid")?;
    let adapter_name = get("adapter-name")?;
    let adapter_wwnn = get("adapter-wwnn")?;
    let adapter_wwpn = get("adapter-wwpn")?;
    let adapter_parent = get("adapter-parent")?;
    let proto_ver = get("source-protocol-ver")?;
    let initiator = get("source-initiator")?;
    let mut x = format!(
        "<pool type='{}'>\n  <name>{}</name>\n",
        xml_escape(&ty),
        xml_escape(&name)
    );
    let auth = auth_type.is_some()
        && auth_user.is_some()
        && (secret_usage.is_some() || secret_uuid.is_some());
    if host.is_some()
        || path.is_some()
        || dev.is_some()
        || initiator.is_some()
        || format.is_some()
        || src_name.is_some()
        || adapter_name.is_some()
        || (adapter_wwnn.is_some() && adapter_wwpn.is_some())
        || auth
        || proto_ver.is_some()
    {
        x.push_str("  <source>\n");
        if let Some(h) = &host {
            match h.rsplit_once(':') {
                Some((hn, port))
                    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    x.push_str(&format!("    <host name='{hn}' port='{port}'/>\n"));
                }
                _ => x.push_str(&format!("    <host name='{h}'/>\n")),
            }
        }
        if let Some(p) = &path {
            x.push_str(&format!("    <dir path='{p}'/>\n"));
        }
        if let Some(d) = &dev {
            x.push_str(&format!("    <device path='{d}'/>\n"));
        }
        if let (Some(nn), Some(pn)) = (&adapter_wwnn, &adapter_wwpn) {
            x.push_str(&format!(
                "    <adapter type='fc_host' wwnn='{nn}' wwpn='{pn}'"
            ));
            if let Some(p) = &adapter_parent {
                x.push_str(&format!(" parent='{p}'"));
            }
            x.push_str("/>\n");
        } else if let Some(a) = &adapter_name {
            x.push_str(&format!("    <adapter type='scsi_host' name='{a}'/>\n"));
        }
        if auth {
            x.push_str(&format!(
                "    <auth type='{}' username='{}'>\n",
                auth_type.as_deref().unwrap_or(""),
                auth_user.as_deref().unwrap_or("")
            ));
            if let Some(u) = &secret_usage {
                x.push_str(&format!("      <secret usage='{u}'/>\n"));
            } else if let Some(u) = &secret_uuid {
                x.push_str(&format!("      <secret uuid='{u}'/>\n"));
            }
            x.push_str("    </auth>\n");
        }
        if let Some(f) = &format {
            x.push_str(&format!("    <format type='{f}'/>\n"));
        }
        if let Some(n) = &src_name {
            x.push_str(&format!("    <name>{n}</name>\n"));
        }
        if let Some(i) = &initiator {
            x.push_str(&format!(
                "    <initiator>\n      <iqn name='{i}'/>\n    </initiator>\n"
            ));
        }
        if let Some(v) = &proto_ver {
            x.push_str(&format!("    <protocol ver='{v}'/>\n"));
        }
        x.push_str("  </source>\n");
    }
    if let Some(t) = &target {
        x.push_str(&format!("  <target>\n    <path>{t}</path>\n  </target>\n"));
    }
    x.push_str("</pool>\n");
    Ok((name, x))
}

/// `pool-define-as <name> <type> … [--print-xml]`.
pub fn define_as(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let (name, xml) = build_xml(ctl, cmd)?;
    if cmd.flag("print-xml") {
        out!(ctl, "{xml}");
        return Ok(());
    }
    let c = ctl.conn()?;
    let Ok(p) = ctl.wait(c.storage_pool_define_xml(&xml, 0)) else {
        return ctl.fail(&format!("Failed to define pool {name}"));
    };
    extra!(ctl, "Pool {} defined\n", p.name());
    Ok(())
}

/// `pool-create-as <name> <type> … [--print-xml] [--build] …`.
pub fn create_as(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let flags = create_flags(ctl, cmd)?;
    let (name, xml) = build_xml(ctl, cmd)?;
    if cmd.flag("print-xml") {
        out!(ctl, "{xml}");
        return Ok(());
    }
    let c = ctl.conn()?;
    let Ok(p) = ctl.wait(c.storage_pool_create_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to create pool {name}"));
    };
    extra!(ctl, "Pool {} created\n", p.name());
    Ok(())
}

/// `pool-build <pool> [--overwrite] [--no-overwrite]`.
pub fn build(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    ctl.exclusive(cmd, "overwrite", "no-overwrite")?;
    let p = lookup(ctl, cmd)?;
    if ctl.wait(p.build(build_flags(cmd))).is_err() {
        return ctl.fail(&format!("Failed to build pool {}", p.name()));
    }
    extra!(ctl, "Pool {} built\n", p.name());
    Ok(())
}

/// `pool-start <pool> [--build] [--overwrite] [--no-overwrite]`.
pub fn start(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let flags = create_flags(ctl, cmd)?;
    let p = lookup_opt(ctl, cmd, "pool", false)?;
    if ctl.wait(p.create(flags)).is_err() {
        return ctl.fail(&format!("Failed to start pool {}", p.name()));
    }
    extra!(ctl, "Pool {} started\n", p.name());
    Ok(())
}

macro_rules! simple_pool_cmd {
    ($fn:ident, $call:ident ( $($arg:expr),* ), $ok:literal, $err:literal) => {
        #[doc = concat!("`", stringify!($fn), "`.")]
        pub fn $fn(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
            let p = lookup(ctl, cmd)?;
            if ctl.wait(p.$call($($arg),*)).is_err() {
                return ctl.fail(&format!($err, p.name()));
            }
            extra!(ctl, $ok, p.name());
            Ok(())
        }
    };
}

simple_pool_cmd!(
    destroy,
    destroy(),
    "Pool {} destroyed\n",
    "Failed to destroy pool {}"
);
simple_pool_cmd!(
    delete,
    delete(0),
    "Pool {} deleted\n",
    "Failed to delete pool {}"
);
simple_pool_cmd!(
    undefine,
    undefine(),
    "Pool {} has been undefined\n",
    "Failed to undefine pool {}"
);
simple_pool_cmd!(
    refresh,
    refresh(0),
    "Pool {} refreshed\n",
    "Failed to refresh pool {}"
);

/// `pool-autostart <pool> [--disable]`.
pub fn autostart(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let p = lookup(ctl, cmd)?;
    let on = !cmd.flag("disable");
    if ctl.wait(p.set_autostart(on)).is_err() {
        let verb = if on { "mark" } else { "unmark" };
        return ctl.fail(&format!(
            "failed to {verb} pool {} as autostarted",
            p.name()
        ));
    }
    if on {
        extra!(ctl, "Pool {} marked as autostarted\n", p.name());
    } else {
        extra!(ctl, "Pool {} unmarked as autostarted\n", p.name());
    }
    Ok(())
}

/// `pool-uuid <pool>`.
pub fn uuid(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let p = lookup(ctl, cmd)?;
    out!(ctl, "{}\n", p.uuid());
    Ok(())
}

/// `pool-name <uuid>`.
pub fn name(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let p = lookup_opt(ctl, cmd, "pool", true)?;
    out!(ctl, "{}\n", p.name());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_print_like_virsh() {
        assert_eq!(pretty(0), "0.00 B");
        assert_eq!(pretty(1048576), "1.00 MiB");
        assert_eq!(pretty(107374182400), "100.00 GiB");
    }
}
