//! Storage pool and volume documents (`<pool>`, `<volume>`,
//! `<storagepoolCapabilities>`): parse, check, format. No I/O.
//!
//! [`pool::PoolDef::parse`] reads what a client sends to
//! `virStoragePoolDefineXML`; [`pool::PoolDef::format`] writes what
//! `virStoragePoolGetXMLDesc` returns once the driver has filled in the
//! runtime numbers. [`volume::VolDef`] does the same for volumes, whose
//! parsing depends on the pool type (which formats exist, the default format).
//! Errors carry libvirt's codes in the STORAGE domain and its wording.

pub mod caps;
pub mod pool;
pub mod volume;

pub use pool::{PoolDef, PoolSource, PoolType, SourceDevice};
pub use volume::{VolDef, VolFormat};

use crate::xml::{XmlElement, XmlWriter};
use oxvirt_core::{Error, ErrorCode, ErrorDomain};

/// Where the errors of this module are reported.
const STORAGE: ErrorDomain = ErrorDomain::STORAGE;

pub(crate) fn xml_error(detail: impl Into<String>) -> Error {
    Error::new(STORAGE, ErrorCode::XML_ERROR, detail)
}

pub(crate) fn unsupported(detail: impl Into<String>) -> Error {
    Error::new(STORAGE, ErrorCode::CONFIG_UNSUPPORTED, detail)
}

/// `<permissions>`: each part optional (libvirt keeps -1 for "unset").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Perms {
    pub mode: Option<u32>,
    pub owner: Option<u32>,
    pub group: Option<u32>,
    pub label: Option<String>,
}

impl Perms {
    /// True when nothing is set; libvirt then writes no `<permissions>`.
    pub fn is_empty(&self) -> bool {
        self.mode.is_none() && self.owner.is_none() && self.group.is_none() && self.label.is_none()
    }

    /// Reads `<permissions>` as libvirt does: octal mode within 0777, numeric
    /// owner and group (-1 meaning unset).
    pub fn parse(el: Option<&XmlElement>) -> Result<Perms, Error> {
        let Some(el) = el else {
            return Ok(Perms::default());
        };
        let mode = match el.child_text("mode") {
            None => None,
            Some(m) => {
                let m = m.trim();
                let v = u32::from_str_radix(m, 8)
                    .ok()
                    .filter(|v| v & !0o777 == 0 && !m.is_empty())
                    .ok_or_else(|| xml_error("malformed octal mode"))?;
                Some(v)
            }
        };
        let id = |name: &str, what: &str| -> Result<Option<u32>, Error> {
            match el.child_text(name) {
                None => Ok(None),
                Some(t) => match t.trim().parse::<i64>() {
                    Ok(-1) => Ok(None),
                    Ok(v) => u32::try_from(v)
                        .map(Some)
                        .map_err(|_| xml_error(format!("malformed {what} element"))),
                    Err(_) => Err(xml_error(format!("malformed {what} element"))),
                },
            }
        };
        Ok(Perms {
            mode,
            owner: id("owner", "owner")?,
            group: id("group", "group")?,
            label: el.child_text("label"),
        })
    }

    /// Writes `<permissions>` unless empty.
    pub fn format(&self, w: &mut XmlWriter) {
        if self.is_empty() {
            return;
        }
        w.start("permissions").end_open();
        if let Some(m) = self.mode {
            w.text_element("mode", &format!("0{m:o}"));
        }
        if let Some(o) = self.owner {
            w.text_element("owner", &o.to_string());
        }
        if let Some(g) = self.group {
            w.text_element("group", &g.to_string());
        }
        if let Some(l) = &self.label {
            w.text_element("label", l);
        }
        w.close("permissions");
    }
}

