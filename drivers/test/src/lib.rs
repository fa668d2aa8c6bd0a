//! The in-memory test driver: `test:///default`.
//!
//! It reproduces libvirt 9.0's test driver as libvirtd serves it. Every
//! connection to `test:///default` shares one state — a domain defined on
//! one connection is visible, with its events, on all others — and that state
//! is discarded when the last connection closes, so the next connection
//! starts again from the default host with its single running domain `test`.
//!
//! Code map: [`TestDriver`] opens connections and owns the weak link to the
//! shared state; [`TestConnection`] implements
//! [`HypervisorConnection`] by locking [`state::State`] for the duration of
//! one call; `host` holds the fixed host description.

mod errors;
mod host;
pub mod state;

use async_trait::async_trait;
use errors::check_flags;
use oxvirt_conf::domain::format_flags;
use oxvirt_core::domain::stats_flags;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, TypedParam, TypedValue, Uuid};
use oxvirt_driver::{
    ConnectDriver, ConnectUri, DomainEventBus, DomainInfo, DomainRef, DomainStatsRecord,
    HypervisorConnection, NodeInfo, OpenContext,
};
use state::State;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

/// Registers `test:///default` with the daemon.
pub struct TestDriver {
    default: Mutex<Weak<Shared>>,
    random: state::Random,
    /// The fresh state and capabilities, built once: reopening after the
    /// last close only clones them.
    template: OnceLock<(State, String)>,
}

impl Default for TestDriver {
    fn default() -> Self {
        TestDriver::new()
    }
}

impl TestDriver {
    /// A driver drawing UUIDs and MACs from the OS's random source.
    pub fn new() -> Self {
        TestDriver::with_random(os_random)
    }

    /// A driver with a chosen random source, for deterministic tests.
    pub fn with_random(random: state::Random) -> Self {
        TestDriver {
            default: Mutex::new(Weak::new()),
            random,
            template: OnceLock::new(),
        }
    }

    /// Opens `test:///default` directly (what [`ConnectDriver::open`] does for
    /// that URI).
    pub fn open_default(&self) -> Result<Arc<TestConnection>> {
        let mut slot = self.default.lock().unwrap_or_else(|p| p.into_inner());
        let shared = match slot.upgrade() {
            Some(s) => s,
            None => {
                let (st, caps) = match self.template.get() {
                    Some(t) => t.clone(),
                    None => {
                        let t = (
                            State::new_default(self.random)?,
                            host::capabilities().format(),
                        );
                        self.template.get_or_init(|| t).clone()
                    }
                };
                let s = Arc::new(Shared {
                    state: Mutex::new(st),
                    events: DomainEventBus::new(),
                    caps,
                    node: host::node_info(),
                    random: self.random,
                });
                *slot = Arc::downgrade(&s);
                s
            }
        };
        Ok(Arc::new(TestConnection { shared }))
    }
}

/// 16 bytes from the kernel; the clock if that fails (a UUID collision then
/// fails cleanly with a duplicate error).
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

impl ConnectDriver for TestDriver {
    fn name(&self) -> &'static str {
        "test"
    }

    /// `test:///default` has its own objects; the host's real storage is
    /// never reachable through it.
    fn uses_shared_drivers(&self) -> bool {
        false
    }

    fn open(
        &self,
        uri: &ConnectUri,
        _ctx: &OpenContext,
    ) -> Result<Option<Arc<dyn HypervisorConnection>>> {
        if uri.scheme != "test" {
            return Ok(None);
        }
        if !uri.host.is_empty() {
            // A remote host is the client's business, never the daemon's.
            return Ok(None);
        }
        match uri.path.as_str() {
            "" | "/" => Err(Error::new(
                ErrorDomain::TEST,
                ErrorCode::INVALID_ARG,
                "testOpen: supply a path or use test:///default",
            )),
            "/default" => Ok(Some(self.open_default()? as Arc<dyn HypervisorConnection>)),
            // libvirt would load a host description from this file; a daemon
            // does not read arbitrary files for a client, so the answer is
            // what libvirt gives for a file it cannot read.
            path => Err(Error::new(
                ErrorDomain::TEST,
                ErrorCode::XML_ERROR,
                format!("failed to parse xml document '{path}'"),
            )),
        }
    }
}

