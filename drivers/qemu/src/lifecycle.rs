//! Starting, watching, stopping and re-attaching QEMU processes.
//!
//! # How a start travels
//!
//! 1. [`start`] takes the domain's job lock, makes the live definition
//!    (`command::prepare`) and the command line (`command::build`), and
//!    writes an early status file (pid 0) so that a daemon killed while
//!    spawning finds and removes the half-started QEMU on its next start.
//! 2. It binds the monitor socket itself and passes it to QEMU as a
//!    listening fd, spawns QEMU in its own session with its output on the
//!    domain log, opens a pidfd, records the pid in the status file and
//!    starts the domain's **watcher** task.
//! 3. It negotiates QMP, reads the pty paths (`query-chardev`), applies the
//!    on_reboot policy and the balloon, and `cont`s the CPUs unless asked to
//!    start paused.
//!
//! # The watcher
//!
//! One task per run ([`watch`]) owns the end of the run: it turns QMP
//! events into state changes and libvirt events, notices the exit through
//! the pidfd at once, drains the events QEMU sent before dying (so that a
//! destroy reports SHUTDOWN HOST before STOPPED DESTROYED), and then records
//! the stop in [`finish_stop`]: state, event, status files, directories.
//! Every way a run can end (destroy, guest power-off, crash, a failed
//! start, an external kill) ends there.

use crate::caps::QemuCaps;
use crate::command::{self, Accel, CommandContext, MonitorSocket};
use crate::domain::{dref_of, Dom, DomState, Run, StopIntent};
use crate::driver::Driver;
use crate::process::{self, Process};
use crate::qmp::{Monitor, QmpError, QmpEvent};
use crate::state::{self, DomainLog, Status};
use oxvirt_conf::domain::{ChardevKind, Device, DomainDef, LifecycleAction};
use oxvirt_conf::xml::{XmlElement, XmlNode};
use oxvirt_core::domain::{event, paused_reason, running_reason, shutoff_reason, DomainState};
use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use oxvirt_driver::{DomainEvent, DomainEventKind, DomainRef};
use serde_json::{json, Value};
use std::os::fd::AsRawFd;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

/// `virDomainCreateFlags` bits the driver honours.
pub mod start_flags {
    pub const PAUSED: u32 = 1;
    pub const AUTODESTROY: u32 = 2;
    pub const BYPASS_CACHE: u32 = 4;
    pub const FORCE_BOOT: u32 = 8;
    pub const VALIDATE: u32 = 16;
    pub const RESET_NVRAM: u32 = 32;
}

/// Extra lifecycle detail codes not in `oxvirt_core::domain::event`.
mod detail {
    pub const STOPPED_CRASHED: i32 = 2;
    pub const STOPPED_FAILED: i32 = 5;
    pub const CRASHED_PANICKED: i32 = 0;
}

/// The shut-off reason `running` paused/crashed reasons not in core.
const PAUSED_STARTING_UP: i32 = 11;
const PAUSED_PANICKED: i32 = 10;
const CRASHED_PANICKED: i32 = 1;
const SHUTDOWN_USER: i32 = 1;

fn internal(detail: impl Into<String>) -> Error {
    Error::internal(ErrorDomain::QEMU, detail)
}

fn sys_err(what: impl std::fmt::Display, e: &std::io::Error) -> Error {
    Error::system(ErrorDomain::QEMU, what, e)
}

/// Writes the status file of `dom` from its current state (no-op when not
/// running). Serialised per domain so that an older snapshot never
/// overwrites a newer one.
pub fn save_status(drv: &Driver, dom: &Dom) {
    let _w = drv.status_write_lock(dom);
    let snap = {
        let st = dom.lock();
        status_of(&st)
    };
    if let Some(s) = snap {
        if let Err(e) = state::save_status(&drv.paths, &s) {
            log::error!("cannot save status of domain {}: {e}", s.def.name);
        }
    }
}

fn status_of(st: &DomState) -> Option<Status> {
    let run = st.run.as_ref()?;
    Some(Status {
        state: st.state,
        reason: st.reason,
        pid: run.pid,
        start_time: run.start_time,
        monitor: run.monitor_path.clone(),
        lib_dir: run.lib_dir.clone(),
        ptys: st.ptys.clone(),
        fake_reboot: st.fake_reboot,
        def: st.live.clone()?,
    })
}

