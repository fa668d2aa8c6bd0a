//! A small async RPC client: serials, reply matching, events, keepalive answers.
//!
//! Used by the daemons to talk to each other and by the test-suite; the public
//! client library builds on it.

use crate::frame::{self, Frame, FrameError};
use crate::io::{FrameReader, SendHalf};
use oxvirt_core::Error;
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::keepalive;
use oxvirt_xdr::{Xdr, XdrError};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::unix::OwnedWriteHalf;
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot};

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The server answered with an error.
    #[error("{0}")]
    Remote(Error),
    #[error("connection lost")]
    Disconnected,
    #[error("malformed reply: {0}")]
    Decode(#[from] XdrError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

type Pending = Arc<Mutex<HashMap<u32, oneshot::Sender<Frame>>>>;

/// One connection to a libvirt-protocol server.
pub struct RpcClient {
    writer: tokio::sync::Mutex<OwnedWriteHalf>,
    pending: Pending,
    serial: AtomicU32,
    events: Mutex<Option<mpsc::UnboundedReceiver<Frame>>>,
}

impl RpcClient {
    /// Connects to a UNIX socket and starts the reader task.
    pub async fn connect_unix(path: &Path) -> std::io::Result<Arc<RpcClient>> {
        let stream = UnixStream::connect(path).await?;
        let (r, w) = stream.into_split();
        let pending: Pending = Arc::default();
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let client = Arc::new(RpcClient {
            writer: tokio::sync::Mutex::new(w),
            pending: pending.clone(),
            serial: AtomicU32::new(0),
            events: Mutex::new(Some(ev_rx)),
        });
        let weak = Arc::downgrade(&client);
        tokio::spawn(async move {
            let mut reader = FrameReader::new(r);
            loop {
                let f = match reader.read_frame().await {
                    Ok(f) => f,
                    Err(FrameError::Closed) | Err(_) => break,
                };
                match f.header.type_ {
                    MessageType::Reply | MessageType::ReplyWithFds => {
                        let waiter = pending
                            .lock()
                            .ok()
                            .and_then(|mut p| p.remove(&f.header.serial));
                        if let Some(w) = waiter {
                            let _ = w.send(f);
                        }
                    }
                    MessageType::Message if f.header.prog == keepalive::PROGRAM => {
                        if f.header.proc_ == keepalive::PROC_PING {
                            if let Some(c) = weak.upgrade() {
                                let pong = ping_frame(keepalive::PROC_PONG);
                                let _ = c.writer.lock().await.send(&pong, &[]).await;
                            }
                        }
                    }
                    _ => {
                        let _ = ev_tx.send(f);
                    }
                }
            }
            // Fail every waiter.
            if let Ok(mut p) = pending.lock() {
                p.clear();
            }
        });
        Ok(client)
    }

    /// Takes the receiver of asynchronous messages (events, stream packets).
    pub fn take_events(&self) -> Option<mpsc::UnboundedReceiver<Frame>> {
        self.events.lock().ok().and_then(|mut e| e.take())
    }

    /// Sends raw bytes (for tests of malformed input).
    pub async fn send_raw(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.lock().await.send(bytes, &[]).await
    }

    /// Calls `proc_` of program `prog` and decodes its reply.
    pub async fn call<A: Xdr, R: Xdr>(
        &self,
        prog: u32,
        vers: u32,
        proc_: i32,
        args: &A,
    ) -> Result<R, CallError> {
        let f = self.call_frame(prog, vers, proc_, args).await?;
        Ok(oxvirt_xdr::from_bytes(&f.payload)?)
    }

    /// Calls and returns the raw reply frame (status OK).
    pub async fn call_frame<A: Xdr>(
        &self,
        prog: u32,
        vers: u32,
        proc_: i32,
        args: &A,
    ) -> Result<Frame, CallError> {
        let serial = self.serial.fetch_add(1, Ordering::Relaxed);
        let h = Header {
            prog,
            vers,
            proc_,
            type_: MessageType::Call,
            serial,
            status: Status::Ok,
        };
        let bytes = frame::encode(&h, |out| args.encode(out));
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = self.pending.lock() {
            p.insert(serial, tx);
        }
        self.writer.lock().await.send(&bytes, &[]).await?;
        let f = rx.await.map_err(|_| CallError::Disconnected)?;
        if f.header.status == Status::Error {
            let mut d = oxvirt_xdr::Decoder::new(&f.payload);
            return Err(CallError::Remote(oxvirt_protocol::error::decode_error(
                &mut d,
            )?));
        }
        Ok(f)
    }
}

fn ping_frame(proc_: i32) -> Vec<u8> {
    let h = Header {
        prog: keepalive::PROGRAM,
        vers: keepalive::VERSION,
        proc_,
        type_: MessageType::Message,
        serial: 0,
        status: Status::Ok,
    };
    frame::encode(&h, |_| {})
}
