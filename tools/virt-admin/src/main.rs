//! `virt-admin`: libvirt's daemon administration tool on oxvirt-client.
//!
//! Same commands, options, output and exit codes as virt-admin 9.0
//! (`server-list`, `server-threadpool-info/-set`, `client-list`,
//! `client-info`, `client-disconnect`, `server-clients-info/-set`,
//! `daemon-log-filters/-outputs`, `daemon-timeout`, `server-update-tls`, and
//! their `srv-*` aliases), plus `dmn-log-info` and `dmn-log-define`, which
//! show and set filters and outputs together.

mod cmds;

use oxvirt_client::{AdminConnect, Error, Wait};
use oxvirt_virsh::vsh::{self, flags, CmdGroup, Failed, Shell};
use oxvirt_virsh::{extra, out, shell};
use std::fmt;
use std::io::Write;

/// A parsed virt-admin command.
pub type Cmd = vsh::Cmd<Adm>;

/// The state of one virt-admin run.
pub struct Adm {
    pub conn: Option<AdminConnect>,
    pub connname: Option<String>,
    pub quiet: bool,
    pub imode: bool,
    pub last_error: Option<Error>,
}

impl Shell for Adm {
    fn groups() -> &'static [CmdGroup<Adm>] {
        cmds::groups()
    }

    fn error(&mut self, msg: &str) {
        let _ = std::io::stdout().flush();
        let _ = writeln!(std::io::stderr(), "error: {msg}");
    }

    fn set_lib_error(&mut self, e: Error) {
        self.last_error = Some(e);
    }

    fn print(&self, args: fmt::Arguments<'_>) {
        let _ = std::io::stdout().lock().write_fmt(args);
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

impl Adm {
    /// Runs a library call, keeping its error for the end of the command.
    pub fn wait<T>(
        &mut self,
        f: impl std::future::Future<Output = oxvirt_client::Result<T>>,
    ) -> Result<T, Failed> {
        f.wait().map_err(|e| {
            self.last_error = Some(e);
            Failed
        })
    }

    /// Prints `msg` as an error and fails.
    pub fn fail<T>(&mut self, msg: &str) -> Result<T, Failed> {
        Shell::error(self, msg);
        Err(Failed)
    }

    /// The connection.
    pub fn conn(&mut self) -> Result<AdminConnect, Failed> {
        match &self.conn {
            Some(c) => Ok(c.clone()),
            None => self.fail("no valid connection"),
        }
    }

    /// `vshAdmReconnect`.
    pub fn reconnect(&mut self, name: Option<&str>) -> Result<(), Failed> {
        let connected = self.conn.is_some();
        if let Some(c) = self.conn.take() {
            let _ = c.close().wait();
        }
        let uri = name.map(str::to_owned).or_else(|| self.connname.clone());
        match AdminConnect::open(uri.as_deref()).wait() {
            Ok(c) => {
                if let Some(n) = name {
                    self.connname = Some(n.to_owned());
                }
                self.conn = Some(c);
                if connected {
                    out!(self, "Reconnected to the admin server\n");
                }
                Ok(())
            }
            Err(e) => {
                self.last_error = Some(e);
                self.fail("Failed to connect to the admin server")
            }
        }
    }

    fn report_error(&mut self) {
        if let Some(e) = self.last_error.take() {
            Shell::error(self, &e.message);
        }
    }
}

const USAGE: &str = "
virt-admin [options]... [<command_string>]
virt-admin [options]... <command> [args...]

  options:
    -c | --connect=URI      daemon admin connection URI
    -d | --debug=NUM        debug level [0-4]
    -h | --help             this help
    -l | --log=FILE         output logging to file
    -q | --quiet            quiet mode
    -v                      short version
    -V                      long version
         --version[=TYPE]   version, TYPE is short or long (default short)
  commands (non interactive mode):
";

/// `vshCommandRun` for virt-admin.
fn run_cmds(adm: &mut Adm, cmds: Vec<Cmd>) -> bool {
    let mut ret = true;
    for cmd in cmds {
        adm.last_error = None;
        ret = if cmd.def.flags & flags::NOCONNECT != 0 {
            (cmd.def.handler)(adm, &cmd).is_ok()
        } else {
            if adm.conn.is_none() {
                let _ = adm.reconnect(None);
            }
            if adm.conn.is_none() {
                adm.report_error_keep("no valid connection");
                false
            } else {
                (cmd.def.handler)(adm, &cmd).is_ok()
            }
        };
        if !ret {
            adm.report_error();
        }
        if cmd.def.name == "quit" || cmd.def.name == "exit" {
            return ret;
        }
        extra!(adm, "\n");
        let _ = std::io::stdout().flush();
    }
    ret
}

impl Adm {
    /// Prints `msg` before the pending library error.
    fn report_error_keep(&mut self, msg: &str) {
        Shell::error(self, msg);
    }
}

enum Early {
    Exit(i32),
    Continue(Vec<String>),
}

fn parse_options(adm: &mut Adm, args: &[String]) -> Early {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        let (opt, inline): (char, Option<String>) = if let Some(long) = a.strip_prefix("--") {
            let (name, v) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let known = [
                ("connect", 'c'),
                ("debug", 'd'),
                ("help", 'h'),
                ("log", 'l'),
                ("quiet", 'q'),
                ("version", 'v'),
            ];
            let found: Vec<_> = known
                .iter()
                .filter(|(n, _)| *n == name || n.starts_with(name))
                .collect();
            match found.as_slice() {
                [(n, c)] if *c == 'v' => {
                    let long = v.as_deref() == Some("long");
                    let _ = n;
                    if long {
                        out!(adm, "{}\n", long_version());
                    } else {
                        out!(adm, "{}\n", oxvirt_core::LIBVIRT_VERSION_STR);
                    }
                    return Early::Exit(0);
                }
                [(_, c)] => (*c, v),
                _ => {
                    adm.error(&format!("unsupported option '{a}'. See --help."));
                    return Early::Exit(1);
                }
            }
        } else if a.len() > 1 && a.starts_with('-') {
            let c = a[1..].chars().next().unwrap_or('-');
            if !"cdhlqvV".contains(c) {
                adm.error(&format!("unsupported option '-{c}'. See --help."));
                return Early::Exit(1);
            }
            let rest = &a[1 + c.len_utf8()..];
            (c, (!rest.is_empty()).then(|| rest.to_owned()))
        } else {
            break;
        };
        let needs = "cdl".contains(opt);
        let value = if needs {
            match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    match args.get(i) {
                        Some(v) => v.clone(),
                        None => {
                            let long = match opt {
                                'c' => "connect",
                                'd' => "debug",
                                _ => "log",
                            };
                            adm.error(&format!("option '-{opt}'/'--{long}' requires an argument"));
                            return Early::Exit(1);
                        }
                    }
                }
            }
        } else {
            String::new()
        };
        match opt {
            'c' => adm.connname = Some(value),
            'q' => adm.quiet = true,
            'h' => {
                out!(adm, "{USAGE}");
                for g in cmds::groups() {
                    out!(adm, " {} (help keyword '{}')\n", g.name, g.keyword);
                    for c in g.cmds.iter().filter(|c| c.flags & vsh::flags::ALIAS == 0) {
                        out!(adm, "    {:<30} {}\n", c.name, c.help);
                    }
                    out!(adm, "\n");
                }
                return Early::Exit(0);
            }
            'v' => {
                out!(adm, "{}\n", oxvirt_core::LIBVIRT_VERSION_STR);
                return Early::Exit(0);
            }
            'V' => {
                out!(adm, "{}\n", long_version());
                return Early::Exit(0);
            }
            _ => {}
        }
        i += 1;
    }
    Early::Continue(args[i..].to_vec())
}

