//! What the driver keeps on disk, in libvirt's layout, and how it is
//! written so that a crash at any moment loses nothing.
//!
//! | what | where (under `--root`) |
//! |---|---|
//! | persistent definitions | `/etc/libvirt/qemu/NAME.xml` (0600) |
//! | autostart | `/etc/libvirt/qemu/autostart/NAME.xml` → absolute link to the definition |
//! | live status | `/run/libvirt/qemu/NAME.xml` (`<domstatus>`, 0600) and `NAME.pid` |
//! | once-per-boot marker | `/run/libvirt/qemu/autostarted` |
//! | per-domain directory | `/var/lib/libvirt/qemu/domain-ID-NAME20/` (monitor socket, master key) |
//! | QEMU log | `/var/log/libvirt/qemu/NAME.log` (0600) |
//!
//! Every file is written with [`write_file`]: a temporary file in the
//! same directory, then `rename` over the old one. A reader therefore sees
//! the old file or the new one, never a mix, whatever moment the daemon
//! dies at (killed or not, what it wrote is in the page cache).
//!
//! Persistent definitions and autostart links are also made durable
//! against a host crash ([`Durability::Durable`]: `fsync` of the file
//! before the rename and of the directory after). Run-time files (status,
//! pid, master key, the autostarted marker) are not
//! ([`Durability::Runtime`]): they live in `/run`, a tmpfs on libvirt
//! hosts where `fsync` has nothing to do, and they describe QEMU processes
//! that a host crash ends anyway. On a disk-backed `--root` an `fsync`
//! costs tens of milliseconds, which would double a domain's start time
//! for no gain.

use oxvirt_conf::domain::{format_flags, DomainDef};
use oxvirt_conf::xml::{self, XmlElement};
use oxvirt_core::domain::DomainState;
use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The driver's directories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QemuPaths {
    /// `/etc/libvirt/qemu`.
    pub config_dir: PathBuf,
    /// `/etc/libvirt/qemu/autostart`.
    pub autostart_dir: PathBuf,
    /// `/run/libvirt/qemu`.
    pub run_dir: PathBuf,
    /// `/var/lib/libvirt/qemu`.
    pub lib_dir: PathBuf,
    /// `/var/log/libvirt/qemu`.
    pub log_dir: PathBuf,
    /// `/var/cache/libvirt/qemu`.
    pub cache_dir: PathBuf,
}

impl QemuPaths {
    /// The layout below the daemon's directories (already relocated by
    /// `--root`): `config` = `/etc/libvirt`, `run` = `/run/libvirt`, `lib` =
    /// `/var/lib/libvirt`, `log` = `/var/log/libvirt`, `cache` =
    /// `/var/cache/libvirt`.
    pub fn new(config: &Path, run: &Path, lib: &Path, log: &Path, cache: &Path) -> QemuPaths {
        let config_dir = config.join("qemu");
        QemuPaths {
            autostart_dir: config_dir.join("autostart"),
            config_dir,
            run_dir: run.join("qemu"),
            lib_dir: lib.join("qemu"),
            log_dir: log.join("qemu"),
            cache_dir: cache.join("qemu"),
        }
    }

    /// Creates every directory (0700 for config and run, 0755 for lib and
    /// log, as far as this process can choose).
    pub fn create_all(&self) -> io::Result<()> {
        for d in [
            &self.config_dir,
            &self.autostart_dir,
            &self.run_dir,
            &self.lib_dir,
            &self.log_dir,
            &self.cache_dir,
        ] {
            std::fs::create_dir_all(d)?;
        }
        Ok(())
    }

    pub fn config_file(&self, name: &str) -> PathBuf {
        self.config_dir.join(format!("{name}.xml"))
    }

    pub fn autostart_link(&self, name: &str) -> PathBuf {
        self.autostart_dir.join(format!("{name}.xml"))
    }

    pub fn status_file(&self, name: &str) -> PathBuf {
        self.run_dir.join(format!("{name}.xml"))
    }

