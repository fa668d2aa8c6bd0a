//! 128-bit UUIDs as libvirt prints and parses them.

use std::fmt;
use std::str::FromStr;

/// A 16-byte UUID, printed in the canonical 8-4-4-4-12 lower-case form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Uuid(pub [u8; 16]);

/// Why a string is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed uuid element")]
pub struct UuidParseError;

impl Uuid {
    /// Builds a UUID from raw bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Uuid(bytes)
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// A random version-4 UUID drawn from the given 16 random bytes.
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Uuid(bytes)
    }

    /// True when every hex digit is the same one; libvirt refuses such host UUIDs.
    pub fn is_degenerate(&self) -> bool {
        let first = self.0[0];
        (first >> 4) == (first & 0x0f) && self.0.iter().all(|b| *b == first)
    }
}

impl FromStr for Uuid {
    type Err = UuidParseError;

    /// Parses as libvirt does: 32 hex digits, dashes allowed between byte pairs,
    /// surrounding blanks ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let mut out = [0u8; 16];
        let mut nibbles = 0usize;
        for c in s.chars() {
            if c == '-' {
                if !nibbles.is_multiple_of(2) {
                    return Err(UuidParseError);
                }
                continue;
            }
            let v = c.to_digit(16).ok_or(UuidParseError)? as u8;
            if nibbles >= 32 {
                return Err(UuidParseError);
            }
            out[nibbles / 2] |= if nibbles.is_multiple_of(2) { v << 4 } else { v };
            nibbles += 1;
        }
        if nibbles != 32 {
            return Err(UuidParseError);
        }
        Ok(Uuid(out))
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trips_through_text() {
        let text = "6695eb01-f6a4-8304-79aa-97f2502e193f";
        let uuid: Uuid = text.parse().unwrap();
        assert_eq!(uuid.to_string(), text);
    }

    #[test]
    fn uuid_without_dashes_parses() {
        let uuid: Uuid = "6695eb01f6a4830479aa97f2502e193f".parse().unwrap();
        assert_eq!(uuid.0[0], 0x66);
    }

    #[test]
    fn short_or_bad_uuid_fails() {
        assert!("6695eb01".parse::<Uuid>().is_err());
        assert!("zz95eb01-f6a4-8304-79aa-97f2502e193f"
            .parse::<Uuid>()
            .is_err());
        assert!("6695eb01-f6a4-8304-79aa-97f2502e193f00"
            .parse::<Uuid>()
            .is_err());
    }

    #[test]
    fn random_uuid_has_version_4() {
        let u = Uuid::from_random_bytes([0xff; 16]);
        assert_eq!(u.0[6] >> 4, 4);
    }
}
