//! The commands every vsh-style shell has: `help`, `quit`/`exit`, `cd`,
//! `pwd` and `echo`.

use crate::out;
use crate::vsh::{self, Cmd, CmdResult, Failed, Kind, Shell};

/// `help [command|group]`.
pub fn help<S: Shell>(ctl: &mut S, cmd: &Cmd<S>) -> CmdResult {
    let Some(name) = cmd.string(ctl, "command")? else {
        out!(ctl, "Grouped commands:\n\n");
        for g in S::groups() {
            out!(ctl, " {} (help keyword '{}'):\n", g.name, g.keyword);
            for c in g.cmds.iter().filter(|c| c.flags & vsh::flags::ALIAS == 0) {
                out!(ctl, "    {:<30} {}\n", c.name, c.help);
            }
            out!(ctl, "\n");
        }
        return Ok(());
    };
    if let Some(def) = vsh::find_cmd::<S>(name) {
        out!(
            ctl,
            "  NAME\n    {} - {}\n\n  SYNOPSIS\n    {}",
            def.name,
            def.help,
            def.name
        );
        for o in def.opts {
            let s = match o.kind {
                Kind::Bool => format!(" [--{}]", o.name),
                Kind::Int if o.required => format!(" <{}>", o.name),
                Kind::Int => format!(" [--{} <number>]", o.name),
                Kind::String => format!(" [--{} <string>]", o.name),
                Kind::Data if o.required => format!(" <{}>", o.name),
                Kind::Data => format!(" [<{}>]", o.name),
                Kind::Argv if o.required => format!(" <{}>...", o.name),
                Kind::Argv => format!(" [<{}>]...", o.name),
                Kind::Alias(_) => continue,
            };
            out!(ctl, "{s}");
        }
        out!(ctl, "\n\n");
        if def.opts.iter().any(|o| !matches!(o.kind, Kind::Alias(_))) {
            out!(ctl, "  OPTIONS\n");
            for o in def.opts {
                let s = match o.kind {
                    Kind::Bool => format!("--{}", o.name),
                    Kind::Int if o.required => format!("[--{}] <number>", o.name),
                    Kind::Int => format!("--{} <number>", o.name),
                    Kind::String => format!("--{} <string>", o.name),
                    Kind::Data => format!("[--{}] <string>", o.name),
                    Kind::Argv => format!("<{}>", o.name),
                    Kind::Alias(_) => continue,
                };
                out!(ctl, "    {s}\n");
            }
            out!(ctl, "\n");
        }
        return Ok(());
    }
    if let Some(g) = S::groups()
        .iter()
        .find(|g| g.name == name || g.keyword == name)
    {
        out!(ctl, " {} (help keyword '{}'):\n", g.name, g.keyword);
        for c in g.cmds.iter().filter(|c| c.flags & vsh::flags::ALIAS == 0) {
            out!(ctl, "    {:<30} {}\n", c.name, c.help);
        }
        return Ok(());
    }
    ctl.error(&format!("command or command group '{name}' doesn't exist"));
    Err(Failed)
}

/// `quit`, `exit`.
pub fn quit<S: Shell>(ctl: &mut S, _cmd: &Cmd<S>) -> CmdResult {
    ctl.set_interactive(false);
    Ok(())
}

/// `cd [dir]`: interactive mode only.
pub fn cd<S: Shell>(ctl: &mut S, cmd: &Cmd<S>) -> CmdResult {
    if !ctl.interactive() {
        ctl.error("cd: command valid only in interactive mode");
        return Err(Failed);
    }
    let dir = match cmd.string(ctl, "dir")? {
        Some(d) => d.to_owned(),
        None => oxvirt_client::config::home_dir().display().to_string(),
    };
    if let Err(e) = std::env::set_current_dir(&dir) {
        ctl.error(&format!(
            "cd: {}: {}",
            oxvirt_client::error::strerror(&e),
            dir
        ));
        return Err(Failed);
    }
    Ok(())
}

/// `pwd`.
pub fn pwd<S: Shell>(ctl: &mut S, _cmd: &Cmd<S>) -> CmdResult {
    match std::env::current_dir() {
        Ok(d) => {
            out!(ctl, "{}\n", d.display());
            Ok(())
        }
        Err(e) => {
            ctl.error(&format!(
                "pwd: cannot get current directory: {}",
                oxvirt_client::error::strerror(&e)
            ));
            Err(Failed)
        }
    }
}

fn escape_xml(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

/// `echo [--shell] [--xml] [--split] [--err] args…`: arguments joined by
/// blanks, or with `--split` their comma-separated pieces one per line.
pub fn echo<S: Shell>(ctl: &mut S, cmd: &Cmd<S>) -> CmdResult {
    let shell = cmd.flag("shell");
    let xml = cmd.flag("xml");
    let split = cmd.flag("split");
    let err = cmd.flag("err");
    let escape = |w: &str| {
        let mut w = w.to_owned();
        if xml {
            w = escape_xml(&w);
        }
        if shell {
            w = oxvirt_client::transport::escape_shell(&w);
        }
        w
    };
    let mut line = String::new();
    for a in cmd.argv("string") {
        if split {
            for piece in split_commas(a) {
                line.push_str(&escape(&piece));
                line.push('\n');
            }
        } else {
            line.push_str(&escape(a));
            line.push(' ');
        }
    }
    let line = line.trim_end_matches(' ');
    if err {
        ctl.error(line);
    } else {
        // The newline that ends every command's output ends this line.
        out!(ctl, "{line}");
    }
    Ok(())
}

/// virsh's comma splitting: `,,` is a literal comma.
pub fn split_commas(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ',' {
            if chars.peek() == Some(&',') {
                chars.next();
                if let Some(l) = out.last_mut() {
                    l.push(',');
                }
            } else {
                out.push(String::new());
            }
        } else if let Some(l) = out.last_mut() {
            l.push(c);
        }
    }
    out
}
