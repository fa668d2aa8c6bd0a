//! TCP (16509) and TLS (16514) listeners for libvirtd `--listen` and
//! virtproxyd.
//!
//! TLS follows libvirt's x509 model: the server presents `cert_file`/`key_file`;
//! clients must present a certificate that chains to `ca_file` (and is not
//! revoked by `crl_file`) unless `tls_no_verify_certificate` is set; when
//! `tls_allowed_dn_list` is set, the client's Distinguished Name must match one
//! of its globs. After the handshake and these checks the server sends the one
//! byte libvirt's client waits for (1 = accepted); a refused client gets 0 and
//! the connection is closed.

use crate::paths::Root;
use oxvirt_conffile::daemon::{DaemonSettings, TlsFiles};
use oxvirt_rpc::io::Plain;
use oxvirt_rpc::{Handler, Server, Service};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::rustls;

/// Why TCP/TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("Unable to bind to {addr}:{port}: {err}")]
    Bind {
        addr: String,
        port: String,
        err: std::io::Error,
    },
    #[error("Unable to resolve {0}")]
    Resolve(String),
    #[error("Unable to read {path}: {err}")]
    Read { path: PathBuf, err: std::io::Error },
    #[error("No certificate found in {0}")]
    NoCert(PathBuf),
    #[error("No private key found in {0}")]
    NoKey(PathBuf),
    #[error("Invalid TLS setup: {0}")]
    Tls(String),
    #[error("{0}")]
    Files(String),
}

/// Resolves `listen_addr` and a port (number or service name) to addresses.
pub fn addresses(listen_addr: Option<&str>, port: &str) -> Result<Vec<SocketAddr>, NetError> {
    let port_num: u16 = match port.parse() {
        Ok(p) => p,
        Err(_) => match port {
            "libvirt" | "libvirt-tcp" => 16509,
            "libvirt-tls" => 16514,
            other => return Err(NetError::Resolve(format!("service '{other}'"))),
        },
    };
    let hosts: Vec<&str> = match listen_addr {
        Some(a) => vec![a],
        None => vec!["0.0.0.0", "::"],
    };
    let mut out = Vec::new();
    for h in hosts {
        let h = h.trim_start_matches('[').trim_end_matches(']');
        match h.parse::<std::net::IpAddr>() {
            Ok(ip) => out.push(SocketAddr::new(ip, port_num)),
            Err(_) => {
                use std::net::ToSocketAddrs;
                let found = (h, port_num)
                    .to_socket_addrs()
                    .map_err(|_| NetError::Resolve(h.to_owned()))?;
                out.extend(found);
            }
        }
    }
    Ok(out)
}

