//! The REMOTE program: libvirt's public API over the wire, dispatched to the
//! connection a client opened with `CONNECT_OPEN`.
//!
//! Order of checks for a call, as libvirtd applies them: the rpc layer has
//! already checked status, program and authentication; here an unknown or
//! unimplemented procedure gets "unknown procedure: N", undecodable arguments
//! get "Unable to decode message payload", a call that needs a connection gets
//! "hypervisor connection not open" before `CONNECT_OPEN`, and a call that
//! changes state gets "read only access prevents …" on a read-only connection.

use oxvirt_conffile::daemon::DaemonSettings;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_driver::{
    ConnectDriver, ConnectUri, DomainEvent, DomainEventKind, DomainRef, HypervisorConnection,
    OpenContext,
};
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::remote::{self, procs, table, *};
use oxvirt_protocol::{lxc, qemu};
use oxvirt_rpc::{frame, reply_error, Client, Frame, Handler, Outcome};
use oxvirt_xdr::{CharArray, FixedChars, Xdr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::mpsc;

/// libvirt's `REMOTE_DOMAIN_LIST_MAX` / `REMOTE_DOMAIN_NAME_LIST_MAX`.
const DOMAIN_LIST_MAX: i32 = 16384;

/// Serves the REMOTE program (and answers the QEMU and LXC programs) for one
/// daemon.
pub struct RemoteHandler {
    drivers: Vec<Arc<dyn ConnectDriver>>,
    privileged: bool,
    keepalive_interval: i32,
    keepalive_count: u32,
}

/// Per-client state of the REMOTE program.
pub struct RemoteSession {
    conn: Mutex<Option<Arc<dyn HypervisorConnection>>>,
    close_callback: AtomicBool,
    events: Mutex<EventState>,
    client: Weak<Client>,
}

#[derive(Default)]
struct EventState {
    /// Domain callbacks this client registered.
    domain: Vec<i32>,
    /// Sender shared by every callback of this client; created on first use.
    tx: Option<mpsc::UnboundedSender<oxvirt_driver::events::Delivery>>,
}

impl Drop for RemoteSession {
    fn drop(&mut self) {
        let conn = self.conn.get_mut().ok().and_then(|c| c.take());
        let events = self
            .events
            .get_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        if let Some(bus) = conn.as_ref().and_then(|c| c.domain_events()) {
            for id in events.domain {
                let _ = bus.deregister(id);
            }
        }
    }
}

fn not_open() -> Error {
    Error::internal(ErrorDomain::RPC, "hypervisor connection not open")
}

fn decode<T: Xdr>(f: &Frame) -> Result<T> {
    oxvirt_xdr::from_bytes(&f.payload).map_err(|_| Error::rpc("Unable to decode message payload"))
}

fn to_wire(d: DomainRef) -> NonnullDomain {
    NonnullDomain {
        name: d.name,
        uuid: d.uuid,
        id: d.id,
    }
}

fn from_wire(d: NonnullDomain) -> DomainRef {
    DomainRef {
        name: d.name,
        uuid: d.uuid,
        id: d.id,
    }
}

fn check_max(value: i32, max: i32, what: &str) -> Result<usize> {
    if value < 0 {
        return Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::INVALID_ARG,
            format!("{what} must not be negative"),
        ));
    }
    if value > max {
        return Err(Error::rpc(format!("{what} > {max}")));
    }
    Ok(value as usize)
}

impl RemoteHandler {
    pub fn new(
        drivers: Vec<Arc<dyn ConnectDriver>>,
        privileged: bool,
        settings: &DaemonSettings,
    ) -> Self {
        RemoteHandler {
            drivers,
            privileged,
            keepalive_interval: settings.keepalive_interval,
            keepalive_count: settings.keepalive_count,
        }
    }

