//! The admin API (`virAdm*`): a daemon's servers, their thread pools and
//! client limits, connected clients, and logging, over `*-admin-sock`.
//!
//! URIs name the daemon: `libvirtd:///system` is `/run/libvirt/libvirt-admin-sock`,
//! `virtqemud:///session` is `$XDG_RUNTIME_DIR/libvirt/virtqemud-admin-sock`;
//! `?socket=` overrides the path and is the only parameter allowed. The
//! default comes from `LIBVIRT_ADMIN_DEFAULT_URI`, then `uri_default` in
//! `libvirt-admin.conf`, then `libvirtd:///system` (root) or `:///session`.
//! There is no authentication step, no keepalive probe and no autostart.

use crate::config;
use crate::engine::Engine;
use crate::uri::Uri;
use oxvirt_conffile::Conf;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, TypedParam};
use oxvirt_protocol::admin::{self, procs, AdminNonnullClient, AdminNonnullServer};
use oxvirt_xdr::Xdr;
use std::path::PathBuf;
use std::sync::Arc;

fn admin_err(code: ErrorCode, detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::ADMIN, code, detail)
}

/// The admin socket for `uri` (`getSocketPath` in libvirt-admin.c).
pub fn socket_path(uri: &Uri) -> Result<PathBuf> {
    let mut sock = None;
    for p in &uri.params {
        if p.name == "socket" {
            sock = Some(PathBuf::from(&p.value));
        } else {
            return Err(admin_err(
                ErrorCode::CONFIG_UNSUPPORTED,
                format!("Unknown URI parameter '{}'", p.name),
            ));
        }
    }
    if let Some(s) = sock {
        return Ok(s);
    }
    let Some(scheme) = uri.scheme.as_deref() else {
        return Err(admin_err(
            ErrorCode::CONFIG_UNSUPPORTED,
            "No URI scheme specified",
        ));
    };
    let base = if scheme == "libvirtd" {
        "libvirt-admin-sock".to_owned()
    } else if scheme.starts_with("virt") {
        format!("{scheme}-admin-sock")
    } else {
        return Err(admin_err(
            ErrorCode::CONFIG_UNSUPPORTED,
            format!("Unsupported URI scheme '{scheme}'"),
        ));
    };
    match uri.path.as_deref() {
        Some("/system") => Ok(PathBuf::from("/run/libvirt").join(base)),
        Some("/session") => Ok(config::user_runtime_dir().join(base)),
        p => Err(admin_err(
            ErrorCode::CONFIG_UNSUPPORTED,
            format!("Invalid URI path '{}', try '/system'", p.unwrap_or("")),
        )),
    }
}

/// The admin URI used when none is given.
pub fn default_uri() -> Result<String> {
    if let Ok(u) = std::env::var("LIBVIRT_ADMIN_DEFAULT_URI") {
        if !u.is_empty() {
            return Ok(u);
        }
    }
    let path = if config::is_privileged() {
        PathBuf::from("/etc/libvirt/libvirt-admin.conf")
    } else {
        config::user_config_dir().join("libvirt/libvirt-admin.conf")
    };
    if path.exists() {
        let conf = Conf::read_file(&path)
            .map_err(|e| Error::new(ErrorDomain::CONF, ErrorCode::CONF_SYNTAX, e.to_string()))?;
        if let Ok(Some(u)) = conf.get_string("uri_default") {
            return Ok(u);
        }
    }
    Ok(if config::is_privileged() {
        "libvirtd:///system".to_owned()
    } else {
        "libvirtd:///session".to_owned()
    })
}

struct AdminInner {
    engine: Arc<Engine>,
    uri: String,
}

impl AdminInner {
    async fn call<A: Xdr, R: Xdr>(&self, proc_: i32, args: &A) -> Result<R> {
        let bytes = oxvirt_xdr::to_bytes(args);
        self.engine
            .call(admin::PROGRAM, admin::VERSION, proc_, bytes)
            .await
    }
}

/// A connection to a daemon's admin socket.
#[derive(Clone)]
pub struct AdminConnect {
    inner: Arc<AdminInner>,
}

/// One of the daemon's servers (`virAdmServer`).
#[derive(Clone)]
pub struct AdminServer {
    inner: Arc<AdminInner>,
    name: String,
}

