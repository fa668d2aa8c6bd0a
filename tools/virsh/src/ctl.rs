//! [`Ctl`]: the state of one virsh run — the connection, output settings and
//! the pending library error — and the helpers every command uses.
//!
//! Error reporting follows virsh: a command prints its own `error: …` lines
//! at once ([`Ctl::error`]) and leaves the library's error pending
//! ([`Ctl::wait`]); when the command fails, the pending error is printed last.

use crate::vsh::{self, CmdGroup, Failed, Shell};
use oxvirt_client::{
    CloseReason, Connect, Domain, Error, ErrorCode, ErrorDomain, OpenOptions, Wait,
};
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// Lookup flags of `virshLookupDomainBy`.
pub const BY_ID: u32 = 1;
pub const BY_UUID: u32 = 2;
pub const BY_NAME: u32 = 4;
pub const BY_ALL: u32 = BY_ID | BY_UUID | BY_NAME;

/// State shared with the connection's callbacks.
#[derive(Default)]
pub struct Shared {
    /// Set when the connection dropped; the next command reconnects.
    pub disconnected: AtomicBool,
    /// Wakes an event loop (`event --loop`) on disconnect.
    pub wake: Mutex<bool>,
    pub cond: Condvar,
}

impl Shared {
    /// Wakes whoever waits on `cond` (the event loop).
    pub fn wake_up(&self) {
        if let Ok(mut w) = self.wake.lock() {
            *w = true;
            self.cond.notify_all();
        }
    }
}

/// One virsh process.
pub struct Ctl {
    pub conn: Option<Connect>,
    /// The URI to connect to (`-c`, `VIRSH_DEFAULT_CONNECT_URI`, `connect`).
    pub connname: Option<String>,
    pub readonly: bool,
    pub quiet: bool,
    pub timing: bool,
    /// The console escape sequence, e.g. `^]`.
    pub escape: String,
    pub keepalive_interval: u32,
    pub keepalive_count: u32,
    pub keepalive_forced: bool,
    /// Interactive mode; `quit` clears it.
    pub imode: bool,
    pub debug: i32,
    /// The library error of the running command, printed if it fails.
    pub last_error: Option<Error>,
    pub shared: Arc<Shared>,
}

/// A parsed virsh command.
pub type Cmd = vsh::Cmd<Ctl>;

impl Shell for Ctl {
    fn groups() -> &'static [CmdGroup<Ctl>] {
        crate::cmds::groups()
    }

    fn error(&mut self, msg: &str) {
        Ctl::error(self, msg);
    }

    fn set_lib_error(&mut self, e: Error) {
        self.last_error = Some(e);
    }

    fn print(&self, args: fmt::Arguments<'_>) {
        let mut o = std::io::stdout().lock();
        let _ = o.write_fmt(args);
    }

    fn quiet(&self) -> bool {
        self.quiet
    }

    fn interactive(&self) -> bool {
        self.imode
    }

    fn set_interactive(&mut self, on: bool) {
        self.imode = on;
    }
}

impl Ctl {
    pub fn new() -> Ctl {
        Ctl {
            conn: None,
            connname: None,
            readonly: false,
            quiet: false,
            timing: false,
            escape: "^]".to_owned(),
            keepalive_interval: 5,
            keepalive_count: 6,
            keepalive_forced: false,
            imode: true,
            debug: -1,
            last_error: None,
            shared: Arc::new(Shared::default()),
        }
    }

    /// Flushes stdout.
    pub fn flush(&self) {
        let _ = std::io::stdout().flush();
    }

    /// `vshError`: `error: msg` on stderr, after flushing stdout.
    pub fn error(&mut self, msg: &str) {
        self.flush();
        let mut e = std::io::stderr().lock();
        let _ = writeln!(e, "error: {msg}");
    }

    /// Prints the pending library error, if any (`vshReportError`).
    pub fn report_error(&mut self) {
        if let Some(e) = self.last_error.take() {
            if e.code == ErrorCode::OK {
                self.error("unknown error");
            } else {
                self.error(&e.message);
            }
        }
    }

    /// Forgets the pending library error (`vshResetLibvirtError`).
    pub fn reset_error(&mut self) {
        self.last_error = None;
    }

    /// Whether the pending error has this code.
    pub fn last_code(&self) -> Option<ErrorCode> {
        self.last_error.as_ref().map(|e| e.code)
    }

    /// Runs a library call, keeping its error pending on failure.
    pub fn wait<T>(
        &mut self,
        f: impl Future<Output = oxvirt_client::Result<T>>,
    ) -> Result<T, Failed> {
        match f.wait() {
            Ok(v) => Ok(v),
            Err(e) => {
                self.last_error = Some(e);
                Err(Failed)
            }
        }
    }

    /// Prints `msg` and fails.
    pub fn fail<T>(&mut self, msg: &str) -> Result<T, Failed> {
        self.error(msg);
        Err(Failed)
    }

    /// The open connection.
    pub fn conn(&mut self) -> Result<Connect, Failed> {
        match &self.conn {
            Some(c) => Ok(c.clone()),
            None => self.fail("no valid connection"),
        }
    }

    /// `virshConnect`: opens `uri` and sets up keepalive.
    fn open(&mut self, uri: Option<&str>, readonly: bool) -> Result<Connect, Failed> {
        let opts = OpenOptions {
            read_only: readonly,
            ..OpenOptions::default()
        };
        let c = self.wait(Connect::open_with(uri, &opts))?;
        match c.set_keepalive(self.keepalive_interval, self.keepalive_count) {
            Ok(true) => {}
            _ if self.keepalive_forced => {
                self.error("Cannot setup keepalive on connection as requested, disconnecting");
                let _ = c.close().wait();
                return Err(Failed);
            }
            _ => {}
        }
        Ok(c)
    }

