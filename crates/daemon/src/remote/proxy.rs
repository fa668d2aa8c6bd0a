//! virtproxyd's relay: a client of the legacy `libvirt-sock` (or TCP/TLS) that
//! opens a driver URI is connected to the modular daemon owning that driver,
//! and from then on its calls and stream packets travel to that daemon
//! unchanged (same serials, same payloads) and the daemon's replies, events
//! and stream packets travel back. Keepalive stays local on both legs.
//!
//! The relay always uses the direct `virtXd-sock` (`-sock-ro` for read-only
//! clients, which the modular daemon then enforces), never `libvirt-sock`, so
//! it cannot loop onto itself.

use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::keepalive;
use oxvirt_rpc::io::{FrameReader, SendHalf};
use oxvirt_rpc::{frame, Client, Frame};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::UnixStream;
use tokio::sync::mpsc;

/// The modular daemon that serves a URI scheme.
pub(crate) fn daemon_for_scheme(scheme: &str) -> Option<&'static str> {
    Some(match scheme {
        "qemu" | "kvm" => "virtqemud",
        "xen" | "libxl" => "virtxend",
        "lxc" => "virtlxcd",
        "ch" => "virtchd",
        "vbox" => "virtvboxd",
        "bhyve" => "virtbhyved",
        "vz" | "parallels" => "virtvzd",
        "network" => "virtnetworkd",
        "storage" => "virtstoraged",
        "secret" => "virtsecretd",
        "nodedev" => "virtnodedevd",
        "nwfilter" => "virtnwfilterd",
        "interface" => "virtinterfaced",
        _ => return None,
    })
}

/// Daemons probed, in libvirt's order, for a client that sent no URI.
const PROBE_ORDER: &[(&str, &str)] = &[
    ("virtxend", "xen"),
    ("virtqemud", "qemu"),
    ("virtlxcd", "lxc"),
    ("virtvboxd", "vbox"),
    ("virtbhyved", "bhyve"),
    ("virtvzd", "vz"),
];

/// The URI a probing client lands on: the first modular hypervisor daemon
/// whose socket exists.
pub(crate) fn probe(run_dir: &Path, privileged: bool, readonly: bool) -> Option<String> {
    PROBE_ORDER.iter().find_map(|(daemon, scheme)| {
        socket_path(run_dir, daemon, readonly).exists().then(|| {
            format!(
                "{scheme}:///{}",
                if privileged { "system" } else { "session" }
            )
        })
    })
}

fn socket_path(run_dir: &Path, daemon: &str, readonly: bool) -> PathBuf {
    run_dir.join(format!(
        "{daemon}-sock{}",
        if readonly { "-ro" } else { "" }
    ))
}

fn encode(f: &Frame) -> Vec<u8> {
    frame::encode(&f.header, |o| {
        if f.header.type_.has_fds() {
            o.extend_from_slice(&(f.fds.len() as u32).to_be_bytes());
        }
        o.extend_from_slice(&f.payload);
    })
}

/// Connects `client` to `daemon` by forwarding its CONNECT_OPEN `call`; on
/// success every later frame of the client is relayed.
pub(crate) async fn open(
    client: &Arc<Client>,
    run_dir: &Path,
    daemon: &str,
    readonly: bool,
    call: &Frame,
) -> Result<()> {
    let path = socket_path(run_dir, daemon, readonly);
    let stream = UnixStream::connect(&path).await.map_err(|e| {
        Error::system(
            ErrorDomain::RPC,
            format!("Failed to connect socket to '{}'", path.display()),
            &e,
        )
    })?;
    let (r, mut w) = stream.into_split();
    let mut reader = FrameReader::new(r);
    // Forward the open itself (with the read-only bit when the client is).
    let mut open = Frame {
        header: call.header,
        payload: call.payload.clone(),
        fds: vec![],
    };
    if readonly && open.payload.len() >= 4 {
        let n = open.payload.len();
        let flags = u32::from_be_bytes([
            open.payload[n - 4],
            open.payload[n - 3],
            open.payload[n - 2],
            open.payload[n - 1],
        ]) | 1;
        open.payload[n - 4..].copy_from_slice(&flags.to_be_bytes());
    }
    w.send(&encode(&open), &[])
        .await
        .map_err(|e| Error::system(ErrorDomain::RPC, "Cannot write data", &e))?;
    let reply = loop {
        let f = reader
            .read_frame()
            .await
            .map_err(|e| Error::new(ErrorDomain::RPC, ErrorCode::RPC, format!("{daemon}: {e}")))?;
        if f.header.type_ == MessageType::Reply && f.header.serial == call.header.serial {
            break f;
        }
    };
    if reply.header.status == Status::Error {
        let mut d = oxvirt_xdr::Decoder::new(&reply.payload);
        return Err(oxvirt_protocol::error::decode_error(&mut d)
            .unwrap_or_else(|_| Error::rpc("Unable to decode message payload")));
    }
    let (tx, mut rx) = mpsc::channel::<Frame>(64);
    client.set_relay(tx);
    let client = client.clone();
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
                            let pong = Header {
                                proc_: keepalive::PROC_PONG,
                                ..f.header
                            };
                            if w.send(&frame::encode(&pong, |_| {}), &[]).await.is_err() {
                                break;
                            }
                        }
                        continue;
                    }
                    let bytes = encode(&f);
                    if !client.send_with_fds(bytes, f.fds).await {
                        break;
                    }
                }
                () = client.closed() => break,
            }
        }
        client.close();
    });
    Ok(())
}
