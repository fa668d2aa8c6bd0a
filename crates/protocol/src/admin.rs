//! The ADMIN program (0x06900690), spoken on `*-admin-sock`: servers, clients,
//! thread pools, limits and logging of the daemon itself.
//!
//! Structs are named after `admin_protocol.x` in CamelCase, keeping the `Admin`
//! prefix (`admin_connect_list_servers_ret` is [`AdminConnectListServersRet`]).
//! `admin_typed_param` has the same layout as the remote one, so typed parameters
//! are [`TypedParam`]s.

#![allow(non_snake_case)]

use oxvirt_core::TypedParam;
use oxvirt_xdr::xdr_struct;

/// Program number of ADMIN.
pub const PROGRAM: u32 = 0x0690_0690;
/// Program version of ADMIN.
pub const VERSION: u32 = 1;

/// `ADMIN_STRING_MAX`.
pub const STRING_MAX: usize = 4_194_304;
/// `ADMIN_SERVER_LIST_MAX`.
pub const SERVER_LIST_MAX: usize = 16384;
/// `ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX`.
pub const SERVER_THREADPOOL_PARAMETERS_MAX: usize = 32;
/// `ADMIN_CLIENT_LIST_MAX`.
pub const CLIENT_LIST_MAX: usize = 16384;
/// `ADMIN_CLIENT_INFO_PARAMETERS_MAX`.
pub const CLIENT_INFO_PARAMETERS_MAX: usize = 64;
/// `ADMIN_SERVER_CLIENT_LIMITS_MAX`.
pub const SERVER_CLIENT_LIMITS_MAX: usize = 32;

/// Procedure numbers, named without `ADMIN_PROC_`.
pub mod procs {
    /// Opens the admin connection; flags must be 0.
    pub const CONNECT_OPEN: i32 = 1;
    /// Closes the connection after the reply.
    pub const CONNECT_CLOSE: i32 = 2;
    /// The library version.
    pub const CONNECT_GET_LIB_VERSION: i32 = 3;
    /// Lists the servers of the daemon.
    pub const CONNECT_LIST_SERVERS: i32 = 4;
    /// Finds a server by name.
    pub const CONNECT_LOOKUP_SERVER: i32 = 5;
    /// Worker pool sizes and usage.
    pub const SERVER_GET_THREADPOOL_PARAMETERS: i32 = 6;
    /// Changes min, max and priority workers.
    pub const SERVER_SET_THREADPOOL_PARAMETERS: i32 = 7;
    /// Lists the clients of a server.
    pub const SERVER_LIST_CLIENTS: i32 = 8;
    /// Finds a client by id.
    pub const SERVER_LOOKUP_CLIENT: i32 = 9;
    /// Identity and transport details of a client.
    pub const CLIENT_GET_INFO: i32 = 10;
    /// Disconnects a client.
    pub const CLIENT_CLOSE: i32 = 11;
    /// Client counts and limits.
    pub const SERVER_GET_CLIENT_LIMITS: i32 = 12;
    /// Changes the client limits.
    pub const SERVER_SET_CLIENT_LIMITS: i32 = 13;
    /// The log outputs string.
    pub const CONNECT_GET_LOGGING_OUTPUTS: i32 = 14;
    /// The log filters string.
    pub const CONNECT_GET_LOGGING_FILTERS: i32 = 15;
    /// Replaces the log outputs.
    pub const CONNECT_SET_LOGGING_OUTPUTS: i32 = 16;
    /// Replaces the log filters.
    pub const CONNECT_SET_LOGGING_FILTERS: i32 = 17;
    /// Reloads TLS certificates.
    pub const SERVER_UPDATE_TLS_FILES: i32 = 18;
    /// Changes the idle exit timeout.
    pub const CONNECT_SET_DAEMON_TIMEOUT: i32 = 19;
}

/// Highest ADMIN procedure number.
pub const PROC_MAX: i32 = 19;

