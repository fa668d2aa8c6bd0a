//! `remote_error` (≡ `virNetMessageError`): the payload of every failed reply.

use oxvirt_core::error::ErrorLevel;
use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use oxvirt_xdr::{put_u32, Decoder, Xdr, XdrError};

use crate::remote::{NonnullDomain, NonnullNetwork};

/// Appends `e` as a `remote_error`. The `dom` and `net` pointers are always absent.
pub fn encode_error(e: &Error, out: &mut Vec<u8>) {
    e.code.0.encode(out);
    e.domain.0.encode(out);
    Some(e.message.clone()).encode(out);
    e.level.0.encode(out);
    put_u32(out, 0);
    e.str1.encode(out);
    e.str2.encode(out);
    e.str3.encode(out);
    e.int1.encode(out);
    e.int2.encode(out);
    put_u32(out, 0);
}

/// Decodes a `remote_error`. A present domain or network is read and dropped.
pub fn decode_error(d: &mut Decoder) -> Result<Error, XdrError> {
    let code = ErrorCode(i32::decode(d)?);
    let domain = ErrorDomain(i32::decode(d)?);
    let message = Option::<String>::decode(d)?;
    let level = ErrorLevel(i32::decode(d)?);
    let _dom = Option::<NonnullDomain>::decode(d)?;
    let str1 = Option::<String>::decode(d)?;
    let str2 = Option::<String>::decode(d)?;
    let str3 = Option::<String>::decode(d)?;
    let int1 = i32::decode(d)?;
    let int2 = i32::decode(d)?;
    let _net = Option::<NonnullNetwork>::decode(d)?;
    Ok(Error {
        code,
        domain,
        level,
        message: message.unwrap_or_default(),
        str1,
        str2,
        str3,
        int1,
        int2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxvirt_xdr::Decoder;

    fn be(v: u32) -> [u8; 4] {
        v.to_be_bytes()
    }

    #[test]
    fn unknown_procedure_error_encodes_field_by_field() {
        let e = Error::unknown_procedure(9999);
        let mut out = Vec::new();
        encode_error(&e, &mut out);

        let mut expected = Vec::new();
        expected.extend_from_slice(&be(39)); // code RPC
        expected.extend_from_slice(&be(7)); // domain RPC
        expected.extend_from_slice(&be(1)); // message present
        expected.extend_from_slice(&be(23));
        expected.extend_from_slice(b"unknown procedure: 9999\0");
        expected.extend_from_slice(&be(2)); // level ERROR
        expected.extend_from_slice(&be(0)); // dom absent
        expected.extend_from_slice(&be(1)); // str1 "%s"
        expected.extend_from_slice(&be(2));
        expected.extend_from_slice(b"%s\0\0");
        expected.extend_from_slice(&be(1)); // str2
        expected.extend_from_slice(&be(23));
        expected.extend_from_slice(b"unknown procedure: 9999\0");
        expected.extend_from_slice(&be(0)); // str3 absent
        expected.extend_from_slice(&be(u32::MAX)); // int1 -1
        expected.extend_from_slice(&be(u32::MAX)); // int2 -1
        expected.extend_from_slice(&be(0)); // net absent
        assert_eq!(out, expected);
    }

    #[test]
    fn error_round_trips() {
        let e = Error::new(
            ErrorDomain::QEMU,
            ErrorCode::NO_DOMAIN,
            "no domain with matching name 'nope'",
        );
        let mut out = Vec::new();
        encode_error(&e, &mut out);
        let mut d = Decoder::new(&out);
        let back = decode_error(&mut d).unwrap();
        d.finish().unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn present_domain_and_network_are_skipped() {
        let e = Error::rpc("x");
        let mut out = Vec::new();
        encode_error(&e, &mut out);
        // Rebuild with dom and net present.
        let mut with_dom = Vec::new();
        let dom = NonnullDomain {
            name: "d".into(),
            uuid: Default::default(),
            id: -1,
        };
        let net = NonnullNetwork {
            name: "n".into(),
            uuid: Default::default(),
        };
        let mut head = Vec::new();
        e.code.0.encode(&mut head);
        e.domain.0.encode(&mut head);
        Some(e.message.clone()).encode(&mut head);
        e.level.0.encode(&mut head);
        with_dom.extend_from_slice(&head);
        Some(dom).encode(&mut with_dom);
        e.str1.encode(&mut with_dom);
        e.str2.encode(&mut with_dom);
        e.str3.encode(&mut with_dom);
        e.int1.encode(&mut with_dom);
        e.int2.encode(&mut with_dom);
        Some(net).encode(&mut with_dom);
        let mut d = Decoder::new(&with_dom);
        assert_eq!(decode_error(&mut d).unwrap(), e);
        d.finish().unwrap();
    }
}
