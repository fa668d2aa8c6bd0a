//! Storage procedures: pools, volumes, their streams and pool events.
//!
//! A client's storage connection is opened next to its hypervisor
//! connection at `CONNECT_OPEN` (when the hypervisor driver uses the
//! daemon's shared secondary drivers) and kept in [`StorageSession`]. A
//! client whose connection has no storage side gets libvirt's
//! "not supported" answer from the caller's fallback.

use super::{check_max, decode, event_frame, Call};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_driver::storage::{
    PoolDelivery, PoolEventKind, PoolRef, StorageConnection, StorageDriver, VolRef,
};
use oxvirt_driver::OpenContext;
use oxvirt_protocol::remote::{procs, *};
use oxvirt_rpc::Client;
use oxvirt_xdr::Xdr;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::mpsc;

/// libvirt's `REMOTE_STORAGE_POOL_LIST_MAX` and `REMOTE_STORAGE_VOL_LIST_MAX`.
const LIST_MAX: i32 = 16384;

/// The storage side of one client's connection.
#[derive(Default)]
pub(crate) struct StorageSession {
    conn: Mutex<Option<Arc<dyn StorageConnection>>>,
    events: Mutex<PoolEvents>,
}

#[derive(Default)]
struct PoolEvents {
    callbacks: Vec<i32>,
    tx: Option<mpsc::UnboundedSender<PoolDelivery>>,
}

impl StorageSession {
    /// Opens the storage connection of a client that just connected.
    pub(crate) fn open(&self, driver: &dyn StorageDriver, ctx: &OpenContext) {
        match driver.open(ctx) {
            Ok(c) => {
                if let Ok(mut slot) = self.conn.lock() {
                    *slot = Some(c);
                }
            }
            Err(e) => log::warn!("cannot open the storage driver for a client: {e}"),
        }
    }

    /// Drops the storage connection and the client's pool callbacks.
    pub(crate) fn close(&self) {
        let conn = self.conn.lock().ok().and_then(|mut c| c.take());
        let ev = self
            .events
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default();
        if let Some(bus) = conn.as_ref().and_then(|c| c.pool_events()) {
            for id in ev.callbacks {
                let _ = bus.deregister(id);
            }
        }
    }

    pub(crate) fn get(&self) -> Option<Arc<dyn StorageConnection>> {
        self.conn.lock().ok().and_then(|c| c.clone())
    }
}

impl Drop for StorageSession {
    fn drop(&mut self) {
        self.close();
    }
}

fn pool_to_wire(p: PoolRef) -> NonnullStoragePool {
    NonnullStoragePool {
        name: p.name,
        uuid: p.uuid,
    }
}

fn pool_from_wire(p: NonnullStoragePool) -> PoolRef {
    PoolRef {
        name: p.name,
        uuid: p.uuid,
    }
}

fn vol_to_wire(v: VolRef) -> NonnullStorageVol {
    NonnullStorageVol {
        pool: v.pool,
        name: v.name,
        key: v.key,
    }
}

fn vol_from_wire(v: NonnullStorageVol) -> VolRef {
    VolRef {
        pool: v.pool,
        name: v.name,
        key: v.key,
    }
}

/// Names of the active (or inactive) pools, for the legacy list calls.
async fn pool_names(s: &Arc<dyn StorageConnection>, active: bool) -> Result<Vec<String>> {
    use oxvirt_driver::storage::flags::list_pools;
    let f = if active {
        list_pools::ACTIVE
    } else {
        list_pools::INACTIVE
    };
    Ok(s.list_all_pools(f)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect())
}

