//! The logging settings every libvirt daemon shares: `log_level`, and the
//! `log_filters` / `log_outputs` mini-languages, also used by the
//! `LIBVIRT_LOG_FILTERS` / `LIBVIRT_LOG_OUTPUTS` environment variables and the
//! admin API.
//!
//! Levels are libvirt's numbers: 1 debug, 2 info, 3 warning, 4 error. A filter is
//! `level:match` (a leading `+` on the match is accepted and dropped); an output
//! is `level:stderr`, `level:journald`, `level:syslog:IDENT` or
//! `level:file:PATH`. Several are separated by spaces.

use std::fmt;
use std::path::PathBuf;

/// Debug level: the most verbose.
pub const LOG_DEBUG: u8 = 1;
/// Informational level.
pub const LOG_INFO: u8 = 2;
/// Warning level; the default when nothing is configured.
pub const LOG_WARNING: u8 = 3;
/// Error level: the least verbose.
pub const LOG_ERROR: u8 = 4;

/// Why a filter or output string was refused; libvirt's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogSpecError {
    /// A filter without a `:`.
    #[error("Malformed format for filter '{0}'")]
    MalformedFilter(String),
    /// A filter whose level is not 1–4.
    #[error("Invalid priority '{level}' for filter '{filter}'")]
    FilterPriority {
        /// The level as written.
        level: String,
        /// The whole filter.
        filter: String,
    },
    /// A filter whose match is empty (or only `+`).
    #[error("Invalid match string '{0}'")]
    EmptyMatch(String),
    /// An output without a `:`.
    #[error("Malformed format for log output '{0}'")]
    MalformedOutput(String),
    /// An output whose level is not 1–4.
    #[error("Invalid log priority '{level}' for log output '{output}'")]
    OutputPriority {
        /// The level as written.
        level: String,
        /// The whole output.
        output: String,
    },
    /// An output whose destination is none of stderr, syslog, file, journald.
    #[error("Invalid log destination '{dest}' for log output '{output}'")]
    Destination {
        /// The destination as written.
        dest: String,
        /// The whole output.
        output: String,
    },
    /// An output with the wrong number of `:`-separated fields.
    #[error(
        "Log output '{output}' does not meet the format requirements for destination type '{dest}'"
    )]
    OutputFormat {
        /// The whole output.
        output: String,
        /// The destination type.
        dest: String,
    },
}

/// One `level:match` filter: messages from sources whose name contains `pattern`
/// are logged from `level` up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFilter {
    /// 1 (debug) to 4 (error).
    pub level: u8,
    /// The match string, without a leading `+`; a glob matched anywhere in the
    /// source category name.
    pub pattern: String,
}

impl fmt::Display for LogFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.pattern)
    }
}

/// Where an output writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LogDest {
    /// Standard error.
    Stderr,
    /// syslog, with this identifier (tag).
    Syslog(String),
    /// A file, opened for appending; the path as written.
    File(PathBuf),
    /// The systemd journal.
    Journald,
}

/// One output: messages at `level` or above go to `dest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogOutput {
    /// 1 (debug) to 4 (error).
    pub level: u8,
    /// The destination.
    pub dest: LogDest,
}

impl fmt::Display for LogOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.dest {
            LogDest::Stderr => write!(f, "{}:stderr", self.level),
            LogDest::Journald => write!(f, "{}:journald", self.level),
            LogDest::Syslog(ident) => write!(f, "{}:syslog:{ident}", self.level),
            LogDest::File(path) => write!(f, "{}:file:{}", self.level, path.display()),
        }
    }
}

/// The logging part of a daemon's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSettings {
    /// `log_level`; `None` when unset (the effective default is warning).
    pub level: Option<u8>,
    /// `log_filters`, in order; the first filter that matches wins.
    pub filters: Vec<LogFilter>,
    /// `log_outputs`; empty means "use the daemon's default output".
    pub outputs: Vec<LogOutput>,
}

/// Parses a level number as libvirt's `virStrToLong_uip` would, then checks 1–4.
fn parse_level(s: &str) -> Option<u8> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    u8::try_from(n)
        .ok()
        .filter(|l| (LOG_DEBUG..=LOG_ERROR).contains(l))
}

/// Parses one `level:match` filter.
pub fn parse_log_filter(src: &str) -> Result<LogFilter, LogSpecError> {
    let mut tokens = src.split(':');
    let (Some(level), Some(pattern)) = (tokens.next(), tokens.next()) else {
        return Err(LogSpecError::MalformedFilter(src.to_owned()));
    };
    let level = parse_level(level).ok_or_else(|| LogSpecError::FilterPriority {
        level: level.to_owned(),
        filter: src.to_owned(),
    })?;
    let stripped = pattern.strip_prefix('+').unwrap_or(pattern);
    if stripped.is_empty() {
        return Err(LogSpecError::EmptyMatch(pattern.to_owned()));
    }
    Ok(LogFilter {
        level,
        pattern: stripped.to_owned(),
    })
}

/// Parses a space-separated list of filters; empty words are skipped.
pub fn parse_log_filters(src: &str) -> Result<Vec<LogFilter>, LogSpecError> {
    src.split(' ')
        .filter(|w| !w.is_empty())
        .map(parse_log_filter)
        .collect()
}

