//! The KEEPALIVE program: empty PING/PONG messages (type MESSAGE, serial 0).

/// Program number ("keep").
pub const PROGRAM: u32 = 0x6b65_6570;
/// Program version.
pub const VERSION: u32 = 1;
/// Sent after `interval` seconds of silence from the peer.
pub const PROC_PING: i32 = 1;
/// The immediate answer to a PING.
pub const PROC_PONG: i32 = 2;