/// What every connection to `test:///default` shares.
struct Shared {
    state: Mutex<State>,
    events: DomainEventBus,
    caps: String,
    node: NodeInfo,
    random: state::Random,
}

/// One client's connection to `test:///default`.
pub struct TestConnection {
    shared: Arc<Shared>,
}

impl TestConnection {
    /// Runs `f` on the locked state, then frees removed domains after the
    /// lock is released.
    fn with_state<T>(&self, f: impl FnOnce(&mut State, &DomainEventBus) -> Result<T>) -> Result<T> {
        let mut st = self.lock();
        let r = f(&mut st, &self.shared.events);
        let garbage = st.take_garbage();
        drop(st);
        drop(garbage);
        r
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Operations never leave the state half-changed before they can fail,
        // so a poisoned lock still guards a consistent state.
        self.shared.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_micros() as u64).saturating_mul(1000))
        .unwrap_or(0)
}

/// `virDomainXMLFlags` the test driver accepts.
const XML_COMMON_FLAGS: u32 =
    format_flags::SECURE | format_flags::INACTIVE | format_flags::MIGRATABLE;

/// `virConnectListAllDomains` filter bits.
const LIST_FILTERS_ALL: u32 = 0xffff;

/// Stats groups the test driver reports (`VIR_DOMAIN_STATS_STATE`).
const STATS_SUPPORTED: u32 = oxvirt_core::domain::stats_types::STATE;

#[async_trait]
impl HypervisorConnection for TestConnection {
    fn error_domain(&self) -> ErrorDomain {
        ErrorDomain::TEST
    }

    fn get_type(&self) -> String {
        "TEST".into()
    }

    fn get_uri(&self) -> String {
        "test:///default".into()
    }

    fn get_version(&self) -> Result<u64> {
        Ok(host::HV_VERSION)
    }

    fn get_hostname(&self) -> Result<String> {
        host::hostname()
            .map_err(|e| Error::system(ErrorDomain::NONE, "failed to determine host name", &e))
    }

    fn get_capabilities(&self) -> Result<String> {
        Ok(self.shared.caps.clone())
    }

    fn get_max_vcpus(&self, _type: Option<&str>) -> Result<i32> {
        Ok(host::MAX_VCPUS)
    }

    fn node_get_info(&self) -> Result<NodeInfo> {
        Ok(self.shared.node.clone())
    }

    fn node_get_free_memory(&self) -> Result<u64> {
        Ok((0..host::CELLS).map(host::cell_free_memory).sum())
    }

    fn get_sysinfo(&self, flags: u32) -> Result<String> {
        check_flags(flags, 0, "testConnectGetSysinfo")?;
        Ok(host::SYSINFO.into())
    }

    fn node_get_security_model(&self) -> Result<(String, String)> {
        Ok(("testSecurity".into(), String::new()))
    }

    fn supports_feature(&self, feature: i32) -> bool {
        // VIR_DRV_FEATURE_TYPED_PARAM_STRING and
        // VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER.
        matches!(feature, 9 | 16)
    }

    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainRef>> {
        check_flags(flags, LIST_FILTERS_ALL, "testConnectListAllDomains")?;
        let st = self.lock();
        let mut out = Vec::with_capacity(st.len());
        for obj in st.iter() {
            if flags == 0 || State::matches(obj, flags) {
                out.push(obj.dref());
            }
        }
        Ok(out)
    }

    fn lookup_domain_by_id(&self, id: i32) -> Result<DomainRef> {
        if id < 0 {
            let mut e = Error::new(ErrorDomain::DOMAIN, ErrorCode::INVALID_ARG, "");
            e.message = "id in virDomainLookupByID must be zero or greater".into();
            e.str1 = Some("virDomainLookupByID".into());
            e.str2 = Some("id".into());
            e.int1 = 0;
            e.int2 = 0;
            return Err(e);
        }
        self.lock().lookup_id(id)
    }