    /// Closes the current connection, reporting a failure as virsh does.
    pub fn disconnect(&mut self) {
        if let Some(c) = self.conn.take() {
            if c.close().wait().is_err() {
                self.error("Failed to disconnect from the hypervisor");
            }
        }
    }

    /// `virshReconnect`: (re)opens the connection to `name` or the current
    /// URI.
    pub fn reconnect(
        &mut self,
        name: Option<&str>,
        readonly: bool,
        force: bool,
    ) -> Result<(), Failed> {
        let connected = self.conn.is_some();
        if connected {
            self.disconnect();
        }
        let uri = name.map(str::to_owned).or_else(|| self.connname.clone());
        let was_disconnected = self.shared.disconnected.load(Ordering::Acquire);
        let c = match self.open(uri.as_deref(), readonly) {
            Ok(c) => c,
            Err(f) => {
                if was_disconnected {
                    self.error("Failed to reconnect to the hypervisor");
                } else {
                    self.error("failed to connect to the hypervisor");
                }
                return Err(f);
            }
        };
        if let Some(n) = name {
            self.connname = Some(n.to_owned());
        }
        self.readonly = readonly;
        let shared = self.shared.clone();
        let uri_for_cb = c.uri();
        let cb = move |reason: CloseReason| {
            let msg = match reason {
                CloseReason::Error => "Disconnected from %s due to I/O error",
                CloseReason::Eof => "Disconnected from %s due to end of file",
                CloseReason::Keepalive => "Disconnected from %s due to keepalive timeout",
                CloseReason::Client => return,
            };
            let _ = std::io::stdout().flush();
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                msg.replace("%s", &uri_for_cb)
            );
            shared.disconnected.store(true, Ordering::Release);
            shared.wake_up();
        };
        if c.register_close_callback(cb).wait().is_err() {
            self.error("Unable to register disconnect callback");
        }
        if connected && !force {
            self.error("Reconnected to the hypervisor");
        }
        self.shared.disconnected.store(false, Ordering::Release);
        self.conn = Some(c);
        Ok(())
    }

    /// `virshConnectionHandler`: connects when needed before a command.
    pub fn ensure_connection(&mut self) -> Result<Connect, Failed> {
        if self.conn.is_none() || self.shared.disconnected.load(Ordering::Acquire) {
            let ro = self.readonly;
            self.reconnect(None, ro, false)?;
        }
        match &self.conn {
            Some(c) => Ok(c.clone()),
            None => Err(Failed),
        }
    }

    /// `virshLookupDomainBy`: by id, then UUID, then name; a failure prints
    /// only `failed to get domain '…'`.
    pub fn lookup_domain(&mut self, name: &str, flags: u32) -> Result<Domain, Failed> {
        let conn = self.conn()?;
        let mut dom = None;
        if flags & BY_ID != 0 {
            if let Some(id) = crate::vsh::parse_c_number::<i32>(name).filter(|i| *i >= 0) {
                dom = conn.domain_lookup_by_id(id).wait().ok();
            }
        }
        if dom.is_none() && flags & BY_UUID != 0 && name.len() == 36 {
            if let Ok(u) = name.parse() {
                dom = conn.domain_lookup_by_uuid(&u).wait().ok();
            }
        }
        if dom.is_none() && flags & BY_NAME != 0 {
            dom = conn.domain_lookup_by_name(name).wait().ok();
        }
        self.reset_error();
        match dom {
            Some(d) => Ok(d),
            None => self.fail(&format!("failed to get domain '{name}'")),
        }
    }

    /// The domain named by option `--domain`, looked up every way.
    pub fn domain(&mut self, cmd: &Cmd) -> Result<Domain, Failed> {
        self.domain_by(cmd, "domain", BY_ALL)
    }

    /// The domain named by option `opt`.
    pub fn domain_by(&mut self, cmd: &Cmd, opt: &str, flags: u32) -> Result<Domain, Failed> {
        let name = cmd.string_req(self, opt)?.to_owned();
        self.lookup_domain(&name, flags)
    }

    /// `VSH_EXCLUSIVE_OPTIONS`.
    pub fn exclusive(&mut self, cmd: &Cmd, a: &str, b: &str) -> Result<(), Failed> {
        if cmd.has(a) && cmd.has(b) {
            return self.fail(&format!("Options --{a} and --{b} are mutually exclusive"));
        }
        Ok(())
    }

    /// `VSH_REQUIRE_OPTION`.
    pub fn requires(&mut self, cmd: &Cmd, a: &str, b: &str) -> Result<(), Failed> {
        if cmd.has(a) && !cmd.has(b) {
            return self.fail(&format!("Option --{a} is required by option --{b}"));
        }
        Ok(())
    }

    /// Reads a file as virsh does (`virFileReadAll`), with libvirt's message.
    pub fn read_file(&mut self, path: &str) -> Result<String, Failed> {
        match std::fs::read(path) {
            Ok(b) if b.len() > 10 * 1024 * 1024 => {
                let e = Error::new(
                    ErrorDomain::NONE,
                    ErrorCode::INTERNAL_ERROR,
                    format!("file {path} is too large"),
                );
                self.last_error = Some(e);
                Err(Failed)
            }
            Ok(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
            Err(e) => {
                let detail = if e.kind() == std::io::ErrorKind::NotFound
                    || e.kind() == std::io::ErrorKind::PermissionDenied
                {
                    format!("Failed to open file '{path}'")
                } else {
                    format!("Failed to read file '{path}'")
                };
                self.last_error = Some(oxvirt_client::error::system(ErrorDomain::NONE, detail, &e));
                Err(Failed)
            }
        }
    }
}
