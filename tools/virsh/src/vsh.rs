//! virsh's command language: definitions, tokenizer, parser and option access.
//!
//! A command line is a list of commands separated by `;` or newlines, each a
//! name followed by options. `--name value`, `--name=value` and bare values
//! (filling the positional options in definition order) are accepted, `--`
//! ends option parsing, `#` starts a comment, and quoting follows the shell:
//! `'…'` is literal, `"…"` allows `\` escapes. Given as separate program
//! arguments (`virsh cmd arg…`), each argument is one token and `;` is data.
//! The error messages are virsh's own.

use std::fmt;

/// What the command language needs from the program using it: its command
/// table, and how it prints and records errors.
pub trait Shell: Sized + 'static {
    /// Every command group, in `help` order.
    fn groups() -> &'static [CmdGroup<Self>];
    /// `vshError`: prints `error: msg` at once.
    fn error(&mut self, msg: &str);
    /// Keeps a library error to print if the command fails.
    fn set_lib_error(&mut self, e: oxvirt_client::Error);
    /// `vshPrint`.
    fn print(&self, args: fmt::Arguments<'_>);
    /// `-q`.
    fn quiet(&self) -> bool;
    /// Interactive mode; `quit` ends it.
    fn interactive(&self) -> bool;
    fn set_interactive(&mut self, on: bool);
}

/// The kind of an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A flag without a value.
    Bool,
    /// A string value.
    String,
    /// A numeric value (checked when the command reads it).
    Int,
    /// A string value shown as `<name>` (usually positional and required).
    Data,
    /// Every remaining positional value.
    Argv,
    /// Another name for the option given (`name` or `name=value`).
    Alias(&'static str),
}

/// One option of a command.
#[derive(Debug, Clone, Copy)]
pub struct OptDef {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Whether a bare value may fill it.
    pub positional: bool,
}

impl OptDef {
    pub const fn new(name: &'static str, kind: Kind, required: bool, positional: bool) -> Self {
        OptDef {
            name,
            kind,
            required,
            positional,
        }
    }
}

/// A flag.
pub const fn flag(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::Bool, false, false)
}
/// A required positional string.
pub const fn data(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::Data, true, true)
}
/// An optional string that may be given positionally.
pub const fn string(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::String, false, true)
}
/// An optional string that must be named.
pub const fn named(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::String, false, false)
}
/// An optional number that may be given positionally.
pub const fn int(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::Int, false, true)
}
/// An optional number that must be named.
pub const fn int_named(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::Int, false, false)
}
/// A required positional number.
pub const fn int_req(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::Int, true, true)
}
/// The remaining values.
pub const fn argv(name: &'static str) -> OptDef {
    OptDef::new(name, Kind::Argv, false, true)
}
/// Another name for an option.
pub const fn alias(name: &'static str, to: &'static str) -> OptDef {
    OptDef::new(name, Kind::Alias(to), false, false)
}

/// The result of a command handler; the error was already reported or is
/// pending in the [`Shell`].
pub type CmdResult = Result<(), Failed>;

/// A command failed.
#[derive(Debug, Clone, Copy)]
pub struct Failed;

/// A command handler.
pub type Handler<S> = fn(&mut S, &Cmd<S>) -> CmdResult;

/// Command flags.
pub mod flags {
    /// Runs without a connection.
    pub const NOCONNECT: u32 = 1;
    /// Hidden from `help`: another name of a command.
    pub const ALIAS: u32 = 2;
}

/// One command.
pub struct CmdDef<S: 'static> {
    pub name: &'static str,
    pub opts: &'static [OptDef],
    pub handler: Handler<S>,
    pub flags: u32,
    /// One line for `help`.
    pub help: &'static str,
    /// For aliases: the real command.
    pub alias_of: Option<&'static str>,
}

/// A group of commands, as `help` lists them.
pub struct CmdGroup<S: 'static> {
    pub name: &'static str,
    pub keyword: &'static str,
    pub cmds: &'static [CmdDef<S>],
}

