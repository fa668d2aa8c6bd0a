//! Command-line flags, parsed as libvirt's daemons parse them (GNU getopt_long
//! with `ldf:p:t:vVh`), plus oxvirt's `--root DIR`.

use std::ffi::OsString;
use std::path::PathBuf;

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub daemon: bool,
    pub listen: bool,
    /// Idle seconds before exiting; 0 = never.
    pub timeout: u32,
    pub pid_file: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub verbose: bool,
    /// Relocates every path under this directory.
    pub root: Option<PathBuf>,
}

/// The outcome of parsing.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Run(Args),
    /// Print usage to stderr and exit 0.
    Help,
    /// Print the version to stdout and exit 0.
    Version,
    /// Print this message and the usage to stderr, exit 1.
    Usage(String),
}

/// Parses `argv` (without argv[0]); `allow_listen` is true for libvirtd.
pub fn parse(argv: &[OsString], allow_listen: bool) -> Parsed {
    let mut a = Args::default();
    let mut i = 0;
    let args: Vec<String> = argv
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            if i < args.len() {
                return Parsed::Usage("unexpected, non-option, command line arguments".into());
            }
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let takes_value = matches!(name, "timeout" | "pid-file" | "config" | "root");
            let value = if takes_value {
                match inline {
                    Some(v) => Some(v),
                    None if i < args.len() => {
                        i += 1;
                        Some(args[i - 1].clone())
                    }
                    None => {
                        return Parsed::Usage(format!("option '--{name}' requires an argument"))
                    }
                }
            } else {
                if inline.is_some() {
                    return Parsed::Usage(format!("option '--{name}' doesn't allow an argument"));
                }
                None
            };
            match apply(&mut a, name, value, allow_listen) {
                Ok(None) => {}
                Ok(Some(p)) => return p,
                Err(m) => return Parsed::Usage(m),
            }
        } else if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let chars: Vec<char> = shorts.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let name = match c {
                    'd' => "daemon",
                    'l' if allow_listen => "listen",
                    'f' => "config",
                    'p' => "pid-file",
                    't' => "timeout",
                    'v' => "verbose",
                    'V' => "version",
                    'h' => "help",
                    _ => return Parsed::Usage(format!("invalid option -- '{c}'")),
                };
                let value = if matches!(c, 'f' | 'p' | 't') {
                    let rest: String = chars[j..].iter().collect();
                    j = chars.len();
                    if !rest.is_empty() {
                        Some(rest)
                    } else if i < args.len() {
                        i += 1;
                        Some(args[i - 1].clone())
                    } else {
                        return Parsed::Usage(format!("option requires an argument -- '{c}'"));
                    }
                } else {
                    None
                };
                match apply(&mut a, name, value, allow_listen) {
                    Ok(None) => {}
                    Ok(Some(p)) => return p,
                    Err(m) => return Parsed::Usage(m),
                }
            }
        } else {
            return Parsed::Usage("unexpected, non-option, command line arguments".into());
        }
    }
    Parsed::Run(a)
}

fn apply(
    a: &mut Args,
    name: &str,
    value: Option<String>,
    allow_listen: bool,
) -> Result<Option<Parsed>, String> {
    let value = value.unwrap_or_default();
    match name {
        "daemon" => a.daemon = true,
        "listen" if allow_listen => a.listen = true,
        "verbose" => a.verbose = true,
        "version" => return Ok(Some(Parsed::Version)),
        "help" => return Ok(Some(Parsed::Help)),
        "config" => a.config = Some(PathBuf::from(value)),
        "pid-file" => a.pid_file = Some(PathBuf::from(value)),
        "root" => a.root = Some(PathBuf::from(value)),
        "timeout" => {
            // libvirt: a base-10 int in 0..INT_MAX/1000.
            match value.parse::<u32>() {
                Ok(t) if (t as u64) < (i32::MAX as u64) / 1000 => a.timeout = t,
                _ => return Err("Invalid value for timeout".into()),
            }
        }
        _ => return Err(format!("unrecognized option '--{name}'")),
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Parsed {
        let v: Vec<OsString> = args.iter().map(OsString::from).collect();
        parse(&v, true)
    }

    #[test]
    fn timeout_forms_are_equivalent() {
        for form in [
            &["--timeout=120"][..],
            &["--timeout", "120"],
            &["-t120"],
            &["-t", "120"],
        ] {
            match p(form) {
                Parsed::Run(a) => assert_eq!(a.timeout, 120),
                other => panic!("{form:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_timeout_is_refused() {
        assert_eq!(
            p(&["-t", "x"]),
            Parsed::Usage("Invalid value for timeout".into())
        );
        assert_eq!(
            p(&["-t", "-5"]),
            Parsed::Usage("Invalid value for timeout".into())
        );
    }

    #[test]
    fn combined_short_flags() {
        match p(&["-dv", "-f/x.conf"]) {
            Parsed::Run(a) => {
                assert!(a.daemon && a.verbose);
                assert_eq!(a.config, Some(PathBuf::from("/x.conf")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn listen_only_for_libvirtd() {
        let v: Vec<OsString> = vec!["-l".into()];
        assert!(matches!(parse(&v, false), Parsed::Usage(_)));
        assert!(matches!(
            parse(&v, true),
            Parsed::Run(Args { listen: true, .. })
        ));
    }

    #[test]
    fn positional_is_refused() {
        assert!(matches!(p(&["foo"]), Parsed::Usage(m) if m.contains("non-option")));
    }

    #[test]
    fn root_takes_a_dir() {
        assert!(matches!(
            p(&["--root", "/tmp/r"]),
            Parsed::Run(Args { root: Some(_), .. })
        ));
    }

    #[test]
    fn help_and_version() {
        assert_eq!(p(&["-h"]), Parsed::Help);
        assert_eq!(p(&["--version"]), Parsed::Version);
    }
}
