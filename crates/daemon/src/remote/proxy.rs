//! virtproxyd's relay: a client of the legacy `libvirt-sock` (or TCP/TLS) that
//! opens a driver URI is connected to the modular daemon owning that driver,
//! and from then on its calls and stream packets travel to that daemon
//! unchanged (same serials, same payloads) and the daemon's replies, events
//! and stream packets travel back. Keepalive stays local on both legs.
//!
//! The relay always uses the direct `virtXd-sock` (`-sock-ro` for read-only
//! clients, which the modular daemon then enforces), never `libvirt-sock`, so
//! it cannot loop onto itself.

use oxvirt_core::Result;
use oxvirt_rpc::{Client, Frame};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    let link = super::link::connect(&path, &open).await?;
    client.set_relay(link.pump(client, true));
    Ok(())
}
