//! The fixed part of every frame: size limits, message types, status and the
//! 24-byte header that follows the length word.

use oxvirt_xdr::xdr_struct;

/// Size of the length word that starts every frame (`VIR_NET_MESSAGE_LEN_MAX`).
pub const LEN_MAX: usize = 4;
/// Size of the header after the length word (`VIR_NET_MESSAGE_HEADER_MAX`).
pub const HEADER_MAX: usize = 24;
/// Largest header plus payload (`VIR_NET_MESSAGE_MAX`); a whole frame may be 4 bytes more.
pub const MESSAGE_MAX: usize = 33_554_432;
/// Largest payload (`VIR_NET_MESSAGE_PAYLOAD_MAX`).
pub const PAYLOAD_MAX: usize = 33_554_408;
/// The old 256 KiB payload limit; stream data chunks never exceed it.
pub const LEGACY_PAYLOAD_MAX: usize = 262_120;
/// Initial size of an encode buffer (`VIR_NET_MESSAGE_INITIAL`).
pub const INITIAL: usize = 65_536;
/// Most file descriptors one message may carry.
pub const NUM_FDS_MAX: usize = 32;
/// Longest string in any payload (`VIR_NET_MESSAGE_STRING_MAX`).
pub const STRING_MAX: usize = 4_194_304;

/// `virNetMessageType`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// A call from the client; payload is the procedure's args.
    Call = 0,
    /// The answer to a call; payload is the ret or an error.
    Reply = 1,
    /// An asynchronous event or a keepalive.
    Message = 2,
    /// Stream data, finish or abort.
    Stream = 3,
    /// A call followed by file descriptors.
    CallWithFds = 4,
    /// A reply followed by file descriptors.
    ReplyWithFds = 5,
    /// A hole in a sparse stream.
    StreamHole = 6,
}

impl TryFrom<i32> for MessageType {
    type Error = HeaderError;

    fn try_from(v: i32) -> Result<Self, Self::Error> {
        Ok(match v {
            0 => MessageType::Call,
            1 => MessageType::Reply,
            2 => MessageType::Message,
            3 => MessageType::Stream,
            4 => MessageType::CallWithFds,
            5 => MessageType::ReplyWithFds,
            6 => MessageType::StreamHole,
            n => return Err(HeaderError::BadType(n)),
        })
    }
}

impl MessageType {
    /// True for the two types whose payload starts with a file-descriptor count.
    pub fn has_fds(self) -> bool {
        matches!(self, MessageType::CallWithFds | MessageType::ReplyWithFds)
    }
}

/// `virNetMessageStatus`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success, and the status of every call and event.
    Ok = 0,
    /// Failure; the payload is an error struct.
    Error = 1,
    /// Stream data or hole follows.
    Continue = 2,
}

impl TryFrom<i32> for Status {
    type Error = HeaderError;

    fn try_from(v: i32) -> Result<Self, HeaderError> {
        Ok(match v {
            0 => Status::Ok,
            1 => Status::Error,
            2 => Status::Continue,
            n => return Err(HeaderError::BadStatus(n)),
        })
    }
}

/// Why 24 bytes are not a valid header. The connection is dropped on any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("message header is {0} bytes, expected 24")]
    Length(usize),
    #[error("invalid message type {0}")]
    BadType(i32),
    #[error("invalid message status {0}")]
    BadStatus(i32),
}

/// `virNetMessageHeader`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Program number.
    pub prog: u32,
    /// Program version (always 1).
    pub vers: u32,
    /// Procedure number within the program.
    pub proc_: i32,
    /// What kind of message this is.
    pub type_: MessageType,
    /// Matches replies and stream packets to their call.
    pub serial: u32,
    /// Outcome, or stream state.
    pub status: Status,
}

impl Header {
    /// Appends the 24 header bytes (without the length word).
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.prog.to_be_bytes());
        out.extend_from_slice(&self.vers.to_be_bytes());
        out.extend_from_slice(&self.proc_.to_be_bytes());
        out.extend_from_slice(&(self.type_ as i32).to_be_bytes());
        out.extend_from_slice(&self.serial.to_be_bytes());
        out.extend_from_slice(&(self.status as i32).to_be_bytes());
    }

    /// Decodes exactly 24 header bytes.
    pub fn decode(bytes: &[u8]) -> Result<Header, HeaderError> {
        let b: &[u8; HEADER_MAX] = bytes
            .try_into()
            .map_err(|_| HeaderError::Length(bytes.len()))?;
        let word = |i: usize| [b[i], b[i + 1], b[i + 2], b[i + 3]];
        Ok(Header {
            prog: u32::from_be_bytes(word(0)),
            vers: u32::from_be_bytes(word(4)),
            proc_: i32::from_be_bytes(word(8)),
            type_: MessageType::try_from(i32::from_be_bytes(word(12)))?,
            serial: u32::from_be_bytes(word(16)),
            status: Status::try_from(i32::from_be_bytes(word(20)))?,
        })
    }

    /// The header of a successful reply to this call: same prog, vers, proc and
    /// serial, type REPLY, status OK.
    pub fn reply_to(&self) -> Header {
        Header {
            type_: MessageType::Reply,
            status: Status::Ok,
            ..*self
        }
    }

    /// The header of an error reply to this call.
    pub fn error_reply_to(&self) -> Header {
        Header {
            type_: MessageType::Reply,
            status: Status::Error,
            ..*self
        }
    }
}

xdr_struct! {
    /// `virNetStreamHole`: the payload of a STREAM_HOLE packet.
    pub struct StreamHole {
        pub length: i64,
        pub flags: u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_list_call_header_encodes_as_seen_on_the_wire() {
        let h = Header {
            prog: 0x2000_8086,
            vers: 1,
            proc_: 66,
            type_: MessageType::Call,
            serial: 0,
            status: Status::Ok,
        };
        let mut out = Vec::new();
        h.encode(&mut out);
        assert_eq!(
            out,
            [
                0x20, 0x00, 0x80, 0x86, 0, 0, 0, 1, 0, 0, 0, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0
            ]
        );
        assert_eq!(Header::decode(&out), Ok(h));
    }

    #[test]
    fn reply_to_keeps_serial_and_proc() {
        let call = Header {
            prog: 0x2000_8086,
            vers: 1,
            proc_: 23,
            type_: MessageType::Call,
            serial: 9,
            status: Status::Ok,
        };
        let reply = call.reply_to();
        assert_eq!((reply.proc_, reply.serial), (23, 9));
        assert_eq!(reply.type_, MessageType::Reply);
        assert_eq!(call.error_reply_to().status, Status::Error);
    }

    #[test]
    fn bad_type_or_status_is_refused() {
        let mut bytes = [0u8; 24];
        bytes[15] = 7;
        assert_eq!(Header::decode(&bytes), Err(HeaderError::BadType(7)));
        let mut bytes = [0u8; 24];
        bytes[23] = 3;
        assert_eq!(Header::decode(&bytes), Err(HeaderError::BadStatus(3)));
        assert_eq!(Header::decode(&[0u8; 23]), Err(HeaderError::Length(23)));
    }

    #[test]
    fn stream_hole_is_twelve_bytes() {
        let hole = StreamHole {
            length: 0x9000,
            flags: 0,
        };
        assert_eq!(oxvirt_xdr::to_bytes(&hole).len(), 12);
    }
}
