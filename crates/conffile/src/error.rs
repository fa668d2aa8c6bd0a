//! The one error type of this crate.
//!
//! Every message names the file and, except for I/O failures, the line; typed
//! getter and setting errors also name the key. The wording follows libvirt's
//! (`expecting a value`, `expected a string for 'tls_port' parameter`) so that an
//! operator sees the same text from oxvirt as from libvirt.

use std::fmt;
use std::path::PathBuf;

use oxvirt_core::{ErrorCode, ErrorDomain};

/// What a typed getter wanted when the value had another type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A quoted string.
    String,
    /// A list whose elements are all strings.
    StringList,
    /// An unsigned number, 0 or 1.
    Bool,
    /// A number of either sign.
    SignedInteger,
    /// A number without a leading `-`.
    UnsignedInteger,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::String => "a string",
            Expected::StringList => "a string list",
            Expected::Bool => "a bool",
            Expected::SignedInteger => "a signed integer",
            Expected::UnsignedInteger => "an unsigned integer",
        })
    }
}

/// An error while reading, parsing or interpreting a configuration file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfError {
    /// The text does not follow the grammar.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// File name as given to the parser.
        file: String,
        /// 1-based line where the parser stopped.
        line: usize,
        /// libvirt's wording, e.g. `expecting a value`.
        message: &'static str,
    },

    /// The file could not be read.
    #[error("failed to read configuration file '{}'", path.display())]
    Read {
        /// The path that was opened.
        path: PathBuf,
        /// Why reading failed.
        #[source]
        source: std::io::Error,
    },

    /// The file exceeds [`crate::MAX_FILE_SIZE`].
    #[error("configuration file '{}' is larger than {} bytes", path.display(), crate::MAX_FILE_SIZE)]
    TooLarge {
        /// The path that was opened.
        path: PathBuf,
    },

    /// A key holds a value of the wrong type.
    #[error("{file}:{line}: expected {expected} for '{key}' parameter")]
    Type {
        /// File name.
        file: String,
        /// Line of the key's entry.
        line: usize,
        /// The key.
        key: String,
        /// The type the getter wanted.
        expected: Expected,
    },

    /// A number outside the range of the getter's type.
    #[error("{file}:{line}: value for '{key}' parameter must be {range}")]
    Range {
        /// File name.
        file: String,
        /// Line of the key's entry.
        line: usize,
        /// The key.
        key: String,
        /// The accepted range, e.g. `0 or 1` or `in range 0:4294967295`.
        range: String,
    },

    /// A value of the right type that the setting does not accept.
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// File name.
        file: String,
        /// Line of the key's entry.
        line: usize,
        /// The key.
        key: String,
        /// The full explanation; it names the key.
        message: String,
        /// True where libvirt reports `VIR_ERR_CONFIG_UNSUPPORTED` rather than an
        /// internal error (unknown auth scheme, too low SSF).
        unsupported: bool,
    },
}

impl ConfError {
    /// The line the error points at, if it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfError::Syntax { line, .. }
            | ConfError::Type { line, .. }
            | ConfError::Range { line, .. }
            | ConfError::Invalid { line, .. } => Some(*line),
            ConfError::Read { .. } | ConfError::TooLarge { .. } => None,
        }
    }

    /// The key the error is about, if it is about one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfError::Type { key, .. }
            | ConfError::Range { key, .. }
            | ConfError::Invalid { key, .. } => Some(key),
            ConfError::Syntax { .. } | ConfError::Read { .. } | ConfError::TooLarge { .. } => None,
        }
    }

    /// The libvirt error code this error maps to (domain [`ErrorDomain::CONF`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            ConfError::Syntax { .. } => ErrorCode::CONF_SYNTAX,
            // libvirt reports a bad string list as a syntax error, every other
            // type mismatch as an internal error.
            ConfError::Type {
                expected: Expected::StringList,
                ..
            } => ErrorCode::CONF_SYNTAX,
            ConfError::Type { .. } | ConfError::Range { .. } => ErrorCode::INTERNAL_ERROR,
            ConfError::Invalid {
                unsupported: true, ..
            } => ErrorCode::CONFIG_UNSUPPORTED,
            ConfError::Invalid { .. } => ErrorCode::INTERNAL_ERROR,
            ConfError::Read { .. } | ConfError::TooLarge { .. } => ErrorCode::SYSTEM_ERROR,
        }
    }
}

impl From<ConfError> for oxvirt_core::Error {
    fn from(err: ConfError) -> Self {
        let mut detail = err.to_string();
        if let ConfError::Read { source, .. } = &err {
            detail = format!("{detail}: {source}");
        }
        oxvirt_core::Error::new(ErrorDomain::CONF, err.code(), detail)
    }
}