/// Binds every address; a failure to bind the IPv6 wildcard next to the IPv4
/// one (a host without IPv6) is not fatal.
pub fn bind(addrs: &[SocketAddr], port: &str, backlog: u32) -> Result<Vec<TcpListener>, NetError> {
    let mut out = Vec::new();
    for a in addrs {
        let sock = match a {
            SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
            SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
        };
        let res = sock.and_then(|s| {
            s.set_reuseaddr(true)?;
            if a.is_ipv6() {
                // SAFETY: setting IPV6_V6ONLY on our own socket; an int option.
                unsafe {
                    use std::os::fd::AsRawFd;
                    let one: libc::c_int = 1;
                    libc::setsockopt(
                        s.as_raw_fd(),
                        libc::IPPROTO_IPV6,
                        libc::IPV6_V6ONLY,
                        (&one as *const libc::c_int).cast(),
                        std::mem::size_of::<libc::c_int>() as u32,
                    );
                }
            }
            s.bind(*a)?;
            s.listen(backlog)
        });
        match res {
            Ok(l) => out.push(l),
            Err(e) if a.is_ipv6() && !out.is_empty() => {
                log::info!("not listening on {a}: {e}");
            }
            Err(err) => {
                return Err(NetError::Bind {
                    addr: a.ip().to_string(),
                    port: port.to_owned(),
                    err,
                })
            }
        }
    }
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, NetError> {
    std::fs::read(path).map_err(|err| NetError::Read {
        path: path.to_path_buf(),
        err,
    })
}

/// The TLS files of a daemon: the configured ones, else libvirt's default PKI
/// paths relocated under `--root`.
pub fn tls_files(settings: &DaemonSettings, root: &Root) -> Result<TlsFiles, NetError> {
    match settings.explicit_tls_files() {
        Ok(Some(f)) => Ok(f),
        Ok(None) => {
            let d = TlsFiles::system_default();
            let crl = d.crl_file.map(|c| root.join(c)).filter(|c| c.exists());
            Ok(TlsFiles {
                ca_file: root.join(&d.ca_file),
                cert_file: root.join(&d.cert_file),
                key_file: root.join(&d.key_file),
                crl_file: crl,
            })
        }
        Err(e) => Err(NetError::Files(e.to_string())),
    }
}

/// What a TLS listener needs.
pub struct TlsSetup {
    pub acceptor: tokio_rustls::TlsAcceptor,
    /// `tls_allowed_dn_list`: `None` admits every verified client.
    pub allowed_dn: Option<Vec<String>>,
}

/// Builds the TLS server configuration from the PEM files.
pub fn tls_setup(settings: &DaemonSettings, files: &TlsFiles) -> Result<TlsSetup, NetError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<_> = rustls_pemfile::certs(&mut read(&files.cert_file)?.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| NetError::Tls(e.to_string()))?;
    if certs.is_empty() {
        return Err(NetError::NoCert(files.cert_file.clone()));
    }
    let key = rustls_pemfile::private_key(&mut read(&files.key_file)?.as_slice())
        .map_err(|e| NetError::Tls(e.to_string()))?
        .ok_or_else(|| NetError::NoKey(files.key_file.clone()))?;
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&protocol_versions(&settings.tls_priority))
        .map_err(|e| NetError::Tls(e.to_string()))?;
    let builder = if settings.tls_no_verify_certificate {
        builder.with_no_client_auth()
    } else {
        let mut roots = rustls::RootCertStore::empty();
        for c in rustls_pemfile::certs(&mut read(&files.ca_file)?.as_slice()) {
            let c = c.map_err(|e| NetError::Tls(e.to_string()))?;
            roots.add(c).map_err(|e| NetError::Tls(e.to_string()))?;
        }
        let mut crls = Vec::new();
        if let Some(crl) = &files.crl_file {
            for c in rustls_pemfile::crls(&mut read(crl)?.as_slice()) {
                crls.push(c.map_err(|e| NetError::Tls(e.to_string()))?);
            }
        }
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .with_crls(crls)
                .build()
                .map_err(|e| NetError::Tls(e.to_string()))?;
        builder.with_client_cert_verifier(verifier)
    };
    let mut config = builder
        .with_single_cert(certs, key)
        .map_err(|e| NetError::Tls(e.to_string()))?;
    // libvirt's client waits for the socket to turn readable and then expects
    // the confirmation byte; a TLS 1.3 session ticket arriving first would be
    // taken for it and fail the connection. Sessions are not resumed anyway.
    config.send_tls13_tickets = 0;
    Ok(TlsSetup {
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        allowed_dn: settings.tls_allowed_dn_list.clone(),
    })
}

