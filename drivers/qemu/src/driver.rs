//! The driver object shared by every connection, its start-up (load the
//! definitions, re-attach to running QEMUs, autostart) and the
//! `qemu:///system` / `qemu:///session` connections.
//!
//! [`QemuDriver`] is what a daemon registers; [`Driver`] is the state all
//! connections share; [`QemuConnection`] implements
//! [`HypervisorConnection`] on it. The lifecycle itself (start, watch,
//! stop, re-attach) is in [`crate::lifecycle`]; the locking rules are in
//! [`crate::domain`].

use crate::caps::{self, CapsCache, QemuCaps};
use crate::conf::QemuConfig;
use crate::domain::{
    check_flags, dref_of, matches_filter, no_domain_id, no_domain_name, no_domain_uuid,
    not_running, Dom, DomState, DomainList, Run, StopIntent,
};
use crate::lifecycle::{self, start_flags};
use crate::process::{self, Process};
use crate::state::{self, DomainLog, QemuPaths, Status};
use async_trait::async_trait;
use oxvirt_conf::domain::{format_flags, parse_flags, DomainDef};
use oxvirt_core::domain::{event, paused_reason, shutoff_reason, DomainState};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, Uuid};
use oxvirt_driver::{
    ConnectDriver, ConnectUri, DomainEventBus, DomainInfo, DomainRef, DomainStatsRecord,
    DriverStream, HypervisorConnection, NodeInfo, OpenContext,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;
use tokio::sync::{oneshot, watch, Notify};

/// How long things may take.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Every monitor command.
    pub monitor: Duration,
    /// Waiting for a domain's job lock (libvirt: 30 s).
    pub job: Duration,
    /// From spawn to the QMP greeting.
    pub start: Duration,
    /// Between SIGTERM and SIGKILL in destroy (libvirt: 10 s).
    pub destroy_grace: Duration,
}

impl Timeouts {
    /// The defaults; `OXVIRT_QEMU_MONITOR_TIMEOUT` and
    /// `OXVIRT_QEMU_JOB_TIMEOUT` (seconds, fractions allowed) override the
    /// first two, for tests of stuck monitors.
    pub fn from_env() -> Timeouts {
        let secs = |k: &str, d: f64| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| *v > 0.0 && *v < 86_400.0)
                .map(Duration::from_secs_f64)
                .unwrap_or(Duration::from_secs_f64(d))
        };
        Timeouts {
            monitor: secs("OXVIRT_QEMU_MONITOR_TIMEOUT", 30.0),
            job: secs("OXVIRT_QEMU_JOB_TIMEOUT", 30.0),
            start: Duration::from_secs(60),
            destroy_grace: Duration::from_secs(10),
        }
    }
}

/// DEVICE_DELETED aliases not yet claimed by a detach, and its wake-up.
type Unplugs = (Vec<String>, Arc<Notify>);

/// What every connection of the driver shares.
pub struct Driver {
    pub paths: QemuPaths,
    pub privileged: bool,
    pub config: QemuConfig,
    pub caps: CapsCache,
    pub timeouts: Timeouts,
    pub events: DomainEventBus,
    doms: Mutex<DomainList>,
    next_id: AtomicI32,
    ports: Mutex<HashMap<i32, Vec<u16>>>,
    firmwares: OnceLock<Vec<oxvirt_conf::domain::firmware::Firmware>>,
    host: OnceLock<caps::host::HostInfo>,
    /// Per domain UUID: aliases whose DEVICE_DELETED arrived, and a wake-up.
    unplugs: Mutex<HashMap<Uuid, Unplugs>>,
}

