//! [`Stream`]: the data channel opened by a call such as `vol-upload`,
//! `vol-download` or `console`.
//!
//! The stream belongs to the (procedure, serial) of the call that opened it.
//! Data travels as STREAM/CONTINUE frames of at most 262120 bytes, holes of
//! sparse streams as STREAM_HOLE frames, and the end of the daemon's data as
//! an empty CONTINUE. The side that is done sends STREAM/OK ([`Stream::finish`])
//! or STREAM/ERROR ([`Stream::abort`]) and waits for the daemon's STREAM/OK.

use crate::connect::{enc, ConnInner};
use crate::engine::StreamIn;
use crate::error;
use oxvirt_core::Result;
use oxvirt_protocol::header::{MessageType, Status, StreamHole};
use oxvirt_protocol::remote;
use oxvirt_xdr::Xdr;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, Mutex};

/// What [`Stream::recv`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamData {
    /// Bytes.
    Data(Vec<u8>),
    /// A hole of this many bytes (sparse streams only).
    Hole(u64),
    /// The daemon has no more data.
    Eof,
}

/// An open stream. Dropping it without [`finish`](Stream::finish) aborts it.
pub struct Stream {
    conn: Arc<ConnInner>,
    proc_: i32,
    serial: u32,
    rx: Mutex<mpsc::UnboundedReceiver<StreamIn>>,
    stash: std::sync::Mutex<VecDeque<StreamIn>>,
    done: AtomicBool,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Stream {
    pub(crate) async fn open<A: Xdr>(conn: Arc<ConnInner>, proc_: i32, args: &A) -> Result<Stream> {
        conn.ro_check(proc_, 0)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (_, serial) = conn
            .engine
            .call_raw(remote::PROGRAM, 1, proc_, enc(args), Vec::new(), Some(tx))
            .await?;
        Ok(Stream {
            conn,
            proc_,
            serial,
            rx: Mutex::new(rx),
            stash: std::sync::Mutex::default(),
            done: AtomicBool::new(false),
        })
    }

    /// Fails if the daemon already failed the stream; anything else that
    /// arrived meanwhile is kept for [`recv`](Stream::recv).
    async fn check_failed(&self) -> Result<()> {
        let mut rx = self.rx.lock().await;
        while let Ok(item) = rx.try_recv() {
            if let StreamIn::Failed(e) = item {
                self.done.store(true, Ordering::Release);
                return Err(e);
            }
            lock(&self.stash).push_back(item);
        }
        Ok(())
    }

    /// Sends bytes (`virStreamSend`), cut into protocol-sized chunks.
    pub async fn send(&self, data: &[u8]) -> Result<()> {
        self.check_failed().await?;
        self.conn
            .engine
            .stream_data(remote::PROGRAM, self.proc_, self.serial, data)
            .await
    }

    /// Sends a hole of `len` bytes (`virStreamSendHole`; sparse streams).
    pub async fn send_hole(&self, len: u64) -> Result<()> {
        let hole = StreamHole {
            length: len as i64,
            flags: 0,
        };
        self.conn
            .engine
            .stream_send(
                remote::PROGRAM,
                self.proc_,
                self.serial,
                MessageType::StreamHole,
                Status::Continue,
                &enc(&hole),
            )
            .await
    }

    /// Receives the next piece (`virStreamRecvFlags` with holes allowed).
    pub async fn recv(&self) -> Result<StreamData> {
        let stashed = lock(&self.stash).pop_front();
        let item = match stashed {
            Some(i) => Some(i),
            None => self.rx.lock().await.recv().await,
        };
        match item {
            Some(StreamIn::Data(d)) => Ok(StreamData::Data(d)),
            Some(StreamIn::Hole(n)) => Ok(StreamData::Hole(n.max(0) as u64)),
            Some(StreamIn::Eof) | Some(StreamIn::Done) => Ok(StreamData::Eof),
            Some(StreamIn::Failed(e)) => {
                self.done.store(true, Ordering::Release);
                Err(e)
            }
            None => Err(error::socket_closed()),
        }
    }

    async fn end(&self, status: Status) -> Result<()> {
        if self.done.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        self.conn
            .engine
            .stream_send(
                remote::PROGRAM,
                self.proc_,
                self.serial,
                MessageType::Stream,
                status,
                &[],
            )
            .await?;
        let stashed: Vec<StreamIn> = lock(&self.stash).drain(..).collect();
        for item in stashed {
            match item {
                StreamIn::Done => return Ok(()),
                StreamIn::Failed(e) => return Err(e),
                _ => {}
            }
        }
        let mut rx = self.rx.lock().await;
        loop {
            match rx.recv().await {
                Some(StreamIn::Done) => return Ok(()),
                Some(StreamIn::Failed(e)) => return Err(e),
                Some(_) => continue,
                None => return Err(error::socket_closed()),
            }
        }
    }

    /// Ends the stream successfully (`virStreamFinish`) and waits for the
    /// daemon to confirm that everything was written.
    pub async fn finish(&self) -> Result<()> {
        self.end(Status::Ok).await
    }

    /// Aborts the stream (`virStreamAbort`).
    pub async fn abort(&self) -> Result<()> {
        self.end(Status::Error).await
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if self.done.swap(true, Ordering::AcqRel) {
            self.conn.engine.stream_forget(self.serial);
            return;
        }
        let conn = self.conn.clone();
        let (proc_, serial) = (self.proc_, self.serial);
        if let Ok(h) = crate::runtime::handle() {
            h.spawn(async move {
                let _ = conn
                    .engine
                    .stream_send(
                        remote::PROGRAM,
                        proc_,
                        serial,
                        MessageType::Stream,
                        Status::Error,
                        &[],
                    )
                    .await;
                conn.engine.stream_forget(serial);
            });
        }
    }
}