fn emit(drv: &Driver, dref: &DomainRef, ev: i32, det: i32) {
    drv.events.lifecycle(dref, ev, det);
}

/// The binary and capabilities a definition runs with.
pub async fn caps_for(drv: &Arc<Driver>, def: &DomainDef) -> Result<Arc<QemuCaps>, Error> {
    let d = drv.clone();
    let emulator = def.emulator.clone();
    let arch = def.os.arch.clone();
    tokio::task::spawn_blocking(move || d.caps_for(emulator.as_deref(), arch.as_deref()))
        .await
        .map_err(|e| internal(format!("capabilities probe failed: {e}")))?
}

/// Starts `dom` running `def` (its persistent definition, or the one
/// `virDomainCreateXML` was given). Returns the domain's handle with its
/// new id. The caller holds no lock.
pub async fn start(
    drv: &Arc<Driver>,
    dom: &Arc<Dom>,
    def: DomainDef,
    flags: u32,
) -> Result<DomainRef, Error> {
    let _job = dom.begin_job("start", drv.timeouts.job).await?;
    {
        let st = dom.lock();
        if st.removed {
            return Err(crate::domain::no_domain_uuid(&dom.uuid, &st.name));
        }
        if st.is_active() {
            return Err(crate::domain::already_running());
        }
    }
    start_locked(drv, dom, def, flags).await
}

/// [`start`] with the job already held.
pub async fn start_locked(
    drv: &Arc<Driver>,
    dom: &Arc<Dom>,
    def: DomainDef,
    flags: u32,
) -> Result<DomainRef, Error> {
    let caps = caps_for(drv, &def).await?;
    let id = drv.next_id();
    let name = def.name.clone();
    let lib_dir = drv.paths.domain_dir(id, &name);
    let channel_dir = drv.paths.channel_dir(id, &name);
    let monitor_path = lib_dir.join("monitor.sock");

    // Everything up to the spawn can fail without leaving a process.
    let prepared = prepare_run(drv, &def, id, &lib_dir, &channel_dir, &monitor_path, &caps);
    let (live, cmd, listener, ports) = match prepared {
        Ok(p) => p,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&lib_dir);
            let _ = std::fs::remove_dir_all(&channel_dir);
            return Err(e);
        }
    };

    // Visible as active (paused, starting up) from here on, as in libvirt.
    {
        let mut st = dom.lock();
        st.id = id;
        st.live = Some(live.clone());
        st.state = DomainState::Paused;
        st.reason = PAUSED_STARTING_UP;
        st.stop_intent = None;
        st.fake_reboot = false;
        st.after_shutdown = false;
        st.pause_reason = None;
        st.ptys.clear();
    }
    drv.hold_ports(id, &ports);
    let early = Status {
        state: DomainState::Paused,
        reason: PAUSED_STARTING_UP,
        pid: 0,
        start_time: None,
        monitor: monitor_path.clone(),
        lib_dir: lib_dir.clone(),
        ptys: vec![],
        fake_reboot: false,
        def: live.clone(),
    };
    let log = DomainLog::new(drv.paths.log_file(&name));
    let spawned = (|| {
        state::save_status(&drv.paths, &early)
            .map_err(|e| sys_err("cannot write status file", &e))?;
        let banner = format!(
            "starting up libvirt version: {}, package: oxvirt {}, qemu version: {}",
            oxvirt_core::LIBVIRT_VERSION_STR,
            env!("CARGO_PKG_VERSION"),
            caps.version_string()
        );
        let (logf, offset) = log
            .open_for_start(&banner, &cmd.to_log_string())
            .map_err(|e| sys_err(format!("cannot open log file '{}'", log.path.display()), &e))?;
        let pid = process::spawn(&cmd, &logf).map_err(|e| {
            sys_err(
                format!("cannot execute binary {}", cmd.binary.display()),
                &e,
            )
        })?;
        Ok::<_, Error>((pid, offset))
    })();
    // Our copy of the listening socket goes: only QEMU holds it now, so a
    // QEMU that dies closes it and the connect below fails at once.
    drop(listener);
    let (pid, log_offset) = match spawned {
        Ok(x) => x,
        Err(e) => {
            abandon_start(drv, dom, &name, &lib_dir, &channel_dir, id);
            return Err(e);
        }
    };
    let process = match Process::open(pid) {
        Ok(p) => p,
        Err(e) => {
            abandon_start(drv, dom, &name, &lib_dir, &channel_dir, id);
            return Err(sys_err("cannot watch the QEMU process", &e));
        }
    };
    let (stopped, _) = watch::channel(false);
    let run = Arc::new(Run {
        id,
        pid,
        start_time: process::start_time(pid),
        process,
        monitor: OnceLock::new(),
        monitor_path: monitor_path.clone(),
        lib_dir,
        channel_dir,
        log,
        log_offset,
        stopped,
    });
    let (ev_tx, ev_rx) = oneshot::channel();
    {
        let mut st = dom.lock();
        st.run = Some(run.clone());
    }
    save_status(drv, dom);
    tokio::spawn(watch(drv.clone(), dom.clone(), run.clone(), ev_rx));

    match bring_up(drv, dom, &run, ev_tx, &live, flags).await {
        Ok(()) => Ok(dom.dref()),
        Err(e) => Err(fail_start(dom, &run, e).await),
    }
}

