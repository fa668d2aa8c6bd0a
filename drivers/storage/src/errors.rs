//! The storage driver's errors, worded as libvirt 9.0 words them (domain 18).

use oxvirt_core::{Error, ErrorCode, ErrorDomain};

const D: ErrorDomain = ErrorDomain::STORAGE;

pub fn no_pool_name(name: &str) -> Error {
    Error::new(
        D,
        ErrorCode::NO_STORAGE_POOL,
        format!("no storage pool with matching name '{name}'"),
    )
}

pub fn no_pool_uuid(uuid: &oxvirt_core::Uuid, name: Option<&str>) -> Error {
    let detail = match name {
        Some(n) => format!("no storage pool with matching uuid '{uuid}' ({n})"),
        None => format!("no storage pool with matching uuid '{uuid}'"),
    };
    Error::new(D, ErrorCode::NO_STORAGE_POOL, detail)
}

pub fn no_pool_target(path: &str) -> Error {
    Error::new(
        D,
        ErrorCode::NO_STORAGE_POOL,
        format!("no storage pool with matching target path '{path}'"),
    )
}

pub fn no_vol_name(name: &str) -> Error {
    Error::new(
        D,
        ErrorCode::NO_STORAGE_VOL,
        format!("no storage vol with matching name '{name}'"),
    )
}

pub fn no_vol_key(key: &str) -> Error {
    Error::new(
        D,
        ErrorCode::NO_STORAGE_VOL,
        format!("no storage vol with matching key {key}"),
    )
}

pub fn no_vol_path(path: &str) -> Error {
    Error::new(
        D,
        ErrorCode::NO_STORAGE_VOL,
        format!("no storage vol with matching path '{path}'"),
    )
}

pub fn invalid(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::OPERATION_INVALID, detail)
}

pub fn failed(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::OPERATION_FAILED, detail)
}

pub fn internal(detail: impl Into<String>) -> Error {
    Error::internal(D, detail)
}

pub fn invalid_arg(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::INVALID_ARG, detail)
}

pub fn unsupported_arg(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::ARGUMENT_UNSUPPORTED, detail)
}

pub fn unsupported(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::CONFIG_UNSUPPORTED, detail)
}

pub fn no_support(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::NO_SUPPORT, detail)
}

/// A system call failed: `detail: strerror`.
pub fn system(detail: impl std::fmt::Display, err: &std::io::Error) -> Error {
    Error::system(D, detail, err)
}

pub fn pool_active(name: &str) -> Error {
    invalid(format!("storage pool '{name}' is already active"))
}

pub fn pool_still_active(name: &str) -> Error {
    invalid(format!("storage pool '{name}' is still active"))
}

pub fn pool_not_active(name: &str) -> Error {
    invalid(format!("storage pool '{name}' is not active"))
}

pub fn pool_busy(name: &str) -> Error {
    internal(format!("pool '{name}' has asynchronous jobs running."))
}

pub fn vol_in_use(name: &str) -> Error {
    invalid(format!("volume '{name}' is still in use."))
}

pub fn vol_building(name: &str) -> Error {
    invalid(format!("volume '{name}' is still being allocated."))
}

pub fn vol_exists(name: &str) -> Error {
    Error::new(D, ErrorCode::STORAGE_VOL_EXIST, format!("'{name}'"))
}

pub fn pool_built(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::STORAGE_POOL_BUILT, detail)
}

pub fn probe_failed(detail: impl Into<String>) -> Error {
    Error::new(D, ErrorCode::STORAGE_PROBE_FAILED, detail)
}

/// A volume name this driver can never hold: libvirt's wording for `/`,
/// a clear message for the rest.
pub fn check_vol_name(name: &str) -> Result<(), Error> {
    if name.contains('/') {
        return Err(invalid(format!("volume name '{name}' cannot contain '/'")));
    }
    if name.is_empty() {
        return Err(invalid_arg("volume name must not be empty"));
    }
    if name.contains('\0') {
        return Err(invalid_arg("volume name must not contain a NUL byte"));
    }
    if name.len() > 255 {
        return Err(invalid_arg(format!(
            "volume name is {} bytes long; a file name has at most 255",
            name.len()
        )));
    }
    Ok(())
}

/// A pool name that can be a file name under the config directory.
pub fn check_pool_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name == "." || name == ".." || name.contains('\0') {
        return Err(Error::new(
            D,
            ErrorCode::XML_ERROR,
            format!("pool name '{name}' is not a valid file name"),
        ));
    }
    // NAME.xml under /etc/libvirt/storage; NAME_MAX is 255.
    if name.len() > 251 {
        return Err(Error::new(
            D,
            ErrorCode::XML_ERROR,
            format!(
                "pool name is {} bytes long; at most 251 fit a file name",
                name.len()
            ),
        ));
    }
    Ok(())
}
