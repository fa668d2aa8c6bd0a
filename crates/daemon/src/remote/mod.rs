//! The REMOTE program: libvirt's public API over the wire, dispatched to the
//! connection a client opened with `CONNECT_OPEN`.
//!
//! Order of checks for a call, as libvirtd applies them: the rpc layer has
//! already checked status, program and authentication; here an unknown or
//! unimplemented procedure gets "unknown procedure: N", undecodable arguments
//! get "Unable to decode message payload", a call that needs a connection gets
//! "hypervisor connection not open" before `CONNECT_OPEN`, and a call that
//! changes state gets "read only access prevents …" on a read-only connection.
//!
//! Procedures are grouped by family: [`host`] and [`domain`] today, one module
//! per secondary driver as they land.

mod domain;
mod host;
mod link;
mod proxy;
mod resolver;
mod secondary;
mod storage;
mod stream;

use oxvirt_conffile::daemon::DaemonSettings;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_driver::{
    ConnectUri, DomainEvent, DomainEventKind, DomainRef, DriverStream, HypervisorConnection,
    OpenContext,
};
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::remote::{self, procs, table, *};
use oxvirt_protocol::{lxc, qemu};
use oxvirt_rpc::{frame, reply_error, Client, Frame, Handler, Outcome};
use oxvirt_xdr::{CharArray, Xdr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::mpsc;

/// libvirt's `REMOTE_DOMAIN_LIST_MAX` / `REMOTE_DOMAIN_NAME_LIST_MAX`.
const DOMAIN_LIST_MAX: i32 = 16384;

/// Serves the REMOTE program (and answers the QEMU and LXC programs) for one
/// daemon.
pub struct RemoteHandler {
    drivers: Arc<crate::drivers::DriverSet>,
    privileged: bool,
    keepalive_interval: i32,
    keepalive_count: u32,
    /// virtproxyd: the run directory of the modular daemons to relay to.
    proxy: Option<std::path::PathBuf>,
    /// A modular daemon: the run directory of the other modular daemons, to
    /// which calls of the families it has no driver for are passed on.
    secondary: Option<std::path::PathBuf>,
    /// `tcp_min_ssf`.
    tcp_min_ssf: u32,
    /// `sasl_allowed_username_list`.
    sasl_allowed: Option<Vec<String>>,
}

/// Per-client state of the REMOTE program.
pub struct RemoteSession {
    conn: Mutex<Option<Arc<dyn HypervisorConnection>>>,
    /// The scheme the client opened ("qemu", "test", …).
    scheme: Mutex<Option<String>>,
    /// Links to other modular daemons for their families' calls.
    links: secondary::Links,
    /// The SASL negotiation in progress (or done), if the client uses SASL.
    sasl: Mutex<Option<Arc<crate::sasl::Session>>>,
    /// The storage side of the connection (in-process storage driver).
    storage: storage::StorageSession,
    close_callback: AtomicBool,
    events: Mutex<EventState>,
    client: Weak<Client>,
}

#[derive(Default)]
struct EventState {
    /// Domain callbacks this client registered.
    domain: Vec<i32>,
    /// Sender shared by every callback of this client; created on first use.
    tx: Option<mpsc::UnboundedSender<oxvirt_driver::events::Delivery>>,
}

impl Drop for RemoteSession {
    fn drop(&mut self) {
        let conn = self.conn.get_mut().ok().and_then(|c| c.take());
        let events = self
            .events
            .get_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        if let Some(bus) = conn.as_ref().and_then(|c| c.domain_events()) {
            for id in events.domain {
                let _ = bus.deregister(id);
            }
        }
    }
}

fn not_open() -> Error {
    Error::internal(ErrorDomain::RPC, "hypervisor connection not open")
}

fn decode<T: Xdr>(f: &Frame) -> Result<T> {
    oxvirt_xdr::from_bytes(&f.payload).map_err(|_| Error::rpc("Unable to decode message payload"))
}

fn to_wire(d: DomainRef) -> NonnullDomain {
    NonnullDomain {
        name: d.name,
        uuid: d.uuid,
        id: d.id,
    }
}

fn from_wire(d: NonnullDomain) -> DomainRef {
    DomainRef {
        name: d.name,
        uuid: d.uuid,
        id: d.id,
    }
}

fn check_max(value: i32, max: i32, what: &str) -> Result<usize> {
    if value < 0 {
        return Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::INVALID_ARG,
            format!("{what} must not be negative"),
        ));
    }
    if value > max {
        return Err(Error::rpc(format!("{what} > {max}")));
    }
    Ok(value as usize)
}

