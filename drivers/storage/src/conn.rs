//! The storage API a client connection sees: libvirt's storage driver
//! entry points, one method each.

use crate::backend::{self, blocking, Backend, NewVol};
use crate::errors;
use crate::files;
use crate::state::{Pool, Shared};
use crate::stream::{DownloadSource, UploadSink};
use crate::volume::{self, VolRecord};
use async_trait::async_trait;
use oxvirt_conf::storage::pool::PoolNumbers;
use oxvirt_conf::storage::volume::parse_flags;
use oxvirt_conf::storage::{PoolDef, PoolType, VolDef};
use oxvirt_core::{Result, Uuid};
use oxvirt_driver::storage::flags::{
    list_pools, pool_build, pool_create, pool_define, vol_create, vol_delete, vol_info, vol_resize,
    vol_stream, wipe, xml,
};
use oxvirt_driver::storage::{
    event, PoolEventBus, PoolInfo, PoolRef, PoolState, StorageConnection, VolInfo, VolRef, VolType,
};
use oxvirt_driver::DriverStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One client's storage connection.
pub struct StorageConn {
    pub(crate) shared: Arc<Shared>,
}

fn check_flags(flags: u32, allowed: u32, func: &str) -> Result<()> {
    if flags & !allowed != 0 {
        return Err(errors::invalid_arg(format!(
            "unsupported flags (0x{:x}) in function {func}",
            flags & !allowed
        )));
    }
    Ok(())
}

fn backend_of(t: PoolType) -> Result<&'static dyn Backend> {
    backend::for_type(t).ok_or_else(|| backend::missing(t))
}

fn type_bit(t: PoolType) -> u32 {
    use list_pools as l;
    match t {
        PoolType::Dir => l::DIR,
        PoolType::Fs => l::FS,
        PoolType::Netfs => l::NETFS,
        PoolType::Logical => l::LOGICAL,
        PoolType::Disk => l::DISK,
        PoolType::Iscsi => l::ISCSI,
        PoolType::IscsiDirect => l::ISCSI_DIRECT,
        PoolType::Scsi => l::SCSI,
        PoolType::Mpath => l::MPATH,
        PoolType::Rbd => l::RBD,
        PoolType::Sheepdog => l::SHEEPDOG,
        PoolType::Gluster => l::GLUSTER,
        PoolType::Zfs => l::ZFS,
        PoolType::Vstorage => l::VSTORAGE,
    }
}

/// Whether one group of list filter bits lets a pool through.
fn group(flags: u32, yes: u32, no: u32, is: bool) -> bool {
    let f = flags & (yes | no);
    f == 0 || f == yes | no || (is && f == yes) || (!is && f == no)
}

/// Two pools that would manage the same storage.
fn same_source(a: &PoolDef, b: &PoolDef) -> bool {
    if a.pool_type != b.pool_type {
        return false;
    }
    let dev = |d: &PoolDef| {
        d.source
            .devices
            .iter()
            .map(|x| x.path.clone())
            .collect::<Vec<_>>()
    };
    match a.pool_type {
        PoolType::Dir => a.target_path == b.target_path,
        PoolType::Netfs => {
            a.source.dir == b.source.dir
                && a.source.hosts.first().map(|h| &h.0) == b.source.hosts.first().map(|h| &h.0)
        }
        PoolType::Logical => {
            a.source.name == b.source.name || dev(a).iter().any(|p| dev(b).contains(p))
        }
        _ => dev(a).iter().any(|p| dev(b).contains(p)),
    }
}

