//! Message types and procedure tables of libvirt's RPC programs: remote, qemu, lxc,
//! keepalive, admin, virtlogd and virtlockd.
//!
//! Pure data: no I/O and no async. [`header`] is the fixed frame header, [`error`]
//! the error payload, and one module per program holds its program number, its
//! procedure numbers and its payload structs (declared with
//! [`oxvirt_xdr::xdr_struct!`], so each encodes and decodes itself).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod admin;
pub mod error;
pub mod header;
pub mod keepalive;
pub mod lock;
pub mod log;
pub mod lxc;
pub mod qemu;
pub mod remote;
