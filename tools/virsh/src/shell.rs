//! The interactive shell: a banner, `virsh # ` prompts (`virsh > ` when
//! read-only), history in `~/.cache/virsh/history` (`VIRSH_HISTSIZE` lines,
//! default 500) and completion of command and option names.

use crate::out;
use crate::vsh::{self, Kind, Shell};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::io::{BufRead, Write};
use std::marker::PhantomData;

/// Completes command names, then the options of the command being typed.
struct VirshHelper<S>(PhantomData<S>);

impl<S: Shell> Completer for VirshHelper<S> {
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
            for g in S::groups() {
                for c in g.cmds.iter().filter(|c| c.name.starts_with(word)) {
                    out.push(Pair {
                        display: c.name.to_owned(),
                        replacement: format!("{} ", c.name),
                    });
                }
            }
        } else if let Some(def) = vsh::find_cmd::<S>(words[0]) {
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

impl<S: Shell> Hinter for VirshHelper<S> {
    type Hint = String;
}
impl<S: Shell> Highlighter for VirshHelper<S> {}
impl<S: Shell> Validator for VirshHelper<S> {}
impl<S: Shell> Helper for VirshHelper<S> {}

/// How a program's interactive mode looks.
pub struct Interactive<S> {
    /// The program's name, for `~/.cache/<name>/history`.
    pub name: &'static str,
    /// What the program calls itself in the welcome line.
    pub title: &'static str,
    /// The prompt for the current state.
    pub prompt: fn(&S) -> &'static str,
    /// Parses and runs one line.
    pub run_line: fn(&mut S, &str),
}

fn history_path(name: &str) -> std::path::PathBuf {
    oxvirt_client::config::user_cache_dir().join(format!("{name}/history"))
}

/// Runs the interactive loop until `quit` or end of input.
pub fn run<S: Shell>(ctl: &mut S, how: &Interactive<S>) {
    if !ctl.quiet() {
        out!(
            ctl,
            "Welcome to {}, the {} interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n",
            how.name,
            how.title
        );
    }
    // SAFETY: isatty only inspects the descriptor.
    let tty = unsafe { libc::isatty(0) == 1 };
    if !tty {
        run_piped(ctl, how);
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
    let Ok(mut rl) =
        Editor::<VirshHelper<S>, rustyline::history::DefaultHistory>::with_config(config)
    else {
        run_piped(ctl, how);
        return;
    };
    rl.set_helper(Some(VirshHelper(PhantomData)));
    let hist = history_path(how.name);
    let _ = rl.load_history(&hist);
    while ctl.interactive() {
        match rl.readline((how.prompt)(ctl)) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = rl.add_history_entry(line.as_str());
                    (how.run_line)(ctl, &line);
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(_) => break,
        }
    }
    // A line break after the last prompt, whether quit or end of input.
    out!(ctl, "\n");
    if let Some(dir) = hist.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = rl.save_history(&hist);
}

/// Input from a pipe: the prompt and the line are echoed, as readline does.
fn run_piped<S: Shell>(ctl: &mut S, how: &Interactive<S>) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    while ctl.interactive() {
        out!(ctl, "{}", (how.prompt)(ctl));
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match lines.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let l = line.trim_end_matches('\n').to_owned();
                out!(ctl, "{l}\n");
                if !l.is_empty() {
                    (how.run_line)(ctl, &l);
                }
            }
        }
    }
    // A line break after the last prompt, whether quit or end of input.
    out!(ctl, "\n");
    let _ = std::io::stdout().flush();
}