    fn open(&self, client: &Client, sess: &RemoteSession, args: ConnectOpenArgs) -> Result<()> {
        let mut slot = sess.conn.lock().map_err(|_| not_open())?;
        if slot.is_some() {
            return Err(Error::internal(ErrorDomain::RPC, "connection already open"));
        }
        let readonly = client.is_readonly() || args.flags & 1 != 0;
        let ctx = OpenContext {
            privileged: self.privileged,
            read_only: readonly,
        };
        let Some(name) = args.name else {
            return Err(Error::internal(ErrorDomain::RPC, "connection not open"));
        };
        let name = if name.is_empty() {
            self.drivers
                .iter()
                .find_map(|d| d.probe_uri(&ctx))
                .ok_or_else(|| {
                    Error::new(
                        ErrorDomain::NONE,
                        ErrorCode::NO_CONNECT,
                        "(null)".to_owned(),
                    )
                })?
        } else {
            name
        };
        let uri = ConnectUri::parse(&name)
            .ok_or_else(|| Error::new(ErrorDomain::NONE, ErrorCode::NO_CONNECT, name.clone()))?;
        for d in &self.drivers {
            if let Some(conn) = d.open(&uri, &ctx)? {
                if readonly {
                    client.set_readonly();
                }
                *slot = Some(conn);
                return Ok(());
            }
        }
        Err(Error::new(ErrorDomain::NONE, ErrorCode::NO_CONNECT, name))
    }

    fn supports_feature(
        &self,
        client: &Arc<Client>,
        sess: &RemoteSession,
        feature: i32,
    ) -> Result<i32> {
        if feature == 10 {
            client.start_keepalive(self.keepalive_interval, self.keepalive_count);
            return Ok(1);
        }
        let conn = sess.conn()?;
        Ok(match feature {
            2 => 0,
            8 | 9 | 14 | 15 | 16 => 1,
            f => i32::from(conn.supports_feature(f)),
        })
    }

    fn register_domain_event(
        &self,
        sess: &RemoteSession,
        conn: &Arc<dyn HypervisorConnection>,
        event_id: i32,
        dom: Option<NonnullDomain>,
    ) -> Result<i32> {
        if !(0..=26).contains(&event_id) {
            return Err(Error::new(
                ErrorDomain::RPC,
                ErrorCode::INVALID_ARG,
                format!("unsupported event ID {event_id}"),
            ));
        }
        let bus = conn
            .domain_events()
            .ok_or_else(|| oxvirt_driver::no_support("virConnectDomainEventRegisterAny"))?;
        let mut ev = sess.events.lock().map_err(|_| not_open())?;
        let tx = match &ev.tx {
            Some(tx) => tx.clone(),
            None => {
                let (tx, rx) = mpsc::unbounded_channel();
                spawn_event_forwarder(sess.client.clone(), rx);
                ev.tx = Some(tx.clone());
                tx
            }
        };
        let id = bus.register(event_id, dom.map(|d| d.uuid), tx);
        ev.domain.push(id);
        Ok(id)
    }

    fn deregister_domain_event(&self, sess: &RemoteSession, callback_id: i32) -> Result<()> {
        let conn = sess.conn()?;
        let mut ev = sess.events.lock().map_err(|_| not_open())?;
        let Some(pos) = ev.domain.iter().position(|id| *id == callback_id) else {
            return Err(Error::internal(
                ErrorDomain::RPC,
                format!("no domain event callback with id {callback_id}"),
            ));
        };
        ev.domain.remove(pos);
        if let Some(bus) = conn.domain_events() {
            bus.deregister(callback_id)?;
        }
        Ok(())
    }