/// A parsed command.
pub struct Cmd<S: 'static> {
    pub def: &'static CmdDef<S>,
    /// (option index, value) in the order given.
    pub opts: Vec<(usize, Option<String>)>,
}

enum Token {
    Arg(String),
    SubEnd,
    End,
}

/// Where tokens come from.
trait Source<S: Shell> {
    fn next(&mut self, ctl: &mut S) -> Result<Token, Failed>;
}

/// Program arguments, one token each.
struct ArgvSource {
    args: std::vec::IntoIter<String>,
}

impl<S: Shell> Source<S> for ArgvSource {
    fn next(&mut self, _ctl: &mut S) -> Result<Token, Failed> {
        Ok(match self.args.next() {
            Some(a) => Token::Arg(a),
            None => Token::End,
        })
    }
}

/// A command string, split as virsh splits it.
pub struct StringSource<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> StringSource<'a> {
    pub fn new(s: &'a str) -> Self {
        StringSource {
            s: s.as_bytes(),
            pos: 0,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    /// The next token; errors are printed unless `quiet`.
    fn token<S: Shell>(&mut self, quiet: bool, ctl: &mut S) -> Result<Token, Failed> {
        let mut p = self.pos;
        while matches!(self.at(p), b' ' | b'\t') || (self.at(p) == b'\\' && self.at(p + 1) == b'\n')
        {
            p += if self.at(p) == b'\\' { 2 } else { 1 };
        }
        match self.at(p) {
            0 => {
                self.pos = p;
                return Ok(Token::End);
            }
            b';' | b'\n' => {
                self.pos = p + 1;
                return Ok(Token::SubEnd);
            }
            b'#' => {
                while !matches!(self.at(p), 0 | b'\n') {
                    p += 1;
                }
                self.pos = if self.at(p) == 0 { p } else { p + 1 };
                return Ok(Token::SubEnd);
            }
            _ => {}
        }
        let (mut sq, mut dq) = (false, false);
        let mut out = Vec::new();
        loop {
            let c = self.at(p);
            if c == 0 {
                break;
            }
            if !sq && !dq && matches!(c, b' ' | b'\t' | b';' | b'\n') {
                break;
            }
            if !dq && c == b'\'' {
                sq = !sq;
                p += 1;
                continue;
            }
            if !sq && c == b'\\' {
                p += 1;
                match self.at(p) {
                    0 => {
                        if !quiet {
                            ctl.error("dangling \\");
                        }
                        return Err(Failed);
                    }
                    b'\n' => {
                        p += 1;
                        continue;
                    }
                    _ => {}
                }
            } else if !sq && c == b'"' {
                dq = !dq;
                p += 1;
                continue;
            }
            out.push(self.at(p));
            p += 1;
        }
        if dq {
            if !quiet {
                ctl.error("missing \"");
            }
            return Err(Failed);
        }
        self.pos = p;
        Ok(Token::Arg(String::from_utf8_lossy(&out).into_owned()))
    }
}

impl<S: Shell> Source<S> for StringSource<'_> {
    fn next(&mut self, ctl: &mut S) -> Result<Token, Failed> {
        self.token(false, ctl)
    }
}

/// Looks a command up by name, following aliases.
pub fn find_cmd<S: Shell>(name: &str) -> Option<&'static CmdDef<S>> {
    let def = S::groups()
        .iter()
        .flat_map(|g| g.cmds.iter())
        .find(|c| c.name == name)?;
    match def.alias_of {
        Some(real) => find_cmd::<S>(real),
        None => Some(def),
    }
}

