//! Domain commands: lifecycle (`define`, `start`, `destroy`, …), information
//! (`list`, `dominfo`, `domstate`, `domstats`, …) and settings (`autostart`,
//! `setmem`, …).

use crate::ctl::Cmd;
use crate::ctl::{Ctl, BY_ID, BY_NAME, BY_UUID};
use crate::table::Table;
use crate::vsh::{CmdResult, Failed};
use crate::{extra, out};
use oxvirt_client::{Domain, ErrorCode, TypedParam, TypedValue, Wait};

/// `virshDomainStateToString`.
pub fn state_str(state: i32) -> &'static str {
    match state {
        1 => "running",
        2 => "idle",
        3 => "paused",
        4 => "in shutdown",
        5 => "shut off",
        6 => "crashed",
        7 => "pmsuspended",
        _ => "no state",
    }
}

/// `virshDomainStateReasonToString`.
pub fn reason_str(state: i32, reason: i32) -> &'static str {
    let table: &[&str] = match state {
        0 => &["unknown"],
        1 => &[
            "unknown",
            "booted",
            "migrated",
            "restored",
            "from snapshot",
            "unpaused",
            "migration canceled",
            "save canceled",
            "event wakeup",
            "crashed",
            "post-copy",
            "post-copy failed",
        ],
        2 => &["unknown"],
        3 => &[
            "unknown",
            "user",
            "migrating",
            "saving",
            "dumping",
            "I/O error",
            "watchdog",
            "from snapshot",
            "shutting down",
            "creating snapshot",
            "crashed",
            "starting up",
            "post-copy",
            "post-copy failed",
            "api error",
        ],
        4 => &["unknown", "user"],
        5 => &[
            "unknown",
            "shutdown",
            "destroyed",
            "crashed",
            "migrated",
            "saved",
            "failed",
            "from snapshot",
            "daemon",
        ],
        6 => &["unknown", "panicked"],
        7 => &["unknown"],
        _ => &[],
    };
    usize::try_from(reason)
        .ok()
        .and_then(|r| table.get(r).copied())
        .unwrap_or("unknown")
}

/// `vshGetTypedParamValue`.
pub fn typed_value(v: &TypedValue) -> String {
    match v {
        TypedValue::Int(i) => i.to_string(),
        TypedValue::UInt(u) => u.to_string(),
        TypedValue::LLong(i) => i.to_string(),
        TypedValue::ULLong(u) => u.to_string(),
        TypedValue::Double(d) => format!("{d:.6}"),
        TypedValue::Boolean(b) => if *b { "yes" } else { "no" }.to_owned(),
        TypedValue::String(s) => s.clone(),
    }
}

/// `virshDomainState`: the state and reason, from `GetInfo` when the
/// driver lacks `GetState`.
pub fn dom_state(ctl: &mut Ctl, dom: &Domain) -> Result<(i32, i32), Failed> {
    match dom.get_state(0).wait() {
        Ok(s) => Ok(s),
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let i = ctl.wait(dom.get_info())?;
            Ok((i.state, 0))
        }
        Err(e) => {
            ctl.last_error = Some(e);
            Err(Failed)
        }
    }
}

fn list_flags(cmd: &Cmd) -> u32 {
    let mut flags = 1;
    if cmd.flag("inactive") || cmd.flag("state-shutoff") {
        flags = 2;
    }
    if cmd.flag("all") {
        flags = 3;
    }
    for (name, bit) in [
        ("persistent", 4),
        ("transient", 8),
        ("with-managed-save", 256),
        ("without-managed-save", 512),
        ("autostart", 1024),
        ("no-autostart", 2048),
        ("with-snapshot", 4096),
        ("without-snapshot", 8192),
        ("with-checkpoint", 16384),
        ("without-checkpoint", 32768),
        ("state-running", 16),
        ("state-paused", 32),
        ("state-shutoff", 64),
        ("state-other", 128),
    ] {
        if cmd.flag(name) {
            flags |= bit;
        }
    }
    flags
}

