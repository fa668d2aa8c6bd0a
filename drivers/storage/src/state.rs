//! The driver's state: pools and their volumes, the files that make pools
//! persistent and active, and recovery after a restart.
//!
//! Locking: the pool list is a `std::sync::Mutex` held only to look up,
//! insert or remove. Each pool has a short `std::sync::Mutex` for its object
//! (never held across `.await`) and an async job lock taken by every
//! operation that changes the pool on the host (build, start, stop, delete,
//! refresh, undefine), so those never interleave. Volume creation does not
//! take the job lock: it counts as an asynchronous job, which start-stop
//! operations refuse to run past, as in libvirt.

use crate::backend::{self, blocking, Backend, Ctx, Refreshed};
use crate::errors;
use crate::files::{self, StoragePaths};
use crate::volume::VolRecord;
use oxvirt_conf::storage::pool::PoolNumbers;
use oxvirt_conf::storage::{Perms, PoolDef};
use oxvirt_core::{Result, Uuid};
use oxvirt_driver::storage::{event, PoolEventBus, PoolRef};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;

/// One pool.
pub struct Pool {
    pub name: String,
    pub uuid: Uuid,
    obj: Mutex<PoolObj>,
    /// Serialises operations that change the pool on the host.
    pub job: tokio::sync::Mutex<()>,
}

/// The mutable part of a pool.
#[derive(Debug, Clone)]
pub struct PoolObj {
    /// The live definition (or the persistent one while inactive).
    pub def: PoolDef,
    /// A definition waiting for the pool to stop (redefined while active).
    pub new_def: Option<PoolDef>,
    pub persistent: bool,
    pub autostart: bool,
    pub active: bool,
    pub numbers: PoolNumbers,
    pub target_perms: Option<Perms>,
    pub vols: Vec<VolRecord>,
    /// Volumes being created and streams open: start/stop wait for none.
    pub async_jobs: u32,
    /// Removed from the list (undefined, or transient and stopped).
    pub gone: bool,
}

impl Pool {
    /// A defined (persistent) pool, inactive.
    pub fn new_persistent(def: PoolDef) -> Arc<Pool> {
        Pool::new(def, true)
    }

    /// A pool that lives only while it runs.
    pub fn new_transient(def: PoolDef) -> Arc<Pool> {
        Pool::new(def, false)
    }

    fn new(def: PoolDef, persistent: bool) -> Arc<Pool> {
        Arc::new(Pool {
            name: def.name.clone(),
            uuid: def.uuid,
            obj: Mutex::new(PoolObj {
                def,
                new_def: None,
                persistent,
                autostart: false,
                active: false,
                numbers: PoolNumbers::default(),
                target_perms: None,
                vols: Vec::new(),
                async_jobs: 0,
                gone: false,
            }),
            job: tokio::sync::Mutex::new(()),
        })
    }

    /// The pool object; a poisoned lock is still consistent (every update is
    /// a plain assignment).
    pub fn lock(&self) -> MutexGuard<'_, PoolObj> {
        self.obj.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn pool_ref(&self) -> PoolRef {
        PoolRef {
            name: self.name.clone(),
            uuid: self.uuid,
        }
    }

    /// The definition and whether the pool is active, copied out.
    pub fn snapshot(&self) -> (PoolDef, bool) {
        let o = self.lock();
        (o.def.clone(), o.active)
    }
}

/// What every connection shares.
pub struct Shared {
    pub paths: StoragePaths,
    pub privileged: bool,
    pub cx: Ctx,
    pools: Mutex<Vec<Arc<Pool>>>,
    /// Serialises changes to the pool list (define, create, undefine).
    pub list_lock: tokio::sync::Mutex<()>,
    pub events: PoolEventBus,
    ready_tx: watch::Sender<bool>,
}

impl Shared {
    pub fn new(paths: StoragePaths, privileged: bool, cx: Ctx) -> Arc<Shared> {
        Arc::new(Shared {
            paths,
            privileged,
            cx,
            pools: Mutex::new(Vec::new()),
            list_lock: tokio::sync::Mutex::new(()),
            events: PoolEventBus::new(),
            ready_tx: watch::channel(false).0,
        })
    }

