//! The TLS transport (`qemu+tls://host/system`, port 16514): x509
//! credentials found where libvirt's client looks for them, the server's
//! certificate checked against the CA unless `no_verify=1`, and the
//! one-byte confirmation libvirtd sends once it has accepted *our*
//! certificate.
//!
//! Credentials: `pkipath=DIR` gives `DIR/cacert.pem`, `DIR/clientcert.pem`
//! and `DIR/clientkey.pem`; otherwise a non-root user's
//! `~/.pki/libvirt/{cacert,clientcert,clientkey}.pem` where present, else
//! `/etc/pki/CA/cacert.pem`, `/etc/pki/libvirt/clientcert.pem` and
//! `/etc/pki/libvirt/private/clientkey.pem`. The CA is required; a client
//! certificate is sent when one is found.

use crate::config;
use crate::engine::{Engine, TransportExtra};
use crate::error;
use oxvirt_core::{Error, ErrorDomain, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio_rustls::rustls;

/// Where the credentials are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Credentials {
    /// libvirt's lookup for the client side (`virNetTLSContextLocateCredentials`).
    pub fn locate(pkipath: Option<&Path>, privileged: bool) -> Credentials {
        if let Some(p) = pkipath {
            return Credentials {
                ca: p.join("cacert.pem"),
                cert: p.join("clientcert.pem"),
                key: p.join("clientkey.pem"),
            };
        }
        let system = Credentials {
            ca: PathBuf::from("/etc/pki/CA/cacert.pem"),
            cert: PathBuf::from("/etc/pki/libvirt/clientcert.pem"),
            key: PathBuf::from("/etc/pki/libvirt/private/clientkey.pem"),
        };
        if privileged {
            return system;
        }
        let user = config::home_dir().join(".pki/libvirt");
        let pick = |name: &str, fallback: PathBuf| {
            let p = user.join(name);
            if p.exists() {
                p
            } else {
                fallback
            }
        };
        Credentials {
            ca: pick("cacert.pem", system.ca),
            cert: pick("clientcert.pem", system.cert),
            key: pick("clientkey.pem", system.key),
        }
    }
}

fn tls_error(detail: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorDomain::RPC,
        oxvirt_core::ErrorCode::AUTH_FAILED,
        format!("TLS handshake failed {detail}"),
    )
}

fn read_pem(kind: &str, path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        error::system(
            ErrorDomain::RPC,
            format!("Cannot read {kind} '{}'", path.display()),
            &e,
        )
    })
}

/// Accepts any server certificate: what `no_verify=1` asks for.
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn client_config(creds: &Credentials, no_verify: bool) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let ca = read_pem("CA certificate", &creds.ca)?;
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls_pemfile::certs(&mut ca.as_slice()) {
        let c = c.map_err(tls_error)?;
        roots.add(c).map_err(tls_error)?;
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?;
    let builder = if no_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
    } else {
        builder.with_root_certificates(roots)
    };
    if creds.cert.exists() && creds.key.exists() {
        let cert = read_pem("client certificate", &creds.cert)?;
        let key = read_pem("client key", &creds.key)?;
        let certs: Vec<_> = rustls_pemfile::certs(&mut cert.as_slice())
            .collect::<std::result::Result<_, _>>()
            .map_err(tls_error)?;
        let key = rustls_pemfile::private_key(&mut key.as_slice())
            .map_err(tls_error)?
            .ok_or_else(|| tls_error(format!("no key in '{}'", creds.key.display())))?;
        builder.with_client_auth_cert(certs, key).map_err(tls_error)
    } else {
        Ok(builder.with_no_client_auth())
    }
}

/// Connects, shakes hands, waits for the server's confirmation byte and
/// starts the engine over the session.
pub(crate) async fn connect(
    host: &str,
    port: &str,
    creds: &Credentials,
    no_verify: bool,
) -> Result<Arc<Engine>> {
    let config = client_config(creds, no_verify)?;
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| tls_error(format!("invalid server name '{host}': {e}")))?;
    let tcp = tokio::net::TcpStream::connect(format!("{host}:{port}"))
        .await
        .map_err(|e| {
            error::system(
                ErrorDomain::RPC,
                format!("unable to connect to server at '{host}:{port}'"),
                &e,
            )
        })?;
    let _ = tcp.set_nodelay(true);
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let mut tls = connector.connect(name, tcp).await.map_err(tls_error)?;
    let mut confirm = [0u8; 1];
    match tls.read(&mut confirm).await {
        Ok(1) if confirm[0] == 1 => {}
        Ok(_) => {
            return Err(Error::rpc(
                "server verification (of our certificate or IP address) failed",
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err(Error::rpc(
                "server verification (of our certificate or IP address) failed",
            ))
        }
        Err(e) => {
            return Err(error::system(
                ErrorDomain::RPC,
                "Unable to read TLS confirmation",
                &e,
            ))
        }
    }
    let (r, w) = tokio::io::split(tls);
    Ok(Engine::start(
        oxvirt_rpc::io::Plain(r),
        oxvirt_rpc::io::Plain(w),
        TransportExtra::default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkipath_names_all_three_files() {
        let c = Credentials::locate(Some(Path::new("/p")), false);
        assert_eq!(c.ca, PathBuf::from("/p/cacert.pem"));
        assert_eq!(c.cert, PathBuf::from("/p/clientcert.pem"));
        assert_eq!(c.key, PathBuf::from("/p/clientkey.pem"));
        let c = Credentials::locate(None, true);
        assert_eq!(
            c.key,
            PathBuf::from("/etc/pki/libvirt/private/clientkey.pem")
        );
    }

    #[test]
    fn missing_ca_is_reported_like_libvirt() {
        let creds = Credentials::locate(Some(Path::new("/nonexistent-pki")), false);
        let e = client_config(&creds, false).unwrap_err();
        assert_eq!(
            e.message,
            "Cannot read CA certificate '/nonexistent-pki/cacert.pem': No such file or directory"
        );
    }
}