/// Multiplier for a unit suffix, as `virScaleInteger` reads it.
fn scale_of(unit: &str) -> Result<u64, Error> {
    if unit.is_empty()
        || ["b", "byte", "bytes"]
            .iter()
            .any(|u| unit.eq_ignore_ascii_case(u))
    {
        return Ok(1);
    }
    let unknown = || {
        Error::new(
            ErrorDomain::NONE,
            ErrorCode::INVALID_ARG,
            format!("unknown suffix '{unit}'"),
        )
    };
    let mut chars = unit.chars();
    let first = chars.next().map(|c| c.to_ascii_lowercase());
    let rest = chars.as_str();
    let base: u64 = if rest.is_empty() || rest.eq_ignore_ascii_case("iB") {
        1024
    } else if rest.eq_ignore_ascii_case("b") {
        1000
    } else {
        return Err(unknown());
    };
    let power = match first {
        Some('k') => 1,
        Some('m') => 2,
        Some('g') => 3,
        Some('t') => 4,
        Some('p') => 5,
        Some('e') => 6,
        _ => return Err(unknown()),
    };
    Ok(base.pow(power))
}

/// Reads a size such as `<capacity unit='G'>10</capacity>` in bytes, at most
/// `max`. `what` names the element in the malformed-number message.
pub fn parse_size(value: &str, unit: Option<&str>, max: u64, what: &str) -> Result<u64, Error> {
    let t = value.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let n: u64 = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
    .ok_or_else(|| xml_error(format!("malformed {what} element")))?;
    let unit = unit.unwrap_or("");
    let bytes = n
        .checked_mul(scale_of(unit)?)
        .filter(|b| *b <= max)
        .ok_or_else(|| {
            Error::new(
                ErrorDomain::NONE,
                ErrorCode::OVERFLOW,
                format!("value too large: {n}{unit}"),
            )
        })?;
    Ok(bytes)
}

/// `virFileSanitizePath`: collapses repeated `/` and drops a trailing one
/// (but keeps a leading `//`'s meaning of `/`), leaving `.` and `..` alone.
pub fn sanitize_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut prev_slash = false;
    for c in p.chars() {
        if c == '/' {
            if prev_slash {
                continue;
            }
            prev_slash = true;
        } else {
            prev_slash = false;
        }
        out.push(c);
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sizes_scale_like_libvirt() {
        assert_eq!(
            parse_size("10", Some("M"), u64::MAX, "capacity").unwrap(),
            10 << 20
        );
        assert_eq!(
            parse_size("1", Some("KB"), u64::MAX, "capacity").unwrap(),
            1000
        );
        assert_eq!(parse_size("7", None, u64::MAX, "capacity").unwrap(), 7);
        assert_eq!(
            parse_size("2", Some("GiB"), u64::MAX, "capacity").unwrap(),
            2 << 30
        );
    }

    #[test]
    fn absurd_sizes_are_errors() {
        let e = parse_size("16", Some("E"), i64::MAX as u64, "capacity").unwrap_err();
        assert_eq!(e.message, "numerical overflow: value too large: 16E");
        let e = parse_size("99999999999999999999", None, u64::MAX, "capacity").unwrap_err();
        assert_eq!(e.message, "XML error: malformed capacity element");
        let e = parse_size("-1", None, u64::MAX, "allocation").unwrap_err();
        assert_eq!(e.message, "XML error: malformed allocation element");
        let e = parse_size("1", Some("parsecs"), u64::MAX, "capacity").unwrap_err();
        assert_eq!(e.message, "invalid argument: unknown suffix 'parsecs'");
    }

    #[test]
    fn paths_are_sanitized_like_libvirt() {
        assert_eq!(sanitize_path("/tmp//x/../y/"), "/tmp/x/../y");
        assert_eq!(sanitize_path("/"), "/");
        assert_eq!(sanitize_path("//"), "/");
    }

    #[test]
    fn perms_reject_bad_modes_and_ids() {
        let el =
            crate::xml::parse_document("<permissions><mode>1777</mode></permissions>").unwrap();
        assert_eq!(
            Perms::parse(Some(&el)).unwrap_err().message,
            "XML error: malformed octal mode"
        );
        let el = crate::xml::parse_document("<permissions><owner>x</owner></permissions>").unwrap();
        assert_eq!(
            Perms::parse(Some(&el)).unwrap_err().message,
            "XML error: malformed owner element"
        );
        let el = crate::xml::parse_document(
            "<permissions><mode>0755</mode><owner>-1</owner><group>107</group></permissions>",
        )
        .unwrap();
        let p = Perms::parse(Some(&el)).unwrap();
        assert_eq!((p.mode, p.owner, p.group), (Some(0o755), None, Some(107)));
    }
}
