//! The virtlogd program (0x87539319): log files of domains, written through pipes
//! the daemon hands out. Clients open one connection per operation, send no
//! handshake and count serials from 0.
//!
//! Note the domain struct order: `uuid` first, then `name`.

use oxvirt_core::Uuid;
use oxvirt_xdr::xdr_struct;

/// Program number of virtlogd.
pub const PROGRAM: u32 = 0x8753_9319;
/// Program version.
pub const VERSION: u32 = 1;
/// Longest string (`VIR_LOG_MANAGER_PROTOCOL_STRING_MAX`).
pub const STRING_MAX: usize = 4_194_304;

/// Procedure numbers.
pub mod procs {
    /// Answered with REPLY_WITH_FDS: one FD, the write end of a pipe.
    pub const DOMAIN_OPEN_LOG_FILE: i32 = 1;
    /// Where a log file currently ends.
    pub const DOMAIN_GET_LOG_FILE_POSITION: i32 = 2;
    /// Reads from a position.
    pub const DOMAIN_READ_LOG_FILE: i32 = 3;
    /// Appends one message.
    pub const DOMAIN_APPEND_LOG_FILE: i32 = 4;
}

/// Highest procedure number.
pub const PROC_MAX: i32 = 4;

/// `DOMAIN_OPEN_LOG_FILE` flag: truncate the file instead of appending.
pub const OPEN_LOG_FILE_TRUNCATE: u32 = 1;

xdr_struct! {
    /// `virLogManagerProtocolDomain`.
    pub struct Domain {
        pub uuid: Uuid,
        pub name: String,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolLogFilePosition`: where this run's output starts.
    pub struct LogFilePosition {
        pub inode: u64,
        pub offset: u64,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainOpenLogFileArgs`.
    pub struct DomainOpenLogFileArgs {
        pub driver: String,
        pub dom: Domain,
        pub path: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainOpenLogFileRet`.
    pub struct DomainOpenLogFileRet {
        pub pos: LogFilePosition,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainGetLogFilePositionArgs`.
    pub struct DomainGetLogFilePositionArgs {
        pub path: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainGetLogFilePositionRet`.
    pub struct DomainGetLogFilePositionRet {
        pub pos: LogFilePosition,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainReadLogFileArgs`: `maxlen` is at most 4 MiB.
    pub struct DomainReadLogFileArgs {
        pub path: String,
        pub pos: LogFilePosition,
        pub maxlen: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainReadLogFileRet`.
    pub struct DomainReadLogFileRet {
        pub data: String,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainAppendLogFileArgs`.
    pub struct DomainAppendLogFileArgs {
        pub driver: String,
        pub dom: Domain,
        pub path: String,
        pub message: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLogManagerProtocolDomainAppendLogFileRet`.
    pub struct DomainAppendLogFileRet {
        pub ret: i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxvirt_xdr::{from_bytes, to_bytes};

    #[test]
    fn domain_puts_uuid_before_name() {
        let dom = Domain {
            uuid: Uuid([1; 16]),
            name: "vm".into(),
        };
        let bytes = to_bytes(&dom);
        assert_eq!(&bytes[..16], &[1; 16]);
        assert_eq!(&bytes[16..], &[0, 0, 0, 2, b'v', b'm', 0, 0]);
    }

    #[test]
    fn open_log_file_ret_is_sixteen_bytes() {
        let ret = DomainOpenLogFileRet {
            pos: LogFilePosition {
                inode: 42,
                offset: 7,
            },
        };
        let bytes = to_bytes(&ret);
        assert_eq!(bytes.len(), 16);
        assert_eq!(from_bytes::<DomainOpenLogFileRet>(&bytes).unwrap(), ret);
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = from_bytes::<DomainOpenLogFileArgs>(&bytes);
            let _ = from_bytes::<DomainReadLogFileArgs>(&bytes);
            let _ = from_bytes::<DomainAppendLogFileArgs>(&bytes);
        }
    }
}
