//! `event`: waits for domain events and prints them as virsh does.

use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::out;
use crate::vsh::{CmdResult, Failed};
use oxvirt_client::{Domain, DomainEvent, DomainEventId, Wait};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Release);
}

/// Routes SIGINT to [`INTERRUPTED`] while alive, restoring the previous
/// handler afterwards.
struct SigintGuard {
    old: libc::sigaction,
}

impl SigintGuard {
    fn install() -> SigintGuard {
        INTERRUPTED.store(false, Ordering::Release);
        // SAFETY: sigaction structs are plain data; zeroed is valid.
        let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
        sa.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as usize;
        // SAFETY: zeroed is a valid initial value.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: the handler only stores to an atomic, which is
        // async-signal-safe; both structs are valid for the call.
        unsafe { libc::sigaction(libc::SIGINT, &sa, &mut old) };
        SigintGuard { old }
    }
}

impl Drop for SigintGuard {
    fn drop(&mut self) {
        // SAFETY: restores the handler saved in `install`.
        unsafe { libc::sigaction(libc::SIGINT, &self.old, std::ptr::null_mut()) };
    }
}

fn event_str(event: i32) -> &'static str {
    match event {
        0 => "Defined",
        1 => "Undefined",
        2 => "Started",
        3 => "Suspended",
        4 => "Resumed",
        5 => "Stopped",
        6 => "Shutdown",
        7 => "PMSuspended",
        8 => "Crashed",
        _ => "unknown",
    }
}

fn detail_str(event: i32, detail: i32) -> &'static str {
    let t: &[&str] = match event {
        0 => &["Added", "Updated", "Renamed", "Snapshot"],
        1 => &["Removed", "Renamed"],
        2 => &["Booted", "Migrated", "Restored", "Snapshot", "Event wakeup"],
        3 => &[
            "Paused",
            "Migrated",
            "I/O Error",
            "Watchdog",
            "Restored",
            "Snapshot",
            "API error",
            "Post-copy",
            "Post-copy Error",
        ],
        4 => &[
            "Unpaused",
            "Migrated",
            "Snapshot",
            "Post-copy",
            "Post-copy Error",
        ],
        5 => &[
            "Shutdown",
            "Destroyed",
            "Crashed",
            "Migrated",
            "Saved",
            "Failed",
            "Snapshot",
        ],
        6 => &[
            "Finished",
            "Finished after guest request",
            "Finished after host request",
        ],
        7 => &["Memory", "Disk"],
        8 => &["Panicked", "Crashloaded"],
        _ => &[],
    };
    usize::try_from(detail)
        .ok()
        .and_then(|d| t.get(d).copied())
        .unwrap_or("unknown")
}

fn watchdog_str(action: i32) -> &'static str {
    match action {
        0 => "none",
        1 => "pause",
        2 => "reset",
        3 => "poweroff",
        4 => "shutdown",
        5 => "debug",
        6 => "inject-nmi",
        _ => "unknown",
    }
}

/// `virTimeStringNowRaw`: `YYYY-MM-DD HH:MM:SS.mmm+0000`.
pub fn timestamp_now() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}+0000",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60,
        now.subsec_millis()
    )
}

fn format_event(id: DomainEventId, dom: &Domain, ev: &DomainEvent) -> String {
    let name = dom.name();
    match ev {
        DomainEvent::Lifecycle { event, detail } => format!(
            "event 'lifecycle' for domain '{name}': {} {}\n",
            event_str(*event),
            detail_str(*event, *detail)
        ),
        DomainEvent::RtcChange { offset } => {
            format!("event 'rtc-change' for domain '{name}': {offset}\n")
        }
        DomainEvent::Watchdog { action } => format!(
            "event 'watchdog' for domain '{name}': {}\n",
            watchdog_str(*action)
        ),
        DomainEvent::Tunable { params } => {
            let mut s = format!("event 'tunable' for domain '{name}':\n");
            for p in params {
                s.push_str(&format!(
                    "\t{}: {}\n",
                    p.field,
                    crate::cmds::domain::typed_value(&p.value)
                ));
            }
            s
        }
        DomainEvent::Device { alias } => {
            format!("event '{}' for domain '{name}': {alias}\n", id.name())
        }
        _ => format!("event '{}' for domain '{name}'\n", id.name()),
    }
}