/// The option called `name`, following aliases; `preset` receives the value
/// an alias of the form `name=value` implies.
fn find_opt<S: Shell>(
    ctl: &mut S,
    def: &'static CmdDef<S>,
    name: &str,
    seen: &mut [bool],
    value: &mut Option<String>,
    quiet: bool,
) -> Result<Option<usize>, Failed> {
    let mut name = name.to_owned();
    let mut aliased = false;
    let mut i = 0;
    while i < def.opts.len() {
        let o = def.opts[i];
        i += 1;
        if o.name != name {
            continue;
        }
        if let Kind::Alias(to) = o.kind {
            if aliased {
                break;
            }
            aliased = true;
            i = 0;
            match to.split_once('=') {
                Some((real, v)) => {
                    if value.is_some() {
                        if !quiet {
                            ctl.error(&format!("invalid '=' after option --{}", o.name));
                        }
                        return Err(Failed);
                    }
                    *value = Some(v.to_owned());
                    name = real.to_owned();
                }
                None => name = to.to_owned(),
            }
            continue;
        }
        let idx = i - 1;
        if seen[idx] && o.kind != Kind::Argv {
            if !quiet {
                ctl.error(&format!("option --{name} already seen"));
            }
            return Err(Failed);
        }
        seen[idx] = true;
        return Ok(Some(idx));
    }
    if name == "help" {
        return Ok(None);
    }
    if def.name != "help" && !quiet {
        ctl.error(&format!(
            "command '{}' doesn't support option --{name}",
            def.name
        ));
    }
    Err(Failed)
}

/// The outcome of parsing a command line.
pub struct Parsed<S: 'static> {
    pub cmds: Vec<Cmd<S>>,
}

/// Parses a command string (`virsh 'cmd1; cmd2'`, interactive lines).
pub fn parse_string<S: Shell>(ctl: &mut S, line: &str) -> Result<Parsed<S>, Failed> {
    parse(ctl, &mut StringSource::new(line))
}

/// Parses program arguments (`virsh cmd arg…`).
pub fn parse_argv<S: Shell>(ctl: &mut S, args: Vec<String>) -> Result<Parsed<S>, Failed> {
    parse(
        ctl,
        &mut ArgvSource {
            args: args.into_iter(),
        },
    )
}

fn parse<S: Shell>(ctl: &mut S, src: &mut dyn Source<S>) -> Result<Parsed<S>, Failed> {
    let mut cmds = Vec::new();
    loop {
        let mut def: Option<&'static CmdDef<S>> = None;
        let mut opts: Vec<(usize, Option<String>)> = Vec::new();
        let mut seen: Vec<bool> = Vec::new();
        let mut filled: Vec<bool> = Vec::new();
        let mut data_only = false;
        let mut help = false;
        let last = loop {
            let tk = src.next(ctl)?;
            let arg = match tk {
                Token::Arg(a) => a,
                other => break other,
            };
            let Some(d) = def else {
                if arg.starts_with('#') {
                    let t = loop {
                        match src.next(ctl)? {
                            Token::Arg(_) => continue,
                            other => break other,
                        }
                    };
                    break t;
                }
                match find_cmd::<S>(&arg) {
                    Some(c) => {
                        def = Some(c);
                        seen = vec![false; c.opts.len()];
                        filled = vec![false; c.opts.len()];
                    }
                    None => {
                        ctl.error(&format!("unknown command: '{arg}'"));
                        return Err(Failed);
                    }
                }
                continue;
            };
            let is_opt = !data_only
                && arg.starts_with("--")
                && arg.as_bytes().get(2).is_some_and(u8::is_ascii_alphanumeric);
            if is_opt {
                let (name, mut value) = match arg[2..].split_once('=') {
                    Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                    None => (arg[2..].to_owned(), None),
                };
                let idx = match find_opt(ctl, d, &name, &mut seen, &mut value, false) {
                    Ok(Some(i)) => i,
                    Ok(None) => {
                        help = true;
                        continue;
                    }
                    Err(_) if d.name == "help" => continue,
                    Err(f) => return Err(f),
                };
                let o = d.opts[idx];
                if o.kind == Kind::Bool {
                    if value.is_some() {
                        ctl.error(&format!("invalid '=' after option --{}", o.name));
                        return Err(Failed);
                    }
                    opts.push((idx, None));
                } else {
                    let v = match value {
                        Some(v) => v,
                        None => match src.next(ctl)? {
                            Token::Arg(v) => v,
                            _ => {
                                let what = if o.kind == Kind::Int {
                                    "number"
                                } else {
                                    "string"
                                };
                                ctl.error(&format!("expected syntax: --{} <{what}>", o.name));
                                return Err(Failed);
                            }
                        },
                    };
                    if o.kind != Kind::Argv {
                        filled[idx] = true;
                    }
                    opts.push((idx, Some(v)));
                }
                continue;
            }
            if !data_only && arg == "--" {
                data_only = true;
                continue;
            }
            let slot = d.opts.iter().enumerate().find(|(i, o)| {
                o.positional && !matches!(o.kind, Kind::Bool | Kind::Alias(_)) && !filled[*i]
            });
            match slot {
                Some((i, o)) => {
                    if o.kind != Kind::Argv {
                        filled[i] = true;
                    }
                    seen[i] = true;
                    opts.push((i, Some(arg)));
                }
                None if d.name == "help" => {}
                None => {
                    ctl.error(&format!("unexpected data '{arg}'"));
                    return Err(Failed);
                }
            }
        };
        if let Some(d) = def {
            if help {
                let help_def = find_cmd::<S>("help").ok_or(Failed)?;
                cmds.push(Cmd {
                    def: help_def,
                    opts: vec![(0, Some(d.name.to_owned()))],
                });
            } else {
                for (i, o) in d.opts.iter().enumerate() {
                    if o.required && !seen[i] {
                        let msg = if matches!(o.kind, Kind::Data | Kind::Argv) {
                            format!("command '{}' requires <{}> option", d.name, o.name)
                        } else {
                            format!("command '{}' requires --{} option", d.name, o.name)
                        };
                        ctl.error(&msg);
                        return Err(Failed);
                    }
                }
                cmds.push(Cmd { def: d, opts });
            }
        }
        if matches!(last, Token::End) {
            break;
        }
    }
    Ok(Parsed { cmds })
}