impl Driver {
    fn lock_doms(&self) -> MutexGuard<'_, DomainList> {
        // The list is consistent after every statement.
        self.doms.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn next_id(&self) -> i32 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Serialises the file writes (status, config) of one domain so that an
    /// older snapshot never lands after a newer one.
    pub fn status_write_lock<'a>(&self, dom: &'a Dom) -> MutexGuard<'a, ()> {
        dom.write_lock()
    }

    /// The capabilities of the binary a definition names, or of the
    /// default binary for `arch` (x86_64 when absent). May probe QEMU.
    pub fn caps_for(&self, emulator: Option<&str>, arch: Option<&str>) -> Result<Arc<QemuCaps>> {
        let bin = match emulator {
            Some(e) => PathBuf::from(e),
            None => {
                let arch = arch.unwrap_or(std::env::consts::ARCH);
                let arch = if arch == "i686" { "x86_64" } else { arch };
                caps::find_emulator(arch).ok_or_else(|| {
                    Error::new(
                        ErrorDomain::QEMU,
                        ErrorCode::CONFIG_UNSUPPORTED,
                        format!("No emulator found for arch '{arch}'"),
                    )
                })?
            }
        };
        self.caps.lookup(&bin)
    }

    /// QEMU has `set-action` (6.0 and later, all this driver supports).
    pub fn has_set_action(&self) -> bool {
        true
    }

    pub fn firmwares(&self) -> &[oxvirt_conf::domain::firmware::Firmware] {
        self.firmwares.get_or_init(caps::firmware::load_system)
    }

    pub fn host(&self) -> &caps::host::HostInfo {
        self.host.get_or_init(caps::host::HostInfo::detect)
    }

    /// Ports for the autoport displays of `def`.
    pub fn allocate_display_ports(&self, def: &DomainDef) -> Result<Vec<u16>> {
        use oxvirt_conf::domain::Device;
        let wanted = def
            .devices
            .iter()
            .filter(|d| match d {
                Device::Graphics(g) => {
                    matches!(g.gtype.as_str(), "vnc" | "spice")
                        && g.rest.child("listen").and_then(|l| l.attr("type")) != Some("socket")
                        && (g.port.is_none() || g.autoport)
                }
                _ => false,
            })
            .count();
        let mut used: Vec<u16> = self
            .ports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .flatten()
            .copied()
            .collect();
        let mut out = Vec::new();
        for _ in 0..wanted {
            let p = crate::command::allocate_display_port(
                self.config.remote_display_port_min,
                self.config.remote_display_port_max,
                &used,
                &mut crate::command::port_is_free,
            )?;
            used.push(p);
            out.push(p);
        }
        Ok(out)
    }

    pub fn hold_ports(&self, id: i32, ports: &[u16]) {
        if !ports.is_empty() {
            self.ports
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id, ports.to_vec());
        }
    }

    pub fn release_ports(&self, id: i32) {
        self.ports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }

    pub fn release_ports_of_run(&self, run: &Run) {
        self.release_ports(run.id);
    }

    /// Drops `dom` from the list (a transient domain that stopped, an
    /// undefined inactive one).
    pub fn remove_domain(&self, dom: &Arc<Dom>, name: &str) {
        self.lock_doms().remove(dom, name);
        self.unplugs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&dom.uuid);
    }

    /// Records a DEVICE_DELETED event and wakes a waiting detach.
    pub fn device_deleted(&self, dom: &Dom, alias: &str) {
        let mut m = self.unplugs.lock().unwrap_or_else(|p| p.into_inner());
        let e = m.entry(dom.uuid).or_default();
        e.0.push(alias.to_owned());
        e.1.notify_waiters();
    }

    /// Waits up to `limit` for DEVICE_DELETED of `alias`; true if it came.
    pub async fn wait_device_deleted(&self, dom: &Dom, alias: &str, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notify = {
                let mut m = self.unplugs.lock().unwrap_or_else(|p| p.into_inner());
                let e = m.entry(dom.uuid).or_default();
                if let Some(i) = e.0.iter().position(|a| a == alias) {
                    e.0.remove(i);
                    return true;
                }
                e.1.clone()
            };
            let notified = notify.notified();
            // Re-check after registering, so a wake-up in between is not lost.
            {
                let mut m = self.unplugs.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(e) = m.get_mut(&dom.uuid) {
                    if let Some(i) = e.0.iter().position(|a| a == alias) {
                        e.0.remove(i);
                        return true;
                    }
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return false;
            }
        }
    }

    /// Forgets earlier DEVICE_DELETED events for `alias`.
    pub fn clear_device_deleted(&self, dom: &Dom, alias: &str) {
        let mut m = self.unplugs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = m.get_mut(&dom.uuid) {
            e.0.retain(|a| a != alias);
        }
    }

    /// The domain a client's handle names.
    pub fn get(&self, d: &DomainRef) -> Result<Arc<Dom>> {
        let list = self.lock_doms();
        list.by_uuid(&d.uuid)
            .cloned()
            .ok_or_else(|| no_domain_uuid(&d.uuid, &d.name))
    }

    /// Every domain, in definition order.
    pub fn all(&self) -> Vec<Arc<Dom>> {
        self.lock_doms().iter().cloned().collect()
    }

    fn random() -> [u8; 16] {
        let mut b = [0u8; 16];
        if getrandom::fill(&mut b).is_err() {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            b = t.to_le_bytes();
        }
        b
    }

    /// Parses a definition a client sent and applies the driver's defaults.
    pub async fn parse_new_def(self: &Arc<Self>, xml: &str, validate: bool) -> Result<DomainDef> {
        let mut rnd = Driver::random;
        let flags = parse_flags::INACTIVE | if validate { parse_flags::VALIDATE } else { 0 };
        let mut def = DomainDef::parse(xml, flags, &mut rnd)?;
        let caps = lifecycle::caps_for(self, &def).await?;
        def.qemu_post_parse(&caps.platform())?;
        Ok(def)
    }

    /// Saves a persistent definition (serialised with the domain's other
    /// writes).
    fn save_config(&self, dom: &Dom, def: &DomainDef) -> Result<()> {
        let _w = self.status_write_lock(dom);
        state::save_config(&self.paths, def)
    }

    // ---- start-up ----

    /// Loads definitions and status files, re-attaches running QEMUs and
    /// autostarts, as libvirt's qemuStateInitialize does.
    fn load(self: &Arc<Self>) {
        let mut parse_cfg = |t: &str| {
            let mut rnd = Driver::random;
            DomainDef::parse(t, parse_flags::INACTIVE, &mut rnd)
        };
        for (def, autostart) in state::load_configs(&self.paths, &mut parse_cfg) {
            let uuid = def.uuid;
            let name = def.name.clone();
            let dom = Dom::new(
                uuid,
                DomState {
                    autostart,
                    ..new_state(&name, Some(def))
                },
            );
            let mut list = self.lock_doms();
            if list.by_uuid(&uuid).is_some() || list.by_name(&name).is_some() {
                log::error!("skipping duplicate definition of domain {name}");
                continue;
            }
            list.insert(&name, dom);
        }

        let mut max_id = 0;
        for (stem, text) in state::list_status_files(&self.paths) {
            let mut parse_live = |e| {
                let mut rnd = Driver::random;
                DomainDef::from_element(e, 0, &mut rnd)
            };
            let st = match Status::parse(&text, &mut parse_live) {
                Ok(s) if s.def.name == stem => s,
                Ok(_) | Err(_) => {
                    log::error!("ignoring unreadable status file {stem}.xml");
                    continue;
                }
            };
            max_id = max_id.max(st.def.id);
            self.reattach(st);
        }
        self.next_id.store(max_id.max(0) + 1, Ordering::Relaxed);

        let drv = self.clone();
        tokio::spawn(async move { drv.autostart().await });
    }

    /// Adopts one QEMU from its status file, or cleans up after it.
    fn reattach(self: &Arc<Self>, st: Status) {
        let name = st.def.name.clone();
        let uuid = st.def.uuid;
        let uuid_text = uuid.to_string();
        let lib_dir = st.lib_dir.clone();
        let channel_dir = self.paths.channel_dir(st.def.id, &name);
        // Find the process: the recorded pid if it still runs this
        // domain's QEMU (same start time), else a QEMU that a daemon
        // killed mid-start left behind.
        let mut pid = st.pid;
        let same = pid > 0
            && process::is_qemu_of(pid, &uuid_text)
            && !process::is_zombie(pid)
            && (st.start_time.is_none() || process::start_time(pid) == st.start_time);
        if !same {
            pid = if st.pid == 0 {
                process::find_qemu_of(&uuid_text).unwrap_or(0)
            } else {
                0
            };
        }
        let starting = st.pid == 0 || (st.state == DomainState::Paused && st.reason == 11);
        let process = if pid > 0 {
            Process::open(pid).ok()
        } else {
            None
        };

        let dom = {
            let mut list = self.lock_doms();
            match list.by_uuid(&uuid).cloned() {
                Some(d) => d,
                None => {
                    let d = Dom::new(uuid, new_state(&name, None));
                    list.insert(&name, d.clone());
                    d
                }
            }
        };

        let Some(process) = process else {
            // QEMU died while we were away: shut off (crashed), no event.
            log::warn!("QEMU of domain {name} is gone; marking it shut off");
            self.forget_run(&dom, &name, &lib_dir, &channel_dir);
            return;
        };
        let (stopped, _) = watch::channel(false);
        let run = Arc::new(Run {
            id: st.def.id,
            pid,
            start_time: process::start_time(pid),
            process,
            monitor: OnceLock::new(),
            monitor_path: st.monitor.clone(),
            lib_dir,
            channel_dir,
            log: DomainLog::new(self.paths.log_file(&name)),
            log_offset: 0,
            stopped,
        });
        {
            let mut s = dom.lock();
            s.id = st.def.id;
            s.live = Some(st.def);
            s.state = st.state;
            s.reason = st.reason;
            s.ptys = st.ptys;
            s.fake_reboot = st.fake_reboot;
            s.run = Some(run.clone());
            if starting {
                // A start that never finished counts as failed.
                s.stop_intent = Some(StopIntent::Failed);
            }
        }
        let (tx, rx) = oneshot::channel();
        tokio::spawn(lifecycle::watch(self.clone(), dom.clone(), run.clone(), rx));
        if starting {
            log::warn!("domain {name} was starting when the daemon stopped; killing it");
            drop(tx);
            let _ = run.process.signal(libc::SIGKILL);
        } else {
            let job = dom.try_begin_job("reconnect");
            tokio::spawn(lifecycle::reconnect(self.clone(), dom, run, tx, job));
        }
    }

    fn forget_run(&self, dom: &Arc<Dom>, name: &str, lib_dir: &Path, channel_dir: &Path) {
        state::delete_status(&self.paths, name);
        let _ = std::fs::remove_dir_all(lib_dir);
        let _ = std::fs::remove_dir_all(channel_dir);
        let transient = {
            let mut s = dom.lock();
            s.state = DomainState::Shutoff;
            s.reason = shutoff_reason::CRASHED;
            s.id = -1;
            s.live = None;
            let t = !s.is_persistent();
            if t {
                s.removed = true;
            }
            t
        };
        if transient {
            self.remove_domain(dom, name);
        }
    }

    /// Starts the autostart domains, once per host boot.
    async fn autostart(self: Arc<Self>) {
        let marker = self.paths.autostarted_marker();
        if marker.exists() {
            return;
        }
        if let Err(e) = state::write_file(&marker, b"", 0o600, state::Durability::Runtime) {
            log::error!("cannot create {}: {e}", marker.display());
        }
        for dom in self.all() {
            let def = {
                let st = dom.lock();
                if !st.autostart || st.is_active() {
                    continue;
                }
                match st.config.clone() {
                    Some(d) => d,
                    None => continue,
                }
            };
            let name = def.name.clone();
            if let Err(e) = lifecycle::start(&self, &dom, def, 0).await {
                log::error!("Failed to autostart VM '{name}': {}", e.message);
            }
        }
    }
}