type Prepared = (
    DomainDef,
    command::QemuCommand,
    std::os::unix::net::UnixListener,
    Vec<u16>,
);

/// Directories, master key, live definition, command line and the bound
/// monitor socket.
fn prepare_run(
    drv: &Driver,
    def: &DomainDef,
    id: i32,
    lib_dir: &std::path::Path,
    channel_dir: &std::path::Path,
    monitor_path: &std::path::Path,
    caps: &QemuCaps,
) -> Result<Prepared, Error> {
    use std::os::unix::fs::DirBuilderExt;
    for d in [lib_dir, channel_dir] {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o750)
            .create(d)
            .map_err(|e| sys_err(format!("cannot create directory '{}'", d.display()), &e))?;
    }
    let key = lib_dir.join("master-key.aes");
    state::write_master_key(&key)
        .map_err(|e| sys_err(format!("cannot write '{}'", key.display()), &e))?;
    let path_len = monitor_path.as_os_str().len();
    if path_len >= 108 {
        return Err(internal(format!(
            "monitor socket path '{}' is too long for a UNIX socket",
            monitor_path.display()
        )));
    }
    let _ = std::fs::remove_file(monitor_path);
    let listener = std::os::unix::net::UnixListener::bind(monitor_path).map_err(|e| {
        sys_err(
            format!("cannot bind monitor socket '{}'", monitor_path.display()),
            &e,
        )
    })?;

    let accel = Accel::for_virt_type(&def.virt_type);
    let mut ctx = CommandContext::new(lib_dir, accel, drv.config.clone());
    ctx.monitor = MonitorSocket::Fd(listener.as_raw_fd());
    ctx.channel_dir = channel_dir.to_path_buf();
    ctx.log_path = Some(drv.paths.log_file(&def.name));
    ctx.nvram_dir = drv.paths.lib_dir.join("nvram");
    ctx.privileged = drv.privileged;
    ctx.passthrough_env = std::env::vars().collect();
    let ports = drv.allocate_display_ports(def)?;
    ctx.display_ports = ports.clone();

    let mut live = def.clone();
    live.id = id;
    command::prepare(&mut live, &ctx, drv.firmwares())?;
    let cmd = command::build(&live, caps, &ctx)?;
    Ok((live, cmd, listener, ports))
}

/// Undoes a start that failed before QEMU ran.
fn abandon_start(
    drv: &Driver,
    dom: &Dom,
    name: &str,
    lib_dir: &std::path::Path,
    channel_dir: &std::path::Path,
    id: i32,
) {
    state::delete_status(&drv.paths, name);
    let _ = std::fs::remove_dir_all(lib_dir);
    let _ = std::fs::remove_dir_all(channel_dir);
    drv.release_ports(id);
    let mut st = dom.lock();
    st.id = -1;
    st.live = None;
    st.run = None;
    st.state = DomainState::Shutoff;
    st.reason = shutoff_reason::FAILED;
}