/// `virshDomainListCollect`: `ListAllDomains`, falling back to the legacy
/// calls and filtering here when the daemon lacks it.
fn collect(ctl: &mut Ctl, flags: u32) -> Result<Vec<Domain>, Failed> {
    let c = ctl.conn()?;
    let m = |bits: u32| flags & bits != 0;
    let mut doms = match c.list_all_domains(flags).wait() {
        Ok(d) => d,
        Err(e) if e.code == ErrorCode::NO_SUPPORT || e.code == ErrorCode::INVALID_ARG => {
            let fallback = e.code == ErrorCode::NO_SUPPORT;
            let mut doms = Vec::new();
            if fallback {
                if !m(3) || m(1) {
                    let Ok(ids) = ctl.wait(c.list_domains()) else {
                        return ctl.fail("Failed to list active domains");
                    };
                    for id in ids {
                        if let Ok(d) = c.domain_lookup_by_id(id).wait() {
                            doms.push(d);
                        }
                    }
                }
                if !m(3) || m(2) {
                    let Ok(names) = ctl.wait(c.list_defined_domains()) else {
                        return ctl.fail("Failed to list inactive domains");
                    };
                    for n in names {
                        if let Ok(d) = c.domain_lookup_by_name(&n).wait() {
                            doms.push(d);
                        }
                    }
                }
            } else {
                match c.list_all_domains(flags & 3).wait() {
                    Ok(d) => doms = d,
                    Err(e) => {
                        ctl.last_error = Some(e);
                        return ctl.fail("Failed to list domains");
                    }
                }
            }
            let mut kept = Vec::new();
            for d in doms {
                if m(4 | 8) {
                    let Ok(p) = ctl.wait(d.is_persistent()) else {
                        return ctl.fail("Failed to get domain persistence info");
                    };
                    if !((m(4) && p) || (m(8) && !p)) {
                        continue;
                    }
                }
                if m(16 | 32 | 64 | 128) {
                    let Ok((s, _)) = ctl.wait(d.get_state(0)) else {
                        return ctl.fail("Failed to get domain state");
                    };
                    if !((m(16) && s == 1)
                        || (m(32) && s == 3)
                        || (m(64) && s == 5)
                        || (m(128) && !matches!(s, 1 | 3 | 5)))
                    {
                        continue;
                    }
                }
                if m(1024 | 2048) {
                    let Ok(a) = ctl.wait(d.get_autostart()) else {
                        return ctl.fail("Failed to get domain autostart state");
                    };
                    if !((m(1024) && a) || (m(2048) && !a)) {
                        continue;
                    }
                }
                if m(256 | 512) {
                    let Ok(ms) = ctl.wait(d.has_managed_save_image(0)) else {
                        return ctl.fail("Failed to check for managed save image");
                    };
                    if !((m(256) && ms) || (m(512) && !ms)) {
                        continue;
                    }
                }
                if m(4096 | 8192) {
                    let Ok(n) = ctl.wait(d.snapshot_num(0)) else {
                        return ctl.fail("Failed to get snapshot count");
                    };
                    if !((m(4096) && n > 0) || (m(8192) && n == 0)) {
                        continue;
                    }
                }
                kept.push(d);
            }
            kept
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list domains");
        }
    };
    doms.sort_by(|a, b| match (a.id(), b.id()) {
        (None, None) => a.name().to_lowercase().cmp(&b.name().to_lowercase()),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
    });
    Ok(doms)
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of the first `<name>` child of the XML's root element.
pub fn xml_child_text(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml_unescape(&xml[start..end]))
}

/// `virshGetDomainDescription` for the title.
fn title(ctl: &mut Ctl, dom: &Domain) -> Result<String, Failed> {
    match dom.get_metadata(1, None, 0).wait() {
        Ok(t) => Ok(t),
        Err(e) if e.code == ErrorCode::NO_DOMAIN_METADATA => Ok(String::new()),
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let xml = ctl.wait(dom.get_xml_desc(0))?;
            Ok(xml_child_text(&xml, "title").unwrap_or_default())
        }
        Err(e) => {
            ctl.last_error = Some(e);
            Err(Failed)
        }
    }
}