    fn list(&self) -> MutexGuard<'_, Vec<Arc<Pool>>> {
        self.pools.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every pool, sorted by name.
    pub fn pools(&self) -> Vec<Arc<Pool>> {
        let mut v = self.list().clone();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    pub fn find_name(&self, name: &str) -> Option<Arc<Pool>> {
        self.list().iter().find(|p| p.name == name).cloned()
    }

    pub fn find_uuid(&self, uuid: &Uuid) -> Option<Arc<Pool>> {
        self.list().iter().find(|p| p.uuid == *uuid).cloned()
    }

    pub fn insert(&self, p: Arc<Pool>) {
        self.list().push(p);
    }

    pub fn remove(&self, p: &Arc<Pool>) {
        p.lock().gone = true;
        self.list().retain(|q| !Arc::ptr_eq(q, p));
    }

    /// Resolves a handle as libvirt does: by UUID, with the name in the
    /// error.
    pub fn get(&self, r: &PoolRef) -> Result<Arc<Pool>> {
        self.find_uuid(&r.uuid)
            .ok_or_else(|| errors::no_pool_uuid(&r.uuid, Some(&r.name)))
    }

    /// Waits until start-up recovery has finished.
    pub async fn ready(&self) {
        let mut rx = self.ready_tx.subscribe();
        let _ = rx.wait_for(|r| *r).await;
    }

    pub fn set_ready(&self) {
        self.ready_tx.send_replace(true);
    }

    pub fn lifecycle(&self, p: &Pool, ev: i32) {
        self.events.lifecycle(&p.pool_ref(), ev);
    }

    /// Writes the status file of an active pool.
    pub async fn save_state(
        &self,
        def: &PoolDef,
        numbers: PoolNumbers,
        perms: Option<Perms>,
    ) -> Result<()> {
        let path = self.paths.state_file(&def.name);
        let text = def.format_state(numbers, perms.as_ref());
        blocking(move || files::write_atomic(&path, text.as_bytes())).await
    }

    pub async fn remove_state(&self, name: &str) -> Result<()> {
        let path = self.paths.state_file(name);
        blocking(move || files::remove(&path)).await
    }

    pub async fn save_config(&self, def: &PoolDef) -> Result<()> {
        let path = self.paths.config_file(&def.name);
        let text = def.format_config();
        blocking(move || files::write_atomic(&path, text.as_bytes())).await
    }

    /// Applies a refresh to the pool object, keeping the bookkeeping of
    /// volumes that are still there (open streams, creations under way).
    pub fn apply_refresh(&self, p: &Pool, r: Refreshed) {
        let mut o = p.lock();
        let mut vols = r.vols;
        for v in &mut vols {
            if let Some(old) = o.vols.iter().find(|x| x.name == v.name) {
                v.in_use = old.in_use;
            }
        }
        // Volumes being created are not on disk yet, or only half.
        for old in o.vols.iter().filter(|x| x.building) {
            vols.retain(|v| v.name != old.name);
            vols.push(old.clone());
        }
        vols.sort_by(|a, b| a.name.cmp(&b.name));
        o.vols = vols;
        o.numbers = r.numbers;
        o.target_perms = r.target_perms;
        if !r.free_extents.is_empty() {
            for (dev, free) in r.free_extents {
                if let Some(d) = o.def.source.devices.iter_mut().find(|d| d.path == dev) {
                    d.free_extents = free;
                }
            }
        }
        if let Some(f) = r.source_format {
            if o.def.source.format.as_deref() == Some("unknown") {
                o.def.source.format = Some(f);
            }
        }
    }

    /// Marks a pool inactive and forgets its runtime data.
    pub fn deactivate(&self, p: &Arc<Pool>) {
        let transient = {
            let mut o = p.lock();
            o.active = false;
            o.vols.clear();
            o.numbers = PoolNumbers::default();
            o.target_perms = None;
            for d in &mut o.def.source.devices {
                d.free_extents.clear();
            }
            if let Some(nd) = o.new_def.take() {
                o.def = nd;
            }
            !o.persistent
        };
        if transient {
            self.remove(p);
        }
    }

    /// Starts a pool on the host: backend start, status file (written
    /// before the first refresh, as libvirt), refresh. On a refresh failure
    /// the pool is stopped again. The caller holds the job lock.
    pub async fn start_pool(&self, p: &Arc<Pool>, backend: &dyn Backend) -> Result<()> {
        let (def, _) = p.snapshot();
        backend.start(&self.cx, &def).await?;
        let started = async {
            self.save_state(&def, PoolNumbers::default(), None).await?;
            backend.refresh(&self.cx, &def).await
        }
        .await;
        match started {
            Ok(r) => {
                p.lock().active = true;
                self.apply_refresh(p, r);
                Ok(())
            }
            Err(e) => {
                let _ = backend.stop(&self.cx, &def).await;
                let _ = self.remove_state(&def.name).await;
                Err(e)
            }
        }
    }

    /// Stops a pool on the host and removes its status file. The caller
    /// holds the job lock.
    pub async fn stop_pool(&self, p: &Arc<Pool>, backend: &dyn Backend) -> Result<()> {
        let def = p.snapshot().0;
        backend.stop(&self.cx, &def).await?;
        self.remove_state(&def.name).await?;
        self.deactivate(p);
        Ok(())
    }
}

/// Loads the persistent pools and the status of active ones; returns the
/// pools whose status file says they were running.
pub fn load(shared: &Shared, random: &mut dyn FnMut() -> [u8; 16]) -> Vec<(Arc<Pool>, PoolDef)> {
    for (path, text) in files::read_xml_dir(&shared.paths.config_dir) {
        let def = match PoolDef::parse(&text, random) {
            Ok(d) => d,
            Err(e) => {
                log::error!("cannot load storage pool config {}: {e}", path.display());
                continue;
            }
        };
        if path.file_stem().and_then(|s| s.to_str()) != Some(def.name.as_str()) {
            log::error!(
                "storage pool config filename '{}' does not match pool name '{}'",
                path.display(),
                def.name
            );
            continue;
        }
        if shared.find_name(&def.name).is_some() || shared.find_uuid(&def.uuid).is_some() {
            log::error!(
                "duplicate storage pool '{}' in {}",
                def.name,
                path.display()
            );
            continue;
        }
        let autostart = shared.paths.autostart_link(&def.name).exists();
        let p = Pool::new(def, true);
        p.lock().autostart = autostart;
        shared.insert(p);
    }
    let mut running = Vec::new();
    for (path, text) in files::read_xml_dir(&shared.paths.state_dir) {
        let def = match PoolDef::parse_state(&text, random) {
            Ok(d) => d,
            Err(e) => {
                log::error!("cannot load storage pool state {}: {e}", path.display());
                continue;
            }
        };
        let p = match shared.find_uuid(&def.uuid) {
            Some(p) if p.name == def.name => {
                let mut o = p.lock();
                if o.def != def {
                    o.new_def = Some(std::mem::replace(&mut o.def, def.clone()));
                }
                drop(o);
                p
            }
            Some(_) => {
                log::error!(
                    "storage pool state {} clashes with a defined pool",
                    path.display()
                );
                continue;
            }
            None => {
                let p = Pool::new(def.clone(), false);
                shared.insert(p.clone());
                p
            }
        };
        running.push((p, def));
    }
    running
}

/// How long start-up recovery waits for one pool.
const RECOVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// SIGHUP: picks up pool configs written behind the daemon's back (new
/// names only; a running daemon's pools are its own).
pub async fn reload(shared: Arc<Shared>) {
    let _list = shared.list_lock.lock().await;
    let mut random = || {
        let mut b = [0u8; 16];
        let _ = getrandom::fill(&mut b);
        b
    };
    for (path, text) in files::read_xml_dir(&shared.paths.config_dir) {
        let Ok(def) = PoolDef::parse(&text, &mut random) else {
            log::error!("cannot load storage pool config {}", path.display());
            continue;
        };
        if shared.find_name(&def.name).is_some() || shared.find_uuid(&def.uuid).is_some() {
            continue;
        }
        if path.file_stem().and_then(|s| s.to_str()) != Some(def.name.as_str()) {
            continue;
        }
        let autostart = shared.paths.autostart_link(&def.name).exists();
        let p = Pool::new(def, true);
        p.lock().autostart = autostart;
        log::info!("storage pool '{}' loaded on reload", p.name);
        shared.insert(p);
    }
}

/// After a restart: re-checks every pool that was running, refreshes the
/// ones still up and forgets the rest; then starts autostart pools once per
/// boot (the `autostarted` marker).
pub async fn recover(shared: Arc<Shared>, running: Vec<(Arc<Pool>, PoolDef)>) {
    for (p, def) in running {
        let _job = p.job.lock().await;
        let Some(b) = backend::for_type(def.pool_type) else {
            continue;
        };
        // A host that does not answer (a hung device) must not keep the
        // daemon from serving.
        let checked = tokio::time::timeout(RECOVERY_TIMEOUT, async {
            if !b.check(&shared.cx, &def).await.unwrap_or(false) {
                return None;
            }
            match b.refresh(&shared.cx, &def).await {
                Ok(r) => Some(r),
                Err(e) => {
                    log::error!("Failed to refresh storage pool '{}': {e}", p.name);
                    let _ = b.stop(&shared.cx, &def).await;
                    None
                }
            }
        })
        .await
        .unwrap_or_else(|_| {
            log::error!("checking storage pool '{}' timed out", p.name);
            None
        });
        if let Some(r) = checked {
            p.lock().active = true;
            shared.apply_refresh(&p, r);
            continue;
        }
        log::info!("storage pool '{}' is no longer active", p.name);
        let _ = shared.remove_state(&def.name).await;
        shared.deactivate(&p);
    }
    let marker = shared.paths.state_dir.join("autostarted");
    if !marker.exists() {
        for p in shared.pools() {
            let (def, active) = p.snapshot();
            if active || !p.lock().autostart {
                continue;
            }
            let _job = p.job.lock().await;
            let Some(b) = backend::for_type(def.pool_type) else {
                continue;
            };
            match shared.start_pool(&p, b).await {
                Ok(()) => shared.lifecycle(&p, event::STARTED),
                Err(e) => log::error!("Failed to autostart storage pool '{}': {e}", p.name),
            }
        }
        if let Err(e) = files::write_atomic(&marker, b"") {
            log::warn!("{e}");
        }
    }
    shared.set_ready();
}
