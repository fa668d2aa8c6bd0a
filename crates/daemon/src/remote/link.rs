//! A connection from this daemon to another one, carrying a client's frames
//! unchanged: used by virtproxyd's relay ([`super::proxy`]) and by a modular
//! daemon's secondary-driver links ([`super::secondary`]).

use oxvirt_core::{Error, ErrorDomain, Result};
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::keepalive;
use oxvirt_rpc::io::{FrameReader, SendHalf};
use oxvirt_rpc::{frame, Client, Frame};
use std::path::Path;
use std::sync::{Arc, Weak};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::UnixStream;
use tokio::sync::mpsc;

/// Encodes a frame as it travels on the wire (the descriptor count included).
pub(crate) fn encode(f: &Frame) -> Vec<u8> {
    frame::encode(&f.header, |o| {
        if f.header.type_.has_fds() {
            o.extend_from_slice(&(f.fds.len() as u32).to_be_bytes());
        }
        o.extend_from_slice(&f.payload);
    })
}

/// An opened link, before its pump starts.
pub(crate) struct Opened {
    reader: FrameReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

/// Connects to `path` and performs `open` (a CONNECT_OPEN call); an error
/// reply becomes the error.
pub(crate) async fn connect(path: &Path, open: &Frame) -> Result<Opened> {
    let stream = UnixStream::connect(path).await.map_err(|e| {
        Error::system(
            ErrorDomain::RPC,
            format!("Failed to connect socket to '{}'", path.display()),
            &e,
        )
    })?;
    let (r, mut writer) = stream.into_split();
    let mut reader = FrameReader::new(r);
    writer
        .send(&encode(open), &[])
        .await
        .map_err(|e| Error::system(ErrorDomain::RPC, "Cannot write data", &e))?;
    loop {
        let f = reader
            .read_frame()
            .await
            .map_err(|e| Error::rpc(format!("{}: {e}", path.display())))?;
        if f.header.type_ != MessageType::Reply || f.header.serial != open.header.serial {
            continue;
        }
        if f.header.status == Status::Error {
            let mut d = oxvirt_xdr::Decoder::new(&f.payload);
            return Err(oxvirt_protocol::error::decode_error(&mut d)
                .unwrap_or_else(|_| Error::rpc("Unable to decode message payload")));
        }
        return Ok(Opened { reader, writer });
    }
}

impl Opened {
    /// Moves frames until either side goes away: what arrives on the returned
    /// sender goes to the other daemon; what it sends (replies, events, stream
    /// packets) goes to `client`. Its keepalive PINGs are answered here. With
    /// `close_client`, the client is disconnected when the link ends.
    pub(crate) fn pump(self, client: &Arc<Client>, close_client: bool) -> mpsc::Sender<Frame> {
        let (tx, mut rx) = mpsc::channel::<Frame>(64);
        let Opened {
            mut reader,
            writer: mut w,
        } = self;
        let client: Weak<Client> = Arc::downgrade(client);
        tokio::spawn(async move {
            let closed = async {
                if let Some(c) = client.upgrade() {
                    c.closed().await
                }
            };
            tokio::pin!(closed);
            loop {
                tokio::select! {
                    f = rx.recv() => {
                        let Some(f) = f else { break };
                        if w.send(&encode(&f), &f.fds).await.is_err() {
                            break;
                        }
                    }
                    f = reader.read_frame() => {
                        let Ok(f) = f else { break };
                        if f.header.prog == keepalive::PROGRAM {
                            if f.header.proc_ == keepalive::PROC_PING {
                                let pong = Header { proc_: keepalive::PROC_PONG, ..f.header };
                                if w.send(&frame::encode(&pong, |_| {}), &[]).await.is_err() {
                                    break;
                                }
                            }
                            continue;
                        }
                        let Some(c) = client.upgrade() else { break };
                        if !c.send_with_fds(encode(&f), f.fds).await {
                            break;
                        }
                    }
                    () = &mut closed => break,
                }
            }
            if close_client {
                if let Some(c) = client.upgrade() {
                    c.close();
                }
            }
        });
        tx
    }
}
