//! Storage pools and volumes: what a storage driver offers the daemon.
//!
//! libvirt's storage driver is a *secondary* driver: a client opens a
//! hypervisor URI (`qemu:///system`, `storage:///system`) and the connection
//! also carries the daemon's shared storage driver. Here that is a
//! [`StorageDriver`], built once per daemon, which opens one
//! [`StorageConnection`] per client connection. The daemon keeps that handle
//! next to the client's [`HypervisorConnection`](crate::HypervisorConnection)
//! and maps every storage procedure onto it.
//!
//! Every method of [`StorageConnection`] is `async` and defaults to
//! `VIR_ERR_NO_SUPPORT`: the handle may be in-process (libvirtd,
//! virtstoraged) or a forwarder to another daemon (virtqemud asking
//! virtstoraged over RPC), and a forwarder cannot answer without waiting.
//!
//! Other drivers reach volumes only through [`VolumeResolver`], which every
//! storage connection implements; no driver depends on another driver.

use crate::{no_support_in, DriverStream, OpenContext};
use async_trait::async_trait;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, Uuid};
use std::sync::Arc;

/// The handle a client holds for a pool: what `remote_nonnull_storage_pool`
/// carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoolRef {
    pub name: String,
    pub uuid: Uuid,
}

/// The handle a client holds for a volume: what `remote_nonnull_storage_vol`
/// carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VolRef {
    /// The pool's name.
    pub pool: String,
    pub name: String,
    /// The volume's key: its path for file pools, the LV UUID for logical
    /// pools.
    pub key: String,
}

/// `virStoragePoolState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolState {
    Inactive = 0,
    Building = 1,
    Running = 2,
    Degraded = 3,
    Inaccessible = 4,
}

/// `virStoragePoolInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolInfo {
    pub state: PoolState,
    /// Bytes.
    pub capacity: u64,
    /// Bytes.
    pub allocation: u64,
    /// Bytes.
    pub available: u64,
}

/// `virStorageVolType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolType {
    File = 0,
    Block = 1,
    Dir = 2,
    Network = 3,
    Netdir = 4,
    Ploop = 5,
}

impl VolType {
    /// The type from its wire number (`virStorageVolType`).
    pub fn from_code(code: i32) -> Option<VolType> {
        Some(match code {
            0 => VolType::File,
            1 => VolType::Block,
            2 => VolType::Dir,
            3 => VolType::Network,
            4 => VolType::Netdir,
            5 => VolType::Ploop,
            _ => return None,
        })
    }

    /// The name used in XML (`<volume type='file'>`).
    pub fn as_str(self) -> &'static str {
        match self {
            VolType::File => "file",
            VolType::Block => "block",
            VolType::Dir => "dir",
            VolType::Network => "network",
            VolType::Netdir => "netdir",
            VolType::Ploop => "ploop",
        }
    }
}

/// `virStorageVolInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VolInfo {
    pub kind: VolType,
    /// Bytes.
    pub capacity: u64,
    /// Bytes (the physical size with `GET_PHYSICAL`).
    pub allocation: u64,
}