impl RemoteHandler {
    pub fn new(
        drivers: Arc<crate::drivers::DriverSet>,
        privileged: bool,
        settings: &DaemonSettings,
    ) -> Self {
        RemoteHandler {
            drivers,
            privileged,
            keepalive_interval: settings.keepalive_interval,
            keepalive_count: settings.keepalive_count,
            proxy: None,
            secondary: None,
            tcp_min_ssf: settings.tcp_min_ssf,
            sasl_allowed: settings.sasl_allowed_username_list.clone(),
        }
    }

    /// Makes a modular daemon pass calls of driver families it lacks to the
    /// daemons owning them, found in `run_dir`.
    pub fn with_secondary_links(mut self, run_dir: std::path::PathBuf) -> Self {
        self.secondary = Some(run_dir);
        self
    }

    /// Makes this handler a proxy (virtproxyd): URIs of modular drivers are
    /// relayed to the daemons whose sockets live in `run_dir`.
    pub fn with_proxy(mut self, run_dir: std::path::PathBuf) -> Self {
        self.proxy = Some(run_dir);
        self
    }

    /// AUTH_SASL_INIT: starts a negotiation and lists the mechanisms.
    fn sasl_init(&self, client: &Client, sess: &RemoteSession) -> Result<String> {
        if client.service.auth != oxvirt_rpc::AuthScheme::Sasl || client.is_authenticated() {
            return Err(Error::new(
                ErrorDomain::RPC,
                ErrorCode::AUTH_FAILED,
                "SASL is not the authentication scheme of this socket".to_owned(),
            ));
        }
        let (external, min) = match client.service.transport {
            oxvirt_rpc::Transport::Tls => (256, 0),
            oxvirt_rpc::Transport::Unix => (0, 0),
            oxvirt_rpc::Transport::Tcp => (0, self.tcp_min_ssf),
        };
        let s = crate::sasl::Session::new(None, client.sock_addr.as_deref(), external, min)?;
        let mechs = s.mechlist()?;
        if let Ok(mut slot) = sess.sasl.lock() {
            *slot = Some(Arc::new(s));
        }
        Ok(mechs)
    }

