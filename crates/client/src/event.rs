//! Domain events and the connection-closed notification.
//!
//! A registration (`CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY`) returns the
//! daemon's callback id; the daemon then sends MESSAGE frames whose payload
//! starts with that id and the domain. A per-connection dispatcher thread
//! decodes them and calls the registered closures in arrival order, so a
//! callback may block, or make further calls with [`crate::Wait`].

use crate::connect::{enc, ConnInner, Connect};
use crate::domain::Domain;
use crate::engine::{CloseReason, Incoming};
use oxvirt_core::{Result, TypedParam};
use oxvirt_protocol::remote::{self, procs};
use oxvirt_xdr::{Decoder, Xdr};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

/// Domain event kinds (`virDomainEventID`) with the message procedure that
/// carries each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DomainEventId(pub i32);

/// (id, name as virsh prints it, callback message procedure).
const EVENT_IDS: &[(i32, &str, i32)] = &[
    (0, "lifecycle", 318),
    (1, "reboot", 319),
    (2, "rtc-change", 320),
    (3, "watchdog", 321),
    (4, "io-error", 322),
    (5, "graphics", 323),
    (6, "io-error-reason", 324),
    (7, "control-error", 325),
    (8, "block-job", 326),
    (9, "disk-change", 327),
    (10, "tray-change", 328),
    (11, "pm-wakeup", 329),
    (12, "pm-suspend", 330),
    (13, "balloon-change", 331),
    (14, "pm-suspend-disk", 332),
    (15, "device-removed", 333),
    (16, "block-job-2", 339),
    (17, "tunable", 346),
    (18, "agent-lifecycle", 348),
    (19, "device-added", 354),
    (20, "migration-iteration", 359),
    (21, "job-completed", 363),
    (22, "device-removal-failed", 367),
    (23, "metadata-change", 379),
    (24, "block-threshold", 385),
    (25, "memory-failure", 423),
    (26, "memory-device-size-change", 438),
];

impl DomainEventId {
    pub const LIFECYCLE: DomainEventId = DomainEventId(0);
    pub const REBOOT: DomainEventId = DomainEventId(1);

    /// Every event id libvirt 9.0 knows, in order.
    pub fn all() -> impl Iterator<Item = DomainEventId> {
        EVENT_IDS.iter().map(|e| DomainEventId(e.0))
    }

    /// The name virsh uses (`lifecycle`, `reboot`, …).
    pub fn name(self) -> &'static str {
        EVENT_IDS
            .iter()
            .find(|e| e.0 == self.0)
            .map_or("unknown", |e| e.1)
    }

    /// Looks an id up by its virsh name.
    pub fn from_name(name: &str) -> Option<DomainEventId> {
        EVENT_IDS
            .iter()
            .find(|e| e.1 == name)
            .map(|e| DomainEventId(e.0))
    }

    fn from_proc(proc_: i32) -> Option<DomainEventId> {
        EVENT_IDS
            .iter()
            .find(|e| e.2 == proc_)
            .map(|e| DomainEventId(e.0))
    }
}

/// One domain event.
#[derive(Debug, Clone, PartialEq)]
pub enum DomainEvent {
    /// `VIR_DOMAIN_EVENT_ID_LIFECYCLE`: event and detail codes
    /// (`oxvirt_core::domain::event`).
    Lifecycle { event: i32, detail: i32 },
    /// The guest rebooted.
    Reboot,
    /// The guest's clock changed by `offset` seconds.
    RtcChange { offset: i64 },
    /// A watchdog fired.
    Watchdog { action: i32 },
    /// Tunable parameters changed.
    Tunable { params: Vec<TypedParam> },
    /// A device was added or removed, or its removal failed.
    Device { alias: String },
    /// An event this library does not decode further.
    Other { id: DomainEventId },
}

type DomainCallback = Arc<dyn Fn(&Domain, &DomainEvent) + Send + Sync>;
type CloseCallback = Arc<dyn Fn(CloseReason) + Send + Sync>;

struct Registration {
    cb: DomainCallback,
}

