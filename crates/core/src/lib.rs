//! The vocabulary every other oxvirt crate shares.
//!
//! Nothing here does I/O. The numbers in this crate (error codes and domains,
//! domain states, event codes, list flags) are part of libvirt's public API:
//! clients branch on them, so they are fixed.

pub mod domain;
pub mod error;
pub mod typed_param;
pub mod uuid;

pub use error::{Error, ErrorCode, ErrorDomain, Result};
pub use typed_param::{TypedParam, TypedValue};
pub use uuid::Uuid;

/// The libvirt version oxvirt reports to clients (major * 1e6 + minor * 1e3 + micro).
///
/// Clients gate features on it, so it is the libvirt release whose wire behaviour
/// oxvirt reproduces.
pub const LIBVIRT_VERSION: u64 = 9_000_000;

/// The same version as text, for `--version` and log headers.
pub const LIBVIRT_VERSION_STR: &str = "9.0.0";