    /// AUTH_SASL_START (with `mech`) or AUTH_SASL_STEP: one round; on success
    /// checks strength and user name, then authenticates the client and
    /// installs the security layer after this reply.
    fn sasl_step(
        &self,
        client: &Client,
        sess: &RemoteSession,
        mech: Option<&str>,
        data: Option<Vec<u8>>,
    ) -> Result<(i32, i32, Vec<u8>)> {
        let s = sess
            .sasl
            .lock()
            .ok()
            .and_then(|s| s.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorDomain::RPC,
                    ErrorCode::AUTH_FAILED,
                    "no SASL negotiation in progress".to_owned(),
                )
            })?;
        let fail = |e: Error| {
            if let Ok(mut slot) = sess.sasl.lock() {
                slot.take();
            }
            e
        };
        let step = match mech {
            Some(m) => s.start(m, data.as_deref()),
            None => s.step(data.as_deref()),
        }
        .map_err(fail)?;
        if step.complete {
            let ssf = s.ssf().map_err(fail)?;
            if client.service.transport == oxvirt_rpc::Transport::Tcp && ssf < self.tcp_min_ssf {
                return Err(fail(Error::new(
                    ErrorDomain::RPC,
                    ErrorCode::AUTH_FAILED,
                    format!("negotiation SSF {ssf} was not strong enough"),
                )));
            }
            let user = s.username().map_err(fail)?;
            if let Some(list) = &self.sasl_allowed {
                if !list.iter().any(|g| crate::net::glob_match(g, &user)) {
                    log::warn!("SASL client {user} not allowed in whitelist");
                    return Err(fail(Error::new(
                        ErrorDomain::RPC,
                        ErrorCode::AUTH_FAILED,
                        "client not allowed in SASL whitelist".to_owned(),
                    )));
                }
            }
            client.set_authenticated();
            if ssf > 0 {
                client.set_layer_after_reply(s.clone());
            }
        }
        let nil = i32::from(step.data.is_none());
        Ok((i32::from(step.complete), nil, step.data.unwrap_or_default()))
    }

    async fn open(
        &self,
        client: &Arc<Client>,
        sess: &RemoteSession,
        f: &Frame,
        args: ConnectOpenArgs,
    ) -> Result<()> {
        if sess.conn.lock().map_err(|_| not_open())?.is_some() {
            return Err(Error::internal(ErrorDomain::RPC, "connection already open"));
        }
        let readonly = client.is_readonly() || args.flags & 1 != 0;
        let ctx = OpenContext {
            privileged: self.privileged,
            read_only: readonly,
        };
        let Some(name) = args.name else {
            return Err(Error::internal(ErrorDomain::RPC, "connection not open"));
        };
        let no_driver =
            |n: &str| Error::new(ErrorDomain::NONE, ErrorCode::NO_CONNECT, n.to_owned());
        let name = if !name.is_empty() {
            name
        } else if let Some(dir) = &self.proxy {
            proxy::probe(dir, self.privileged, readonly).ok_or_else(|| no_driver("(null)"))?
        } else {
            self.drivers
                .all()
                .await
                .iter()
                .find_map(|d| d.probe_uri(&ctx))
                .ok_or_else(|| no_driver("(null)"))?
        };
        let uri = ConnectUri::parse(&name).ok_or_else(|| no_driver(&name))?;
        if let Some(dir) = &self.proxy {
            if let Some(daemon) = proxy::daemon_for_scheme(&uri.scheme) {
                let mut call = Frame {
                    header: f.header,
                    payload: f.payload.clone(),
                    fds: vec![],
                };
                if args.flags & 1 == 0 && readonly {
                    // The socket forced read-only: tell the backend too.
                    call.payload = oxvirt_xdr::to_bytes(&ConnectOpenArgs {
                        name: Some(name.clone()),
                        flags: args.flags | 1,
                    });
                } else if f.payload.is_empty() || args_name_was_probe(&f.payload) {
                    call.payload = oxvirt_xdr::to_bytes(&ConnectOpenArgs {
                        name: Some(name.clone()),
                        flags: args.flags,
                    });
                }
                proxy::open(client, dir, daemon, readonly, &call).await?;
                if readonly {
                    client.set_readonly();
                }
                return Ok(());
            }
        }
        for d in self.drivers.for_scheme(&uri.scheme).await {
            if let Some(conn) = d.open(&uri, &ctx)? {
                if readonly {
                    client.set_readonly();
                }
                let storage = if d.uses_shared_drivers() {
                    self.drivers
                        .all()
                        .await
                        .iter()
                        .find_map(|x| x.storage_driver())
                } else {
                    None
                };
                {
                    let mut slot = sess.conn.lock().map_err(|_| not_open())?;
                    if slot.is_some() {
                        return Err(Error::internal(ErrorDomain::RPC, "connection already open"));
                    }
                    *slot = Some(conn);
                }
                if let Some(sd) = storage {
                    sess.storage.open(sd.as_ref(), &ctx);
                }
                self.give_volume_resolver(sess, &uri);
                if let Ok(mut sc) = sess.scheme.lock() {
                    *sc = Some(uri.scheme.clone());
                }
                return Ok(());
            }
        }
        Err(no_driver(&name))
    }

    /// Lets the opened connection resolve `<disk type='volume'>`: through the
    /// client's in-process storage connection, or, in a modular daemon,
    /// through virtstoraged.
    fn give_volume_resolver(&self, sess: &RemoteSession, uri: &ConnectUri) {
        let Ok(conn) = sess.conn() else { return };
        if let Some(storage) = sess.storage.get() {
            conn.set_volume_resolver(Arc::new(ViaStorage(storage)));
        } else if let Some(run_dir) = &self.secondary {
            if uri.scheme != "test" {
                conn.set_volume_resolver(Arc::new(resolver::RpcVolumeResolver {
                    socket: run_dir.join("virtstoraged-sock"),
                    uri: format!(
                        "storage:///{}",
                        if self.privileged { "system" } else { "session" }
                    ),
                }));
            }
        }
    }

    fn supports_feature(
        &self,
        client: &Arc<Client>,
        sess: &RemoteSession,
        feature: i32,
    ) -> Result<i32> {
        if feature == 10 {
            client.start_keepalive(self.keepalive_interval, self.keepalive_count);
            return Ok(1);
        }
        let conn = sess.conn()?;
        Ok(match feature {
            2 => 0,
            8 | 9 | 14 | 15 | 16 => 1,
            f => i32::from(conn.supports_feature(f)),
        })
    }

    fn register_domain_event(
        &self,
        sess: &RemoteSession,
        conn: &Arc<dyn HypervisorConnection>,
        event_id: i32,
        dom: Option<NonnullDomain>,
    ) -> Result<i32> {
        if !(0..=26).contains(&event_id) {
            return Err(Error::new(
                ErrorDomain::RPC,
                ErrorCode::INVALID_ARG,
                format!("unsupported event ID {event_id}"),
            ));
        }
        let bus = conn
            .domain_events()
            .ok_or_else(|| oxvirt_driver::no_support("virConnectDomainEventRegisterAny"))?;
        let mut ev = sess.events.lock().map_err(|_| not_open())?;
        let tx = match &ev.tx {
            Some(tx) => tx.clone(),
            None => {
                let (tx, rx) = mpsc::unbounded_channel();
                spawn_event_forwarder(sess.client.clone(), rx);
                ev.tx = Some(tx.clone());
                tx
            }
        };
        let id = bus.register(event_id, dom.map(|d| d.uuid), tx);
        ev.domain.push(id);
        Ok(id)
    }

    fn deregister_domain_event(&self, sess: &RemoteSession, callback_id: i32) -> Result<()> {
        let conn = sess.conn()?;
        let mut ev = sess.events.lock().map_err(|_| not_open())?;
        let Some(pos) = ev.domain.iter().position(|id| *id == callback_id) else {
            return Err(Error::internal(
                ErrorDomain::RPC,
                format!("no domain event callback with id {callback_id}"),
            ));
        };
        ev.domain.remove(pos);
        if let Some(bus) = conn.domain_events() {
            bus.deregister(callback_id)?;
        }
        Ok(())
    }

    /// Runs one REMOTE call, appending the encoded ret payload to `out`.
    async fn dispatch(
        &self,
        client: &Arc<Client>,
        sess: &RemoteSession,
        f: &Frame,
        out: &mut Vec<u8>,
        stream: &Mutex<Option<DriverStream>>,
    ) -> Result<()> {
        let p = f.header.proc_;
        let Some(info) = table::proc_info(p) else {
            return Err(Error::unknown_procedure(p));
        };
        macro_rules! args {
            ($t:ty) => {
                decode::<$t>(f)?
            };
        }
        macro_rules! ret {
            ($v:expr) => {
                $v.encode(out)
            };
        }
        // Procedures usable without an open connection.
        match p {
            procs::AUTH_LIST => {
                let t = if client.is_authenticated() {
                    remote::AUTH_NONE
                } else {
                    client.service.auth as i32
                };
                ret!(AuthListRet { types: vec![t] });
                return Ok(());
            }
            procs::AUTH_POLKIT => {
                if !client.is_authenticated() {
                    return Err(Error::new(
                        ErrorDomain::AUTH,
                        ErrorCode::AUTH_FAILED,
                        "access denied by policy".to_owned(),
                    ));
                }
                ret!(AuthPolkitRet { complete: 1 });
                return Ok(());
            }
            procs::AUTH_SASL_INIT => {
                let mechlist = self.sasl_init(client, sess)?;
                ret!(AuthSaslInitRet { mechlist });
                return Ok(());
            }
            procs::AUTH_SASL_START => {
                let a = args!(AuthSaslStartArgs);
                let data = (a.nil == 0).then_some(a.data.0);
                let (complete, nil, data) = self.sasl_step(client, sess, Some(&a.mech), data)?;
                ret!(AuthSaslStartRet {
                    complete,
                    nil,
                    data: CharArray(data),
                });
                return Ok(());
            }
            procs::AUTH_SASL_STEP => {
                let a = args!(AuthSaslStepArgs);
                let data = (a.nil == 0).then_some(a.data.0);
                let (complete, nil, data) = self.sasl_step(client, sess, None, data)?;
                ret!(AuthSaslStepRet {
                    complete,
                    nil,
                    data: CharArray(data),
                });
                return Ok(());
            }
            procs::CONNECT_OPEN => {
                self.open(client, sess, f, args!(ConnectOpenArgs)).await?;
                return Ok(());
            }
            procs::CONNECT_CLOSE => {
                if let Ok(mut c) = sess.conn.lock() {
                    c.take();
                }
                sess.storage.close();
                return Ok(());
            }
            procs::CONNECT_SUPPORTS_FEATURE => {
                let a = args!(ConnectSupportsFeatureArgs);
                ret!(ConnectSupportsFeatureRet {
                    supported: self.supports_feature(client, sess, a.feature)?
                });
                return Ok(());
            }
            procs::CONNECT_GET_LIB_VERSION => {
                ret!(ConnectGetLibVersionRet {
                    lib_ver: oxvirt_core::LIBVIRT_VERSION
                });
                return Ok(());
            }
            _ => {}
        }
        let conn = sess.conn()?;
        if client.is_readonly()
            && table::readonly_denied_with_flags(p, read_flags_word(p, &f.payload))
        {
            return Err(table::readonly_error(p));
        }
        let cx = Call {
            handler: self,
            client,
            sess,
            conn: &conn,
            f,
            stream,
        };
        if host::dispatch(&cx, out).await?
            || domain::dispatch(&cx, out).await?
            || storage::dispatch(&cx, out).await?
        {
            return Ok(());
        }
        // A procedure of libvirt 9.0 that this daemon's drivers do not offer:
        // what libvirtd answers when its driver lacks the callback.
        Err(oxvirt_driver::no_support_in(info.family, info.api))
    }
}

