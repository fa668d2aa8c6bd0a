//! The shared state of `test:///default`: every domain, indexed by uuid,
//! name and id, and the operations on them.
//!
//! Everything here runs under one `std::sync::Mutex` held by the caller; no
//! operation blocks, so the lock is held for microseconds. Lifecycle events
//! are emitted while the lock is held, so their order always matches the
//! order of the state changes.

use crate::errors::{self, no_domain, no_domain_for, TEST};
use crate::host;
use oxvirt_conf::domain::{parse_flags, DomainDef};
use oxvirt_core::domain::{event, list_flags, running_reason, DomainState};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Uuid};
use oxvirt_driver::{DomainEventBus, DomainRef};
use std::collections::{BTreeMap, HashMap};

/// One domain: its definitions and runtime state.
#[derive(Debug, Clone)]
pub struct DomainObj {
    /// The current definition; the live one while running.
    pub def: DomainDef,
    /// The persistent definition while running (libvirt's `newDef`).
    pub new_def: Option<DomainDef>,
    pub state: DomainState,
    pub reason: i32,
    pub persistent: bool,
    pub autostart: bool,
    pub managed_save: bool,
    seq: u64,
}

impl DomainObj {
    pub fn is_active(&self) -> bool {
        self.def.id >= 0
    }

    /// The handle clients get for this domain.
    pub fn dref(&self) -> DomainRef {
        DomainRef {
            name: self.def.name.clone(),
            uuid: self.def.uuid,
            id: self.def.id,
        }
    }

    /// The persistent definition: `new_def` while running, else `def`.
    pub fn persistent_def(&self) -> &DomainDef {
        self.new_def.as_ref().unwrap_or(&self.def)
    }

    fn persistent_def_mut(&mut self) -> &mut DomainDef {
        match self.new_def {
            Some(ref mut d) => d,
            None => &mut self.def,
        }
    }

    fn set_state(&mut self, state: DomainState, reason: i32) {
        self.state = state;
        self.reason = reason;
    }
}

/// Which definition a `--live`/`--config` style call addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Live,
    Config,
}

/// `VIR_DOMAIN_AFFECT_LIVE` and `VIR_DOMAIN_AFFECT_CONFIG`.
pub const AFFECT_LIVE: u32 = 1;
pub const AFFECT_CONFIG: u32 = 2;

/// All domains of one `test:///default` instance.
#[derive(Debug, Clone)]
pub struct State {
    next_id: i32,
    next_seq: u64,
    objs: HashMap<Uuid, DomainObj>,
    by_name: HashMap<String, Uuid>,
    by_id: HashMap<i32, Uuid>,
    /// Creation order, which is the listing order.
    order: BTreeMap<u64, Uuid>,
    /// Removed domains, dropped by the caller once the lock is released.
    garbage: Vec<DomainObj>,
}

/// Where random bytes come from.
pub type Random = fn() -> [u8; 16];

impl State {
    /// An empty instance whose first started domain gets id 1.
    pub fn empty() -> State {
        State {
            next_id: 1,
            next_seq: 0,
            objs: HashMap::new(),
            by_name: HashMap::new(),
            by_id: HashMap::new(),
            order: BTreeMap::new(),
            garbage: Vec::new(),
        }
    }

    /// Domains removed by the last operations; freeing them is left to the
    /// caller so that it happens outside the lock.
    pub fn take_garbage(&mut self) -> Vec<DomainObj> {
        std::mem::take(&mut self.garbage)
    }

    /// The state `test:///default` starts with: the running domain `test`.
    pub fn new_default(random: Random) -> Result<State, Error> {
        let mut st = State::empty();
        let def = parse_def(host::DEFAULT_DOMAIN_XML, random)?;
        let uuid = st.add(def, false, false)?.0;
        let obj = st.obj_mut(&uuid)?;
        obj.persistent = true;
        st.start(&uuid, running_reason::BOOTED)?;
        // libvirt's loader sets the state again with no reason.
        st.obj_mut(&uuid)?.set_state(DomainState::Running, 0);
        Ok(st)
    }

    pub fn len(&self) -> usize {
        self.objs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objs.is_empty()
    }

    fn obj_mut(&mut self, uuid: &Uuid) -> Result<&mut DomainObj, Error> {
        self.objs.get_mut(uuid).ok_or_else(no_domain)
    }

