//! [`Connect`]: one open connection to a libvirt daemon, and the host-level
//! calls (`virConnect*`, `virNode*`).
//!
//! Opening follows libvirt's remote driver step by step: resolve the URI
//! (`LIBVIRT_DEFAULT_URI`, `uri_default`, `uri_aliases`), plan the transport,
//! connect (autostarting a session daemon when allowed), then the handshake
//! `AUTH_LIST` → feature probe 10 (keepalive) → `CONNECT_OPEN` →
//! `CONNECT_GET_URI` (only when no URI was given) → feature probes 14 and 15.

use crate::config::{self, ClientConfig};
use crate::engine::{CloseReason, Engine, Incoming};
use crate::event::EventState;
use crate::transport::{self, PlanContext};
use crate::uri::Uri;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_protocol::remote::{self, procs, table};
use oxvirt_xdr::Xdr;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `VIR_DRV_FEATURE_PROGRAM_KEEPALIVE`.
const FEATURE_KEEPALIVE: i32 = 10;
/// `VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK`.
const FEATURE_EVENT_CALLBACK: i32 = 14;
/// `VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK`.
const FEATURE_CLOSE_CALLBACK: i32 = 15;
/// `VIR_DRV_FEATURE_TYPED_PARAM_STRING`.
pub const FEATURE_TYPED_PARAM_STRING: i32 = 9;

/// How to open a connection.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Open read-only (`VIR_CONNECT_RO`).
    pub read_only: bool,
    /// Do not resolve `uri_aliases` (`VIR_CONNECT_NO_ALIASES`).
    pub no_aliases: bool,
}

/// `virNodeInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub model: String,
    /// KiB.
    pub memory: u64,
    pub cpus: u32,
    /// MHz.
    pub mhz: u32,
    pub nodes: u32,
    pub sockets: u32,
    pub cores: u32,
    pub threads: u32,
}

/// `virSecurityModel`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityModel {
    pub model: String,
    pub doi: String,
}

pub(crate) struct ConnInner {
    pub(crate) engine: Arc<Engine>,
    uri: Mutex<Uri>,
    read_only: bool,
    secure: bool,
    encrypted: bool,
    server_keepalive: bool,
    event_callbacks: bool,
    close_callbacks: bool,
    close_registered: AtomicBool,
    type_cache: Mutex<Option<String>>,
    pub(crate) events: Arc<EventState>,
}

/// A connection to a hypervisor driver through a libvirt daemon.
///
/// Cheap to clone; every clone and every object handle taken from it shares
/// the one connection. Call [`Connect::close`] to end it politely; dropping
/// the last reference closes the socket.
#[derive(Clone)]
pub struct Connect {
    pub(crate) inner: Arc<ConnInner>,
}

pub(crate) fn enc<A: Xdr>(a: &A) -> Vec<u8> {
    oxvirt_xdr::to_bytes(a)
}

fn c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

impl ConnInner {
    /// The read-only refusal libvirt's public API raises before any RPC.
    pub(crate) fn ro_check(&self, proc_: i32, flags: u32) -> Result<()> {
        if self.read_only && table::readonly_denied_with_flags(proc_, flags) {
            return Err(table::readonly_error(proc_));
        }
        Ok(())
    }

    /// Calls a REMOTE procedure whose read-only rule does not depend on flags.
    pub(crate) fn call<A: Xdr, R: Xdr + Send + 'static>(
        &self,
        proc_: i32,
        args: &A,
    ) -> impl Future<Output = Result<R>> + Send + '_ {
        self.call_flags(proc_, args, 0)
    }

    /// Calls a REMOTE procedure, checking the read-only rule with `flags`.
    pub(crate) fn call_flags<A: Xdr, R: Xdr + Send + 'static>(
        &self,
        proc_: i32,
        args: &A,
        flags: u32,
    ) -> impl Future<Output = Result<R>> + Send + '_ {
        let bytes = enc(args);
        let denied = self.ro_check(proc_, flags);
        async move {
            denied?;
            self.engine.call(remote::PROGRAM, 1, proc_, bytes).await
        }
    }
}

impl Connect {
    /// Opens `uri` read-write; `None` or `""` uses the default URI or lets the
    /// daemon choose (`virConnectOpen`).
    pub async fn open(uri: Option<&str>) -> Result<Connect> {
        Self::open_with(uri, &OpenOptions::default()).await
    }

