//! A generic libvirt RPC server.
//!
//! How a request travels:
//! 1. [`Server::serve_unix`] accepts a connection while the server is under its
//!    `max_clients` (and, for unauthenticated services, `max_anonymous_clients`)
//!    limits, and starts one reader and one writer task for it.
//! 2. The reader decodes frames. Keepalive messages are answered on the spot,
//!    stream packets go to the stream they belong to, and every CALL is checked
//!    (status, program, authentication) and then spawned as its own task once
//!    the client is under `max_client_requests`.
//! 3. The call task takes a worker slot (`max_workers`, or for high-priority
//!    procedures the `prio_workers` pool when the main one is full), runs the
//!    [`Handler`], and queues the reply for the writer.
//! 4. The writer drains its bounded queue and writes frames in batches.
//!
//! A slow call therefore blocks neither the reader (keepalive keeps flowing) nor
//! other clients, and a client that stops reading its events is disconnected
//! rather than growing the daemon's memory.

use crate::frame::{self, Frame, FrameError};
use crate::io::{FrameReader, RecvHalf, SendHalf};
use crate::stream::StreamRegistry;
use oxvirt_core::Error;
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::keepalive;
use std::collections::BTreeMap;
use std::future::Future;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::UnixListener;
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

/// How a client reached the server (the admin API's transport numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Unix = 0,
    Tcp = 1,
    Tls = 2,
}

/// The authentication scheme of a listening socket (wire numbers of AUTH_LIST).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    None = 0,
    Sasl = 1,
    Polkit = 2,
}

/// One listening socket's properties.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    pub readonly: bool,
    pub auth: AuthScheme,
    pub transport: Transport,
}

/// Peer credentials of a UNIX client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerCred {
    pub uid: u32,
    pub gid: u32,
    pub pid: Option<i32>,
}

/// Limits and keepalive settings of one server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub name: String,
    pub min_workers: usize,
    pub max_workers: usize,
    pub prio_workers: usize,
    pub max_clients: usize,
    pub max_anonymous_clients: usize,
    pub max_client_requests: usize,
    /// Seconds; negative disables probing (PINGs are still answered).
    pub keepalive_interval: i32,
    pub keepalive_count: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            name: "libvirtd".into(),
            min_workers: 5,
            max_workers: 20,
            prio_workers: 5,
            max_clients: 5000,
            max_anonymous_clients: 20,
            max_client_requests: 5,
            keepalive_interval: 5,
            keepalive_count: 5,
        }
    }
}

/// What a handler wants done after a call.
pub enum Outcome {
    /// Send this complete frame.
    Reply(Vec<u8>),
    /// Send this frame and its descriptors.
    ReplyWithFds(Vec<u8>, Vec<OwnedFd>),
    /// Send this frame, flush, then close the connection (CONNECT_CLOSE).
    ReplyThenClose(Vec<u8>),
    /// Send nothing.
    Nothing,
}

/// The program-specific part of a server.
pub trait Handler: Send + Sync + 'static {
    /// Per-connection state.
    type Session: Send + Sync + 'static;

    /// Creates the state of a newly accepted client.
    fn new_session(&self, client: &Arc<Client>) -> Self::Session;

    /// Whether (prog, vers) is served; others get "Cannot find program".
    fn has_program(&self, prog: u32, vers: u32) -> bool;

    /// Whether a procedure may use the priority worker pool.
    fn is_priority(&self, prog: u32, proc_: i32) -> bool;

    /// Whether a procedure is cheap and never waits on a guest, so that it may
    /// run on the connection's own task without a hand-off.
    fn is_inline(&self, _prog: u32, _proc: i32) -> bool {
        false
    }

    /// Whether a procedure may be called before authentication.
    fn allowed_unauthenticated(&self, prog: u32, proc_: i32) -> bool;

    /// Runs one call.
    fn call(
        &self,
        client: &Arc<Client>,
        session: &Arc<Self::Session>,
        frame: Frame,
    ) -> impl Future<Output = Outcome> + Send;
}

/// Messages for a connection's writer task.
enum Outgoing {
    Frame(Vec<u8>),
    WithFds(Vec<u8>, Vec<OwnedFd>),
    Close,
}

/// A connection's socket halves and outbound queue, owned by its task.
struct Connection<R, W> {
    reader: FrameReader<R>,
    w: W,
    out_rx: mpsc::Receiver<Outgoing>,
    batch: Vec<u8>,
}

