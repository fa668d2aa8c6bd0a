//! `console`: the guest's serial console over a stream, with the terminal in
//! raw mode until the escape character (`^]` unless `-e`) is typed.

use crate::cmds::domain::dom_state;
use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::extra;
use crate::vsh::{CmdResult, Failed};
use oxvirt_client::{Domain, StreamData, Wait};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// `console <domain> [devname] [--force] [--safe]`.
pub fn console(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let dom = ctl.domain(cmd)?;
    let dev = cmd.string(ctl, "devname")?.map(str::to_owned);
    let mut flags = 0;
    if cmd.flag("force") {
        flags |= 1;
    }
    if cmd.flag("safe") {
        flags |= 2;
    }
    run_console(ctl, &dom, dev.as_deref(), flags)
}

/// The byte the escape sequence stands for: `^X` is Ctrl+X.
pub fn escape_byte(esc: &str) -> u8 {
    let b = esc.as_bytes();
    match b {
        [b'^', c] => c.to_ascii_uppercase() & 0x1f,
        [c, ..] => *c,
        [] => 0x1d,
    }
}

/// Whether `s` is an escape sequence virsh accepts.
pub fn valid_escape(s: &str) -> bool {
    let b = s.as_bytes();
    match b {
        [b'^', c] => c.is_ascii_alphabetic() || b"[\\]^_".contains(c),
        [c] => c.is_ascii_graphic(),
        _ => false,
    }
}

/// The terminal, switched to raw mode until dropped.
struct RawTerminal {
    saved: libc::termios,
}

impl RawTerminal {
    fn enter() -> Option<RawTerminal> {
        // SAFETY: termios is plain data; tcgetattr fills it for fd 0.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `t` is a valid termios for the duration of the call.
        if unsafe { libc::tcgetattr(0, &mut t) } != 0 {
            return None;
        }
        let saved = t;
        // SAFETY: `t` is a valid termios obtained above.
        unsafe { libc::cfmakeraw(&mut t) };
        // SAFETY: `t` is a valid termios; fd 0 is the terminal checked above.
        if unsafe { libc::tcsetattr(0, libc::TCSAFLUSH, &t) } != 0 {
            return None;
        }
        Some(RawTerminal { saved })
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `enter` on the same fd.
        unsafe { libc::tcsetattr(0, libc::TCSAFLUSH, &self.saved) };
    }
}

fn stdin_is_tty() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(0) == 1 }
}

/// `cmdRunConsole`: checks, banner, then the console loop.
pub fn run_console(ctl: &mut Ctl, dom: &Domain, dev: Option<&str>, flags: u32) -> CmdResult {
    let Ok((state, _)) = dom_state(ctl, dom) else {
        return ctl.fail("Unable to get domain status");
    };
    if state == 5 {
        return ctl.fail("The domain is not running");
    }
    if !stdin_is_tty() {
        return ctl.fail("Cannot run interactive console without a controlling TTY");
    }
    extra!(ctl, "Connected to domain '{}'\n", dom.name());
    extra!(ctl, "Escape character is {}", ctl.escape);
    if let Some(c) = ctl.escape.strip_prefix('^') {
        extra!(ctl, " (Ctrl + {c})");
    }
    extra!(ctl, "\n");
    ctl.flush();
    let stream = Arc::new(ctl.wait(dom.open_console(dev, flags))?);
    let escape = escape_byte(&ctl.escape);
    let raw = RawTerminal::enter();
    let (done_tx, done_rx) = mpsc::channel::<Option<oxvirt_client::Error>>();
    let stop = Arc::new(AtomicBool::new(false));

    let s = stream.clone();
    let tx = done_tx.clone();
    std::thread::spawn(move || loop {
        match s.recv().wait() {
            Ok(StreamData::Data(d)) => {
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(&d);
                let _ = o.flush();
            }
            Ok(StreamData::Hole(_)) => {}
            Ok(StreamData::Eof) => {
                let _ = tx.send(None);
                break;
            }
            Err(e) => {
                let _ = tx.send(Some(e));
                break;
            }
        }
    });

    let s = stream.clone();
    let stop_in = stop.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while !stop_in.load(Ordering::Acquire) {
            let mut pfd = libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd for the duration of the call.
            let n = unsafe { libc::poll(&mut pfd, 1, 200) };
            if n <= 0 {
                continue;
            }
            // SAFETY: reads into a buffer we own, at most its length.
            let got = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if got <= 0 {
                let _ = done_tx.send(None);
                break;
            }
            let data = &buf[..got as usize];
            if let Some(pos) = data.iter().position(|b| *b == escape) {
                if pos > 0 {
                    let _ = s.send(&data[..pos]).wait();
                }
                let _ = done_tx.send(None);
                break;
            }
            if s.send(data).wait().is_err() {
                let _ = done_tx.send(None);
                break;
            }
        }
    });

    let outcome = done_rx.recv().unwrap_or(None);
    stop.store(true, Ordering::Release);
    std::thread::sleep(Duration::from_millis(1));
    let finished = match &outcome {
        None => stream.finish().wait(),
        Some(_) => stream.abort().wait(),
    };
    drop(raw);
    extra!(ctl, "\n");
    if let Some(e) = outcome {
        ctl.last_error = Some(e);
        return Err(Failed);
    }
    if let Err(e) = finished {
        if ctl.conn.as_ref().is_some_and(|c| c.is_alive()) {
            ctl.last_error = Some(e);
            return Err(Failed);
        }
    }
    Ok(())
}
