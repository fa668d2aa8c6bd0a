//! [`Domain`]: a guest, and the connection-level calls that find, list,
//! define and create guests.

use crate::connect::{ConnInner, Connect};
use crate::stream::Stream;
use oxvirt_core::{Result, TypedParam, Uuid};
use oxvirt_protocol::remote::{self, procs, NonnullDomain};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

/// `virDomainInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainInfo {
    /// `virDomainState` number.
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
#[derive(Clone)]
pub struct DomainStats {
    pub domain: Domain,
    pub params: Vec<TypedParam>,
}

/// A security label (`virSecurityLabel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityLabel {
    pub label: String,
    pub enforcing: bool,
}

/// A handle to one domain.
pub struct Domain {
    pub(crate) conn: Arc<ConnInner>,
    name: String,
    uuid: Uuid,
    id: AtomicI32,
}

impl Clone for Domain {
    fn clone(&self) -> Self {
        Domain {
            conn: self.conn.clone(),
            name: self.name.clone(),
            uuid: self.uuid,
            id: AtomicI32::new(self.id.load(Ordering::Relaxed)),
        }
    }
}

impl std::fmt::Debug for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Domain({}, {}, {})", self.name, self.uuid, self.raw_id())
    }
}

impl Domain {
    pub(crate) fn from_wire(conn: Arc<ConnInner>, d: NonnullDomain) -> Domain {
        Domain {
            conn,
            name: d.name,
            uuid: d.uuid,
            id: AtomicI32::new(d.id),
        }
    }

    pub(crate) fn wire(&self) -> NonnullDomain {
        NonnullDomain {
            name: self.name.clone(),
            uuid: self.uuid,
            id: self.raw_id(),
        }
    }

    fn raw_id(&self) -> i32 {
        self.id.load(Ordering::Relaxed)
    }

    /// The domain's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The domain's UUID.
    pub fn uuid(&self) -> Uuid {
        self.uuid
    }

    /// The running id, `None` when inactive (`virDomainGetID` returns -1).
    pub fn id(&self) -> Option<u32> {
        u32::try_from(self.raw_id()).ok()
    }

    /// The connection this handle belongs to.
    pub fn connect(&self) -> Connect {
        Connect::from_inner(self.conn.clone())
    }

    async fn refresh_id(&self) -> Result<()> {
        let d: NonnullDomain = self
            .conn
            .call(procs::DOMAIN_LOOKUP_BY_UUID, &self.uuid)
            .await?;
        self.id.store(d.id, Ordering::Relaxed);
        Ok(())
    }

    async fn simple(&self, proc_: i32) -> Result<()> {
        self.conn.call(proc_, &self.wire()).await
    }

    async fn with_flags(&self, proc_: i32, flags: u32) -> Result<()> {
        self.conn
            .call_flags(proc_, &(self.wire(), flags), flags)
            .await
    }

    /// Starts a defined domain (`virDomainCreate`); the id is refreshed.
    pub async fn create(&self) -> Result<()> {
        self.simple(procs::DOMAIN_CREATE).await?;
        self.refresh_id().await
    }

    /// Starts a defined domain with `VIR_DOMAIN_START_*` flags.
    pub async fn create_with_flags(&self, flags: u32) -> Result<()> {
        let d: NonnullDomain = self
            .conn
            .call(procs::DOMAIN_CREATE_WITH_FLAGS, &(self.wire(), flags))
            .await?;
        self.id.store(d.id, Ordering::Relaxed);
        Ok(())
    }

    /// Stops the domain at once (`virDomainDestroy`).
    pub async fn destroy(&self) -> Result<()> {
        self.simple(procs::DOMAIN_DESTROY).await?;
        self.id.store(-1, Ordering::Relaxed);
        Ok(())
    }

