//! The interactive shell: a banner, `virsh # ` prompts (`virsh > ` when
//! read-only), history in `~/.cache/virsh/history` (`VIRSH_HISTSIZE` lines,
//! default 500) and completion of command and option names.

use crate::ctl::Ctl;
use crate::vsh::{self, Kind};
use crate::{out, run_cmds};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::io::{BufRead, Write};

/// Completes command names, then the options of the command being typed.
struct VirshHelper;

impl Completer for VirshHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let start = before.rfind([' ', '\t', ';']).map_or(0, |i| i + 1);
        let word = &before[start..];
        let cmd_start = before.rfind(';').map_or(0, |i| i + 1);
        let words: Vec<&str> = before[cmd_start..start].split_whitespace().collect();
        let mut out = Vec::new();
        if words.is_empty() {
            for g in crate::cmds::groups() {
                for c in g.cmds.iter().filter(|c| c.name.starts_with(word)) {
                    out.push(Pair {
                        display: c.name.to_owned(),
                        replacement: format!("{} ", c.name),
                    });
                }
            }
        } else if let Some(def) = vsh::find_cmd(words[0]) {
            if word.is_empty() || word.starts_with('-') {
                for o in def.opts {
                    if matches!(o.kind, Kind::Alias(_)) {
                        continue;
                    }
                    let name = format!("--{}", o.name);
                    let given = words.iter().any(|w| *w == name);
                    if name.starts_with(word) && (!given || o.kind == Kind::Argv) {
                        out.push(Pair {
                            display: name.clone(),
                            replacement: format!("{name} "),
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| a.display.cmp(&b.display));
        out.dedup_by(|a, b| a.display == b.display);
        Ok((start, out))
    }
}

impl Hinter for VirshHelper {
    type Hint = String;
}
impl Highlighter for VirshHelper {}
impl Validator for VirshHelper {}
impl Helper for VirshHelper {}

fn history_path() -> std::path::PathBuf {
    oxvirt_client::config::user_cache_dir().join("virsh/history")
}

fn prompt(ctl: &Ctl) -> &'static str {
    if ctl.readonly {
        "virsh > "
    } else {
        "virsh # "
    }
}

fn run_line(ctl: &mut Ctl, line: &str) {
    if let Ok(p) = vsh::parse_string(ctl, line) {
        run_cmds(ctl, p.cmds);
    }
}

/// Runs the interactive loop until `quit` or end of input.
pub fn run(ctl: &mut Ctl) {
    if !ctl.quiet {
        out!(
            ctl,
            "Welcome to virsh, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n"
        );
    }
    // SAFETY: isatty only inspects the descriptor.
    let tty = unsafe { libc::isatty(0) == 1 };
    if !tty {
        run_piped(ctl);
        return;
    }
    let size = std::env::var("VIRSH_HISTSIZE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n <= 100_000)
        .unwrap_or(500);
    let config = match rustyline::Config::builder().max_history_size(size) {
        Ok(b) => b.build(),
        Err(_) => rustyline::Config::default(),
    };
    let Ok(mut rl) = Editor::<VirshHelper, rustyline::history::DefaultHistory>::with_config(config)
    else {
        run_piped(ctl);
        return;
    };
    rl.set_helper(Some(VirshHelper));
    let hist = history_path();
    let _ = rl.load_history(&hist);
    while ctl.imode {
        match rl.readline(prompt(ctl)) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = rl.add_history_entry(line.as_str());
                    run_line(ctl, &line);
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(_) => {
                out!(ctl, "\n");
                break;
            }
        }
    }
    if let Some(dir) = hist.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = rl.save_history(&hist);
}

/// Input from a pipe: the prompt and the line are echoed, as readline does.
fn run_piped(ctl: &mut Ctl) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    while ctl.imode {
        out!(ctl, "{}", prompt(ctl));
        ctl.flush();
        let mut line = String::new();
        match lines.read_line(&mut line) {
            Ok(0) | Err(_) => {
                out!(ctl, "\n");
                break;
            }
            Ok(_) => {
                let l = line.trim_end_matches('\n').to_owned();
                out!(ctl, "{l}\n");
                if !l.is_empty() {
                    run_line(ctl, &l);
                }
            }
        }
    }
    let _ = std::io::stdout().flush();
}
