//! XDR encoding and decoding for libvirt's RPC payloads.
//!
//! Everything is big-endian and padded to 4 bytes. `char` and `short` take a
//! whole word each, as XDR promotes them. Decoders never trust a length: a count
//! or string length is compared with its declared maximum *and* with the bytes
//! actually left in the message before anything is allocated, so a hostile
//! 4-byte length cannot make the daemon reserve gigabytes.
//!
//! Protocol structs are declared with [`xdr_struct!`], which derives both
//! directions from the field list in wire order.

use oxvirt_core::{TypedParam, TypedValue, Uuid};

/// libvirt's `REMOTE_STRING_MAX`: the longest string in any remote payload.
pub const STRING_MAX: usize = 4 * 1024 * 1024;

/// Why a payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XdrError {
    #[error("payload truncated")]
    Truncated,
    #[error("length {len} exceeds the maximum {max}")]
    TooLong { len: u64, max: u64 },
    #[error("invalid boolean value {0}")]
    BadBool(u32),
    #[error("invalid union discriminant {0}")]
    BadDiscriminant(i32),
    #[error("optional-data marker {0} is neither 0 nor 1")]
    BadOptional(u32),
    #[error("string is not valid UTF-8")]
    BadUtf8,
    #[error("{0} unexpected trailing bytes")]
    Trailing(usize),
}

/// A value with an XDR encoding.
pub trait Xdr: Sized {
    /// Appends the encoding of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Decodes one value from `d`.
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError>;
}

/// Decodes `bytes` as exactly one `T`, refusing leftovers.
pub fn from_bytes<T: Xdr>(bytes: &[u8]) -> Result<T, XdrError> {
    let mut d = Decoder::new(bytes);
    let v = T::decode(&mut d)?;
    d.finish()?;
    Ok(v)
}

/// Encodes `v` into a fresh buffer.
pub fn to_bytes<T: Xdr>(v: &T) -> Vec<u8> {
    let mut out = Vec::new();
    v.encode(&mut out);
    out
}

/// A cursor over a received payload.
pub struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Decoder { buf, pos: 0 }
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Fails unless every byte was consumed.
    pub fn finish(&self) -> Result<(), XdrError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(XdrError::Trailing(n)),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], XdrError> {
        if n > self.remaining() {
            return Err(XdrError::Truncated);
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn take_padded(&mut self, n: usize) -> Result<&'a [u8], XdrError> {
        let padded = n.checked_add(pad_len(n)).ok_or(XdrError::Truncated)?;
        let s = self.take(padded)?;
        Ok(&s[..n])
    }

    pub fn u32(&mut self) -> Result<u32, XdrError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn i32(&mut self) -> Result<i32, XdrError> {
        Ok(self.u32()? as i32)
    }

    pub fn u64(&mut self) -> Result<u64, XdrError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    /// A length word checked against `max` and against what the payload can hold
    /// when each item takes at least `min_item` bytes.
    pub fn length(&mut self, max: usize, min_item: usize) -> Result<usize, XdrError> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(XdrError::TooLong {
                len: len as u64,
                max: max as u64,
            });
        }
        if len.saturating_mul(min_item.max(1)) > self.remaining() && min_item > 0 {
            return Err(XdrError::Truncated);
        }
        Ok(len)
    }

    /// A variable-length opaque (`opaque x<max>`).
    pub fn opaque(&mut self, max: usize) -> Result<&'a [u8], XdrError> {
        let len = self.length(max, 1)?;
        self.take_padded(len)
    }

    /// A fixed-length opaque (`opaque x[n]`).
    pub fn fixed_opaque(&mut self, n: usize) -> Result<&'a [u8], XdrError> {
        self.take_padded(n)
    }

    /// A string of at most `max` bytes.
    pub fn string(&mut self, max: usize) -> Result<String, XdrError> {
        let bytes = self.opaque(max)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| XdrError::BadUtf8)
    }

    /// A variable array of at most `max` elements.
    pub fn array<T: Xdr>(&mut self, max: usize) -> Result<Vec<T>, XdrError> {
        let n = self.length(max, 4)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(T::decode(self)?);
        }
        Ok(v)
    }

    /// An optional value (`T *x`).
    pub fn optional<T: Xdr>(&mut self) -> Result<Option<T>, XdrError> {
        match self.u32()? {
            0 => Ok(None),
            1 => Ok(Some(T::decode(self)?)),
            n => Err(XdrError::BadOptional(n)),
        }
    }
}