    /// Runs one REMOTE call, appending the encoded ret payload to `out`.
    async fn dispatch(
        &self,
        client: &Arc<Client>,
        sess: &RemoteSession,
        f: &Frame,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let p = f.header.proc_;
        let Some(info) = table::proc_info(p) else {
            return Err(Error::unknown_procedure(p));
        };
        macro_rules! conn {
            () => {
                sess.conn()?
            };
        }
        macro_rules! args {
            ($t:ty) => {
                decode::<$t>(f)?
            };
        }
        macro_rules! ret {
            ($v:expr) => {
                $v.encode(out)
            };
        }
        // Procedures usable without an open connection.
        match p {
            procs::AUTH_LIST => {
                let t = if client.is_authenticated() {
                    remote::AUTH_NONE
                } else {
                    client.service.auth as i32
                };
                ret!(AuthListRet { types: vec![t] });
                return Ok(());
            }
            procs::AUTH_POLKIT => {
                if !client.is_authenticated() {
                    return Err(Error::new(
                        ErrorDomain::AUTH,
                        ErrorCode::AUTH_FAILED,
                        "access denied by policy".to_owned(),
                    ));
                }
                ret!(AuthPolkitRet { complete: 1 });
                return Ok(());
            }
            procs::AUTH_SASL_INIT | procs::AUTH_SASL_START | procs::AUTH_SASL_STEP => {
                return Err(Error::new(
                    ErrorDomain::RPC,
                    ErrorCode::AUTH_FAILED,
                    "authentication failed: SASL is not configured".to_owned(),
                ));
            }
            procs::CONNECT_OPEN => {
                self.open(client, sess, args!(ConnectOpenArgs))?;
                return Ok(());
            }
            procs::CONNECT_CLOSE => {
                if let Ok(mut c) = sess.conn.lock() {
                    c.take();
                }
                return Ok(());
            }
            procs::CONNECT_SUPPORTS_FEATURE => {
                let a = args!(ConnectSupportsFeatureArgs);
                ret!(ConnectSupportsFeatureRet {
                    supported: self.supports_feature(client, sess, a.feature)?
                });
                return Ok(());
            }
            procs::CONNECT_GET_LIB_VERSION => {
                ret!(ConnectGetLibVersionRet {
                    lib_ver: oxvirt_core::LIBVIRT_VERSION
                });
                return Ok(());
            }
            _ => {}
        }
        let conn = conn!();
        if client.is_readonly()
            && table::readonly_denied_with_flags(p, read_flags_word(p, &f.payload))
        {
            return Err(table::readonly_error(p));
        }
        match p {
            procs::CONNECT_GET_TYPE => ret!(ConnectGetTypeRet {
                type_: conn.get_type()
            }),
            procs::CONNECT_GET_VERSION => ret!(ConnectGetVersionRet {
                hv_ver: conn.get_version()?
            }),
            procs::CONNECT_GET_HOSTNAME => ret!(ConnectGetHostnameRet {
                hostname: conn.get_hostname()?
            }),
            procs::CONNECT_GET_URI => ret!(ConnectGetUriRet {
                uri: conn.get_uri()
            }),
            procs::CONNECT_GET_CAPABILITIES => ret!(ConnectGetCapabilitiesRet {
                capabilities: conn.get_capabilities()?
            }),
            procs::CONNECT_GET_SYSINFO => {
                let a = args!(ConnectGetSysinfoArgs);
                ret!(ConnectGetSysinfoRet {
                    sysinfo: conn.get_sysinfo(a.flags)?
                })
            }
            procs::CONNECT_IS_SECURE => ret!(ConnectIsSecureRet {
                secure: i32::from(conn.is_secure())
            }),
            procs::CONNECT_GET_MAX_VCPUS => {
                let a = args!(ConnectGetMaxVcpusArgs);
                ret!(ConnectGetMaxVcpusRet {
                    max_vcpus: conn.get_max_vcpus(a.type_.as_deref())?
                })
            }
            procs::NODE_GET_INFO => {
                let n = conn.node_get_info()?;
                ret!(NodeGetInfoRet {
                    model: FixedChars::from_str_truncated(&n.model),
                    memory: n.memory,
                    cpus: n.cpus,
                    mhz: n.mhz,
                    nodes: n.nodes,
                    sockets: n.sockets,
                    cores: n.cores,
                    threads: n.threads,
                })
            }
            procs::NODE_GET_FREE_MEMORY => ret!(NodeGetFreeMemoryRet {
                freeMem: conn.node_get_free_memory()?
            }),
            procs::NODE_GET_SECURITY_MODEL => {
                let (model, doi) = conn.node_get_security_model()?;
                ret!(NodeGetSecurityModelRet {
                    model: CharArray::with_nul(&model),
                    doi: CharArray::with_nul(&doi),
                })
            }
            procs::DOMAIN_GET_SECURITY_LABEL => {
                let a = args!(DomainGetSecurityLabelArgs);
                let (label, enforcing) = conn.domain_get_security_label(&from_wire(a.dom))?;
                ret!(DomainGetSecurityLabelRet {
                    label: CharArray::with_nul(&label),
                    enforcing: i32::from(enforcing),
                })
            }
            procs::CONNECT_REGISTER_CLOSE_CALLBACK => {
                sess.close_callback.store(true, Ordering::Relaxed)
            }
            procs::CONNECT_UNREGISTER_CLOSE_CALLBACK => {
                sess.close_callback.store(false, Ordering::Relaxed)
            }
            procs::CONNECT_SET_IDENTITY => {
                let _ = args!(ConnectSetIdentityArgs);
            }
            procs::CONNECT_NUM_OF_DOMAINS => ret!(ConnectNumOfDomainsRet {
                num: conn.list_domain_ids()?.len() as i32
            }),
            procs::CONNECT_LIST_DOMAINS => {
                let a = args!(ConnectListDomainsArgs);
                let max = check_max(a.maxids, DOMAIN_LIST_MAX, "maxids")?;
                let mut ids = conn.list_domain_ids()?;
                ids.truncate(max);
                ret!(ConnectListDomainsRet { ids })
            }
            procs::CONNECT_NUM_OF_DEFINED_DOMAINS => ret!(ConnectNumOfDefinedDomainsRet {
                num: conn.list_defined_domain_names()?.len() as i32
            }),
            procs::CONNECT_LIST_DEFINED_DOMAINS => {
                let a = args!(ConnectListDefinedDomainsArgs);
                let max = check_max(a.maxnames, DOMAIN_LIST_MAX, "maxnames")?;
                let mut names = conn.list_defined_domain_names()?;
                names.truncate(max);
                ret!(ConnectListDefinedDomainsRet { names })
            }
            procs::CONNECT_LIST_ALL_DOMAINS => {
                let a = args!(ConnectListAllDomainsArgs);
                let doms = conn.list_all_domains(a.flags)?;
                let n = doms.len() as u32;
                ret!(ConnectListAllDomainsRet {
                    domains: if a.need_results != 0 {
                        doms.into_iter().map(to_wire).collect()
                    } else {
                        vec![]
                    },
                    ret: n,
                })
            }
            procs::DOMAIN_LOOKUP_BY_ID => {
                let a = args!(DomainLookupByIdArgs);
                ret!(DomainLookupByIdRet {
                    dom: to_wire(conn.lookup_domain_by_id(a.id)?)
                })
            }
            procs::DOMAIN_LOOKUP_BY_NAME => {
                let a = args!(DomainLookupByNameArgs);
                ret!(DomainLookupByNameRet {
                    dom: to_wire(conn.lookup_domain_by_name(&a.name)?)
                })
            }
            procs::DOMAIN_LOOKUP_BY_UUID => {
                let a = args!(DomainLookupByUuidArgs);
                ret!(DomainLookupByUuidRet {
                    dom: to_wire(conn.lookup_domain_by_uuid(&a.uuid)?)
                })
            }
            procs::DOMAIN_DEFINE_XML => {
                let a = args!(DomainDefineXmlArgs);
                ret!(DomainDefineXmlRet {
                    dom: to_wire(conn.domain_define_xml(&a.xml, 0).await?)
                })
            }
            procs::DOMAIN_DEFINE_XML_FLAGS => {
                let a = args!(DomainDefineXmlFlagsArgs);
                ret!(DomainDefineXmlFlagsRet {
                    dom: to_wire(conn.domain_define_xml(&a.xml, a.flags).await?)
                })
            }
            procs::DOMAIN_UNDEFINE => {
                let a = args!(DomainUndefineArgs);
                conn.domain_undefine(&from_wire(a.dom), 0).await?
            }
            procs::DOMAIN_UNDEFINE_FLAGS => {
                let a = args!(DomainUndefineFlagsArgs);
                conn.domain_undefine(&from_wire(a.dom), a.flags).await?
            }
            procs::DOMAIN_CREATE => {
                let a = args!(DomainCreateArgs);
                conn.domain_create(&from_wire(a.dom), 0).await?;
            }
            procs::DOMAIN_CREATE_WITH_FLAGS => {
                let a = args!(DomainCreateWithFlagsArgs);
                ret!(DomainCreateWithFlagsRet {
                    dom: to_wire(conn.domain_create(&from_wire(a.dom), a.flags).await?)
                })
            }
            procs::DOMAIN_CREATE_XML => {
                let a = args!(DomainCreateXmlArgs);
                ret!(DomainCreateXmlRet {
                    dom: to_wire(conn.domain_create_xml(&a.xml_desc, a.flags).await?)
                })
            }
            procs::DOMAIN_DESTROY => {
                let a = args!(DomainDestroyArgs);
                conn.domain_destroy(&from_wire(a.dom), 0).await?
            }
            procs::DOMAIN_DESTROY_FLAGS => {
                let a = args!(DomainDestroyFlagsArgs);
                conn.domain_destroy(&from_wire(a.dom), a.flags).await?
            }
            procs::DOMAIN_SHUTDOWN => {
                let a = args!(DomainShutdownArgs);
                conn.domain_shutdown(&from_wire(a.dom), 0).await?
            }
            procs::DOMAIN_SHUTDOWN_FLAGS => {
                let a = args!(DomainShutdownFlagsArgs);
                conn.domain_shutdown(&from_wire(a.dom), a.flags).await?
            }
            procs::DOMAIN_REBOOT => {
                let a = args!(DomainRebootArgs);
                conn.domain_reboot(&from_wire(a.dom), a.flags).await?
            }
            procs::DOMAIN_RESET => {
                let a = args!(DomainResetArgs);
                conn.domain_reset(&from_wire(a.dom), a.flags).await?
            }
            procs::DOMAIN_SUSPEND => {
                let a = args!(DomainSuspendArgs);
                conn.domain_suspend(&from_wire(a.dom)).await?
            }
            procs::DOMAIN_RESUME => {
                let a = args!(DomainResumeArgs);
                conn.domain_resume(&from_wire(a.dom)).await?
            }
            procs::DOMAIN_SET_MEMORY => {
                let a = args!(DomainSetMemoryArgs);
                conn.domain_set_memory(&from_wire(a.dom), a.memory, 0)
                    .await?
            }
            procs::DOMAIN_SET_MEMORY_FLAGS => {
                let a = args!(DomainSetMemoryFlagsArgs);
                conn.domain_set_memory(&from_wire(a.dom), a.memory, a.flags)
                    .await?
            }
            procs::DOMAIN_GET_INFO => {
                let a = args!(DomainGetInfoArgs);
                let i = conn.domain_get_info(&from_wire(a.dom))?;
                ret!(DomainGetInfoRet {
                    state: i.state as u32,
                    maxMem: i.max_mem,
                    memory: i.memory,
                    nrVirtCpu: i.nr_virt_cpu,
                    cpuTime: i.cpu_time,
                })
            }
            procs::DOMAIN_GET_STATE => {
                let a = args!(DomainGetStateArgs);
                let (state, reason) = conn.domain_get_state(&from_wire(a.dom), a.flags)?;
                ret!(DomainGetStateRet { state, reason })
            }
            procs::DOMAIN_GET_XML_DESC => {
                let a = args!(DomainGetXmlDescArgs);
                ret!(DomainGetXmlDescRet {
                    xml: conn.domain_get_xml_desc(&from_wire(a.dom), a.flags)?
                })
            }
            procs::DOMAIN_GET_AUTOSTART => {
                let a = args!(DomainGetAutostartArgs);
                ret!(DomainGetAutostartRet {
                    autostart: i32::from(conn.domain_get_autostart(&from_wire(a.dom))?)
                })
            }
            procs::DOMAIN_SET_AUTOSTART => {
                let a = args!(DomainSetAutostartArgs);
                conn.domain_set_autostart(&from_wire(a.dom), a.autostart != 0)?
            }
            procs::DOMAIN_IS_ACTIVE => {
                let a = args!(DomainIsActiveArgs);
                ret!(DomainIsActiveRet {
                    active: i32::from(conn.domain_is_active(&from_wire(a.dom))?)
                })
            }
            procs::DOMAIN_IS_PERSISTENT => {
                let a = args!(DomainIsPersistentArgs);
                ret!(DomainIsPersistentRet {
                    persistent: i32::from(conn.domain_is_persistent(&from_wire(a.dom))?)
                })
            }
            procs::DOMAIN_IS_UPDATED => {
                let a = args!(DomainIsUpdatedArgs);
                ret!(DomainIsUpdatedRet {
                    updated: i32::from(conn.domain_is_updated(&from_wire(a.dom))?)
                })
            }
            procs::DOMAIN_GET_OS_TYPE => {
                let a = args!(DomainGetOsTypeArgs);
                ret!(DomainGetOsTypeRet {
                    type_: conn.domain_get_os_type(&from_wire(a.dom))?
                })
            }
            procs::DOMAIN_GET_MAX_MEMORY => {
                let a = args!(DomainGetMaxMemoryArgs);
                ret!(DomainGetMaxMemoryRet {
                    memory: conn.domain_get_max_memory(&from_wire(a.dom))?
                })
            }
            procs::DOMAIN_HAS_MANAGED_SAVE_IMAGE => {
                let a = args!(DomainHasManagedSaveImageArgs);
                ret!(DomainHasManagedSaveImageRet {
                    result: i32::from(
                        conn.domain_has_managed_save_image(&from_wire(a.dom), a.flags)?
                    )
                })
            }
            procs::DOMAIN_GET_VCPUS_FLAGS => {
                let a = args!(DomainGetVcpusFlagsArgs);
                ret!(DomainGetVcpusFlagsRet {
                    num: conn.domain_get_vcpus_flags(&from_wire(a.dom), a.flags)?
                })
            }
            procs::DOMAIN_SNAPSHOT_NUM => {
                let a = args!(DomainSnapshotNumArgs);
                // No driver keeps snapshots yet; the domain must still exist.
                conn.lookup_domain_by_uuid(&a.dom.uuid)?;
                ret!(DomainSnapshotNumRet { num: 0 })
            }
            procs::CONNECT_GET_ALL_DOMAIN_STATS => {
                let a = args!(ConnectGetAllDomainStatsArgs);
                let doms: Vec<DomainRef> = a.doms.into_iter().map(from_wire).collect();
                let recs = conn.get_all_domain_stats(&doms, a.stats, a.flags)?;
                ret!(ConnectGetAllDomainStatsRet {
                    retStats: recs
                        .into_iter()
                        .map(|r| DomainStatsRecord {
                            dom: to_wire(r.dom),
                            params: r.params,
                        })
                        .collect(),
                })
            }
            procs::CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY => {
                let a = args!(ConnectDomainEventCallbackRegisterAnyArgs);
                let id = self.register_domain_event(sess, &conn, a.eventID, a.dom)?;
                ret!(ConnectDomainEventCallbackRegisterAnyRet { callbackID: id })
            }
            procs::CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY => {
                let a = args!(ConnectDomainEventCallbackDeregisterAnyArgs);
                self.deregister_domain_event(sess, a.callbackID)?
            }
            // A procedure of libvirt 9.0 that this daemon's drivers do not
            // offer: what libvirtd answers when its driver lacks the callback.
            _ => return Err(oxvirt_driver::no_support_in(info.family, info.api)),
        }
        Ok(())
    }
}

