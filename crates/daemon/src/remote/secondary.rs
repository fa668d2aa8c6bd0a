//! Secondary-driver calls in a modular deployment.
//!
//! A client of virtqemud that lists storage pools or defines a network talks
//! to virtqemud only; virtqemud has no storage or network driver, so, as
//! libvirt's modular daemons do, it opens a connection of its own to the
//! daemon that has (`storage:///system` on `virtstoraged-sock`, …) and passes
//! those calls on. Here the passing is at the frame level: the call goes out
//! with the client's own serial on a link dedicated to that client, and the
//! link's replies, events and stream packets come straight back, so every
//! procedure of the family works, streams (vol-upload, vol-download) included.

use oxvirt_core::{Error, ErrorDomain, Result};
use oxvirt_protocol::header::{Header, MessageType, Status, StreamHole};
use oxvirt_protocol::keepalive;
use oxvirt_protocol::remote::{self, procs, table, ConnectOpenArgs};
use oxvirt_rpc::io::{FrameReader, SendHalf};
use oxvirt_rpc::{frame, Client, Frame, StreamPacket};
use oxvirt_xdr::Xdr;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tokio::net::UnixStream;
use tokio::sync::mpsc;

/// The daemon and URI scheme serving an API family.
pub(crate) fn target(family: ErrorDomain) -> Option<(&'static str, &'static str)> {
    Some(match family {
        ErrorDomain::STORAGE => ("virtstoraged", "storage"),
        ErrorDomain::NETWORK => ("virtnetworkd", "network"),
        ErrorDomain::SECRET => ("virtsecretd", "secret"),
        ErrorDomain::NODEDEV => ("virtnodedevd", "nodedev"),
        ErrorDomain::INTERFACE => ("virtinterfaced", "interface"),
        ErrorDomain::NWFILTER => ("virtnwfilterd", "nwfilter"),
        _ => return None,
    })
}

/// A client's links to the secondary daemons, by daemon name.
#[derive(Default)]
pub(crate) struct Links {
    open: tokio::sync::Mutex<HashMap<&'static str, mpsc::Sender<Frame>>>,
}

/// Serial of the link's own CONNECT_OPEN, far from any client's serials.
const OPEN_SERIAL: u32 = u32::MAX - 1;

fn encode(f: &Frame) -> Vec<u8> {
    frame::encode(&f.header, |o| {
        if f.header.type_.has_fds() {
            o.extend_from_slice(&(f.fds.len() as u32).to_be_bytes());
        }
        o.extend_from_slice(&f.payload);
    })
}

impl Links {
    /// Sends `call` to the daemon serving its family, opening the link on
    /// first use; the reply reaches the client through the link.
    pub(crate) async fn forward(
        &self,
        client: &Arc<Client>,
        run_dir: &Path,
        privileged: bool,
        daemon: &'static str,
        scheme: &str,
        call: Frame,
    ) -> Result<()> {
        let tx = {
            let mut open = self.open.lock().await;
            match open.get(daemon) {
                Some(tx) if !tx.is_closed() => tx.clone(),
                _ => {
                    let tx = connect(client, run_dir, privileged, daemon, scheme).await?;
                    open.insert(daemon, tx.clone());
                    tx
                }
            }
        };
        let h = call.header;
        if table::stream_kind(h.proc_).is_some() {
            // The client's packets for this stream go down the same link.
            let mut rx = client.streams().register(&h);
            let tx2 = tx.clone();
            let c = client.clone();
            tokio::spawn(async move {
                while let Some(p) = rx.recv().await {
                    let (type_, status, payload) = match &p {
                        StreamPacket::Data(b) => (MessageType::Stream, Status::Continue, b.clone()),
                        StreamPacket::Eof => (MessageType::Stream, Status::Continue, vec![]),
                        StreamPacket::Hole(n) => (
                            MessageType::StreamHole,
                            Status::Continue,
                            oxvirt_xdr::to_bytes(&StreamHole {
                                length: *n,
                                flags: 0,
                            }),
                        ),
                        StreamPacket::Finish => (MessageType::Stream, Status::Ok, vec![]),
                        StreamPacket::Abort => (MessageType::Stream, Status::Error, vec![]),
                    };
                    let f = Frame {
                        header: Header { type_, status, ..h },
                        payload,
                        fds: vec![],
                    };
                    let last = matches!(p, StreamPacket::Finish | StreamPacket::Abort);
                    if tx2.send(f).await.is_err() || last {
                        break;
                    }
                }
                c.streams().unregister(&h);
            });
        }
        tx.send(call)
            .await
            .map_err(|_| Error::rpc(format!("lost the connection to {daemon}")))
    }
}

async fn connect(
    client: &Arc<Client>,
    run_dir: &Path,
    privileged: bool,
    daemon: &'static str,
    scheme: &str,
) -> Result<mpsc::Sender<Frame>> {
    let readonly = client.is_readonly();
    let path = run_dir.join(format!(
        "{daemon}-sock{}",
        if readonly { "-ro" } else { "" }
    ));
    let stream = UnixStream::connect(&path).await.map_err(|e| {
        Error::system(
            ErrorDomain::RPC,
            format!("Failed to connect socket to '{}'", path.display()),
            &e,
        )
    })?;
    let (r, mut w) = stream.into_split();
    let mut reader = FrameReader::new(r);
    let uri = format!(
        "{scheme}:///{}",
        if privileged { "system" } else { "session" }
    );
    let open = Header {
        prog: remote::PROGRAM,
        vers: remote::VERSION,
        proc_: procs::CONNECT_OPEN,
        type_: MessageType::Call,
        serial: OPEN_SERIAL,
        status: Status::Ok,
    };
    let args = ConnectOpenArgs {
        name: Some(uri),
        flags: u32::from(readonly),
    };
    w.send(&frame::encode(&open, |o| args.encode(o)), &[])
        .await
        .map_err(|e| Error::system(ErrorDomain::RPC, "Cannot write data", &e))?;
    loop {
        let f = reader
            .read_frame()
            .await
            .map_err(|e| Error::rpc(format!("{daemon}: {e}")))?;
        if f.header.type_ != MessageType::Reply || f.header.serial != OPEN_SERIAL {
            continue;
        }
        if f.header.status == Status::Error {
            let mut d = oxvirt_xdr::Decoder::new(&f.payload);
            return Err(oxvirt_protocol::error::decode_error(&mut d)
                .unwrap_or_else(|_| Error::rpc("Unable to decode message payload")));
        }
        break;
    }
    let (tx, mut rx) = mpsc::channel::<Frame>(64);
    let client = Arc::downgrade(client);
    tokio::spawn(async move {
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
            }
        }
    });
    Ok(tx)
}