fn pad_len(n: usize) -> usize {
    (4 - n % 4) % 4
}

/// Appends a 4-byte big-endian word.
pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends a variable-length opaque (length, bytes, padding).
pub fn put_opaque(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len() as u32);
    put_fixed_opaque(out, bytes);
}

/// Appends a fixed-length opaque (bytes, padding).
pub fn put_fixed_opaque(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(bytes);
    out.extend_from_slice(&[0u8; 3][..pad_len(bytes.len())]);
}

impl Xdr for () {
    fn encode(&self, _out: &mut Vec<u8>) {}
    fn decode(_d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        Ok(())
    }
}

impl Xdr for u32 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u32(out, *self);
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        d.u32()
    }
}

impl Xdr for i32 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u32(out, *self as u32);
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        d.i32()
    }
}

impl Xdr for u64 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        d.u64()
    }
}

impl Xdr for i64 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        Ok(d.u64()? as i64)
    }
}

impl Xdr for f64 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bits().to_be_bytes());
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        Ok(f64::from_bits(d.u64()?))
    }
}

impl Xdr for bool {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u32(out, u32::from(*self));
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        match d.u32()? {
            0 => Ok(false),
            1 => Ok(true),
            n => Err(XdrError::BadBool(n)),
        }
    }
}

macro_rules! tuple_xdr {
    ($($t:ident),+) => {
        /// Consecutive values, for ad-hoc payloads.
        impl<$($t: Xdr),+> Xdr for ($($t,)+) {
            #[allow(non_snake_case)]
            fn encode(&self, out: &mut Vec<u8>) {
                let ($($t,)+) = self;
                $($t.encode(out);)+
            }
            fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
                Ok(($($t::decode(d)?,)+))
            }
        }
    };
}

tuple_xdr!(A, B);
tuple_xdr!(A, B, C);
tuple_xdr!(A, B, C, D);

/// `remote_nonnull_string`: at most [`STRING_MAX`] bytes.
impl Xdr for String {
    fn encode(&self, out: &mut Vec<u8>) {
        put_opaque(out, self.as_bytes());
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        d.string(STRING_MAX)
    }
}

/// `T *x`.
impl<T: Xdr> Xdr for Option<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            None => put_u32(out, 0),
            Some(v) => {
                put_u32(out, 1);
                v.encode(out);
            }
        }
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        d.optional()
    }
}

/// `T x<>` without a declared bound; the payload size still bounds it. Fields with
/// a bound use `#[max = N]` in [`xdr_struct!`].
impl<T: Xdr> Xdr for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u32(out, self.len() as u32);
        for v in self {
            v.encode(out);
        }
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        d.array(u32::MAX as usize)
    }
}

/// `remote_uuid`: 16 raw bytes.
impl Xdr for Uuid {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        let b = d.fixed_opaque(16)?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        Ok(Uuid(a))
    }
}

/// A variable-length opaque (`opaque x<N>`), as opposed to an array of words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Opaque(pub Vec<u8>);

impl Xdr for Opaque {
    fn encode(&self, out: &mut Vec<u8>) {
        put_opaque(out, &self.0);
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        Ok(Opaque(d.opaque(u32::MAX as usize)?.to_vec()))
    }
}

/// A `char x<N>` array: one word per byte, as libvirt sends security labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CharArray(pub Vec<u8>);

impl CharArray {
    /// The text with libvirt's trailing NUL counted, as the daemon sends it.
    pub fn with_nul(s: &str) -> Self {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        CharArray(v)
    }
}

