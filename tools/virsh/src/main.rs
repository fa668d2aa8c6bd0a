//! `virsh`: libvirt's command line tool, reimplemented on oxvirt-client.
//!
//! Same commands, options, output and exit codes as virsh 9.0:
//! `virsh [options] [command_string]`, `virsh [options] command [args…]`, or
//! an interactive shell with history and completion when no command is given.

mod cmds;
mod ctl;
mod opts;
mod progress;

use ctl::{Cmd, Ctl};
use oxvirt_client::{ErrorCode, ErrorDomain};
use oxvirt_virsh::{builtins, extra, out, shell, table, vsh};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::time::Instant;
use vsh::flags;

const USAGE: &str = "
virsh [options]... [<command_string>]
virsh [options]... <command> [args...]

  options:
    -c | --connect=URI      hypervisor connection URI
    -d | --debug=NUM        debug level [0-4]
    -e | --escape <char>    set escape sequence for console
    -h | --help             this help
    -k | --keepalive-interval=NUM
                            keepalive interval in seconds, 0 for disable
    -K | --keepalive-count=NUM
                            number of possible missed keepalive messages
    -l | --log=FILE         output logging to file
    -q | --quiet            quiet mode
    -r | --readonly         connect readonly
    -t | --timing           print timing information
    -v                      short version
    -V                      long version
         --version[=TYPE]   version, TYPE is short or long (default short)
  commands (non interactive mode):
";

fn print_usage(ctl: &mut Ctl) {
    out!(ctl, "{USAGE}");
    for g in cmds::groups() {
        out!(ctl, " {} (help keyword '{}')\n", g.name, g.keyword);
        for c in g.cmds.iter().filter(|c| c.flags & vsh::flags::ALIAS == 0) {
            out!(ctl, "    {:<30} {}\n", c.name, c.help);
        }
        out!(ctl, "\n");
    }
    out!(
        ctl,
        "  (specify help <group> for details about the commands in the group)\n\n  (specify help <command> for details about the command)\n\n"
    );
}

fn long_version(ctl: &mut Ctl) {
    out!(
        ctl,
        "Virsh command line tool of libvirt {}\nSee web site at https://libvirt.org/\n\nCompiled with support for:\n Hypervisors: QEMU/KVM Test\n Networking: Remote Network Bridging Interface\n Storage: Dir\n Miscellaneous: Daemon Secrets Debug Readline\n",
        oxvirt_core::LIBVIRT_VERSION_STR
    );
}

/// Long options: (name, short letter, takes an argument).
const LONG: &[(&str, char, u8)] = &[
    ("connect", 'c', 1),
    ("debug", 'd', 1),
    ("escape", 'e', 1),
    ("help", 'h', 0),
    ("keepalive-interval", 'k', 1),
    ("keepalive-count", 'K', 1),
    ("log", 'l', 1),
    ("quiet", 'q', 0),
    ("readonly", 'r', 0),
    ("timing", 't', 0),
    ("version", 'v', 2),
];

enum Early {
    Exit(i32),
    Continue(Vec<String>),
}