/// The callbacks of one connection.
#[derive(Default)]
pub(crate) struct EventState {
    domain: Mutex<HashMap<i32, Registration>>,
    close: Mutex<Option<CloseCallback>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl EventState {
    pub(crate) fn set_close_callback(&self, cb: Option<CloseCallback>) {
        *lock(&self.close) = cb;
    }

    /// Starts the dispatcher thread of a new connection.
    pub(crate) fn start_dispatch(
        inner: &Arc<ConnInner>,
        mut rx: tokio::sync::mpsc::UnboundedReceiver<Incoming>,
    ) {
        let weak: Weak<ConnInner> = Arc::downgrade(inner);
        let state = inner.events.clone();
        let spawned = std::thread::Builder::new()
            .name("oxvirt-events".into())
            .spawn(move || {
                while let Some(m) = rx.blocking_recv() {
                    match m {
                        Incoming::Closed(reason) => {
                            let cb = lock(&state.close).clone();
                            if let Some(cb) = cb {
                                cb(reason);
                            }
                        }
                        Incoming::Event(prog, proc_, payload) if prog == remote::PROGRAM => {
                            if let Some(conn) = weak.upgrade() {
                                state.dispatch(&conn, proc_, &payload);
                            }
                        }
                        Incoming::Event(..) => {}
                    }
                }
            });
        if let Err(e) = spawned {
            log::warn!("cannot start the event thread: {e}");
        }
    }

    fn dispatch(&self, conn: &Arc<ConnInner>, proc_: i32, payload: &[u8]) {
        let Some(id) = DomainEventId::from_proc(proc_) else {
            return;
        };
        let mut d = Decoder::new(payload);
        let (Ok(callback_id), Ok(dom)) =
            (i32::decode(&mut d), remote::NonnullDomain::decode(&mut d))
        else {
            return;
        };
        let event = match id.0 {
            0 => match (i32::decode(&mut d), i32::decode(&mut d)) {
                (Ok(event), Ok(detail)) => DomainEvent::Lifecycle { event, detail },
                _ => return,
            },
            1 => DomainEvent::Reboot,
            2 => match i64::decode(&mut d) {
                Ok(offset) => DomainEvent::RtcChange { offset },
                Err(_) => return,
            },
            3 => match i32::decode(&mut d) {
                Ok(action) => DomainEvent::Watchdog { action },
                Err(_) => return,
            },
            17 => match d.array::<TypedParam>(remote::DOMAIN_EVENT_TUNABLE_MAX) {
                Ok(params) => DomainEvent::Tunable { params },
                Err(_) => return,
            },
            15 | 19 | 22 => match String::decode(&mut d) {
                Ok(alias) => DomainEvent::Device { alias },
                Err(_) => return,
            },
            _ => DomainEvent::Other { id },
        };
        let cb = lock(&self.domain).get(&callback_id).map(|r| r.cb.clone());
        if let Some(cb) = cb {
            let dom = Domain::from_wire(conn.clone(), dom);
            cb(&dom, &event);
        }
    }
}

impl Connect {
    /// Registers `cb` for events `id` of `dom` (or of every domain); returns
    /// the callback id (`virConnectDomainEventRegisterAny`).
    pub async fn domain_event_register_any(
        &self,
        dom: Option<&Domain>,
        id: DomainEventId,
        cb: impl Fn(&Domain, &DomainEvent) + Send + Sync + 'static,
    ) -> Result<i32> {
        let args = remote::ConnectDomainEventCallbackRegisterAnyArgs {
            eventID: id.0,
            dom: dom.map(Domain::wire),
        };
        let r: remote::ConnectDomainEventCallbackRegisterAnyRet = self
            .inner
            .engine
            .call(
                remote::PROGRAM,
                1,
                procs::CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                enc(&args),
            )
            .await?;
        lock(&self.inner.events.domain).insert(r.callbackID, Registration { cb: Arc::new(cb) });
        Ok(r.callbackID)
    }

    /// Removes a registration made with [`Connect::domain_event_register_any`].
    pub async fn domain_event_deregister_any(&self, callback_id: i32) -> Result<()> {
        let args = remote::ConnectDomainEventCallbackDeregisterAnyArgs {
            callbackID: callback_id,
        };
        let r = self
            .inner
            .engine
            .call::<()>(
                remote::PROGRAM,
                1,
                procs::CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                enc(&args),
            )
            .await;
        lock(&self.inner.events.domain).remove(&callback_id);
        r
    }
}