/// The argument word that decides the read-only check of a few calls: the
/// trailing `flags` of the XML getters and of GET_VCPUS_FLAGS, the `source` of
/// DOMAIN_INTERFACE_ADDRESSES (followed by its flags).
fn read_flags_word(p: i32, payload: &[u8]) -> u32 {
    let from_end = match p {
        procs::DOMAIN_GET_XML_DESC
        | procs::DOMAIN_GET_VCPUS_FLAGS
        | procs::DOMAIN_SNAPSHOT_GET_XML_DESC
        | procs::DOMAIN_CHECKPOINT_GET_XML_DESC
        | procs::DOMAIN_MANAGED_SAVE_GET_XML_DESC => 4,
        procs::DOMAIN_INTERFACE_ADDRESSES => 8,
        _ => return 0,
    };
    let n = payload.len();
    if n < from_end {
        return 0;
    }
    let w = &payload[n - from_end..n - from_end + 4];
    u32::from_be_bytes([w[0], w[1], w[2], w[3]])
}

impl RemoteSession {
    fn conn(&self) -> Result<Arc<dyn HypervisorConnection>> {
        self.conn
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .ok_or_else(not_open)
    }
}

/// Encodes domain events for one client and queues them as MESSAGE frames.
fn spawn_event_forwarder(
    client: Weak<Client>,
    mut rx: mpsc::UnboundedReceiver<oxvirt_driver::events::Delivery>,
) {
    tokio::spawn(async move {
        while let Some((callback_id, ev)) = rx.recv().await {
            let Some(c) = client.upgrade() else { return };
            if let Some(bytes) = encode_event(callback_id, ev) {
                c.send_async(bytes);
            }
        }
    });
}

