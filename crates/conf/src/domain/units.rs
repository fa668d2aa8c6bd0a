//! Scaled integers (`<memory unit='GiB'>2</memory>`) as libvirt reads them.

use oxvirt_core::{Error, ErrorCode, ErrorDomain};

/// Multiplier for `unit`, the way `virScaleInteger` reads suffixes: `b`/`bytes`,
/// `k`/`KiB` (1024), `KB` (1000), and so on up to exa.
fn scale_of(unit: &str) -> Result<u64, Error> {
    let lower = unit.to_ascii_lowercase();
    if matches!(lower.as_str(), "b" | "byte" | "bytes") {
        return Ok(1);
    }
    let mut chars = unit.chars();
    let first = chars.next().map(|c| c.to_ascii_lowercase());
    let rest: String = chars.collect();
    let base: u64 = if rest.is_empty() || rest.eq_ignore_ascii_case("iB") {
        1024
    } else if rest.eq_ignore_ascii_case("b") {
        1000
    } else {
        return Err(unknown_suffix(unit));
    };
    let power = match first {
        Some('k') => 1,
        Some('m') => 2,
        Some('g') => 3,
        Some('t') => 4,
        Some('p') => 5,
        Some('e') => 6,
        _ => return Err(unknown_suffix(unit)),
    };
    Ok(base.pow(power))
}

fn unknown_suffix(unit: &str) -> Error {
    Error::new(
        ErrorDomain::NONE,
        ErrorCode::INVALID_ARG,
        format!("unknown suffix '{unit}'"),
    )
}

/// Parses an unsigned decimal the way `virStrToLong_ullp` does: leading blanks
/// allowed, no sign, nothing after the digits.
pub fn parse_u64(s: &str) -> Option<u64> {
    let t = s.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Reads `value` scaled by `unit` (KiB when absent) and returns KiB, rounding
/// bytes up as libvirt does. `xpath` names the element in error messages.
pub fn parse_memory_kib(value: &str, unit: Option<&str>, xpath: &str) -> Result<u64, Error> {
    let n = parse_u64(value).ok_or_else(|| {
        Error::new(
            ErrorDomain::XML,
            ErrorCode::XML_ERROR,
            format!("Invalid value '{value}' for element or attribute '{xpath}'"),
        )
    })?;
    let scale = match unit {
        None | Some("") => 1024,
        Some(u) => scale_of(u)?,
    };
    let bytes = n.checked_mul(scale).ok_or_else(|| {
        Error::new(
            ErrorDomain::NONE,
            ErrorCode::OVERFLOW,
            format!("value too large: {n}{}", unit.unwrap_or("")),
        )
    })?;
    Ok(bytes.div_ceil(1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_scale_to_kib() {
        assert_eq!(
            parse_memory_kib("2", Some("GiB"), "x").unwrap(),
            2 * 1024 * 1024
        );
        assert_eq!(parse_memory_kib("1", Some("M"), "x").unwrap(), 1024);
        assert_eq!(parse_memory_kib("1000", Some("KB"), "x").unwrap(), 977);
        assert_eq!(parse_memory_kib("1000000", Some("b"), "x").unwrap(), 977);
        assert_eq!(parse_memory_kib("1024", None, "x").unwrap(), 1024);
    }

    #[test]
    fn bad_suffix_and_overflow_use_libvirt_codes() {
        let e = parse_memory_kib("1", Some("foo"), "x").unwrap_err();
        assert_eq!(
            (e.code, e.domain),
            (ErrorCode::INVALID_ARG, ErrorDomain::NONE)
        );
        assert_eq!(e.message, "invalid argument: unknown suffix 'foo'");
        let e = parse_memory_kib("99999999", Some("TiB"), "x").unwrap_err();
        assert_eq!(
            e.message,
            "numerical overflow: value too large: 99999999TiB"
        );
    }

    #[test]
    fn non_numbers_are_invalid_values() {
        let e = parse_memory_kib("-5", None, "./memory[1]").unwrap_err();
        assert_eq!(
            e.message,
            "XML error: Invalid value '-5' for element or attribute './memory[1]'"
        );
        assert_eq!(e.domain, ErrorDomain::XML);
    }
}