/// libvirt's flag values of the storage API.
pub mod flags {
    /// `virConnectListAllStoragePoolsFlags`.
    pub mod list_pools {
        pub const INACTIVE: u32 = 1 << 0;
        pub const ACTIVE: u32 = 1 << 1;
        pub const PERSISTENT: u32 = 1 << 2;
        pub const TRANSIENT: u32 = 1 << 3;
        pub const AUTOSTART: u32 = 1 << 4;
        pub const NO_AUTOSTART: u32 = 1 << 5;
        pub const DIR: u32 = 1 << 6;
        pub const FS: u32 = 1 << 7;
        pub const NETFS: u32 = 1 << 8;
        pub const LOGICAL: u32 = 1 << 9;
        pub const DISK: u32 = 1 << 10;
        pub const ISCSI: u32 = 1 << 11;
        pub const SCSI: u32 = 1 << 12;
        pub const MPATH: u32 = 1 << 13;
        pub const RBD: u32 = 1 << 14;
        pub const SHEEPDOG: u32 = 1 << 15;
        pub const GLUSTER: u32 = 1 << 16;
        pub const ZFS: u32 = 1 << 17;
        pub const VSTORAGE: u32 = 1 << 18;
        pub const ISCSI_DIRECT: u32 = 1 << 19;
        /// Every pool-type bit.
        pub const ALL_TYPES: u32 = ((1 << 20) - 1) & !((1 << 6) - 1);
    }
    /// `virStoragePoolCreateFlags`.
    pub mod pool_create {
        pub const WITH_BUILD: u32 = 1 << 0;
        pub const WITH_BUILD_OVERWRITE: u32 = 1 << 1;
        pub const WITH_BUILD_NO_OVERWRITE: u32 = 1 << 2;
    }
    /// `virStoragePoolBuildFlags`.
    pub mod pool_build {
        pub const NEW: u32 = 0;
        pub const REPAIR: u32 = 1 << 0;
        pub const RESIZE: u32 = 1 << 1;
        pub const NO_OVERWRITE: u32 = 1 << 2;
        pub const OVERWRITE: u32 = 1 << 3;
    }
    /// `virStoragePoolDeleteFlags`.
    pub mod pool_delete {
        pub const ZEROED: u32 = 1 << 0;
    }
    /// `virStoragePoolDefineFlags` (also accepted by create).
    pub mod pool_define {
        pub const VALIDATE: u32 = 1 << 0;
    }
    /// `virStorageXMLFlags`.
    pub mod xml {
        pub const INACTIVE: u32 = 1 << 0;
    }
    /// `virStorageVolCreateFlags`.
    pub mod vol_create {
        pub const PREALLOC_METADATA: u32 = 1 << 0;
        pub const REFLINK: u32 = 1 << 1;
        pub const VALIDATE: u32 = 1 << 2;
    }
    /// `virStorageVolDeleteFlags`.
    pub mod vol_delete {
        pub const ZEROED: u32 = 1 << 0;
        pub const WITH_SNAPSHOTS: u32 = 1 << 1;
    }
    /// `virStorageVolResizeFlags`.
    pub mod vol_resize {
        pub const ALLOCATE: u32 = 1 << 0;
        pub const DELTA: u32 = 1 << 1;
        pub const SHRINK: u32 = 1 << 2;
    }
    /// `virStorageVolUploadFlags` / `virStorageVolDownloadFlags`.
    pub mod vol_stream {
        pub const SPARSE: u32 = 1 << 0;
    }
    /// `virStorageVolInfoFlags`.
    pub mod vol_info {
        pub const GET_PHYSICAL: u32 = 1 << 0;
    }
    /// `virStorageVolWipeAlgorithm`.
    pub mod wipe {
        pub const ZERO: u32 = 0;
        pub const NNSA: u32 = 1;
        pub const DOD: u32 = 2;
        pub const BSI: u32 = 3;
        pub const GUTMANN: u32 = 4;
        pub const SCHNEIER: u32 = 5;
        pub const PFITZNER7: u32 = 6;
        pub const PFITZNER33: u32 = 7;
        pub const RANDOM: u32 = 8;
        pub const TRIM: u32 = 9;
    }
}

/// Storage pool events (`virStoragePoolEventID` and the lifecycle codes).
pub mod event {
    pub const ID_LIFECYCLE: i32 = 0;
    pub const ID_REFRESH: i32 = 1;

    pub const DEFINED: i32 = 0;
    pub const UNDEFINED: i32 = 1;
    pub const STARTED: i32 = 2;
    pub const STOPPED: i32 = 3;
    pub const CREATED: i32 = 4;
    pub const DELETED: i32 = 5;
}

/// What happened to a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolEventKind {
    /// `VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE` with the event code (detail is
    /// always 0).
    Lifecycle(i32),
    /// `VIR_STORAGE_POOL_EVENT_ID_REFRESH`.
    Refresh,
}

impl PoolEventKind {
    /// The event id this kind is delivered under.
    pub fn event_id(self) -> i32 {
        match self {
            PoolEventKind::Lifecycle(_) => event::ID_LIFECYCLE,
            PoolEventKind::Refresh => event::ID_REFRESH,
        }
    }
}