fn event_frame(proc_: i32, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let h = Header {
        prog: remote::PROGRAM,
        vers: remote::VERSION,
        proc_,
        type_: MessageType::Message,
        // libvirtd sends every event with serial 1; clients ignore it.
        serial: 1,
        status: Status::Ok,
    };
    frame::encode(&h, body)
}

fn encode_event(callback_id: i32, ev: DomainEvent) -> Option<Vec<u8>> {
    let dom = to_wire(ev.dom);
    Some(match ev.kind {
        DomainEventKind::Lifecycle { event, detail } => {
            event_frame(procs::DOMAIN_EVENT_CALLBACK_LIFECYCLE, |o| {
                DomainEventCallbackLifecycleMsg {
                    callbackID: callback_id,
                    msg: DomainEventLifecycleMsg { dom, event, detail },
                }
                .encode(o)
            })
        }
        DomainEventKind::Reboot => event_frame(procs::DOMAIN_EVENT_CALLBACK_REBOOT, |o| {
            DomainEventCallbackRebootMsg {
                callbackID: callback_id,
                msg: DomainEventRebootMsg { dom },
            }
            .encode(o)
        }),
    })
}

impl Handler for RemoteHandler {
    type Session = RemoteSession;

    fn new_session(&self, client: &Arc<Client>) -> RemoteSession {
        RemoteSession {
            conn: Mutex::new(None),
            close_callback: AtomicBool::new(false),
            events: Mutex::new(EventState::default()),
            client: Arc::downgrade(client),
        }
    }