/// The QEMU driver as a daemon registers it.
pub struct QemuDriver {
    drv: Arc<Driver>,
}

/// Where the driver keeps its files, from the daemon's directories.
#[derive(Debug, Clone)]
pub struct DriverDirs {
    /// `/etc/libvirt` (or the session config dir).
    pub config: PathBuf,
    /// `/run/libvirt`.
    pub run: PathBuf,
    /// `/var/lib/libvirt`.
    pub lib: PathBuf,
    /// `/var/log/libvirt`.
    pub log: PathBuf,
    /// `/var/cache/libvirt`.
    pub cache: PathBuf,
    pub privileged: bool,
}

impl QemuDriver {
    /// Initialises the driver: reads qemu.conf, loads definitions and
    /// status files, and (in the background) re-attaches to running QEMUs
    /// and autostarts. Needs a tokio runtime.
    pub fn new(dirs: &DriverDirs) -> std::result::Result<QemuDriver, String> {
        let paths = QemuPaths::new(&dirs.config, &dirs.run, &dirs.lib, &dirs.log, &dirs.cache);
        paths
            .create_all()
            .map_err(|e| format!("cannot create the QEMU driver's directories: {e}"))?;
        let conf_file = dirs.config.join("qemu.conf");
        let config = QemuConfig::load(&conf_file, dirs.privileged)
            .map_err(|e| format!("cannot read {}: {e}", conf_file.display()))?;
        let drv = Arc::new(Driver {
            caps: CapsCache::new(paths.cache_dir.join("capabilities")),
            paths,
            privileged: dirs.privileged,
            config,
            timeouts: Timeouts::from_env(),
            events: DomainEventBus::new(),
            doms: Mutex::new(DomainList::default()),
            next_id: AtomicI32::new(1),
            ports: Mutex::new(HashMap::new()),
            firmwares: OnceLock::new(),
            host: OnceLock::new(),
            unplugs: Mutex::new(HashMap::new()),
        });
        // Capabilities are probed on first use, not here: a daemon that
        // never starts a guest never runs QEMU.
        drv.load();
        Ok(QemuDriver { drv })
    }

