//! `vol-*`: storage volumes, including `vol-upload` and `vol-download`
//! streams (sparse or not) with a progress bar on a terminal.

use crate::cmds::pool::{self, pretty};
use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::progress::Progress;
use crate::table::Table;
use crate::vsh::{CmdResult, Failed};
use crate::{extra, out};
use oxvirt_client::{StoragePool, StorageVol, StreamData, Wait};
use std::io::{Read, Seek, SeekFrom, Write};

/// `virshCommandOptVolBy`: by name in the `--pool` given, else by key, else
/// by path.
pub fn lookup(ctl: &mut Ctl, cmd: &Cmd, opt: &str, pool_opt: &str) -> Result<StorageVol, Failed> {
    let n = cmd.string_req(ctl, opt)?.to_owned();
    let p = cmd.string(ctl, pool_opt)?.map(str::to_owned);
    let pool = match &p {
        Some(name) => {
            let pool = pool::lookup_name(ctl, name, false)?;
            if !pool.is_active().wait().unwrap_or(false) {
                return ctl.fail(&format!("pool '{name}' is not active"));
            }
            Some(pool)
        }
        None => None,
    };
    let c = ctl.conn()?;
    let mut vol = None;
    if let Some(pool) = &pool {
        vol = ctl.wait(pool.vol_lookup_by_name(&n)).ok();
    }
    if vol.is_none() {
        vol = ctl.wait(c.storage_vol_lookup_by_key(&n)).ok();
    }
    if vol.is_none() {
        vol = ctl.wait(c.storage_vol_lookup_by_path(&n)).ok();
    }
    match vol {
        Some(v) => {
            ctl.reset_error();
            Ok(v)
        }
        None if pool.is_some() || pool_opt.is_empty() => {
            ctl.fail(&format!("failed to get vol '{n}'"))
        }
        None => ctl.fail(&format!(
            "failed to get vol '{n}', specifying --{pool_opt} might help"
        )),
    }
}

fn vol(ctl: &mut Ctl, cmd: &Cmd) -> Result<StorageVol, Failed> {
    lookup(ctl, cmd, "vol", "pool")
}

fn type_str(t: i32) -> &'static str {
    match t {
        0 => "file",
        1 => "block",
        2 => "dir",
        3 => "network",
        4 => "netdir",
        5 => "ploop",
        _ => "unknown",
    }
}

/// `vol-list <pool> [--details]`.
pub fn list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let details = cmd.flag("details");
    let p: StoragePool = pool::lookup_opt(ctl, cmd, "pool", false)?;
    let Ok(mut vols) = ctl.wait(p.list_all_volumes(0)) else {
        return ctl.fail("Failed to list storage volumes");
    };
    vols.sort_by(|a, b| a.name().cmp(b.name()));
    let mut t = if details {
        Table::new(&["Name", "Path", "Type", "Capacity", "Allocation"])
    } else {
        Table::new(&["Name", "Path"])
    };
    for v in &vols {
        let path = v.get_path().wait().unwrap_or_default();
        if details {
            match v.get_info().wait() {
                Ok(i) => t.row(vec![
                    v.name().to_owned(),
                    path,
                    type_str(i.type_).to_owned(),
                    pretty(i.capacity),
                    pretty(i.allocation),
                ]),
                Err(_) => t.row(vec![
                    v.name().to_owned(),
                    path,
                    "unknown".to_owned(),
                    "unknown".to_owned(),
                    "unknown".to_owned(),
                ]),
            }
        } else {
            t.row(vec![v.name().to_owned(), path]);
        }
    }
    ctl.reset_error();
    t.print(ctl);
    Ok(())
}

/// `vol-info <vol> [--pool p] [--bytes]`.
pub fn info(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let bytes = cmd.flag("bytes");
    let v = vol(ctl, cmd)?;
    out!(ctl, "{:<15} {}\n", "Name:", v.name());
    let i = ctl.wait(v.get_info())?;
    out!(ctl, "{:<15} {}\n", "Type:", type_str(i.type_));
    for (label, n) in [("Capacity:", i.capacity), ("Allocation:", i.allocation)] {
        if bytes {
            out!(ctl, "{:<15} {} bytes\n", label, n);
        } else {
            out!(ctl, "{:<15} {}\n", label, pretty(n));
        }
    }
    Ok(())
}

/// `vol-dumpxml <vol> [--pool p]`.
pub fn dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let v = vol(ctl, cmd)?;
    let xml = ctl.wait(v.get_xml_desc(0))?;
    out!(ctl, "{xml}");
    Ok(())
}