    /// Opens `uri` read-only (`virConnectOpenReadOnly`).
    pub async fn open_read_only(uri: Option<&str>) -> Result<Connect> {
        let opts = OpenOptions {
            read_only: true,
            ..OpenOptions::default()
        };
        Self::open_with(uri, &opts).await
    }

    /// Opens `uri` with `opts`.
    pub async fn open_with(uri: Option<&str>, opts: &OpenOptions) -> Result<Connect> {
        let conf = ClientConfig::load()?;
        let name = match uri.filter(|u| !u.is_empty()) {
            Some(u) => Some(u.to_owned()),
            None => conf.default_uri(),
        };
        let parsed = match name {
            Some(n) => {
                let resolved = if opts.no_aliases {
                    None
                } else {
                    conf.resolve_alias(&n)?
                };
                let text = resolved.unwrap_or(n.clone());
                let mut u = Uri::parse(&text)?;
                if u.scheme.is_none() {
                    return Err(Error::new(
                        ErrorDomain::NONE,
                        ErrorCode::NO_CONNECT,
                        format!("URI '{n}' does not include a driver name"),
                    ));
                }
                if u.path.is_none() {
                    u.path = Some(String::new());
                }
                Some(u)
            }
            None => None,
        };
        let ctx = PlanContext {
            config: &conf,
            read_only: opts.read_only,
            privileged: config::is_privileged(),
        };
        let plan = transport::plan(parsed.as_ref(), &ctx)?;
        let engine = transport::connect(plan.target.clone()).await?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Incoming>();
        engine.set_sink(tx);

        authenticate(&engine, plan.auth.as_deref()).await?;
        let server_keepalive = supports(&engine, FEATURE_KEEPALIVE).await;
        let open = remote::ConnectOpenArgs {
            name: Some(plan.name.clone()),
            flags: plan.flags,
        };
        engine
            .call::<()>(remote::PROGRAM, 1, procs::CONNECT_OPEN, enc(&open))
            .await?;
        let uri = match parsed {
            Some(u) => u,
            None => {
                let r: String = engine
                    .call(remote::PROGRAM, 1, procs::CONNECT_GET_URI, Vec::new())
                    .await?;
                Uri::parse(&r)?
            }
        };
        let event_callbacks = supports(&engine, FEATURE_EVENT_CALLBACK).await;
        let close_callbacks = supports(&engine, FEATURE_CLOSE_CALLBACK).await;

        let inner = Arc::new(ConnInner {
            engine,
            uri: Mutex::new(uri),
            read_only: opts.read_only,
            secure: plan.secure,
            encrypted: plan.encrypted,
            server_keepalive,
            event_callbacks,
            close_callbacks,
            close_registered: AtomicBool::new(false),
            type_cache: Mutex::new(None),
            events: Arc::new(EventState::default()),
        });
        EventState::start_dispatch(&inner, rx);
        Ok(Connect { inner })
    }

    pub(crate) fn from_inner(inner: Arc<ConnInner>) -> Connect {
        Connect { inner }
    }

    /// Closes the connection: unregisters the close callback if one was
    /// registered, sends CONNECT_CLOSE and shuts the transport.
    pub async fn close(self) -> Result<()> {
        let e = &self.inner.engine;
        if self.inner.close_registered.swap(false, Ordering::AcqRel) {
            let _ = e
                .call::<()>(
                    remote::PROGRAM,
                    1,
                    procs::CONNECT_UNREGISTER_CLOSE_CALLBACK,
                    Vec::new(),
                )
                .await;
        }
        e.closing();
        let r = e
            .call::<()>(remote::PROGRAM, 1, procs::CONNECT_CLOSE, Vec::new())
            .await;
        e.close();
        r
    }

