//! One connection's message engine: serials, reply matching, events, streams
//! and keepalive, over any byte transport.
//!
//! 1. A call takes the next serial (the first is 0), registers a waiter under
//!    it, and queues its frame for the writer task.
//! 2. The reader task reads frames. A REPLY wakes the waiter with that serial;
//!    a keepalive PING is answered with a PONG at once; a MESSAGE goes to the
//!    connection's event sink; STREAM and STREAM_HOLE packets go to the
//!    stream opened by the call with that serial.
//! 3. When the transport fails, every waiter and stream gets the error
//!    libvirt's client reports for it (`End of file while reading data: …`),
//!    and every later call fails with `client socket is closed`.
//!
//! Keepalive follows libvirt's client: once started with (interval, count),
//! a PING is sent whenever `interval` seconds pass without any frame from the
//! daemon, and after `count` unanswered PINGs the connection is closed.

use crate::error;
use oxvirt_core::{Error, ErrorDomain, Result};
use oxvirt_protocol::header::{Header, MessageType, Status, StreamHole, LEGACY_PAYLOAD_MAX};
use oxvirt_protocol::keepalive;
use oxvirt_rpc::frame::{self, Frame, FrameError};
use oxvirt_rpc::io::{FrameReader, RecvHalf, SendHalf};
use oxvirt_xdr::Xdr;
use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot, watch};

/// Why a connection closed, as `virConnectCloseReason` numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// A read or write error.
    Error = 0,
    /// The daemon closed the connection.
    Eof = 1,
    /// The daemon stopped answering keepalive PINGs.
    Keepalive = 2,
    /// The client closed it.
    Client = 3,
}

/// A packet received on a stream.
#[derive(Debug)]
pub(crate) enum StreamIn {
    Data(Vec<u8>),
    Hole(i64),
    /// The daemon's end of data (an empty CONTINUE).
    Eof,
    /// The daemon confirmed a finish or abort (STREAM/OK).
    Done,
    /// The daemon failed the stream (STREAM/ERROR) or the connection died.
    Failed(Error),
}

/// An asynchronous message for the connection layer.
pub(crate) enum Incoming {
    /// An event: (program, procedure, payload).
    Event(u32, i32, Vec<u8>),
    /// The connection closed.
    Closed(CloseReason),
}

struct Outgoing {
    bytes: Vec<u8>,
    fds: Vec<OwnedFd>,
}

/// Extra things a transport hands the engine.
#[derive(Default)]
pub(crate) struct TransportExtra {
    /// What the helper process wrote on stderr (ssh, ext), for error messages.
    pub errout: Option<Arc<Mutex<String>>>,
    /// A helper process to stop when the connection closes.
    pub child: Option<std::process::Child>,
}

type Waiter = oneshot::Sender<Result<Frame>>;

struct Shared {
    pending: Mutex<HashMap<u32, Waiter>>,
    streams: Mutex<HashMap<u32, mpsc::UnboundedSender<StreamIn>>>,
    closed: Mutex<Option<Error>>,
    sink: Mutex<Option<mpsc::UnboundedSender<Incoming>>>,
    last_rx: Mutex<Instant>,
    ka_left: AtomicU32,
    ka_count: AtomicU32,
    stop: watch::Sender<bool>,
    errout: Option<Arc<Mutex<String>>>,
    child: Mutex<Option<std::process::Child>>,
    client_closing: AtomicBool,
    /// Whether a caller has been told why the connection closed; later
    /// callers only hear that it is closed, as with libvirt.
    cause_reported: AtomicBool,
}

/// The engine of one connection. Dropping the last handle closes it.
pub(crate) struct Engine {
    out: mpsc::Sender<Outgoing>,
    shared: Arc<Shared>,
    serial: AtomicU32,
    keepalive_started: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn is_closed(&self) -> bool {
        lock(&self.closed).is_some()
    }

    /// Closes the connection once: fails every waiter and stream with `err`
    /// and tells the connection layer why.
    fn shutdown(&self, err: Error, reason: CloseReason) {
        {
            let mut c = lock(&self.closed);
            if c.is_some() {
                return;
            }
            *c = Some(err.clone());
        }
        let _ = self.stop.send(true);
        let waiters: Vec<Waiter> = lock(&self.pending).drain().map(|(_, w)| w).collect();
        // The calls in flight hear the cause; later ones that the socket is
        // closed, as with libvirt.
        self.cause_reported.store(true, Ordering::Release);
        for w in waiters {
            let _ = w.send(Err(err.clone()));
        }
        let streams: Vec<_> = lock(&self.streams).drain().map(|(_, s)| s).collect();
        for s in streams {
            let _ = s.send(StreamIn::Failed(err.clone()));
        }
        let reason = if self.client_closing.load(Ordering::Acquire) {
            CloseReason::Client
        } else {
            reason
        };
        if let Some(sink) = lock(&self.sink).as_ref() {
            let _ = sink.send(Incoming::Closed(reason));
        }
        if let Some(mut child) = lock(&self.child).take() {
            let _ = child.kill();
            std::thread::spawn(move || {
                let _ = child.wait();
            });
        }
    }