    /// The shared state (for tests).
    pub fn driver(&self) -> &Arc<Driver> {
        &self.drv
    }

    /// A connection, as `open` gives for `qemu:///system`.
    pub fn connect(&self) -> Arc<QemuConnection> {
        Arc::new(QemuConnection {
            drv: self.drv.clone(),
            resolver: Mutex::new(None),
        })
    }

    fn uri(&self) -> &'static str {
        if self.drv.privileged {
            "qemu:///system"
        } else {
            "qemu:///session"
        }
    }
}

impl ConnectDriver for QemuDriver {
    fn name(&self) -> &'static str {
        "qemu"
    }

    fn open(
        &self,
        uri: &ConnectUri,
        _ctx: &OpenContext,
    ) -> Result<Option<Arc<dyn HypervisorConnection>>> {
        if uri.scheme != "qemu" || !uri.host.is_empty() {
            return Ok(None);
        }
        let want = if self.drv.privileged {
            "/system"
        } else {
            "/session"
        };
        if uri.path != want {
            return Err(Error::new(
                ErrorDomain::QEMU,
                ErrorCode::INTERNAL_ERROR,
                format!(
                    "unexpected QEMU URI path '{}', try {}",
                    uri.path,
                    self.uri()
                ),
            ));
        }
        Ok(Some(self.connect() as Arc<dyn HypervisorConnection>))
    }

    fn probe_uri(&self, _ctx: &OpenContext) -> Option<String> {
        Some(self.uri().to_owned())
    }
}

/// One client's connection.
pub struct QemuConnection {
    pub(crate) drv: Arc<Driver>,
    /// How this client's `<disk type='volume'>` sources are found (its
    /// storage connection).
    resolver: Mutex<Option<Arc<dyn oxvirt_driver::storage::VolumeResolver>>>,
}

fn st_of(dom: &Dom) -> MutexGuard<'_, DomState> {
    dom.lock()
}

/// The running QEMU of `dom` with its monitor, or "not running".
pub(crate) fn running(dom: &Dom) -> Result<(Arc<Run>, Arc<crate::qmp::Monitor>)> {
    let st = dom.lock();
    if !st.is_active() {
        return Err(not_running());
    }
    let run = st.run.clone().ok_or_else(not_running)?;
    drop(st);
    let mon = run.monitor()?;
    Ok((run, mon))
}

/// `virDomainMemoryModFlags`.
const MEM_LIVE: u32 = 1;
const MEM_CONFIG: u32 = 2;
const MEM_MAXIMUM: u32 = 4;

impl QemuConnection {
    fn get(&self, d: &DomainRef) -> Result<Arc<Dom>> {
        self.drv.get(d)
    }

    /// Resolves CURRENT into LIVE or CONFIG for `st`.
    fn which(st: &DomState, flags: u32) -> Result<(bool, bool)> {
        let (mut live, mut config) = (flags & MEM_LIVE != 0, flags & MEM_CONFIG != 0);
        if !live && !config {
            if st.is_active() {
                live = true;
            } else {
                config = true;
            }
        }
        if live && !st.is_active() {
            return Err(not_running());
        }
        if config && !st.is_persistent() {
            return Err(Error::new(
                ErrorDomain::QEMU,
                ErrorCode::OPERATION_INVALID,
                "transient domains do not have any persistent config",
            ));
        }
        Ok((live, config))
    }

    /// Gives every `<disk type='volume'>` of a definition about to run the
    /// path of its volume, through the client's storage connection.
    async fn resolve_volumes(&self, mut def: DomainDef) -> Result<DomainDef> {
        use oxvirt_conf::domain::Device;
        let resolver = self
            .resolver
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for d in def.devices.iter_mut() {
            let Device::Disk(disk) = d else { continue };
            if disk.disk_type != "volume" || disk.source_path.is_some() {
                continue;
            }
            let Some(src) = disk.rest.child("source") else {
                continue;
            };
            let (Some(pool), Some(vol)) = (src.attr("pool"), src.attr("volume")) else {
                continue;
            };
            let Some(r) = resolver.as_ref() else {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::OPERATION_INVALID,
                    format!(
                        "cannot resolve volume '{vol}' in pool '{pool}' of disk {}: no storage connection",
                        disk.target_dev
                    ),
                ));
            };
            disk.source_path = Some(r.volume_path(pool, vol).await?);
        }
        Ok(def)
    }

    async fn job(&self, dom: &Dom, name: &'static str) -> Result<crate::domain::JobGuard> {
        dom.begin_job(name, self.drv.timeouts.job).await
    }
}

fn new_state(name: &str, config: Option<DomainDef>) -> DomState {
    DomState {
        name: name.to_owned(),
        config,
        live: None,
        autostart: false,
        id: -1,
        state: DomainState::Shutoff,
        reason: shutoff_reason::UNKNOWN,
        run: None,
        ptys: vec![],
        pause_reason: None,
        stop_intent: None,
        fake_reboot: false,
        after_shutdown: false,
        removed: false,
        console: None,
    }
}

fn hostname() -> std::io::Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates
    // within it on success.
    let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let n = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

#[async_trait]
impl HypervisorConnection for QemuConnection {
    fn error_domain(&self) -> ErrorDomain {
        ErrorDomain::QEMU
    }

    fn get_type(&self) -> String {
        "QEMU".into()
    }

    fn get_uri(&self) -> String {
        if self.drv.privileged {
            "qemu:///system".into()
        } else {
            "qemu:///session".into()
        }
    }

    fn get_version(&self) -> Result<u64> {
        Ok(u64::from(self.drv.caps_for(None, None)?.version))
    }

    fn get_hostname(&self) -> Result<String> {
        hostname()
            .map_err(|e| Error::system(ErrorDomain::NONE, "failed to determine host name", &e))
    }

