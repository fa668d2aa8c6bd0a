//! systemd socket activation: listeners handed over in `LISTEN_FDS`, named by
//! `LISTEN_FDNAMES`, claimed by service name as libvirt does.

use std::collections::HashMap;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

/// Descriptors received from systemd, grouped by name.
#[derive(Debug, Default)]
pub struct Activation {
    by_name: HashMap<String, Vec<OwnedFd>>,
}

/// Why activation data is unusable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActivationError {
    #[error("Missing LISTEN_FDNAMES env from systemd socket activation")]
    MissingNames,
    #[error("Expecting {expected} FD names but got {got}")]
    NameCount { expected: usize, got: usize },
    #[error("Some activation file descriptors are unclaimed")]
    Unclaimed,
}

const FIRST_FD: RawFd = 3;

impl Activation {
    /// Reads and clears the activation environment. `Ok(None)` when the process
    /// was not socket-activated (no `LISTEN_PID`, or one that is not ours).
    pub fn from_env() -> Result<Option<Activation>, ActivationError> {
        let pid_ok = std::env::var("LISTEN_PID")
            .ok()
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| p == std::process::id());
        if !pid_ok {
            return Ok(None);
        }
        let Some(n) = std::env::var("LISTEN_FDS")
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
        else {
            return Ok(None);
        };
        std::env::remove_var("LISTEN_PID");
        std::env::remove_var("LISTEN_FDS");
        if n == 0 {
            return Ok(Some(Activation::default()));
        }
        let names = std::env::var("LISTEN_FDNAMES").map_err(|_| ActivationError::MissingNames)?;
        let names: Vec<&str> = names.split(':').collect();
        if names.len() != n {
            return Err(ActivationError::NameCount {
                expected: n,
                got: names.len(),
            });
        }
        let mut by_name: HashMap<String, Vec<OwnedFd>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let fd = FIRST_FD + i as RawFd;
            // SAFETY: systemd passes ownership of fds 3..3+n to this process.
            let owned = unsafe {
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
                OwnedFd::from_raw_fd(fd)
            };
            by_name.entry((*name).to_owned()).or_default().push(owned);
        }
        Ok(Some(Activation { by_name }))
    }

    /// Takes the descriptors named `name` (several `ListenStream=` lines may
    /// share one name).
    pub fn claim(&mut self, name: &str) -> Vec<OwnedFd> {
        self.by_name.remove(name).unwrap_or_default()
    }

    /// Fails if any descriptor was not claimed.
    pub fn finish(self) -> Result<(), ActivationError> {
        if self.by_name.values().any(|v| !v.is_empty()) {
            return Err(ActivationError::Unclaimed);
        }
        Ok(())
    }
}

/// Tells systemd (if it is listening) that the daemon is ready.
pub fn notify_ready() {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else {
        return;
    };
    let Ok(sock) = std::os::unix::net::UnixDatagram::unbound() else {
        return;
    };
    let path = path.to_string_lossy().into_owned();
    let _ = if let Some(abs) = path.strip_prefix('@') {
        use std::os::linux::net::SocketAddrExt;
        std::os::unix::net::SocketAddr::from_abstract_name(abs.as_bytes())
            .and_then(|a| sock.send_to_addr(b"READY=1", &a))
    } else {
        sock.send_to(b"READY=1", &path)
    };
}