/// One call being dispatched, as the family modules see it.
pub(crate) struct Call<'a> {
    pub handler: &'a RemoteHandler,
    #[allow(dead_code)]
    pub client: &'a Arc<Client>,
    pub sess: &'a RemoteSession,
    pub conn: &'a Arc<dyn HypervisorConnection>,
    pub f: &'a Frame,
    /// Set by a procedure that opens a stream; the bridge then sends the reply.
    pub stream: &'a Mutex<Option<DriverStream>>,
}

impl Call<'_> {
    /// Makes this call open `s`: its reply is followed by the stream's packets.
    #[allow(dead_code)]
    pub fn open_stream(&self, s: DriverStream) {
        if let Ok(mut slot) = self.stream.lock() {
            *slot = Some(s);
        }
    }
}

/// A storage connection lent to another driver as its volume resolver.
struct ViaStorage(Arc<dyn oxvirt_driver::storage::StorageConnection>);

#[async_trait::async_trait]
impl oxvirt_driver::storage::VolumeResolver for ViaStorage {
    async fn resolve_volume(
        &self,
        pool: &str,
        vol: &str,
    ) -> Result<oxvirt_driver::storage::ResolvedVolume> {
        self.0.resolve_volume(pool, vol).await
    }
}

/// Whether a CONNECT_OPEN payload carried an empty name (a probing client).
fn args_name_was_probe(payload: &[u8]) -> bool {
    matches!(
        oxvirt_xdr::from_bytes::<ConnectOpenArgs>(payload),
        Ok(ConnectOpenArgs { name: Some(n), .. }) if n.is_empty()
    )
}