/// The name of ADMIN procedure `number`, without `ADMIN_PROC_`.
pub fn proc_name(number: i32) -> Option<&'static str> {
    const NAMES: [&str; 19] = [
        "CONNECT_OPEN",
        "CONNECT_CLOSE",
        "CONNECT_GET_LIB_VERSION",
        "CONNECT_LIST_SERVERS",
        "CONNECT_LOOKUP_SERVER",
        "SERVER_GET_THREADPOOL_PARAMETERS",
        "SERVER_SET_THREADPOOL_PARAMETERS",
        "SERVER_LIST_CLIENTS",
        "SERVER_LOOKUP_CLIENT",
        "CLIENT_GET_INFO",
        "CLIENT_CLOSE",
        "SERVER_GET_CLIENT_LIMITS",
        "SERVER_SET_CLIENT_LIMITS",
        "CONNECT_GET_LOGGING_OUTPUTS",
        "CONNECT_GET_LOGGING_FILTERS",
        "CONNECT_SET_LOGGING_OUTPUTS",
        "CONNECT_SET_LOGGING_FILTERS",
        "SERVER_UPDATE_TLS_FILES",
        "CONNECT_SET_DAEMON_TIMEOUT",
    ];
    let i = usize::try_from(number.checked_sub(1)?).ok()?;
    NAMES.get(i).copied()
}

/// Client transport: UNIX socket.
pub const TRANSPORT_UNIX: u32 = 0;
/// Client transport: plain TCP.
pub const TRANSPORT_TCP: u32 = 1;
/// Client transport: TLS.
pub const TRANSPORT_TLS: u32 = 2;

xdr_struct! {
    /// `admin_nonnull_server`.
    pub struct AdminNonnullServer {
        pub name: String,
    }
}

xdr_struct! {
    /// `admin_nonnull_client`: `timestamp` is the connect time in Unix seconds.
    pub struct AdminNonnullClient {
        pub srv: AdminNonnullServer,
        pub id: u64,
        pub timestamp: i64,
        pub transport: u32,
    }
}