fn os_random() -> [u8; 16] {
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

/// Encrypted volumes need a secret's value from the secret driver, which
/// this driver cannot reach: refused rather than made in the clear.
fn refuse_encryption(vd: &VolDef) -> Result<()> {
    if vd.target.encryption.is_some() {
        return Err(errors::unsupported(
            "encrypted volumes are not supported: the storage driver has no secret driver to take the passphrase from",
        ));
    }
    Ok(())
}

/// Holds a volume open for a stream; released when dropped.
struct InUse {
    pool: Arc<Pool>,
    name: String,
}

impl InUse {
    fn take(pool: &Arc<Pool>, vol: &VolRecord) -> InUse {
        let mut o = pool.lock();
        if let Some(v) = o.vols.iter_mut().find(|v| v.name == vol.name) {
            v.in_use += 1;
        }
        o.async_jobs += 1;
        InUse {
            pool: pool.clone(),
            name: vol.name.clone(),
        }
    }
}

impl Drop for InUse {
    fn drop(&mut self) {
        let mut o = self.pool.lock();
        if let Some(v) = o.vols.iter_mut().find(|v| v.name == self.name) {
            v.in_use = v.in_use.saturating_sub(1);
        }
        o.async_jobs = o.async_jobs.saturating_sub(1);
    }
}

/// Marks a volume creation under way in its pool; undone when dropped.
struct Building {
    pool: Arc<Pool>,
    name: String,
    keep: bool,
}

impl Drop for Building {
    fn drop(&mut self) {
        let mut o = self.pool.lock();
        o.async_jobs = o.async_jobs.saturating_sub(1);
        if !self.keep {
            o.vols.retain(|v| !(v.name == self.name && v.building));
        }
    }
}

impl StorageConn {
    async fn pool(&self, r: &PoolRef) -> Result<Arc<Pool>> {
        self.shared.ready().await;
        self.shared.get(r)
    }

    async fn active_pool(&self, r: &PoolRef) -> Result<Arc<Pool>> {
        let p = self.pool(r).await?;
        if !p.lock().active {
            return Err(errors::pool_not_active(&p.name));
        }
        Ok(p)
    }

    /// A volume of an active pool, by its handle.
    async fn vol(&self, r: &VolRef) -> Result<(Arc<Pool>, VolRecord)> {
        self.shared.ready().await;
        let p = self
            .shared
            .find_name(&r.pool)
            .ok_or_else(|| errors::no_pool_name(&r.pool))?;
        let o = p.lock();
        if !o.active {
            return Err(errors::pool_not_active(&p.name));
        }
        let v = o
            .vols
            .iter()
            .find(|v| v.name == r.name)
            .cloned()
            .ok_or_else(|| errors::no_vol_name(&r.name))?;
        drop(o);
        Ok((p, v))
    }

    /// The volume as it is now on the host (libvirt refreshes a volume on
    /// every info and XML query).
    async fn fresh_vol(&self, r: &VolRef) -> Result<(Arc<Pool>, VolRecord)> {
        let (p, v) = self.vol(r).await?;
        if v.building {
            return Ok((p, v));
        }
        let def = p.snapshot().0;
        let b = backend_of(def.pool_type)?;
        let nv = b.refresh_vol(&self.shared.cx, &def, &v).await?;
        let mut o = p.lock();
        if let Some(slot) = o.vols.iter_mut().find(|x| x.name == nv.name) {
            let (in_use, building) = (slot.in_use, slot.building);
            *slot = nv.clone();
            slot.in_use = in_use;
            slot.building = building;
        }
        Ok((p.clone(), nv))
    }

    fn vol_ref(p: &Pool, v: &VolRecord) -> VolRef {
        VolRef {
            pool: p.name.clone(),
            name: v.name.clone(),
            key: v.key.clone(),
        }
    }

    /// Checks a new definition against the others: same name with another
    /// UUID, same UUID with another name, same storage as another pool.
    fn check_duplicate(&self, def: &PoolDef, check_active: bool) -> Result<Option<Arc<Pool>>> {
        let existing = match self.shared.find_uuid(&def.uuid) {
            Some(p) => {
                if p.name != def.name {
                    return Err(errors::failed(format!(
                        "pool '{}' is already defined with uuid {}",
                        p.name, p.uuid
                    )));
                }
                if check_active && p.lock().active {
                    return Err(errors::invalid(format!(
                        "pool is already active as '{}'",
                        p.name
                    )));
                }
                Some(p)
            }
            None => {
                if let Some(p) = self.shared.find_name(&def.name) {
                    return Err(errors::failed(format!(
                        "pool '{}' already exists with uuid {}",
                        p.name, p.uuid
                    )));
                }
                None
            }
        };
        for p in self.shared.pools() {
            if p.uuid == def.uuid {
                continue;
            }
            let other = p.snapshot().0;
            if same_source(&other, def) {
                return Err(errors::failed(format!(
                    "Storage source conflict with pool: '{}'",
                    p.name
                )));
            }
        }
        Ok(existing)
    }

    fn parse_pool(&self, text: &str) -> Result<PoolDef> {
        let def = PoolDef::parse(text, &mut os_random)?;
        errors::check_pool_name(&def.name)?;
        if let Some(t) = def.target_path.as_deref() {
            if !t.starts_with('/') {
                return Err(errors::invalid_arg(format!(
                    "storage pool target path '{t}' must be absolute"
                )));
            }
        }
        backend_of(def.pool_type)?;
        Ok(def)
    }

    /// Starts a volume creation: checks and reserves the name.
    fn reserve(&self, p: &Arc<Pool>, vd: &VolDef) -> Result<(PoolDef, String, Building)> {
        let mut o = p.lock();
        if !o.active {
            return Err(errors::pool_not_active(&p.name));
        }
        let b = backend_of(o.def.pool_type)?;
        let path = b.vol_path(&o.def, &vd.name, &o.vols)?;
        o.vols.push(VolRecord {
            name: vd.name.clone(),
            key: path.clone(),
            path: path.clone(),
            kind: Some(VolType::File),
            capacity: vd.capacity.unwrap_or(0),
            format: vd.target.format.clone(),
            building: true,
            ..VolRecord::default()
        });
        o.async_jobs += 1;
        let def = o.def.clone();
        Ok((
            def,
            path,
            Building {
                pool: p.clone(),
                name: vd.name.clone(),
                keep: false,
            },
        ))
    }

    /// After a successful create: the volume as it is on disk.
    async fn finish_create(
        &self,
        p: &Arc<Pool>,
        def: &PoolDef,
        path: &str,
        mut guard: Building,
    ) -> Result<VolRef> {
        let b = backend_of(def.pool_type)?;
        let probe = VolRecord {
            name: guard.name.clone(),
            key: path.to_owned(),
            path: path.to_owned(),
            ..VolRecord::default()
        };
        let nv = b.refresh_vol(&self.shared.cx, def, &probe).await?;
        {
            let mut o = p.lock();
            o.vols.retain(|v| v.name != nv.name);
            o.vols.push(nv.clone());
            o.vols.sort_by(|a, b| a.name.cmp(&b.name));
        }
        guard.keep = true;
        drop(guard);
        self.refresh_after_change(p).await;
        Ok(Self::vol_ref(p, &nv))
    }

    /// After an upload: refresh the whole pool and tell listeners, as
    /// libvirt does.
    fn refresh_after_upload(shared: Arc<Shared>, pool: Arc<Pool>) {
        tokio::spawn(async move {
            let _job = pool.job.lock().await;
            let (def, active) = pool.snapshot();
            if !active || pool.lock().gone {
                return;
            }
            let Some(b) = backend::for_type(def.pool_type) else {
                return;
            };
            match b.refresh(&shared.cx, &def).await {
                Ok(r) => {
                    shared.apply_refresh(&pool, r);
                    shared.events.refresh(&pool.pool_ref());
                }
                Err(e) => log::warn!("refresh of pool '{}' after upload failed: {e}", pool.name),
            }
        });
    }

    /// Pools whose numbers come from the device (disk, logical) are read
    /// again after a volume comes or goes, as libvirt does.
    async fn refresh_after_change(&self, p: &Arc<Pool>) {
        let def = p.snapshot().0;
        if matches!(
            def.pool_type,
            PoolType::Dir | PoolType::Fs | PoolType::Netfs
        ) {
            return;
        }
        if let Some(b) = backend::for_type(def.pool_type) {
            match b.refresh(&self.shared.cx, &def).await {
                Ok(r) => self.shared.apply_refresh(p, r),
                Err(e) => log::warn!("cannot refresh pool '{}': {e}", p.name),
            }
        }
    }

    fn numbers_now(p: &Pool) -> PoolNumbers {
        let o = p.lock();
        o.numbers
    }
}

#[async_trait]
impl StorageConnection for StorageConn {
    async fn list_all_pools(&self, flags: u32) -> Result<Vec<PoolRef>> {
        use list_pools as l;
        let all = l::INACTIVE
            | l::ACTIVE
            | l::PERSISTENT
            | l::TRANSIENT
            | l::AUTOSTART
            | l::NO_AUTOSTART
            | l::ALL_TYPES;
        check_flags(flags, all, "storageConnectListAllStoragePools")?;
        self.shared.ready().await;
        Ok(self
            .shared
            .pools()
            .into_iter()
            .filter(|p| {
                let o = p.lock();
                let types = flags & l::ALL_TYPES;
                group(flags, l::ACTIVE, l::INACTIVE, o.active)
                    && group(flags, l::PERSISTENT, l::TRANSIENT, o.persistent)
                    && group(flags, l::AUTOSTART, l::NO_AUTOSTART, o.autostart)
                    && (types == 0 || types & type_bit(o.def.pool_type) != 0)
            })
            .map(|p| p.pool_ref())
            .collect())
    }

    async fn find_pool_sources(
        &self,
        pool_type: &str,
        _src: Option<&str>,
        _flags: u32,
    ) -> Result<String> {
        match PoolType::from_name(pool_type) {
            None => Err(errors::internal(format!(
                "unknown storage pool type {pool_type}"
            ))),
            Some(PoolType::Logical) => {
                let out = crate::command::run(
                    self.shared.cx.runner.as_ref(),
                    &crate::command::Cmd::new("pvs").args([
                        "--noheadings",
                        "-o",
                        "pv_name,vg_name",
                    ]),
                )
                .await?;
                let mut groups: Vec<(String, Vec<String>)> = Vec::new();
                for l in out.lines() {
                    let mut f = l.split_whitespace();
                    let (Some(pv), Some(vg)) = (f.next(), f.next()) else {
                        continue;
                    };
                    match groups.iter_mut().find(|g| g.0 == vg) {
                        Some(g) => g.1.push(pv.to_owned()),
                        None => groups.push((vg.to_owned(), vec![pv.to_owned()])),
                    }
                }
                let mut w = oxvirt_conf::xml::XmlWriter::new();
                w.start("sources").end_open();
                for (vg, pvs) in groups {
                    w.start("source").end_open();
                    for pv in pvs {
                        w.start("device").attr("path", &pv).end_empty();
                    }
                    w.text_element("name", &vg);
                    w.start("format").attr("type", "lvm2").end_empty();
                    w.close("source");
                }
                w.close("sources");
                Ok(w.finish())
            }
            Some(_) => Err(errors::no_support(format!(
                "pool type '{pool_type}' does not support source discovery"
            ))),
        }
    }

    async fn pool_capabilities(&self, flags: u32) -> Result<String> {
        check_flags(flags, 0, "storageConnectGetStoragePoolCapabilities")?;
        Ok(oxvirt_conf::storage::caps::format(&|t| {
            backend::for_type(t).is_some()
        }))
    }

    async fn pool_lookup_by_name(&self, name: &str) -> Result<PoolRef> {
        self.shared.ready().await;
        self.shared
            .find_name(name)
            .map(|p| p.pool_ref())
            .ok_or_else(|| errors::no_pool_name(name))
    }

    async fn pool_lookup_by_uuid(&self, uuid: &Uuid) -> Result<PoolRef> {
        self.shared.ready().await;
        self.shared
            .find_uuid(uuid)
            .map(|p| p.pool_ref())
            .ok_or_else(|| errors::no_pool_uuid(uuid, None))
    }

    async fn pool_lookup_by_volume(&self, vol: &VolRef) -> Result<PoolRef> {
        self.pool_lookup_by_name(&vol.pool).await
    }

    async fn pool_lookup_by_target_path(&self, path: &str) -> Result<PoolRef> {
        self.shared.ready().await;
        let want = oxvirt_conf::storage::sanitize_path(path);
        self.shared
            .pools()
            .into_iter()
            .find(|p| {
                let o = p.lock();
                o.active && o.def.target_path.as_deref() == Some(want.as_str())
            })
            .map(|p| p.pool_ref())
            .ok_or_else(|| errors::no_pool_target(&want))
    }

    async fn pool_define_xml(&self, text: &str, flags: u32) -> Result<PoolRef> {
        check_flags(flags, pool_define::VALIDATE, "storagePoolDefineXML")?;
        self.shared.ready().await;
        let def = self.parse_pool(text)?;
        let _list = self.shared.list_lock.lock().await;
        let existing = self.check_duplicate(&def, false)?;
        self.shared.save_config(&def).await?;
        let p = match existing {
            Some(p) => {
                let mut o = p.lock();
                if o.active {
                    o.new_def = Some(def);
                } else {
                    o.def = def;
                }
                o.persistent = true;
                drop(o);
                p
            }
            None => {
                let p = Pool::new_persistent(def);
                self.shared.insert(p.clone());
                p
            }
        };
        self.shared.lifecycle(&p, event::DEFINED);
        Ok(p.pool_ref())
    }

    async fn pool_create_xml(&self, text: &str, flags: u32) -> Result<PoolRef> {
        let builds = pool_create::WITH_BUILD
            | pool_create::WITH_BUILD_OVERWRITE
            | pool_create::WITH_BUILD_NO_OVERWRITE;
        check_flags(flags, builds, "storagePoolCreateXML")?;
        self.shared.ready().await;
        let def = self.parse_pool(text)?;
        let b = backend_of(def.pool_type)?;
        let _list = self.shared.list_lock.lock().await;
        // An inactive persistent pool with this identity starts with the new
        // definition as its live one, as in libvirt.
        let p = match self.check_duplicate(&def, true)? {
            Some(p) => {
                let mut o = p.lock();
                o.new_def = Some(std::mem::replace(&mut o.def, def.clone()));
                drop(o);
                p
            }
            None => {
                let p = Pool::new_transient(def.clone());
                self.shared.insert(p.clone());
                p
            }
        };
        let _job = p.job.lock().await;
        let result = async {
            if flags & builds != 0 {
                let mut bf = 0;
                if flags & pool_create::WITH_BUILD_OVERWRITE != 0 {
                    bf |= pool_build::OVERWRITE;
                }
                if flags & pool_create::WITH_BUILD_NO_OVERWRITE != 0 {
                    bf |= pool_build::NO_OVERWRITE;
                }
                b.build(&self.shared.cx, &def, bf).await?;
            }
            self.shared.start_pool(&p, b).await
        }
        .await;
        if let Err(e) = result {
            self.shared.deactivate(&p);
            return Err(e);
        }
        self.shared.lifecycle(&p, event::STARTED);
        Ok(p.pool_ref())
    }

    async fn pool_build(&self, r: &PoolRef, flags: u32) -> Result<()> {
        let p = self.pool(r).await?;
        let _job = p.job.lock().await;
        let (def, active) = p.snapshot();
        if active {
            return Err(errors::pool_active(&p.name));
        }
        if flags & pool_build::OVERWRITE != 0 && flags & pool_build::NO_OVERWRITE != 0 {
            return Err(errors::invalid_arg(
                "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive",
            ));
        }
        backend_of(def.pool_type)?
            .build(&self.shared.cx, &def, flags)
            .await?;
        self.shared.lifecycle(&p, event::CREATED);
        Ok(())
    }

    async fn pool_create(&self, r: &PoolRef, flags: u32) -> Result<()> {
        let builds = pool_create::WITH_BUILD
            | pool_create::WITH_BUILD_OVERWRITE
            | pool_create::WITH_BUILD_NO_OVERWRITE;
        check_flags(flags, builds, "storagePoolCreate")?;
        let p = self.pool(r).await?;
        let _job = p.job.lock().await;
        let (def, active) = p.snapshot();
        if active {
            return Err(errors::pool_active(&p.name));
        }
        let b = backend_of(def.pool_type)?;
        if flags & builds != 0 {
            let mut bf = 0;
            if flags & pool_create::WITH_BUILD_OVERWRITE != 0 {
                bf |= pool_build::OVERWRITE;
            }
            if flags & pool_create::WITH_BUILD_NO_OVERWRITE != 0 {
                bf |= pool_build::NO_OVERWRITE;
            }
            b.build(&self.shared.cx, &def, bf).await?;
        }
        self.shared.start_pool(&p, b).await?;
        self.shared.lifecycle(&p, event::STARTED);
        Ok(())
    }

    async fn pool_destroy(&self, r: &PoolRef) -> Result<()> {
        let p = self.pool(r).await?;
        let _job = p.job.lock().await;
        let (def, active) = p.snapshot();
        if !active {
            return Err(errors::pool_not_active(&p.name));
        }
        if p.lock().async_jobs > 0 {
            return Err(errors::pool_busy(&p.name));
        }
        self.shared
            .stop_pool(&p, backend_of(def.pool_type)?)
            .await?;
        self.shared.lifecycle(&p, event::STOPPED);
        Ok(())
    }

    async fn pool_delete(&self, r: &PoolRef, flags: u32) -> Result<()> {
        let p = self.pool(r).await?;
        let _job = p.job.lock().await;
        let (def, active) = p.snapshot();
        if active {
            return Err(errors::pool_still_active(&p.name));
        }
        if p.lock().async_jobs > 0 {
            return Err(errors::pool_busy(&p.name));
        }
        backend_of(def.pool_type)?
            .delete(&self.shared.cx, &def, flags)
            .await?;
        self.shared.lifecycle(&p, event::DELETED);
        Ok(())
    }

    async fn pool_refresh(&self, r: &PoolRef, flags: u32) -> Result<()> {
        check_flags(flags, 0, "storagePoolRefresh")?;
        let p = self.active_pool(r).await?;
        let _job = p.job.lock().await;
        let (def, active) = p.snapshot();
        if !active {
            return Err(errors::pool_not_active(&p.name));
        }
        if p.lock().async_jobs > 0 {
            return Err(errors::pool_busy(&p.name));
        }
        let b = backend_of(def.pool_type)?;
        match b.refresh(&self.shared.cx, &def).await {
            Ok(res) => {
                self.shared.apply_refresh(&p, res);
                self.shared.events.refresh(&p.pool_ref());
                Ok(())
            }
            Err(e) => {
                // As libvirt: a pool that cannot be refreshed is stopped.
                let _ = b.stop(&self.shared.cx, &def).await;
                let _ = self.shared.remove_state(&def.name).await;
                self.shared.deactivate(&p);
                self.shared.lifecycle(&p, event::STOPPED);
                Err(e)
            }
        }
    }

    async fn pool_undefine(&self, r: &PoolRef) -> Result<()> {
        let p = self.pool(r).await?;
        let _list = self.shared.list_lock.lock().await;
        let _job = p.job.lock().await;
        let (persistent, active, jobs) = {
            let o = p.lock();
            (o.persistent, o.active, o.async_jobs)
        };
        if active {
            return Err(errors::pool_still_active(&p.name));
        }
        if !persistent {
            return Err(errors::invalid_arg(format!(
                "pool '{}' is not persistent",
                p.name
            )));
        }
        if jobs > 0 {
            return Err(errors::pool_busy(&p.name));
        }
        let cfg = self.shared.paths.config_file(&p.name);
        let link = self.shared.paths.autostart_link(&p.name);
        blocking(move || {
            files::remove(&link)?;
            files::remove(&cfg)
        })
        .await?;
        self.shared.remove(&p);
        self.shared.lifecycle(&p, event::UNDEFINED);
        Ok(())
    }

    async fn pool_get_info(&self, r: &PoolRef) -> Result<PoolInfo> {
        let p = self.pool(r).await?;
        let (def, active) = p.snapshot();
        if !active {
            return Ok(PoolInfo {
                state: PoolState::Inactive,
                capacity: 0,
                allocation: 0,
                available: 0,
            });
        }
        // File pools: the file system's numbers now, not at the last refresh.
        let mut n = Self::numbers_now(&p);
        if matches!(
            def.pool_type,
            PoolType::Dir | PoolType::Fs | PoolType::Netfs
        ) {
            if let Some(t) = def.target_path.clone() {
                if let Ok(Ok(fresh)) =
                    tokio::task::spawn_blocking(move || crate::backend::fs::scan_numbers(&t)).await
                {
                    n = fresh;
                    p.lock().numbers = fresh;
                }
            }
        }
        Ok(PoolInfo {
            state: PoolState::Running,
            capacity: n.capacity,
            allocation: n.allocation,
            available: n.available,
        })
    }

    async fn pool_get_xml_desc(&self, r: &PoolRef, flags: u32) -> Result<String> {
        check_flags(flags, xml::INACTIVE, "storagePoolGetXMLDesc")?;
        let p = self.pool(r).await?;
        let o = p.lock();
        if flags & xml::INACTIVE != 0 {
            // The persistent definition, as its config file has it.
            let mut def = o.new_def.as_ref().unwrap_or(&o.def).clone();
            for d in &mut def.source.devices {
                d.free_extents.clear();
            }
            return Ok(def.format(PoolNumbers::default(), None));
        }
        let numbers = if o.active {
            o.numbers
        } else {
            PoolNumbers::default()
        };
        let perms = if o.active {
            o.target_perms.as_ref()
        } else {
            None
        };
        Ok(o.def.format(numbers, perms))
    }

    async fn pool_get_autostart(&self, r: &PoolRef) -> Result<bool> {
        Ok(self.pool(r).await?.lock().autostart)
    }

    async fn pool_set_autostart(&self, r: &PoolRef, autostart: bool) -> Result<()> {
        let p = self.pool(r).await?;
        let (persistent, current) = {
            let o = p.lock();
            (o.persistent, o.autostart)
        };
        if !persistent {
            return Err(errors::internal("pool has no config file"));
        }
        if current != autostart {
            let cfg = self.shared.paths.config_file(&p.name);
            let link = self.shared.paths.autostart_link(&p.name);
            blocking(move || {
                if autostart {
                    files::symlink_atomic(&cfg, &link)
                } else {
                    files::remove(&link)
                }
            })
            .await?;
            p.lock().autostart = autostart;
        }
        Ok(())
    }

    async fn pool_is_active(&self, r: &PoolRef) -> Result<bool> {
        Ok(self.pool(r).await?.lock().active)
    }

    async fn pool_is_persistent(&self, r: &PoolRef) -> Result<bool> {
        Ok(self.pool(r).await?.lock().persistent)
    }

    async fn pool_list_all_volumes(&self, r: &PoolRef, flags: u32) -> Result<Vec<VolRef>> {
        check_flags(flags, 0, "storagePoolListAllVolumes")?;
        let p = self.active_pool(r).await?;
        let o = p.lock();
        Ok(o.vols.iter().map(|v| Self::vol_ref(&p, v)).collect())
    }

    async fn vol_create_xml(&self, r: &PoolRef, text: &str, flags: u32) -> Result<VolRef> {
        check_flags(
            flags,
            vol_create::PREALLOC_METADATA | vol_create::REFLINK | vol_create::VALIDATE,
            "storageVolCreateXML",
        )?;
        let p = self.active_pool(r).await?;
        let pool_type = p.snapshot().0.pool_type;
        let vd = VolDef::parse(text, pool_type, parse_flags::OPT_CAPACITY)?;
        refuse_encryption(&vd)?;
        let (def, path, guard) = self.reserve(&p, &vd)?;
        let b = backend_of(def.pool_type)?;
        b.create_vol(
            &self.shared.cx,
            &def,
            &path,
            NewVol {
                def: &vd,
                flags,
                from: None,
            },
        )
        .await?;
        self.finish_create(&p, &def, &path, guard).await
    }

    async fn vol_create_xml_from(
        &self,
        r: &PoolRef,
        text: &str,
        from: &VolRef,
        flags: u32,
    ) -> Result<VolRef> {
        check_flags(
            flags,
            vol_create::PREALLOC_METADATA | vol_create::REFLINK | vol_create::VALIDATE,
            "storageVolCreateXMLFrom",
        )?;
        let p = self.active_pool(r).await?;
        let (src_pool, src) = self.fresh_vol(from).await?;
        if src.building {
            return Err(errors::vol_building(&src.name));
        }
        let pool_type = p.snapshot().0.pool_type;
        let mut vd = VolDef::parse(text, pool_type, parse_flags::NO_CAPACITY)?;
        refuse_encryption(&vd)?;
        if vd.capacity.is_none_or(|c| c < src.capacity) {
            vd.capacity = Some(src.capacity);
        }
        let (def, path, guard) = self.reserve(&p, &vd)?;
        let _src_use = InUse::take(&src_pool, &src);
        let b = backend_of(def.pool_type)?;
        b.create_vol(
            &self.shared.cx,
            &def,
            &path,
            NewVol {
                def: &vd,
                flags,
                from: Some(&src),
            },
        )
        .await?;
        self.finish_create(&p, &def, &path, guard).await
    }

    async fn vol_delete(&self, r: &VolRef, flags: u32) -> Result<()> {
        check_flags(flags, vol_delete::ZEROED, "storageVolDelete")?;
        let (p, v) = self.vol(r).await?;
        if v.in_use > 0 {
            return Err(errors::vol_in_use(&v.name));
        }
        if v.building {
            return Err(errors::vol_building(&v.name));
        }
        let def = p.snapshot().0;
        // Hold the volume while it goes, so that no stream opens it.
        let hold = InUse::take(&p, &v);
        let res = backend_of(def.pool_type)?
            .delete_vol(&self.shared.cx, &def, &v, flags)
            .await;
        drop(hold);
        res?;
        p.lock().vols.retain(|x| x.name != v.name);
        self.refresh_after_change(&p).await;
        Ok(())
    }

    async fn vol_wipe(&self, r: &VolRef, algorithm: u32, flags: u32) -> Result<()> {
        check_flags(flags, 0, "storageVolWipePattern")?;
        let scrub = match algorithm {
            wipe::ZERO => None,
            wipe::NNSA => Some("nnsa"),
            wipe::DOD => Some("dod"),
            wipe::BSI => Some("bsi"),
            wipe::GUTMANN => Some("gutmann"),
            wipe::SCHNEIER => Some("schneier"),
            wipe::PFITZNER7 => Some("pfitzner7"),
            wipe::PFITZNER33 => Some("pfitzner33"),
            wipe::RANDOM => Some("random"),
            wipe::TRIM => return Err(errors::unsupported_arg("'trim' algorithm not supported")),
            a => {
                return Err(errors::invalid_arg(format!(
                    "wiping algorithm {a} not supported"
                )))
            }
        };
        let (p, v) = self.fresh_vol(r).await?;
        if v.in_use > 0 {
            return Err(errors::vol_in_use(&v.name));
        }
        if v.building {
            return Err(errors::vol_building(&v.name));
        }
        if v.format.as_deref() == Some("extended") {
            return Err(errors::no_support(format!(
                "cannot wipe extended partition '{}'",
                v.path
            )));
        }
        if v.kind() == VolType::Dir {
            return Err(errors::no_support(format!(
                "cannot wipe directory volume '{}'",
                v.path
            )));
        }
        let hold = InUse::take(&p, &v);
        let res = match scrub {
            None => {
                let (path, n) = (v.path.clone(), v.allocation);
                blocking(move || volume::wipe_zero(Path::new(&path), n)).await
            }
            Some(alg) => crate::command::run(
                self.shared.cx.runner.as_ref(),
                &crate::command::Cmd::new("scrub").args(["-f", "-p", alg, v.path.as_str()]),
            )
            .await
            .map(|_| ()),
        };
        drop(hold);
        res?;
        let _ = self.fresh_vol(r).await;
        Ok(())
    }

    async fn vol_lookup_by_name(&self, r: &PoolRef, name: &str) -> Result<VolRef> {
        let p = self.active_pool(r).await?;
        let o = p.lock();
        o.vols
            .iter()
            .find(|v| v.name == name)
            .map(|v| Self::vol_ref(&p, v))
            .ok_or_else(|| errors::no_vol_name(name))
    }

    async fn vol_lookup_by_key(&self, key: &str) -> Result<VolRef> {
        self.shared.ready().await;
        for p in self.shared.pools() {
            let o = p.lock();
            if !o.active {
                continue;
            }
            if let Some(v) = o.vols.iter().find(|v| v.key == key) {
                return Ok(Self::vol_ref(&p, v));
            }
        }
        Err(errors::no_vol_key(key))
    }

    async fn vol_lookup_by_path(&self, path: &str) -> Result<VolRef> {
        self.shared.ready().await;
        let clean = oxvirt_conf::storage::sanitize_path(path);
        let real = std::fs::canonicalize(&clean)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| clean.clone());
        for p in self.shared.pools() {
            let o = p.lock();
            if !o.active {
                continue;
            }
            let hit = o.vols.iter().find(|v| {
                v.path == clean
                    || v.path == real
                    || std::fs::canonicalize(&v.path).is_ok_and(|c| c.to_string_lossy() == real)
            });
            if let Some(v) = hit {
                return Ok(Self::vol_ref(&p, v));
            }
        }
        Err(errors::no_vol_path(path))
    }

    async fn vol_get_info(&self, r: &VolRef, flags: u32) -> Result<VolInfo> {
        check_flags(flags, vol_info::GET_PHYSICAL, "storageVolGetInfoFlags")?;
        let (_, v) = self.fresh_vol(r).await?;
        Ok(VolInfo {
            kind: v.kind(),
            capacity: v.capacity,
            allocation: if flags & vol_info::GET_PHYSICAL != 0 {
                v.physical
            } else {
                v.allocation
            },
        })
    }

    async fn vol_get_xml_desc(&self, r: &VolRef, flags: u32) -> Result<String> {
        check_flags(flags, 0, "storageVolGetXMLDesc")?;
        let (_, v) = self.fresh_vol(r).await?;
        blocking(move || Ok(v.doc().format())).await
    }

    async fn vol_get_path(&self, r: &VolRef) -> Result<String> {
        Ok(self.vol(r).await?.1.path)
    }

    async fn vol_resize(&self, r: &VolRef, capacity: u64, flags: u32) -> Result<()> {
        check_flags(
            flags,
            vol_resize::ALLOCATE | vol_resize::DELTA | vol_resize::SHRINK,
            "storageVolResize",
        )?;
        let (p, v) = self.fresh_vol(r).await?;
        if v.in_use > 0 {
            return Err(errors::vol_in_use(&v.name));
        }
        if v.building {
            return Err(errors::vol_building(&v.name));
        }
        let abs = if flags & vol_resize::DELTA != 0 {
            if flags & vol_resize::SHRINK != 0 {
                v.capacity - capacity.min(v.capacity)
            } else {
                v.capacity.checked_add(capacity).ok_or_else(|| {
                    errors::invalid_arg("can't grow capacity beyond the largest size")
                })?
            }
        } else {
            capacity
        };
        if abs < v.allocation {
            return Err(errors::invalid_arg(
                "can't shrink capacity below existing allocation",
            ));
        }
        if abs < v.capacity && flags & vol_resize::SHRINK == 0 {
            return Err(errors::invalid_arg(
                "Can't shrink capacity below current capacity unless shrink flag explicitly specified",
            ));
        }
        if abs > oxvirt_conf::storage::volume::MAX_SIZE {
            return Err(errors::invalid_arg(format!(
                "capacity {abs} is larger than the largest volume size"
            )));
        }
        let delta = if flags & vol_resize::ALLOCATE != 0 {
            abs.saturating_sub(v.allocation)
        } else {
            0
        };
        let info = self.pool_get_info(&p.pool_ref()).await?;
        if delta > info.available {
            return Err(errors::failed("Not enough space left in storage pool"));
        }
        let def = p.snapshot().0;
        let hold = InUse::take(&p, &v);
        let res = backend_of(def.pool_type)?
            .resize_vol(&self.shared.cx, &def, &v, abs, flags)
            .await;
        drop(hold);
        res?;
        let _ = self.fresh_vol(r).await;
        Ok(())
    }

    async fn vol_upload(
        &self,
        r: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
    ) -> Result<DriverStream> {
        check_flags(flags, vol_stream::SPARSE, "storageVolUpload")?;
        let (p, v) = self.vol(r).await?;
        if v.building {
            return Err(errors::vol_building(&v.name));
        }
        if v.kind() == VolType::Dir {
            return Err(errors::no_support(format!(
                "cannot upload to directory volume '{}'",
                v.path
            )));
        }
        let hold = InUse::take(&p, &v);
        let shared = self.shared.clone();
        let pool = p.clone();
        let done: crate::stream::Done = Box::new(move |_committed| {
            drop(hold);
            Self::refresh_after_upload(shared, pool);
        });
        let path = PathBuf::from(&v.path);
        let is_block = v.kind() == VolType::Block;
        let sink = blocking(move || UploadSink::open(path, offset, length, is_block, done)).await?;
        Ok(DriverStream::sink(sink))
    }

    async fn vol_download(
        &self,
        r: &VolRef,
        offset: u64,
        length: u64,
        flags: u32,
    ) -> Result<DriverStream> {
        check_flags(flags, vol_stream::SPARSE, "storageVolDownload")?;
        let (p, v) = self.vol(r).await?;
        if v.building {
            return Err(errors::vol_building(&v.name));
        }
        if v.kind() == VolType::Dir {
            return Err(errors::no_support(format!(
                "cannot download directory volume '{}'",
                v.path
            )));
        }
        let hold = InUse::take(&p, &v);
        let done: crate::stream::Done = Box::new(move |_| drop(hold));
        let path = PathBuf::from(&v.path);
        let is_block = v.kind() == VolType::Block;
        let sparse = flags & vol_stream::SPARSE != 0;
        let source =
            blocking(move || DownloadSource::open(path, offset, length, sparse, is_block, done))
                .await?;
        Ok(DriverStream::source(source))
    }

    fn pool_events(&self) -> Option<&PoolEventBus> {
        Some(&self.shared.events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filter_groups() {
        assert!(group(0, 1, 2, true));
        assert!(group(3, 1, 2, false));
        assert!(group(1, 1, 2, true));
        assert!(!group(1, 1, 2, false));
        assert!(group(2, 1, 2, false));
    }

    #[test]
    fn every_pool_type_has_a_list_bit() {
        let bits: u32 = PoolType::ALL
            .iter()
            .map(|t| type_bit(*t))
            .fold(0, |a, b| a | b);
        assert_eq!(bits, list_pools::ALL_TYPES);
    }
}