fn create_flags(cmd: &Cmd) -> u32 {
    let mut f = 0;
    if cmd.flag("prealloc-metadata") {
        f |= 1;
    }
    if cmd.flag("reflink") {
        f |= 2;
    }
    if cmd.flag("validate") {
        f |= 4;
    }
    f
}

/// `vol-create <pool> <file> [--prealloc-metadata]`.
pub fn create(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let p = pool::lookup_opt(ctl, cmd, "pool", false)?;
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let xml = ctl.read_file(&from)?;
    let Ok(v) = ctl.wait(p.vol_create_xml(&xml, create_flags(cmd))) else {
        return ctl.fail(&format!("Failed to create vol from {from}"));
    };
    extra!(ctl, "Vol {} created from {from}\n", v.name());
    Ok(())
}

/// `vshVolSize`: bytes by default; a bad value is `Malformed size …`
/// followed by the library's reason, if any.
fn vol_size(ctl: &mut Ctl, s: &str) -> Result<u64, Failed> {
    match crate::vsh::scale_integer(s, 1, u64::MAX) {
        Ok(n) => Ok(n),
        Err(e) => {
            ctl.error(&format!("Malformed size {s}"));
            ctl.last_error = e;
            Err(Failed)
        }
    }
}

/// `vol-create-as <pool> <name> <capacity> [--allocation a] [--format f] …`.
pub fn create_as(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let p = pool::lookup_opt(ctl, cmd, "pool", false)?;
    let name = cmd.string_req(ctl, "name")?.to_owned();
    let cap_s = cmd.string_req(ctl, "capacity")?.to_owned();
    let capacity = vol_size(ctl, &cap_s)?;
    let alloc = match cmd.string(ctl, "allocation")?.map(str::to_owned) {
        Some(a) => Some(vol_size(ctl, &a)?),
        None => None,
    };
    let format = cmd.string(ctl, "format")?.map(str::to_owned);
    if cmd.has("backing-vol") {
        return ctl.fail("--backing-vol is not supported by this virsh yet");
    }
    let mut x = format!("<volume>\n  <name>{name}</name>\n  <capacity>{capacity}</capacity>\n");
    if let Some(a) = alloc {
        x.push_str(&format!("  <allocation>{a}</allocation>\n"));
    }
    if let Some(f) = &format {
        x.push_str(&format!(
            "  <target>\n    <format type='{f}'/>\n  </target>\n"
        ));
    }
    x.push_str("</volume>\n");
    if cmd.flag("print-xml") {
        out!(ctl, "{x}");
        return Ok(());
    }
    let Ok(v) = ctl.wait(p.vol_create_xml(&x, create_flags(cmd))) else {
        return ctl.fail(&format!("Failed to create vol {name}"));
    };
    extra!(ctl, "Vol {} created\n", v.name());
    Ok(())
}

/// `vol-create-from <pool> <file> <vol> [--inputpool p]`.
pub fn create_from(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let p = pool::lookup_opt(ctl, cmd, "pool", false)?;
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let input = lookup(ctl, cmd, "vol", "inputpool")?;
    let xml = ctl.read_file(&from)?;
    let Ok(v) = ctl.wait(p.vol_create_xml_from(&xml, &input, create_flags(cmd))) else {
        return ctl.fail(&format!("Failed to create vol from {from}"));
    };
    extra!(
        ctl,
        "Vol {} created from input vol {}\n",
        v.name(),
        input.name()
    );
    Ok(())
}

/// `vol-clone <vol> <newname> [--pool p]`.
pub fn clone(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let orig = vol(ctl, cmd)?;
    let newname = cmd.string_req(ctl, "newname")?.to_owned();
    let Ok(p) = ctl.wait(orig.pool()) else {
        return ctl.fail("failed to get parent pool");
    };
    let xml = ctl.wait(orig.get_xml_desc(0))?;
    let Some(start) = xml.find("<name>") else {
        return ctl.fail("Failed to clone vol");
    };
    let Some(end) = xml[start..].find("</name>").map(|e| e + start + 7) else {
        return ctl.fail("Failed to clone vol");
    };
    let new_xml = format!("{}<name>{newname}</name>{}", &xml[..start], &xml[end..]);
    let Ok(v) = ctl.wait(p.vol_create_xml_from(&new_xml, &orig, create_flags(cmd))) else {
        return ctl.fail(&format!("Failed to clone vol from {}", orig.name()));
    };
    extra!(ctl, "Vol {} cloned from {}\n", v.name(), orig.name());
    Ok(())
}