    /// The object behind a client's handle.
    pub fn get(&self, dom: &DomainRef) -> Result<&DomainObj, Error> {
        self.objs.get(&dom.uuid).ok_or_else(|| no_domain_for(dom))
    }

    fn get_mut(&mut self, dom: &DomainRef) -> Result<&mut DomainObj, Error> {
        self.objs
            .get_mut(&dom.uuid)
            .ok_or_else(|| no_domain_for(dom))
    }

    pub fn lookup_id(&self, id: i32) -> Result<DomainRef, Error> {
        self.by_id
            .get(&id)
            .and_then(|u| self.objs.get(u))
            .map(DomainObj::dref)
            .ok_or_else(no_domain)
    }

    pub fn lookup_name(&self, name: &str) -> Result<DomainRef, Error> {
        self.by_name
            .get(name)
            .and_then(|u| self.objs.get(u))
            .map(DomainObj::dref)
            .ok_or_else(no_domain)
    }

    pub fn lookup_uuid(&self, uuid: &Uuid) -> Result<DomainRef, Error> {
        self.objs
            .get(uuid)
            .map(DomainObj::dref)
            .ok_or_else(no_domain)
    }

    /// Domains in listing order.
    pub fn iter(&self) -> impl Iterator<Item = &DomainObj> {
        self.order.values().filter_map(|u| self.objs.get(u))
    }

