//! An asynchronous QMP client over a domain's monitor socket.
//!
//! 1. [`Monitor::connect`] reads QEMU's greeting, negotiates capabilities
//!    (`qmp_capabilities`; out-of-band is never enabled, as in libvirt) and
//!    starts one reader task for the socket.
//! 2. [`Monitor::execute`] sends `{"execute":…,"id":"libvirt-N"}` and waits
//!    for the reply with that id, **with a deadline**: a QEMU that stops
//!    answering (a `kill -STOP`, a wedged main loop) costs the caller an
//!    [`QmpError::Timeout`], never a hung task. Replies that arrive after
//!    their caller gave up are dropped.
//! 3. Events (`{"event":…}`) go, in the order QEMU sent them, to the
//!    receiver returned by `connect`; it yields `None` once the socket is
//!    closed, which is how the owner learns of a monitor EOF.
//!
//! When the socket closes, every waiting command fails with
//! [`QmpError::Closed`] at once.

use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot};

/// The longest reply or event accepted, as libvirt caps it.
pub const MAX_MESSAGE: usize = 10 * 1024 * 1024;

/// Why a monitor command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QmpError {
    /// No reply within the deadline.
    Timeout { command: String, after: Duration },
    /// The socket closed (QEMU exited) before the reply.
    Closed,
    /// QEMU answered with an error.
    Command {
        command: String,
        class: String,
        desc: String,
    },
    /// The socket could not be used, or QEMU sent something that is not QMP.
    Protocol(String),
}

impl std::fmt::Display for QmpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QmpError::Timeout { command, after } => write!(
                f,
                "QEMU monitor did not answer '{command}' within {} ms",
                after.as_millis()
            ),
            QmpError::Closed => f.write_str("domain is no longer running"),
            QmpError::Command { command, desc, .. } => {
                write!(f, "unable to execute QEMU command '{command}': {desc}")
            }
            QmpError::Protocol(m) => write!(f, "QEMU monitor: {m}"),
        }
    }
}

impl std::error::Error for QmpError {}

impl From<QmpError> for Error {
    /// libvirt's codes: a QMP error is INTERNAL_ERROR, a vanished QEMU is
    /// OPERATION_FAILED, a stuck one OPERATION_TIMEOUT.
    fn from(e: QmpError) -> Error {
        let code = match &e {
            QmpError::Timeout { .. } => ErrorCode::OPERATION_TIMEOUT,
            QmpError::Closed => ErrorCode::OPERATION_FAILED,
            QmpError::Command { .. } | QmpError::Protocol(_) => ErrorCode::INTERNAL_ERROR,
        };
        Error::new(ErrorDomain::QEMU, code, e.to_string())
    }
}

/// An asynchronous event from QEMU.
#[derive(Debug, Clone, PartialEq)]
pub struct QmpEvent {
    pub name: String,
    pub data: Value,
}

type Reply = Result<Value, QmpError>;

#[derive(Default)]
struct Pending {
    waiting: HashMap<String, (String, oneshot::Sender<Reply>)>,
    closed: bool,
}

/// A connected monitor. Cheap to share behind an `Arc`; commands may be
/// issued concurrently.
pub struct Monitor {
    writer: tokio::sync::Mutex<Option<OwnedWriteHalf>>,
    pending: Mutex<Pending>,
    next_id: AtomicU64,
}

impl Monitor {
    /// Negotiates QMP on `stream`; `deadline` bounds the greeting and the
    /// capabilities exchange.
    pub async fn connect(
        stream: UnixStream,
        deadline: Duration,
    ) -> Result<(std::sync::Arc<Monitor>, mpsc::UnboundedReceiver<QmpEvent>), QmpError> {
        let (rd, wr) = stream.into_split();
        let mut rd = BufReader::new(rd);
        let greeting = tokio::time::timeout(deadline, read_message(&mut rd))
            .await
            .map_err(|_| QmpError::Timeout {
                command: "greeting".into(),
                after: deadline,
            })??
            .ok_or(QmpError::Closed)?;
        if greeting.get("QMP").is_none() {
            return Err(QmpError::Protocol("no QMP greeting".into()));
        }
        let mon = std::sync::Arc::new(Monitor {
            writer: tokio::sync::Mutex::new(Some(wr)),
            pending: Mutex::new(Pending::default()),
            next_id: AtomicU64::new(1),
        });
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(reader(rd, std::sync::Arc::downgrade(&mon), tx));
        mon.execute("qmp_capabilities", None, deadline).await?;
        Ok((mon, rx))
    }

