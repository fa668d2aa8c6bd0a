//! Domain objects and the two locks of each.
//!
//! # The rules
//!
//! 1. Every domain has a **state lock** ([`Dom::lock`], a `std::sync::Mutex`)
//!    guarding [`DomState`]. It is held for a few statements, never across
//!    an `.await` and never while doing I/O that can block on a guest, so
//!    queries (list, dominfo, getState, dumpxml) always answer at once.
//! 2. Every state change (start, suspend, resume, shutdown, setmem,
//!    attach/detach, …) first takes the domain's **job lock**
//!    ([`Dom::begin_job`], an async mutex) with a deadline; a caller that
//!    cannot get it fails with `OPERATION_TIMEOUT` naming the job that holds
//!    it. Monitor calls are made while holding the job lock only, each with
//!    its own deadline, so a stuck QEMU blocks its own domain's state
//!    changes and nothing else.
//! 3. `destroy` takes no job: it signals the process and waits for the
//!    watcher task to record the stop, so it works on a domain whose monitor
//!    is stuck.
//! 4. Lock order: the driver's domain list ([`DomainList`]), then one
//!    domain's state lock. Nothing takes the list while holding a state
//!    lock.

use crate::process::Process;
use crate::qmp::Monitor;
use crate::state::DomainLog;
use oxvirt_conf::domain::DomainDef;
use oxvirt_core::domain::DomainState;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Uuid};
use oxvirt_driver::DomainRef;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;
use tokio::sync::watch;

/// Why a running domain is being stopped by the driver, which decides the
/// STOPPED event detail and the shut-off reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopIntent {
    /// `virDomainDestroy`.
    Destroy,
    /// The start failed after QEMU was spawned.
    Failed,
    /// on_crash=destroy after a guest panic.
    Crashed,
}

/// One QEMU run of a domain: from spawn to the recorded stop.
pub struct Run {
    /// The domain id of this run.
    pub id: i32,
    pub pid: i32,
    pub process: Process,
    /// Set once QMP is negotiated.
    pub monitor: OnceLock<Arc<Monitor>>,
    pub monitor_path: PathBuf,
    pub lib_dir: PathBuf,
    pub channel_dir: PathBuf,
    pub log: DomainLog,
    /// Where this run's part of the log begins.
    pub log_offset: u64,
    pub start_time: Option<u64>,
    /// Becomes true once the stop is recorded (state shut off, files gone).
    pub stopped: watch::Sender<bool>,
}

impl Run {
    /// The monitor, or the error libvirt gives when there is none.
    pub fn monitor(&self) -> Result<Arc<Monitor>, Error> {
        self.monitor.get().cloned().ok_or_else(|| {
            Error::new(
                ErrorDomain::QEMU,
                ErrorCode::OPERATION_INVALID,
                "monitor is not available while the domain is starting",
            )
        })
    }

    /// Waits until the stop of this run is recorded, at most `limit`.
    pub async fn wait_stopped(&self, limit: Duration) -> bool {
        let mut rx = self.stopped.subscribe();
        let r = tokio::time::timeout(limit, rx.wait_for(|s| *s)).await;
        matches!(r, Ok(Ok(_)))
    }
}

/// A console stream's claim on a domain's serial port.
pub struct ConsoleClaim {
    pub cancel: watch::Sender<bool>,
    /// Which open made the claim, so that only it releases it.
    pub id: u64,
}

/// What the state lock guards.
pub struct DomState {
    pub name: String,
    /// The persistent definition; `None` for a transient domain.
    pub config: Option<DomainDef>,
    /// The live definition while active.
    pub live: Option<DomainDef>,
    pub autostart: bool,
    /// Running id, -1 when inactive.
    pub id: i32,
    pub state: DomainState,
    pub reason: i32,
    pub run: Option<Arc<Run>>,
    /// Consoles on ptys of the current run: (alias, path).
    pub ptys: Vec<(String, String)>,
    /// The reason to record for the next STOP from QEMU.
    pub pause_reason: Option<i32>,
    pub stop_intent: Option<StopIntent>,
    /// An ACPI reboot is pending: the guest's power-off becomes a reset.
    pub fake_reboot: bool,
    /// QEMU reported SHUTDOWN: the STOP that `-no-shutdown` makes follow it
    /// is not a suspension.
    pub after_shutdown: bool,
    /// Removed from the driver: handles to it no longer resolve.
    pub removed: bool,
    pub console: Option<ConsoleClaim>,
}