    /// Adds `def` or assigns it to the domain with the same uuid, as
    /// `virDomainObjListAdd` does. `live` installs it as the running
    /// definition (create), else as the persistent one (define).
    /// Returns the uuid and whether a previous persistent definition existed.
    fn add(&mut self, def: DomainDef, live: bool, check_live: bool) -> Result<(Uuid, bool), Error> {
        let uuid = def.uuid;
        if let Some(obj) = self.objs.get_mut(&uuid) {
            if check_live && obj.is_active() {
                return Err(Error::new(
                    ErrorDomain::DOMAIN,
                    ErrorCode::OPERATION_INVALID,
                    format!("domain '{}' is already active", obj.def.name),
                ));
            }
            if obj.def.name != def.name {
                return Err(Error::new(
                    ErrorDomain::DOMAIN,
                    ErrorCode::OPERATION_FAILED,
                    format!(
                        "domain '{}' is already defined with uuid {}",
                        obj.def.name, uuid
                    ),
                ));
            }
            let had_old = if obj.is_active() {
                let mut def = def;
                def.id = -1;
                obj.new_def.replace(def).is_some()
            } else if live {
                let old = std::mem::replace(&mut obj.def, def);
                if obj.new_def.is_none() {
                    obj.new_def = Some(old);
                }
                true
            } else {
                obj.def = def;
                true
            };
            return Ok((uuid, had_old));
        }
        if let Some(other) = self.by_name.get(&def.name) {
            return Err(Error::new(
                ErrorDomain::DOMAIN,
                ErrorCode::OPERATION_FAILED,
                format!("domain '{}' already exists with uuid {}", def.name, other),
            ));
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.by_name.insert(def.name.clone(), uuid);
        self.order.insert(seq, uuid);
        self.objs.insert(
            uuid,
            DomainObj {
                def,
                new_def: None,
                state: DomainState::Shutoff,
                reason: 0,
                persistent: false,
                autostart: false,
                managed_save: false,
                seq,
            },
        );
        Ok((uuid, false))
    }

    fn remove(&mut self, uuid: &Uuid) {
        if let Some(obj) = self.objs.remove(uuid) {
            self.by_name.remove(&obj.def.name);
            self.by_id.remove(&obj.def.id);
            self.order.remove(&obj.seq);
            self.garbage.push(obj);
        }
    }

    /// Gives a domain an id and marks it running.
    fn start(&mut self, uuid: &Uuid, reason: i32) -> Result<DomainRef, Error> {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let obj = self.objs.get_mut(uuid).ok_or_else(no_domain)?;
        obj.set_state(DomainState::Running, reason);
        obj.def.id = id;
        if obj.persistent && obj.new_def.is_none() {
            let mut copy = obj.def.clone();
            copy.id = -1;
            obj.new_def = Some(copy);
        }
        obj.managed_save = false;
        self.by_id.insert(id, *uuid);
        Ok(obj.dref())
    }

    /// Marks a domain shut off, restoring its persistent definition.
    /// Returns the id its stop event carries: -1 once a persistent
    /// definition is restored, else the id it ran with (libvirt leaves a
    /// transient definition's id alone).
    fn stop(&mut self, uuid: &Uuid, reason: i32) -> i32 {
        let Some(obj) = self.objs.get_mut(uuid) else {
            return -1;
        };
        let old_id = obj.def.id;
        self.by_id.remove(&old_id);
        let event_id = match obj.new_def.take() {
            Some(nd) => {
                obj.def = nd;
                -1
            }
            None => old_id,
        };
        obj.def.id = -1;
        obj.set_state(DomainState::Shutoff, reason);
        event_id
    }

    /// `virDomainDefineXML`.
    pub fn define(&mut self, def: DomainDef, bus: &DomainEventBus) -> Result<DomainRef, Error> {
        let (uuid, had_old) = self.add(def, false, false)?;
        let obj = self.obj_mut(&uuid)?;
        obj.persistent = true;
        let dref = obj.dref();
        let detail = if had_old {
            event::DEFINED_UPDATED
        } else {
            event::DEFINED_ADDED
        };
        bus.lifecycle(&dref, event::DEFINED, detail);
        Ok(dref)
    }

    /// `virDomainUndefineFlags`.
    pub fn undefine(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<(), Error> {
        let obj = self.get_mut(dom)?;
        if obj.managed_save {
            return Err(Error::new(
                TEST,
                ErrorCode::OPERATION_INVALID,
                "Refusing to undefine while domain managed save image exists",
            ));
        }
        bus.lifecycle(&obj.dref(), event::UNDEFINED, event::UNDEFINED_REMOVED);
        obj.managed_save = false;
        if obj.is_active() {
            obj.persistent = false;
        } else {
            let uuid = obj.def.uuid;
            self.remove(&uuid);
        }
        Ok(())
    }

    /// `virDomainCreateWithFlags`.
    pub fn create(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<DomainRef, Error> {
        let obj = self.get(dom)?;
        if obj.state != DomainState::Shutoff {
            return Err(errors::internal(format!(
                "Domain '{}' is already running",
                dom.name
            )));
        }
        let uuid = obj.def.uuid;
        let dref = self.start(&uuid, running_reason::BOOTED)?;
        bus.lifecycle(&dref, event::STARTED, event::STARTED_BOOTED);
        Ok(dref)
    }

    /// `virDomainCreateXML`: a new transient domain, running.
    pub fn create_xml(&mut self, def: DomainDef, bus: &DomainEventBus) -> Result<DomainRef, Error> {
        let (uuid, _) = self.add(def, true, true)?;
        let dref = self.start(&uuid, running_reason::BOOTED)?;
        bus.lifecycle(&dref, event::STARTED, event::STARTED_BOOTED);
        Ok(dref)
    }

    /// Ends a stopped domain's life if it is transient.
    fn finish_stop(&mut self, uuid: &Uuid, reason: i32, detail: i32, bus: &DomainEventBus) {
        let event_id = self.stop(uuid, reason);
        let Some(obj) = self.objs.get(uuid) else {
            return;
        };
        let mut dref = obj.dref();
        dref.id = event_id;
        bus.lifecycle(&dref, event::STOPPED, detail);
        if !obj.persistent {
            self.remove(uuid);
        }
    }

    /// `virDomainDestroyFlags`.
    pub fn destroy(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<(), Error> {
        let obj = self.get(dom)?;
        if !obj.is_active() {
            return Err(errors::not_running());
        }
        let uuid = obj.def.uuid;
        self.finish_stop(
            &uuid,
            oxvirt_core::domain::shutoff_reason::DESTROYED,
            event::STOPPED_DESTROYED,
            bus,
        );
        Ok(())
    }

    /// Applies an `on_poweroff`/`on_reboot` action, as a guest shutdown or
    /// reboot would.
    fn lifecycle_action(&mut self, uuid: &Uuid, reboot: bool, bus: &DomainEventBus) {
        let Some(obj) = self.objs.get_mut(uuid) else {
            return;
        };
        let action = if reboot {
            obj.def.on_reboot
        } else {
            obj.def.on_poweroff
        };
        use oxvirt_conf::domain::LifecycleAction as A;
        match action {
            A::Restart | A::RenameRestart => {
                obj.set_state(DomainState::Running, running_reason::BOOTED);
            }
            _ => {
                self.finish_stop(
                    uuid,
                    oxvirt_core::domain::shutoff_reason::SHUTDOWN,
                    event::STOPPED_SHUTDOWN,
                    bus,
                );
            }
        }
    }

    /// `virDomainShutdownFlags`.
    pub fn shutdown(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<(), Error> {
        let obj = self.get(dom)?;
        if obj.state == DomainState::Shutoff {
            return Err(errors::internal(format!(
                "domain '{}' not running",
                dom.name
            )));
        }
        let uuid = obj.def.uuid;
        self.lifecycle_action(&uuid, false, bus);
        Ok(())
    }

    /// `virDomainReboot`.
    pub fn reboot(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<(), Error> {
        let obj = self.get(dom)?;
        if !obj.is_active() {
            return Err(errors::not_running());
        }
        let uuid = obj.def.uuid;
        self.lifecycle_action(&uuid, true, bus);
        Ok(())
    }

    /// `virDomainReset`: nothing to do for a domain that is running.
    pub fn reset(&mut self, dom: &DomainRef) -> Result<(), Error> {
        if !self.get(dom)?.is_active() {
            return Err(errors::not_running());
        }
        Ok(())
    }

    /// `virDomainSuspend`.
    pub fn suspend(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<(), Error> {
        let obj = self.get_mut(dom)?;
        if matches!(obj.state, DomainState::Shutoff | DomainState::Paused) {
            return Err(errors::internal(format!(
                "domain '{}' not running",
                dom.name
            )));
        }
        obj.set_state(
            DomainState::Paused,
            oxvirt_core::domain::paused_reason::USER,
        );
        bus.lifecycle(&obj.dref(), event::SUSPENDED, event::SUSPENDED_PAUSED);
        Ok(())
    }

    /// `virDomainResume`.
    pub fn resume(&mut self, dom: &DomainRef, bus: &DomainEventBus) -> Result<(), Error> {
        let obj = self.get_mut(dom)?;
        if obj.state != DomainState::Paused {
            return Err(errors::internal(format!(
                "domain '{}' not paused",
                dom.name
            )));
        }
        obj.set_state(DomainState::Running, running_reason::UNPAUSED);
        bus.lifecycle(&obj.dref(), event::RESUMED, event::RESUMED_UNPAUSED);
        Ok(())
    }

    /// Resolves `--live`/`--config`/current against the domain's state, as
    /// `virDomainObjUpdateModificationImpact` does.
    pub fn which_def(&self, dom: &DomainRef, flags: u32) -> Result<Which, Error> {
        if flags & AFFECT_LIVE != 0 && flags & AFFECT_CONFIG != 0 {
            return Err(errors::live_and_config(
                "virDomainObjGetOneDefState",
                "flags",
            ));
        }
        let obj = self.get(dom)?;
        let which = if flags & AFFECT_LIVE != 0 {
            Which::Live
        } else if flags & AFFECT_CONFIG != 0 {
            Which::Config
        } else if obj.is_active() {
            Which::Live
        } else {
            Which::Config
        };
        if which == Which::Live && !obj.is_active() {
            return Err(errors::not_running());
        }
        if which == Which::Config && !obj.persistent {
            return Err(errors::transient_no_config());
        }
        Ok(which)
    }

    /// The definition `which` names.
    pub fn def_of(&self, dom: &DomainRef, which: Which) -> Result<&DomainDef, Error> {
        let obj = self.get(dom)?;
        Ok(match which {
            Which::Live => &obj.def,
            Which::Config => obj.persistent_def(),
        })
    }

    /// `virDomainSetMemoryFlags`.
    pub fn set_memory(&mut self, dom: &DomainRef, kib: u64, flags: u32) -> Result<(), Error> {
        const MAXIMUM: u32 = 4;
        let which = self.which_def(dom, flags & !MAXIMUM)?;
        let obj = self.get_mut(dom)?;
        let def = match which {
            Which::Live => &mut obj.def,
            Which::Config => obj.persistent_def_mut(),
        };
        if flags & MAXIMUM != 0 {
            if which == Which::Live {
                return Err(Error::new(
                    TEST,
                    ErrorCode::OPERATION_INVALID,
                    "cannot resize the maximum memory on an active domain",
                ));
            }
            if def.max_memory.as_ref().is_some_and(|m| m.kib < kib) {
                return Err(Error::new(
                    TEST,
                    ErrorCode::OPERATION_INVALID,
                    "cannot set initial memory size greater than the maximum memory size",
                ));
            }
            def.set_memory_total(kib);
        } else {
            if kib > def.memory_total() {
                return Err(Error::new(
                    TEST,
                    ErrorCode::INVALID_ARG,
                    "cannot set memory higher than max memory",
                ));
            }
            def.current_memory = kib;
        }
        Ok(())
    }

    pub fn set_autostart(&mut self, dom: &DomainRef, on: bool) -> Result<(), Error> {
        self.get_mut(dom)?.autostart = on;
        Ok(())
    }

    /// Domains matching the `virConnectListAllDomains` filter bits of `flags`.
    pub fn matches(obj: &DomainObj, flags: u32) -> bool {
        use list_flags::*;
        let pair = |a: u32, b: u32, is_a: bool| {
            flags & (a | b) == 0 || (flags & a != 0 && is_a) || (flags & b != 0 && !is_a)
        };
        if !pair(ACTIVE, INACTIVE, obj.is_active()) {
            return false;
        }
        if !pair(PERSISTENT, TRANSIENT, obj.persistent) {
            return false;
        }
        let states = RUNNING | PAUSED | SHUTOFF | OTHER;
        if flags & states != 0 {
            let ok = match obj.state {
                DomainState::Running => flags & RUNNING != 0,
                DomainState::Paused => flags & PAUSED != 0,
                DomainState::Shutoff => flags & SHUTOFF != 0,
                _ => flags & OTHER != 0,
            };
            if !ok {
                return false;
            }
        }
        pair(MANAGEDSAVE, NO_MANAGEDSAVE, obj.managed_save)
            && pair(AUTOSTART, NO_AUTOSTART, obj.autostart)
            && pair(HAS_SNAPSHOT, NO_SNAPSHOT, false)
            && pair(HAS_CHECKPOINT, NO_CHECKPOINT, false)
    }
}

/// Parses a definition for `virDomainDefineXML`, which also refuses names
/// with a newline.
pub fn parse_def_for_define(xml: &str, random: Random) -> Result<DomainDef, Error> {
    let def = parse_def(xml, random)?;
    if def.name.contains('\n') {
        return Err(Error::new(
            ErrorDomain::XML,
            ErrorCode::XML_DETAIL,
            "invalid char in name: \n",
        ));
    }
    Ok(def)
}

/// Parses a definition and applies the test driver's post-parse defaults.
pub fn parse_def(xml: &str, random: Random) -> Result<DomainDef, Error> {
    let mut rng = random;
    let mut def = DomainDef::parse(xml, parse_flags::INACTIVE, &mut rng)?;
    apply_driver_defaults(&mut def);
    Ok(def)
}

/// The test driver's post-parse: default arch, default video model, and
/// host-side interface names `testnetN`.
fn apply_driver_defaults(def: &mut DomainDef) {
    if def.os.arch.is_none() {
        def.os.arch = Some(host::DEFAULT_ARCH.to_owned());
    }
    let ppc64 = def
        .os
        .arch
        .as_deref()
        .is_some_and(|a| a.starts_with("ppc64"));
    let video = if def.os.os_type == "xen" || def.os.os_type == "linux" {
        "xen"
    } else if ppc64 {
        "vga"
    } else {
        "cirrus"
    };
    def.set_default_video_model(video);
    let mut used: Vec<String> = def
        .interfaces_mut()
        .filter_map(|i| i.ifname.clone())
        .collect();
    for iface in def.interfaces_mut() {
        if iface.ifname.is_some() {
            continue;
        }
        let mut n = 0;
        let name = loop {
            let candidate = format!("testnet{n}");
            if !used.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        used.push(name.clone());
        iface.ifname = Some(name);
    }
}