/// An event about one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEvent {
    pub pool: PoolRef,
    pub kind: PoolEventKind,
}

/// A delivered pool event: the callback id it is for, and the event.
pub type PoolDelivery = (i32, PoolEvent);

impl crate::events::BusEvent for PoolEvent {
    fn event_id(&self) -> i32 {
        self.kind.event_id()
    }
    fn object_uuid(&self) -> Uuid {
        self.pool.uuid
    }
}

/// Fan-out of a storage driver's pool events to the callbacks clients
/// registered.
pub type PoolEventBus = crate::events::EventBus<PoolEvent>;

impl crate::events::EventBus<PoolEvent> {
    /// Emits a lifecycle event.
    pub fn lifecycle(&self, pool: &PoolRef, event: i32) {
        self.emit(PoolEvent {
            pool: pool.clone(),
            kind: PoolEventKind::Lifecycle(event),
        });
    }

    /// Emits a refresh event.
    pub fn refresh(&self, pool: &PoolRef) {
        self.emit(PoolEvent {
            pool: pool.clone(),
            kind: PoolEventKind::Refresh,
        });
    }
}

/// A daemon's storage driver: built once at start, shared by every client
/// connection whose hypervisor driver uses shared secondary drivers.
pub trait StorageDriver: Send + Sync + 'static {
    /// Opens the storage side of one client connection.
    fn open(&self, ctx: &OpenContext) -> Result<Arc<dyn StorageConnection>>;
}

fn nos(api: &str) -> Error {
    no_support_in(ErrorDomain::STORAGE, api)
}

/// One client's view of a storage driver. Every method defaults to
/// `VIR_ERR_NO_SUPPORT` in the STORAGE domain.
#[async_trait]
pub trait StorageConnection: Send + Sync {
    /// `virConnectListAllStoragePools` with libvirt's filter flags.
    async fn list_all_pools(&self, _flags: u32) -> Result<Vec<PoolRef>> {
        Err(nos("virConnectListAllStoragePools"))
    }
    /// `virConnectFindStoragePoolSources`: an XML `<sources>` document.
    async fn find_pool_sources(
        &self,
        _pool_type: &str,
        _src_spec: Option<&str>,
        _flags: u32,
    ) -> Result<String> {
        Err(nos("virConnectFindStoragePoolSources"))
    }
    /// `virConnectGetStoragePoolCapabilities`.
    async fn pool_capabilities(&self, _flags: u32) -> Result<String> {
        Err(nos("virConnectGetStoragePoolCapabilities"))
    }

    async fn pool_lookup_by_name(&self, _name: &str) -> Result<PoolRef> {
        Err(nos("virStoragePoolLookupByName"))
    }
    async fn pool_lookup_by_uuid(&self, _uuid: &Uuid) -> Result<PoolRef> {
        Err(nos("virStoragePoolLookupByUUID"))
    }
    async fn pool_lookup_by_volume(&self, _vol: &VolRef) -> Result<PoolRef> {
        Err(nos("virStoragePoolLookupByVolume"))
    }
    async fn pool_lookup_by_target_path(&self, _path: &str) -> Result<PoolRef> {
        Err(nos("virStoragePoolLookupByTargetPath"))
    }

