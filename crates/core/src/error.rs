//! libvirt's error model: a code, a domain (the subsystem that raised it), a level
//! and a message built from a per-code template.
//!
//! Clients treat the numbers as API (`libvirtError.get_error_code()`, virsh's
//! handling of `VIR_ERR_NO_SUPPORT`), so every error leaving a daemon is one of
//! these values. The message templates are the ones libvirt shows, so that a user
//! sees the same text from oxvirt as from libvirt.

use std::fmt;

/// A `virErrorNumber`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCode(pub i32);

/// A `virErrorDomain`: which subsystem raised the error.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorDomain(pub i32);

/// `virErrorLevel`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ErrorLevel(pub i32);

impl ErrorLevel {
    pub const NONE: ErrorLevel = ErrorLevel(0);
    pub const WARNING: ErrorLevel = ErrorLevel(1);
    pub const ERROR: ErrorLevel = ErrorLevel(2);
}

macro_rules! codes {
    ($($name:ident = $num:literal, $tmpl:literal;)*) => {
        impl ErrorCode {
            $(pub const $name: ErrorCode = ErrorCode($num);)*

            /// The message template libvirt uses for this code when a detail is given;
            /// it holds exactly one `%s`.
            pub fn template(self) -> &'static str {
                match self.0 {
                    $($num => $tmpl,)*
                    _ => "%s",
                }
            }

            /// The symbolic name, e.g. `NO_DOMAIN`.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($num => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    OK = 0, "%s";
    INTERNAL_ERROR = 1, "internal error: %s";
    NO_MEMORY = 2, "out of memory: %s";
    NO_SUPPORT = 3, "this function is not supported by the connection driver: %s";
    UNKNOWN_HOST = 4, "unknown host %s";
    NO_CONNECT = 5, "no connection driver available for %s";
    INVALID_CONN = 6, "invalid connection pointer in %s";
    INVALID_DOMAIN = 7, "invalid domain pointer in %s";
    INVALID_ARG = 8, "invalid argument: %s";
    OPERATION_FAILED = 9, "operation failed: %s";
    OS_TYPE = 16, "unknown OS type %s";
    NO_SOURCE = 19, "missing source information for device %s";
    NO_TARGET = 20, "missing target information for device %s";
    NO_NAME = 21, "missing name information in %s";
    NO_OS = 22, "missing operating system information for %s";
    CALL_FAILED = 26, "library call failed: %s";
    XML_ERROR = 27, "XML error: %s";
    DOM_EXIST = 28, "domain %s exists already";
    OPERATION_DENIED = 29, "operation forbidden: %s";
    OPEN_FAILED = 30, "failed to open configuration file %s";
    READ_FAILED = 31, "failed to read configuration file %s";
    PARSE_FAILED = 32, "failed to parse configuration file %s";
    CONF_SYNTAX = 33, "configuration file syntax error: %s";
    WRITE_FAILED = 34, "failed to write configuration file: %s";
    XML_DETAIL = 35, "%s";
    INVALID_NETWORK = 36, "invalid network pointer in %s";
    NETWORK_EXIST = 37, "network %s exists already";
    SYSTEM_ERROR = 38, "%s";
    RPC = 39, "%s";
    GNUTLS_ERROR = 40, "%s";
    NO_DOMAIN = 42, "Domain not found: %s";
    NO_NETWORK = 43, "Network not found: %s";
    INVALID_MAC = 44, "invalid MAC address: %s";
    AUTH_FAILED = 45, "authentication failed: %s";
    INVALID_STORAGE_POOL = 46, "invalid storage pool pointer in %s";
    INVALID_STORAGE_VOL = 47, "invalid storage volume pointer in %s";
    NO_STORAGE_POOL = 49, "Storage pool not found: %s";
    NO_STORAGE_VOL = 50, "Storage volume not found: %s";
    INVALID_NODE_DEVICE = 52, "invalid node device pointer in %s";
    NO_NODE_DEVICE = 53, "Node device not found: %s";
    NO_SECURITY_MODEL = 54, "Security model not found: %s";
    OPERATION_INVALID = 55, "Requested operation is not valid: %s";
    NO_INTERFACE = 57, "Interface not found: %s";
    INVALID_INTERFACE = 58, "invalid interface pointer in %s";
    MULTIPLE_INTERFACES = 59, "multiple matching interfaces found: %s";
    INVALID_NWFILTER = 61, "Invalid network filter: %s";
    NO_NWFILTER = 62, "Network filter not found: %s";
    BUILD_FIREWALL = 63, "Error while building firewall: %s";
    INVALID_SECRET = 65, "Invalid secret: %s";
    NO_SECRET = 66, "Secret not found: %s";
    CONFIG_UNSUPPORTED = 67, "unsupported configuration: %s";
    OPERATION_TIMEOUT = 68, "Timed out during operation: %s";
    HOOK_SCRIPT_FAILED = 70, "Hook script execution failed: %s";
    INVALID_DOMAIN_SNAPSHOT = 71, "Invalid domain snapshot: %s";
    NO_DOMAIN_SNAPSHOT = 72, "Domain snapshot not found: %s";
    INVALID_STREAM = 73, "invalid stream pointer in %s";
    ARGUMENT_UNSUPPORTED = 74, "argument unsupported: %s";
    STORAGE_PROBE_FAILED = 75, "Storage pool probe failed: %s";
    STORAGE_POOL_BUILT = 76, "Storage pool already built: %s";
    OPERATION_ABORTED = 78, "operation aborted: %s";
    AUTH_CANCELLED = 79, "authentication cancelled: %s";
    NO_DOMAIN_METADATA = 80, "metadata not found: %s";
    OVERFLOW = 82, "numerical overflow: %s";
    OPERATION_UNSUPPORTED = 84, "Operation not supported: %s";
    RESOURCE_BUSY = 87, "resource busy: %s";
    ACCESS_DENIED = 88, "access denied: %s";
    STORAGE_VOL_EXIST = 90, "storage volume %s exists already";
    XML_INVALID_SCHEMA = 92, "XML document failed to validate against schema: %s";
    AUTH_UNAVAILABLE = 94, "authentication unavailable: %s";
    NO_SERVER = 95, "Server not found: %s";
    NO_CLIENT = 96, "Client not found: %s";
    DEVICE_MISSING = 99, "device not found: %s";
    NO_NWFILTER_BINDING = 101, "Network filter binding not found: %s";
    NO_NETWORK_PORT = 107, "network port not found: %s";
    NO_HOSTNAME = 108, "no hostname found: %s";
    MULTIPLE_DOMAINS = 110, "multiple matching domains found: %s";
}

macro_rules! domains {
    ($($name:ident = $num:literal;)*) => {
        impl ErrorDomain {
            $(pub const $name: ErrorDomain = ErrorDomain($num);)*

            /// The symbolic name, e.g. `RPC`.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($num => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

domains! {
    NONE = 0;
    XEN = 1;
    XML = 5;
    DOM = 6;
    RPC = 7;
    QEMU = 10;
    NET = 11;
    TEST = 12;
    REMOTE = 13;
    LXC = 17;
    STORAGE = 18;
    NETWORK = 19;
    DOMAIN = 20;
    NODEDEV = 22;
    SECURITY = 24;
    CONF = 25;
    INTERFACE = 26;
    SECRET = 30;
    NWFILTER = 33;
    STREAMS = 38;
    LOCKING = 42;
    URI = 45;
    AUTH = 46;
    DBUS = 47;
    LOCKSPACE = 51;
    IDENTITY = 53;
    ACCESS = 55;
    SYSTEMD = 56;
    POLKIT = 60;
    ADMIN = 62;
    LOGGING = 63;
    DAEMON = 64;
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n}({})", self.0),
            None => write!(f, "ErrorCode({})", self.0),
        }
    }
}

impl fmt::Debug for ErrorDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n}({})", self.0),
            None => write!(f, "ErrorDomain({})", self.0),
        }
    }
}