impl<R: RecvHalf, W: SendHalf> Connection<R, W> {
    /// Writes one queued message, batching the frames queued behind it into
    /// the same write. False when the connection must end.
    async fn write(&mut self, m: Outgoing) -> bool {
        let mut next = Some(m);
        while let Some(m) = next.take() {
            match m {
                Outgoing::Frame(b) => match self.out_rx.try_recv() {
                    // The common case: one frame, written without a copy.
                    Err(_) if self.batch.is_empty() => return self.w.send(&b, &[]).await.is_ok(),
                    Ok(more) => {
                        self.batch.extend_from_slice(&b);
                        if self.batch.len() >= 256 * 1024 && !self.flush().await {
                            return false;
                        }
                        next = Some(more);
                    }
                    Err(_) => {
                        self.batch.extend_from_slice(&b);
                        if !self.flush().await {
                            return false;
                        }
                    }
                },
                Outgoing::WithFds(b, fds) => {
                    if !self.flush().await || self.w.send(&b, &fds).await.is_err() {
                        return false;
                    }
                }
                Outgoing::Close => {
                    self.flush().await;
                    return false;
                }
            }
        }
        self.flush().await
    }

    /// Writes a message received from the queue; `None` (queue closed) ends
    /// the connection.
    async fn write_opt(&mut self, m: Option<Outgoing>) -> bool {
        match m {
            Some(m) => self.write(m).await,
            None => false,
        }
    }

    async fn flush(&mut self) -> bool {
        if self.batch.is_empty() {
            return true;
        }
        let ok = self.w.send(&self.batch, &[]).await.is_ok();
        self.batch.clear();
        if self.batch.capacity() > 1024 * 1024 {
            self.batch = Vec::new();
        }
        ok
    }

    async fn write_frame(&mut self, b: Vec<u8>) -> bool {
        self.w.send(&b, &[]).await.is_ok()
    }

    /// Writes a handler's outcome; false when the connection must end.
    async fn write_outcome(&mut self, o: Outcome) -> bool {
        match o {
            Outcome::Reply(b) => self.write_frame(b).await,
            Outcome::ReplyWithFds(b, fds) => self.w.send(&b, &fds).await.is_ok(),
            Outcome::ReplyThenClose(b) => {
                self.write_frame(b).await;
                false
            }
            Outcome::Nothing => true,
        }
    }
}

/// Capacity of a client's outbound queue, in frames.
const OUT_QUEUE: usize = 512;

/// One connected client, shared by its reader, writer, call tasks and the
/// handler's session.
pub struct Client {
    pub id: u64,
    /// Unix seconds of the connection.
    pub timestamp: i64,
    pub service: Service,
    pub peer: Option<PeerCred>,
    /// "ip;port" for TCP clients.
    pub sock_addr: Option<String>,
    authenticated: AtomicBool,
    readonly: AtomicBool,
    keepalive_started: AtomicBool,
    /// Milliseconds since `epoch` of the last frame received.
    last_rx: AtomicU64,
    epoch: Instant,
    out: mpsc::Sender<Outgoing>,
    closed: watch::Sender<bool>,
    streams: StreamRegistry,
    in_flight: AtomicUsize,
    anon_permit: Mutex<Option<OwnedSemaphorePermit>>,
    relay: Mutex<Option<mpsc::Sender<Frame>>>,
    layer: Arc<crate::io::LayerSlot>,
    pending_layer: Mutex<Option<Arc<dyn crate::io::Layer>>>,
}