    /// `virDomainDestroyFlags`.
    pub async fn destroy_flags(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::DOMAIN_DESTROY_FLAGS, flags).await?;
        self.id.store(-1, Ordering::Relaxed);
        Ok(())
    }

    /// Asks the guest to shut down (`virDomainShutdown`).
    pub async fn shutdown(&self) -> Result<()> {
        self.simple(procs::DOMAIN_SHUTDOWN).await
    }

    /// `virDomainShutdownFlags`.
    pub async fn shutdown_flags(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::DOMAIN_SHUTDOWN_FLAGS, flags).await
    }

    /// `virDomainReboot`.
    pub async fn reboot(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::DOMAIN_REBOOT, flags).await
    }

    /// `virDomainReset`.
    pub async fn reset(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::DOMAIN_RESET, flags).await
    }

    /// Pauses the guest's CPUs.
    pub async fn suspend(&self) -> Result<()> {
        self.simple(procs::DOMAIN_SUSPEND).await
    }

    /// Resumes a paused guest.
    pub async fn resume(&self) -> Result<()> {
        self.simple(procs::DOMAIN_RESUME).await
    }

    /// Removes the persistent definition (`virDomainUndefine`).
    pub async fn undefine(&self) -> Result<()> {
        self.simple(procs::DOMAIN_UNDEFINE).await
    }

    /// `virDomainUndefineFlags`.
    pub async fn undefine_flags(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::DOMAIN_UNDEFINE_FLAGS, flags).await
    }

    /// `virDomainGetInfo`.
    pub async fn get_info(&self) -> Result<DomainInfo> {
        let r: remote::DomainGetInfoRet =
            self.conn.call(procs::DOMAIN_GET_INFO, &self.wire()).await?;
        Ok(DomainInfo {
            state: r.state as i32,
            max_mem: r.maxMem,
            memory: r.memory,
            nr_virt_cpu: r.nrVirtCpu,
            cpu_time: r.cpuTime,
        })
    }

    /// The state and its reason (`virDomainGetState`).
    pub async fn get_state(&self, flags: u32) -> Result<(i32, i32)> {
        let r: remote::DomainGetStateRet = self
            .conn
            .call(procs::DOMAIN_GET_STATE, &(self.wire(), flags))
            .await?;
        Ok((r.state, r.reason))
    }

    /// The domain XML (`virDomainGetXMLDesc`, `VIR_DOMAIN_XML_*` flags).
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call_flags(procs::DOMAIN_GET_XML_DESC, &(self.wire(), flags), flags)
            .await
    }

    /// Whether the domain starts with the host.
    pub async fn get_autostart(&self) -> Result<bool> {
        let r: i32 = self
            .conn
            .call(procs::DOMAIN_GET_AUTOSTART, &self.wire())
            .await?;
        Ok(r != 0)
    }

    /// Sets autostart.
    pub async fn set_autostart(&self, on: bool) -> Result<()> {
        self.conn
            .call(procs::DOMAIN_SET_AUTOSTART, &(self.wire(), i32::from(on)))
            .await
    }

    async fn bool_query(&self, proc_: i32) -> Result<bool> {
        let r: i32 = self.conn.call(proc_, &self.wire()).await?;
        Ok(r != 0)
    }

    /// Whether the domain is running.
    pub async fn is_active(&self) -> Result<bool> {
        self.bool_query(procs::DOMAIN_IS_ACTIVE).await
    }

    /// Whether the domain has a persistent definition.
    pub async fn is_persistent(&self) -> Result<bool> {
        self.bool_query(procs::DOMAIN_IS_PERSISTENT).await
    }

    /// Whether the running domain differs from its persistent definition.
    pub async fn is_updated(&self) -> Result<bool> {
        self.bool_query(procs::DOMAIN_IS_UPDATED).await
    }

    /// The guest OS type, e.g. `hvm`.
    pub async fn get_os_type(&self) -> Result<String> {
        self.conn
            .call(procs::DOMAIN_GET_OS_TYPE, &self.wire())
            .await
    }

    /// The maximum memory in KiB.
    pub async fn get_max_memory(&self) -> Result<u64> {
        self.conn
            .call(procs::DOMAIN_GET_MAX_MEMORY, &self.wire())
            .await
    }

    /// Sets the current memory in KiB (`virDomainSetMemory`).
    pub async fn set_memory(&self, kib: u64) -> Result<()> {
        self.conn
            .call(procs::DOMAIN_SET_MEMORY, &(self.wire(), kib))
            .await
    }

    /// `virDomainSetMemoryFlags`.
    pub async fn set_memory_flags(&self, kib: u64, flags: u32) -> Result<()> {
        self.conn
            .call(procs::DOMAIN_SET_MEMORY_FLAGS, &(self.wire(), kib, flags))
            .await
    }

    /// Sets the maximum memory in KiB.
    pub async fn set_max_memory(&self, kib: u64) -> Result<()> {
        self.conn
            .call(procs::DOMAIN_SET_MAX_MEMORY, &(self.wire(), kib))
            .await
    }

    /// Whether a managed save image exists.
    pub async fn has_managed_save_image(&self, flags: u32) -> Result<bool> {
        let r: i32 = self
            .conn
            .call(procs::DOMAIN_HAS_MANAGED_SAVE_IMAGE, &(self.wire(), flags))
            .await?;
        Ok(r != 0)
    }

    /// The domain's security label.
    pub async fn get_security_label(&self) -> Result<SecurityLabel> {
        let r: remote::DomainGetSecurityLabelRet = self
            .conn
            .call(procs::DOMAIN_GET_SECURITY_LABEL, &self.wire())
            .await?;
        let end = r
            .label
            .0
            .iter()
            .position(|b| *b == 0)
            .unwrap_or(r.label.0.len());
        Ok(SecurityLabel {
            label: String::from_utf8_lossy(&r.label.0[..end]).into_owned(),
            enforcing: r.enforcing != 0,
        })
    }

    /// Messages the hypervisor attached to the domain (tainting, deprecations).
    pub async fn get_messages(&self, flags: u32) -> Result<Vec<String>> {
        self.conn
            .call(procs::DOMAIN_GET_MESSAGES, &(self.wire(), flags))
            .await
    }

    /// The number of snapshots.
    pub async fn snapshot_num(&self, flags: u32) -> Result<i32> {
        self.conn
            .call(procs::DOMAIN_SNAPSHOT_NUM, &(self.wire(), flags))
            .await
    }

    /// The number of vCPUs (`virDomainGetVcpusFlags`).
    pub async fn get_vcpus_flags(&self, flags: u32) -> Result<i32> {
        self.conn
            .call_flags(procs::DOMAIN_GET_VCPUS_FLAGS, &(self.wire(), flags), flags)
            .await
    }

    /// Sets the number of vCPUs (`virDomainSetVcpusFlags`).
    pub async fn set_vcpus_flags(&self, n: u32, flags: u32) -> Result<()> {
        self.conn
            .call(procs::DOMAIN_SET_VCPUS_FLAGS, &(self.wire(), n, flags))
            .await
    }

    /// Metadata: `type_` 0 description, 1 title, 2 element (with `uri`).
    pub async fn get_metadata(&self, type_: i32, uri: Option<&str>, flags: u32) -> Result<String> {
        let args = remote::DomainGetMetadataArgs {
            dom: self.wire(),
            type_,
            uri: uri.map(str::to_owned),
            flags,
        };
        self.conn.call(procs::DOMAIN_GET_METADATA, &args).await
    }

    /// Memory statistics as (tag, value) pairs.
    pub async fn memory_stats(&self, max: u32, flags: u32) -> Result<Vec<(i32, u64)>> {
        let r: remote::DomainMemoryStatsRet = self
            .conn
            .call(procs::DOMAIN_MEMORY_STATS, &(self.wire(), max, flags))
            .await?;
        Ok(r.stats.into_iter().map(|s| (s.tag, s.val)).collect())
    }

    /// Opens the console `dev` (default: the first) as a stream
    /// (`virDomainOpenConsole`; flags 1 FORCE, 2 SAFE).
    pub async fn open_console(&self, dev: Option<&str>, flags: u32) -> Result<Stream> {
        let args = remote::DomainOpenConsoleArgs {
            dom: self.wire(),
            dev_name: dev.map(str::to_owned),
            flags,
        };
        Stream::open(self.conn.clone(), procs::DOMAIN_OPEN_CONSOLE, &args).await
    }
}