    /// Runs `command` with `args`, waiting at most `deadline` for the reply;
    /// returns the `return` value.
    pub async fn execute(
        &self,
        command: &str,
        args: Option<Value>,
        deadline: Duration,
    ) -> Result<Value, QmpError> {
        let id = format!("libvirt-{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let mut msg = Map::new();
        msg.insert("execute".into(), Value::String(command.to_owned()));
        if let Some(a) = args {
            msg.insert("arguments".into(), a);
        }
        msg.insert("id".into(), Value::String(id.clone()));
        let mut line = Value::Object(msg).to_string();
        line.push_str("\r\n");

        let (tx, rx) = oneshot::channel();
        {
            let mut p = self.lock_pending();
            if p.closed {
                return Err(QmpError::Closed);
            }
            p.waiting.insert(id.clone(), (command.to_owned(), tx));
        }
        let run = async {
            self.send(line.as_bytes()).await?;
            rx.await.unwrap_or(Err(QmpError::Closed))
        };
        match tokio::time::timeout(deadline, run).await {
            Ok(r) => r,
            Err(_) => {
                self.lock_pending().waiting.remove(&id);
                Err(QmpError::Timeout {
                    command: command.to_owned(),
                    after: deadline,
                })
            }
        }
    }

    /// Convenience: `execute` with arguments built by `json!`.
    pub async fn call(
        &self,
        command: &str,
        args: Value,
        deadline: Duration,
    ) -> Result<Value, QmpError> {
        let args = match args {
            Value::Null => None,
            a => Some(a),
        };
        self.execute(command, args, deadline).await
    }

    /// True once the socket has closed.
    pub fn is_closed(&self) -> bool {
        self.lock_pending().closed
    }

    async fn send(&self, bytes: &[u8]) -> Result<(), QmpError> {
        // A write cut short (by the caller's deadline or an error) would
        // leave half a command on the socket; the guard then drops the
        // writer, so the monitor refuses further commands instead of
        // sending garbage.
        let mut g = WriteGuard {
            w: self.writer.lock().await,
            done: false,
        };
        let Some(sock) = g.w.as_mut() else {
            g.done = true;
            return Err(QmpError::Closed);
        };
        let r = sock.write_all(bytes).await;
        g.done = r.is_ok();
        r.map_err(|_| QmpError::Closed)
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        // The map is consistent after every statement; a panic elsewhere
        // cannot leave it half-updated.
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn close(&self) {
        let waiting = {
            let mut p = self.lock_pending();
            p.closed = true;
            std::mem::take(&mut p.waiting)
        };
        for (_, (_, tx)) in waiting {
            let _ = tx.send(Err(QmpError::Closed));
        }
    }

    fn complete(&self, id: &str, reply: Reply) {
        let entry = self.lock_pending().waiting.remove(id);
        if let Some((_, tx)) = entry {
            let _ = tx.send(reply);
        }
    }

    fn command_of(&self, id: &str) -> Option<String> {
        self.lock_pending().waiting.get(id).map(|(c, _)| c.clone())
    }
}

/// Drops the write half unless the write completed.
struct WriteGuard<'a> {
    w: tokio::sync::MutexGuard<'a, Option<OwnedWriteHalf>>,
    done: bool,
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.w.take();
        }
    }
}

