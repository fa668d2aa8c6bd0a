//! One backend per pool type: what building, starting, stopping, deleting
//! and refreshing a pool does on the host, and how its volumes are made.
//!
//! Backends are stateless: they get the pool's definition and act on the
//! host; the driver owns all state and calls them under the pool's job lock.

pub mod disk;
pub mod fs;
pub mod logical;

use crate::command::Runner;
use crate::errors;
use crate::volume::VolRecord;
use async_trait::async_trait;
use oxvirt_conf::storage::pool::PoolNumbers;
use oxvirt_conf::storage::{Perms, PoolDef, PoolType, VolDef};
use oxvirt_core::Result;
use std::sync::Arc;

/// What backends act through.
#[derive(Clone)]
pub struct Ctx {
    pub runner: Arc<dyn Runner>,
}

/// What a refresh found.
#[derive(Debug, Clone, Default)]
pub struct Refreshed {
    pub numbers: PoolNumbers,
    /// The target's real permissions (shown while active).
    pub target_perms: Option<Perms>,
    pub vols: Vec<VolRecord>,
    /// Free extents per source device (disk pools).
    pub free_extents: Vec<(String, Vec<(u64, u64)>)>,
    /// The label found on the device (disk pools).
    pub source_format: Option<String>,
}

/// A new volume: the definition and, for create-from, the source.
pub struct NewVol<'a> {
    pub def: &'a VolDef,
    pub flags: u32,
    pub from: Option<&'a VolRecord>,
}

#[async_trait]
pub trait Backend: Send + Sync {
    /// Whether the pool is already running on the host (used when the
    /// daemon restarts with a status file, and before autostart).
    async fn check(&self, cx: &Ctx, def: &PoolDef) -> Result<bool>;
    async fn build(&self, cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()>;
    async fn start(&self, cx: &Ctx, def: &PoolDef) -> Result<()>;
    async fn stop(&self, cx: &Ctx, def: &PoolDef) -> Result<()>;
    async fn delete(&self, cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()>;
    async fn refresh(&self, cx: &Ctx, def: &PoolDef) -> Result<Refreshed>;
    /// Looks at one volume again (info and XML queries).
    async fn refresh_vol(&self, cx: &Ctx, def: &PoolDef, vol: &VolRecord) -> Result<VolRecord>;
    /// The path a new volume named `name` gets; checks the name.
    fn vol_path(&self, def: &PoolDef, name: &str, existing: &[VolRecord]) -> Result<String>;
    /// Creates (and fills, for create-from) a volume at `path`; on failure
    /// nothing is left behind.
    async fn create_vol(&self, cx: &Ctx, def: &PoolDef, path: &str, new: NewVol<'_>) -> Result<()>;
    async fn delete_vol(&self, cx: &Ctx, def: &PoolDef, vol: &VolRecord, flags: u32) -> Result<()>;
    async fn resize_vol(
        &self,
        cx: &Ctx,
        def: &PoolDef,
        vol: &VolRecord,
        capacity: u64,
        flags: u32,
    ) -> Result<()>;
}

/// The backend of a pool type, if this driver has one.
pub fn for_type(t: PoolType) -> Option<&'static dyn Backend> {
    static DIR: fs::FileBackend = fs::FileBackend {
        kind: PoolType::Dir,
    };
    static FS: fs::FileBackend = fs::FileBackend { kind: PoolType::Fs };
    static NETFS: fs::FileBackend = fs::FileBackend {
        kind: PoolType::Netfs,
    };
    static LOGICAL: logical::LogicalBackend = logical::LogicalBackend;
    static DISK: disk::DiskBackend = disk::DiskBackend;
    match t {
        PoolType::Dir => Some(&DIR),
        PoolType::Fs => Some(&FS),
        PoolType::Netfs => Some(&NETFS),
        PoolType::Logical => Some(&LOGICAL),
        PoolType::Disk => Some(&DISK),
        _ => None,
    }
}

/// libvirt's error for a pool type without a backend.
pub fn missing(t: PoolType) -> oxvirt_core::Error {
    errors::internal(format!(
        "missing backend for pool type {} ({})",
        t.number(),
        t.as_str()
    ))
}

/// Runs blocking work off the async threads.
pub async fn blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| errors::internal(format!("storage worker failed: {e}")))?
}

/// Zeroes the first and last MiB of a device (old labels and signatures go).
pub fn zero_ends(dev: &str) -> Result<()> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dev)
        .map_err(|e| errors::system(format!("cannot open device '{dev}'"), &e))?;
    let size = crate::volume::block_size(&f)
        .or_else(|_| f.metadata().map(|m| m.len()))
        .map_err(|e| errors::system(format!("cannot size device '{dev}'"), &e))?;
    let mib = 1u64 << 20;
    let head = size.min(mib);
    crate::volume::write_zeros(&f, 0, head)
        .and_then(|()| {
            if size > mib {
                crate::volume::write_zeros(&f, size - mib, mib)
            } else {
                Ok(())
            }
        })
        .and_then(|()| f.sync_all())
        .map_err(|e| errors::system(format!("cannot wipe device '{dev}'"), &e))
}

/// What `blkid -p` finds on a device: (TYPE or PTTYPE).
pub async fn probe_signature(cx: &Ctx, dev: &str) -> Result<Option<String>> {
    let cmd = crate::command::Cmd::new("blkid").args(["-p", "-o", "export", dev]);
    let out = crate::command::run_status(cx.runner.as_ref(), &cmd).await?;
    match out.status {
        0 => {
            let find = |k: &str| {
                out.stdout
                    .lines()
                    .find_map(|l| l.strip_prefix(k).map(str::to_owned))
            };
            Ok(find("TYPE=")
                .or_else(|| find("PTTYPE="))
                .or(Some(String::new())))
        }
        2 => Ok(None),
        _ => Err(crate::command::exit_error(&cmd, &out)),
    }
}
