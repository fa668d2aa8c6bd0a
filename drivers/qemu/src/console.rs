//! `virDomainOpenConsole`: the guest's serial console as a stream.
//!
//! QEMU's pty backend gives each serial port a `/dev/pts/N`; the stream
//! reads and writes that pty in raw mode. One client at a time holds a
//! domain's console: a second open fails unless it forces, which ends the
//! first one's stream. The stream ends (EOF) when QEMU goes away.

use crate::domain::{ConsoleClaim, Dom};
use async_trait::async_trait;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_driver::{DriverStream, StreamChunk, StreamSink, StreamSource};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use tokio::io::unix::AsyncFd;
use tokio::sync::watch;

/// `VIR_DOMAIN_CONSOLE_FORCE`, `VIR_DOMAIN_CONSOLE_SAFE`.
const FORCE: u32 = 1;
const SAFE: u32 = 2;

static NEXT_CLAIM: AtomicU64 = AtomicU64::new(1);

fn failed(detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::QEMU, ErrorCode::OPERATION_FAILED, detail)
}

/// Opens the console `dev_name` (an alias such as `serial0` or
/// `console0`; the first console when absent).
pub fn open(dom: &Arc<Dom>, dev_name: Option<&str>, flags: u32) -> Result<DriverStream> {
    crate::domain::check_flags(flags, FORCE | SAFE, "qemuDomainOpenConsole")?;
    let (path, claim_id, cancel_rx) = {
        let mut st = dom.lock();
        if !st.is_active() {
            return Err(crate::domain::not_running());
        }
        let path = match dev_name {
            None => st.ptys.first().map(|(_, p)| p.clone()),
            Some(name) => st
                .ptys
                .iter()
                .find(|(a, _)| a == name)
                .or_else(|| {
                    // console0 is the serial0 pty on x86.
                    if name.starts_with("console") {
                        st.ptys.first()
                    } else {
                        None
                    }
                })
                .map(|(_, p)| p.clone()),
        };
        let Some(path) = path else {
            return Err(failed(format!(
                "cannot find character device {}",
                dev_name.unwrap_or("<null>")
            )));
        };
        if let Some(c) = &st.console {
            if flags & FORCE == 0 && !*c.cancel.borrow() && c.cancel.receiver_count() > 0 {
                return Err(failed("Active console session exists for this domain"));
            }
            let _ = c.cancel.send(true);
        }
        let (tx, rx) = watch::channel(false);
        let id = NEXT_CLAIM.fetch_add(1, Ordering::Relaxed);
        st.console = Some(ConsoleClaim { cancel: tx, id });
        (path, id, rx)
    };
    let fd = match open_raw(&path) {
        Ok(fd) => fd,
        Err(e) => {
            release(&Arc::downgrade(dom), claim_id);
            return Err(Error::system(
                ErrorDomain::QEMU,
                format!("Unable to open console {path}"),
                &e,
            ));
        }
    };
    // SAFETY: the fd is owned by the AsyncFd and neither replaced nor closed
    // while registered.
    let afd = unsafe { AsyncFd::register(fd) }.map_err(|e| {
        let (_, e) = e.into_parts();
        Error::system(ErrorDomain::QEMU, "cannot watch the console", &e)
    })?;
    let afd = Arc::new(afd);
    let weak = Arc::downgrade(dom);
    Ok(DriverStream::duplex(
        ConsoleOut {
            fd: afd.clone(),
            cancel: cancel_rx,
        },
        ConsoleIn {
            fd: afd,
            dom: weak,
            claim: claim_id,
        },
    ))
}

/// Opens a pty non-blocking, without making it our controlling tty, in
/// raw mode.
fn open_raw(path: &str) -> io::Result<OwnedFd> {
    let c = std::ffi::CString::new(path).map_err(|_| io::Error::other("bad path"))?;
    // SAFETY: a valid NUL-terminated path and plain flags.
    let raw = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_NONBLOCK | libc::O_CLOEXEC,
        )
    };
    if raw < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `raw` is a fresh fd we own.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    // SAFETY: termios is plain data; tcgetattr fills it for a valid fd.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: valid fd and pointer.
    if unsafe { libc::tcgetattr(fd.as_raw_fd(), &mut t) } == 0 {
        // SAFETY: `t` was filled by tcgetattr.
        unsafe { libc::cfmakeraw(&mut t) };
        // SAFETY: valid fd and pointer.
        unsafe { libc::tcsetattr(fd.as_raw_fd(), libc::TCSANOW, &t) };
    }
    Ok(fd)
}

fn release(dom: &Weak<Dom>, claim: u64) {
    if let Some(d) = dom.upgrade() {
        let mut st = d.lock();
        if st.console.as_ref().is_some_and(|c| c.id == claim) {
            st.console = None;
        }
    }
}

/// Guest output.
struct ConsoleOut {
    fd: Arc<AsyncFd<OwnedFd>>,
    cancel: watch::Receiver<bool>,
}

#[async_trait]
impl StreamSource for ConsoleOut {
    async fn next(&mut self) -> Result<Option<StreamChunk>> {
        loop {
            if *self.cancel.borrow() {
                return Ok(None);
            }
            let mut guard = tokio::select! {
                g = self.fd.readable() => match g {
                    Ok(g) => g,
                    Err(_) => return Ok(None),
                },
                _ = self.cancel.changed() => return Ok(None),
            };
            let mut buf = vec![0u8; 64 * 1024];
            let r = guard.try_io(|inner| {
                // SAFETY: reading into a buffer we own, within its length.
                let n = unsafe {
                    libc::read(
                        inner.get_ref().as_raw_fd(),
                        buf.as_mut_ptr().cast(),
                        buf.len(),
                    )
                };
                if n < 0 {
                    Err(io::Error::last_os_error())
                } else {
                    Ok(n as usize)
                }
            });
            match r {
                Ok(Ok(0)) => return Ok(None),
                Ok(Ok(n)) => {
                    buf.truncate(n);
                    return Ok(Some(StreamChunk::Data(buf)));
                }
                // EIO: the other side of the pty is gone (QEMU exited).
                Ok(Err(_)) => return Ok(None),
                Err(_would_block) => continue,
            }
        }
    }
}

/// Keystrokes to the guest.
struct ConsoleIn {
    fd: Arc<AsyncFd<OwnedFd>>,
    dom: Weak<Dom>,
    claim: u64,
}

#[async_trait]
impl StreamSink for ConsoleIn {
    async fn data(&mut self, mut bytes: &[u8]) -> Result<()> {
        while !bytes.is_empty() {
            let mut guard = self
                .fd
                .writable()
                .await
                .map_err(|e| Error::system(ErrorDomain::QEMU, "console write failed", &e))?;
            let r = guard.try_io(|inner| {
                // SAFETY: writing from a slice we borrow, within its length.
                let n = unsafe {
                    libc::write(
                        inner.get_ref().as_raw_fd(),
                        bytes.as_ptr().cast(),
                        bytes.len(),
                    )
                };
                if n < 0 {
                    Err(io::Error::last_os_error())
                } else {
                    Ok(n as usize)
                }
            });
            match r {
                Ok(Ok(n)) => bytes = &bytes[n..],
                Ok(Err(e)) => {
                    return Err(Error::system(ErrorDomain::QEMU, "console write failed", &e))
                }
                Err(_would_block) => continue,
            }
        }
        Ok(())
    }

    async fn hole(&mut self, _len: u64) -> Result<()> {
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<()> {
        release(&self.dom, self.claim);
        Ok(())
    }

    async fn abort(self: Box<Self>) {
        release(&self.dom, self.claim);
    }
}
