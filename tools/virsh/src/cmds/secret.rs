//! `secret-*`: secrets, with virsh's base64 encoding of values.

use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::table::Table;
use crate::vsh::{CmdResult, Failed};
use crate::{extra, out};
use oxvirt_client::{ErrorCode, Legacy, Secret, Wait};
use std::io::Write;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64, ignoring whitespace; `None` if malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    let mut pad = 0;
    for c in s.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            pad += 1;
            continue;
        }
        if pad > 0 {
            return None;
        }
        let v = B64.iter().position(|x| *x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if pad > 2 {
        return None;
    }
    Some(out)
}

fn lookup(ctl: &mut Ctl, cmd: &Cmd) -> Result<Secret, Failed> {
    let n = cmd.string_req(ctl, "secret")?.to_owned();
    let c = ctl.conn()?;
    let s = match n.parse() {
        Ok(u) => ctl.wait(c.secret_lookup_by_uuid(&u)).ok(),
        Err(_) => None,
    };
    match s {
        Some(s) => Ok(s),
        None => ctl.fail(&format!("failed to get secret '{n}'")),
    }
}

fn usage_str(t: i32) -> &'static str {
    match t {
        1 => "volume",
        2 => "ceph",
        3 => "iscsi",
        4 => "tls",
        5 => "vtpm",
        _ => "none",
    }
}

/// `secret-list [--ephemeral] [--no-ephemeral] [--private] [--no-private]`.
pub fn list(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let mut flags = 0;
    for (o, b) in [
        ("ephemeral", 1),
        ("no-ephemeral", 2),
        ("private", 4),
        ("no-private", 8),
    ] {
        if cmd.flag(o) {
            flags |= b;
        }
    }
    let c = ctl.conn()?;
    let mut secrets = match c.list_all_secrets(flags).wait() {
        Ok(s) => s,
        Err(e) if e.code == ErrorCode::NO_SUPPORT => {
            let Ok(n) = ctl.wait(c.legacy_count(Legacy::Secrets)) else {
                return ctl.fail("Failed to count secrets");
            };
            let mut v = Vec::new();
            if n > 0 {
                let Ok(uuids) = ctl.wait(c.legacy_names(Legacy::Secrets, n)) else {
                    return ctl.fail("Failed to list secrets");
                };
                for u in uuids {
                    if let Ok(uuid) = u.parse() {
                        if let Ok(s) = c.secret_lookup_by_uuid(&uuid).wait() {
                            v.push(s);
                        }
                    }
                }
            }
            v
        }
        Err(e) => {
            ctl.last_error = Some(e);
            return ctl.fail("Failed to list secrets");
        }
    };
    secrets.sort_by_key(|s| s.uuid().to_string());
    let mut t = Table::new(&["UUID", "Usage"]);
    for s in &secrets {
        let usage = if s.usage_type() != 0 {
            format!("{} {}", usage_str(s.usage_type()), s.usage_id())
        } else {
            "Unused".to_owned()
        };
        t.row(vec![s.uuid().to_string(), usage]);
    }
    t.print(ctl);
    Ok(())
}

/// `secret-define <file> [--validate]`.
pub fn define(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let from = cmd.string_req(ctl, "file")?.to_owned();
    let flags = u32::from(cmd.flag("validate"));
    let xml = ctl.read_file(&from)?;
    let c = ctl.conn()?;
    let Ok(s) = ctl.wait(c.secret_define_xml(&xml, flags)) else {
        return ctl.fail(&format!("Failed to set attributes from {from}"));
    };
    extra!(ctl, "Secret {} created\n", s.uuid());
    Ok(())
}

/// `secret-dumpxml <secret>`.
pub fn dumpxml(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    if cmd.has("xpath") || cmd.flag("wrap") {
        return ctl.fail("--xpath is not supported by this virsh yet");
    }
    let s = lookup(ctl, cmd)?;
    let xml = ctl.wait(s.get_xml_desc(0))?;
    out!(ctl, "{xml}");
    Ok(())
}

/// `secret-set-value <secret> [--file f [--plain]] [--interactive] [--base64 v]`.
pub fn set_value(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let s = lookup(ctl, cmd)?;
    let base64 = cmd.string(ctl, "base64")?.map(str::to_owned);
    let file = cmd.string(ctl, "file")?.map(str::to_owned);
    let plain = cmd.flag("plain");
    let interactive = cmd.flag("interactive");
    ctl.exclusive(cmd, "file", "base64")?;
    ctl.exclusive(cmd, "plain", "base64")?;
    ctl.exclusive(cmd, "interactive", "base64")?;
    ctl.exclusive(cmd, "interactive", "plain")?;
    ctl.exclusive(cmd, "interactive", "file")?;
    if base64.is_none() && file.is_none() && !interactive {
        return ctl.fail("Input secret value is missing");
    }
    let (raw, is_plain) = if let Some(f) = &file {
        match std::fs::read(f) {
            Ok(b) => (b, plain),
            Err(e) => {
                return ctl.fail(&format!(
                    "Failed to read {f}: {}",
                    oxvirt_client::error::strerror(&e)
                ))
            }
        }
    } else if interactive {
        let mut line = String::new();
        eprint!("Enter new value for secret:");
        let _ = std::io::stderr().flush();
        if std::io::stdin().read_line(&mut line).is_err() {
            return ctl.fail("Failed to read secret");
        }
        (line.trim_end_matches('\n').as_bytes().to_vec(), true)
    } else {
        (base64.unwrap_or_default().into_bytes(), false)
    };
    let value = if is_plain {
        raw
    } else {
        match base64_decode(&String::from_utf8_lossy(&raw)) {
            Some(v) => v,
            None => return ctl.fail("Invalid base64 data"),
        }
    };
    if ctl.wait(s.set_value(&value, 0)).is_err() {
        return ctl.fail("Failed to set secret value");
    }
    extra!(ctl, "Secret value set\n");
    Ok(())
}

/// `secret-get-value <secret> [--plain]`.
pub fn get_value(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let s = lookup(ctl, cmd)?;
    let v = ctl.wait(s.get_value(0))?;
    if cmd.flag("plain") {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(&v);
    } else {
        out!(ctl, "{}\n", base64_encode(&v));
    }
    Ok(())
}

/// `secret-undefine <secret>`.
pub fn undefine(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let s = lookup(ctl, cmd)?;
    if ctl.wait(s.undefine()).is_err() {
        return ctl.fail(&format!("Failed to delete secret {}", s.uuid()));
    }
    extra!(ctl, "Secret {} deleted\n", s.uuid());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for v in [&b""[..], b"f", b"fo", b"foo", b"foob", b"secret value"] {
            assert_eq!(base64_decode(&base64_encode(v)).unwrap(), v);
        }
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert!(base64_decode("Zm9v!").is_none());
    }
}