impl Client {
    /// Whether the client may call everything.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated.load(Ordering::Acquire)
    }

    /// Marks the client authenticated and frees its anonymous-client slot.
    pub fn set_authenticated(&self) {
        self.authenticated.store(true, Ordering::Release);
        if let Ok(mut p) = self.anon_permit.lock() {
            p.take();
        }
    }

    /// From now on, hands every CALL and stream packet of this client to `tx`
    /// instead of the handler (a proxy relaying to another daemon). Keepalive
    /// stays local.
    pub fn set_relay(&self, tx: mpsc::Sender<Frame>) {
        if let Ok(mut r) = self.relay.lock() {
            *r = Some(tx);
        }
    }

    fn relay(&self) -> Option<mpsc::Sender<Frame>> {
        self.relay.lock().ok().and_then(|r| r.clone())
    }

    /// Installs a security layer (SASL) right after the reply of the current
    /// call has been written in the clear.
    pub fn set_layer_after_reply(&self, layer: Arc<dyn crate::io::Layer>) {
        if let Ok(mut p) = self.pending_layer.lock() {
            *p = Some(layer);
        }
    }

    fn activate_pending_layer(&self) {
        let pending = self.pending_layer.lock().ok().and_then(|mut p| p.take());
        if let Some(l) = pending {
            self.layer.install(l);
        }
    }

    /// Queues a frame and its descriptors, waiting for room.
    pub async fn send_with_fds(&self, bytes: Vec<u8>, fds: Vec<OwnedFd>) -> bool {
        if fds.is_empty() {
            return self.send(bytes).await;
        }
        self.out.send(Outgoing::WithFds(bytes, fds)).await.is_ok()
    }

    /// Whether the client may only read (read-only socket, or it asked).
    pub fn is_readonly(&self) -> bool {
        self.readonly.load(Ordering::Acquire)
    }

    /// Makes the client read-only (it opened with the read-only flag).
    pub fn set_readonly(&self) {
        self.readonly.store(true, Ordering::Release);
    }

    /// Queues a frame, waiting for room. Returns false if the client is gone.
    pub async fn send(&self, bytes: Vec<u8>) -> bool {
        self.out.send(Outgoing::Frame(bytes)).await.is_ok()
    }

    /// Queues an asynchronous message (event). A client whose queue is full is
    /// not reading; it is disconnected instead of buffering without bound.
    pub fn send_async(&self, bytes: Vec<u8>) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.out.try_send(Outgoing::Frame(bytes)) {
            self.close();
        }
    }

    /// Asks the connection to close.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Whether the connection has closed or been asked to.
    pub fn is_closed(&self) -> bool {
        *self.closed.borrow() || self.out.is_closed()
    }

    /// Resolves when the connection closes.
    pub async fn closed(&self) {
        let mut rx = self.closed.subscribe();
        wait_true(&mut rx).await;
    }

    /// Stream registry of this client.
    pub fn streams(&self) -> &StreamRegistry {
        &self.streams
    }

    /// Number of calls of this client being processed.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    fn touch(&self) {
        self.last_rx
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Starts sending keepalive PINGs after `interval` seconds without traffic;
    /// after `count` unanswered ones the client is dropped. Idempotent.
    pub fn start_keepalive(self: &Arc<Self>, interval: i32, count: u32) {
        if interval <= 0 || self.keepalive_started.swap(true, Ordering::AcqRel) {
            return;
        }
        let weak = Arc::downgrade(self);
        let period = interval as u64 * 1000;
        tokio::spawn(async move {
            let mut missed = 0u32;
            let mut last_ping = 0u64;
            loop {
                let (now, last) = {
                    let Some(c) = weak.upgrade() else { return };
                    if c.is_closed() {
                        return;
                    }
                    (
                        c.epoch.elapsed().as_millis() as u64,
                        c.last_rx.load(Ordering::Relaxed),
                    )
                };
                // Anything received since our last PING answers it.
                if missed > 0 && last >= last_ping {
                    missed = 0;
                }
                let next = if missed == 0 {
                    last + period
                } else {
                    last_ping + period
                };
                if now < next {
                    tokio::time::sleep(Duration::from_millis(next - now)).await;
                    continue;
                }
                let Some(c) = weak.upgrade() else { return };
                if missed >= count {
                    log::info!("client {}: no keepalive answer, closing", c.id);
                    c.close();
                    return;
                }
                c.send_async(keepalive_frame(keepalive::PROC_PING));
                last_ping = now;
                missed += 1;
            }
        });
    }
}

fn keepalive_frame(proc_: i32) -> Vec<u8> {
    let h = Header {
        prog: keepalive::PROGRAM,
        vers: keepalive::VERSION,
        proc_,
        type_: MessageType::Message,
        serial: 0,
        status: Status::Ok,
    };
    frame::encode(&h, |_| {})
}

/// Builds a successful REPLY to `call` whose payload is written by `body`.
pub fn reply_ok(call: &Header, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    frame::encode(&call.reply_to(), body)
}