    pub fn pid_file(&self, name: &str) -> PathBuf {
        self.run_dir.join(format!("{name}.pid"))
    }

    pub fn autostarted_marker(&self) -> PathBuf {
        self.run_dir.join("autostarted")
    }

    pub fn log_file(&self, name: &str) -> PathBuf {
        self.log_dir.join(format!("{name}.log"))
    }

    /// `domain-ID-NAME20`: the per-run directory.
    pub fn domain_dir(&self, id: i32, name: &str) -> PathBuf {
        let short: String = name.chars().take(20).collect();
        self.lib_dir.join(format!("domain-{id}-{short}"))
    }

    /// Where unix channels without a path get theirs.
    pub fn channel_dir(&self, id: i32, name: &str) -> PathBuf {
        let short: String = name.chars().take(20).collect();
        self.lib_dir
            .join("channel")
            .join("target")
            .join(format!("domain-{id}-{short}"))
    }
}

/// Whether a write must survive a host crash (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync the file and its directory.
    Durable,
    /// Atomic (rename) only.
    Runtime,
}

/// Writes `bytes` to `path` atomically with `mode`: temp file in the same
/// directory, fsync, rename over `path`, fsync of the directory.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    write_file(path, bytes, mode, Durability::Durable)
}

/// Writes `bytes` to `path` atomically with `mode`; `d` says whether it is
/// also made durable.
pub fn write_file(path: &Path, bytes: &[u8], mode: u32, d: Durability) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.new-{}", std::process::id()));
    let r = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.write_all(bytes)?;
        if d == Durability::Durable {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if d == Durability::Durable {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

/// Removes `path` and makes the removal durable; a missing file is fine.
pub fn remove_durable(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    if let Some(dir) = path.parent() {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The comment libvirt puts at the top of the files it writes.
fn warning_header(name: &str) -> String {
    format!(
        "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n\
         OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  \
         virsh edit {name}\nor other application using the libvirt API.\n-->\n\n"
    )
}

fn io_error(what: impl std::fmt::Display, e: &io::Error) -> Error {
    Error::system(ErrorDomain::QEMU, what, e)
}

/// Saves a persistent definition.
pub fn save_config(paths: &QemuPaths, def: &DomainDef) -> Result<(), Error> {
    let mut text = warning_header(&def.name);
    text.push_str(&def.format(format_flags::INACTIVE | format_flags::SECURE));
    let path = paths.config_file(&def.name);
    write_atomic(&path, text.as_bytes(), 0o600).map_err(|e| {
        Error::new(
            ErrorDomain::QEMU,
            ErrorCode::WRITE_FAILED,
            format!("cannot save config file '{}': {e}", path.display()),
        )
    })
}

/// Removes a persistent definition and its autostart link.
pub fn delete_config(paths: &QemuPaths, name: &str) -> Result<(), Error> {
    let link = paths.autostart_link(name);
    remove_durable(&link).map_err(|e| {
        io_error(
            format!("Failed to delete autostart link '{}'", link.display()),
            &e,
        )
    })?;
    let path = paths.config_file(name);
    remove_durable(&path)
        .map_err(|e| io_error(format!("cannot remove config {}", path.display()), &e))
}

/// Creates or removes the autostart link of `name`.
pub fn set_autostart(paths: &QemuPaths, name: &str, on: bool) -> Result<(), Error> {
    let link = paths.autostart_link(name);
    if on {
        std::fs::create_dir_all(&paths.autostart_dir).map_err(|e| {
            io_error(
                format!(
                    "cannot create autostart directory {}",
                    paths.autostart_dir.display()
                ),
                &e,
            )
        })?;
        let target = paths.config_file(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).map_err(|e| {
            io_error(
                format!(
                    "Failed to create symlink '{}' to '{}'",
                    link.display(),
                    target.display()
                ),
                &e,
            )
        })?;
        File::open(&paths.autostart_dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error("cannot sync autostart directory", &e))
    } else {
        remove_durable(&link)
            .map_err(|e| io_error(format!("Failed to delete symlink '{}'", link.display()), &e))
    }
}

/// The persistent definitions found in the config directory, with their
/// autostart flag. Files that do not parse are logged and skipped, as
/// libvirt skips them.
pub fn load_configs(
    paths: &QemuPaths,
    parse: &mut dyn FnMut(&str) -> Result<DomainDef, Error>,
) -> Vec<(DomainDef, bool)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(&paths.config_dir) else {
        return out;
    };
    let mut files: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml") && p.is_file())
        .collect();
    files.sort();
    for f in files {
        let text = match std::fs::read_to_string(&f) {
            Ok(t) => t,
            Err(e) => {
                log::error!("cannot read {}: {e}", f.display());
                continue;
            }
        };
        let def = match parse(&text) {
            Ok(d) => d,
            Err(e) => {
                log::error!("skipping {}: {}", f.display(), e.message);
                continue;
            }
        };
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem != def.name {
            log::error!("skipping {}: it defines domain '{}'", f.display(), def.name);
            continue;
        }
        let autostart = paths.autostart_link(&def.name).exists();
        out.push((def, autostart));
    }
    out
}

/// The live state of a running domain as kept in `/run/libvirt/qemu/NAME.xml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub state: DomainState,
    pub reason: i32,
    /// 0 while QEMU is being spawned.
    pub pid: i32,
    /// Start time of the QEMU process (ticks since boot), to tell it from a
    /// later process with the same pid.
    pub start_time: Option<u64>,
    pub monitor: PathBuf,
    pub lib_dir: PathBuf,
    /// Consoles on ptys: (alias, pty path).
    pub ptys: Vec<(String, String)>,
    /// An ACPI reboot is pending: the guest's power-off becomes a reset.
    pub fake_reboot: bool,
    /// The live definition (with its id).
    pub def: DomainDef,
}

const STATES: &[&str] = &[
    "nostate",
    "running",
    "blocked",
    "paused",
    "shutdown",
    "shutoff",
    "crashed",
    "pmsuspended",
];

const RUNNING_REASONS: &[&str] = &[
    "unknown",
    "booted",
    "migrated",
    "restored",
    "from snapshot",
    "unpaused",
    "migration canceled",
    "save canceled",
    "wakeup",
    "crashed",
    "post-copy",
    "post-copy failed",
];

const PAUSED_REASONS: &[&str] = &[
    "unknown",
    "user",
    "migration",
    "save",
    "dump",
    "ioerror",
    "watchdog",
    "from snapshot",
    "shutdown",
    "snapshot",
    "panicked",
    "starting up",
    "post-copy",
    "post-copy failed",
    "api error",
];

fn reasons_of(state: DomainState) -> &'static [&'static str] {
    match state {
        DomainState::Running => RUNNING_REASONS,
        DomainState::Paused => PAUSED_REASONS,
        DomainState::Shutdown => &["unknown", "user"],
        DomainState::Crashed => &["unknown", "panicked"],
        _ => &["unknown"],
    }
}

fn state_from_index(i: usize) -> Option<DomainState> {
    Some(match i {
        0 => DomainState::NoState,
        1 => DomainState::Running,
        2 => DomainState::Blocked,
        3 => DomainState::Paused,
        4 => DomainState::Shutdown,
        5 => DomainState::Shutoff,
        6 => DomainState::Crashed,
        7 => DomainState::PmSuspended,
        _ => return None,
    })
}

fn attr(out: &mut String, k: &str, v: &str) {
    out.push(' ');
    out.push_str(k);
    out.push_str("='");
    xml::escape_into(out, v);
    out.push('\'');
}

impl Status {
    /// The `<domstatus>` document.
    pub fn format(&self) -> String {
        let mut s = warning_header(&self.def.name);
        s.push_str("<domstatus");
        attr(&mut s, "state", STATES[self.state as usize]);
        let reasons = reasons_of(self.state);
        let reason = usize::try_from(self.reason)
            .ok()
            .and_then(|r| reasons.get(r))
            .copied()
            .unwrap_or("unknown");
        attr(&mut s, "reason", reason);
        attr(&mut s, "pid", &self.pid.to_string());
        s.push_str(">\n  <monitor");
        attr(&mut s, "path", &self.monitor.to_string_lossy());
        attr(&mut s, "type", "unix");
        s.push_str("/>\n  <libDir");
        attr(&mut s, "path", &self.lib_dir.to_string_lossy());
        s.push_str("/>\n");
        if let Some(t) = self.start_time {
            s.push_str("  <process");
            attr(&mut s, "starttime", &t.to_string());
            s.push_str("/>\n");
        }
        for (alias, path) in &self.ptys {
            s.push_str("  <pty");
            attr(&mut s, "alias", alias);
            attr(&mut s, "path", path);
            s.push_str("/>\n");
        }
        if self.fake_reboot {
            s.push_str("  <fakereboot/>\n");
        }
        for line in self.def.format(format_flags::SECURE).lines() {
            s.push_str("  ");
            s.push_str(line);
            s.push('\n');
        }
        s.push_str("</domstatus>\n");
        s
    }

    /// Parses a `<domstatus>` document; `parse_def` turns the embedded
    /// `<domain>` into a definition.
    pub fn parse(
        text: &str,
        parse_def: &mut dyn FnMut(XmlElement) -> Result<DomainDef, Error>,
    ) -> Result<Status, Error> {
        let bad = |m: &str| Error::internal(ErrorDomain::QEMU, format!("bad status file: {m}"));
        let mut root = xml::parse_document(text).map_err(|e| bad(&e.message))?;
        if root.name != "domstatus" {
            return Err(bad("no <domstatus>"));
        }
        let state = root
            .attr("state")
            .and_then(|s| STATES.iter().position(|x| *x == s))
            .and_then(state_from_index)
            .ok_or_else(|| bad("unknown state"))?;
        let reason = root
            .attr("reason")
            .and_then(|r| reasons_of(state).iter().position(|x| *x == r))
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(0);
        let pid = root
            .attr("pid")
            .and_then(|p| p.parse::<i32>().ok())
            .ok_or_else(|| bad("no pid"))?;
        let monitor = root
            .child("monitor")
            .and_then(|m| m.attr("path"))
            .map(PathBuf::from)
            .ok_or_else(|| bad("no monitor path"))?;
        let lib_dir = root
            .child("libDir")
            .and_then(|m| m.attr("path"))
            .map(PathBuf::from)
            .unwrap_or_default();
        let start_time = root
            .child("process")
            .and_then(|p| p.attr("starttime"))
            .and_then(|t| t.parse().ok());
        let ptys = root
            .elements()
            .filter(|e| e.name == "pty")
            .filter_map(|e| Some((e.attr("alias")?.to_owned(), e.attr("path")?.to_owned())))
            .collect();
        let fake_reboot = root.child("fakereboot").is_some();
        let dom = root
            .take_child("domain")
            .ok_or_else(|| bad("no <domain>"))?;
        Ok(Status {
            state,
            reason,
            pid,
            start_time,
            monitor,
            lib_dir,
            ptys,
            fake_reboot,
            def: parse_def(dom)?,
        })
    }
}

/// Saves the status of a running domain: `NAME.xml`, then `NAME.pid`
/// (decimal, no newline, as libvirt writes it).
pub fn save_status(paths: &QemuPaths, st: &Status) -> io::Result<()> {
    write_file(
        &paths.status_file(&st.def.name),
        st.format().as_bytes(),
        0o600,
        Durability::Runtime,
    )?;
    if st.pid > 0 {
        write_file(
            &paths.pid_file(&st.def.name),
            st.pid.to_string().as_bytes(),
            0o644,
            Durability::Runtime,
        )?;
    }
    Ok(())
}

/// Removes the status files of a domain that stopped.
pub fn delete_status(paths: &QemuPaths, name: &str) {
    let _ = std::fs::remove_file(paths.pid_file(name));
    let _ = std::fs::remove_file(paths.status_file(name));
}

/// Every status file in the run directory: (file name stem, text).
pub fn list_status_files(paths: &QemuPaths) -> Vec<(String, String)> {
    let Ok(rd) = std::fs::read_dir(&paths.run_dir) else {
        return vec![];
    };
    let mut out: Vec<(String, String)> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            if stem.starts_with('.') {
                return None;
            }
            Some((stem, std::fs::read_to_string(&p).ok()?))
        })
        .collect();
    out.sort();
    out
}

