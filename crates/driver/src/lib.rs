//! What a driver offers the daemon, and nothing about the wire.
//!
//! A client's `CONNECT_OPEN` is resolved by asking each registered
//! [`ConnectDriver`] in turn to [`open`](ConnectDriver::open) the URI; the first
//! that accepts returns a [`HypervisorConnection`], which lives exactly as long as
//! the client's connection (dropping it is the close). The daemon translates
//! procedures into calls on that trait and results back into replies, so a
//! driver never sees XDR and the daemon never sees driver state.
//!
//! Methods that change a domain's state are `async`: real drivers wait on a
//! monitor. Queries are plain functions and must never wait for a job.

pub mod events;
pub mod storage;
pub mod stream;
pub mod uri;

pub use events::{DomainEvent, DomainEventBus, DomainEventKind};
pub use stream::{DriverStream, StreamChunk, StreamSink, StreamSource};
pub use uri::ConnectUri;

use async_trait::async_trait;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, TypedParam, Uuid};
use std::sync::Arc;

/// The handle a client holds for a domain: what `remote_nonnull_domain` carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DomainRef {
    pub name: String,
    pub uuid: Uuid,
    /// The running id, or -1 when inactive.
    pub id: i32,
}

/// `virNodeInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub model: String,
    /// KiB.
    pub memory: u64,
    pub cpus: i32,
    pub mhz: i32,
    pub nodes: i32,
    pub sockets: i32,
    pub cores: i32,
    pub threads: i32,
}

/// `virDomainInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInfo {
    pub state: i32,
    /// KiB.
    pub max_mem: u64,
    /// KiB.
    pub memory: u64,
    pub nr_virt_cpu: u32,
    /// Nanoseconds.
    pub cpu_time: u64,
}

/// One record of `virConnectGetAllDomainStats`.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainStatsRecord {
    pub dom: DomainRef,
    pub params: Vec<TypedParam>,
}

/// Who is calling, for drivers that care (access checks, session paths).
#[derive(Debug, Clone, Default)]
pub struct OpenContext {
    /// True when the daemon runs as root (system mode).
    pub privileged: bool,
    /// The client asked for, or its socket forces, read-only access.
    pub read_only: bool,
}

/// A driver that can open connections for some URIs.
pub trait ConnectDriver: Send + Sync + 'static {
    /// A short name for logs ("test", "qemu").
    fn name(&self) -> &'static str;

    /// Opens `uri` if this driver serves it; `Ok(None)` declines so that the next
    /// driver is asked.
    fn open(
        &self,
        uri: &ConnectUri,
        ctx: &OpenContext,
    ) -> Result<Option<Arc<dyn HypervisorConnection>>>;

    /// The URI this driver would open for a client that sent no name, if it is a
    /// hypervisor driver that a probing client may land on.
    fn probe_uri(&self, _ctx: &OpenContext) -> Option<String> {
        None
    }

    /// Re-reads driver state on SIGHUP.
    fn reload(&self) {}

    /// Whether connections this driver opens carry the daemon's shared
    /// secondary drivers (storage, …), as libvirt's QEMU driver does. A driver
    /// with its own in-memory objects (test) says no.
    fn uses_shared_drivers(&self) -> bool {
        true
    }

    /// The storage driver this entry contributes to the daemon, shared by the
    /// connections of every driver that [uses shared
    /// drivers](Self::uses_shared_drivers).
    fn storage_driver(&self) -> Option<Arc<dyn storage::StorageDriver>> {
        None
    }
}

/// The error every unimplemented operation returns: what a libvirt driver that
/// lacks the callback reports.
pub fn no_support(api: &str) -> Error {
    no_support_in(ErrorDomain::NONE, api)
}

/// [`no_support`] raised in the API family's error domain, as libvirt's public
/// API layer raises it (`virDomain*` in DOMAIN, `virNetwork*` in NETWORK, …).
pub fn no_support_in(domain: ErrorDomain, api: &str) -> Error {
    Error::new(domain, ErrorCode::NO_SUPPORT, api.to_owned())
}

/// One client's open connection to a hypervisor driver.
///
/// Every method has a default that answers `VIR_ERR_NO_SUPPORT`, so a driver
/// implements what it supports and nothing else.
#[async_trait]
pub trait HypervisorConnection: Send + Sync {
    /// The error domain this driver reports in (TEST, QEMU, ...).
    fn error_domain(&self) -> ErrorDomain;