/// Builds an ERROR REPLY to `call`.
pub fn reply_error(call: &Header, err: &Error) -> Vec<u8> {
    let h = Header {
        status: Status::Error,
        ..call.reply_to()
    };
    frame::encode(&h, |out| oxvirt_protocol::error::encode_error(err, out))
}

/// Counters and limits that the admin API reads and changes at run time.
pub struct Limits {
    pub min_workers: AtomicUsize,
    pub max_workers: AtomicUsize,
    pub prio_workers: AtomicUsize,
    pub max_clients: AtomicUsize,
    pub max_anonymous_clients: AtomicUsize,
    pub max_client_requests: usize,
    pub keepalive_interval: i32,
    pub keepalive_count: u32,
}

/// A server: a set of listeners sharing limits, clients and a handler.
pub struct Server<H: Handler> {
    pub name: String,
    handler: Arc<H>,
    pub limits: Limits,
    workers: Arc<Semaphore>,
    prio: Arc<Semaphore>,
    client_slots: Arc<Semaphore>,
    anon_slots: Arc<Semaphore>,
    busy_workers: AtomicUsize,
    queued_jobs: AtomicUsize,
    next_client_id: AtomicU64,
    clients: Mutex<BTreeMap<u64, Arc<Client>>>,
    unauth_clients: AtomicU32,
    changed: tokio::sync::Notify,
}

/// A snapshot of a server's worker pool (admin `server-threadpool-info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadpoolInfo {
    pub min_workers: usize,
    pub max_workers: usize,
    pub n_workers: usize,
    pub free_workers: usize,
    pub prio_workers: usize,
    pub job_queue_depth: usize,
}

impl<H: Handler> Server<H> {
    pub fn new(config: ServerConfig, handler: Arc<H>) -> Arc<Self> {
        Arc::new(Server {
            name: config.name.clone(),
            handler,
            workers: Arc::new(Semaphore::new(config.max_workers.max(1))),
            prio: Arc::new(Semaphore::new(config.prio_workers)),
            client_slots: Arc::new(Semaphore::new(config.max_clients)),
            anon_slots: Arc::new(Semaphore::new(config.max_anonymous_clients)),
            limits: Limits {
                min_workers: AtomicUsize::new(config.min_workers),
                max_workers: AtomicUsize::new(config.max_workers.max(1)),
                prio_workers: AtomicUsize::new(config.prio_workers),
                max_clients: AtomicUsize::new(config.max_clients),
                max_anonymous_clients: AtomicUsize::new(config.max_anonymous_clients),
                max_client_requests: config.max_client_requests.max(1),
                keepalive_interval: config.keepalive_interval,
                keepalive_count: config.keepalive_count,
            },
            busy_workers: AtomicUsize::new(0),
            queued_jobs: AtomicUsize::new(0),
            next_client_id: AtomicU64::new(0),
            clients: Mutex::new(BTreeMap::new()),
            unauth_clients: AtomicU32::new(0),
            changed: tokio::sync::Notify::new(),
        })
    }

    /// The handler.
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Connected clients, oldest first.
    pub fn clients(&self) -> Vec<Arc<Client>> {
        self.lock_clients().values().cloned().collect()
    }

    /// One client by id.
    pub fn client(&self, id: u64) -> Option<Arc<Client>> {
        self.lock_clients().get(&id).cloned()
    }

    /// Number of connected clients.
    pub fn client_count(&self) -> usize {
        self.lock_clients().len()
    }

    /// Number of connected clients not yet authenticated.
    pub fn unauth_client_count(&self) -> usize {
        self.lock_clients()
            .values()
            .filter(|c| !c.is_authenticated())
            .count()
    }

    /// Resolves the next time a client connects or disconnects.
    pub async fn client_change(&self) {
        self.changed.notified().await
    }