/// Reads one `\n`-terminated JSON message; `None` at EOF.
async fn read_message(rd: &mut BufReader<OwnedReadHalf>) -> Result<Option<Value>, QmpError> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = (&mut *rd)
            .take(MAX_MESSAGE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .await
            .map_err(|e| QmpError::Protocol(format!("cannot read: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        if buf.len() > MAX_MESSAGE {
            return Err(QmpError::Protocol("message too long".into()));
        }
        let text = String::from_utf8_lossy(&buf);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        return serde_json::from_str(text)
            .map(Some)
            .map_err(|e| QmpError::Protocol(format!("malformed message: {e}")));
    }
}

async fn reader(
    mut rd: BufReader<OwnedReadHalf>,
    mon: std::sync::Weak<Monitor>,
    events: mpsc::UnboundedSender<QmpEvent>,
) {
    loop {
        let msg = read_message(&mut rd).await;
        let Some(m) = mon.upgrade() else { return };
        let v = match msg {
            Ok(Some(v)) => v,
            Ok(None) | Err(_) => {
                m.close();
                return;
            }
        };
        if let Some(name) = v.get("event").and_then(Value::as_str) {
            let _ = events.send(QmpEvent {
                name: name.to_owned(),
                data: v.get("data").cloned().unwrap_or(Value::Null),
            });
            continue;
        }
        let Some(id) = v.get("id").and_then(Value::as_str) else {
            continue;
        };
        if let Some(r) = v.get("return") {
            m.complete(id, Ok(r.clone()));
        } else if let Some(e) = v.get("error") {
            let command = m.command_of(id).unwrap_or_default();
            let err = QmpError::Command {
                command,
                class: e
                    .get("class")
                    .and_then(Value::as_str)
                    .unwrap_or("GenericError")
                    .to_owned(),
                desc: e
                    .get("desc")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown error")
                    .to_owned(),
            };
            m.complete(id, Err(err));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    /// A fake QEMU on the other end of a socket pair: sends the greeting,
    /// then answers with `script` for each command it reads.
    async fn fake(
        script: fn(&Value) -> Option<Vec<String>>,
    ) -> (std::sync::Arc<Monitor>, mpsc::UnboundedReceiver<QmpEvent>) {
        let (a, b) = UnixStream::pair().unwrap();
        tokio::spawn(async move {
            let (rd, mut wr) = b.into_split();
            wr.write_all(b"{\"QMP\": {\"version\": {}, \"capabilities\": [\"oob\"]}}\r\n")
                .await
                .unwrap();
            let mut rd = BufReader::new(rd);
            loop {
                let mut line = String::new();
                if rd.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let v: Value = serde_json::from_str(line.trim()).unwrap();
                let out = if v["execute"] == "qmp_capabilities" {
                    Some(vec![json!({"return": {}, "id": v["id"]}).to_string()])
                } else {
                    script(&v)
                };
                match out {
                    Some(lines) => {
                        for l in lines {
                            wr.write_all(format!("{l}\r\n").as_bytes()).await.unwrap();
                        }
                    }
                    None => {
                        // Hang up.
                        return;
                    }
                }
            }
        });
        Monitor::connect(a, Duration::from_secs(2)).await.unwrap()
    }

    #[tokio::test]
    async fn command_returns_value_and_events_arrive_in_order() {
        let (mon, mut ev) = fake(|v| {
            Some(vec![
                json!({"event": "STOP", "data": {}}).to_string(),
                json!({"return": {"status": "paused"}, "id": v["id"]}).to_string(),
                json!({"event": "RESUME"}).to_string(),
            ])
        })
        .await;
        let r = mon
            .execute("query-status", None, Duration::from_secs(2))
            .await
            .unwrap();
        assert_eq!(r["status"], "paused");
        assert_eq!(ev.recv().await.unwrap().name, "STOP");
        assert_eq!(ev.recv().await.unwrap().name, "RESUME");
    }

    #[tokio::test]
    async fn qmp_error_is_internal_error_naming_the_command() {
        let (mon, _ev) = fake(|v| {
            Some(vec![
                json!({"error": {"class": "GenericError", "desc": "nope"}, "id": v["id"]})
                    .to_string(),
            ])
        })
        .await;
        let e = mon
            .execute("set_password", None, Duration::from_secs(2))
            .await
            .unwrap_err();
        let le: Error = e.into();
        assert_eq!(le.code, ErrorCode::INTERNAL_ERROR);
        assert_eq!(
            le.message,
            "internal error: unable to execute QEMU command 'set_password': nope"
        );
    }

    #[tokio::test]
    async fn silent_monitor_times_out_and_stays_usable() {
        let (mon, _ev) = fake(|v| {
            if v["execute"] == "stuck" {
                Some(vec![])
            } else {
                Some(vec![json!({"return": {}, "id": v["id"]}).to_string()])
            }
        })
        .await;
        let e = mon
            .execute("stuck", None, Duration::from_millis(50))
            .await
            .unwrap_err();
        assert!(matches!(e, QmpError::Timeout { .. }));
        let le: Error = e.into();
        assert_eq!(le.code, ErrorCode::OPERATION_TIMEOUT);
        mon.execute("cont", None, Duration::from_secs(2))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn hangup_fails_waiters_and_ends_events() {
        let (mon, mut ev) = fake(|_| None).await;
        let e = mon
            .execute("quit", None, Duration::from_secs(2))
            .await
            .unwrap_err();
        assert_eq!(e, QmpError::Closed);
        assert!(ev.recv().await.is_none());
        assert!(mon.is_closed());
        assert_eq!(
            mon.execute("cont", None, Duration::from_secs(1)).await,
            Err(QmpError::Closed)
        );
    }
}