    /// Whether this connection was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.inner.read_only
    }

    /// Whether the connection still works (`virConnectIsAlive`).
    pub fn is_alive(&self) -> bool {
        self.inner.engine.is_alive()
    }

    /// The canonical URI of the connection (`virConnectGetURI`), answered
    /// locally as libvirt does.
    pub fn uri(&self) -> String {
        match self.inner.uri.lock() {
            Ok(u) => u.to_string(),
            Err(e) => e.into_inner().to_string(),
        }
    }

    /// Whether the daemon answers keepalive probes (it said so at open).
    pub fn server_keepalive(&self) -> bool {
        self.inner.server_keepalive
    }

    /// Whether the daemon supports callback-style event registration.
    pub fn supports_event_callbacks(&self) -> bool {
        self.inner.event_callbacks
    }

    /// Starts the client keepalive (`virConnectSetKeepAlive`). Returns
    /// `false` when the daemon does not support keepalive, as libvirt returns 1.
    pub fn set_keepalive(&self, interval: u32, count: u32) -> Result<bool> {
        if !self.inner.server_keepalive {
            return Ok(false);
        }
        if interval == 0 {
            return Ok(true);
        }
        self.inner
            .engine
            .start_keepalive(Duration::from_secs(u64::from(interval)), count)?;
        Ok(true)
    }

    /// Registers `cb`, called with the reason when the connection closes
    /// (`virConnectRegisterCloseCallback`).
    pub async fn register_close_callback(
        &self,
        cb: impl Fn(CloseReason) + Send + Sync + 'static,
    ) -> Result<()> {
        self.inner.events.set_close_callback(Some(Arc::new(cb)));
        if self.inner.close_callbacks && !self.inner.close_registered.swap(true, Ordering::AcqRel) {
            self.inner
                .engine
                .call::<()>(
                    remote::PROGRAM,
                    1,
                    procs::CONNECT_REGISTER_CLOSE_CALLBACK,
                    Vec::new(),
                )
                .await?;
        }
        Ok(())
    }

    /// Whether the daemon supports `feature` (`virConnectSupportsFeature`).
    pub async fn supports_feature(&self, feature: i32) -> Result<bool> {
        let r: i32 = self
            .inner
            .call(procs::CONNECT_SUPPORTS_FEATURE, &feature)
            .await?;
        Ok(r != 0)
    }

    /// The hypervisor type, e.g. `QEMU` or `TEST` (`virConnectGetType`); cached.
    pub async fn get_type(&self) -> Result<String> {
        if let Some(t) = self.inner.type_cache.lock().ok().and_then(|t| t.clone()) {
            return Ok(t);
        }
        let t: String = self.inner.call(procs::CONNECT_GET_TYPE, &()).await?;
        if let Ok(mut c) = self.inner.type_cache.lock() {
            *c = Some(t.clone());
        }
        Ok(t)
    }

    /// The hypervisor version, major·1e6 + minor·1e3 + micro.
    pub async fn get_version(&self) -> Result<u64> {
        self.inner.call(procs::CONNECT_GET_VERSION, &()).await
    }

    /// The daemon's libvirt version.
    pub async fn get_lib_version(&self) -> Result<u64> {
        self.inner.call(procs::CONNECT_GET_LIB_VERSION, &()).await
    }

    /// The host name of the hypervisor host.
    pub async fn get_hostname(&self) -> Result<String> {
        self.inner.call(procs::CONNECT_GET_HOSTNAME, &()).await
    }

    /// The capabilities XML.
    pub async fn get_capabilities(&self) -> Result<String> {
        self.inner.call(procs::CONNECT_GET_CAPABILITIES, &()).await
    }

    /// The domain capabilities XML for the given emulator, arch, machine and
    /// virtualization type (each optional).
    pub async fn get_domain_capabilities(
        &self,
        emulatorbin: Option<&str>,
        arch: Option<&str>,
        machine: Option<&str>,
        virttype: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        let args = remote::ConnectGetDomainCapabilitiesArgs {
            emulatorbin: emulatorbin.map(str::to_owned),
            arch: arch.map(str::to_owned),
            machine: machine.map(str::to_owned),
            virttype: virttype.map(str::to_owned),
            flags,
        };
        self.inner
            .call(procs::CONNECT_GET_DOMAIN_CAPABILITIES, &args)
            .await
    }

    /// The host's SMBIOS sysinfo XML.
    pub async fn get_sysinfo(&self, flags: u32) -> Result<String> {
        self.inner.call(procs::CONNECT_GET_SYSINFO, &flags).await
    }

    /// The most vCPUs a guest of `type_` may have.
    pub async fn get_max_vcpus(&self, type_: Option<&str>) -> Result<i32> {
        self.inner
            .call(procs::CONNECT_GET_MAX_VCPUS, &type_.map(str::to_owned))
            .await
    }

    /// `virNodeGetInfo`.
    pub async fn node_get_info(&self) -> Result<NodeInfo> {
        let r: remote::NodeGetInfoRet = self.inner.call(procs::NODE_GET_INFO, &()).await?;
        Ok(NodeInfo {
            model: c_string(&r.model.0),
            memory: r.memory,
            cpus: r.cpus as u32,
            mhz: r.mhz as u32,
            nodes: r.nodes as u32,
            sockets: r.sockets as u32,
            cores: r.cores as u32,
            threads: r.threads as u32,
        })
    }

    /// Free memory of the host, in bytes.
    pub async fn node_get_free_memory(&self) -> Result<u64> {
        self.inner.call(procs::NODE_GET_FREE_MEMORY, &()).await
    }

    /// Free memory of NUMA cells `start..start+max`, in bytes.
    pub async fn node_get_cells_free_memory(&self, start: i32, max: i32) -> Result<Vec<u64>> {
        let args = remote::NodeGetCellsFreeMemoryArgs {
            startCell: start,
            maxcells: max,
        };
        let r: remote::NodeGetCellsFreeMemoryRet = self
            .inner
            .call(procs::NODE_GET_CELLS_FREE_MEMORY, &args)
            .await?;
        Ok(r.cells)
    }

    /// Memory statistics of the host or of one NUMA cell (`-1` = all), as
    /// (field, KiB) pairs; asks for the count first, as libvirt does.
    pub async fn node_get_memory_stats(&self, cell: i32, flags: u32) -> Result<Vec<(String, u64)>> {
        let mut args = remote::NodeGetMemoryStatsArgs {
            nparams: 0,
            cellNum: cell,
            flags,
        };
        let r: remote::NodeGetMemoryStatsRet =
            self.inner.call(procs::NODE_GET_MEMORY_STATS, &args).await?;
        if r.nparams == 0 {
            return Ok(Vec::new());
        }
        args.nparams = r.nparams;
        let r: remote::NodeGetMemoryStatsRet =
            self.inner.call(procs::NODE_GET_MEMORY_STATS, &args).await?;
        Ok(r.params.into_iter().map(|p| (p.field, p.value)).collect())
    }

    /// The host's security model (`virNodeGetSecurityModel`).
    pub async fn node_get_security_model(&self) -> Result<SecurityModel> {
        let r: remote::NodeGetSecurityModelRet =
            self.inner.call(procs::NODE_GET_SECURITY_MODEL, &()).await?;
        Ok(SecurityModel {
            model: c_string(&r.model.0),
            doi: c_string(&r.doi.0),
        })
    }

    /// Whether the connection is secure: the transport and the driver's view.
    pub async fn is_secure(&self) -> Result<bool> {
        let r: i32 = self.inner.call(procs::CONNECT_IS_SECURE, &()).await?;
        Ok(self.inner.secure && r != 0)
    }

    /// Whether the connection is encrypted.
    pub async fn is_encrypted(&self) -> Result<bool> {
        let r: i32 = self.inner.call(procs::CONNECT_IS_SECURE, &()).await?;
        Ok(self.inner.encrypted && r != 0)
    }
}