/// `list`.
pub fn list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let managed = cmd.flag("managed-save");
    let opt_title = cmd.flag("title");
    let opt_uuid = cmd.flag("uuid");
    let opt_name = cmd.flag("name");
    let opt_id = cmd.flag("id");
    let flags = list_flags(cmd);
    ctl.exclusive(cmd, "table", "name")?;
    ctl.exclusive(cmd, "table", "id")?;
    let opt_table = cmd.flag("table") || (!opt_uuid && !opt_name && !opt_id);
    let doms = collect(ctl, flags)?;
    let mut table = if opt_table {
        let mut h = vec!["Id", "Name", "State"];
        if opt_title {
            h.push("Title");
        }
        if opt_uuid {
            h.push("UUID");
        }
        Some(Table::new(&h))
    } else {
        None
    };
    for dom in &doms {
        let id = dom.id().map_or("-".to_owned(), |i| i.to_string());
        if let Some(t) = table.as_mut() {
            let Ok((state, _)) = dom_state(ctl, dom) else {
                ctl.reset_error();
                continue;
            };
            let state_s =
                if managed && state == 5 && dom.has_managed_save_image(0).wait() == Ok(true) {
                    "saved"
                } else {
                    state_str(state)
                };
            let mut row = vec![id, dom.name().to_owned(), state_s.to_owned()];
            if opt_title {
                row.push(title(ctl, dom)?);
            }
            if opt_uuid {
                row.push(dom.uuid().to_string());
            }
            t.row(row);
        } else {
            let mut line = String::new();
            let mut sep = "";
            if opt_uuid {
                line.push_str(&dom.uuid().to_string());
                sep = " ";
            }
            if opt_id {
                if dom.id().is_none() && !opt_uuid && !opt_name {
                    continue;
                }
                line.push_str(sep);
                line.push_str(&id);
                sep = " ";
            }
            if opt_name {
                line.push_str(sep);
                line.push_str(dom.name());
            }
            out!(ctl, "{line}\n");
        }
    }
    if let Some(t) = table {
        t.print(ctl);
    }
    Ok(())
}

/// `define <file> [--validate]`.
pub fn define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let validate = cmd.flag("validate");
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let r = if validate {
        ctl.wait(c.domain_define_xml_flags(&xml, 1))
    } else {
        ctl.wait(c.domain_define_xml(&xml))
    };
    let Ok(dom) = r else {
        return ctl.fail(&format!("Failed to define domain from {from}"));
    };
    extra!(ctl, "Domain '{}' defined from {from}\n", dom.name());
    Ok(())
}

/// `create <file> [--console] [--paused] [--autodestroy] [--validate] [--reset-nvram]`.
pub fn create(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let xml = ctl.read_file(&from)?;
    if cmd.has("pass-fds") {
        return ctl.fail("passing file descriptors is not supported by this virsh");
    }
    let mut flags = 0;
    for (n, b) in [
        ("paused", 1),
        ("autodestroy", 2),
        ("validate", 16),
        ("reset-nvram", 32),
    ] {
        if cmd.flag(n) {
            flags |= b;
        }
    }
    let c = ctl.conn()?;
    let Ok(dom) = ctl.wait(c.domain_create_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to create domain from {from}"));
    };
    extra!(ctl, "Domain '{}' created from {from}\n", dom.name());
    if cmd.flag("console") {
        crate::cmds::console::run_console(ctl, &dom, None, 0)?;
    }
    Ok(())
}