/// 32 random bytes in `dir/master-key.aes` (0600), the secret QEMU's
/// `masterKey0` object reads.
pub fn write_master_key(path: &Path) -> io::Result<()> {
    let mut key = [0u8; 32];
    File::open("/dev/urandom")?.read_exact(&mut key)?;
    write_file(path, &key, 0o600, Durability::Runtime)
}

/// The domain log: libvirt-format lines from the driver, QEMU's own
/// stdout/stderr in between.
///
/// QEMU writes straight into the file today (`stdio_handler = "file"`);
/// a virtlogd client would hand QEMU a pipe instead and keep the same
/// [`DomainLog`] interface for the driver's own lines and the tail.
pub struct DomainLog {
    pub path: PathBuf,
}

impl DomainLog {
    pub fn new(path: PathBuf) -> DomainLog {
        DomainLog { path }
    }

    /// Opens the log for a new QEMU run (appending, 0600), writes the
    /// start banner and the command line, and returns the file for QEMU's
    /// stdout/stderr together with the offset where this run begins.
    pub fn open_for_start(&self, banner: &str, command: &str) -> io::Result<(File, u64)> {
        let mut f = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.path)?;
        let offset = f.seek(SeekFrom::End(0))?;
        let mut text = format!("{}: {banner}\n", timestamp_now());
        text.push_str(command);
        f.write_all(text.as_bytes())?;
        Ok((f, offset))
    }

    /// Appends one driver line (`<timestamp>: <msg>`).
    pub fn append(&self, msg: &str) {
        let r = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.path)
            .and_then(|mut f| f.write_all(format!("{}: {msg}\n", timestamp_now()).as_bytes()));
        if let Err(e) = r {
            log::warn!("cannot write {}: {e}", self.path.display());
        }
    }

    /// What QEMU wrote since `offset`: the last 1024 bytes, without the
    /// driver's own lines (timestamped `YYYY-MM-DD HH:MM:SS.mmm+0000: `),
    /// the command line and the pty notices.
    pub fn tail_since(&self, offset: u64) -> String {
        let mut buf = Vec::new();
        let r = File::open(&self.path).and_then(|mut f| {
            f.seek(SeekFrom::Start(offset))?;
            f.read_to_end(&mut buf)
        });
        if r.is_err() {
            return String::new();
        }
        let text = String::from_utf8_lossy(&buf);
        let mut kept = String::new();
        let mut in_command = false;
        for line in text.lines() {
            if is_driver_line(line) {
                in_command = line.ends_with("\\") || line.contains("starting up");
                continue;
            }
            if in_command {
                in_command = line.ends_with('\\');
                continue;
            }
            if line.starts_with("char device redirected to") {
                continue;
            }
            kept.push_str(line);
            kept.push('\n');
        }
        let trimmed = kept.trim_end();
        let start = trimmed.len().saturating_sub(1024);
        let start = (start..=trimmed.len())
            .find(|i| trimmed.is_char_boundary(*i))
            .unwrap_or(trimmed.len());
        trimmed[start..].to_owned()
    }
}