/// A client of a server (`virAdmClient`).
#[derive(Clone)]
pub struct AdminClient {
    inner: Arc<AdminInner>,
    wire: AdminNonnullClient,
}

impl AdminConnect {
    /// Opens the admin socket named by `uri` (or the default).
    pub async fn open(uri: Option<&str>) -> Result<AdminConnect> {
        let text = match uri.filter(|u| !u.is_empty()) {
            Some(u) => u.to_owned(),
            None => default_uri()?,
        };
        let parsed = Uri::parse(&text)?;
        let path = socket_path(&parsed)?;
        let engine = crate::transport::connect(crate::transport::Target::Unix {
            path,
            autostart: None,
        })
        .await?;
        let inner = Arc::new(AdminInner {
            engine,
            uri: parsed.to_string(),
        });
        inner
            .call::<_, ()>(
                procs::CONNECT_OPEN,
                &admin::AdminConnectOpenArgs { flags: 0 },
            )
            .await?;
        Ok(AdminConnect { inner })
    }

    /// The URI of the connection.
    pub fn uri(&self) -> &str {
        &self.inner.uri
    }

    /// Whether the connection still works.
    pub fn is_alive(&self) -> bool {
        self.inner.engine.is_alive()
    }

    /// Closes the connection.
    pub async fn close(self) -> Result<()> {
        self.inner.engine.closing();
        let r = self.inner.call::<_, ()>(procs::CONNECT_CLOSE, &()).await;
        self.inner.engine.close();
        r
    }

    /// The daemon's libvirt version.
    pub async fn get_lib_version(&self) -> Result<u64> {
        self.inner.call(procs::CONNECT_GET_LIB_VERSION, &()).await
    }

    fn server(&self, s: AdminNonnullServer) -> AdminServer {
        AdminServer {
            inner: self.inner.clone(),
            name: s.name,
        }
    }

    /// The daemon's servers.
    pub async fn list_servers(&self) -> Result<Vec<AdminServer>> {
        let r: admin::AdminConnectListServersRet = self
            .inner
            .call(procs::CONNECT_LIST_SERVERS, &(1u32, 0u32))
            .await?;
        Ok(r.servers.into_iter().map(|s| self.server(s)).collect())
    }

    /// Looks a server up by name.
    pub async fn lookup_server(&self, name: &str) -> Result<AdminServer> {
        let s: AdminNonnullServer = self
            .inner
            .call(procs::CONNECT_LOOKUP_SERVER, &(name.to_owned(), 0u32))
            .await?;
        Ok(self.server(s))
    }

    /// The log outputs and their count.
    pub async fn get_logging_outputs(&self) -> Result<(String, u32)> {
        self.inner
            .call(procs::CONNECT_GET_LOGGING_OUTPUTS, &0u32)
            .await
    }

    /// The log filters (`None` if there are none) and their count.
    pub async fn get_logging_filters(&self) -> Result<(Option<String>, u32)> {
        self.inner
            .call(procs::CONNECT_GET_LOGGING_FILTERS, &0u32)
            .await
    }

    /// Replaces the log outputs (`None` restores the default).
    pub async fn set_logging_outputs(&self, outputs: Option<&str>) -> Result<()> {
        self.inner
            .call(
                procs::CONNECT_SET_LOGGING_OUTPUTS,
                &(outputs.map(str::to_owned), 0u32),
            )
            .await
    }

    /// Replaces the log filters (`None` removes them).
    pub async fn set_logging_filters(&self, filters: Option<&str>) -> Result<()> {
        self.inner
            .call(
                procs::CONNECT_SET_LOGGING_FILTERS,
                &(filters.map(str::to_owned), 0u32),
            )
            .await
    }

    /// Changes the daemon's idle timeout (0 disables it).
    pub async fn set_daemon_timeout(&self, timeout: u32) -> Result<()> {
        self.inner
            .call(procs::CONNECT_SET_DAEMON_TIMEOUT, &(timeout, 0u32))
            .await
    }
}