impl Xdr for CharArray {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u32(out, self.0.len() as u32);
        for b in &self.0 {
            put_u32(out, u32::from(*b));
        }
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        let n = d.length(u32::MAX as usize, 4)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(d.u32()? as u8);
        }
        Ok(CharArray(v))
    }
}

/// A `char x[N]` fixed array: N words, one byte value each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedChars<const N: usize>(pub [u8; N]);

impl<const N: usize> FixedChars<N> {
    /// Copies `s`, truncated to N-1 bytes so that a NUL always ends it.
    pub fn from_str_truncated(s: &str) -> Self {
        let mut a = [0u8; N];
        let n = s.len().min(N.saturating_sub(1));
        a[..n].copy_from_slice(&s.as_bytes()[..n]);
        FixedChars(a)
    }
}

impl<const N: usize> Xdr for FixedChars<N> {
    fn encode(&self, out: &mut Vec<u8>) {
        for b in &self.0 {
            put_u32(out, u32::from(*b));
        }
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        let mut a = [0u8; N];
        for b in a.iter_mut() {
            *b = d.u32()? as u8;
        }
        Ok(FixedChars(a))
    }
}

/// `remote_typed_param`: a field name and a discriminated value.
impl Xdr for TypedParam {
    fn encode(&self, out: &mut Vec<u8>) {
        self.field.encode(out);
        put_u32(out, self.value.type_code() as u32);
        match &self.value {
            TypedValue::Int(v) => v.encode(out),
            TypedValue::UInt(v) => v.encode(out),
            TypedValue::LLong(v) => v.encode(out),
            TypedValue::ULLong(v) => v.encode(out),
            TypedValue::Double(v) => v.encode(out),
            TypedValue::Boolean(v) => put_u32(out, u32::from(*v)),
            TypedValue::String(v) => v.encode(out),
        }
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        let field = d.string(STRING_MAX)?;
        let value = match d.i32()? {
            1 => TypedValue::Int(d.i32()?),
            2 => TypedValue::UInt(d.u32()?),
            3 => TypedValue::LLong(i64::decode(d)?),
            4 => TypedValue::ULLong(d.u64()?),
            5 => TypedValue::Double(f64::decode(d)?),
            6 => TypedValue::Boolean(d.i32()? != 0),
            7 => TypedValue::String(d.string(STRING_MAX)?),
            n => return Err(XdrError::BadDiscriminant(n)),
        };
        Ok(TypedParam { field, value })
    }
}

/// Decodes one field; `#[max = N]` fields go through [`DecodeMax`].
#[doc(hidden)]
pub trait DecodeMax: Sized {
    fn decode_max(d: &mut Decoder<'_>, max: usize) -> Result<Self, XdrError>;
}

impl<T: Xdr> DecodeMax for Vec<T> {
    fn decode_max(d: &mut Decoder<'_>, max: usize) -> Result<Self, XdrError> {
        d.array(max)
    }
}

impl DecodeMax for String {
    fn decode_max(d: &mut Decoder<'_>, max: usize) -> Result<Self, XdrError> {
        d.string(max)
    }
}

impl DecodeMax for Opaque {
    fn decode_max(d: &mut Decoder<'_>, max: usize) -> Result<Self, XdrError> {
        Ok(Opaque(d.opaque(max)?.to_vec()))
    }
}

impl DecodeMax for CharArray {
    fn decode_max(d: &mut Decoder<'_>, max: usize) -> Result<Self, XdrError> {
        let n = d.length(max, 4)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(d.u32()? as u8);
        }
        Ok(CharArray(v))
    }
}

impl DecodeMax for Option<String> {
    fn decode_max(d: &mut Decoder<'_>, max: usize) -> Result<Self, XdrError> {
        match d.u32()? {
            0 => Ok(None),
            1 => Ok(Some(d.string(max)?)),
            n => Err(XdrError::BadOptional(n)),
        }
    }
}