    fn lock_clients(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Client>>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Worker pool figures.
    pub fn threadpool_info(&self) -> ThreadpoolInfo {
        let max = self.limits.max_workers.load(Ordering::Relaxed);
        let busy = self.busy_workers.load(Ordering::Relaxed);
        ThreadpoolInfo {
            min_workers: self.limits.min_workers.load(Ordering::Relaxed),
            max_workers: max,
            n_workers: max,
            free_workers: max.saturating_sub(busy),
            prio_workers: self.limits.prio_workers.load(Ordering::Relaxed),
            job_queue_depth: self.queued_jobs.load(Ordering::Relaxed),
        }
    }

    /// Changes worker limits; `None` keeps a value. Errors follow libvirt's rules.
    pub fn set_threadpool(
        &self,
        min: Option<usize>,
        max: Option<usize>,
        prio: Option<usize>,
    ) -> Result<(), String> {
        let cur_min = self.limits.min_workers.load(Ordering::Relaxed);
        let cur_max = self.limits.max_workers.load(Ordering::Relaxed);
        let new_min = min.unwrap_or(cur_min);
        let new_max = max.unwrap_or(cur_max);
        if new_max == 0 {
            return Err("maxWorkers must be greater than 0".into());
        }
        if new_min > new_max {
            return Err("minWorkers must be less than or equal to maxWorkers".into());
        }
        resize(&self.workers, cur_max, new_max);
        self.limits.min_workers.store(new_min, Ordering::Relaxed);
        self.limits.max_workers.store(new_max, Ordering::Relaxed);
        if let Some(p) = prio {
            let cur = self.limits.prio_workers.swap(p, Ordering::Relaxed);
            resize(&self.prio, cur, p);
        }
        Ok(())
    }

    /// Changes client limits; `None` keeps a value.
    pub fn set_client_limits(
        &self,
        max: Option<usize>,
        max_unauth: Option<usize>,
    ) -> Result<(), String> {
        let cur_max = self.limits.max_clients.load(Ordering::Relaxed);
        let cur_unauth = self.limits.max_anonymous_clients.load(Ordering::Relaxed);
        let new_max = max.unwrap_or(cur_max);
        let new_unauth = max_unauth.unwrap_or(cur_unauth);
        if new_unauth > new_max {
            return Err(
                "The overall maximum number of clients must be greater than the maximum number of clients waiting for authentication"
                    .into(),
            );
        }
        resize(&self.client_slots, cur_max, new_max);
        resize(&self.anon_slots, cur_unauth, new_unauth);
        self.limits.max_clients.store(new_max, Ordering::Relaxed);
        self.limits
            .max_anonymous_clients
            .store(new_unauth, Ordering::Relaxed);
        Ok(())
    }

    /// Accepts clients on `listener` until `shutdown` turns true.
    pub async fn serve_unix(
        self: Arc<Self>,
        listener: UnixListener,
        service: Service,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            let slot = tokio::select! {
                p = self.client_slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => return },
                _ = wait_true(&mut shutdown) => return,
            };
            let anon = if service.auth == AuthScheme::None {
                None
            } else {
                tokio::select! {
                    p = self.anon_slots.clone().acquire_owned() => p.ok(),
                    _ = wait_true(&mut shutdown) => return,
                }
            };
            let accepted = tokio::select! {
                r = listener.accept() => r,
                _ = wait_true(&mut shutdown) => return,
            };
            let (stream, _) = match accepted {
                Ok(s) => s,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning.
                    log::warn!("{}: accept failed: {e}", self.name);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let peer = stream.peer_cred().ok().map(|c| PeerCred {
                uid: c.uid(),
                gid: c.gid(),
                pid: c.pid(),
            });
            let (r, w) = stream.into_split();
            let server = self.clone();
            tokio::spawn(async move {
                server
                    .run_client(r, w, service, peer, None, slot, anon)
                    .await;
            });
        }
    }

    /// Serves one already-connected client (used for TCP/TLS and by tests).
    pub async fn serve_connection<R: RecvHalf, W: SendHalf>(
        self: Arc<Self>,
        r: R,
        w: W,
        service: Service,
        peer: Option<PeerCred>,
        sock_addr: Option<String>,
    ) {
        let Ok(slot) = self.client_slots.clone().acquire_owned().await else {
            return;
        };
        self.run_client(r, w, service, peer, sock_addr, slot, None)
            .await;
    }

