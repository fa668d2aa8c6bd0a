//! The daemon's logger: libvirt's `log_level` / `log_filters` / `log_outputs`
//! model behind the `log` facade, changeable at run time by the admin API.
//!
//! A message's category is its Rust module path without the `oxvirt_` prefix
//! and with `::` turned into `.` (`rpc.server`, `daemon.remote`), so filters
//! such as `1:rpc` work as they do with libvirt.

use oxvirt_conffile::log::{LogDest, LogFilter, LogOutput};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::net::UnixDatagram;
use std::sync::{Mutex, OnceLock, RwLock};

/// libvirt's priorities: 1 debug, 2 info, 3 warning, 4 error.
fn priority(level: log::Level) -> u8 {
    match level {
        log::Level::Trace | log::Level::Debug => 1,
        log::Level::Info => 2,
        log::Level::Warn => 3,
        log::Level::Error => 4,
    }
}

fn level_name(p: u8) -> &'static str {
    match p {
        1 => "debug",
        2 => "info",
        3 => "warning",
        _ => "error",
    }
}

enum Sink {
    Stderr,
    File(Mutex<File>),
    Journald(UnixDatagram, String),
    Syslog(String),
}

struct Output {
    spec: LogOutput,
    sink: Sink,
}

struct State {
    level: u8,
    filters: Vec<LogFilter>,
    outputs: Vec<Output>,
    ident: String,
}

/// The installed logger.
pub struct Logger {
    state: RwLock<State>,
}

static LOGGER: OnceLock<Logger> = OnceLock::new();

/// Why an output could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("cannot open log output '{spec}': {err}")]
pub struct OutputError {
    spec: String,
    err: std::io::Error,
}

fn open_output(spec: &LogOutput, ident: &str) -> Result<Output, OutputError> {
    let fail = |err| OutputError {
        spec: spec.to_string(),
        err,
    };
    let sink = match &spec.dest {
        LogDest::Stderr => Sink::Stderr,
        LogDest::File(path) => {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let f = OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o600)
                .open(path)
                .map_err(fail)?;
            Sink::File(Mutex::new(f))
        }
        LogDest::Journald => {
            let s = UnixDatagram::unbound().map_err(fail)?;
            s.connect("/run/systemd/journal/socket").map_err(fail)?;
            Sink::Journald(s, ident.to_owned())
        }
        LogDest::Syslog(id) => Sink::Syslog(id.clone()),
    };
    Ok(Output {
        spec: spec.clone(),
        sink,
    })
}

/// Whether journald can take our messages.
pub fn journald_available() -> bool {
    UnixDatagram::unbound()
        .and_then(|s| s.connect("/run/systemd/journal/socket"))
        .is_ok()
}

/// Installs the logger (once per process) or reconfigures it.
pub fn init(
    ident: &str,
    level: u8,
    filters: Vec<LogFilter>,
    outputs: &[LogOutput],
) -> Result<(), OutputError> {
    let opened = outputs
        .iter()
        .map(|o| open_output(o, ident))
        .collect::<Result<Vec<_>, _>>()?;
    let state = State {
        level,
        filters,
        outputs: opened,
        ident: ident.to_owned(),
    };
    match LOGGER.get() {
        Some(l) => {
            if let Ok(mut s) = l.state.write() {
                *s = state;
            }
        }
        None => {
            let logger = LOGGER.get_or_init(|| Logger {
                state: RwLock::new(state),
            });
            let _ = log::set_logger(logger);
            log::set_max_level(log::LevelFilter::Trace);
        }
    }
    Ok(())
}

