//! libvirt's `key = value` configuration grammar (virConf) with typed getters.
//!
//! Every libvirt daemon reads its `/etc/libvirt/<daemon>.conf` in this grammar, as
//! do `qemu.conf`, `virtlogd.conf` and the client's `libvirt.conf`. This crate
//! reproduces it with its quirks, so that an existing file means the same to
//! oxvirt as to libvirt:
//!
//! 1. [`Conf::parse`] turns text into entries, keeping each entry's line. It knows
//!    nothing of keys: unknown keys are kept and simply never asked for, and when
//!    a key appears twice the **first** occurrence wins.
//! 2. The typed getters ([`Conf::get_string`], [`Conf::get_bool`], …) apply
//!    libvirt's type rules: there are no booleans (a bool is the unsigned number 0
//!    or 1), a port is a string, and a number with a leading `-` is a separate,
//!    signed type that an unsigned getter refuses.
//! 3. [`daemon::DaemonSettings`] reads the RPC daemons' keys with libvirt's code
//!    defaults, and [`log`] parses the `log_filters` / `log_outputs` syntax.
//!
//! The crate does no I/O except in [`Conf::read_file`].
//!
//! ```
//! use oxvirt_conffile::Conf;
//!
//! let conf = Conf::parse("listen_tls = 0\ntls_port = \"16514\"\n", "libvirtd.conf")?;
//! assert_eq!(conf.get_bool("listen_tls")?, Some(false));
//! assert_eq!(conf.get_string("tls_port")?.as_deref(), Some("16514"));
//! assert_eq!(conf.get_uint("max_clients")?, None);
//!
//! let bad = Conf::parse("tls_port = 16514\n", "libvirtd.conf")?;
//! assert_eq!(
//!     bad.get_string("tls_port").unwrap_err().to_string(),
//!     "libvirtd.conf:1: expected a string for 'tls_port' parameter",
//! );
//! # Ok::<(), oxvirt_conffile::ConfError>(())
//! ```

#![warn(missing_docs)]

pub mod daemon;
mod error;
pub mod log;
mod parse;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

pub use error::{ConfError, Expected};
pub use parse::MAX_LIST_DEPTH;

/// The largest file [`Conf::read_file`] accepts: 10 MiB, as libvirt.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// One value as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A quoted string (`"…"`, `'…'` or `"""…"""`), without its quotes.
    String(String),
    /// A number without a leading `-` (a leading `+` is allowed).
    UInt(u64),
    /// A number with a leading `-`; `-0` is `Int(0)`.
    Int(i64),
    /// A bracketed list; elements may be of any type, lists included.
    List(Vec<Value>),
}

/// One `name = value` statement and the line its name is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key, case preserved.
    pub name: String,
    /// The value.
    pub value: Value,
    /// 1-based line number of the key.
    pub line: usize,
}

/// A parsed configuration file.
#[derive(Debug, Clone, Default)]
pub struct Conf {
    filename: String,
    entries: Vec<Entry>,
    /// Key → index of its first entry.
    first: HashMap<String, usize>,
}

impl Conf {
    /// Parses `text`; `filename` is only used in error messages.
    pub fn parse(text: &str, filename: &str) -> Result<Conf, ConfError> {
        let entries = parse::parse_entries(text, filename)?;
        let mut first = HashMap::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            first.entry(entry.name.clone()).or_insert(i);
        }
        Ok(Conf {
            filename: filename.to_owned(),
            entries,
            first,
        })
    }

    /// Reads and parses the file at `path`, refusing files over
    /// [`MAX_FILE_SIZE`]. Bytes that are not UTF-8 are replaced by U+FFFD.
    pub fn read_file(path: &Path) -> Result<Conf, ConfError> {
        let read_err = |source| ConfError::Read {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_err)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_SIZE + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        if bytes.len() as u64 > MAX_FILE_SIZE {
            return Err(ConfError::TooLarge {
                path: path.to_owned(),
            });
        }
        let text = String::from_utf8_lossy(&bytes);
        Conf::parse(&text, &path.display().to_string())
    }

    /// The file name errors are reported against.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// Every entry in file order, duplicates and unknown keys included.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry that counts for `key`: its first occurrence.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.first.get(key).and_then(|&i| self.entries.get(i))
    }

    /// The value of `key`'s first occurrence.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|e| &e.value)
    }

    /// The line of `key`'s first occurrence.
    pub fn line(&self, key: &str) -> Option<usize> {
        self.entry(key).map(|e| e.line)
    }

    fn type_error(&self, entry: &Entry, expected: Expected) -> ConfError {
        ConfError::Type {
            file: self.filename.clone(),
            line: entry.line,
            key: entry.name.clone(),
            expected,
        }
    }

    fn range_error(&self, entry: &Entry, range: String) -> ConfError {
        ConfError::Range {
            file: self.filename.clone(),
            line: entry.line,
            key: entry.name.clone(),
            range,
        }
    }

    /// A string value; any other type is an error.
    pub fn get_string(&self, key: &str) -> Result<Option<String>, ConfError> {
        let Some(entry) = self.entry(key) else {
            return Ok(None);
        };
        match &entry.value {
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(self.type_error(entry, Expected::String)),
        }
    }

    /// A list of strings; a bare string is refused, as are non-string elements.
    pub fn get_string_list(&self, key: &str) -> Result<Option<Vec<String>>, ConfError> {
        let Some(entry) = self.entry(key) else {
            return Ok(None);
        };
        let Value::List(items) = &entry.value else {
            return Err(self.type_error(entry, Expected::StringList));
        };
        items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(self.type_error(entry, Expected::StringList)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A boolean, written as the unsigned number 0 or 1.
    pub fn get_bool(&self, key: &str) -> Result<Option<bool>, ConfError> {
        let Some(entry) = self.entry(key) else {
            return Ok(None);
        };
        match entry.value {
            Value::UInt(0) => Ok(Some(false)),
            Value::UInt(1) => Ok(Some(true)),
            Value::UInt(_) => Err(self.range_error(entry, "0 or 1".to_owned())),
            _ => Err(self.type_error(entry, Expected::Bool)),
        }
    }

    /// A C `int`: a number of either sign within `i32`'s range.
    pub fn get_int(&self, key: &str) -> Result<Option<i32>, ConfError> {
        let Some(entry) = self.entry(key) else {
            return Ok(None);
        };
        let fits = match entry.value {
            Value::UInt(v) => i32::try_from(v).ok(),
            Value::Int(v) => i32::try_from(v).ok(),
            _ => return Err(self.type_error(entry, Expected::SignedInteger)),
        };
        fits.map(Some)
            .ok_or_else(|| self.range_error(entry, format!("in range {}:{}", i32::MIN, i32::MAX)))
    }

    /// A C `unsigned int`: an unsigned number within `u32`'s range.
    pub fn get_uint(&self, key: &str) -> Result<Option<u32>, ConfError> {
        let Some(entry) = self.entry(key) else {
            return Ok(None);
        };
        let Value::UInt(v) = entry.value else {
            return Err(self.type_error(entry, Expected::UnsignedInteger));
        };
        u32::try_from(v)
            .map(Some)
            .map_err(|_| self.range_error(entry, format!("in range 0:{}", u32::MAX)))
    }

    /// A C `size_t` on a 64-bit host: any unsigned number.
    pub fn get_size(&self, key: &str) -> Result<Option<u64>, ConfError> {
        let Some(entry) = self.entry(key) else {
            return Ok(None);
        };
        match entry.value {
            Value::UInt(v) => Ok(Some(v)),
            _ => Err(self.type_error(entry, Expected::UnsignedInteger)),
        }
    }
}