/// `vol-delete <vol> [--pool p] [--delete-snapshots]`.
pub fn delete(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let v = vol(ctl, cmd)?;
    let flags = u32::from(cmd.flag("delete-snapshots"));
    if ctl.wait(v.delete(flags)).is_err() {
        return ctl.fail(&format!("Failed to delete vol {}", v.name()));
    }
    extra!(ctl, "Vol {} deleted\n", v.name());
    Ok(())
}

/// `vol-wipe <vol> [--pool p] [--algorithm a]`.
pub fn wipe(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let v = vol(ctl, cmd)?;
    if let Some(a) = cmd.string(ctl, "algorithm")? {
        const ALGS: [&str; 10] = [
            "zero",
            "nnsa",
            "dod",
            "bsi",
            "gutmann",
            "schneier",
            "pfitzner7",
            "pfitzner33",
            "random",
            "trim",
        ];
        if !ALGS.contains(&a) {
            return ctl.fail(&format!("Unsupported algorithm '{a}'"));
        }
        if a != "zero" {
            return ctl
                .fail("wipe algorithms other than 'zero' are not supported by this virsh yet");
        }
    }
    if ctl.wait(v.wipe(0)).is_err() {
        return ctl.fail(&format!("Failed to wipe vol {}", v.name()));
    }
    extra!(ctl, "Vol {} wiped\n", v.name());
    Ok(())
}

/// `vol-resize <vol> <capacity> [--pool p] [--allocate] [--delta] [--shrink]`.
pub fn resize(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let mut flags = 0;
    if cmd.flag("allocate") {
        flags |= 1;
    }
    if cmd.flag("delta") {
        flags |= 2;
    }
    if cmd.flag("shrink") {
        flags |= 4;
    }
    let v = vol(ctl, cmd)?;
    let cap_s = cmd.string_req(ctl, "capacity")?.to_owned();
    let (neg, digits) = match cap_s.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, cap_s.clone()),
    };
    if neg {
        if flags & 2 == 0 {
            return ctl.fail("negative size requires --delta");
        }
        flags |= 4;
    }
    let Ok(capacity) = crate::vsh::scale_integer(&digits, 1, u64::MAX) else {
        return ctl.fail(&format!("Malformed size {cap_s}"));
    };
    if ctl.wait(v.resize(capacity, flags)).is_err() {
        return ctl.fail(&format!(
            "Failed to change size of volume '{}' to {cap_s}",
            v.name()
        ));
    }
    let by = if flags & 2 != 0 { "by" } else { "to" };
    extra!(
        ctl,
        "Size of volume '{}' successfully changed {by} {cap_s}\n",
        v.name()
    );
    Ok(())
}

/// `vol-path <vol> [--pool p]`.
pub fn path(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let v = vol(ctl, cmd)?;
    let p = ctl.wait(v.get_path())?;
    out!(ctl, "{p}\n");
    Ok(())
}

/// `vol-name <key or path>`.
pub fn name(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let v = lookup(ctl, cmd, "vol", "")?;
    out!(ctl, "{}\n", v.name());
    Ok(())
}

/// `vol-key <vol> [--pool p]`.
pub fn key(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let v = vol(ctl, cmd)?;
    out!(ctl, "{}\n", v.key());
    Ok(())
}

/// `vol-pool <vol> [--uuid]`.
pub fn pool_of(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let v = lookup(ctl, cmd, "vol", "")?;
    let Ok(p) = ctl.wait(v.pool()) else {
        return ctl.fail("failed to get parent pool");
    };
    if cmd.flag("uuid") {
        out!(ctl, "{}\n", p.uuid());
    } else {
        out!(ctl, "{}\n", p.name());
    }
    Ok(())
}

fn offsets(ctl: &mut Ctl, cmd: &Cmd) -> Result<(u64, u64), Failed> {
    let offset = cmd.ull(ctl, "offset")?.unwrap_or(0);
    let length = cmd.ull(ctl, "length")?.unwrap_or(0);
    Ok((offset, length))
}

/// `lseek(SEEK_DATA / SEEK_HOLE)` from `pos`, `None` past the last data.
fn seek_extent(f: &std::fs::File, pos: u64, whence: i32) -> Option<u64> {
    use std::os::fd::AsRawFd;
    // SAFETY: lseek on an open descriptor has no memory effects.
    let r = unsafe { libc::lseek(f.as_raw_fd(), pos as libc::off_t, whence) };
    (r >= 0).then_some(r as u64)
}