    /// `virStoragePoolDefineXML`: a persistent, inactive pool.
    async fn pool_define_xml(&self, _xml: &str, _flags: u32) -> Result<PoolRef> {
        Err(nos("virStoragePoolDefineXML"))
    }
    /// `virStoragePoolCreateXML`: a transient, started pool.
    async fn pool_create_xml(&self, _xml: &str, _flags: u32) -> Result<PoolRef> {
        Err(nos("virStoragePoolCreateXML"))
    }
    async fn pool_build(&self, _pool: &PoolRef, _flags: u32) -> Result<()> {
        Err(nos("virStoragePoolBuild"))
    }
    /// `virStoragePoolCreate`: starts a defined pool.
    async fn pool_create(&self, _pool: &PoolRef, _flags: u32) -> Result<()> {
        Err(nos("virStoragePoolCreate"))
    }
    async fn pool_destroy(&self, _pool: &PoolRef) -> Result<()> {
        Err(nos("virStoragePoolDestroy"))
    }
    async fn pool_delete(&self, _pool: &PoolRef, _flags: u32) -> Result<()> {
        Err(nos("virStoragePoolDelete"))
    }
    async fn pool_refresh(&self, _pool: &PoolRef, _flags: u32) -> Result<()> {
        Err(nos("virStoragePoolRefresh"))
    }
    async fn pool_undefine(&self, _pool: &PoolRef) -> Result<()> {
        Err(nos("virStoragePoolUndefine"))
    }
    async fn pool_get_info(&self, _pool: &PoolRef) -> Result<PoolInfo> {
        Err(nos("virStoragePoolGetInfo"))
    }
    async fn pool_get_xml_desc(&self, _pool: &PoolRef, _flags: u32) -> Result<String> {
        Err(nos("virStoragePoolGetXMLDesc"))
    }
    async fn pool_get_autostart(&self, _pool: &PoolRef) -> Result<bool> {
        Err(nos("virStoragePoolGetAutostart"))
    }
    async fn pool_set_autostart(&self, _pool: &PoolRef, _autostart: bool) -> Result<()> {
        Err(nos("virStoragePoolSetAutostart"))
    }
    async fn pool_is_active(&self, _pool: &PoolRef) -> Result<bool> {
        Err(nos("virStoragePoolIsActive"))
    }
    async fn pool_is_persistent(&self, _pool: &PoolRef) -> Result<bool> {
        Err(nos("virStoragePoolIsPersistent"))
    }
    /// `virStoragePoolListAllVolumes` (no flags are defined).
    async fn pool_list_all_volumes(&self, _pool: &PoolRef, _flags: u32) -> Result<Vec<VolRef>> {
        Err(nos("virStoragePoolListAllVolumes"))
    }

    async fn vol_create_xml(&self, _pool: &PoolRef, _xml: &str, _flags: u32) -> Result<VolRef> {
        Err(nos("virStorageVolCreateXML"))
    }
    /// `virStorageVolCreateXMLFrom`: a new volume with the content of `from`.
    async fn vol_create_xml_from(
        &self,
        _pool: &PoolRef,
        _xml: &str,
        _from: &VolRef,
        _flags: u32,
    ) -> Result<VolRef> {
        Err(nos("virStorageVolCreateXMLFrom"))
    }
    async fn vol_delete(&self, _vol: &VolRef, _flags: u32) -> Result<()> {
        Err(nos("virStorageVolDelete"))
    }
    /// `virStorageVolWipePattern` (`virStorageVolWipe` is algorithm 0).
    async fn vol_wipe(&self, _vol: &VolRef, _algorithm: u32, _flags: u32) -> Result<()> {
        Err(nos("virStorageVolWipe"))
    }
    async fn vol_lookup_by_name(&self, _pool: &PoolRef, _name: &str) -> Result<VolRef> {
        Err(nos("virStorageVolLookupByName"))
    }
    async fn vol_lookup_by_key(&self, _key: &str) -> Result<VolRef> {
        Err(nos("virStorageVolLookupByKey"))
    }
    async fn vol_lookup_by_path(&self, _path: &str) -> Result<VolRef> {
        Err(nos("virStorageVolLookupByPath"))
    }
    async fn vol_get_info(&self, _vol: &VolRef, _flags: u32) -> Result<VolInfo> {
        Err(nos("virStorageVolGetInfo"))
    }
    async fn vol_get_xml_desc(&self, _vol: &VolRef, _flags: u32) -> Result<String> {
        Err(nos("virStorageVolGetXMLDesc"))
    }
    async fn vol_get_path(&self, _vol: &VolRef) -> Result<String> {
        Err(nos("virStorageVolGetPath"))
    }
    async fn vol_resize(&self, _vol: &VolRef, _capacity: u64, _flags: u32) -> Result<()> {
        Err(nos("virStorageVolResize"))
    }
    /// `virStorageVolUpload`: a stream whose sink writes into the volume.
    async fn vol_upload(
        &self,
        _vol: &VolRef,
        _offset: u64,
        _length: u64,
        _flags: u32,
    ) -> Result<DriverStream> {
        Err(nos("virStorageVolUpload"))
    }
    /// `virStorageVolDownload`: a stream whose source reads the volume.
    async fn vol_download(
        &self,
        _vol: &VolRef,
        _offset: u64,
        _length: u64,
        _flags: u32,
    ) -> Result<DriverStream> {
        Err(nos("virStorageVolDownload"))
    }