impl Connect {
    fn dom(&self, d: NonnullDomain) -> Domain {
        Domain::from_wire(self.inner.clone(), d)
    }

    /// Every domain matching `VIR_CONNECT_LIST_DOMAINS_*` flags (0 = all).
    pub async fn list_all_domains(&self, flags: u32) -> Result<Vec<Domain>> {
        let r: remote::ConnectListAllDomainsRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_DOMAINS, &(1i32, flags))
            .await?;
        Ok(r.domains.into_iter().map(|d| self.dom(d)).collect())
    }

    /// Ids of running domains (legacy API).
    pub async fn list_domains(&self) -> Result<Vec<i32>> {
        let n: i32 = self.inner.call(procs::CONNECT_NUM_OF_DOMAINS, &()).await?;
        self.inner.call(procs::CONNECT_LIST_DOMAINS, &n).await
    }

    /// Names of inactive persistent domains (legacy API).
    pub async fn list_defined_domains(&self) -> Result<Vec<String>> {
        let n: i32 = self
            .inner
            .call(procs::CONNECT_NUM_OF_DEFINED_DOMAINS, &())
            .await?;
        self.inner
            .call(procs::CONNECT_LIST_DEFINED_DOMAINS, &n)
            .await
    }

    /// `virDomainLookupByName`.
    pub async fn domain_lookup_by_name(&self, name: &str) -> Result<Domain> {
        let d = self
            .inner
            .call(procs::DOMAIN_LOOKUP_BY_NAME, &name.to_owned())
            .await?;
        Ok(self.dom(d))
    }

    /// `virDomainLookupByID`.
    pub async fn domain_lookup_by_id(&self, id: i32) -> Result<Domain> {
        let d = self.inner.call(procs::DOMAIN_LOOKUP_BY_ID, &id).await?;
        Ok(self.dom(d))
    }

    /// `virDomainLookupByUUID`.
    pub async fn domain_lookup_by_uuid(&self, uuid: &Uuid) -> Result<Domain> {
        let d = self.inner.call(procs::DOMAIN_LOOKUP_BY_UUID, uuid).await?;
        Ok(self.dom(d))
    }

    /// Defines a persistent domain from XML (`virDomainDefineXML`).
    pub async fn domain_define_xml(&self, xml: &str) -> Result<Domain> {
        let d = self
            .inner
            .call(procs::DOMAIN_DEFINE_XML, &xml.to_owned())
            .await?;
        Ok(self.dom(d))
    }

    /// `virDomainDefineXMLFlags` (1 = VALIDATE).
    pub async fn domain_define_xml_flags(&self, xml: &str, flags: u32) -> Result<Domain> {
        let d = self
            .inner
            .call(procs::DOMAIN_DEFINE_XML_FLAGS, &(xml.to_owned(), flags))
            .await?;
        Ok(self.dom(d))
    }

    /// Creates and starts a transient domain (`virDomainCreateXML`).
    pub async fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<Domain> {
        let d = self
            .inner
            .call(procs::DOMAIN_CREATE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.dom(d))
    }

    /// `virConnectGetAllDomainStats` (empty `doms`) or
    /// `virDomainListGetStats` (the given domains).
    pub async fn get_all_domain_stats(
        &self,
        doms: &[Domain],
        stats: u32,
        flags: u32,
    ) -> Result<Vec<DomainStats>> {
        let args = remote::ConnectGetAllDomainStatsArgs {
            doms: doms.iter().map(Domain::wire).collect(),
            stats,
            flags,
        };
        let r: remote::ConnectGetAllDomainStatsRet = self
            .inner
            .call(procs::CONNECT_GET_ALL_DOMAIN_STATS, &args)
            .await?;
        Ok(r.retStats
            .into_iter()
            .map(|s| DomainStats {
                domain: self.dom(s.dom),
                params: s.params,
            })
            .collect())
    }
}