/// The argument word that decides the read-only check of a few calls: the
/// trailing `flags` of the XML getters and of GET_VCPUS_FLAGS, the `source` of
/// DOMAIN_INTERFACE_ADDRESSES (followed by its flags).
fn read_flags_word(p: i32, payload: &[u8]) -> u32 {
    let from_end = match p {
        procs::DOMAIN_GET_XML_DESC
        | procs::DOMAIN_GET_VCPUS_FLAGS
        | procs::DOMAIN_SNAPSHOT_GET_XML_DESC
        | procs::DOMAIN_CHECKPOINT_GET_XML_DESC
        | procs::DOMAIN_MANAGED_SAVE_GET_XML_DESC => 4,
        procs::DOMAIN_INTERFACE_ADDRESSES => 8,
        _ => return 0,
    };
    let n = payload.len();
    if n < from_end {
        return 0;
    }
    let w = &payload[n - from_end..n - from_end + 4];
    u32::from_be_bytes([w[0], w[1], w[2], w[3]])
}

impl RemoteSession {
    fn conn(&self) -> Result<Arc<dyn HypervisorConnection>> {
        self.conn
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .ok_or_else(not_open)
    }
}

/// Encodes domain events for one client and queues them as MESSAGE frames.
fn spawn_event_forwarder(
    client: Weak<Client>,
    mut rx: mpsc::UnboundedReceiver<oxvirt_driver::events::Delivery>,
) {
    tokio::spawn(async move {
        while let Some((callback_id, ev)) = rx.recv().await {
            let Some(c) = client.upgrade() else { return };
            if let Some(bytes) = encode_event(callback_id, ev) {
                c.send_async(bytes);
            }
        }
    });
}