    fn lookup_domain_by_name(&self, name: &str) -> Result<DomainRef> {
        self.lock().lookup_name(name)
    }

    fn lookup_domain_by_uuid(&self, uuid: &Uuid) -> Result<DomainRef> {
        self.lock().lookup_uuid(uuid)
    }

    async fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        check_flags(flags, 1, "testDomainDefineXMLFlags")?;
        let def = state::parse_def_for_define(xml, self.shared.random)?;
        self.with_state(|st, bus| st.define(def, bus))
    }

    async fn domain_undefine(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 1 | 2, "testDomainUndefineFlags")?;
        self.with_state(|st, bus| st.undefine(dom, bus))
    }

    async fn domain_create(&self, dom: &DomainRef, flags: u32) -> Result<DomainRef> {
        check_flags(flags, 0, "testDomainCreateWithFlags")?;
        self.with_state(|st, bus| st.create(dom, bus))
    }

    async fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<DomainRef> {
        // VIR_DOMAIN_START_VALIDATE only.
        check_flags(flags, 16, "testDomainCreateXML")?;
        let def = state::parse_def(xml, self.shared.random)?;
        self.with_state(|st, bus| st.create_xml(def, bus))
    }

    async fn domain_destroy(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        // VIR_DOMAIN_DESTROY_GRACEFUL only.
        check_flags(flags, 1, "testDomainDestroyFlags")?;
        self.with_state(|st, bus| st.destroy(dom, bus))
    }

    async fn domain_shutdown(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 0, "testDomainShutdownFlags")?;
        self.with_state(|st, bus| st.shutdown(dom, bus))
    }

    async fn domain_reboot(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 0x1f, "testDomainReboot")?;
        self.with_state(|st, bus| st.reboot(dom, bus))
    }

    async fn domain_reset(&self, dom: &DomainRef, flags: u32) -> Result<()> {
        check_flags(flags, 0, "testDomainReset")?;
        self.lock().reset(dom)
    }

    async fn domain_suspend(&self, dom: &DomainRef) -> Result<()> {
        self.with_state(|st, bus| st.suspend(dom, bus))
    }

    async fn domain_resume(&self, dom: &DomainRef) -> Result<()> {
        self.with_state(|st, bus| st.resume(dom, bus))
    }

    async fn domain_set_memory(&self, dom: &DomainRef, kib: u64, flags: u32) -> Result<()> {
        check_flags(flags, 1 | 2 | 4, "testDomainSetMemoryFlags")?;
        self.lock().set_memory(dom, kib, flags)
    }

    fn domain_get_info(&self, dom: &DomainRef) -> Result<DomainInfo> {
        let st = self.lock();
        let obj = st.get(dom)?;
        Ok(DomainInfo {
            state: obj.state as i32,
            max_mem: obj.def.memory_total(),
            memory: obj.def.current_memory,
            nr_virt_cpu: obj.def.vcpu.online(),
            cpu_time: now_ns(),
        })
    }

    fn domain_get_state(&self, dom: &DomainRef, flags: u32) -> Result<(i32, i32)> {
        check_flags(flags, 0, "testDomainGetState")?;
        let st = self.lock();
        let obj = st.get(dom)?;
        Ok((obj.state as i32, obj.reason))
    }

    fn domain_get_xml_desc(&self, dom: &DomainRef, flags: u32) -> Result<String> {
        check_flags(flags, XML_COMMON_FLAGS, "testDomainGetXMLDesc")?;
        let st = self.lock();
        let obj = st.get(dom)?;
        let def = if flags & format_flags::INACTIVE != 0 {
            obj.persistent_def()
        } else {
            &obj.def
        };
        Ok(def.format(flags))
    }

    fn domain_get_autostart(&self, dom: &DomainRef) -> Result<bool> {
        Ok(self.lock().get(dom)?.autostart)
    }

    fn domain_set_autostart(&self, dom: &DomainRef, autostart: bool) -> Result<()> {
        self.lock().set_autostart(dom, autostart)
    }

    fn domain_is_active(&self, dom: &DomainRef) -> Result<bool> {
        Ok(self.lock().get(dom)?.is_active())
    }

    fn domain_is_persistent(&self, dom: &DomainRef) -> Result<bool> {
        Ok(self.lock().get(dom)?.persistent)
    }

    fn domain_is_updated(&self, _dom: &DomainRef) -> Result<bool> {
        Ok(false)
    }

    fn domain_get_os_type(&self, dom: &DomainRef) -> Result<String> {
        // libvirt's test driver answers "linux" whatever the definition says.
        self.lock().get(dom)?;
        Ok("linux".into())
    }

    fn domain_get_max_memory(&self, dom: &DomainRef) -> Result<u64> {
        Ok(self.lock().get(dom)?.def.memory_total())
    }

    fn domain_has_managed_save_image(&self, dom: &DomainRef, flags: u32) -> Result<bool> {
        check_flags(flags, 0, "testDomainHasManagedSaveImage")?;
        Ok(self.lock().get(dom)?.managed_save)
    }

    fn domain_get_security_label(&self, dom: &DomainRef) -> Result<(String, bool)> {
        // A running domain carries the test security driver's fixed label.
        Ok(if self.lock().get(dom)?.is_active() {
            ("libvirt-test".into(), true)
        } else {
            (String::new(), false)
        })
    }

    fn domain_get_vcpus_flags(&self, dom: &DomainRef, flags: u32) -> Result<i32> {
        const MAXIMUM: u32 = 4;
        let st = self.lock();
        if flags & state::AFFECT_LIVE != 0 && flags & state::AFFECT_CONFIG != 0 {
            return Err(errors::live_and_config("virDomainGetVcpusFlags", "ctl"));
        }
        check_flags(flags, 1 | 2 | MAXIMUM, "testDomainGetVcpusFlags")?;
        let which = st.which_def(dom, flags & !MAXIMUM)?;
        let def = st.def_of(dom, which)?;
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
        use oxvirt_core::domain::list_flags as lf;
        let filters = lf::ACTIVE
            | lf::INACTIVE
            | lf::PERSISTENT
            | lf::TRANSIENT
            | lf::RUNNING
            | lf::PAUSED
            | lf::SHUTOFF
            | lf::OTHER;
        check_flags(
            flags,
            filters | stats_flags::NOWAIT | stats_flags::BACKING | stats_flags::ENFORCE_STATS,
            "testConnectGetAllDomainStats",
        )?;
        let unsupported = stats & !STATS_SUPPORTED;
        if flags & stats_flags::ENFORCE_STATS != 0 && unsupported != 0 {
            return Err(Error::new(
                ErrorDomain::TEST,
                ErrorCode::ARGUMENT_UNSUPPORTED,
                format!("Stats types bits 0x{unsupported:x} are not supported by this daemon"),
            ));
        }
        let want_state = stats == 0 || stats & STATS_SUPPORTED != 0;
        let filter = flags & filters;
        let st = self.lock();
        let record = |obj: &state::DomainObj| {
            let mut params = Vec::new();
            if want_state {
                params.push(TypedParam::new(
                    "state.state",
                    TypedValue::Int(obj.state as i32),
                ));
                params.push(TypedParam::new("state.reason", TypedValue::Int(obj.reason)));
            }
            DomainStatsRecord {
                dom: obj.dref(),
                params,
            }
        };
        let keep = |obj: &&state::DomainObj| filter == 0 || State::matches(obj, filter);
        Ok(if doms.is_empty() {
            st.iter().filter(keep).map(record).collect()
        } else {
            doms.iter()
                .filter_map(|d| st.get(d).ok())
                .filter(keep)
                .map(record)
                .collect()
        })
    }

    fn domain_events(&self) -> Option<&DomainEventBus> {
        Some(&self.shared.events)
    }
}

#[cfg(test)]
mod tests;