/// The TLS versions a GnuTLS priority string allows. rustls offers TLS 1.2
/// and 1.3 with secure suites only, so of the priority syntax the version
/// switches are what carries over (`NORMAL:-VERS-TLS1.2` = 1.3 only,
/// `…:-VERS-TLS1.3` or `…:-VERS-ALL:+VERS-TLS1.2` = 1.2 only); keywords such
/// as `NORMAL`, `SECURE128`, `SECURE256`, `PFS` need nothing (every suite
/// rustls offers is forward-secret and at least 128-bit).
pub fn protocol_versions(priority: &str) -> Vec<&'static rustls::SupportedProtocolVersion> {
    let mut v12 = true;
    let mut v13 = true;
    for tok in priority.split(':') {
        match tok.trim() {
            "-VERS-TLS1.2" => v12 = false,
            "-VERS-TLS1.3" => v13 = false,
            "-VERS-ALL" | "-VERS-TLS-ALL" => {
                v12 = false;
                v13 = false;
            }
            "+VERS-TLS1.2" => v12 = true,
            "+VERS-TLS1.3" => v13 = true,
            "+VERS-ALL" | "+VERS-TLS-ALL" => {
                v12 = true;
                v13 = true;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if v13 {
        out.push(&rustls::version::TLS13);
    }
    if v12 {
        out.push(&rustls::version::TLS12);
    }
    if out.is_empty() {
        log::warn!(
            "tls_priority '{priority}' allows no TLS version rustls offers; using TLS 1.2 and 1.3"
        );
        out = vec![&rustls::version::TLS13, &rustls::version::TLS12];
    }
    out
}

/// A certificate subject in libvirt's (GnuTLS) form: `C=GB,O=Example,CN=client`.
pub fn subject_dn(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut parts = Vec::new();
    for rdn in cert.subject().iter() {
        for atv in rdn.iter() {
            let key = x509_parser::objects::oid2abbrev(
                atv.attr_type(),
                x509_parser::objects::oid_registry(),
            )
            .map(|s| s.to_owned())
            .unwrap_or_else(|_| atv.attr_type().to_id_string());
            let value = atv.as_str().map(|s| s.to_owned()).unwrap_or_default();
            parts.push(format!("{key}={value}"));
        }
    }
    Some(parts.join(","))
}

/// Shell-style glob match (`*`, `?`), as libvirt's allow lists use.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Accepts plain TCP clients until shutdown.
pub async fn serve_tcp<H: Handler>(
    server: Arc<Server<H>>,
    listener: TcpListener,
    service: Service,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.wait_for(|s| *s) => return,
        };
        let Ok((stream, peer)) = accepted else {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (r, w) = stream.into_split();
        let server = server.clone();
        tokio::spawn(async move {
            server
                .serve_connection(Plain(r), Plain(w), service, None, Some(sock_addr(&peer)))
                .await;
        });
    }
}

fn sock_addr(peer: &SocketAddr) -> String {
    format!("{};{}", peer.ip(), peer.port())
}

/// Accepts TLS clients until shutdown.
pub async fn serve_tls<H: Handler>(
    server: Arc<Server<H>>,
    listener: TcpListener,
    service: Service,
    tls: Arc<TlsSetup>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.wait_for(|s| *s) => return,
        };
        let Ok((stream, peer)) = accepted else {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let server = server.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let handshake = tokio::time::timeout(
                std::time::Duration::from_secs(30),
                tls.acceptor.accept(stream),
            );
            let mut tls_stream = match handshake.await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    log::warn!("TLS handshake with {peer} failed: {e}");
                    return;
                }
                Err(_) => {
                    log::warn!("TLS handshake with {peer} timed out");
                    return;
                }
            };
            let dn = tls_stream
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .and_then(|c| subject_dn(c.as_ref()));
            let allowed = match (&tls.allowed_dn, &dn) {
                (None, _) => true,
                (Some(list), Some(dn)) => list.iter().any(|g| glob_match(g, dn)),
                (Some(_), None) => false,
            };
            if !allowed {
                log::warn!(
                    "Client's Distinguished Name is not on the list of allowed clients (tls_allowed_dn_list): {}",
                    dn.as_deref().unwrap_or("(none)")
                );
                let _ = tls_stream.write_all(&[0]).await;
                let _ = tls_stream.shutdown().await;
                return;
            }
            // libvirt's client waits for this byte before speaking RPC.
            if tls_stream.write_all(&[1]).await.is_err() || tls_stream.flush().await.is_err() {
                return;
            }
            let (r, w) = tokio::io::split(tls_stream);
            server
                .serve_connection(Plain(r), Plain(w), service, None, Some(sock_addr(&peer)))
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_fnmatch() {
        assert!(glob_match("C=GB,*,CN=client*", "C=GB,O=Acme,CN=client1"));
        assert!(!glob_match("C=GB,*,CN=admin", "C=GB,O=Acme,CN=client1"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
    }

    #[test]
    fn priority_strings_select_versions() {
        assert_eq!(protocol_versions("NORMAL").len(), 2);
        assert_eq!(
            protocol_versions("NORMAL:-VERS-TLS1.2"),
            vec![&rustls::version::TLS13]
        );
        assert_eq!(
            protocol_versions("SECURE256:-VERS-ALL:+VERS-TLS1.2"),
            vec![&rustls::version::TLS12]
        );
    }

    #[test]
    fn ports_and_addresses_resolve() {
        let a = addresses(Some("127.0.0.1"), "16509").unwrap();
        assert_eq!(a, vec!["127.0.0.1:16509".parse().unwrap()]);
        assert_eq!(addresses(None, "libvirt-tls").unwrap().len(), 2);
        assert!(addresses(Some("127.0.0.1"), "nonsense").is_err());
    }
}