impl<S: Shell> Cmd<S> {
    fn find(&self, name: &str) -> Option<&(usize, Option<String>)> {
        self.opts
            .iter()
            .find(|(i, _)| self.def.opts[*i].name == name)
    }

    /// Whether the option was given.
    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// A flag.
    pub fn flag(&self, name: &str) -> bool {
        self.has(name)
    }

    /// The raw value of an option, if given.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.find(name).and_then(|(_, v)| v.as_deref())
    }

    /// `vshCommandOptStringReq`: the value, refusing an empty one.
    pub fn string(&self, ctl: &mut S, name: &str) -> Result<Option<&str>, Failed> {
        match self.raw(name) {
            None => Ok(None),
            Some("") => {
                ctl.error(&format!(
                    "Failed to get option '{name}': Option argument is empty"
                ));
                Err(Failed)
            }
            Some(v) => Ok(Some(v)),
        }
    }

    /// A string that must be present (the parser already checked required ones).
    pub fn string_req(&self, ctl: &mut S, name: &str) -> Result<&str, Failed> {
        match self.string(ctl, name)? {
            Some(v) => Ok(v),
            None => {
                ctl.error(&format!(
                    "Failed to get option '{name}': Mandatory option not present"
                ));
                Err(Failed)
            }
        }
    }

    /// Every value of an argv option.
    pub fn argv(&self, name: &str) -> Vec<&str> {
        self.opts
            .iter()
            .filter(|(i, _)| self.def.opts[*i].name == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    fn number<T: std::str::FromStr>(&self, ctl: &mut S, name: &str) -> Result<Option<T>, Failed> {
        let Some(v) = self.raw(name) else {
            return Ok(None);
        };
        match parse_c_number::<T>(v) {
            Some(n) => Ok(Some(n)),
            None => {
                ctl.error(&format!(
                    "Numeric value '{v}' for <{name}> option is malformed or out of range"
                ));
                Err(Failed)
            }
        }
    }

    /// `vshCommandOptInt`.
    pub fn int(&self, ctl: &mut S, name: &str) -> Result<Option<i32>, Failed> {
        self.number(ctl, name)
    }

    /// `vshCommandOptUInt` (negative values are refused).
    pub fn uint(&self, ctl: &mut S, name: &str) -> Result<Option<u32>, Failed> {
        self.number(ctl, name)
    }

    /// `vshCommandOptULongLong`.
    pub fn ull(&self, ctl: &mut S, name: &str) -> Result<Option<u64>, Failed> {
        self.number(ctl, name)
    }

    /// `vshCommandOptScaledInt`: a number with an optional unit suffix;
    /// `scale` applies without one. Returns bytes (or the scaled unit).
    pub fn scaled(
        &self,
        ctl: &mut S,
        name: &str,
        scale: u64,
        max: u64,
    ) -> Result<Option<u64>, Failed> {
        let Some(v) = self.raw(name) else {
            return Ok(None);
        };
        match scale_integer(v, scale, max) {
            Ok(n) => Ok(Some(n)),
            Err(e) => {
                ctl.error(&format!(
                    "Scaled numeric value '{v}' for <{name}> option is malformed or out of range"
                ));
                if let Some(e) = e {
                    ctl.set_lib_error(e);
                }
                Err(Failed)
            }
        }
    }
}

/// Parses an integer as `virStrToLong_*` with base 10: optional leading
/// blanks and sign, digits, nothing after.
pub fn parse_c_number<T: std::str::FromStr>(s: &str) -> Option<T> {
    let t = s.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    t.parse().ok()
}

/// `virStrToLong_ullp` then `virScaleInteger`: a number with an optional
/// unit suffix (`k`, `KiB`, `KB`, `M`, … `E`, `b`); `scale` applies without
/// one. A malformed number fails with `Err(None)`, a bad suffix or an
/// overflow with the library error libvirt raises.
pub fn scale_integer(s: &str, scale: u64, max: u64) -> Result<u64, Option<oxvirt_client::Error>> {
    use oxvirt_client::{Error, ErrorCode, ErrorDomain};
    let t = s.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(None);
    }
    let value: u64 = t[..digits].parse().map_err(|_| None)?;
    let suffix = &t[digits..];
    let bad_suffix = || {
        Some(Error::new(
            ErrorDomain::NONE,
            ErrorCode::INVALID_ARG,
            format!("unknown suffix '{suffix}'"),
        ))
    };
    let factor = if suffix.is_empty() {
        scale
    } else {
        let b = suffix.as_bytes();
        let base: u64 = if b.len() == 1 || suffix[1..].eq_ignore_ascii_case("ib") {
            1024
        } else if b.len() == 2 && b[1].eq_ignore_ascii_case(&b'b') {
            1000
        } else {
            return Err(bad_suffix());
        };
        let power = match b[0].to_ascii_lowercase() {
            b'b' if b.len() == 1 => 0,
            b'k' => 1,
            b'm' => 2,
            b'g' => 3,
            b't' => 4,
            b'p' => 5,
            b'e' => 6,
            _ => return Err(bad_suffix()),
        };
        base.pow(power)
    };
    if value > 0 && factor > 0 && value > max / factor {
        return Err(Some(Error::new(
            ErrorDomain::NONE,
            ErrorCode::OVERFLOW,
            format!("value too large: {value}{suffix}"),
        )));
    }
    Ok(value * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_integers_follow_libvirt() {
        assert_eq!(scale_integer("1G", 1024, u64::MAX).unwrap(), 1 << 30);
        assert_eq!(scale_integer("1GB", 1024, u64::MAX).unwrap(), 1_000_000_000);
        assert_eq!(scale_integer("1GiB", 1024, u64::MAX).unwrap(), 1 << 30);
        assert_eq!(scale_integer("512", 1024, u64::MAX).unwrap(), 512 * 1024);
        assert_eq!(scale_integer("3b", 1024, u64::MAX).unwrap(), 3);
        assert!(scale_integer("abc", 1024, u64::MAX).unwrap_err().is_none());
        assert_eq!(
            scale_integer("1x", 1024, u64::MAX)
                .unwrap_err()
                .unwrap()
                .message,
            "invalid argument: unknown suffix 'x'"
        );
        assert_eq!(
            scale_integer("2k", 1024, 1024)
                .unwrap_err()
                .unwrap()
                .message,
            "numerical overflow: value too large: 2k"
        );
    }
}