/// `vol-upload <vol> <file> [--pool p] [--offset o] [--length l] [--sparse]`.
pub fn upload(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let (offset, length) = offsets(ctl, cmd)?;
    let sparse = cmd.flag("sparse");
    let v = vol(ctl, cmd)?;
    let file = cmd.string_req(ctl, "file")?.to_owned();
    let mut f = match std::fs::File::open(&file) {
        Ok(f) => f,
        Err(_) => return ctl.fail(&format!("cannot read {file}")),
    };
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let total = if length > 0 { length.min(size) } else { size };
    let Ok(stream) = ctl.wait(v.upload(offset, length, u32::from(sparse))) else {
        return ctl.fail(&format!("cannot upload to volume {}", v.name()));
    };
    let mut progress = Progress::new(total);
    let mut pos = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    let result: Result<(), Failed> = loop {
        if pos >= total {
            break Ok(());
        }
        let mut end = total;
        if sparse {
            let data = seek_extent(&f, pos, libc::SEEK_DATA)
                .unwrap_or(total)
                .min(total);
            if data > pos {
                if ctl.wait(stream.send_hole(data - pos)).is_err() {
                    break Err(Failed);
                }
                pos = data;
                progress.update(pos);
                continue;
            }
            end = seek_extent(&f, pos, libc::SEEK_HOLE)
                .unwrap_or(total)
                .min(total);
        }
        if f.seek(SeekFrom::Start(pos)).is_err() {
            break Err(Failed);
        }
        let want = (buf.len() as u64).min(end - pos) as usize;
        let n = match f.read(&mut buf[..want]) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(_) => {
                ctl.error(&format!("cannot read {file}"));
                break Err(Failed);
            }
        };
        if ctl.wait(stream.send(&buf[..n])).is_err() {
            break Err(Failed);
        }
        pos += n as u64;
        progress.update(pos);
    };
    progress.done();
    if result.is_err() {
        let _ = stream.abort().wait();
        return ctl.fail(&format!("cannot send data to volume {}", v.name()));
    }
    if ctl.wait(stream.finish()).is_err() {
        return ctl.fail(&format!("cannot close volume {}", v.name()));
    }
    Ok(())
}

/// `vol-download <vol> <file> [--pool p] [--offset o] [--length l] [--sparse]`.
pub fn download(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let (offset, length) = offsets(ctl, cmd)?;
    let sparse = cmd.flag("sparse");
    let v = vol(ctl, cmd)?;
    let file = cmd.string_req(ctl, "file")?.to_owned();
    let total = match length {
        0 => ctl
            .wait(v.get_info())
            .map(|i| i.capacity.saturating_sub(offset))
            .unwrap_or(0),
        l => l,
    };
    ctl.reset_error();
    let existed = std::path::Path::new(&file).exists();
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&file)
    {
        Ok(f) => f,
        Err(e) => {
            return ctl.fail(&format!(
                "cannot create {file}: {}",
                oxvirt_client::error::strerror(&e)
            ))
        }
    };
    let cleanup = |ok: bool| {
        if !ok && !existed {
            let _ = std::fs::remove_file(&file);
        }
    };
    let Ok(stream) = ctl.wait(v.download(offset, length, u32::from(sparse))) else {
        cleanup(false);
        return ctl.fail(&format!("cannot download from volume {}", v.name()));
    };
    let mut progress = Progress::new(total);
    let mut pos = 0u64;
    let result = loop {
        match stream.recv().wait() {
            Ok(StreamData::Data(d)) => {
                if f.write_all(&d).is_err() {
                    ctl.error(&format!("cannot write to {file}"));
                    break Err(Failed);
                }
                pos += d.len() as u64;
            }
            Ok(StreamData::Hole(n)) => {
                pos += n;
                if f.seek(SeekFrom::Start(pos)).is_err() || f.set_len(pos).is_err() {
                    break Err(Failed);
                }
            }
            Ok(StreamData::Eof) => break Ok(()),
            Err(e) => {
                ctl.last_error = Some(e);
                break Err(Failed);
            }
        }
        progress.update(pos);
    };
    progress.done();
    if result.is_err() {
        let _ = stream.abort().wait();
        cleanup(false);
        return ctl.fail(&format!("cannot receive data from volume {}", v.name()));
    }
    if ctl.wait(stream.finish()).is_err() {
        cleanup(false);
        return ctl.fail(&format!("cannot close volume {}", v.name()));
    }
    if f.sync_all().is_err() {
        return ctl.fail(&format!("cannot close file {file}"));
    }
    Ok(())
}