    fn get_capabilities(&self) -> Result<String> {
        let mut emus = Vec::new();
        let mut i686 = None;
        for (arch, path) in caps::find_emulators() {
            if arch == "i686" {
                i686 = Some(path.to_string_lossy().into_owned());
                continue;
            }
            if let Ok(c) = self.drv.caps.lookup(&path) {
                emus.push(c);
            }
        }
        let refs: Vec<&QemuCaps> = emus.iter().map(|c| c.as_ref()).collect();
        let sec = caps::xml::SecurityInfo::dac(0, 0);
        Ok(caps::xml::capabilities_xml(
            self.drv.host(),
            &refs,
            i686.as_deref(),
            &sec,
            caps::kvm_usable(),
        ))
    }

    fn get_max_vcpus(&self, _type: Option<&str>) -> Result<i32> {
        let c = self.drv.caps_for(None, None)?;
        Ok(i32::try_from(c.max_vcpus(None)).unwrap_or(i32::MAX))
    }

    fn node_get_info(&self) -> Result<NodeInfo> {
        let h = self.drv.host();
        let cpus = h.cells.iter().map(|c| c.cpus.len()).sum::<usize>().max(1);
        Ok(NodeInfo {
            model: h.arch.clone(),
            memory: h.memory_kib,
            cpus: i32::try_from(cpus).unwrap_or(1),
            mhz: i32::try_from(h.cpu.mhz).unwrap_or(0),
            nodes: i32::try_from(h.cells.len().max(1)).unwrap_or(1),
            sockets: i32::try_from(h.topology.sockets).unwrap_or(1),
            cores: i32::try_from(h.topology.cores).unwrap_or(1),
            threads: i32::try_from(h.topology.threads).unwrap_or(1),
        })
    }