/// QMP negotiation and the start sequence up to running (or paused).
async fn bring_up(
    drv: &Arc<Driver>,
    dom: &Arc<Dom>,
    run: &Arc<Run>,
    ev_tx: oneshot::Sender<mpsc::UnboundedReceiver<QmpEvent>>,
    live: &DomainDef,
    flags: u32,
) -> Result<(), Error> {
    let t = drv.timeouts.monitor;
    let stream = tokio::net::UnixStream::connect(&run.monitor_path)
        .await
        .map_err(|e| {
            sys_err(
                format!(
                    "cannot connect to monitor socket '{}'",
                    run.monitor_path.display()
                ),
                &e,
            )
        })?;
    // Start-up may be slow (a big guest, a busy host): the greeting gets
    // the start deadline, and a QEMU that exits ends the wait at once.
    let connected = tokio::select! {
        r = Monitor::connect(stream, drv.timeouts.start) => r,
        () = run.process.exited() => Err(QmpError::Closed),
    };
    let (mon, events) = connected.map_err(|e| monitor_failure(run, e))?;
    let _ = run.monitor.set(mon.clone());
    let _ = ev_tx.send(events);

    // Pty paths of serial ports and consoles.
    let chardevs = mon
        .execute("query-chardev", None, t)
        .await
        .map_err(|e| monitor_failure(run, e))?;
    let ptys = pty_paths(&chardevs);
    if live.on_reboot == LifecycleAction::Destroy && drv.has_set_action() {
        mon.call("set-action", json!({"reboot": "shutdown"}), t)
            .await
            .map_err(|e| monitor_failure(run, e))?;
    }
    if live.has_memballoon() && live.current_memory < live.memory {
        mon.call(
            "balloon",
            json!({"value": live.current_memory.saturating_mul(1024)}),
            t,
        )
        .await
        .map_err(|e| monitor_failure(run, e))?;
    }
    {
        let mut st = dom.lock();
        if let Some(l) = st.live.as_mut() {
            set_pty_sources(l, &ptys);
        }
        st.ptys = ptys;
        if st.stop_intent.is_some() {
            return Err(Error::new(
                ErrorDomain::QEMU,
                ErrorCode::OPERATION_FAILED,
                "domain was destroyed while starting",
            ));
        }
    }

    if flags & start_flags::PAUSED != 0 {
        let dref = {
            let mut st = dom.lock();
            st.state = DomainState::Paused;
            st.reason = paused_reason::USER;
            dref_of(dom.uuid, &st)
        };
        save_status(drv, dom);
        emit(drv, &dref, event::STARTED, event::STARTED_BOOTED);
        emit(drv, &dref, event::SUSPENDED, event::SUSPENDED_PAUSED);
        return Ok(());
    }
    mon.execute("cont", None, t)
        .await
        .map_err(|e| monitor_failure(run, e))?;
    // The RESUME event may have been handled already; whoever moves the
    // state from paused to running reports RESUMED.
    let (dref, resumed) = {
        let mut st = dom.lock();
        let resumed = st.state == DomainState::Paused;
        if resumed {
            st.state = DomainState::Running;
        }
        if st.state == DomainState::Running {
            st.reason = running_reason::BOOTED;
        }
        (dref_of(dom.uuid, &st), resumed)
    };
    save_status(drv, dom);
    if resumed {
        emit(drv, &dref, event::RESUMED, event::RESUMED_UNPAUSED);
    }
    emit(drv, &dref, event::STARTED, event::STARTED_BOOTED);
    Ok(())
}

/// The error for a monitor failure during start: QEMU's own last words if
/// it died.
fn monitor_failure(run: &Run, e: QmpError) -> Error {
    match e {
        QmpError::Closed | QmpError::Protocol(_) => {
            let tail = run.log.tail_since(run.log_offset);
            internal(format!("qemu unexpectedly closed the monitor: {tail}"))
        }
        other => other.into(),
    }
}

/// Kills a QEMU whose start failed and waits for the watcher to record
/// the stop; returns `e`, completed with the log's tail if QEMU died.
async fn fail_start(dom: &Arc<Dom>, run: &Arc<Run>, e: Error) -> Error {
    {
        let mut st = dom.lock();
        if st.stop_intent.is_none() {
            st.stop_intent = Some(StopIntent::Failed);
        }
    }
    let _ = run.process.signal(libc::SIGKILL);
    if !run.wait_stopped(Duration::from_secs(30)).await {
        log::error!("QEMU {} did not go away after SIGKILL", run.pid);
    }
    e
}