impl DomState {
    /// The definition queries answer from: live when active.
    pub fn def(&self) -> Option<&DomainDef> {
        self.live.as_ref().or(self.config.as_ref())
    }

    pub fn is_active(&self) -> bool {
        self.id >= 0
    }

    pub fn is_persistent(&self) -> bool {
        self.config.is_some()
    }
}

/// A domain known to the driver.
pub struct Dom {
    pub uuid: Uuid,
    st: Mutex<DomState>,
    job: Arc<tokio::sync::Mutex<()>>,
    job_owner: Arc<Mutex<&'static str>>,
    /// Serialises this domain's file writes (status, config).
    write: Mutex<()>,
}

/// The held job lock of a domain; released when dropped.
pub struct JobGuard {
    _g: tokio::sync::OwnedMutexGuard<()>,
    owner: Arc<Mutex<&'static str>>,
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        *self.owner.lock().unwrap_or_else(|p| p.into_inner()) = "";
    }
}

impl Dom {
    pub fn new(uuid: Uuid, st: DomState) -> Arc<Dom> {
        Arc::new(Dom {
            uuid,
            st: Mutex::new(st),
            job: Arc::new(tokio::sync::Mutex::new(())),
            job_owner: Arc::new(Mutex::new("")),
            write: Mutex::new(()),
        })
    }

    /// The lock that orders this domain's file writes; held only for the
    /// write itself (never with the state lock taken after it is released).
    pub fn write_lock(&self) -> MutexGuard<'_, ()> {
        self.write.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The state lock (see the module rules).
    pub fn lock(&self) -> MutexGuard<'_, DomState> {
        // Every update leaves the state consistent before anything can
        // fail, so a poisoned lock still guards a usable state.
        self.st.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the job lock for `job` (an API name), waiting at most `limit`.
    pub async fn begin_job(&self, job: &'static str, limit: Duration) -> Result<JobGuard, Error> {
        match tokio::time::timeout(limit, self.job.clone().lock_owned()).await {
            Ok(g) => Ok(self.guard(g, job)),
            Err(_) => {
                let held = *self.job_owner.lock().unwrap_or_else(|p| p.into_inner());
                Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::OPERATION_TIMEOUT,
                    format!("cannot acquire state change lock (held by monitor={held})"),
                ))
            }
        }
    }

    /// Takes the job lock now if it is free.
    pub fn try_begin_job(&self, job: &'static str) -> Option<JobGuard> {
        self.job
            .clone()
            .try_lock_owned()
            .ok()
            .map(|g| self.guard(g, job))
    }

    fn guard(&self, g: tokio::sync::OwnedMutexGuard<()>, job: &'static str) -> JobGuard {
        *self.job_owner.lock().unwrap_or_else(|p| p.into_inner()) = job;
        JobGuard {
            _g: g,
            owner: self.job_owner.clone(),
        }
    }

    /// The handle clients hold.
    pub fn dref(&self) -> DomainRef {
        let st = self.lock();
        DomainRef {
            name: st.name.clone(),
            uuid: self.uuid,
            id: st.id,
        }
    }
}

/// The handle of a domain whose state is already locked.
pub fn dref_of(uuid: Uuid, st: &DomState) -> DomainRef {
    DomainRef {
        name: st.name.clone(),
        uuid,
        id: st.id,
    }
}

/// Every domain of the driver, by UUID, with a name index.
#[derive(Default)]
pub struct DomainList {
    by_uuid: HashMap<Uuid, Arc<Dom>>,
    by_name: HashMap<String, Uuid>,
    /// In definition order, for stable listings.
    order: Vec<Uuid>,
}

impl DomainList {
    pub fn insert(&mut self, name: &str, dom: Arc<Dom>) {
        self.by_name.insert(name.to_owned(), dom.uuid);
        if self.by_uuid.insert(dom.uuid, dom.clone()).is_none() {
            self.order.push(dom.uuid);
        }
    }

    /// Removes `dom` if it is still the one registered under its UUID.
    pub fn remove(&mut self, dom: &Arc<Dom>, name: &str) {
        if self
            .by_uuid
            .get(&dom.uuid)
            .is_some_and(|d| Arc::ptr_eq(d, dom))
        {
            self.by_uuid.remove(&dom.uuid);
            self.order.retain(|u| *u != dom.uuid);
            if self.by_name.get(name) == Some(&dom.uuid) {
                self.by_name.remove(name);
            }
        }
    }

