//! The REMOTE program (0x20008086): every hypervisor and secondary-driver call.
//!
//! [`procs`] holds the procedure numbers, [`table`] the per-procedure facts the
//! dispatcher needs (priority, read-only denial, error family), and the structs
//! below are the args, ret and event payloads in wire order, named after the
//! `remote_*` structs of `remote_protocol.x` in CamelCase (`remote_domain_lookup_by_name_args`
//! is [`DomainLookupByNameArgs`]). Optional handles (`remote_domain`) are
//! `Option<NonnullDomain>`; `remote_string` is `Option<String>`.

pub mod procs;
pub mod table;
mod types;

pub use types::*;

/// Program number of REMOTE.
pub const PROGRAM: u32 = 0x2000_8086;
/// Program version of REMOTE.
pub const VERSION: u32 = 1;

/// `REMOTE_AUTH_NONE`: the socket needs no authentication.
pub const AUTH_NONE: i32 = 0;
/// `REMOTE_AUTH_SASL`.
pub const AUTH_SASL: i32 = 1;
/// `REMOTE_AUTH_POLKIT`.
pub const AUTH_POLKIT: i32 = 2;

#[cfg(test)]
mod tests;