/// `event [--domain d] [--event e | --all] [--loop] [--timeout s] [--list] [--timestamp]`.
pub fn event(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.flag("list") {
        for id in DomainEventId::all() {
            out!(ctl, "{}\n", id.name());
        }
        return Ok(());
    }
    let all = cmd.flag("all");
    let ids: Vec<DomainEventId> = match cmd.string(ctl, "event")? {
        Some(n) => match DomainEventId::from_name(n) {
            Some(id) => vec![id],
            None => return ctl.fail(&format!("unknown event type {n}")),
        },
        None if all => DomainEventId::all().collect(),
        None => return ctl.fail("one of --list, --all, or --event <type> is required"),
    };
    let timeout = match cmd.raw("timeout") {
        None => None,
        Some(v) => match crate::vsh::parse_c_number::<i32>(v).filter(|t| *t >= 1) {
            Some(t) if t <= i32::MAX / 1000 => Some(Duration::from_secs(t as u64)),
            Some(_) => return ctl.fail("timeout is too big"),
            None => {
                return ctl.fail(&format!(
                    "Numeric value '{v}' for <timeout> option is malformed or out of range"
                ))
            }
        },
    };
    let looping = cmd.flag("loop");
    let stamp = cmd.flag("timestamp");
    let dom = if cmd.has("domain") {
        Some(ctl.domain(cmd)?)
    } else {
        None
    };
    let c = ctl.conn()?;
    let count = Arc::new(AtomicUsize::new(0));
    let shared = ctl.shared.clone();
    if let Ok(mut w) = shared.wake.lock() {
        *w = false;
    }
    let guard = SigintGuard::install();
    let mut registered = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let count = count.clone();
        let shared = shared.clone();
        let id = *id;
        let cb = move |d: &Domain, ev: &DomainEvent| {
            if !looping && count.load(Ordering::Acquire) > 0 {
                return;
            }
            let msg = format_event(id, d, ev);
            let mut o = std::io::stdout().lock();
            if stamp {
                let _ = write!(o, "{}: {msg}", timestamp_now());
            } else {
                let _ = write!(o, "{msg}");
            }
            let _ = o.flush();
            count.fetch_add(1, Ordering::AcqRel);
            if !looping {
                shared.wake_up();
            }
        };
        match c.domain_event_register_any(dom.as_ref(), id, cb).wait() {
            Ok(cb_id) => registered.push(cb_id),
            Err(_) if i > 0 => {}
            Err(e) => {
                ctl.last_error = Some(e);
                for r in registered {
                    let _ = c.domain_event_deregister_any(r).wait();
                }
                return Err(Failed);
            }
        }
    }
    let start = Instant::now();
    let outcome = loop {
        if INTERRUPTED.load(Ordering::Acquire) {
            break 1;
        }
        if let Some(t) = timeout {
            if start.elapsed() >= t {
                break 2;
            }
        }
        let Ok(w) = shared.wake.lock() else {
            break 0;
        };
        if *w {
            break 0;
        }
        let _ = shared.cond.wait_timeout(w, Duration::from_millis(100));
    };
    drop(guard);
    match outcome {
        1 => out!(ctl, "event loop interrupted\n"),
        2 => out!(ctl, "event loop timed out\n"),
        _ => {}
    }
    let n = count.load(Ordering::Acquire);
    out!(ctl, "events received: {n}\n");
    for r in registered {
        let _ = c.domain_event_deregister_any(r).wait();
    }
    if n > 0 {
        Ok(())
    } else {
        Err(Failed)
    }
}