    /// `virConnectGetType`: "TEST", "QEMU".
    fn get_type(&self) -> String;
    /// `virConnectGetURI`: the canonical URI of this connection.
    fn get_uri(&self) -> String;
    /// `virConnectGetVersion`.
    fn get_version(&self) -> Result<u64>;
    /// `virConnectGetHostname`.
    fn get_hostname(&self) -> Result<String>;
    /// `virConnectGetCapabilities`.
    fn get_capabilities(&self) -> Result<String>;
    /// `virConnectIsSecure`.
    fn is_secure(&self) -> bool {
        true
    }
    /// `virConnectGetMaxVcpus`.
    fn get_max_vcpus(&self, _type: Option<&str>) -> Result<i32> {
        Err(no_support("virConnectGetMaxVcpus"))
    }
    /// `virNodeGetInfo`.
    fn node_get_info(&self) -> Result<NodeInfo> {
        Err(no_support("virNodeGetInfo"))
    }
    /// `virNodeGetFreeMemory`, bytes.
    fn node_get_free_memory(&self) -> Result<u64> {
        Err(no_support("virNodeGetFreeMemory"))
    }
    /// `virConnectGetSysinfo`.
    fn get_sysinfo(&self, _flags: u32) -> Result<String> {
        Err(no_support("virConnectGetSysinfo"))
    }
    /// `virNodeGetSecurityModel`: (model, DOI); empty strings when the driver
    /// has no security driver.
    fn node_get_security_model(&self) -> Result<(String, String)> {
        Ok((String::new(), String::new()))
    }
    /// `virConnectSupportsFeature` for driver-level features (the RPC layer answers
    /// keepalive and fd passing itself).
    fn supports_feature(&self, _feature: i32) -> bool {
        false
    }

    /// `virConnectListAllDomains` with libvirt's filter flags.
    fn list_all_domains(&self, _flags: u32) -> Result<Vec<DomainRef>> {
        Err(no_support("virConnectListAllDomains"))
    }
    /// Ids of running domains (`virConnectListDomains`).
    fn list_domain_ids(&self) -> Result<Vec<i32>> {
        Ok(self
            .list_all_domains(oxvirt_core::domain::list_flags::ACTIVE)?
            .into_iter()
            .map(|d| d.id)
            .collect())
    }
    /// Names of defined, inactive domains (`virConnectListDefinedDomains`).
    fn list_defined_domain_names(&self) -> Result<Vec<String>> {
        Ok(self
            .list_all_domains(oxvirt_core::domain::list_flags::INACTIVE)?
            .into_iter()
            .map(|d| d.name)
            .collect())
    }
    fn lookup_domain_by_id(&self, _id: i32) -> Result<DomainRef> {
        Err(no_support("virDomainLookupByID"))
    }
    fn lookup_domain_by_name(&self, _name: &str) -> Result<DomainRef> {
        Err(no_support("virDomainLookupByName"))
    }
    fn lookup_domain_by_uuid(&self, _uuid: &Uuid) -> Result<DomainRef> {
        Err(no_support("virDomainLookupByUUID"))
    }

    async fn domain_define_xml(&self, _xml: &str, _flags: u32) -> Result<DomainRef> {
        Err(no_support("virDomainDefineXML"))
    }
    async fn domain_undefine(&self, _dom: &DomainRef, _flags: u32) -> Result<()> {
        Err(no_support("virDomainUndefine"))
    }
    /// Starts a defined domain; returns it with its new id.
    async fn domain_create(&self, _dom: &DomainRef, _flags: u32) -> Result<DomainRef> {
        Err(no_support("virDomainCreate"))
    }
    async fn domain_create_xml(&self, _xml: &str, _flags: u32) -> Result<DomainRef> {
        Err(no_support("virDomainCreateXML"))
    }
    async fn domain_destroy(&self, _dom: &DomainRef, _flags: u32) -> Result<()> {
        Err(no_support("virDomainDestroy"))
    }
    async fn domain_shutdown(&self, _dom: &DomainRef, _flags: u32) -> Result<()> {
        Err(no_support("virDomainShutdown"))
    }
    async fn domain_reboot(&self, _dom: &DomainRef, _flags: u32) -> Result<()> {
        Err(no_support("virDomainReboot"))
    }
    async fn domain_reset(&self, _dom: &DomainRef, _flags: u32) -> Result<()> {
        Err(no_support("virDomainReset"))
    }
    async fn domain_suspend(&self, _dom: &DomainRef) -> Result<()> {
        Err(no_support("virDomainSuspend"))
    }
    async fn domain_resume(&self, _dom: &DomainRef) -> Result<()> {
        Err(no_support("virDomainResume"))
    }
    /// KiB; flags are `virDomainMemoryModFlags`.
    async fn domain_set_memory(&self, _dom: &DomainRef, _kib: u64, _flags: u32) -> Result<()> {
        Err(no_support("virDomainSetMemory"))
    }

