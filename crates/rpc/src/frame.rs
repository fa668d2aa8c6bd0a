//! Frames: a length word, a 24-byte header, a payload and, for the `*_WITH_FDS`
//! types, file descriptors that travel after the frame.

use oxvirt_protocol::header::{Header, MessageType, Status, HEADER_MAX, LEN_MAX, MESSAGE_MAX};
use std::os::fd::OwnedFd;

/// A received or outgoing message.
#[derive(Debug)]
pub struct Frame {
    pub header: Header,
    /// The XDR payload (or raw bytes for stream data).
    pub payload: Vec<u8>,
    /// Descriptors passed with the message (only for `CallWithFds`/`ReplyWithFds`).
    pub fds: Vec<OwnedFd>,
}

/// Why a connection must be dropped.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("frame length {0} out of range")]
    BadLength(u32),
    #[error("malformed frame header")]
    BadHeader,
    #[error("too many descriptors in one message: {0}")]
    TooManyFds(u32),
    #[error("descriptors announced but not received")]
    MissingFds,
    #[error("connection closed")]
    Closed,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Validates a length word as libvirt does: it counts itself and may not exceed
/// the message maximum plus itself. Returns the number of bytes that follow.
pub fn body_len(len: u32) -> Result<usize, FrameError> {
    let len_usize = len as usize;
    if len_usize < LEN_MAX + HEADER_MAX || len_usize - LEN_MAX > MESSAGE_MAX {
        return Err(FrameError::BadLength(len));
    }
    Ok(len_usize - LEN_MAX)
}

/// Builds a complete frame: length word, header, then whatever `body` appends.
pub fn encode(header: &Header, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&[0; 4]);
    header.encode(&mut out);
    body(&mut out);
    let len = out.len() as u32;
    out[..4].copy_from_slice(&len.to_be_bytes());
    out
}

/// Starts a frame whose header is not known yet: room for the length word and
/// the header, to be filled by [`finish`] once the payload is appended.
pub fn begin() -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.resize(LEN_MAX + HEADER_MAX, 0);
    out
}

/// Writes the length word and `header` into a buffer made by [`begin`].
pub fn finish(buf: &mut [u8], header: &Header) {
    let len = buf.len() as u32;
    buf[..4].copy_from_slice(&len.to_be_bytes());
    let mut h = Vec::with_capacity(HEADER_MAX);
    header.encode(&mut h);
    buf[LEN_MAX..LEN_MAX + HEADER_MAX].copy_from_slice(&h);
}

/// An empty-payload frame of the given type and status answering or continuing
/// `template`'s (prog, vers, proc, serial).
pub fn empty(template: &Header, type_: MessageType, status: Status) -> Vec<u8> {
    let h = Header {
        type_,
        status,
        ..*template
    };
    encode(&h, |_| {})
}

/// Whether a frame's payload exceeds what libvirt lets a message carry.
pub fn too_big(frame: &[u8]) -> bool {
    frame.len() > MESSAGE_MAX + LEN_MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_word_counts_itself() {
        let h = Header {
            prog: 0x20008086,
            vers: 1,
            proc_: 66,
            type_: MessageType::Call,
            serial: 0,
            status: Status::Ok,
        };
        let f = encode(&h, |_| {});
        assert_eq!(f.len(), 28);
        assert_eq!(&f[..4], &[0, 0, 0, 0x1c]);
    }

    #[test]
    fn length_limits_match_libvirt() {
        assert!(body_len(3).is_err());
        assert!(body_len(27).is_err());
        assert_eq!(body_len(28).unwrap(), 24);
        assert!(body_len(33554436).is_ok());
        assert!(body_len(33554437).is_err());
    }
}
