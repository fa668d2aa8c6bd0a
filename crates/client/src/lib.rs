//! oxvirt's client library: libvirt's remote driver, in Rust.
//!
//! It speaks libvirt's RPC protocol to any libvirt 9.0-compatible daemon —
//! oxvirt's own or libvirt's `libvirtd`/`virtqemud` — and offers typed
//! handles for every object family.
//!
//! # How a call travels
//!
//! 1. [`Connect::open`] resolves the URI as libvirt does (`LIBVIRT_DEFAULT_URI`,
//!    `uri_default` and `uri_aliases` in `libvirt.conf`), plans the transport
//!    ([`transport::plan`]: socket selection, session daemon autostart, the ssh
//!    command line), connects and runs libvirt's handshake.
//! 2. A method such as [`Domain::destroy`] refuses locally what a read-only
//!    connection may not do, encodes its arguments and hands them to the
//!    connection's engine, which numbers the call, writes it and waits for the
//!    reply with that serial.
//! 3. Errors are [`oxvirt_core::Error`]: libvirt's code, domain and message,
//!    with the client-side fix-ups libvirt applies ("unknown procedure"
//!    becomes `VIR_ERR_NO_SUPPORT`).
//!
//! The API is async and executor-agnostic: I/O runs on a small runtime owned
//! by the library, and the futures it returns can be awaited anywhere or
//! blocked on with [`Wait::wait`]:
//!
//! ```no_run
//! use oxvirt_client::{Connect, Wait};
//!
//! let conn = Connect::open(Some("qemu:///session")).wait()?;
//! for dom in conn.list_all_domains(0).wait()? {
//!     let (state, _reason) = dom.get_state(0).wait()?;
//!     println!("{} {}", dom.name(), state);
//! }
//! conn.close().wait()?;
//! # Ok::<(), oxvirt_core::Error>(())
//! ```

pub mod admin;
pub mod config;
mod connect;
mod domain;
mod engine;
pub mod error;
mod event;
mod interface;
mod legacy;
mod network;
mod nodedev;
mod nwfilter;
mod runtime;
mod secret;
mod storage;
mod stream;
pub mod tls;
pub mod transport;
pub mod uri;

pub use admin::{AdminClient, AdminConnect, AdminServer};
pub use connect::{Connect, NodeInfo, OpenOptions, SecurityModel, FEATURE_TYPED_PARAM_STRING};
pub use domain::{Domain, DomainInfo, DomainStats, SecurityLabel};
pub use engine::CloseReason;
pub use event::{DomainEvent, DomainEventId};
pub use interface::Interface;
pub use legacy::Legacy;
pub use network::{DhcpLease, Network};
pub use nodedev::NodeDevice;
pub use nwfilter::NwFilter;
pub use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, TypedParam, TypedValue, Uuid};
pub use runtime::Wait;
pub use secret::Secret;
pub use storage::{StoragePool, StoragePoolInfo, StorageVol, StorageVolInfo};
pub use stream::{Stream, StreamData};
pub use uri::Uri;