/// A libvirt error as it travels on the wire (`remote_error`).
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub domain: ErrorDomain,
    pub level: ErrorLevel,
    /// The full message clients display.
    pub message: String,
    /// The template the message was built from.
    pub str1: Option<String>,
    /// The detail that filled the template.
    pub str2: Option<String>,
    pub str3: Option<String>,
    pub int1: i32,
    pub int2: i32,
}

/// Results whose error is a libvirt error.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error built as libvirt's `virReportError` builds it: the code's template
    /// filled with `detail`.
    pub fn new(domain: ErrorDomain, code: ErrorCode, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let template = code.template();
        Error {
            code,
            domain,
            level: ErrorLevel::ERROR,
            message: template.replacen("%s", &detail, 1),
            str1: Some(template.to_owned()),
            str2: Some(detail),
            str3: None,
            int1: -1,
            int2: -1,
        }
    }

    /// An RPC-layer error (code 39, domain 7) whose message is `message` verbatim.
    pub fn rpc(message: impl Into<String>) -> Self {
        Error::new(ErrorDomain::RPC, ErrorCode::RPC, message)
    }

    /// `internal error: …` in the given domain.
    pub fn internal(domain: ErrorDomain, detail: impl Into<String>) -> Self {
        Error::new(domain, ErrorCode::INTERNAL_ERROR, detail)
    }

    /// The answer to a procedure the daemon does not implement; the client turns
    /// it into `VIR_ERR_NO_SUPPORT`.
    pub fn unknown_procedure(proc_: i32) -> Self {
        Error::rpc(format!("unknown procedure: {proc_}"))
    }

    /// The read-only denial, named after the public API that was refused.
    pub fn read_only(domain: ErrorDomain, api: &str) -> Self {
        Error::new(
            domain,
            ErrorCode::OPERATION_DENIED,
            format!("read only access prevents {api}"),
        )
    }

    /// A system error: the detail followed by the OS's description of `err`
    /// ("…: No such file or directory"), as libvirt words it.
    pub fn system(domain: ErrorDomain, detail: impl fmt::Display, err: &std::io::Error) -> Self {
        let text = err.to_string();
        let text = match text.rfind(" (os error ") {
            Some(i) => &text[..i],
            None => &text,
        };
        let mut e = Error::new(domain, ErrorCode::SYSTEM_ERROR, format!("{detail}: {text}"));
        e.int1 = err.raw_os_error().unwrap_or(-1);
        e
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error({:?}, {:?}, {:?})",
            self.code, self.domain, self.message
        )
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_domain_message_fills_template() {
        let e = Error::new(
            ErrorDomain::QEMU,
            ErrorCode::NO_DOMAIN,
            "no domain with matching name 'nope'",
        );
        assert_eq!(
            e.message,
            "Domain not found: no domain with matching name 'nope'"
        );
        assert_eq!(e.str1.as_deref(), Some("Domain not found: %s"));
        assert_eq!(e.level, ErrorLevel::ERROR);
    }

    #[test]
    fn unknown_procedure_is_rpc_error() {
        let e = Error::unknown_procedure(9999);
        assert_eq!((e.code, e.domain), (ErrorCode::RPC, ErrorDomain::RPC));
        assert_eq!(e.message, "unknown procedure: 9999");
    }

    #[test]
    fn system_error_reads_like_strerror() {
        let io = std::io::Error::from_raw_os_error(2);
        let e = Error::system(ErrorDomain::RPC, "Failed to connect socket to '/x'", &io);
        assert_eq!(
            e.message,
            "Failed to connect socket to '/x': No such file or directory"
        );
        assert_eq!(e.int1, 2);
    }

    #[test]
    fn read_only_names_the_api() {
        let e = Error::read_only(ErrorDomain::DOMAIN, "virDomainDestroy");
        assert_eq!(
            e.message,
            "operation forbidden: read only access prevents virDomainDestroy"
        );
        assert_eq!(e.code, ErrorCode::OPERATION_DENIED);
    }
}
