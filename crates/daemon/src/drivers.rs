//! The daemon's drivers, built in the background.
//!
//! Sockets answer as soon as they are bound: a driver's start-up (probing QEMU,
//! re-attaching to running guests, autostarting pools) runs on its own blocking
//! task, under the driver's state lock, and only a client that opens that
//! driver's URI waits for it. So `test:///default` answers in milliseconds
//! while the QEMU driver is still probing, and a slow driver never delays
//! another.

use crate::pidfile::PidFile;
use crate::{DaemonSpec, DriverEntry, DriverEnv};
use oxvirt_driver::ConnectDriver;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, watch};

#[derive(Clone)]
enum State {
    Pending,
    Ready(Arc<dyn ConnectDriver>),
    Failed,
}

struct Slot {
    schemes: &'static [&'static str],
    state: watch::Receiver<State>,
}

/// Every driver of a daemon, ready or still starting.
pub struct DriverSet {
    slots: Vec<Slot>,
    locks: Mutex<Vec<PidFile>>,
}

impl DriverSet {
    /// Starts building `spec`'s drivers. A failure of a mandatory driver (any
    /// driver of a modular daemon) is sent on the returned channel, and the
    /// daemon exits with it, as libvirt's do; libvirtd logs it and carries on.
    pub fn start(
        spec: &DaemonSpec,
        env: &DriverEnv,
    ) -> (Arc<DriverSet>, mpsc::UnboundedReceiver<String>) {
        let mandatory = !matches!(spec.flavor, oxvirt_conffile::daemon::DaemonFlavor::Libvirtd);
        let (fatal_tx, fatal_rx) = mpsc::unbounded_channel();
        let mut slots = Vec::new();
        let mut senders = Vec::new();
        for entry in spec.drivers {
            let (tx, rx) = watch::channel(State::Pending);
            slots.push(Slot {
                schemes: entry.schemes,
                state: rx,
            });
            senders.push((*entry, tx));
        }
        let set = Arc::new(DriverSet {
            slots,
            locks: Mutex::new(Vec::new()),
        });
        for (entry, tx) in senders {
            let env = env.clone();
            let set2 = set.clone();
            let fatal = fatal_tx.clone();
            tokio::task::spawn_blocking(move || {
                let state = match build_one(&entry, &env) {
                    Ok((d, lock)) => {
                        if let Ok(mut l) = set2.locks.lock() {
                            l.extend(lock);
                        }
                        State::Ready(d)
                    }
                    Err(msg) if mandatory => {
                        log::error!("{msg}");
                        let _ = fatal.send(format!("Driver state initialization failed: {msg}"));
                        State::Failed
                    }
                    Err(msg) => {
                        log::error!("{msg}; that driver is not available");
                        State::Failed
                    }
                };
                tx.send_replace(state);
            });
        }
        (set, fatal_rx)
    }

    async fn wait(&self, i: usize) -> Option<Arc<dyn ConnectDriver>> {
        let mut rx = self.slots.get(i)?.state.clone();
        let state = rx
            .wait_for(|s| !matches!(s, State::Pending))
            .await
            .ok()?
            .clone();
        match state {
            State::Ready(d) => Some(d),
            _ => None,
        }
    }

    /// The drivers that may open `scheme` (they declare it, or declare
    /// nothing), in the daemon's order, each once it has started.
    pub async fn for_scheme(&self, scheme: &str) -> Vec<Arc<dyn ConnectDriver>> {
        let mut out = Vec::new();
        for (i, s) in self.slots.iter().enumerate() {
            if s.schemes.is_empty() || s.schemes.contains(&scheme) {
                out.extend(self.wait(i).await);
            }
        }
        out
    }

    /// Every driver, once all have started (for probing clients).
    pub async fn all(&self) -> Vec<Arc<dyn ConnectDriver>> {
        let mut out = Vec::new();
        for i in 0..self.slots.len() {
            out.extend(self.wait(i).await);
        }
        out
    }

    /// The drivers started so far (for SIGHUP).
    pub fn ready(&self) -> Vec<Arc<dyn ConnectDriver>> {
        self.slots
            .iter()
            .filter_map(|s| match &*s.state.borrow() {
                State::Ready(d) => Some(d.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Takes the driver's state lock, then builds it.
fn build_one(
    entry: &DriverEntry,
    env: &DriverEnv,
) -> Result<(Arc<dyn ConnectDriver>, Option<PidFile>), String> {
    let lock = match entry.state {
        Some(state) => {
            let dir = env.paths.run_dir.join(state);
            let path = dir.join("driver.pid");
            let taken = std::fs::create_dir_all(&dir).and_then(|()| PidFile::acquire(&path));
            Some(
                taken
                    .map_err(|e| format!("Failed to acquire pid file '{}': {e}", path.display()))?,
            )
        }
        None => None,
    };
    let d = (entry.build)(env)?;
    Ok((d, lock))
}