impl AdminServer {
    /// The server's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn wire(&self) -> AdminNonnullServer {
        AdminNonnullServer {
            name: self.name.clone(),
        }
    }

    /// Thread pool parameters (`minWorkers`, `maxWorkers`, …).
    pub async fn get_threadpool_parameters(&self) -> Result<Vec<TypedParam>> {
        self.inner
            .call(
                procs::SERVER_GET_THREADPOOL_PARAMETERS,
                &(self.wire(), 0u32),
            )
            .await
    }

    /// Sets thread pool parameters.
    pub async fn set_threadpool_parameters(&self, params: Vec<TypedParam>) -> Result<()> {
        let args = admin::AdminServerSetThreadpoolParametersArgs {
            srv: self.wire(),
            params,
            flags: 0,
        };
        self.inner
            .call(procs::SERVER_SET_THREADPOOL_PARAMETERS, &args)
            .await
    }

    /// The server's connected clients.
    pub async fn list_clients(&self) -> Result<Vec<AdminClient>> {
        let r: admin::AdminServerListClientsRet = self
            .inner
            .call(procs::SERVER_LIST_CLIENTS, &(self.wire(), 1u32, 0u32))
            .await?;
        Ok(r.clients
            .into_iter()
            .map(|c| AdminClient {
                inner: self.inner.clone(),
                wire: c,
            })
            .collect())
    }

    /// Looks a client up by id.
    pub async fn lookup_client(&self, id: u64) -> Result<AdminClient> {
        let c: AdminNonnullClient = self
            .inner
            .call(procs::SERVER_LOOKUP_CLIENT, &(self.wire(), id, 0u32))
            .await?;
        Ok(AdminClient {
            inner: self.inner.clone(),
            wire: c,
        })
    }

    /// Client limits (`nclients_max`, `nclients`, …).
    pub async fn get_client_limits(&self) -> Result<Vec<TypedParam>> {
        self.inner
            .call(procs::SERVER_GET_CLIENT_LIMITS, &(self.wire(), 0u32))
            .await
    }

    /// Sets client limits.
    pub async fn set_client_limits(&self, params: Vec<TypedParam>) -> Result<()> {
        let args = admin::AdminServerSetClientLimitsArgs {
            srv: self.wire(),
            params,
            flags: 0,
        };
        self.inner
            .call(procs::SERVER_SET_CLIENT_LIMITS, &args)
            .await
    }

    /// Reloads the TLS certificates.
    pub async fn update_tls_files(&self) -> Result<()> {
        self.inner
            .call(procs::SERVER_UPDATE_TLS_FILES, &(self.wire(), 0u32))
            .await
    }
}

impl AdminClient {
    /// The client's id.
    pub fn id(&self) -> u64 {
        self.wire.id
    }

    /// When it connected, in seconds since the epoch.
    pub fn timestamp(&self) -> i64 {
        self.wire.timestamp
    }

    /// 0 unix, 1 tcp, 2 tls.
    pub fn transport(&self) -> u32 {
        self.wire.transport
    }

    /// Identity and connection details.
    pub async fn get_info(&self) -> Result<Vec<TypedParam>> {
        self.inner
            .call(procs::CLIENT_GET_INFO, &(self.wire.clone(), 0u32))
            .await
    }

    /// Disconnects the client.
    pub async fn close(&self) -> Result<()> {
        self.inner
            .call(procs::CLIENT_CLOSE, &(self.wire.clone(), 0u32))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_uris_map_to_sockets() {
        let p = socket_path(&Uri::parse("libvirtd:///system").unwrap()).unwrap();
        assert_eq!(p, PathBuf::from("/run/libvirt/libvirt-admin-sock"));
        let p = socket_path(&Uri::parse("virtqemud:///system").unwrap()).unwrap();
        assert_eq!(p, PathBuf::from("/run/libvirt/virtqemud-admin-sock"));
        let p = socket_path(&Uri::parse("libvirtd:///system?socket=/x").unwrap()).unwrap();
        assert_eq!(p, PathBuf::from("/x"));
    }

    #[test]
    fn bad_admin_uris_are_refused() {
        let e = socket_path(&Uri::parse("qemu:///system").unwrap()).unwrap_err();
        assert_eq!(
            e.message,
            "unsupported configuration: Unsupported URI scheme 'qemu'"
        );
        let e = socket_path(&Uri::parse("libvirtd:///system?x=1").unwrap()).unwrap_err();
        assert_eq!(
            e.message,
            "unsupported configuration: Unknown URI parameter 'x'"
        );
        let e = socket_path(&Uri::parse("libvirtd:///foo").unwrap()).unwrap_err();
        assert_eq!(
            e.message,
            "unsupported configuration: Invalid URI path '/foo', try '/system'"
        );
    }
}
