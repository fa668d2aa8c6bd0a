//! libvirt's RPC transport: framing, descriptor passing, keepalive, streams, and
//! a generic async server that knows nothing about drivers.
//!
//! The programs themselves (what a procedure means) live in the daemon; this
//! crate moves frames, enforces the transport-level rules (lengths, statuses,
//! unknown programs, authentication gate, per-client and per-server limits) and
//! offers the building blocks for streams.

pub mod client;
pub mod frame;
pub mod io;
pub mod server;
pub mod stream;

pub use frame::{Frame, FrameError};
pub use server::{
    reply_error, reply_ok, AuthScheme, Client, Handler, Outcome, PeerCred, Server, ServerConfig,
    Service, ThreadpoolInfo, Transport,
};
pub use stream::{StreamPacket, StreamRegistry, StreamSender};