/// `YYYY-MM-DD HH:MM:SS.mmm+0000: ` at the start of a line.
fn is_driver_line(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 30
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[19] == b'.'
        && line[23..].starts_with("+0000: ")
}

/// Now in libvirt's log format: `2026-11-26 01:03:17.229+0000`.
pub fn timestamp_now() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format_utc(d.as_secs() as i64, d.subsec_millis())
}

/// Formats seconds since the epoch (UTC) with milliseconds.
fn format_utc(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{millis:03}+0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use oxvirt_conf::domain::parse_flags;

    fn tmp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("oxvirt-state-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn def() -> DomainDef {
        let mut r = || [3u8; 16];
        DomainDef::parse(
            "<domain type='kvm' id='4'><name>demo</name><memory unit='MiB'>64</memory>\
             <os><type arch='x86_64' machine='q35'>hvm</type></os></domain>",
            0,
            &mut r,
        )
        .unwrap()
    }

    #[test]
    fn utc_format_matches_libvirt() {
        assert_eq!(format_utc(0, 5), "1970-01-01 00:00:00.005+0000");
        assert_eq!(
            format_utc(1_795_654_997, 229),
            "2026-11-26 01:03:17.229+0000"
        );
        assert!(is_driver_line("2026-11-26 00:23:17.229+0000: starting up"));
        assert!(!is_driver_line(
            "2026-11-26T01:05:10.168756Z qemu-system-x86_64: x"
        ));
    }

    #[test]
    fn atomic_write_replaces_whole_file_with_mode() {
        let d = tmp("atomic");
        let p = d.join("a.xml");
        write_atomic(&p, b"one", 0o600).unwrap();
        write_atomic(&p, b"two", 0o600).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn status_round_trips() {
        let st = Status {
            state: DomainState::Paused,
            reason: 1,
            pid: 1234,
            start_time: Some(99),
            monitor: "/r/var/lib/libvirt/qemu/domain-4-demo/monitor.sock".into(),
            lib_dir: "/r/var/lib/libvirt/qemu/domain-4-demo".into(),
            ptys: vec![("serial0".into(), "/dev/pts/7".into())],
            fake_reboot: true,
            def: def(),
        };
        let text = st.format();
        assert!(text.contains("<domstatus state='paused' reason='user' pid='1234'>"));
        let back = Status::parse(&text, &mut |e| {
            let mut r = || [0u8; 16];
            DomainDef::from_element(e, 0, &mut r)
        })
        .unwrap();
        assert_eq!(back, st);
        assert_eq!(back.def.id, 4);
    }

    #[test]
    fn configs_load_with_autostart_and_skip_mismatched_names() {
        let d = tmp("cfg");
        let paths = QemuPaths::new(
            &d.join("etc"),
            &d.join("run"),
            &d.join("lib"),
            &d.join("log"),
            &d.join("cache"),
        );
        paths.create_all().unwrap();
        save_config(&paths, &def()).unwrap();
        set_autostart(&paths, "demo", true).unwrap();
        std::fs::copy(
            paths.config_file("demo"),
            paths.config_dir.join("other.xml"),
        )
        .unwrap();
        let mut parse = |t: &str| {
            let mut r = || [0u8; 16];
            DomainDef::parse(t, parse_flags::INACTIVE, &mut r)
        };
        let got = load_configs(&paths, &mut parse);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.name, "demo");
        assert!(got[0].1);
        assert_eq!(
            std::fs::read_link(paths.autostart_link("demo")).unwrap(),
            paths.config_file("demo")
        );
        let text = std::fs::read_to_string(paths.config_file("demo")).unwrap();
        assert!(text.starts_with("<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE."));
        assert!(!text.contains("id='4'"));
        delete_config(&paths, "demo").unwrap();
        assert!(!paths.autostart_link("demo").exists());
    }

    #[test]
    fn log_tail_keeps_only_qemu_output() {
        let d = tmp("log");
        let log = DomainLog::new(d.join("demo.log"));
        let (mut f, off) = log
            .open_for_start(
                "starting up libvirt version: 9.0.0",
                "LC_ALL=C \\\n/usr/bin/qemu \\\n-S\n",
            )
            .unwrap();
        f.write_all(b"char device redirected to /dev/pts/3 (label charserial0)\nqemu-system-x86_64: -bogus: invalid option\n")
            .unwrap();
        assert_eq!(
            log.tail_since(off),
            "qemu-system-x86_64: -bogus: invalid option"
        );
    }
}
