//! The errors the test driver raises, worded as libvirt words them.

use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use oxvirt_driver::DomainRef;

/// The domain every test-driver error is reported in.
pub const TEST: ErrorDomain = ErrorDomain::TEST;

/// A failed lookup by id, name or uuid: libvirt's test driver gives no detail.
pub fn no_domain() -> Error {
    oxvirt_conf::domain::bare_error(TEST, ErrorCode::NO_DOMAIN, "Domain not found")
}

/// A handle whose domain is gone.
pub fn no_domain_for(dom: &DomainRef) -> Error {
    Error::new(
        TEST,
        ErrorCode::NO_DOMAIN,
        format!("no domain with matching uuid '{}' ({})", dom.uuid, dom.name),
    )
}

/// `virCheckFlags` failing: some bits of `flags` are outside `allowed`.
pub fn check_flags(flags: u32, allowed: u32, func: &str) -> Result<(), Error> {
    let bad = flags & !allowed;
    if bad == 0 {
        return Ok(());
    }
    let mut e = Error::new(TEST, ErrorCode::INVALID_ARG, "");
    e.message = format!("unsupported flags (0x{bad:x}) in function {func}");
    e.str1 = Some(func.to_owned());
    e.str2 = Some("flags".to_owned());
    e.int1 = 0;
    e.int2 = 0;
    Err(e)
}

/// `internal error: …` from the test driver.
pub fn internal(detail: impl Into<String>) -> Error {
    Error::new(TEST, ErrorCode::INTERNAL_ERROR, detail)
}

/// An operation that needs a running domain, on one that is not
/// (`virDomainObjCheckActive`).
pub fn not_running() -> Error {
    Error::new(
        ErrorDomain::DOMAIN,
        ErrorCode::OPERATION_INVALID,
        "domain is not running",
    )
}

/// A config-only operation on a transient domain.
pub fn transient_no_config() -> Error {
    Error::new(
        ErrorDomain::DOMAIN,
        ErrorCode::OPERATION_INVALID,
        "transient domains do not have any persistent config",
    )
}

/// `--live` together with `--config`; `func` and `arg` name where libvirt
/// caught it (they travel as the error's str1 and str2).
pub fn live_and_config(func: &str, arg: &str) -> Error {
    let mut e = Error::new(ErrorDomain::DOMAIN, ErrorCode::INVALID_ARG, "");
    e.message =
        "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive"
            .to_owned();
    e.str1 = Some(func.to_owned());
    e.str2 = Some(arg.to_owned());
    e.int1 = 0;
    e.int2 = 0;
    e
}