fn event_frame(proc_: i32, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let h = Header {
        prog: remote::PROGRAM,
        vers: remote::VERSION,
        proc_,
        type_: MessageType::Message,
        // libvirtd sends every event with serial 1; clients ignore it.
        serial: 1,
        status: Status::Ok,
    };
    frame::encode(&h, body)
}

fn encode_event(callback_id: i32, ev: DomainEvent) -> Option<Vec<u8>> {
    let dom = to_wire(ev.dom);
    Some(match ev.kind {
        DomainEventKind::Lifecycle { event, detail } => {
            event_frame(procs::DOMAIN_EVENT_CALLBACK_LIFECYCLE, |o| {
                DomainEventCallbackLifecycleMsg {
                    callbackID: callback_id,
                    msg: DomainEventLifecycleMsg { dom, event, detail },
                }
                .encode(o)
            })
        }
        DomainEventKind::Reboot => event_frame(procs::DOMAIN_EVENT_CALLBACK_REBOOT, |o| {
            DomainEventCallbackRebootMsg {
                callbackID: callback_id,
                msg: DomainEventRebootMsg { dom },
            }
            .encode(o)
        }),
    })
}

impl RemoteHandler {
    /// Passes a call of a driver family this daemon lacks to the daemon that
    /// has it (modular deployments); `None` when the call is handled here.
    async fn pass_on(
        &self,
        client: &Arc<Client>,
        session: &Arc<RemoteSession>,
        frame: &Frame,
    ) -> Option<Outcome> {
        let run_dir = self.secondary.as_ref()?;
        let h = frame.header;
        let (daemon, scheme) = secondary::target(table::proc_info(h.proc_)?.family)?;
        // Only once a hypervisor connection is open, and never for the test
        // driver, whose objects are its own.
        session.conn.lock().ok()?.as_ref()?;
        let opened = session.scheme.lock().ok()?.clone()?;
        if opened == "test" || opened == scheme {
            return None;
        }
        if client.is_readonly() && table::readonly_denied_with_flags(h.proc_, 0) {
            return Some(Outcome::Reply(reply_error(
                &h,
                &table::readonly_error(h.proc_),
            )));
        }
        let call = Frame {
            header: h,
            payload: frame.payload.clone(),
            fds: vec![],
        };
        match session
            .links
            .forward(client, run_dir, self.privileged, daemon, scheme, call)
            .await
        {
            Ok(()) => Some(Outcome::Nothing),
            Err(e) => Some(Outcome::Reply(reply_error(&h, &e))),
        }
    }
}

