//! The LXC program (0x00068000), spoken on the same connection as REMOTE.

use oxvirt_xdr::xdr_struct;

use crate::remote::NonnullDomain;

/// Program number of LXC.
pub const PROGRAM: u32 = 0x0006_8000;
/// Program version of LXC.
pub const VERSION: u32 = 1;

/// Procedure numbers, named without `LXC_PROC_`.
pub mod procs {
    /// Answered with REPLY_WITH_FDS: one namespace FD per namespace.
    pub const DOMAIN_OPEN_NAMESPACE: i32 = 1;
}

/// Highest LXC procedure number.
pub const PROC_MAX: i32 = 1;

/// The public API a read-only connection is refused (error domain NONE).
pub fn readonly_denied_api(number: i32) -> Option<&'static str> {
    match number {
        1 => Some("virDomainLxcOpenNamespace"),
        _ => None,
    }
}

xdr_struct! {
    /// `lxc_domain_open_namespace_args`; the reply carries only FDs.
    pub struct DomainOpenNamespaceArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}