/// `query-chardev` → (alias, pty path) of every `pty:` backend.
fn pty_paths(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    let label = c.get("label")?.as_str()?;
                    let path = c.get("filename")?.as_str()?.strip_prefix("pty:")?;
                    let alias = label.strip_prefix("char").unwrap_or(label);
                    Some((alias.to_owned(), path.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Writes the pty paths into the live definition as libvirt shows them:
/// `<source path>` on the serial port, plus `tty=` on the console.
fn set_pty_sources(def: &mut DomainDef, ptys: &[(String, String)]) {
    for d in def.devices.iter_mut() {
        let Device::Chardev(c) = d else { continue };
        if c.ctype != "pty" {
            continue;
        }
        // A console that mirrors serial0 carries serial0's alias.
        let alias = c.info.alias.clone().unwrap_or_else(|| match c.kind {
            ChardevKind::Console => "serial0".into(),
            _ => String::new(),
        });
        let Some((_, path)) = ptys.iter().find(|(a, _)| *a == alias) else {
            continue;
        };
        c.rest.take_children("source");
        c.rest.children.insert(
            0,
            XmlNode::Element(XmlElement::new("source").with_attr("path", path.clone())),
        );
        if c.kind == ChardevKind::Console {
            c.rest.set_attr("tty", path.clone());
        }
    }
}

/// The watcher of one run (see the module doc).
pub async fn watch(
    drv: Arc<Driver>,
    dom: Arc<Dom>,
    run: Arc<Run>,
    events: oneshot::Receiver<mpsc::UnboundedReceiver<QmpEvent>>,
) {
    let mut exited = false;
    // Until QMP is up, only the exit matters.
    let mut events = tokio::select! {
        r = events => r.ok(),
        () = run.process.exited() => { exited = true; None }
    };
    if let Some(rx) = events.as_mut() {
        loop {
            tokio::select! {
                biased;
                ev = rx.recv() => match ev {
                    Some(e) => handle_event(&drv, &dom, &run, e),
                    None => break,
                },
                () = run.process.exited() => { exited = true; break }
            }
        }
        // QEMU's last events are in the socket before its EOF.
        while let Ok(Some(e)) = tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
            handle_event(&drv, &dom, &run, e);
        }
    } else if !exited {
        // The start gave up before QMP: it kills the process.
        run.process.exited().await;
        exited = true;
    }
    if !exited {
        // The monitor closed but QEMU lives on: it is of no use any more.
        if tokio::time::timeout(Duration::from_secs(3), run.process.exited())
            .await
            .is_err()
        {
            let _ = run.process.signal(libc::SIGKILL);
            let _ = tokio::time::timeout(Duration::from_secs(30), run.process.exited()).await;
        }
    }
    run.process.reap();
    finish_stop(&drv, &dom, &run);
}

/// Records the end of `run`: state, event, files. Idempotent.
pub fn finish_stop(drv: &Driver, dom: &Arc<Dom>, run: &Arc<Run>) {
    let (dref, ev_detail, reason_text, transient, name) = {
        let mut st = dom.lock();
        if !st.run.as_ref().is_some_and(|r| Arc::ptr_eq(r, run)) {
            let _ = run.stopped.send(true);
            return;
        }
        // A QEMU that dies before the start finished is a failed start,
        // whoever notices first.
        let starting = st.state == DomainState::Paused && st.reason == PAUSED_STARTING_UP;
        let intent = match st.stop_intent {
            None if starting => Some(StopIntent::Failed),
            i => i,
        };
        let (detail, reason, text) = match intent {
            Some(StopIntent::Destroy) => (
                event::STOPPED_DESTROYED,
                shutoff_reason::DESTROYED,
                "destroyed",
            ),
            Some(StopIntent::Failed) => (detail::STOPPED_FAILED, shutoff_reason::FAILED, "failed"),
            Some(StopIntent::Crashed) => {
                (detail::STOPPED_CRASHED, shutoff_reason::CRASHED, "crashed")
            }
            None if st.state == DomainState::Shutdown => (
                event::STOPPED_SHUTDOWN,
                shutoff_reason::SHUTDOWN,
                "shutdown",
            ),
            None => (detail::STOPPED_FAILED, shutoff_reason::CRASHED, "crashed"),
        };
        st.run = None;
        st.live = None;
        st.id = -1;
        st.state = DomainState::Shutoff;
        st.reason = reason;
        st.stop_intent = None;
        st.fake_reboot = false;
        st.after_shutdown = false;
        st.pause_reason = None;
        st.ptys.clear();
        if let Some(c) = st.console.take() {
            let _ = c.cancel.send(true);
        }
        let transient = !st.is_persistent();
        if transient {
            st.removed = true;
        }
        (
            dref_of(dom.uuid, &st),
            detail,
            text,
            transient,
            st.name.clone(),
        )
    };
    if transient {
        drv.remove_domain(dom, &name);
    }
    // libvirt reports a failed start through the API's error (and a
    // CONTROL_ERROR event), not as a stop.
    if reason_text != "failed" {
        emit(drv, &dref, event::STOPPED, ev_detail);
    }
    {
        let _w = drv.status_write_lock(dom);
        state::delete_status(&drv.paths, &name);
    }
    let _ = std::fs::remove_dir_all(&run.lib_dir);
    let _ = std::fs::remove_dir_all(&run.channel_dir);
    drv.release_ports_of_run(run);
    if reason_text == "crashed" {
        // Nobody asked for this stop: say why, in QEMU's own words.
        let tail = run.log.tail_since(run.log_offset);
        log::warn!(
            "QEMU of domain {name} (pid {}) exited unexpectedly: {tail}",
            run.pid
        );
    }
    run.log
        .append(&format!("shutting down, reason={reason_text}"));
    let _ = run.stopped.send(true);
}

/// One QMP event of a running domain.
fn handle_event(drv: &Arc<Driver>, dom: &Arc<Dom>, run: &Arc<Run>, ev: QmpEvent) {
    let current = |st: &DomState| st.run.as_ref().is_some_and(|r| Arc::ptr_eq(r, run));
    match ev.name.as_str() {
        "SHUTDOWN" => {
            let guest = ev.data.get("guest").and_then(Value::as_bool);
            let reason = ev
                .data
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let action = {
                let mut st = dom.lock();
                if !current(&st) || st.state == DomainState::Shutdown {
                    return;
                }
                st.after_shutdown = true;
                let on_poweroff = st.live.as_ref().map(|d| d.on_poweroff);
                let restart = st.stop_intent.is_none()
                    && (st.fake_reboot
                        || (on_poweroff == Some(LifecycleAction::Restart)
                            && guest == Some(true)
                            && reason != "guest-reset"));
                if restart {
                    st.fake_reboot = false;
                    None
                } else {
                    st.state = DomainState::Shutdown;
                    st.reason = SHUTDOWN_USER;
                    let det = match guest {
                        Some(true) => event::SHUTDOWN_GUEST,
                        Some(false) => event::SHUTDOWN_HOST,
                        None => event::SHUTDOWN_FINISHED,
                    };
                    Some((dref_of(dom.uuid, &st), det))
                }
            };
            match action {
                None => {
                    // Fake reboot: reset and run again.
                    let (drv, run) = (drv.clone(), run.clone());
                    tokio::spawn(async move { fake_reboot(&drv, &run).await });
                }
                Some((dref, det)) => {
                    save_status(drv, dom);
                    emit(drv, &dref, event::SHUTDOWN, det);
                    // -no-shutdown keeps QEMU alive after the guest's
                    // power-off: end it as libvirt does.
                    let _ = run.process.signal(libc::SIGTERM);
                }
            }
        }
        "STOP" => {
            let dref = {
                let mut st = dom.lock();
                if !current(&st) || st.state != DomainState::Running || st.after_shutdown {
                    return;
                }
                st.state = DomainState::Paused;
                st.reason = st.pause_reason.take().unwrap_or(paused_reason::UNKNOWN);
                dref_of(dom.uuid, &st)
            };
            save_status(drv, dom);
            emit(drv, &dref, event::SUSPENDED, event::SUSPENDED_PAUSED);
        }
        "RESUME" => {
            let dref = {
                let mut st = dom.lock();
                if current(&st) {
                    st.after_shutdown = false;
                }
                if !current(&st) || st.state != DomainState::Paused {
                    return;
                }
                st.reason = if st.reason == PAUSED_STARTING_UP {
                    running_reason::BOOTED
                } else {
                    running_reason::UNPAUSED
                };
                st.state = DomainState::Running;
                dref_of(dom.uuid, &st)
            };
            save_status(drv, dom);
            emit(drv, &dref, event::RESUMED, event::RESUMED_UNPAUSED);
        }
        "RESET" => {
            let dref = {
                let mut st = dom.lock();
                if !current(&st) {
                    return;
                }
                st.fake_reboot = false;
                if st.state == DomainState::Paused && st.reason == PAUSED_STARTING_UP {
                    return;
                }
                dref_of(dom.uuid, &st)
            };
            drv.events.emit(DomainEvent {
                dom: dref,
                kind: DomainEventKind::Reboot,
            });
        }
        "GUEST_PANICKED" => {
            let (dref, action) = {
                let mut st = dom.lock();
                if !current(&st) {
                    return;
                }
                let action = st
                    .live
                    .as_ref()
                    .map(|d| d.on_crash)
                    .unwrap_or(LifecycleAction::Destroy);
                st.state = DomainState::Crashed;
                st.reason = CRASHED_PANICKED;
                if matches!(
                    action,
                    LifecycleAction::Destroy | LifecycleAction::CoredumpDestroy
                ) {
                    st.stop_intent = Some(StopIntent::Crashed);
                }
                (dref_of(dom.uuid, &st), action)
            };
            save_status(drv, dom);
            emit(drv, &dref, event::CRASHED, detail::CRASHED_PANICKED);
            match action {
                LifecycleAction::Destroy | LifecycleAction::CoredumpDestroy => {
                    let _ = run.process.signal(libc::SIGKILL);
                }
                LifecycleAction::Restart
                | LifecycleAction::CoredumpRestart
                | LifecycleAction::RenameRestart => {
                    let (drv, dom, run) = (drv.clone(), dom.clone(), run.clone());
                    tokio::spawn(async move {
                        {
                            let mut st = dom.lock();
                            st.state = DomainState::Paused;
                            st.reason = PAUSED_PANICKED;
                        }
                        fake_reboot(&drv, &run).await;
                    });
                }
                LifecycleAction::Preserve => {}
            }
        }
        "BALLOON_CHANGE" => {
            if let Some(actual) = ev.data.get("actual").and_then(Value::as_u64) {
                let mut st = dom.lock();
                if current(&st) {
                    if let Some(l) = st.live.as_mut() {
                        l.current_memory = actual / 1024;
                    }
                }
            }
        }
        "DEVICE_DELETED" => {
            if let Some(alias) = ev.data.get("device").and_then(Value::as_str) {
                drv.device_deleted(dom, alias);
            }
        }
        _ => {}
    }
}

/// `system_reset` + `cont`: what a reboot through ACPI, or on_poweroff /
/// on_crash = restart, does once the guest has powered off.
async fn fake_reboot(drv: &Driver, run: &Run) {
    let Ok(mon) = run.monitor() else { return };
    let t = drv.timeouts.monitor;
    if let Err(e) = mon.execute("system_reset", None, t).await {
        log::warn!("fake reboot: system_reset failed: {e}");
        return;
    }
    if let Err(e) = mon.execute("cont", None, t).await {
        log::warn!("fake reboot: cont failed: {e}");
    }
}

/// `virDomainDestroyFlags`: SIGTERM, then SIGKILL after a grace period
/// unless `graceful`; waits for the stop to be recorded. Takes no job lock.
pub async fn destroy(drv: &Driver, dom: &Arc<Dom>, graceful: bool) -> Result<(), Error> {
    let run = {
        let mut st = dom.lock();
        if !st.is_active() {
            return Err(crate::domain::not_running());
        }
        let Some(run) = st.run.clone() else {
            // Still spawning: the start sees the intent and gives up.
            st.stop_intent = Some(StopIntent::Destroy);
            return Ok(());
        };
        if st.stop_intent.is_none() || st.stop_intent == Some(StopIntent::Failed) {
            st.stop_intent = Some(StopIntent::Destroy);
        }
        run
    };
    let signal = |sig| {
        run.process
            .signal(sig)
            .map_err(|e| sys_err(format!("Failed to kill process {}", run.pid), &e))
    };
    signal(libc::SIGTERM)?;
    // A stopped (SIGSTOP) QEMU handles its SIGTERM once continued.
    signal(libc::SIGCONT)?;
    if run.wait_stopped(drv.timeouts.destroy_grace).await {
        return Ok(());
    }
    if graceful {
        let mut st = dom.lock();
        if st.stop_intent == Some(StopIntent::Destroy) {
            st.stop_intent = None;
        }
        return Err(Error::new(
            ErrorDomain::QEMU,
            ErrorCode::SYSTEM_ERROR,
            format!(
                "Failed to terminate process {} with SIGTERM: Device or resource busy",
                run.pid
            ),
        ));
    }
    signal(libc::SIGKILL)?;
    if run.wait_stopped(Duration::from_secs(30)).await {
        return Ok(());
    }
    Err(Error::new(
        ErrorDomain::QEMU,
        ErrorCode::SYSTEM_ERROR,
        format!(
            "Failed to kill process {}: Device or resource busy",
            run.pid
        ),
    ))
}

/// Re-attaches to a QEMU found in a status file at daemon start: called
/// with the run already recorded in the domain; negotiates QMP, reads the
/// real state and hands the events to the watcher. On failure the QEMU is
/// killed (libvirt's rule: a domain that cannot be re-attached is stopped).
pub async fn reconnect(
    drv: Arc<Driver>,
    dom: Arc<Dom>,
    run: Arc<Run>,
    ev_tx: oneshot::Sender<mpsc::UnboundedReceiver<QmpEvent>>,
    job: Option<crate::domain::JobGuard>,
) {
    // The job is taken before this task runs, so that no state change
    // slips in before the monitor is back.
    let job = match job {
        Some(j) => Ok(j),
        None => dom.begin_job("reconnect", drv.timeouts.job).await,
    };
    let r = reconnect_inner(&drv, &dom, &run, ev_tx).await;
    drop(job);
    if let Err(e) = r {
        log::error!(
            "cannot re-attach to QEMU {} of domain {}: {}",
            run.pid,
            dom.dref().name,
            e.message
        );
        {
            let mut st = dom.lock();
            if st.stop_intent.is_none() {
                st.stop_intent = Some(StopIntent::Failed);
            }
        }
        let _ = run.process.signal(libc::SIGKILL);
    }
}

async fn reconnect_inner(
    drv: &Arc<Driver>,
    dom: &Arc<Dom>,
    run: &Arc<Run>,
    ev_tx: oneshot::Sender<mpsc::UnboundedReceiver<QmpEvent>>,
) -> Result<(), Error> {
    let t = drv.timeouts.monitor;
    let stream = tokio::net::UnixStream::connect(&run.monitor_path)
        .await
        .map_err(|e| sys_err("cannot connect to the monitor", &e))?;
    let (mon, events) = Monitor::connect(stream, t).await?;
    let _ = run.monitor.set(mon.clone());
    let _ = ev_tx.send(events);
    let status = mon.execute("query-status", None, t).await?;
    let running = status.get("running").and_then(Value::as_bool) == Some(true);
    let qstatus = status
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    {
        // Fix the state without events, as libvirt does.
        let mut st = dom.lock();
        match (st.state, running) {
            (DomainState::Paused, true) => {
                st.state = DomainState::Running;
                st.reason = running_reason::UNPAUSED;
            }
            (DomainState::Running, false) if qstatus == "shutdown" => {
                st.state = DomainState::Shutdown;
                st.reason = SHUTDOWN_USER;
            }
            (DomainState::Running, false) => {
                st.state = DomainState::Paused;
                st.reason = if qstatus == "guest-panicked" {
                    PAUSED_PANICKED
                } else {
                    paused_reason::UNKNOWN
                };
            }
            _ => {}
        }
    }
    save_status(drv, dom);
    let shut = dom.lock().state == DomainState::Shutdown;
    if shut && qstatus == "shutdown" {
        // The guest powered off while we were away: finish the shutdown.
        let _ = run.process.signal(libc::SIGTERM);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pty_paths_come_from_query_chardev() {
        let v = json!([
            {"frontend-open": true, "filename": "pty:/dev/pts/3", "label": "charserial0"},
            {"frontend-open": true, "filename": "unix:/x/monitor.sock,server=on", "label": "charmonitor"}
        ]);
        assert_eq!(
            pty_paths(&v),
            vec![("serial0".to_owned(), "/dev/pts/3".to_owned())]
        );
    }
}
