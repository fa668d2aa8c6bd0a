//! Streams: byte channels tied to the CALL that opened them.
//!
//! A handler that opens a stream registers it under the call's (proc, serial)
//! before it returns its REPLY. The reader then routes the client's STREAM and
//! STREAM_HOLE packets for that pair into a bounded channel (back-pressure: a
//! fast uploader waits for the consumer) and drops packets for unknown streams
//! silently, as libvirt does. The server side sends with a [`StreamSender`],
//! which cuts data into chunks of at most `LEGACY_PAYLOAD_MAX` bytes.

use crate::frame::{self, Frame};
use crate::server::Client;
use oxvirt_core::Error;
use oxvirt_protocol::header::{Header, MessageType, Status, StreamHole, LEGACY_PAYLOAD_MAX};
use oxvirt_xdr::Xdr;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// A packet received from the client on a stream.
#[derive(Debug, PartialEq, Eq)]
pub enum StreamPacket {
    /// Bytes (never empty).
    Data(Vec<u8>),
    /// A hole of this many bytes (sparse streams).
    Hole(i64),
    /// End of the client's data (an empty CONTINUE).
    Eof,
    /// The client finished (STREAM/OK) and waits for the server's confirmation.
    Finish,
    /// The client aborted (STREAM/ERROR).
    Abort,
}

impl StreamPacket {
    /// Classifies a STREAM or STREAM_HOLE frame; `None` for malformed ones.
    pub fn from_frame(f: &Frame) -> Option<StreamPacket> {
        match (f.header.type_, f.header.status) {
            (MessageType::Stream, Status::Continue) if f.payload.is_empty() => {
                Some(StreamPacket::Eof)
            }
            (MessageType::Stream, Status::Continue) => Some(StreamPacket::Data(f.payload.clone())),
            (MessageType::Stream, Status::Ok) => Some(StreamPacket::Finish),
            (MessageType::Stream, Status::Error) => Some(StreamPacket::Abort),
            (MessageType::StreamHole, Status::Continue) => {
                oxvirt_xdr::from_bytes::<StreamHole>(&f.payload)
                    .ok()
                    .map(|h| StreamPacket::Hole(h.length))
            }
            _ => None,
        }
    }
}

/// Capacity of a stream's inbound channel, in packets.
const STREAM_QUEUE: usize = 16;

/// The streams open on one client.
#[derive(Default)]
pub struct StreamRegistry {
    open: Mutex<HashMap<(i32, u32), mpsc::Sender<StreamPacket>>>,
}

impl StreamRegistry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(i32, u32), mpsc::Sender<StreamPacket>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a stream for the call `h`; its packets arrive on the receiver.
    pub fn register(&self, h: &Header) -> mpsc::Receiver<StreamPacket> {
        let (tx, rx) = mpsc::channel(STREAM_QUEUE);
        self.lock().insert((h.proc_, h.serial), tx);
        rx
    }

    /// Forgets a stream; later packets for it are dropped.
    pub fn unregister(&self, h: &Header) {
        self.lock().remove(&(h.proc_, h.serial));
    }

    /// Number of open streams.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no stream is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Delivers a packet to its stream, waiting for room.
    pub(crate) async fn route(&self, f: &Frame) {
        let key = (f.header.proc_, f.header.serial);
        let Some(tx) = self.lock().get(&key).cloned() else {
            return;
        };
        if let Some(p) = StreamPacket::from_frame(f) {
            if tx.send(p).await.is_err() {
                self.lock().remove(&key);
            }
        }
    }

    /// Aborts every stream (the connection went away).
    pub(crate) fn abort_all(&self) {
        for (_, tx) in self.lock().drain() {
            let _ = tx.try_send(StreamPacket::Abort);
        }
    }
}

/// Sends stream packets to the client for the call that opened the stream.
#[derive(Clone)]
pub struct StreamSender {
    client: Arc<Client>,
    header: Header,
}

impl StreamSender {
    /// A sender for the stream opened by the call `call`.
    pub fn new(client: Arc<Client>, call: &Header) -> Self {
        StreamSender {
            client,
            header: *call,
        }
    }

    fn frame(
        &self,
        type_: MessageType,
        status: Status,
        body: impl FnOnce(&mut Vec<u8>),
    ) -> Vec<u8> {
        let h = Header {
            type_,
            status,
            ..self.header.reply_to()
        };
        frame::encode(&h, body)
    }

    /// Sends data, cut into chunks libvirt's clients accept. False if the client
    /// is gone.
    pub async fn data(&self, bytes: &[u8]) -> bool {
        for chunk in bytes.chunks(LEGACY_PAYLOAD_MAX) {
            let f = self.frame(MessageType::Stream, Status::Continue, |out| {
                out.extend_from_slice(chunk)
            });
            if !self.client.send(f).await {
                return false;
            }
        }
        true
    }

    /// Sends a hole of `length` bytes.
    pub async fn hole(&self, length: i64) -> bool {
        let f = self.frame(MessageType::StreamHole, Status::Continue, |out| {
            StreamHole { length, flags: 0 }.encode(out)
        });
        self.client.send(f).await
    }

    /// Signals the end of the server's data (an empty CONTINUE).
    pub async fn eof(&self) -> bool {
        let f = self.frame(MessageType::Stream, Status::Continue, |_| {});
        self.client.send(f).await
    }

    /// Confirms a finish or abort (STREAM/OK).
    pub async fn ok(&self) -> bool {
        let f = self.frame(MessageType::Stream, Status::Ok, |_| {});
        self.client.send(f).await
    }

    /// Reports a failure on the stream (STREAM/ERROR with the error).
    pub async fn error(&self, err: &Error) -> bool {
        let f = self.frame(MessageType::Stream, Status::Error, |out| {
            oxvirt_protocol::error::encode_error(err, out)
        });
        self.client.send(f).await
    }
}
