//! The errors the client raises itself, worded as libvirt's client library
//! words them, and the fix-ups it applies to errors received from a daemon.
//!
//! Every public call returns [`oxvirt_core::Error`]: libvirt's code, domain and
//! message, exactly what `virGetLastError()` gives a C client.

use oxvirt_core::error::ErrorLevel;
use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use std::io;

/// `strerror(errno)` of an I/O error, without Rust's `(os error N)` suffix.
pub fn strerror(e: &io::Error) -> String {
    let s = match e.raw_os_error() {
        Some(n) => io::Error::from_raw_os_error(n).to_string(),
        None => e.to_string(),
    };
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// `virReportSystemError`: `detail: strerror`, code SYSTEM_ERROR.
pub fn system(domain: ErrorDomain, detail: impl std::fmt::Display, e: &io::Error) -> Error {
    let mut err = Error::new(
        domain,
        ErrorCode::SYSTEM_ERROR,
        format!("{detail}: {}", strerror(e)),
    );
    err.int1 = e.raw_os_error().unwrap_or(-1);
    err
}

/// A system error from an errno value.
pub fn system_errno(domain: ErrorDomain, detail: impl std::fmt::Display, errno: i32) -> Error {
    system(domain, detail, &io::Error::from_raw_os_error(errno))
}

/// What every call on a closed connection fails with.
pub fn socket_closed() -> Error {
    Error::internal(ErrorDomain::RPC, "client socket is closed")
}

/// `invalid argument: …` raised by the remote driver.
pub fn invalid_arg(detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::REMOTE, ErrorCode::INVALID_ARG, detail)
}

/// A reply that could not be decoded.
pub fn decode_failed(what: impl std::fmt::Display) -> Error {
    Error::rpc(format!("Unable to decode message payload: {what}"))
}

/// The conversions libvirt's client applies to an error it receives
/// (`virNetClientProgramDispatchError`): "unknown procedure" from the RPC layer
/// becomes `VIR_ERR_NO_SUPPORT`, and legacy error numbers that were renumbered
/// are mapped to their current value.
pub fn from_remote(mut e: Error) -> Error {
    let rpc_layer = e.domain == ErrorDomain::RPC || e.domain == ErrorDomain::REMOTE;
    if rpc_layer
        && e.code == ErrorCode::RPC
        && e.level == ErrorLevel::ERROR
        && e.message.starts_with("unknown procedure")
    {
        e.code = ErrorCode::NO_SUPPORT;
        return e;
    }
    match e.code.0 {
        61..=63 if e.domain != ErrorDomain::NWFILTER => e.code = ErrorCode(e.code.0 + 4),
        64 if e.domain == ErrorDomain::QEMU => e.code = ErrorCode(68),
        65 if e.domain == ErrorDomain::XEN => e.code = ErrorCode(69),
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_procedure_becomes_no_support() {
        let e = from_remote(Error::unknown_procedure(300));
        assert_eq!(e.code, ErrorCode::NO_SUPPORT);
        assert_eq!(e.message, "unknown procedure: 300");
    }

    #[test]
    fn legacy_secret_codes_are_renumbered() {
        let e = from_remote(Error::new(ErrorDomain::SECRET, ErrorCode(62), "x"));
        assert_eq!(e.code, ErrorCode(66));
        let e = from_remote(Error::new(ErrorDomain::NWFILTER, ErrorCode(62), "x"));
        assert_eq!(e.code, ErrorCode(62));
    }

    #[test]
    fn strerror_has_no_rust_suffix() {
        let e = io::Error::from_raw_os_error(libc::ENOENT);
        assert_eq!(strerror(&e), "No such file or directory");
    }
}