/// `virshParseArgv`'s option part: getopt_long with `+:c:d:e:hk:K:l:qrtvV`.
fn parse_options(ctl: &mut Ctl, args: &[String]) -> Early {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        let (opt, long_name, mut value): (char, Option<&str>, Option<String>) =
            if let Some(long) = a.strip_prefix("--") {
                let (name, v) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_owned())),
                    None => (long, None),
                };
                let matches: Vec<&(&str, char, u8)> = LONG
                    .iter()
                    .filter(|(n, _, _)| *n == name || n.starts_with(name))
                    .collect();
                let exact = LONG.iter().find(|(n, _, _)| *n == name);
                let found = exact.or(if matches.len() == 1 {
                    Some(matches[0])
                } else {
                    None
                });
                let Some((n, c, _)) = found else {
                    ctl.error(&format!("unsupported option '{a}'. See --help."));
                    return Early::Exit(1);
                };
                (*c, Some(n), v)
            } else if a.len() > 1 && a.starts_with('-') {
                let mut chars = a[1..].chars();
                let c = chars.next().unwrap_or('-');
                let rest: String = chars.collect();
                if !"cdehkKlqrtvV".contains(c) {
                    ctl.error(&format!("unsupported option '-{c}'. See --help."));
                    return Early::Exit(1);
                }
                let takes = "cdekKl".contains(c);
                if !takes && !rest.is_empty() {
                    // Bundled flags such as -qr.
                    let mut expanded = vec![format!("-{c}")];
                    expanded.extend(rest.chars().map(|r| format!("-{r}")));
                    let mut tail = args[..i].to_vec();
                    tail.extend(expanded);
                    tail.extend(args[i + 1..].iter().cloned());
                    return parse_options(ctl, &tail);
                }
                (c, None, if rest.is_empty() { None } else { Some(rest) })
            } else {
                break;
            };
        let takes = match LONG.iter().find(|(_, c, _)| *c == opt) {
            Some((_, _, t)) if opt == 'v' && long_name.is_none() => {
                let _ = t;
                0
            }
            Some((_, _, t)) => *t,
            None => 0,
        };
        if takes == 1 && value.is_none() {
            i += 1;
            match args.get(i) {
                Some(v) => value = Some(v.clone()),
                None => {
                    let long = LONG
                        .iter()
                        .find(|(_, c, _)| *c == opt)
                        .map_or("", |(n, _, _)| n);
                    ctl.error(&format!("option '-{opt}'/'--{long}' requires an argument"));
                    return Early::Exit(1);
                }
            }
        }
        let v = value.unwrap_or_default();
        match opt {
            'c' => ctl.connname = Some(v),
            'd' => match vsh::parse_c_number::<i32>(&v) {
                Some(d) if (0..=4).contains(&d) => ctl.debug = d,
                Some(d) => ctl.error(&format!("ignoring debug level {d} out of range [0-4]")),
                None => {
                    ctl.error("option -d takes a numeric argument");
                    return Early::Exit(1);
                }
            },
            'e' => {
                if !cmds::console::valid_escape(&v) {
                    ctl.error(&format!("Invalid string '{v}' for escape sequence"));
                    return Early::Exit(1);
                }
                ctl.escape = v;
            }
            'h' => {
                print_usage(ctl);
                return Early::Exit(0);
            }
            'k' | 'K' => {
                let flag = match (opt, long_name) {
                    (_, Some(n)) => format!("--{n}"),
                    (c, None) => format!("-{c}"),
                };
                let Some(n) = vsh::parse_c_number::<i32>(&v) else {
                    ctl.error(&format!("Invalid value for option {flag}"));
                    return Early::Exit(1);
                };
                if n < 0 {
                    ctl.error(&format!(
                        "option {flag} requires a positive integer argument"
                    ));
                    return Early::Exit(1);
                }
                if opt == 'k' {
                    ctl.keepalive_interval = n as u32;
                } else {
                    ctl.keepalive_count = n as u32;
                }
                ctl.keepalive_forced = true;
            }
            'l' => {}
            'q' => ctl.quiet = true,
            'r' => ctl.readonly = true,
            't' => ctl.timing = true,
            'v' => {
                if long_name.is_some() && v == "long" {
                    long_version(ctl);
                } else if long_name.is_some() && !v.is_empty() && v != "short" {
                    ctl.error(&format!("unknown version type '{v}'"));
                    return Early::Exit(1);
                } else {
                    out!(ctl, "{}\n", oxvirt_core::LIBVIRT_VERSION_STR);
                }
                return Early::Exit(0);
            }
            'V' => {
                long_version(ctl);
                return Early::Exit(0);
            }
            _ => {}
        }
        i += 1;
    }
    Early::Continue(args[i..].to_vec())
}

/// `vshCommandRun`: runs the commands in order; the status is the last one's.
pub fn run_cmds(ctl: &mut Ctl, cmds: Vec<Cmd>) -> bool {
    let mut ret = true;
    for cmd in cmds {
        let start = Instant::now();
        ctl.last_error = None;
        ret = if cmd.def.flags & flags::NOCONNECT != 0 || ctl.ensure_connection().is_ok() {
            (cmd.def.handler)(ctl, &cmd).is_ok()
        } else {
            false
        };
        let elapsed = start.elapsed();
        if !ret {
            if let Some(e) = &ctl.last_error {
                if (e.code == ErrorCode::SYSTEM_ERROR && e.domain == ErrorDomain::REMOTE)
                    || e.code == ErrorCode::RPC
                    || e.code == ErrorCode::NO_CONNECT
                    || e.code == ErrorCode::INVALID_CONN
                {
                    ctl.shared.disconnected.store(true, Ordering::Release);
                }
            }
            ctl.report_error();
        }
        if cmd.def.name == "quit" || cmd.def.name == "exit" {
            return ret;
        }
        if ctl.timing {
            out!(
                ctl,
                "\n(Time: {:.3} ms)\n\n",
                elapsed.as_secs_f64() * 1000.0
            );
        } else {
            extra!(ctl, "\n");
        }
        ctl.flush();
    }
    ret
}

fn main() {
    let code = run();
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

fn run() -> i32 {
    let mut ctl = Ctl::new();
    if let Ok(u) = std::env::var("VIRSH_DEFAULT_CONNECT_URI") {
        if !u.is_empty() {
            ctl.connname = Some(u);
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = match parse_options(&mut ctl, &args) {
        Early::Exit(code) => return code,
        Early::Continue(rest) => rest,
    };
    let parsed = if rest.is_empty() {
        None
    } else {
        ctl.imode = false;
        let p = if rest.len() == 1 {
            vsh::parse_string(&mut ctl, &rest[0])
        } else {
            vsh::parse_argv(&mut ctl, rest)
        };
        match p {
            Ok(p) => Some(p),
            Err(_) => return 1,
        }
    };
    if ctl.connname.is_some() {
        let ro = ctl.readonly;
        if ctl.reconnect(None, ro, false).is_err() {
            ctl.report_error();
            ctl.disconnect();
            return 1;
        }
    }
    let ok = match parsed {
        Some(p) => run_cmds(&mut ctl, p.cmds),
        None => {
            let how = shell::Interactive {
                name: "virsh",
                title: "virtualization",
                prompt: |c: &Ctl| if c.readonly { "virsh > " } else { "virsh # " },
                run_line: |c: &mut Ctl, line: &str| {
                    if let Ok(p) = vsh::parse_string(c, line) {
                        run_cmds(c, p.cmds);
                    }
                },
            };
            shell::run(&mut ctl, &how);
            true
        }
    };
    ctl.disconnect();
    if ok {
        0
    } else {
        1
    }
}