/// `start <domain> [--console] [--paused] [--autodestroy] [--bypass-cache] [--force-boot] [--reset-nvram]`.
pub fn start(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain_by(cmd, "domain", BY_NAME | BY_UUID)?;
    if dom.id().is_some() {
        return ctl.fail("Domain is already active");
    }
    if cmd.has("pass-fds") {
        return ctl.fail("passing file descriptors is not supported by this virsh");
    }
    let mut flags = 0;
    for (n, b) in [
        ("paused", 1),
        ("autodestroy", 2),
        ("bypass-cache", 4),
        ("force-boot", 8),
        ("reset-nvram", 32),
    ] {
        if cmd.flag(n) {
            flags |= b;
        }
    }
    let r = if flags != 0 {
        ctl.wait(dom.create_with_flags(flags))
    } else {
        ctl.wait(dom.create())
    };
    if r.is_err() {
        return ctl.fail(&format!("Failed to start domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' started\n", dom.name());
    if cmd.flag("console") {
        crate::cmds::console::run_console(ctl, &dom, None, 0)?;
    }
    Ok(())
}

/// `destroy <domain> [--graceful] [--remove-logs]`.
pub fn destroy(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    let mut flags = 0;
    if cmd.flag("graceful") {
        flags |= 1;
    }
    if cmd.flag("remove-logs") {
        flags |= 2;
    }
    let r = if flags != 0 {
        ctl.wait(dom.destroy_flags(flags))
    } else {
        ctl.wait(dom.destroy())
    };
    if r.is_err() {
        return ctl.fail(&format!("Failed to destroy domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' destroyed\n", dom.name());
    Ok(())
}

/// Parses `--mode acpi,agent,…` of shutdown and reboot.
fn mode_flags(ctl: &mut Ctl, cmd: &Cmd) -> Result<u32, Failed> {
    let Some(mode) = cmd.string(ctl, "mode")? else {
        return Ok(0);
    };
    let mut flags = 0;
    for m in crate::builtins::split_commas(mode) {
        flags |= match m.as_str() {
            "acpi" => 1,
            "agent" => 2,
            "initctl" => 4,
            "signal" => 8,
            "paravirt" => 16,
            other => {
                return ctl.fail(&format!(
                    "Unknown mode {other} value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'"
                ))
            }
        };
    }
    Ok(flags)
}

/// `shutdown <domain> [--mode …]`.
pub fn shutdown(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let flags = mode_flags(ctl, cmd)?;
    let dom = ctl.domain(cmd)?;
    let r = if flags != 0 {
        ctl.wait(dom.shutdown_flags(flags))
    } else {
        ctl.wait(dom.shutdown())
    };
    if r.is_err() {
        return ctl.fail(&format!("Failed to shutdown domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' is being shutdown\n", dom.name());
    Ok(())
}

/// `reboot <domain> [--mode …]`.
pub fn reboot(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let flags = mode_flags(ctl, cmd)?;
    let dom = ctl.domain(cmd)?;
    if ctl.wait(dom.reboot(flags)).is_err() {
        return ctl.fail(&format!("Failed to reboot domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' is being rebooted\n", dom.name());
    Ok(())
}

/// `reset <domain>`.
pub fn reset(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    if ctl.wait(dom.reset(0)).is_err() {
        return ctl.fail(&format!("Failed to reset domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' was reset\n", dom.name());
    Ok(())
}

/// `suspend <domain>`.
pub fn suspend(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    if ctl.wait(dom.suspend()).is_err() {
        return ctl.fail(&format!("Failed to suspend domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' suspended\n", dom.name());
    Ok(())
}

/// `resume <domain>`.
pub fn resume(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    if ctl.wait(dom.resume()).is_err() {
        return ctl.fail(&format!("Failed to resume domain '{}'", dom.name()));
    }
    extra!(ctl, "Domain '{}' resumed\n", dom.name());
    Ok(())
}

/// `undefine <domain> [--managed-save] [--snapshots-metadata] [--nvram] …`.
pub fn undefine(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let managed_save = cmd.flag("managed-save");
    let snapshots_metadata = cmd.flag("snapshots-metadata");
    let checkpoints_metadata = cmd.flag("checkpoints-metadata");
    let nvram = cmd.flag("nvram");
    let keep_nvram = cmd.flag("keep-nvram");
    let tpm = cmd.flag("tpm");
    let keep_tpm = cmd.flag("keep-tpm");
    ctl.exclusive(cmd, "nvram", "keep-nvram")?;
    ctl.exclusive(cmd, "tpm", "keep-tpm")?;
    let remove_all = cmd.flag("remove-all-storage");
    let storage = cmd.string(ctl, "storage")?.map(str::to_owned);
    let wipe = cmd.flag("wipe-storage");
    let delete_snapshots = cmd.flag("delete-storage-volume-snapshots");
    if storage.is_some() && remove_all {
        return ctl.fail("Specified both --storage and --remove-all-storage");
    }
    if wipe && storage.is_none() && !remove_all {
        return ctl
            .fail("'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
    }
    let mut flags = 0;
    let mut managed_save_safe = false;
    let mut snapshots_safe = false;
    if managed_save {
        flags |= 1;
        managed_save_safe = true;
    }
    if snapshots_metadata {
        flags |= 2;
        snapshots_safe = true;
    }
    if checkpoints_metadata {
        flags |= 16;
    }
    if nvram {
        flags |= 4;
    }
    if keep_nvram {
        flags |= 8;
    }
    if tpm {
        flags |= 32;
    }
    if keep_tpm {
        flags |= 64;
    }
    let dom = ctl.domain(cmd)?;
    let name = dom.name().to_owned();
    let active = ctl.wait(dom.is_active())?;
    let volumes = if remove_all || storage.is_some() {
        if active {
            return ctl.fail("Storage volume deletion is supported only on stopped domains");
        }
        storage_to_remove(ctl, &dom, storage.as_deref())?
    } else {
        Vec::new()
    };
    let has_managed_save = match dom.has_managed_save_image(0).wait() {
        Ok(v) => v,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => false,
        Err(e) => {
            ctl.last_error = Some(e);
            return Err(Failed);
        }
    };
    if !has_managed_save {
        managed_save_safe = true;
    }
    let nsnap = match dom.snapshot_num(0).wait() {
        Ok(n) => n,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => 0,
        Err(e) => {
            ctl.last_error = Some(e);
            return Err(Failed);
        }
    };
    if nsnap == 0 {
        snapshots_safe = true;
    }
    let mut rc = Err(Failed);
    let mut done = false;
    if (managed_save_safe && snapshots_safe) || nvram || keep_nvram {
        rc = ctl.wait(dom.undefine_flags(flags));
        let code = ctl.last_code();
        if rc.is_ok()
            || nvram
            || keep_nvram
            || (code != Some(ErrorCode::NO_SUPPORT) && code != Some(ErrorCode::INVALID_ARG))
        {
            done = true;
        } else {
            ctl.reset_error();
        }
    }
    if !done {
        if has_managed_save && !managed_save {
            return ctl.fail("Refusing to undefine while domain managed save image exists");
        }
        if nsnap > 0 {
            return ctl.fail(&format!("Unable to remove metadata of {nsnap} snapshots"));
        }
        rc = ctl.wait(dom.undefine());
    }
    if rc.is_err() {
        return ctl.fail(&format!("Failed to undefine domain '{name}'"));
    }
    extra!(ctl, "Domain '{name}' has been undefined\n");
    let mut ret = Ok(());
    for (target, source, vol) in volumes {
        if wipe {
            extra!(ctl, "Wiping volume '{target}'({source}) ... ");
            ctl.flush();
            if ctl.wait(vol.wipe(0)).is_err() {
                ctl.error("Failed! Volume not removed.");
                ret = Err(Failed);
                continue;
            }
            extra!(ctl, "Done.\n");
        }
        if ctl.wait(vol.delete(u32::from(delete_snapshots))).is_err() {
            ctl.error(&format!(
                "Failed to remove storage volume '{target}'({source})"
            ));
            ret = Err(Failed);
        } else {
            extra!(ctl, "Volume '{target}'({source}) removed.\n");
        }
    }
    ret
}

/// The value of attribute `name` in an element's opening tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    for q in ['\'', '"'] {
        let key = format!(" {name}={q}");
        if let Some(i) = tag.find(&key) {
            let rest = &tag[i + key.len()..];
            return rest.find(q).map(|e| xml_unescape(&rest[..e]));
        }
    }
    None
}

/// The opening tag of the first `<name …>` inside `xml`.
fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{name} "))?;
    let end = xml[start..].find('>')? + start;
    Some(&xml[start..=end])
}

/// The disks of a domain XML as (target, source, pool of a volume disk).
fn disks(xml: &str) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<disk ") {
        let block_end = rest[i..].find("</disk>").map_or(rest.len(), |e| e + i);
        let block = &rest[i..block_end];
        rest = &rest[block_end..];
        let Some(target) = tag(block, "target").and_then(|t| attr(t, "dev")) else {
            continue;
        };
        let Some(src) = tag(block, "source") else {
            continue;
        };
        let (source, pool) = match attr(src, "volume") {
            Some(v) => (v, attr(src, "pool")),
            None => match ["file", "dir", "dev", "name"]
                .iter()
                .find_map(|a| attr(src, a))
            {
                Some(s) => (s, None),
                None => continue,
            },
        };
        out.push((target, source, pool));
    }
    out
}

/// The volumes `undefine --storage`/`--remove-all-storage` would delete,
/// with libvirt's complaints about the ones it cannot.
fn storage_to_remove(
    ctl: &mut Ctl,
    dom: &Domain,
    list: Option<&str>,
) -> Result<Vec<(String, String, oxvirt_client::StorageVol)>, Failed> {
    let xml = ctl.wait(dom.get_xml_desc(0))?;
    let disks = disks(&xml);
    let wanted: Option<Vec<String>> = list.map(crate::builtins::split_commas);
    if let Some(w) = &wanted {
        for item in w {
            if !disks.iter().any(|(t, s, _)| t == item || s == item) {
                return ctl.fail(&format!(
                    "Volume '{item}' was not found in domain's definition.\n"
                ));
            }
        }
    }
    let c = ctl.conn()?;
    let mut out = Vec::new();
    for (target, source, pool) in disks {
        if let Some(w) = &wanted {
            if !w.iter().any(|i| *i == target || *i == source) {
                continue;
            }
        }
        let vol = match &pool {
            Some(p) => match c.storage_pool_lookup_by_name(p).wait() {
                Ok(pool) => pool.vol_lookup_by_name(&source).wait().ok(),
                Err(_) => None,
            },
            None => c.storage_vol_lookup_by_path(&source).wait().ok(),
        };
        match vol {
            Some(v) => out.push((target, source, v)),
            None => ctl.error(&format!(
                "Storage volume '{target}'({source}) is not managed by libvirt. Remove it manually.\n"
            )),
        }
    }
    Ok(out)
}

/// `dominfo <domain>`.
pub fn dominfo(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    let c = ctl.conn()?;
    let mut ret = Ok(());
    match dom.id() {
        Some(id) => out!(ctl, "{:<15} {}\n", "Id:", id),
        None => out!(ctl, "{:<15} -\n", "Id:"),
    }
    out!(ctl, "{:<15} {}\n", "Name:", dom.name());
    out!(ctl, "{:<15} {}\n", "UUID:", dom.uuid());
    if let Ok(os) = ctl.wait(dom.get_os_type()) {
        out!(ctl, "{:<15} {}\n", "OS Type:", os);
    }
    match ctl.wait(dom.get_info()) {
        Ok(info) => {
            out!(ctl, "{:<15} {}\n", "State:", state_str(info.state));
            out!(ctl, "{:<15} {}\n", "CPU(s):", info.nr_virt_cpu);
            if info.cpu_time != 0 {
                out!(
                    ctl,
                    "{:<15} {:.1}s\n",
                    "CPU time:",
                    info.cpu_time as f64 / 1e9
                );
            }
            if info.max_mem != u64::from(u32::MAX) {
                out!(ctl, "{:<15} {} KiB\n", "Max memory:", info.max_mem);
            } else {
                out!(ctl, "{:<15} no limit\n", "Max memory:");
            }
            out!(ctl, "{:<15} {} KiB\n", "Used memory:", info.memory);
        }
        Err(f) => ret = Err(f),
    }
    match ctl.wait(dom.is_persistent()) {
        Ok(p) => out!(
            ctl,
            "{:<15} {}\n",
            "Persistent:",
            if p { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} unknown\n", "Persistent:"),
    }
    if let Ok(a) = ctl.wait(dom.get_autostart()) {
        out!(
            ctl,
            "{:<15} {}\n",
            "Autostart:",
            if a { "enable" } else { "disable" }
        );
    }
    match ctl.wait(dom.has_managed_save_image(0)) {
        Ok(m) => out!(
            ctl,
            "{:<15} {}\n",
            "Managed save:",
            if m { "yes" } else { "no" }
        ),
        Err(_) => out!(ctl, "{:<15} unknown\n", "Managed save:"),
    }
    match c.node_get_security_model().wait() {
        Err(e) if e.code == ErrorCode::NO_SUPPORT => ctl.reset_error(),
        Err(e) => {
            ctl.last_error = Some(e);
            return Err(Failed);
        }
        Ok(sm) if !sm.model.is_empty() => {
            out!(ctl, "{:<15} {}\n", "Security model:", sm.model);
            out!(ctl, "{:<15} {}\n", "Security DOI:", sm.doi);
            let label = ctl.wait(dom.get_security_label())?;
            if !label.label.is_empty() {
                out!(
                    ctl,
                    "{:<15} {} ({})\n",
                    "Security label:",
                    label.label,
                    if label.enforcing {
                        "enforcing"
                    } else {
                        "permissive"
                    }
                );
            }
        }
        Ok(_) => {}
    }
    if let Ok(msgs) = dom.get_messages(0).wait() {
        for (i, m) in msgs.iter().enumerate() {
            out!(ctl, "{:<15} {}\n", if i == 0 { "Messages:" } else { "" }, m);
        }
    }
    ret
}

/// `domstate <domain> [--reason]`.
pub fn domstate(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    let (state, reason) = dom_state(ctl, &dom)?;
    if cmd.flag("reason") {
        out!(
            ctl,
            "{} ({})\n",
            state_str(state),
            reason_str(state, reason)
        );
    } else {
        out!(ctl, "{}\n", state_str(state));
    }
    Ok(())
}

/// `domid <domain>`.
pub fn domid(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain_by(cmd, "domain", BY_NAME | BY_UUID)?;
    match dom.id() {
        Some(id) => out!(ctl, "{id}\n"),
        None => out!(ctl, "-\n"),
    }
    Ok(())
}

/// `domname <domain>`.
pub fn domname(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain_by(cmd, "domain", BY_ID | BY_UUID)?;
    out!(ctl, "{}\n", dom.name());
    Ok(())
}

/// `domuuid <domain>`.
pub fn domuuid(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain_by(cmd, "domain", BY_ID | BY_NAME)?;
    out!(ctl, "{}\n", dom.uuid());
    Ok(())
}

/// `dumpxml <domain> [--inactive] [--security-info] [--update-cpu] [--migratable]`.
pub fn dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let mut flags = 0;
    for (n, b) in [
        ("inactive", 2),
        ("security-info", 1),
        ("update-cpu", 4),
        ("migratable", 8),
    ] {
        if cmd.flag(n) {
            flags |= b;
        }
    }
    let dom = ctl.domain(cmd)?;
    let xml = ctl.wait(dom.get_xml_desc(flags))?;
    out!(ctl, "{xml}");
    Ok(())
}

/// `autostart <domain> [--disable]`.
pub fn autostart(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    let on = !cmd.flag("disable");
    if ctl.wait(dom.set_autostart(on)).is_err() {
        let verb = if on { "mark" } else { "unmark" };
        return ctl.fail(&format!(
            "Failed to {verb} domain '{}' as autostarted",
            dom.name()
        ));
    }
    if on {
        extra!(ctl, "Domain '{}' marked as autostarted\n", dom.name());
    } else {
        extra!(ctl, "Domain '{}' unmarked as autostarted\n", dom.name());
    }
    Ok(())
}

/// `domstats [--state] … [--list-*] [domain…]`.
pub fn domstats(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let mut stats = 0;
    for (n, b) in [
        ("state", 1),
        ("cpu-total", 2),
        ("balloon", 4),
        ("vcpu", 8),
        ("interface", 16),
        ("block", 32),
        ("perf", 64),
        ("iothread", 128),
        ("memory", 256),
        ("dirtyrate", 512),
        ("vm", 1024),
    ] {
        if cmd.flag(n) {
            stats |= b;
        }
    }
    let mut flags: u32 = 0;
    for (n, b) in [
        ("list-active", 1u32),
        ("list-inactive", 2),
        ("list-persistent", 4),
        ("list-transient", 8),
        ("list-running", 16),
        ("list-paused", 32),
        ("list-shutoff", 64),
        ("list-other", 128),
        ("enforce", 1 << 31),
        ("backing", 1 << 30),
        ("nowait", 1 << 29),
    ] {
        if cmd.flag(n) {
            flags |= b;
        }
    }
    let c = ctl.conn()?;
    let names: Vec<String> = cmd.argv("domain").into_iter().map(str::to_owned).collect();
    let mut doms = Vec::new();
    for n in &names {
        doms.push(ctl.lookup_domain(n, BY_ID | BY_UUID | BY_NAME)?);
    }
    let records = ctl.wait(c.get_all_domain_stats(&doms, stats, flags))?;
    for (i, r) in records.iter().enumerate() {
        out!(ctl, "Domain: '{}'\n", r.domain.name());
        for TypedParam { field, value } in &r.params {
            out!(ctl, "  {}={}\n", field, typed_value(value));
        }
        if i + 1 < records.len() {
            out!(ctl, "\n");
        }
    }
    Ok(())
}

/// `--config`, `--live`, `--current` as `VIR_DOMAIN_AFFECT_*` flags.
fn affect_flags(ctl: &mut Ctl, cmd: &Cmd) -> Result<u32, Failed> {
    ctl.exclusive(cmd, "current", "live")?;
    ctl.exclusive(cmd, "current", "config")?;
    let mut flags = 0;
    if cmd.flag("config") {
        flags |= 2;
    }
    if cmd.flag("live") {
        flags |= 1;
    }
    Ok(flags)
}

/// `setmem <domain> <size> [--config] [--live] [--current]`.
pub fn setmem(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let flags = affect_flags(ctl, cmd)?;
    let dom = ctl.domain(cmd)?;
    let Some(bytes) = cmd.scaled(ctl, "size", 1024, u64::MAX)? else {
        return Err(Failed);
    };
    let kib = bytes.div_ceil(1024);
    if flags == 0 && !cmd.flag("current") {
        ctl.wait(dom.set_memory(kib))?;
    } else {
        ctl.wait(dom.set_memory_flags(kib, flags))?;
    }
    Ok(())
}

/// `setmaxmem <domain> <size> [--config] [--live] [--current]`.
pub fn setmaxmem(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let flags = affect_flags(ctl, cmd)?;
    let dom = ctl.domain(cmd)?;
    let Some(bytes) = cmd.scaled(ctl, "size", 1024, u64::MAX)? else {
        return Err(Failed);
    };
    let kib = bytes.div_ceil(1024);
    let r = if flags == 0 && !cmd.flag("current") {
        ctl.wait(dom.set_max_memory(kib))
    } else {
        ctl.wait(dom.set_memory_flags(kib, flags | 4))
    };
    if r.is_err() {
        return ctl.fail("Unable to change MaxMemorySize");
    }
    Ok(())
}

/// `setvcpus <domain> <count> [--maximum] [--config] [--live] [--current] [--guest] [--hotpluggable]`.
pub fn setvcpus(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let mut flags = affect_flags(ctl, cmd)?;
    if cmd.flag("maximum") {
        flags |= 4;
    }
    if cmd.flag("guest") {
        flags |= 8;
    }
    if cmd.flag("hotpluggable") {
        flags |= 16;
    }
    let dom = ctl.domain(cmd)?;
    let Some(count) = cmd.uint(ctl, "count")? else {
        return Err(Failed);
    };
    ctl.wait(dom.set_vcpus_flags(count, flags))?;
    Ok(())
}

/// `dommemstat <domain>`.
pub fn dommemstat(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let _ = affect_flags(ctl, cmd)?;
    let dom = ctl.domain(cmd)?;
    if cmd.has("period") {
        return ctl.fail("setting the collection period is not supported by this virsh yet");
    }
    let Ok(stats) = ctl.wait(dom.memory_stats(14, 0)) else {
        return ctl.fail(&format!(
            "Failed to get memory statistics for domain {}",
            dom.name()
        ));
    };
    const NAMES: [&str; 14] = [
        "swap_in",
        "swap_out",
        "major_fault",
        "minor_fault",
        "unused",
        "available",
        "actual",
        "rss",
        "usable",
        "last_update",
        "disk_caches",
        "hugetlb_pgalloc",
        "hugetlb_pgfail",
        "",
    ];
    for (tag, val) in stats {
        if let Some(n) = usize::try_from(tag).ok().and_then(|t| NAMES.get(t)) {
            if !n.is_empty() {
                out!(ctl, "{n} {val}\n");
            }
        }
    }
    Ok(())
}