    pub fn by_uuid(&self, uuid: &Uuid) -> Option<&Arc<Dom>> {
        self.by_uuid.get(uuid)
    }

    pub fn by_name(&self, name: &str) -> Option<&Arc<Dom>> {
        self.by_name.get(name).and_then(|u| self.by_uuid.get(u))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Dom>> {
        self.order.iter().filter_map(|u| self.by_uuid.get(u))
    }

    pub fn len(&self) -> usize {
        self.by_uuid.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_uuid.is_empty()
    }
}

/// `Domain not found: no domain with matching uuid '…' (name)`.
pub fn no_domain_uuid(uuid: &Uuid, name: &str) -> Error {
    Error::new(
        ErrorDomain::QEMU,
        ErrorCode::NO_DOMAIN,
        format!("no domain with matching uuid '{uuid}' ({name})"),
    )
}

pub fn no_domain_name(name: &str) -> Error {
    Error::new(
        ErrorDomain::QEMU,
        ErrorCode::NO_DOMAIN,
        format!("no domain with matching name '{name}'"),
    )
}

pub fn no_domain_id(id: i32) -> Error {
    Error::new(
        ErrorDomain::QEMU,
        ErrorCode::NO_DOMAIN,
        format!("no domain with matching id {id}"),
    )
}

/// `Requested operation is not valid: domain is not running`.
pub fn not_running() -> Error {
    Error::new(
        ErrorDomain::DOMAIN,
        ErrorCode::OPERATION_INVALID,
        "domain is not running",
    )
}

/// `Requested operation is not valid: domain is already running`.
pub fn already_running() -> Error {
    Error::new(
        ErrorDomain::QEMU,
        ErrorCode::OPERATION_INVALID,
        "domain is already running",
    )
}

/// `unsupported flags (0x…) in function NAME`.
pub fn check_flags(flags: u32, allowed: u32, func: &str) -> Result<(), Error> {
    let bad = flags & !allowed;
    if bad != 0 {
        return Err(Error::new(
            ErrorDomain::QEMU,
            ErrorCode::INVALID_ARG,
            format!("unsupported flags (0x{bad:x}) in function {func}"),
        ));
    }
    Ok(())
}

/// True if `st` passes the `virConnectListAllDomains` filter `flags`.
pub fn matches_filter(st: &DomState, flags: u32) -> bool {
    use oxvirt_core::domain::list_flags as lf;
    let active = st.is_active();
    if flags & (lf::ACTIVE | lf::INACTIVE) != 0
        && !((flags & lf::ACTIVE != 0 && active) || (flags & lf::INACTIVE != 0 && !active))
    {
        return false;
    }
    let persistent = st.is_persistent();
    if flags & (lf::PERSISTENT | lf::TRANSIENT) != 0
        && !((flags & lf::PERSISTENT != 0 && persistent)
            || (flags & lf::TRANSIENT != 0 && !persistent))
    {
        return false;
    }
    let state_bits = lf::RUNNING | lf::PAUSED | lf::SHUTOFF | lf::OTHER;
    if flags & state_bits != 0 {
        let ok = match st.state {
            DomainState::Running => flags & lf::RUNNING != 0,
            DomainState::Paused => flags & lf::PAUSED != 0,
            DomainState::Shutoff => flags & lf::SHUTOFF != 0,
            _ => flags & lf::OTHER != 0,
        };
        if !ok {
            return false;
        }
    }
    if flags & (lf::MANAGEDSAVE | lf::NO_MANAGEDSAVE) != 0 && flags & lf::NO_MANAGEDSAVE == 0 {
        return false;
    }
    if flags & (lf::AUTOSTART | lf::NO_AUTOSTART) != 0
        && !((flags & lf::AUTOSTART != 0 && st.autostart)
            || (flags & lf::NO_AUTOSTART != 0 && !st.autostart))
    {
        return false;
    }
    if flags & (lf::HAS_SNAPSHOT | lf::NO_SNAPSHOT) != 0 && flags & lf::NO_SNAPSHOT == 0 {
        return false;
    }
    if flags & (lf::HAS_CHECKPOINT | lf::NO_CHECKPOINT) != 0 && flags & lf::NO_CHECKPOINT == 0 {
        return false;
    }
    true
}