/// Parses one `level:dest[:arg]` output.
pub fn parse_log_output(src: &str) -> Result<LogOutput, LogSpecError> {
    let tokens: Vec<&str> = src.split(':').collect();
    let [level, dest, rest @ ..] = tokens.as_slice() else {
        return Err(LogSpecError::MalformedOutput(src.to_owned()));
    };
    let level = parse_level(level).ok_or_else(|| LogSpecError::OutputPriority {
        level: (*level).to_owned(),
        output: src.to_owned(),
    })?;
    let format_error = || LogSpecError::OutputFormat {
        output: src.to_owned(),
        dest: (*dest).to_owned(),
    };
    let dest = match (*dest, rest) {
        ("stderr", []) => LogDest::Stderr,
        ("journald", []) => LogDest::Journald,
        ("syslog", [ident]) => LogDest::Syslog((*ident).to_owned()),
        ("file", [path]) => LogDest::File(PathBuf::from(path)),
        ("stderr" | "journald" | "syslog" | "file", _) => return Err(format_error()),
        (other, _) => {
            return Err(LogSpecError::Destination {
                dest: other.to_owned(),
                output: src.to_owned(),
            })
        }
    };
    Ok(LogOutput { level, dest })
}

/// Parses a space-separated list of outputs; empty words are skipped. When two
/// outputs share a destination, the later one replaces the earlier and takes
/// its place at the end, as in libvirt.
pub fn parse_log_outputs(src: &str) -> Result<Vec<LogOutput>, LogSpecError> {
    let mut outputs: Vec<LogOutput> = Vec::new();
    for word in src.split(' ').filter(|w| !w.is_empty()) {
        let output = parse_log_output(word)?;
        outputs.retain(|o| o.dest != output.dest);
        outputs.push(output);
    }
    Ok(outputs)
}

/// Formats filters the way the admin API reports them: space separated.
pub fn format_log_filters(filters: &[LogFilter]) -> String {
    join(filters)
}

/// Formats outputs the way the admin API reports them: space separated.
pub fn format_log_outputs(outputs: &[LogOutput]) -> String {
    join(outputs)
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_in_order_and_drop_plus() {
        let f = parse_log_filters("1:qemu  3:+util.json 4:*").unwrap();
        assert_eq!(
            f,
            vec![
                LogFilter {
                    level: 1,
                    pattern: "qemu".into()
                },
                LogFilter {
                    level: 3,
                    pattern: "util.json".into()
                },
                LogFilter {
                    level: 4,
                    pattern: "*".into()
                },
            ]
        );
    }

    #[test]
    fn filter_extra_fields_are_ignored_like_libvirt() {
        let f = parse_log_filter("2:rpc:ignored").unwrap();
        assert_eq!(f.pattern, "rpc");
    }

    #[test]
    fn bad_filters_fail_with_libvirt_wording() {
        assert_eq!(
            parse_log_filters("qemu").unwrap_err().to_string(),
            "Malformed format for filter 'qemu'"
        );
        assert_eq!(
            parse_log_filters("5:qemu").unwrap_err().to_string(),
            "Invalid priority '5' for filter '5:qemu'"
        );
        assert_eq!(
            parse_log_filters("0:qemu").unwrap_err().to_string(),
            "Invalid priority '0' for filter '0:qemu'"
        );
        assert_eq!(
            parse_log_filters("1:+").unwrap_err().to_string(),
            "Invalid match string '+'"
        );
        assert!(parse_log_filters("-1:qemu").is_err());
        assert!(parse_log_filters("x:qemu").is_err());
    }

    #[test]
    fn empty_filter_string_is_no_filters() {
        assert_eq!(parse_log_filters("").unwrap(), vec![]);
        assert_eq!(parse_log_filters("   ").unwrap(), vec![]);
    }

    #[test]
    fn outputs_parse_every_destination() {
        let o = parse_log_outputs(
            "1:file:/var/log/libvirt/libvirtd.log 3:syslog:libvirtd 4:stderr 2:journald",
        )
        .unwrap();
        assert_eq!(
            o,
            vec![
                LogOutput {
                    level: 1,
                    dest: LogDest::File("/var/log/libvirt/libvirtd.log".into())
                },
                LogOutput {
                    level: 3,
                    dest: LogDest::Syslog("libvirtd".into())
                },
                LogOutput {
                    level: 4,
                    dest: LogDest::Stderr
                },
                LogOutput {
                    level: 2,
                    dest: LogDest::Journald
                },
            ]
        );
    }

    #[test]
    fn duplicate_output_replaces_earlier_and_moves_to_end() {
        let o = parse_log_outputs("1:stderr 2:journald 3:stderr").unwrap();
        assert_eq!(format_log_outputs(&o), "2:journald 3:stderr");
    }

    #[test]
    fn bad_outputs_fail_with_libvirt_wording() {
        assert_eq!(
            parse_log_outputs("stderr").unwrap_err().to_string(),
            "Malformed format for log output 'stderr'"
        );
        assert_eq!(
            parse_log_outputs("9:stderr").unwrap_err().to_string(),
            "Invalid log priority '9' for log output '9:stderr'"
        );
        assert_eq!(
            parse_log_outputs("1:console").unwrap_err().to_string(),
            "Invalid log destination 'console' for log output '1:console'"
        );
        assert_eq!(
            parse_log_outputs("1:file").unwrap_err().to_string(),
            "Log output '1:file' does not meet the format requirements for destination type 'file'"
        );
        assert!(parse_log_outputs("1:stderr:x").is_err());
        assert!(parse_log_outputs("1:syslog:a:b").is_err());
    }

    #[test]
    fn filters_and_outputs_format_back() {
        let f = parse_log_filters("3:+remote 1:qemu").unwrap();
        assert_eq!(format_log_filters(&f), "3:remote 1:qemu");
        let o = parse_log_outputs("1:file:/tmp/x.log 2:syslog:me").unwrap();
        assert_eq!(format_log_outputs(&o), "1:file:/tmp/x.log 2:syslog:me");
    }
}