xdr_struct! {
    /// `admin_connect_open_args`.
    pub struct AdminConnectOpenArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_get_lib_version_ret`.
    pub struct AdminConnectGetLibVersionRet {
        pub libVer: u64,
    }
}

xdr_struct! {
    /// `admin_connect_list_servers_args`.
    pub struct AdminConnectListServersArgs {
        pub need_results: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_list_servers_ret`.
    pub struct AdminConnectListServersRet {
        #[max = SERVER_LIST_MAX] pub servers: Vec<AdminNonnullServer>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `admin_connect_lookup_server_args`.
    pub struct AdminConnectLookupServerArgs {
        pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_lookup_server_ret`.
    pub struct AdminConnectLookupServerRet {
        pub srv: AdminNonnullServer,
    }
}

xdr_struct! {
    /// `admin_server_get_threadpool_parameters_args`.
    pub struct AdminServerGetThreadpoolParametersArgs {
        pub srv: AdminNonnullServer,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_get_threadpool_parameters_ret`.
    pub struct AdminServerGetThreadpoolParametersRet {
        #[max = SERVER_THREADPOOL_PARAMETERS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `admin_server_set_threadpool_parameters_args`.
    pub struct AdminServerSetThreadpoolParametersArgs {
        pub srv: AdminNonnullServer,
        #[max = SERVER_THREADPOOL_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_list_clients_args`.
    pub struct AdminServerListClientsArgs {
        pub srv: AdminNonnullServer,
        pub need_results: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_list_clients_ret`.
    pub struct AdminServerListClientsRet {
        #[max = CLIENT_LIST_MAX] pub clients: Vec<AdminNonnullClient>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `admin_server_lookup_client_args`.
    pub struct AdminServerLookupClientArgs {
        pub srv: AdminNonnullServer,
        pub id: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_lookup_client_ret`.
    pub struct AdminServerLookupClientRet {
        pub clnt: AdminNonnullClient,
    }
}

xdr_struct! {
    /// `admin_client_get_info_args`.
    pub struct AdminClientGetInfoArgs {
        pub clnt: AdminNonnullClient,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_client_get_info_ret`.
    pub struct AdminClientGetInfoRet {
        #[max = CLIENT_INFO_PARAMETERS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `admin_client_close_args`.
    pub struct AdminClientCloseArgs {
        pub clnt: AdminNonnullClient,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_get_client_limits_args`.
    pub struct AdminServerGetClientLimitsArgs {
        pub srv: AdminNonnullServer,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_get_client_limits_ret`.
    pub struct AdminServerGetClientLimitsRet {
        #[max = SERVER_CLIENT_LIMITS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `admin_server_set_client_limits_args`.
    pub struct AdminServerSetClientLimitsArgs {
        pub srv: AdminNonnullServer,
        #[max = SERVER_CLIENT_LIMITS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_server_update_tls_files_args`.
    pub struct AdminServerUpdateTlsFilesArgs {
        pub srv: AdminNonnullServer,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_get_logging_outputs_args`.
    pub struct AdminConnectGetLoggingOutputsArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_get_logging_outputs_ret`.
    pub struct AdminConnectGetLoggingOutputsRet {
        pub outputs: String,
        pub noutputs: u32,
    }
}

xdr_struct! {
    /// `admin_connect_get_logging_filters_args`.
    pub struct AdminConnectGetLoggingFiltersArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_get_logging_filters_ret`: `filters` is absent when none are set.
    pub struct AdminConnectGetLoggingFiltersRet {
        pub filters: Option<String>,
        pub nfilters: u32,
    }
}

xdr_struct! {
    /// `admin_connect_set_logging_outputs_args`: absent means the default.
    pub struct AdminConnectSetLoggingOutputsArgs {
        pub outputs: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_set_logging_filters_args`.
    pub struct AdminConnectSetLoggingFiltersArgs {
        pub filters: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `admin_connect_set_daemon_timeout_args`.
    pub struct AdminConnectSetDaemonTimeoutArgs {
        pub timeout: u32,
        pub flags: u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxvirt_core::TypedValue;
    use oxvirt_xdr::{from_bytes, to_bytes};

    #[test]
    fn list_servers_ret_encodes_names_then_count() {
        let ret = AdminConnectListServersRet {
            servers: vec![
                AdminNonnullServer {
                    name: "libvirtd".into(),
                },
                AdminNonnullServer {
                    name: "admin".into(),
                },
            ],
            ret: 2,
        };
        let bytes = to_bytes(&ret);
        let mut expected = vec![0, 0, 0, 2, 0, 0, 0, 8];
        expected.extend_from_slice(b"libvirtd");
        expected.extend_from_slice(&[0, 0, 0, 5]);
        expected.extend_from_slice(b"admin\0\0\0");
        expected.extend_from_slice(&[0, 0, 0, 2]);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn client_round_trips() {
        let c = AdminNonnullClient {
            srv: AdminNonnullServer {
                name: "virtqemud".into(),
            },
            id: 7,
            timestamp: 1_700_000_000,
            transport: TRANSPORT_UNIX,
        };
        let args = AdminClientGetInfoArgs {
            clnt: c.clone(),
            flags: 0,
        };
        assert_eq!(
            from_bytes::<AdminClientGetInfoArgs>(&to_bytes(&args)).unwrap(),
            args
        );
        let ret = AdminClientGetInfoRet {
            params: vec![TypedParam::new("readonly", TypedValue::Boolean(false))],
        };
        assert_eq!(
            from_bytes::<AdminClientGetInfoRet>(&to_bytes(&ret)).unwrap(),
            ret
        );
    }

    #[test]
    fn proc_names_cover_every_number() {
        assert_eq!(proc_name(1), Some("CONNECT_OPEN"));
        assert_eq!(proc_name(19), Some("CONNECT_SET_DAEMON_TIMEOUT"));
        assert_eq!(proc_name(0), None);
        assert_eq!(proc_name(20), None);
        assert_eq!(procs::CONNECT_SET_DAEMON_TIMEOUT, PROC_MAX);
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = from_bytes::<AdminServerSetThreadpoolParametersArgs>(&bytes);
            let _ = from_bytes::<AdminClientCloseArgs>(&bytes);
            let _ = from_bytes::<AdminConnectSetLoggingOutputsArgs>(&bytes);
        }
    }
}