    fn node_get_free_memory(&self) -> Result<u64> {
        let text = std::fs::read_to_string("/proc/meminfo")
            .map_err(|e| Error::system(ErrorDomain::NONE, "cannot read /proc/meminfo", &e))?;
        let kib = text
            .lines()
            .find_map(|l| l.strip_prefix("MemFree:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        Ok(kib * 1024)
    }

    fn node_get_security_model(&self) -> Result<(String, String)> {
        Ok(("none".into(), "0".into()))
    }

    fn supports_feature(&self, feature: i32) -> bool {
        // TYPED_PARAM_STRING (9), NETWORK_UPDATE_HAS_CORRECT_ORDER (16) and
        // the stream/fd features the daemon answers itself.
        matches!(feature, 9 | 16)
    }

    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainRef>> {
        check_flags(flags, 0xffff, "qemuConnectListAllDomains")?;
        let doms = self.drv.all();
        let mut out = Vec::with_capacity(doms.len());
        for d in doms {
            let st = st_of(&d);
            if !st.removed && (flags == 0 || matches_filter(&st, flags)) {
                out.push(dref_of(d.uuid, &st));
            }
        }
        Ok(out)
    }

    fn lookup_domain_by_id(&self, id: i32) -> Result<DomainRef> {
        for d in self.drv.all() {
            let st = st_of(&d);
            if st.id == id && id >= 0 {
                return Ok(dref_of(d.uuid, &st));
            }
        }
        Err(no_domain_id(id))
    }

    fn lookup_domain_by_name(&self, name: &str) -> Result<DomainRef> {
        let d = self
            .drv
            .lock_doms()
            .by_name(name)
            .cloned()
            .ok_or_else(|| no_domain_name(name))?;
        Ok(d.dref())
    }

    fn lookup_domain_by_uuid(&self, uuid: &Uuid) -> Result<DomainRef> {
        let d = self.drv.lock_doms().by_uuid(uuid).cloned().ok_or_else(|| {
            Error::new(
                ErrorDomain::QEMU,
                ErrorCode::NO_DOMAIN,
                format!("no domain with matching uuid '{uuid}'"),
            )
        })?;
        Ok(d.dref())
    }

    async fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        check_flags(flags, 1, "qemuDomainDefineXMLFlags")?;
        let def = self.drv.parse_new_def(xml, flags & 1 != 0).await?;
        let (dom, existed) = {
            let mut list = self.drv.lock_doms();
            if let Some(d) = list.by_uuid(&def.uuid).cloned() {
                let st = d.lock();
                if st.name != def.name {
                    return Err(Error::new(
                        ErrorDomain::DOMAIN,
                        ErrorCode::OPERATION_FAILED,
                        format!(
                            "domain '{}' is already defined with uuid {}",
                            st.name, def.uuid
                        ),
                    ));
                }
                drop(st);
                (d, true)
            } else if let Some(d) = list.by_name(&def.name) {
                return Err(Error::new(
                    ErrorDomain::DOMAIN,
                    ErrorCode::OPERATION_FAILED,
                    format!("domain '{}' already exists with uuid {}", def.name, d.uuid),
                ));
            } else {
                let d = Dom::new(def.uuid, new_state(&def.name, None));
                list.insert(&def.name, d.clone());
                (d, false)
            }
        };
        if let Err(e) = self.drv.save_config(&dom, &def) {
            if !existed {
                self.drv.remove_domain(&dom, &def.name);
            }
            return Err(e);
        }
        let (dref, updated) = {
            let mut st = dom.lock();
            let updated = st.config.is_some();
            st.config = Some(def);
            (dref_of(dom.uuid, &st), updated)
        };
        let detail = if updated {
            event::DEFINED_UPDATED
        } else {
            event::DEFINED_ADDED
        };
        self.drv.events.lifecycle(&dref, event::DEFINED, detail);
        Ok(dref)
    }

    async fn domain_undefine(&self, d: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 0x7f, "qemuDomainUndefineFlags")?;
        let dom = self.get(d)?;
        let name = {
            let st = dom.lock();
            if !st.is_persistent() {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::OPERATION_INVALID,
                    "cannot undefine transient domain",
                ));
            }
            st.name.clone()
        };
        {
            let _w = self.drv.status_write_lock(&dom);
            state::delete_config(&self.drv.paths, &name)?;
        }
        let (dref, gone) = {
            let mut st = dom.lock();
            st.config = None;
            st.autostart = false;
            let gone = !st.is_active();
            if gone {
                st.removed = true;
            }
            (dref_of(dom.uuid, &st), gone)
        };
        if gone {
            self.drv.remove_domain(&dom, &name);
        }
        self.drv
            .events
            .lifecycle(&dref, event::UNDEFINED, event::UNDEFINED_REMOVED);
        Ok(())
    }

    async fn domain_create(&self, d: &DomainRef, flags: u32) -> Result<DomainRef> {
        check_flags(flags, 0x3f, "qemuDomainCreateWithFlags")?;
        let dom = self.get(d)?;
        let def = {
            let st = dom.lock();
            if st.is_active() {
                return Err(crate::domain::already_running());
            }
            st.config
                .clone()
                .ok_or_else(|| no_domain_uuid(&dom.uuid, &st.name))?
        };
        let def = self.resolve_volumes(def).await?;
        lifecycle::start(&self.drv, &dom, def, flags).await
    }

    async fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        check_flags(flags, 0x3f, "qemuDomainCreateXML")?;
        let def = self
            .drv
            .parse_new_def(xml, flags & start_flags::VALIDATE != 0)
            .await?;
        let (dom, created) = {
            let mut list = self.drv.lock_doms();
            if let Some(d) = list.by_uuid(&def.uuid).cloned() {
                let st = d.lock();
                if st.is_active() {
                    return Err(Error::new(
                        ErrorDomain::DOMAIN,
                        ErrorCode::OPERATION_INVALID,
                        format!("domain '{}' is already active", st.name),
                    ));
                }
                if st.name != def.name {
                    return Err(Error::new(
                        ErrorDomain::DOMAIN,
                        ErrorCode::OPERATION_FAILED,
                        format!(
                            "domain '{}' is already defined with uuid {}",
                            st.name, def.uuid
                        ),
                    ));
                }
                drop(st);
                (d, false)
            } else if let Some(d) = list.by_name(&def.name) {
                return Err(Error::new(
                    ErrorDomain::DOMAIN,
                    ErrorCode::OPERATION_FAILED,
                    format!("domain '{}' already exists with uuid {}", def.name, d.uuid),
                ));
            } else {
                let d = Dom::new(def.uuid, new_state(&def.name, None));
                list.insert(&def.name, d.clone());
                (d, true)
            }
        };
        let name = def.name.clone();
        let r = match self.resolve_volumes(def).await {
            Ok(def) => lifecycle::start(&self.drv, &dom, def, flags).await,
            Err(e) => Err(e),
        };
        if r.is_err() && created {
            let gone = {
                let mut st = dom.lock();
                let gone = !st.is_active() && !st.is_persistent();
                if gone {
                    st.removed = true;
                }
                gone
            };
            if gone {
                self.drv.remove_domain(&dom, &name);
            }
        }
        r
    }

    async fn domain_destroy(&self, d: &DomainRef, flags: u32) -> Result<()> {
        // VIR_DOMAIN_DESTROY_GRACEFUL.
        check_flags(flags, 1, "qemuDomainDestroyFlags")?;
        let dom = self.get(d)?;
        lifecycle::destroy(&self.drv, &dom, flags & 1 != 0).await
    }

    async fn domain_shutdown(&self, d: &DomainRef, flags: u32) -> Result<()> {
        // ACPI 1, AGENT 2, INITCTL 4, SIGNAL 8, PARAVIRT 16.
        check_flags(flags, 0x1f, "qemuDomainShutdownFlags")?;
        if flags != 0 && flags & 1 == 0 {
            return Err(Error::new(
                ErrorDomain::QEMU,
                ErrorCode::ARGUMENT_UNSUPPORTED,
                "QEMU guest agent is not configured",
            ));
        }
        let dom = self.get(d)?;
        let _job = self.job(&dom, "remoteDispatchDomainShutdown").await?;
        let (_run, mon) = running(&dom).map_err(|_| {
            Error::new(
                ErrorDomain::QEMU,
                ErrorCode::OPERATION_INVALID,
                "domain is not running",
            )
        })?;
        {
            let mut st = dom.lock();
            let restart = st
                .live
                .as_ref()
                .is_some_and(|l| l.on_poweroff == oxvirt_conf::domain::LifecycleAction::Restart);
            st.fake_reboot = restart;
        }
        lifecycle::save_status(&self.drv, &dom);
        mon.execute("system_powerdown", None, self.drv.timeouts.monitor)
            .await?;
        Ok(())
    }

    async fn domain_reboot(&self, d: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 0x1f, "qemuDomainReboot")?;
        if flags != 0 && flags & 1 == 0 {
            return Err(Error::new(
                ErrorDomain::QEMU,
                ErrorCode::ARGUMENT_UNSUPPORTED,
                "QEMU guest agent is not configured",
            ));
        }
        let dom = self.get(d)?;
        let _job = self.job(&dom, "remoteDispatchDomainReboot").await?;
        let (_run, mon) = running(&dom)?;
        dom.lock().fake_reboot = true;
        lifecycle::save_status(&self.drv, &dom);
        let r = mon
            .execute("system_powerdown", None, self.drv.timeouts.monitor)
            .await;
        if r.is_err() {
            dom.lock().fake_reboot = false;
        }
        r?;
        Ok(())
    }

    async fn domain_reset(&self, d: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 0, "qemuDomainReset")?;
        let dom = self.get(d)?;
        let _job = self.job(&dom, "remoteDispatchDomainReset").await?;
        let (_run, mon) = running(&dom)?;
        mon.execute("system_reset", None, self.drv.timeouts.monitor)
            .await?;
        Ok(())
    }

    async fn domain_suspend(&self, d: &DomainRef) -> Result<()> {
        let dom = self.get(d)?;
        let _job = self.job(&dom, "remoteDispatchDomainSuspend").await?;
        let (_run, mon) = running(&dom)?;
        {
            let mut st = dom.lock();
            if st.state == DomainState::Paused {
                return Ok(());
            }
            st.pause_reason = Some(paused_reason::USER);
        }
        mon.execute("stop", None, self.drv.timeouts.monitor).await?;
        let dref = {
            let mut st = dom.lock();
            if st.state == DomainState::Running {
                st.state = DomainState::Paused;
                st.reason = paused_reason::USER;
                st.pause_reason = None;
                Some(dref_of(dom.uuid, &st))
            } else {
                None
            }
        };
        lifecycle::save_status(&self.drv, &dom);
        if let Some(dref) = dref {
            self.drv
                .events
                .lifecycle(&dref, event::SUSPENDED, event::SUSPENDED_PAUSED);
        }
        Ok(())
    }

    async fn domain_resume(&self, d: &DomainRef) -> Result<()> {
        let dom = self.get(d)?;
        let _job = self.job(&dom, "remoteDispatchDomainResume").await?;
        let (_run, mon) = running(&dom)?;
        {
            let st = dom.lock();
            if st.state == DomainState::Running {
                return Ok(());
            }
        }
        mon.execute("cont", None, self.drv.timeouts.monitor).await?;
        let dref = {
            let mut st = dom.lock();
            if st.state == DomainState::Paused {
                st.state = DomainState::Running;
                st.reason = oxvirt_core::domain::running_reason::UNPAUSED;
                Some(dref_of(dom.uuid, &st))
            } else {
                None
            }
        };
        lifecycle::save_status(&self.drv, &dom);
        if let Some(dref) = dref {
            self.drv
                .events
                .lifecycle(&dref, event::RESUMED, event::RESUMED_UNPAUSED);
        }
        Ok(())
    }

    async fn domain_set_memory(&self, d: &DomainRef, kib: u64, flags: u32) -> Result<()> {
        check_flags(
            flags,
            MEM_LIVE | MEM_CONFIG | MEM_MAXIMUM,
            "qemuDomainSetMemoryFlags",
        )?;
        let dom = self.get(d)?;
        let _job = self.job(&dom, "remoteDispatchDomainSetMemoryFlags").await?;
        let (live, config) = {
            let st = dom.lock();
            Self::which(&st, flags & (MEM_LIVE | MEM_CONFIG))?
        };
        if flags & MEM_MAXIMUM != 0 {
            if live {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::OPERATION_INVALID,
                    "cannot resize the maximum memory on an active domain",
                ));
            }
            let def = {
                let mut st = dom.lock();
                let Some(c) = st.config.as_mut() else {
                    return Err(not_running());
                };
                c.set_memory_total(kib);
                c.clone()
            };
            return self.drv.save_config(&dom, &def);
        }
        if live {
            let (_run, mon) = running(&dom)?;
            let max = dom
                .lock()
                .live
                .as_ref()
                .map(|l| l.memory_total())
                .unwrap_or(0);
            if kib > max {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::INVALID_ARG,
                    "cannot set memory higher than max memory",
                ));
            }
            let has_balloon = dom.lock().live.as_ref().is_some_and(|l| l.has_memballoon());
            if !has_balloon {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::OPERATION_INVALID,
                    "Unable to change memory of active domain without the balloon device and guest OS balloon driver",
                ));
            }
            mon.call(
                "balloon",
                serde_json::json!({"value": kib.saturating_mul(1024)}),
                self.drv.timeouts.monitor,
            )
            .await?;
            lifecycle::save_status(&self.drv, &dom);
        }
        if config {
            let def = {
                let mut st = dom.lock();
                let Some(c) = st.config.as_mut() else {
                    return Err(not_running());
                };
                if kib > c.memory_total() {
                    return Err(Error::new(
                        ErrorDomain::QEMU,
                        ErrorCode::INVALID_ARG,
                        "cannot set memory higher than max memory",
                    ));
                }
                c.current_memory = kib;
                c.clone()
            };
            self.drv.save_config(&dom, &def)?;
        }
        Ok(())
    }

    fn domain_get_info(&self, d: &DomainRef) -> Result<DomainInfo> {
        let dom = self.get(d)?;
        let st = dom.lock();
        let def = st
            .def()
            .ok_or_else(|| no_domain_uuid(&dom.uuid, &st.name))?;
        let cpu_time = st
            .run
            .as_ref()
            .and_then(|r| process::cpu_times(r.pid))
            .map(|(u, s)| u + s)
            .unwrap_or(0);
        Ok(DomainInfo {
            state: st.state as i32,
            max_mem: def.memory_total(),
            memory: def.current_memory,
            nr_virt_cpu: def.vcpu.online(),
            cpu_time,
        })
    }

    fn domain_get_state(&self, d: &DomainRef, flags: u32) -> Result<(i32, i32)> {
        check_flags(flags, 0, "qemuDomainGetState")?;
        let dom = self.get(d)?;
        let st = dom.lock();
        Ok((st.state as i32, st.reason))
    }

    fn domain_get_xml_desc(&self, d: &DomainRef, flags: u32) -> Result<String> {
        check_flags(
            flags,
            format_flags::SECURE
                | format_flags::INACTIVE
                | format_flags::UPDATE_CPU
                | format_flags::MIGRATABLE,
            "qemuDomainGetXMLDesc",
        )?;
        let dom = self.get(d)?;
        let st = dom.lock();
        let def = if flags & format_flags::INACTIVE != 0 {
            st.config.as_ref().or(st.live.as_ref())
        } else {
            st.def()
        };
        let def = def.ok_or_else(|| no_domain_uuid(&dom.uuid, &st.name))?;
        let mut flags = flags;
        if !st.is_active() {
            flags |= format_flags::INACTIVE;
        }
        Ok(def.format(flags))
    }

    fn domain_get_autostart(&self, d: &DomainRef) -> Result<bool> {
        Ok(self.get(d)?.lock().autostart)
    }

    fn domain_set_autostart(&self, d: &DomainRef, autostart: bool) -> Result<()> {
        let dom = self.get(d)?;
        let name = {
            let st = dom.lock();
            if !st.is_persistent() {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::OPERATION_INVALID,
                    "cannot set autostart for transient domain",
                ));
            }
            if st.autostart == autostart {
                return Ok(());
            }
            st.name.clone()
        };
        {
            let _w = self.drv.status_write_lock(&dom);
            state::set_autostart(&self.drv.paths, &name, autostart)?;
        }
        dom.lock().autostart = autostart;
        Ok(())
    }

    fn domain_is_active(&self, d: &DomainRef) -> Result<bool> {
        Ok(self.get(d)?.lock().is_active())
    }

    fn domain_is_persistent(&self, d: &DomainRef) -> Result<bool> {
        Ok(self.get(d)?.lock().is_persistent())
    }

    fn domain_is_updated(&self, d: &DomainRef) -> Result<bool> {
        self.get(d)?;
        Ok(false)
    }

    fn domain_get_os_type(&self, d: &DomainRef) -> Result<String> {
        let dom = self.get(d)?;
        let st = dom.lock();
        Ok(st
            .def()
            .map(|d| d.os.os_type.clone())
            .unwrap_or_else(|| "hvm".into()))
    }

    fn domain_get_max_memory(&self, d: &DomainRef) -> Result<u64> {
        let dom = self.get(d)?;
        let st = dom.lock();
        Ok(st.def().map(|d| d.memory_total()).unwrap_or(0))
    }

    fn domain_has_managed_save_image(&self, d: &DomainRef, flags: u32) -> Result<bool> {
        check_flags(flags, 0, "qemuDomainHasManagedSaveImage")?;
        self.get(d)?;
        Ok(false)
    }

    fn domain_get_security_label(&self, d: &DomainRef) -> Result<(String, bool)> {
        self.get(d)?;
        Ok((String::new(), false))
    }

    fn domain_get_vcpus_flags(&self, d: &DomainRef, flags: u32) -> Result<i32> {
        const MAXIMUM: u32 = 4;
        check_flags(flags, 1 | 2 | MAXIMUM | 8, "qemuDomainGetVcpusFlags")?;
        let dom = self.get(d)?;
        let st = dom.lock();
        let (live, _config) = Self::which(&st, flags & 3)?;
        let def = if live {
            st.live.as_ref()
        } else {
            st.config.as_ref()
        };
        let def = def.ok_or_else(not_running)?;
        let n = if flags & MAXIMUM != 0 {
            def.vcpu.max
        } else {
            def.vcpu.online()
        };
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    fn get_all_domain_stats(
        &self,
        doms: &[DomainRef],
        stats: u32,
        flags: u32,
    ) -> Result<Vec<DomainStatsRecord>> {
        crate::stats::collect_cached(&self.drv, doms, stats, flags)
    }

    async fn get_all_domain_stats_async(
        &self,
        doms: &[DomainRef],
        stats: u32,
        flags: u32,
    ) -> Result<Vec<DomainStatsRecord>> {
        crate::stats::collect(&self.drv, doms, stats, flags).await
    }

    async fn domain_open_console(
        &self,
        d: &DomainRef,
        dev_name: Option<&str>,
        flags: u32,
    ) -> Result<DriverStream> {
        let dom = self.get(d)?;
        crate::console::open(&dom, dev_name, flags)
    }

    fn get_domain_capabilities(
        &self,
        emulator: Option<&str>,
        arch: Option<&str>,
        machine: Option<&str>,
        virttype: Option<&str>,
        flags: u32,
    ) -> Result<String> {
        check_flags(flags, 1, "qemuConnectGetDomainCapabilities")?;
        let caps = self.drv.caps_for(emulator, arch)?;
        if let Some(a) = arch {
            if a != caps.arch && !(a == "i686" && caps.arch == "x86_64") {
                return Err(Error::new(
                    ErrorDomain::QEMU,
                    ErrorCode::INVALID_ARG,
                    format!(
                        "architecture from emulator '{}' doesn't match given architecture '{a}'",
                        caps.arch
                    ),
                ));
            }
        }
        let req = caps::xml::DomCapsRequest {
            virt_type: virttype.map(str::to_owned),
            machine: machine.map(str::to_owned),
        };
        caps::xml::domain_capabilities_xml(
            &caps,
            self.drv.host(),
            self.drv.firmwares(),
            &req,
            caps::kvm_usable(),
        )
    }

    async fn domain_attach_device(&self, d: &DomainRef, xml: &str, flags: u32) -> Result<()> {
        let dom = self.get(d)?;
        crate::hotplug::attach(&self.drv, &dom, xml, flags).await
    }

    async fn domain_detach_device(&self, d: &DomainRef, xml: &str, flags: u32) -> Result<()> {
        let dom = self.get(d)?;
        crate::hotplug::detach(&self.drv, &dom, xml, flags).await
    }

    async fn domain_update_device(&self, d: &DomainRef, xml: &str, flags: u32) -> Result<()> {
        let dom = self.get(d)?;
        crate::hotplug::update(&self.drv, &dom, xml, flags).await
    }

    async fn domain_memory_stats(
        &self,
        d: &DomainRef,
        max: u32,
        flags: u32,
    ) -> Result<Vec<(i32, u64)>> {
        let dom = self.get(d)?;
        crate::stats::memory_stats(&dom, max, flags).await
    }

    async fn domain_block_stats(&self, d: &DomainRef, path: &str) -> Result<[i64; 5]> {
        let dom = self.get(d)?;
        crate::stats::block_stats(&dom, path).await
    }

    async fn domain_interface_stats(&self, d: &DomainRef, device: &str) -> Result<[i64; 8]> {
        let dom = self.get(d)?;
        crate::stats::interface_stats(&dom, device)
    }

    fn set_volume_resolver(&self, resolver: Arc<dyn oxvirt_driver::storage::VolumeResolver>) {
        *self.resolver.lock().unwrap_or_else(|p| p.into_inner()) = Some(resolver);
    }

    fn domain_events(&self) -> Option<&DomainEventBus> {
        Some(&self.drv.events)
    }
}