impl Handler for RemoteHandler {
    type Session = RemoteSession;

    fn new_session(&self, client: &Arc<Client>) -> RemoteSession {
        RemoteSession {
            conn: Mutex::new(None),
            scheme: Mutex::new(None),
            links: secondary::Links::default(),
            sasl: Mutex::new(None),
            storage: storage::StorageSession::default(),
            close_callback: AtomicBool::new(false),
            events: Mutex::new(EventState::default()),
            client: Arc::downgrade(client),
        }
    }

    fn has_program(&self, prog: u32, vers: u32) -> bool {
        vers == 1 && (prog == remote::PROGRAM || prog == qemu::PROGRAM || prog == lxc::PROGRAM)
    }

    fn is_priority(&self, prog: u32, proc_: i32) -> bool {
        prog == remote::PROGRAM && table::proc_info(proc_).is_some_and(|i| i.priority)
    }

    /// High-priority procedures never wait on a guest, so they run on the
    /// connection's task; destroy is the exception (it waits for the process
    /// to go away).
    fn is_inline(&self, prog: u32, proc_: i32) -> bool {
        self.is_priority(prog, proc_)
            && !matches!(proc_, procs::DOMAIN_DESTROY | procs::DOMAIN_DESTROY_FLAGS)
            && (table::proc_info(proc_).is_none_or(|i| i.family != ErrorDomain::STORAGE)
                || storage::is_cheap(proc_))
    }

    fn allowed_unauthenticated(&self, prog: u32, proc_: i32) -> bool {
        prog == remote::PROGRAM
            && matches!(
                proc_,
                procs::AUTH_LIST
                    | procs::AUTH_SASL_INIT
                    | procs::AUTH_SASL_START
                    | procs::AUTH_SASL_STEP
                    | procs::AUTH_POLKIT
            )
    }

    async fn call(
        &self,
        client: &Arc<Client>,
        session: &Arc<RemoteSession>,
        frame: Frame,
    ) -> Outcome {
        let h = frame.header;
        if h.prog != remote::PROGRAM {
            return Outcome::Reply(reply_error(&h, &Error::unknown_procedure(h.proc_)));
        }
        if let Some(outcome) = self.pass_on(client, session, &frame).await {
            return outcome;
        }
        let mut buf = frame::begin();
        let stream = Mutex::new(None);
        match self
            .dispatch(client, session, &frame, &mut buf, &stream)
            .await
        {
            Ok(()) => {
                frame::finish(&mut buf, &h.reply_to());
                if let Some(ds) = stream.into_inner().ok().flatten() {
                    stream::spawn(client.clone(), h, buf, ds);
                    Outcome::Nothing
                } else if h.proc_ == procs::CONNECT_CLOSE {
                    Outcome::ReplyThenClose(buf)
                } else {
                    Outcome::Reply(buf)
                }
            }
            Err(e) => Outcome::Reply(reply_error(&h, &e)),
        }
    }
}
