//! The virtlockd program (0x0EA7BEEF): fcntl locks on disk resources, owned by a
//! registered QEMU process. Every ret is void; strings are at most 64 KiB.

use oxvirt_core::Uuid;
use oxvirt_xdr::xdr_struct;

/// Program number of virtlockd.
pub const PROGRAM: u32 = 0x0EA7_BEEF;
/// Program version.
pub const VERSION: u32 = 1;
/// Longest string (`VIR_LOCK_SPACE_PROTOCOL_STRING_MAX`).
pub const STRING_MAX: usize = 65_536;

/// Procedure numbers.
pub mod procs {
    /// Names the owner; required first.
    pub const REGISTER: i32 = 1;
    /// Refuses every later call on this connection.
    pub const RESTRICT: i32 = 2;
    /// Creates a lockspace (unused by 9.0 clients).
    pub const NEW: i32 = 3;
    /// Creates a lock file.
    pub const CREATE_RESOURCE: i32 = 4;
    /// Deletes a lock file.
    pub const DELETE_RESOURCE: i32 = 5;
    /// Takes a lock for the owner.
    pub const ACQUIRE_RESOURCE: i32 = 6;
    /// Drops a lock.
    pub const RELEASE_RESOURCE: i32 = 7;
    /// Creates a lockspace directory.
    pub const CREATE_LOCKSPACE: i32 = 8;
}

/// Highest procedure number.
pub const PROC_MAX: i32 = 8;

/// `ACQUIRE_RESOURCE` flag: take a shared (read) lock.
pub const ACQUIRE_SHARED: u32 = 1;
/// `ACQUIRE_RESOURCE` flag: create the lock file if missing.
pub const ACQUIRE_AUTOCREATE: u32 = 2;

xdr_struct! {
    /// `virLockSpaceProtocolOwner`: `pid` is the QEMU process that holds the locks.
    pub struct Owner {
        pub uuid: Uuid,
        #[max = STRING_MAX] pub name: String,
        pub id: u32,
        pub pid: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolRegisterArgs`.
    pub struct RegisterArgs {
        pub owner: Owner,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolRestrictArgs`.
    pub struct RestrictArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolNewArgs`.
    pub struct NewArgs {
        #[max = STRING_MAX] pub path: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolCreateResourceArgs`.
    pub struct CreateResourceArgs {
        #[max = STRING_MAX] pub path: String,
        #[max = STRING_MAX] pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolDeleteResourceArgs`.
    pub struct DeleteResourceArgs {
        #[max = STRING_MAX] pub path: String,
        #[max = STRING_MAX] pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolAcquireResourceArgs`: `path` "" is the default lockspace.
    pub struct AcquireResourceArgs {
        #[max = STRING_MAX] pub path: String,
        #[max = STRING_MAX] pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolReleaseResourceArgs`.
    pub struct ReleaseResourceArgs {
        #[max = STRING_MAX] pub path: String,
        #[max = STRING_MAX] pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `virLockSpaceProtocolCreateLockSpaceArgs`.
    pub struct CreateLockspaceArgs {
        #[max = STRING_MAX] pub path: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxvirt_xdr::{from_bytes, to_bytes, XdrError};

    #[test]
    fn register_args_round_trip() {
        let args = RegisterArgs {
            owner: Owner {
                uuid: Uuid([9; 16]),
                name: "vm1".into(),
                id: 3,
                pid: 4242,
            },
            flags: 0,
        };
        let bytes = to_bytes(&args);
        assert_eq!(bytes.len(), 16 + 8 + 4 + 4 + 4);
        assert_eq!(from_bytes::<RegisterArgs>(&bytes).unwrap(), args);
    }

    #[test]
    fn path_over_64k_is_refused() {
        let args = CreateLockspaceArgs {
            path: "x".repeat(STRING_MAX + 1),
        };
        assert!(matches!(
            from_bytes::<CreateLockspaceArgs>(&to_bytes(&args)),
            Err(XdrError::TooLong { .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = from_bytes::<RegisterArgs>(&bytes);
            let _ = from_bytes::<AcquireResourceArgs>(&bytes);
        }
    }
}