    fn errout(&self) -> Option<String> {
        let e = self.errout.as_ref()?;
        // The helper's last words may still be on their way through its pipe.
        std::thread::sleep(Duration::from_millis(50));
        Some(lock(e).trim_end().to_owned())
    }

    fn read_error(&self, e: FrameError) -> (Error, CloseReason) {
        let errout = self.errout();
        match e {
            FrameError::Closed => {
                let detail = match errout {
                    Some(o) => format!("End of file while reading data: {o}"),
                    None => "End of file while reading data".to_owned(),
                };
                (
                    error::system_errno(ErrorDomain::RPC, detail, libc::EIO),
                    CloseReason::Eof,
                )
            }
            FrameError::Io(io) => {
                let detail = match errout {
                    Some(o) => format!("Cannot recv data: {o}"),
                    None => "Cannot recv data".to_owned(),
                };
                (
                    error::system(ErrorDomain::RPC, detail, &io),
                    CloseReason::Error,
                )
            }
            other => (
                Error::rpc(format!("Unable to decode message from server: {other}")),
                CloseReason::Error,
            ),
        }
    }

    fn deliver(&self, f: Frame, out: &mpsc::Sender<Outgoing>) {
        *lock(&self.last_rx) = Instant::now();
        self.ka_left
            .store(self.ka_count.load(Ordering::Relaxed), Ordering::Relaxed);
        let h = f.header;
        match h.type_ {
            MessageType::Message if h.prog == keepalive::PROGRAM => {
                if h.proc_ == keepalive::PROC_PING {
                    let _ = out.try_send(Outgoing {
                        bytes: keepalive_frame(keepalive::PROC_PONG),
                        fds: Vec::new(),
                    });
                }
            }
            MessageType::Reply | MessageType::ReplyWithFds => {
                if let Some(w) = lock(&self.pending).remove(&h.serial) {
                    let _ = w.send(Ok(f));
                }
            }
            MessageType::Message => {
                if let Some(sink) = lock(&self.sink).as_ref() {
                    let _ = sink.send(Incoming::Event(h.prog, h.proc_, f.payload));
                }
            }
            MessageType::Stream | MessageType::StreamHole => self.stream_packet(f),
            MessageType::Call | MessageType::CallWithFds => {}
        }
    }