fn long_version() -> String {
    format!(
        "Virt-admin command line tool of libvirt {}\nSee web site at https://libvirt.org/\n\nCompiled with support for: Daemon Debug Readline",
        oxvirt_core::LIBVIRT_VERSION_STR
    )
}

fn main() {
    let code = run();
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

fn run() -> i32 {
    let mut adm = Adm {
        conn: None,
        connname: None,
        quiet: false,
        imode: true,
        last_error: None,
    };
    if let Ok(u) = std::env::var("LIBVIRT_DEFAULT_ADMIN_URI") {
        if !u.is_empty() {
            adm.connname = Some(u);
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = match parse_options(&mut adm, &args) {
        Early::Exit(c) => return c,
        Early::Continue(r) => r,
    };
    let parsed = if rest.is_empty() {
        None
    } else {
        adm.imode = false;
        let p = if rest.len() == 1 {
            vsh::parse_string(&mut adm, &rest[0])
        } else {
            vsh::parse_argv(&mut adm, rest)
        };
        match p {
            Ok(p) => Some(p),
            Err(_) => return 1,
        }
    };
    if adm.connname.is_some() && adm.reconnect(None).is_err() {
        adm.report_error();
        return 1;
    }
    let ok = match parsed {
        Some(p) => run_cmds(&mut adm, p.cmds),
        None => {
            let how = shell::Interactive {
                name: "virt-admin",
                title: "administrating virtualization",
                prompt: |_: &Adm| "virt-admin # ",
                run_line: |a: &mut Adm, line: &str| {
                    if let Ok(p) = vsh::parse_string(a, line) {
                        run_cmds(a, p.cmds);
                    }
                },
            };
            shell::run(&mut adm, &how);
            true
        }
    };
    if let Some(c) = adm.conn.take() {
        let _ = c.close().wait();
    }
    if ok {
        0
    } else {
        1
    }
}