/// `remoteAuthenticate`: AUTH_LIST, then polkit if that is what the socket
/// wants. SASL is not available in this client.
async fn authenticate(engine: &Engine, wanted: Option<&str>) -> Result<()> {
    let types: remote::AuthListRet = match engine
        .call(remote::PROGRAM, 1, procs::AUTH_LIST, Vec::new())
        .await
    {
        Ok(t) => t,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => return Ok(()),
        Err(e) => return Err(e),
    };
    let chosen = match wanted {
        Some(w) => {
            let want = match w {
                "sasl" => remote::AUTH_SASL,
                "polkit" => remote::AUTH_POLKIT,
                _ => remote::AUTH_NONE,
            };
            if !types.types.contains(&want) {
                return Err(Error::new(
                    ErrorDomain::RPC,
                    ErrorCode::AUTH_FAILED,
                    format!("requested authentication type {w} rejected"),
                ));
            }
            want
        }
        None => types.types.first().copied().unwrap_or(remote::AUTH_NONE),
    };
    match chosen {
        remote::AUTH_NONE => Ok(()),
        remote::AUTH_POLKIT => {
            let _: remote::AuthPolkitRet = engine
                .call(remote::PROGRAM, 1, procs::AUTH_POLKIT, Vec::new())
                .await?;
            Ok(())
        }
        other => Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::AUTH_FAILED,
            format!("unsupported authentication type {other}"),
        )),
    }
}

/// A feature probe; errors count as "not supported".
async fn supports(engine: &Engine, feature: i32) -> bool {
    engine
        .call::<i32>(
            remote::PROGRAM,
            1,
            procs::CONNECT_SUPPORTS_FEATURE,
            enc(&feature),
        )
        .await
        .is_ok_and(|r| r != 0)
}