/// Declares a struct whose fields are encoded in declaration order.
///
/// ```
/// use oxvirt_xdr::{xdr_struct, Xdr};
/// xdr_struct! {
///     /// Arguments of a list call.
///     pub struct ListArgs {
///         pub need_results: i32,
///         #[max = 16384] pub names: Vec<String>,
///         pub flags: u32,
///     }
/// }
/// let bytes = oxvirt_xdr::to_bytes(&ListArgs { need_results: 1, names: vec![], flags: 3 });
/// assert_eq!(bytes.len(), 12);
/// ```
#[macro_export]
macro_rules! xdr_struct {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[doc = $fdoc:literal])* $(#[max = $max:expr])? pub $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $($(#[doc = $fdoc])* pub $field: $ty,)*
        }

        impl $crate::Xdr for $name {
            #[allow(unused_variables)]
            fn encode(&self, out: &mut Vec<u8>) {
                $($crate::Xdr::encode(&self.$field, out);)*
            }
            #[allow(unused_variables)]
            fn decode(d: &mut $crate::Decoder<'_>) -> Result<Self, $crate::XdrError> {
                Ok($name {
                    $($field: $crate::xdr_struct!(@field d, $ty $(, $max)?),)*
                })
            }
        }
    };
    (@field $d:ident, $ty:ty) => { <$ty as $crate::Xdr>::decode($d)? };
    (@field $d:ident, $ty:ty, $max:expr) => { <$ty as $crate::DecodeMax>::decode_max($d, $max)? };
}

#[cfg(test)]
mod tests {
    use super::*;

    xdr_struct! {
        /// A struct for the tests.
        pub struct Sample {
            pub name: String,
            pub uuid: Uuid,
            pub id: i32,
            #[max = 2] pub list: Vec<u32>,
            pub opt: Option<String>,
        }
    }

    #[test]
    fn string_is_padded_without_nul() {
        let bytes = to_bytes(&"rpctest1".to_owned());
        assert_eq!(bytes, b"\x00\x00\x00\x08rpctest1");
        let bytes = to_bytes(&"abc".to_owned());
        assert_eq!(bytes, b"\x00\x00\x00\x03abc\x00");
    }

    #[test]
    fn struct_round_trips() {
        let s = Sample {
            name: "x".into(),
            uuid: Uuid([7; 16]),
            id: -1,
            list: vec![1, 2],
            opt: Some("y".into()),
        };
        let bytes = to_bytes(&s);
        assert_eq!(from_bytes::<Sample>(&bytes).unwrap(), s);
    }

    #[test]
    fn array_over_its_max_is_refused() {
        let s = Sample {
            list: vec![1, 2, 3],
            ..Default::default()
        };
        let bytes = to_bytes(&s);
        assert_eq!(
            from_bytes::<Sample>(&bytes),
            Err(XdrError::TooLong { len: 3, max: 2 })
        );
    }

    #[test]
    fn huge_length_is_refused_before_allocation() {
        let bytes = [0x7f, 0xff, 0xff, 0xff];
        assert_eq!(from_bytes::<Vec<u32>>(&bytes), Err(XdrError::Truncated));
        assert!(matches!(
            from_bytes::<String>(&[0xff, 0xff, 0xff, 0xff]),
            Err(XdrError::TooLong { .. })
        ));
    }

    #[test]
    fn fixed_chars_take_a_word_each() {
        let model = FixedChars::<32>::from_str_truncated("i686");
        assert_eq!(to_bytes(&model).len(), 128);
    }

    #[test]
    fn char_array_counts_nul() {
        let bytes = to_bytes(&CharArray::with_nul("none"));
        assert_eq!(&bytes[..4], &[0, 0, 0, 5]);
        assert_eq!(bytes.len(), 4 + 5 * 4);
    }

    #[test]
    fn trailing_bytes_are_refused() {
        assert_eq!(
            from_bytes::<u32>(&[0, 0, 0, 1, 0]),
            Err(XdrError::Trailing(1))
        );
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = from_bytes::<Sample>(&bytes);
            let _ = from_bytes::<Vec<TypedParam>>(&bytes);
            let _ = from_bytes::<Option<CharArray>>(&bytes);
        }
    }
}
