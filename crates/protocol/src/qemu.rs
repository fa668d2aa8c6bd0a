//! The QEMU program (0x20008087): monitor and agent passthrough, spoken on the
//! same connection as REMOTE. Read-only denials use error domain NONE.

#![allow(non_snake_case)]

use oxvirt_xdr::xdr_struct;

use crate::remote::NonnullDomain;

/// Program number of QEMU.
pub const PROGRAM: u32 = 0x2000_8087;
/// Program version of QEMU.
pub const VERSION: u32 = 1;

/// Procedure numbers, named without `QEMU_PROC_`.
pub mod procs {
    /// `virDomainQemuMonitorCommand`.
    pub const DOMAIN_MONITOR_COMMAND: i32 = 1;
    /// `virDomainQemuAttach`.
    pub const DOMAIN_ATTACH: i32 = 2;
    /// `virDomainQemuAgentCommand`.
    pub const DOMAIN_AGENT_COMMAND: i32 = 3;
    /// `virConnectDomainQemuMonitorEventRegister`.
    pub const CONNECT_DOMAIN_MONITOR_EVENT_REGISTER: i32 = 4;
    /// `virConnectDomainQemuMonitorEventDeregister`.
    pub const CONNECT_DOMAIN_MONITOR_EVENT_DEREGISTER: i32 = 5;
    /// Event message (type MESSAGE).
    pub const DOMAIN_MONITOR_EVENT: i32 = 6;
    /// Carries file descriptors (CALL_WITH_FDS).
    pub const DOMAIN_MONITOR_COMMAND_WITH_FILES: i32 = 7;
}

/// Highest QEMU procedure number in libvirt 9.0.
pub const PROC_MAX: i32 = 7;

/// `@priority: high`: only the event (de)registration calls.
pub fn priority(number: i32) -> bool {
    matches!(number, 4 | 5)
}

/// The public API a read-only connection is refused, with error domain NONE;
/// `None` when the call is allowed read-only or unknown.
pub fn readonly_denied_api(number: i32) -> Option<&'static str> {
    match number {
        1 => Some("virDomainQemuMonitorCommand"),
        2 => Some("virDomainQemuAttach"),
        3 => Some("virDomainQemuAgentCommand"),
        7 => Some("virDomainQemuMonitorCommandWithFiles"),
        _ => None,
    }
}

xdr_struct! {
    /// `qemu_domain_monitor_command_args`.
    pub struct DomainMonitorCommandArgs {
        pub dom: NonnullDomain,
        pub cmd: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `qemu_domain_monitor_command_ret`.
    pub struct DomainMonitorCommandRet {
        pub result: String,
    }
}

xdr_struct! {
    /// `qemu_domain_attach_args`.
    pub struct DomainAttachArgs {
        pub pid_value: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `qemu_domain_attach_ret`.
    pub struct DomainAttachRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `qemu_domain_agent_command_args`.
    pub struct DomainAgentCommandArgs {
        pub dom: NonnullDomain,
        pub cmd: String,
        pub timeout: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `qemu_domain_agent_command_ret`.
    pub struct DomainAgentCommandRet {
        pub result: Option<String>,
    }
}

xdr_struct! {
    /// `qemu_connect_domain_monitor_event_register_args`.
    pub struct ConnectDomainMonitorEventRegisterArgs {
        pub dom: Option<NonnullDomain>,
        pub event: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `qemu_connect_domain_monitor_event_register_ret`.
    pub struct ConnectDomainMonitorEventRegisterRet {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `qemu_connect_domain_monitor_event_deregister_args`.
    pub struct ConnectDomainMonitorEventDeregisterArgs {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `qemu_domain_monitor_event_msg`.
    pub struct DomainMonitorEventMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub event: String,
        pub seconds: i64,
        pub micros: u32,
        pub details: Option<String>,
    }
}

xdr_struct! {
    /// `qemu_domain_monitor_command_with_files_args`.
    pub struct DomainMonitorCommandWithFilesArgs {
        pub dom: NonnullDomain,
        pub cmd: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `qemu_domain_monitor_command_with_files_ret`.
    pub struct DomainMonitorCommandWithFilesRet {
        pub result: String,
    }
}