    /// The bus pool events of this connection's driver are published on.
    fn pool_events(&self) -> Option<&PoolEventBus> {
        None
    }
}

/// A volume as a guest disk sees it: what `<disk type='volume'>` resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedVolume {
    /// The path QEMU opens.
    pub path: String,
    /// File, block, ... (decides `<disk type='file'|'block'>`).
    pub kind: VolType,
    /// The image format as the storage driver knows it (`raw`, `qcow2`, …).
    pub format: String,
}

/// How another driver (QEMU) turns a `<disk type='volume'>` source into a
/// path without depending on the storage driver: through the client's
/// storage connection, in-process or over RPC.
#[async_trait]
pub trait VolumeResolver: Send + Sync {
    /// The volume `vol` of the active pool `pool`.
    async fn resolve_volume(&self, pool: &str, vol: &str) -> Result<ResolvedVolume>;

    /// Just the path of [`resolve_volume`](Self::resolve_volume).
    async fn volume_path(&self, pool: &str, vol: &str) -> Result<String> {
        Ok(self.resolve_volume(pool, vol).await?.path)
    }
}

#[async_trait]
impl<T: StorageConnection + ?Sized> VolumeResolver for T {
    async fn resolve_volume(&self, pool: &str, vol: &str) -> Result<ResolvedVolume> {
        let p = self.pool_lookup_by_name(pool).await?;
        if !self.pool_is_active(&p).await? {
            return Err(Error::new(
                ErrorDomain::STORAGE,
                ErrorCode::OPERATION_INVALID,
                format!("storage pool '{pool}' containing volume '{vol}' is not active"),
            ));
        }
        let v = self.vol_lookup_by_name(&p, vol).await?;
        let info = self.vol_get_info(&v, 0).await?;
        let path = self.vol_get_path(&v).await?;
        let xml = self.vol_get_xml_desc(&v, 0).await?;
        Ok(ResolvedVolume {
            path,
            kind: info.kind,
            format: target_format(&xml).unwrap_or_else(|| "raw".to_owned()),
        })
    }
}

/// The `<target><format type='…'/>` of a volume document, read without an XML
/// parser (this crate has none): the first `<format type=` after `<target>`.
pub fn target_format(xml: &str) -> Option<String> {
    let target = &xml[xml.find("<target>")?..];
    let at = target.find("<format type=")? + "<format type=".len();
    let rest = &target[at..];
    let quote = rest.chars().next()?;
    let rest = &rest[1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pool() -> PoolRef {
        PoolRef {
            name: "p".into(),
            uuid: Uuid([1; 16]),
        }
    }

    #[test]
    fn pool_callbacks_filter_by_event_and_pool() {
        let bus = PoolEventBus::new();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let life = bus.register(event::ID_LIFECYCLE, None, tx.clone());
        let refresh = bus.register(event::ID_REFRESH, None, tx.clone());
        let _other = bus.register(event::ID_LIFECYCLE, Some(Uuid([9; 16])), tx);
        bus.lifecycle(&pool(), event::STARTED);
        bus.refresh(&pool());
        let (id, ev) = rx.try_recv().unwrap();
        assert_eq!((id, ev.kind), (life, PoolEventKind::Lifecycle(2)));
        let (id, ev) = rx.try_recv().unwrap();
        assert_eq!((id, ev.kind), (refresh, PoolEventKind::Refresh));
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn unknown_pool_callback_cannot_be_removed() {
        assert!(PoolEventBus::new().deregister(3).is_err());
    }

    #[test]
    fn target_format_reads_the_target_not_the_backing_store() {
        let xml = "<volume>\n<target>\n<path>/p/a</path>\n<format type='qcow2'/>\n</target>\n\
                   <backingStore>\n<format type='raw'/>\n</backingStore>\n</volume>";
        assert_eq!(target_format(xml).as_deref(), Some("qcow2"));
    }
}
