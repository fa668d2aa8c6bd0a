//! Domain events: drivers publish, the daemon delivers to registered callbacks.
//!
//! Callback ids are allocated by the bus, so they are unique across every client
//! of a driver and start at 0 in a fresh daemon, as libvirt's are.

use crate::DomainRef;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use std::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainEventKind {
    /// `VIR_DOMAIN_EVENT_ID_LIFECYCLE` with `virDomainEventType` and its detail.
    Lifecycle { event: i32, detail: i32 },
    /// `VIR_DOMAIN_EVENT_ID_REBOOT`.
    Reboot,
}

impl DomainEventKind {
    /// The `virDomainEventID` this event is delivered under.
    pub fn event_id(&self) -> i32 {
        match self {
            DomainEventKind::Lifecycle { .. } => 0,
            DomainEventKind::Reboot => 1,
        }
    }
}

/// An event about one domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainEvent {
    pub dom: DomainRef,
    pub kind: DomainEventKind,
}

/// A delivered event: the callback it is for, and the event.
pub type Delivery = (i32, DomainEvent);

/// What an event bus needs to know of its events.
pub trait BusEvent: Clone + Send + 'static {
    /// The event id callbacks register for (`VIR_*_EVENT_ID_*`).
    fn event_id(&self) -> i32;
    /// The object the event is about, for callbacks registered for one object.
    fn object_uuid(&self) -> oxvirt_core::Uuid;
}

impl BusEvent for DomainEvent {
    fn event_id(&self) -> i32 {
        self.kind.event_id()
    }
    fn object_uuid(&self) -> oxvirt_core::Uuid {
        self.dom.uuid
    }
}

struct Subscription<E> {
    callback_id: i32,
    event_id: i32,
    only: Option<oxvirt_core::Uuid>,
    tx: UnboundedSender<(i32, E)>,
}

/// Fan-out of a driver's events to the callbacks registered by clients.
/// Callback ids are unique across every client of the driver and start at 0,
/// as libvirt's.
pub struct EventBus<E> {
    inner: Mutex<BusState<E>>,
}

struct BusState<E> {
    next_id: i32,
    subs: Vec<Subscription<E>>,
}

impl<E> Default for EventBus<E> {
    fn default() -> Self {
        EventBus {
            inner: Mutex::new(BusState {
                next_id: 0,
                subs: Vec::new(),
            }),
        }
    }
}

/// The bus of a driver's domain events.
pub type DomainEventBus = EventBus<DomainEvent>;

impl<E: BusEvent> EventBus<E> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a callback for `event_id`, optionally for one object only;
    /// events are sent to `tx` tagged with the returned callback id.
    pub fn register(
        &self,
        event_id: i32,
        only: Option<oxvirt_core::Uuid>,
        tx: UnboundedSender<(i32, E)>,
    ) -> i32 {
        let mut st = self.lock();
        let callback_id = st.next_id;
        st.next_id = st.next_id.wrapping_add(1);
        st.subs.push(Subscription {
            callback_id,
            event_id,
            only,
            tx,
        });
        callback_id
    }

    /// Removes a callback; an unknown id is an error as in libvirt.
    pub fn deregister(&self, callback_id: i32) -> Result<()> {
        let mut st = self.lock();
        let before = st.subs.len();
        st.subs.retain(|s| s.callback_id != callback_id);
        if st.subs.len() == before {
            return Err(Error::internal(
                ErrorDomain::NONE,
                format!("could not find event callback {callback_id} for deletion"),
            ));
        }
        Ok(())
    }

    /// Sends `ev` to every matching callback; callbacks whose receiver is gone
    /// are dropped.
    pub fn emit(&self, ev: E) {
        let id = ev.event_id();
        let uuid = ev.object_uuid();
        let mut st = self.lock();
        st.subs.retain(|s| {
            if s.event_id != id || s.only.is_some_and(|u| u != uuid) {
                return !s.tx.is_closed();
            }
            s.tx.send((s.callback_id, ev.clone())).is_ok()
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BusState<E>> {
        // A panic while holding this lock cannot leave the list inconsistent, so a
        // poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl EventBus<DomainEvent> {
    /// Emits a lifecycle event.
    pub fn lifecycle(&self, dom: &DomainRef, event: i32, detail: i32) {
        self.emit(DomainEvent {
            dom: dom.clone(),
            kind: DomainEventKind::Lifecycle { event, detail },
        });
    }
}

/// Whether a callback id is well formed; the daemon uses it to reject garbage early.
pub fn check_callback_id(id: i32) -> Result<()> {
    if id < 0 {
        return Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::INVALID_ARG,
            format!("callback id {id} is negative"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxvirt_core::Uuid;

    fn dom() -> DomainRef {
        DomainRef {
            name: "d".into(),
            uuid: Uuid([1; 16]),
            id: 1,
        }
    }

    #[test]
    fn callback_ids_are_unique_and_start_at_zero() {
        let bus = DomainEventBus::new();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        assert_eq!(bus.register(0, None, tx.clone()), 0);
        assert_eq!(bus.register(0, None, tx), 1);
    }

    #[test]
    fn lifecycle_reaches_matching_callbacks_only() {
        let bus = DomainEventBus::new();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let a = bus.register(0, None, tx.clone());
        let _b = bus.register(1, None, tx.clone());
        let _c = bus.register(0, Some(Uuid([2; 16])), tx);
        bus.lifecycle(&dom(), 2, 0);
        let (id, ev) = rx.try_recv().unwrap();
        assert_eq!(id, a);
        assert_eq!(
            ev.kind,
            DomainEventKind::Lifecycle {
                event: 2,
                detail: 0
            }
        );
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn deregistering_unknown_id_fails() {
        let bus = DomainEventBus::new();
        assert!(bus.deregister(5).is_err());
    }
}