/// The current outputs in libvirt's syntax (admin `dmn-log-info`).
pub fn outputs_string() -> String {
    with_state(|s| {
        s.outputs
            .iter()
            .map(|o| o.spec.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    })
    .unwrap_or_default()
}

/// The current filters in libvirt's syntax.
pub fn filters_string() -> String {
    with_state(|s| {
        s.filters
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    })
    .unwrap_or_default()
}

/// Counts of (outputs, filters).
pub fn counts() -> (usize, usize) {
    with_state(|s| (s.outputs.len(), s.filters.len())).unwrap_or((0, 0))
}

/// Replaces the outputs.
pub fn set_outputs(outputs: &[LogOutput]) -> Result<(), OutputError> {
    let ident = with_state(|s| s.ident.clone()).unwrap_or_default();
    let opened = outputs
        .iter()
        .map(|o| open_output(o, &ident))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(l) = LOGGER.get() {
        if let Ok(mut s) = l.state.write() {
            s.outputs = opened;
        }
    }
    Ok(())
}

/// Replaces the filters.
pub fn set_filters(filters: Vec<LogFilter>) {
    if let Some(l) = LOGGER.get() {
        if let Ok(mut s) = l.state.write() {
            s.filters = filters;
        }
    }
}

fn with_state<T>(f: impl FnOnce(&State) -> T) -> Option<T> {
    LOGGER
        .get()
        .and_then(|l| l.state.read().ok().map(|s| f(&s)))
}

fn category(target: &str) -> String {
    target
        .strip_prefix("oxvirt_")
        .unwrap_or(target)
        .replace("::", ".")
}

fn glob_contains(pattern: &str, text: &str) -> bool {
    // libvirt matches `*pattern*`; support `*` inside the pattern too.
    let parts: Vec<&str> = pattern.split('*').filter(|p| !p.is_empty()).collect();
    let mut pos = 0;
    for p in parts {
        match text[pos..].find(p) {
            Some(i) => pos += i + p.len(),
            None => return false,
        }
    }
    true
}

impl State {
    fn threshold(&self, cat: &str) -> u8 {
        self.filters
            .iter()
            .find(|f| glob_contains(&f.pattern, cat))
            .map(|f| f.level)
            .unwrap_or(self.level)
    }
}

fn thread_id() -> i64 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) }
}

fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let ms = now.subsec_millis();
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{ms:03}+0000",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl log::Log for Logger {
    fn enabled(&self, meta: &log::Metadata<'_>) -> bool {
        let p = priority(meta.level());
        self.state
            .read()
            .map(|s| p >= s.threshold(&category(meta.target())))
            .unwrap_or(false)
    }

    fn log(&self, record: &log::Record<'_>) {
        let Ok(state) = self.state.read() else { return };
        let p = priority(record.level());
        let cat = category(record.target());
        if p < state.threshold(&cat) {
            return;
        }
        let line = format!(
            "{}: {}: {} : {} : {}\n",
            timestamp(),
            thread_id(),
            level_name(p),
            cat,
            record.args()
        );
        for o in &state.outputs {
            if p < o.spec.level {
                continue;
            }
            match &o.sink {
                Sink::Stderr => {
                    let _ = std::io::stderr().write_all(line.as_bytes());
                }
                Sink::File(f) => {
                    if let Ok(mut f) = f.lock() {
                        let _ = f.write_all(line.as_bytes());
                    }
                }
                Sink::Journald(sock, ident) => {
                    let prio = match p {
                        1 => 7,
                        2 => 6,
                        3 => 4,
                        _ => 3,
                    };
                    let msg = format!(
                        "MESSAGE={}\nPRIORITY={prio}\nSYSLOG_IDENTIFIER={ident}\nLIBVIRT_SOURCE={cat}\n",
                        record.args().to_string().replace('\n', " ")
                    );
                    let _ = sock.send(msg.as_bytes());
                }
                Sink::Syslog(ident) => {
                    // syslog(3) through the local socket; best effort.
                    if let Ok(s) = UnixDatagram::unbound() {
                        let prio = match p {
                            1 => 7,
                            2 => 6,
                            3 => 4,
                            _ => 3,
                        } + 3 * 8;
                        let _ = s.send_to(
                            format!("<{prio}>{ident}: {}", record.args()).as_bytes(),
                            "/dev/log",
                        );
                    }
                }
            }
        }
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_look_like_libvirt_ones() {
        assert_eq!(category("oxvirt_rpc::server"), "rpc.server");
    }

    #[test]
    fn filters_match_anywhere() {
        assert!(glob_contains("rpc", "rpc.server"));
        assert!(glob_contains("serv", "rpc.server"));
        assert!(glob_contains("r*c", "rpc.server"));
        assert!(!glob_contains("qemu", "rpc.server"));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20418), (2025, 11, 26));
    }
}
