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
use oxvirt_protocol::remote::{self, procs, table, ConnectOpenArgs};
use oxvirt_rpc::{Client, Frame, StreamPacket};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
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
    let uri = format!(
        "{scheme}:///{}",
        if privileged { "system" } else { "session" }
    );
    let open = Frame {
        header: Header {
            prog: remote::PROGRAM,
            vers: remote::VERSION,
            proc_: procs::CONNECT_OPEN,
            type_: MessageType::Call,
            serial: OPEN_SERIAL,
            status: Status::Ok,
        },
        payload: oxvirt_xdr::to_bytes(&ConnectOpenArgs {
            name: Some(uri),
            flags: u32::from(readonly),
        }),
        fds: vec![],
    };
    Ok(super::link::connect(&path, &open)
        .await?
        .pump(client, false))
}