    #[allow(clippy::too_many_arguments)]
    async fn run_client<R: RecvHalf, W: SendHalf>(
        self: Arc<Self>,
        r: R,
        w: W,
        service: Service,
        peer: Option<PeerCred>,
        sock_addr: Option<String>,
        _slot: OwnedSemaphorePermit,
        anon: Option<OwnedSemaphorePermit>,
    ) {
        let (out_tx, out_rx) = mpsc::channel(OUT_QUEUE);
        let (closed_tx, closed_rx) = watch::channel(false);
        let layer = Arc::new(crate::io::LayerSlot::default());
        // The socket's own scheme decides; polkit lets root straight in.
        let authenticated = match service.auth {
            AuthScheme::None => true,
            AuthScheme::Polkit => peer.is_some_and(|p| p.uid == 0),
            AuthScheme::Sasl => false,
        };
        let client = Arc::new(Client {
            id: self.next_client_id.fetch_add(1, Ordering::Relaxed),
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
            service,
            peer,
            sock_addr,
            authenticated: AtomicBool::new(authenticated),
            readonly: AtomicBool::new(service.readonly),
            keepalive_started: AtomicBool::new(false),
            last_rx: AtomicU64::new(0),
            epoch: Instant::now(),
            out: out_tx,
            closed: closed_tx,
            streams: StreamRegistry::default(),
            in_flight: AtomicUsize::new(0),
            anon_permit: Mutex::new(if authenticated { None } else { anon }),
            relay: Mutex::new(None),
            layer: layer.clone(),
            pending_layer: Mutex::new(None),
        });
        if !authenticated {
            self.unauth_clients.fetch_add(1, Ordering::Relaxed);
        }
        self.lock_clients().insert(client.id, client.clone());
        self.changed.notify_waiters();

        let session = Arc::new(self.handler.new_session(&client));
        let requests = Arc::new(Semaphore::new(self.limits.max_client_requests));
        let mut conn = Connection {
            reader: FrameReader::new(crate::io::Layered::new(r, layer.clone())),
            w: crate::io::Layered::new(w, layer),
            out_rx,
            batch: Vec::new(),
        };
        self.serve_client(&client, &session, &mut conn, closed_rx, &requests)
            .await;
        // Flush what is already queued (e.g. the reply to CONNECT_CLOSE).
        conn.out_rx.close();
        while let Ok(m) = conn.out_rx.try_recv() {
            if !conn.write(m).await {
                break;
            }
        }

        client.close();
        client.streams.abort_all();
        self.lock_clients().remove(&client.id);
        self.changed.notify_waiters();
    }

    /// The connection's single task: reads frames and writes everything the
    /// client is sent. Cheap calls run right here, so a query costs one read,
    /// one write and no task hand-off; other calls are spawned and their replies
    /// come back through the outbound queue.
    async fn serve_client<R: RecvHalf, W: SendHalf>(
        self: &Arc<Self>,
        client: &Arc<Client>,
        session: &Arc<H::Session>,
        conn: &mut Connection<R, W>,
        mut closed: watch::Receiver<bool>,
        requests: &Arc<Semaphore>,
    ) {
        loop {
            let frame = tokio::select! {
                biased;
                _ = wait_true(&mut closed) => return,
                m = conn.out_rx.recv() => {
                    if conn.write_opt(m).await {
                        continue;
                    }
                    return;
                }
                f = conn.reader.read_frame() => f,
            };
            let frame = match frame {
                Ok(f) => f,
                Err(FrameError::Closed) => return,
                Err(e) => {
                    log::info!("client {}: dropping connection: {e}", client.id);
                    return;
                }
            };
            client.touch();
            let h = frame.header;
            match h.type_ {
                MessageType::Message
                    if h.prog == keepalive::PROGRAM && h.proc_ == keepalive::PROC_PING =>
                {
                    let pong = keepalive_frame(keepalive::PROC_PONG);
                    let written = conn.write_frame(pong).await;
                    if !written {
                        return;
                    }
                }
                MessageType::Call
                | MessageType::CallWithFds
                | MessageType::Stream
                | MessageType::StreamHole
                    if client.relay().is_some() =>
                {
                    let Some(relay) = client.relay() else {
                        continue;
                    };
                    let send = relay.send(frame);
                    tokio::pin!(send);
                    loop {
                        tokio::select! {
                            r = &mut send => {
                                if r.is_err() {
                                    return;
                                }
                                break;
                            }
                            m = conn.out_rx.recv() => if !conn.write_opt(m).await {
                                return;
                            },
                        }
                    }
                }
                MessageType::Stream | MessageType::StreamHole => {
                    // The stream's consumer may itself be waiting to send to
                    // this client: keep writing while the packet waits for room.
                    let route = client.streams.route(&frame);
                    tokio::pin!(route);
                    loop {
                        tokio::select! {
                            () = &mut route => break,
                            m = conn.out_rx.recv() => if !conn.write_opt(m).await {
                                return;
                            },
                        }
                    }
                }
                MessageType::Call | MessageType::CallWithFds => {
                    if let Some(err) = self.precheck(client, &h) {
                        if !conn.write_frame(reply_error(&h, &err)).await {
                            return;
                        }
                        continue;
                    }
                    if self.handler.is_inline(h.prog, h.proc_) {
                        client.in_flight.fetch_add(1, Ordering::Relaxed);
                        let outcome = self.handler.call(client, session, frame).await;
                        client.in_flight.fetch_sub(1, Ordering::Relaxed);
                        if !conn.write_outcome(outcome).await {
                            return;
                        }
                        client.activate_pending_layer();
                        continue;
                    }
                    // Wait for a request slot, still writing what others queue
                    // (the calls holding the slots may be waiting on that).
                    let acquire = requests.clone().acquire_owned();
                    tokio::pin!(acquire);
                    let permit = loop {
                        tokio::select! {
                            p = &mut acquire => match p {
                                Ok(p) => break p,
                                Err(_) => return,
                            },
                            m = conn.out_rx.recv() => if !conn.write_opt(m).await {
                                return;
                            },
                            _ = wait_true(&mut closed) => return,
                        }
                    };
                    let priority = self.handler.is_priority(h.prog, h.proc_);
                    let server = self.clone();
                    let client = client.clone();
                    let session = session.clone();
                    client.in_flight.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(async move {
                        let _permit = permit;
                        let outcome = server.run_call(&client, &session, frame, priority).await;
                        client.in_flight.fetch_sub(1, Ordering::Relaxed);
                        let msgs = match outcome {
                            Outcome::Reply(b) => vec![Outgoing::Frame(b)],
                            Outcome::ReplyWithFds(b, fds) => vec![Outgoing::WithFds(b, fds)],
                            Outcome::ReplyThenClose(b) => {
                                vec![Outgoing::Frame(b), Outgoing::Close]
                            }
                            Outcome::Nothing => vec![],
                        };
                        for m in msgs {
                            if client.out.send(m).await.is_err() {
                                return;
                            }
                        }
                    });
                }
                // Replies, stray messages and unknown programs' messages are ignored.
                _ => {}
            }
        }
    }