/// Runs `cx` if it is a storage procedure and this connection has storage;
/// `Ok(false)` otherwise.
pub(super) async fn dispatch(cx: &Call<'_>, out: &mut Vec<u8>) -> Result<bool> {
    let f = cx.f;
    let p = f.header.proc_;
    let Some(s) = cx.sess.storage.get() else {
        return Ok(false);
    };
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
    match p {
        procs::CONNECT_NUM_OF_STORAGE_POOLS => ret!(ConnectNumOfStoragePoolsRet {
            num: pool_names(&s, true).await?.len() as i32
        }),
        procs::CONNECT_LIST_STORAGE_POOLS => {
            let a = args!(ConnectListStoragePoolsArgs);
            let max = check_max(a.maxnames, LIST_MAX, "maxnames")?;
            let mut names = pool_names(&s, true).await?;
            names.truncate(max);
            ret!(ConnectListStoragePoolsRet { names })
        }
        procs::CONNECT_NUM_OF_DEFINED_STORAGE_POOLS => {
            ret!(ConnectNumOfDefinedStoragePoolsRet {
                num: pool_names(&s, false).await?.len() as i32
            })
        }
        procs::CONNECT_LIST_DEFINED_STORAGE_POOLS => {
            let a = args!(ConnectListDefinedStoragePoolsArgs);
            let max = check_max(a.maxnames, LIST_MAX, "maxnames")?;
            let mut names = pool_names(&s, false).await?;
            names.truncate(max);
            ret!(ConnectListDefinedStoragePoolsRet { names })
        }
        procs::CONNECT_LIST_ALL_STORAGE_POOLS => {
            let a = args!(ConnectListAllStoragePoolsArgs);
            let pools = s.list_all_pools(a.flags).await?;
            let n = pools.len() as u32;
            ret!(ConnectListAllStoragePoolsRet {
                pools: if a.need_results != 0 {
                    pools.into_iter().map(pool_to_wire).collect()
                } else {
                    vec![]
                },
                ret: n,
            })
        }
        procs::CONNECT_FIND_STORAGE_POOL_SOURCES => {
            let a = args!(ConnectFindStoragePoolSourcesArgs);
            ret!(ConnectFindStoragePoolSourcesRet {
                xml: s
                    .find_pool_sources(&a.type_, a.srcSpec.as_deref(), a.flags)
                    .await?
            })
        }
        procs::CONNECT_GET_STORAGE_POOL_CAPABILITIES => {
            let a = args!(ConnectGetStoragePoolCapabilitiesArgs);
            ret!(ConnectGetStoragePoolCapabilitiesRet {
                capabilities: s.pool_capabilities(a.flags).await?
            })
        }
        procs::STORAGE_POOL_LOOKUP_BY_NAME => {
            let a = args!(StoragePoolLookupByNameArgs);
            ret!(StoragePoolLookupByNameRet {
                pool: pool_to_wire(s.pool_lookup_by_name(&a.name).await?)
            })
        }
        procs::STORAGE_POOL_LOOKUP_BY_UUID => {
            let a = args!(StoragePoolLookupByUuidArgs);
            ret!(StoragePoolLookupByUuidRet {
                pool: pool_to_wire(s.pool_lookup_by_uuid(&a.uuid).await?)
            })
        }
        procs::STORAGE_POOL_LOOKUP_BY_VOLUME => {
            let a = args!(StoragePoolLookupByVolumeArgs);
            ret!(StoragePoolLookupByVolumeRet {
                pool: pool_to_wire(s.pool_lookup_by_volume(&vol_from_wire(a.vol)).await?)
            })
        }
        procs::STORAGE_POOL_LOOKUP_BY_TARGET_PATH => {
            let a = args!(StoragePoolLookupByTargetPathArgs);
            ret!(StoragePoolLookupByTargetPathRet {
                pool: pool_to_wire(s.pool_lookup_by_target_path(&a.path).await?)
            })
        }
        procs::STORAGE_POOL_DEFINE_XML => {
            let a = args!(StoragePoolDefineXmlArgs);
            ret!(StoragePoolDefineXmlRet {
                pool: pool_to_wire(s.pool_define_xml(&a.xml, a.flags).await?)
            })
        }
        procs::STORAGE_POOL_CREATE_XML => {
            let a = args!(StoragePoolCreateXmlArgs);
            ret!(StoragePoolCreateXmlRet {
                pool: pool_to_wire(s.pool_create_xml(&a.xml, a.flags).await?)
            })
        }
        procs::STORAGE_POOL_BUILD => {
            let a = args!(StoragePoolBuildArgs);
            s.pool_build(&pool_from_wire(a.pool), a.flags).await?
        }
        procs::STORAGE_POOL_CREATE => {
            let a = args!(StoragePoolCreateArgs);
            s.pool_create(&pool_from_wire(a.pool), a.flags).await?
        }
        procs::STORAGE_POOL_DESTROY => {
            let a = args!(StoragePoolDestroyArgs);
            s.pool_destroy(&pool_from_wire(a.pool)).await?
        }
        procs::STORAGE_POOL_DELETE => {
            let a = args!(StoragePoolDeleteArgs);
            s.pool_delete(&pool_from_wire(a.pool), a.flags).await?
        }
        procs::STORAGE_POOL_REFRESH => {
            let a = args!(StoragePoolRefreshArgs);
            s.pool_refresh(&pool_from_wire(a.pool), a.flags).await?
        }
        procs::STORAGE_POOL_UNDEFINE => {
            let a = args!(StoragePoolUndefineArgs);
            s.pool_undefine(&pool_from_wire(a.pool)).await?
        }
        procs::STORAGE_POOL_GET_INFO => {
            let a = args!(StoragePoolGetInfoArgs);
            let i = s.pool_get_info(&pool_from_wire(a.pool)).await?;
            ret!(StoragePoolGetInfoRet {
                state: i.state as u32,
                capacity: i.capacity,
                allocation: i.allocation,
                available: i.available,
            })
        }
        procs::STORAGE_POOL_GET_XML_DESC => {
            let a = args!(StoragePoolGetXmlDescArgs);
            ret!(StoragePoolGetXmlDescRet {
                xml: s
                    .pool_get_xml_desc(&pool_from_wire(a.pool), a.flags)
                    .await?
            })
        }
        procs::STORAGE_POOL_GET_AUTOSTART => {
            let a = args!(StoragePoolGetAutostartArgs);
            ret!(StoragePoolGetAutostartRet {
                autostart: i32::from(s.pool_get_autostart(&pool_from_wire(a.pool)).await?)
            })
        }
        procs::STORAGE_POOL_SET_AUTOSTART => {
            let a = args!(StoragePoolSetAutostartArgs);
            s.pool_set_autostart(&pool_from_wire(a.pool), a.autostart != 0)
                .await?
        }
        procs::STORAGE_POOL_IS_ACTIVE => {
            let a = args!(StoragePoolIsActiveArgs);
            ret!(StoragePoolIsActiveRet {
                active: i32::from(s.pool_is_active(&pool_from_wire(a.pool)).await?)
            })
        }
        procs::STORAGE_POOL_IS_PERSISTENT => {
            let a = args!(StoragePoolIsPersistentArgs);
            ret!(StoragePoolIsPersistentRet {
                persistent: i32::from(s.pool_is_persistent(&pool_from_wire(a.pool)).await?)
            })
        }
        procs::STORAGE_POOL_NUM_OF_VOLUMES => {
            let a = args!(StoragePoolNumOfVolumesArgs);
            ret!(StoragePoolNumOfVolumesRet {
                num: s
                    .pool_list_all_volumes(&pool_from_wire(a.pool), 0)
                    .await?
                    .len() as i32
            })
        }
        procs::STORAGE_POOL_LIST_VOLUMES => {
            let a = args!(StoragePoolListVolumesArgs);
            let max = check_max(a.maxnames, LIST_MAX, "maxnames")?;
            let mut names: Vec<String> = s
                .pool_list_all_volumes(&pool_from_wire(a.pool), 0)
                .await?
                .into_iter()
                .map(|v| v.name)
                .collect();
            names.truncate(max);
            ret!(StoragePoolListVolumesRet { names })
        }
        procs::STORAGE_POOL_LIST_ALL_VOLUMES => {
            let a = args!(StoragePoolListAllVolumesArgs);
            let vols = s
                .pool_list_all_volumes(&pool_from_wire(a.pool), a.flags)
                .await?;
            let n = vols.len() as u32;
            ret!(StoragePoolListAllVolumesRet {
                vols: if a.need_results != 0 {
                    vols.into_iter().map(vol_to_wire).collect()
                } else {
                    vec![]
                },
                ret: n,
            })
        }
        procs::STORAGE_VOL_CREATE_XML => {
            let a = args!(StorageVolCreateXmlArgs);
            ret!(StorageVolCreateXmlRet {
                vol: vol_to_wire(
                    s.vol_create_xml(&pool_from_wire(a.pool), &a.xml, a.flags)
                        .await?
                )
            })
        }
        procs::STORAGE_VOL_CREATE_XML_FROM => {
            let a = args!(StorageVolCreateXmlFromArgs);
            let from = vol_from_wire(a.clonevol);
            ret!(StorageVolCreateXmlFromRet {
                vol: vol_to_wire(
                    s.vol_create_xml_from(&pool_from_wire(a.pool), &a.xml, &from, a.flags)
                        .await?
                )
            })
        }
        procs::STORAGE_VOL_DELETE => {
            let a = args!(StorageVolDeleteArgs);
            s.vol_delete(&vol_from_wire(a.vol), a.flags).await?
        }
        procs::STORAGE_VOL_WIPE => {
            let a = args!(StorageVolWipeArgs);
            s.vol_wipe(&vol_from_wire(a.vol), 0, a.flags).await?
        }
        procs::STORAGE_VOL_WIPE_PATTERN => {
            let a = args!(StorageVolWipePatternArgs);
            s.vol_wipe(&vol_from_wire(a.vol), a.algorithm, a.flags)
                .await?
        }
        procs::STORAGE_VOL_LOOKUP_BY_NAME => {
            let a = args!(StorageVolLookupByNameArgs);
            ret!(StorageVolLookupByNameRet {
                vol: vol_to_wire(
                    s.vol_lookup_by_name(&pool_from_wire(a.pool), &a.name)
                        .await?
                )
            })
        }
        procs::STORAGE_VOL_LOOKUP_BY_KEY => {
            let a = args!(StorageVolLookupByKeyArgs);
            ret!(StorageVolLookupByKeyRet {
                vol: vol_to_wire(s.vol_lookup_by_key(&a.key).await?)
            })
        }
        procs::STORAGE_VOL_LOOKUP_BY_PATH => {
            let a = args!(StorageVolLookupByPathArgs);
            ret!(StorageVolLookupByPathRet {
                vol: vol_to_wire(s.vol_lookup_by_path(&a.path).await?)
            })
        }
        procs::STORAGE_VOL_GET_INFO => {
            let a = args!(StorageVolGetInfoArgs);
            let i = s.vol_get_info(&vol_from_wire(a.vol), 0).await?;
            ret!(StorageVolGetInfoRet {
                type_: i.kind as i32,
                capacity: i.capacity,
                allocation: i.allocation,
            })
        }
        procs::STORAGE_VOL_GET_INFO_FLAGS => {
            let a = args!(StorageVolGetInfoFlagsArgs);
            let i = s.vol_get_info(&vol_from_wire(a.vol), a.flags).await?;
            ret!(StorageVolGetInfoFlagsRet {
                type_: i.kind as i32,
                capacity: i.capacity,
                allocation: i.allocation,
            })
        }
        procs::STORAGE_VOL_GET_XML_DESC => {
            let a = args!(StorageVolGetXmlDescArgs);
            ret!(StorageVolGetXmlDescRet {
                xml: s.vol_get_xml_desc(&vol_from_wire(a.vol), a.flags).await?
            })
        }
        procs::STORAGE_VOL_GET_PATH => {
            let a = args!(StorageVolGetPathArgs);
            ret!(StorageVolGetPathRet {
                name: s.vol_get_path(&vol_from_wire(a.vol)).await?
            })
        }
        procs::STORAGE_VOL_RESIZE => {
            let a = args!(StorageVolResizeArgs);
            s.vol_resize(&vol_from_wire(a.vol), a.capacity, a.flags)
                .await?
        }
        procs::STORAGE_VOL_UPLOAD => {
            let a = args!(StorageVolUploadArgs);
            let st = s
                .vol_upload(&vol_from_wire(a.vol), a.offset, a.length, a.flags)
                .await?;
            cx.open_stream(st);
        }
        procs::STORAGE_VOL_DOWNLOAD => {
            let a = args!(StorageVolDownloadArgs);
            let st = s
                .vol_download(&vol_from_wire(a.vol), a.offset, a.length, a.flags)
                .await?;
            cx.open_stream(st);
        }
        procs::CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY => {
            let a = args!(ConnectStoragePoolEventRegisterAnyArgs);
            ret!(ConnectStoragePoolEventRegisterAnyRet {
                callbackID: register(cx, &s, a.eventID, a.pool)?
            })
        }
        procs::CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY => {
            let a = args!(ConnectStoragePoolEventDeregisterAnyArgs);
            deregister(cx, &s, a.callbackID)?
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn register(
    cx: &Call<'_>,
    s: &Arc<dyn StorageConnection>,
    event_id: i32,
    pool: Option<NonnullStoragePool>,
) -> Result<i32> {
    if !(0..=1).contains(&event_id) {
        return Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::INVALID_ARG,
            format!("unsupported storage pool event ID {event_id}"),
        ));
    }
    let bus = s
        .pool_events()
        .ok_or_else(|| oxvirt_driver::no_support("virConnectStoragePoolEventRegisterAny"))?;
    let mut ev = cx
        .sess
        .storage
        .events
        .lock()
        .map_err(|_| Error::internal(ErrorDomain::RPC, "event state unavailable"))?;
    let tx = match &ev.tx {
        Some(tx) => tx.clone(),
        None => {
            let (tx, rx) = mpsc::unbounded_channel();
            spawn_forwarder(Arc::downgrade(cx.client), rx);
            ev.tx = Some(tx.clone());
            tx
        }
    };
    let id = bus.register(event_id, pool.map(|p| p.uuid), tx);
    ev.callbacks.push(id);
    Ok(id)
}

fn deregister(cx: &Call<'_>, s: &Arc<dyn StorageConnection>, callback_id: i32) -> Result<()> {
    let mut ev = cx
        .sess
        .storage
        .events
        .lock()
        .map_err(|_| Error::internal(ErrorDomain::RPC, "event state unavailable"))?;
    let Some(pos) = ev.callbacks.iter().position(|id| *id == callback_id) else {
        return Err(Error::internal(
            ErrorDomain::RPC,
            format!("no storage pool event callback with id {callback_id}"),
        ));
    };
    ev.callbacks.remove(pos);
    if let Some(bus) = s.pool_events() {
        bus.deregister(callback_id)?;
    }
    Ok(())
}

/// Encodes pool events for one client and queues them as MESSAGE frames.
fn spawn_forwarder(client: Weak<Client>, mut rx: mpsc::UnboundedReceiver<PoolDelivery>) {
    tokio::spawn(async move {
        while let Some((callback_id, ev)) = rx.recv().await {
            let Some(c) = client.upgrade() else { return };
            let pool = pool_to_wire(ev.pool);
            let bytes = match ev.kind {
                PoolEventKind::Lifecycle(event) => {
                    event_frame(procs::STORAGE_POOL_EVENT_LIFECYCLE, |o| {
                        StoragePoolEventLifecycleMsg {
                            callbackID: callback_id,
                            pool,
                            event,
                            detail: 0,
                        }
                        .encode(o)
                    })
                }
                PoolEventKind::Refresh => event_frame(procs::STORAGE_POOL_EVENT_REFRESH, |o| {
                    StoragePoolEventRefreshMsg {
                        callbackID: callback_id,
                        pool,
                    }
                    .encode(o)
                }),
            };
            c.send_async(bytes);
        }
    });
}

/// Storage procedures cheap enough to run on the connection's own task:
/// lookups and answers from memory. Everything else (files, mounts,
/// commands) runs as a task of its own.
pub(crate) fn is_cheap(proc_: i32) -> bool {
    matches!(
        proc_,
        procs::STORAGE_POOL_LOOKUP_BY_NAME
            | procs::STORAGE_POOL_LOOKUP_BY_UUID
            | procs::STORAGE_POOL_LOOKUP_BY_VOLUME
            | procs::STORAGE_POOL_LOOKUP_BY_TARGET_PATH
            | procs::STORAGE_POOL_IS_ACTIVE
            | procs::STORAGE_POOL_IS_PERSISTENT
            | procs::STORAGE_POOL_GET_AUTOSTART
            | procs::STORAGE_POOL_GET_XML_DESC
            | procs::STORAGE_VOL_LOOKUP_BY_NAME
            | procs::STORAGE_VOL_LOOKUP_BY_KEY
            | procs::STORAGE_VOL_GET_PATH
            | procs::CONNECT_LIST_ALL_STORAGE_POOLS
            | procs::STORAGE_POOL_LIST_ALL_VOLUMES
            | procs::CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY
            | procs::CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY
    )
}