    fn domain_get_info(&self, _dom: &DomainRef) -> Result<DomainInfo> {
        Err(no_support("virDomainGetInfo"))
    }
    /// (state, reason).
    fn domain_get_state(&self, _dom: &DomainRef, _flags: u32) -> Result<(i32, i32)> {
        Err(no_support("virDomainGetState"))
    }
    fn domain_get_xml_desc(&self, _dom: &DomainRef, _flags: u32) -> Result<String> {
        Err(no_support("virDomainGetXMLDesc"))
    }
    fn domain_get_autostart(&self, _dom: &DomainRef) -> Result<bool> {
        Err(no_support("virDomainGetAutostart"))
    }
    fn domain_set_autostart(&self, _dom: &DomainRef, _autostart: bool) -> Result<()> {
        Err(no_support("virDomainSetAutostart"))
    }
    fn domain_is_active(&self, _dom: &DomainRef) -> Result<bool> {
        Err(no_support("virDomainIsActive"))
    }
    fn domain_is_persistent(&self, _dom: &DomainRef) -> Result<bool> {
        Err(no_support("virDomainIsPersistent"))
    }
    fn domain_is_updated(&self, _dom: &DomainRef) -> Result<bool> {
        Err(no_support("virDomainIsUpdated"))
    }
    fn domain_get_os_type(&self, _dom: &DomainRef) -> Result<String> {
        Err(no_support("virDomainGetOSType"))
    }
    /// KiB.
    fn domain_get_max_memory(&self, _dom: &DomainRef) -> Result<u64> {
        Err(no_support("virDomainGetMaxMemory"))
    }
    fn domain_has_managed_save_image(&self, _dom: &DomainRef, _flags: u32) -> Result<bool> {
        Err(no_support("virDomainHasManagedSaveImage"))
    }
    /// `virDomainGetSecurityLabel`: (label, enforcing).
    fn domain_get_security_label(&self, _dom: &DomainRef) -> Result<(String, bool)> {
        Err(no_support("virDomainGetSecurityLabel"))
    }
    fn domain_get_vcpus_flags(&self, _dom: &DomainRef, _flags: u32) -> Result<i32> {
        Err(no_support("virDomainGetVcpusFlags"))
    }
    /// `virConnectGetAllDomainStats`: `doms` empty means every domain matching
    /// the list filter bits of `flags`.
    fn get_all_domain_stats(
        &self,
        _doms: &[DomainRef],
        _stats: u32,
        _flags: u32,
    ) -> Result<Vec<DomainStatsRecord>> {
        Err(no_support("virConnectGetAllDomainStats"))
    }

    /// [`get_all_domain_stats`](Self::get_all_domain_stats) for drivers that
    /// ask a monitor: the daemon calls this one.
    async fn get_all_domain_stats_async(
        &self,
        doms: &[DomainRef],
        stats: u32,
        flags: u32,
    ) -> Result<Vec<DomainStatsRecord>> {
        self.get_all_domain_stats(doms, stats, flags)
    }
    /// `virDomainOpenConsole`: a bidirectional stream on the console
    /// `dev_name` (the first console when absent); flags 1 FORCE, 2 SAFE.
    async fn domain_open_console(
        &self,
        _dom: &DomainRef,
        _dev_name: Option<&str>,
        _flags: u32,
    ) -> Result<DriverStream> {
        Err(no_support("virDomainOpenConsole"))
    }
    /// `virConnectGetDomainCapabilities`.
    fn get_domain_capabilities(
        &self,
        _emulator: Option<&str>,
        _arch: Option<&str>,
        _machine: Option<&str>,
        _virttype: Option<&str>,
        _flags: u32,
    ) -> Result<String> {
        Err(no_support("virConnectGetDomainCapabilities"))
    }
    /// `virDomainAttachDeviceFlags` (flags: `virDomainDeviceModifyFlags`).
    async fn domain_attach_device(&self, _dom: &DomainRef, _xml: &str, _flags: u32) -> Result<()> {
        Err(no_support("virDomainAttachDeviceFlags"))
    }
    /// `virDomainDetachDeviceFlags`.
    async fn domain_detach_device(&self, _dom: &DomainRef, _xml: &str, _flags: u32) -> Result<()> {
        Err(no_support("virDomainDetachDeviceFlags"))
    }
    /// `virDomainUpdateDeviceFlags` (cdrom media change).
    async fn domain_update_device(&self, _dom: &DomainRef, _xml: &str, _flags: u32) -> Result<()> {
        Err(no_support("virDomainUpdateDeviceFlags"))
    }

    /// `virDomainMemoryStats`: (tag, value) pairs, at most `max`.
    async fn domain_memory_stats(
        &self,
        _dom: &DomainRef,
        _max: u32,
        _flags: u32,
    ) -> Result<Vec<(i32, u64)>> {
        Err(no_support("virDomainMemoryStats"))
    }
    /// `virDomainBlockStats`: rd_req, rd_bytes, wr_req, wr_bytes, errs of
    /// the disk named by target or source `path`.
    async fn domain_block_stats(&self, _dom: &DomainRef, _path: &str) -> Result<[i64; 5]> {
        Err(no_support("virDomainBlockStats"))
    }
    /// `virDomainInterfaceStats`: rx bytes, packets, errs, drop, then tx.
    async fn domain_interface_stats(&self, _dom: &DomainRef, _device: &str) -> Result<[i64; 8]> {
        Err(no_support("virDomainInterfaceStats"))
    }

    /// Gives the connection the way to resolve `<disk type='volume'>`
    /// sources: the client's storage connection, in-process (libvirtd) or over
    /// RPC to virtstoraged (virtqemud). Drivers without volume disks ignore it.
    fn set_volume_resolver(&self, _resolver: Arc<dyn storage::VolumeResolver>) {}

    /// The event bus domain events of this connection's driver are published on.
    fn domain_events(&self) -> Option<&DomainEventBus> {
        None
    }
}