    fn has_program(&self, prog: u32, vers: u32) -> bool {
        vers == 1 && (prog == remote::PROGRAM || prog == qemu::PROGRAM || prog == lxc::PROGRAM)
    }

    fn is_priority(&self, prog: u32, proc_: i32) -> bool {
        prog == remote::PROGRAM && table::proc_info(proc_).is_some_and(|i| i.priority)
    }

    fn allowed_unauthenticated(&self, prog: u32, proc_: i32) -> bool {
        prog == remote::PROGRAM
            && matches!(
                proc_,
                procs::AUTH_LIST
                    | procs::AUTH_SASL_INIT
                    | procs::AUTH_SASL_START
                    | procs::AUTH_SASL_STEP
                    | procs::AUTH_POLKIT
            )
    }

    async fn call(
        &self,
        client: &Arc<Client>,
        session: &Arc<RemoteSession>,
        frame: Frame,
    ) -> Outcome {
        let h = frame.header;
        if h.prog != remote::PROGRAM {
            return Outcome::Reply(reply_error(&h, &Error::unknown_procedure(h.proc_)));
        }
        let mut buf = frame::begin();
        match self.dispatch(client, session, &frame, &mut buf).await {
            Ok(()) => {
                frame::finish(&mut buf, &h.reply_to());
                if h.proc_ == procs::CONNECT_CLOSE {
                    Outcome::ReplyThenClose(buf)
                } else {
                    Outcome::Reply(buf)
                }
            }
            Err(e) => Outcome::Reply(reply_error(&h, &e)),
        }
    }
}