    /// Checks a CALL before it is dispatched; `Some` is the error to reply.
    fn precheck(&self, client: &Client, h: &Header) -> Option<Error> {
        if h.status != Status::Ok {
            return Some(Error::rpc(format!(
                "Unexpected message status {}",
                h.status as i32
            )));
        }
        if !self.handler.has_program(h.prog, h.vers) {
            return Some(Error::rpc(format!(
                "Cannot find program {} version {}",
                h.prog, h.vers
            )));
        }
        if !client.is_authenticated() && !self.handler.allowed_unauthenticated(h.prog, h.proc_) {
            return Some(Error::rpc("authentication required"));
        }
        None
    }

    async fn run_call(
        &self,
        client: &Arc<Client>,
        session: &Arc<H::Session>,
        frame: Frame,
        priority: bool,
    ) -> Outcome {
        self.queued_jobs.fetch_add(1, Ordering::Relaxed);
        let permit = if priority {
            match self.workers.clone().try_acquire_owned() {
                Ok(p) => Ok(p),
                Err(_) => tokio::select! {
                    p = self.workers.clone().acquire_owned() => p,
                    p = self.prio.clone().acquire_owned() => p,
                },
            }
        } else {
            self.workers.clone().acquire_owned().await
        };
        self.queued_jobs.fetch_sub(1, Ordering::Relaxed);
        let _permit = match permit {
            Ok(p) => p,
            Err(_) => return Outcome::Nothing,
        };
        self.busy_workers.fetch_add(1, Ordering::Relaxed);
        let outcome = self.handler.call(client, session, frame).await;
        self.busy_workers.fetch_sub(1, Ordering::Relaxed);
        outcome
    }
}

/// Grows or shrinks a pool. Shrinking retires idle permits only; permits in
/// use stay until their calls finish (a later shrink retires them).
fn resize(sem: &Semaphore, from: usize, to: usize) {
    if to > from {
        sem.add_permits(to - from);
    } else if from > to {
        sem.forget_permits(from - to);
    }
}

/// Resolves once the flag is true (or its sender is gone).
async fn wait_true(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}
