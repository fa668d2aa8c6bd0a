//! Domain procedures: listing, lookup, define/undefine, lifecycle, queries,
//! stats and event registration.

use super::{check_max, decode, from_wire, to_wire, Call, DOMAIN_LIST_MAX};
use oxvirt_core::Result;
use oxvirt_driver::DomainRef;
use oxvirt_protocol::remote::{procs, *};
use oxvirt_xdr::Xdr;

/// Runs `cx` if it is a domain procedure; `Ok(false)` if it is not one.
pub(super) async fn dispatch(cx: &Call<'_>, out: &mut Vec<u8>) -> Result<bool> {
    let Call { f, conn, .. } = cx;
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
    match f.header.proc_ {
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
            // virDomainSetMemory changes the live balloon (AFFECT_LIVE).
            conn.domain_set_memory(&from_wire(a.dom), a.memory, 1)
                .await?
        }
        procs::DOMAIN_SET_MAX_MEMORY => {
            let a = args!(DomainSetMaxMemoryArgs);
            // virDomainSetMaxMemory is SetMemoryFlags with MEM_MAXIMUM.
            conn.domain_set_memory(&from_wire(a.dom), a.memory, 4)
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
                result: i32::from(conn.domain_has_managed_save_image(&from_wire(a.dom), a.flags)?)
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
            let recs = conn
                .get_all_domain_stats_async(&doms, a.stats, a.flags)
                .await?;
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
        procs::DOMAIN_MEMORY_STATS => {
            let a = args!(DomainMemoryStatsArgs);
            let stats = conn
                .domain_memory_stats(&from_wire(a.dom), a.maxStats, a.flags)
                .await?;
            ret!(DomainMemoryStatsRet {
                stats: stats
                    .into_iter()
                    .map(|(tag, val)| DomainMemoryStat { tag, val })
                    .collect(),
            })
        }
        procs::DOMAIN_BLOCK_STATS => {
            let a = args!(DomainBlockStatsArgs);
            let s = conn.domain_block_stats(&from_wire(a.dom), &a.path).await?;
            ret!(DomainBlockStatsRet {
                rd_req: s[0],
                rd_bytes: s[1],
                wr_req: s[2],
                wr_bytes: s[3],
                errs: s[4],
            })
        }
        procs::DOMAIN_INTERFACE_STATS => {
            let a = args!(DomainInterfaceStatsArgs);
            let s = conn
                .domain_interface_stats(&from_wire(a.dom), &a.device)
                .await?;
            ret!(DomainInterfaceStatsRet {
                rx_bytes: s[0],
                rx_packets: s[1],
                rx_errs: s[2],
                rx_drop: s[3],
                tx_bytes: s[4],
                tx_packets: s[5],
                tx_errs: s[6],
                tx_drop: s[7],
            })
        }
        procs::DOMAIN_OPEN_CONSOLE => {
            let a = args!(DomainOpenConsoleArgs);
            let s = conn
                .domain_open_console(&from_wire(a.dom), a.dev_name.as_deref(), a.flags)
                .await?;
            cx.open_stream(s);
        }
        procs::DOMAIN_ATTACH_DEVICE => {
            let a = args!(DomainAttachDeviceArgs);
            // virDomainAttachDevice is the live (AFFECT_LIVE) variant.
            conn.domain_attach_device(&from_wire(a.dom), &a.xml, 1)
                .await?
        }
        procs::DOMAIN_ATTACH_DEVICE_FLAGS => {
            let a = args!(DomainAttachDeviceFlagsArgs);
            conn.domain_attach_device(&from_wire(a.dom), &a.xml, a.flags)
                .await?
        }
        procs::DOMAIN_DETACH_DEVICE => {
            let a = args!(DomainDetachDeviceArgs);
            conn.domain_detach_device(&from_wire(a.dom), &a.xml, 1)
                .await?
        }
        procs::DOMAIN_DETACH_DEVICE_FLAGS => {
            let a = args!(DomainDetachDeviceFlagsArgs);
            conn.domain_detach_device(&from_wire(a.dom), &a.xml, a.flags)
                .await?
        }
        procs::DOMAIN_UPDATE_DEVICE_FLAGS => {
            let a = args!(DomainUpdateDeviceFlagsArgs);
            conn.domain_update_device(&from_wire(a.dom), &a.xml, a.flags)
                .await?
        }
        procs::CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY => {
            let a = args!(ConnectDomainEventCallbackRegisterAnyArgs);
            let id = cx
                .handler
                .register_domain_event(cx.sess, conn, a.eventID, a.dom)?;
            ret!(ConnectDomainEventCallbackRegisterAnyRet { callbackID: id })
        }
        procs::CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY => {
            let a = args!(ConnectDomainEventCallbackDeregisterAnyArgs);
            cx.handler.deregister_domain_event(cx.sess, a.callbackID)?
        }
        _ => return Ok(false),
    }
    Ok(true)
}