    fn stream_packet(&self, f: Frame) {
        let h = f.header;
        let mut streams = lock(&self.streams);
        let Some(tx) = streams.get(&h.serial) else {
            return;
        };
        let (item, last) = match (h.type_, h.status) {
            (MessageType::StreamHole, _) => {
                match oxvirt_xdr::from_bytes::<StreamHole>(&f.payload) {
                    Ok(hole) => (StreamIn::Hole(hole.length), false),
                    Err(e) => (StreamIn::Failed(error::decode_failed(e)), true),
                }
            }
            (_, Status::Continue) if f.payload.is_empty() => (StreamIn::Eof, false),
            (_, Status::Continue) => (StreamIn::Data(f.payload), false),
            (_, Status::Ok) => (StreamIn::Done, true),
            (_, Status::Error) => {
                let mut d = oxvirt_xdr::Decoder::new(&f.payload);
                let e = match oxvirt_protocol::error::decode_error(&mut d) {
                    Ok(e) => error::from_remote(e),
                    Err(e) => error::decode_failed(e),
                };
                (StreamIn::Failed(e), true)
            }
        };
        let _ = tx.send(item);
        if last {
            streams.remove(&h.serial);
        }
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

impl Engine {
    /// Starts the reader and writer tasks on the library runtime; must be
    /// called from within it.
    pub(crate) fn start<R: RecvHalf, W: SendHalf>(
        r: R,
        mut w: W,
        extra: TransportExtra,
    ) -> Arc<Engine> {
        let (out_tx, mut out_rx) = mpsc::channel::<Outgoing>(64);
        let (stop_tx, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            pending: Mutex::default(),
            streams: Mutex::default(),
            closed: Mutex::default(),
            sink: Mutex::default(),
            last_rx: Mutex::new(Instant::now()),
            ka_left: AtomicU32::new(0),
            ka_count: AtomicU32::new(0),
            stop: stop_tx,
            errout: extra.errout,
            child: Mutex::new(extra.child),
            client_closing: AtomicBool::new(false),
            cause_reported: AtomicBool::new(false),
        });
        // Like libvirt's client, read only once something was sent: a helper
        // process that dies at once then shows as a reset, not an idle EOF.
        let (sent_tx, mut sent_rx) = watch::channel(false);

        let s = shared.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    m = out_rx.recv() => match m {
                        Some(m) => {
                            if let Err(e) = w.send(&m.bytes, &m.fds).await {
                                let err = error::system(ErrorDomain::RPC, "Cannot write data", &e);
                                s.shutdown(err, CloseReason::Error);
                                break;
                            }
                            let _ = sent_tx.send(true);
                        }
                        None => break,
                    },
                    _ = stop.changed() => break,
                }
            }
        });

        let s = shared.clone();
        let pong = out_tx.clone();
        let mut stop = stop_rx;
        tokio::spawn(async move {
            tokio::select! {
                _ = sent_rx.wait_for(|sent| *sent) => {}
                _ = stop.changed() => return,
            }
            let mut reader = FrameReader::new(r);
            loop {
                tokio::select! {
                    f = reader.read_frame() => match f {
                        Ok(f) => s.deliver(f, &pong),
                        Err(e) => {
                            let closing = s.client_closing.load(Ordering::Acquire);
                            let (err, reason) = if closing {
                                (error::socket_closed(), CloseReason::Client)
                            } else {
                                s.read_error(e)
                            };
                            s.shutdown(err, reason);
                            break;
                        }
                    },
                    _ = stop.changed() => break,
                }
            }
        });

        Arc::new(Engine {
            out: out_tx,
            shared,
            serial: AtomicU32::new(0),
            keepalive_started: AtomicBool::new(false),
        })
    }

    /// Where events and the close notification go.
    pub(crate) fn set_sink(&self, sink: mpsc::UnboundedSender<Incoming>) {
        *lock(&self.shared.sink) = Some(sink);
    }

    /// Whether the connection is still usable.
    pub(crate) fn is_alive(&self) -> bool {
        !self.shared.is_closed()
    }

    /// Marks the connection as being closed by the client, so that the
    /// daemon's hang-up is not reported as an error.
    pub(crate) fn closing(&self) {
        self.shared.client_closing.store(true, Ordering::Release);
    }

    /// Closes the connection now.
    pub(crate) fn close(&self) {
        self.closing();
        self.shared
            .shutdown(error::socket_closed(), CloseReason::Client);
    }

    /// Fails once the connection is closed: the first caller to notice
    /// hears the cause, later ones that the socket is closed.
    fn check_open(&self) -> Result<()> {
        match lock(&self.shared.closed).as_ref() {
            Some(cause) => {
                if self.shared.cause_reported.swap(true, Ordering::AcqRel) {
                    Err(error::socket_closed())
                } else {
                    Err(cause.clone())
                }
            }
            None => Ok(()),
        }
    }

    async fn send(&self, bytes: Vec<u8>, fds: Vec<OwnedFd>) -> Result<()> {
        if self.out.send(Outgoing { bytes, fds }).await.is_err() {
            self.check_open()?;
            return Err(error::socket_closed());
        }
        Ok(())
    }

    /// Sends a CALL with the encoded `args` and waits for the reply frame.
    /// With `stream`, packets for the call's serial are routed to it (from
    /// before the call is sent, so none is missed).
    pub(crate) async fn call_raw(
        &self,
        prog: u32,
        vers: u32,
        proc_: i32,
        args: Vec<u8>,
        fds: Vec<OwnedFd>,
        stream: Option<mpsc::UnboundedSender<StreamIn>>,
    ) -> Result<(Frame, u32)> {
        self.check_open()?;
        let serial = self.serial.fetch_add(1, Ordering::Relaxed);
        let type_ = if fds.is_empty() {
            MessageType::Call
        } else {
            MessageType::CallWithFds
        };
        let h = Header {
            prog,
            vers,
            proc_,
            type_,
            serial,
            status: Status::Ok,
        };
        let nfds = fds.len() as u32;
        let bytes = frame::encode(&h, |out| {
            if nfds > 0 {
                nfds.encode(out);
            }
            out.extend_from_slice(&args);
        });
        if frame::too_big(&bytes) {
            return Err(Error::rpc(format!(
                "message length {} too large for the protocol",
                bytes.len()
            )));
        }
        let (tx, rx) = oneshot::channel();
        lock(&self.shared.pending).insert(serial, tx);
        if let Some(s) = stream {
            lock(&self.shared.streams).insert(serial, s);
        }
        // A connection that closed between the check and the insert has
        // already drained the maps.
        if let Err(e) = self.check_open() {
            lock(&self.shared.pending).remove(&serial);
            lock(&self.shared.streams).remove(&serial);
            return Err(e);
        }
        if let Err(e) = self.send(bytes, fds).await {
            lock(&self.shared.pending).remove(&serial);
            lock(&self.shared.streams).remove(&serial);
            return Err(e);
        }
        let f = match rx.await {
            Ok(r) => r?,
            Err(_) => {
                self.check_open()?;
                return Err(error::socket_closed());
            }
        };
        if f.header.proc_ != proc_ {
            return Err(Error::rpc(format!(
                "Unexpected reply for procedure {} to procedure {proc_}",
                f.header.proc_
            )));
        }
        if f.header.status == Status::Error {
            lock(&self.shared.streams).remove(&serial);
            let mut d = oxvirt_xdr::Decoder::new(&f.payload);
            let e = oxvirt_protocol::error::decode_error(&mut d).map_err(error::decode_failed)?;
            return Err(error::from_remote(e));
        }
        Ok((f, serial))
    }

    /// Calls `proc_` and decodes its reply as `R`.
    pub(crate) async fn call<R: Xdr>(
        &self,
        prog: u32,
        vers: u32,
        proc_: i32,
        args: Vec<u8>,
    ) -> Result<R> {
        let (f, _) = self
            .call_raw(prog, vers, proc_, args, Vec::new(), None)
            .await?;
        oxvirt_xdr::from_bytes(&f.payload).map_err(error::decode_failed)
    }

    /// Sends one stream packet for the stream opened by (`prog`, `proc_`,
    /// `serial`).
    pub(crate) async fn stream_send(
        &self,
        prog: u32,
        proc_: i32,
        serial: u32,
        type_: MessageType,
        status: Status,
        payload: &[u8],
    ) -> Result<()> {
        self.check_open()?;
        let h = Header {
            prog,
            vers: 1,
            proc_,
            type_,
            serial,
            status,
        };
        let bytes = frame::encode(&h, |out| out.extend_from_slice(payload));
        self.send(bytes, Vec::new()).await
    }

    /// Sends stream data in chunks no bigger than libvirt's.
    pub(crate) async fn stream_data(
        &self,
        prog: u32,
        proc_: i32,
        serial: u32,
        data: &[u8],
    ) -> Result<()> {
        for chunk in data.chunks(LEGACY_PAYLOAD_MAX) {
            self.stream_send(
                prog,
                proc_,
                serial,
                MessageType::Stream,
                Status::Continue,
                chunk,
            )
            .await?;
        }
        Ok(())
    }

    /// Stops routing packets for `serial`.
    pub(crate) fn stream_forget(&self, serial: u32) {
        lock(&self.shared.streams).remove(&serial);
    }

    /// Starts libvirt's client keepalive; `count` unanswered PINGs sent
    /// `interval` apart close the connection. Starting twice only updates the
    /// count.
    pub(crate) fn start_keepalive(&self, interval: Duration, count: u32) -> Result<()> {
        self.shared.ka_count.store(count, Ordering::Relaxed);
        self.shared.ka_left.store(count, Ordering::Relaxed);
        if self.keepalive_started.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let s = self.shared.clone();
        let out = self.out.clone();
        let mut stop = self.shared.stop.subscribe();
        crate::runtime::handle()?.spawn(async move {
            loop {
                let since = lock(&s.last_rx).elapsed();
                let wait = interval
                    .saturating_sub(since)
                    .max(Duration::from_millis(50));
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => break,
                }
                if s.is_closed() {
                    break;
                }
                if lock(&s.last_rx).elapsed() < interval {
                    continue;
                }
                if s.ka_left.load(Ordering::Relaxed) == 0 {
                    let err = Error::internal(
                        ErrorDomain::RPC,
                        "connection closed due to keepalive timeout",
                    );
                    s.shutdown(err, CloseReason::Keepalive);
                    break;
                }
                s.ka_left.fetch_sub(1, Ordering::Relaxed);
                *lock(&s.last_rx) = Instant::now();
                let ping = Outgoing {
                    bytes: keepalive_frame(keepalive::PROC_PING),
                    fds: Vec::new(),
                };
                if out.send(ping).await.is_err() {
                    break;
                }
            }
        });
        Ok(())
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shared.client_closing.store(true, Ordering::Release);
        self.shared
            .shutdown(error::socket_closed(), CloseReason::Client);
    }
}
