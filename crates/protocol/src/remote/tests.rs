use super::*;
use oxvirt_core::Uuid;
use oxvirt_xdr::{from_bytes, to_bytes, CharArray, FixedChars};

fn rpctest1_inactive() -> NonnullDomain {
    NonnullDomain {
        name: "rpctest1".into(),
        uuid: Uuid([
            0x6e, 0x2b, 0x5a, 0x8e, 0x11, 0x4c, 0x4c, 0x33, 0x8a, 0x7b, 0x20, 0x1f, 0x5c, 0x66,
            0x01, 0x02,
        ]),
        id: -1,
    }
}

#[test]
fn auth_list_reply_payload_is_one_none_entry() {
    let ret = AuthListRet {
        types: vec![AUTH_NONE],
    };
    assert_eq!(to_bytes(&ret), [0, 0, 0, 1, 0, 0, 0, 0]);
}

#[test]
fn inactive_domain_handle_encodes_name_uuid_and_minus_one() {
    let dom = rpctest1_inactive();
    let bytes = to_bytes(&dom);
    let mut expected = vec![0, 0, 0, 8];
    expected.extend_from_slice(b"rpctest1");
    expected.extend_from_slice(dom.uuid.as_bytes());
    expected.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    assert_eq!(bytes, expected);
    assert_eq!(from_bytes::<NonnullDomain>(&bytes).unwrap(), dom);
}

#[test]
fn node_get_info_ret_is_160_bytes() {
    let ret = NodeGetInfoRet {
        model: FixedChars::from_str_truncated("x86_64"),
        memory: 8_000_000,
        cpus: 2,
        mhz: 2400,
        nodes: 1,
        sockets: 1,
        cores: 2,
        threads: 1,
    };
    let bytes = to_bytes(&ret);
    assert_eq!(bytes.len(), 160);
    assert_eq!(&bytes[..8], &[0, 0, 0, b'x', 0, 0, 0, b'8']);
    assert_eq!(from_bytes::<NodeGetInfoRet>(&bytes).unwrap(), ret);
}

#[test]
fn domain_get_info_ret_is_32_bytes() {
    let ret = DomainGetInfoRet {
        state: 5,
        maxMem: 65536,
        memory: 65536,
        nrVirtCpu: 1,
        cpuTime: 0,
    };
    let bytes = to_bytes(&ret);
    assert_eq!(bytes.len(), 32);
    assert_eq!(&bytes[..4], &[0, 0, 0, 5]);
}

#[test]
fn security_model_none_counts_its_nul() {
    let ret = NodeGetSecurityModelRet {
        model: CharArray::with_nul("none"),
        doi: CharArray::with_nul(""),
    };
    let bytes = to_bytes(&ret);
    assert_eq!(&bytes[..4], &[0, 0, 0, 5]);
    assert_eq!(&bytes[4..8], &[0, 0, 0, b'n']);
    assert_eq!(bytes.len(), 4 + 5 * 4 + 4 + 4);
}

#[test]
fn connect_open_with_empty_name_is_present_empty_string() {
    let args = ConnectOpenArgs {
        name: Some(String::new()),
        flags: 0,
    };
    assert_eq!(to_bytes(&args), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn callback_lifecycle_msg_nests_the_legacy_msg() {
    let msg = DomainEventCallbackLifecycleMsg {
        callbackID: 0,
        msg: DomainEventLifecycleMsg {
            dom: rpctest1_inactive(),
            event: 5,
            detail: 1,
        },
    };
    let bytes = to_bytes(&msg);
    assert_eq!(&bytes[..4], &[0, 0, 0, 0]);
    assert_eq!(bytes.len(), 4 + 32 + 4 + 4);
    assert_eq!(&bytes[bytes.len() - 8..], &[0, 0, 0, 5, 0, 0, 0, 1]);
}

#[test]
fn list_all_domains_over_its_max_is_refused() {
    let mut bytes = (DOMAIN_LIST_MAX as u32 + 1).to_be_bytes().to_vec();
    bytes.extend_from_slice(&[0; 64]);
    assert!(from_bytes::<ConnectListAllDomainsRet>(&bytes).is_err());
}

#[test]
fn domain_stats_record_round_trips() {
    use oxvirt_core::{TypedParam, TypedValue};
    let ret = ConnectGetAllDomainStatsRet {
        retStats: vec![DomainStatsRecord {
            dom: rpctest1_inactive(),
            params: vec![
                TypedParam::new("state.state", TypedValue::Int(5)),
                TypedParam::new("balloon.current", TypedValue::ULLong(65536)),
            ],
        }],
    };
    let bytes = to_bytes(&ret);
    assert_eq!(
        from_bytes::<ConnectGetAllDomainStatsRet>(&bytes).unwrap(),
        ret
    );
}

#[test]
fn proc_numbers_match_the_reference() {
    assert_eq!(procs::CONNECT_OPEN, 1);
    assert_eq!(procs::AUTH_LIST, 66);
    assert_eq!(procs::CONNECT_LIST_ALL_DOMAINS, 273);
    assert_eq!(procs::CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 316);
    assert_eq!(procs::DOMAIN_EVENT_CALLBACK_LIFECYCLE, 318);
    assert_eq!(procs::CONNECT_REGISTER_CLOSE_CALLBACK, 360);
    assert_eq!(procs::CONNECT_SET_IDENTITY, 419);
    assert_eq!(procs::DOMAIN_GET_MESSAGES, 426);
    assert_eq!(procs::DOMAIN_FD_ASSOCIATE, 443);
}

mod table_sanity {
    use super::super::table::*;
    use oxvirt_core::ErrorDomain;
    use std::collections::HashSet;

    #[test]
    fn every_procedure_is_present_once() {
        let mut names = HashSet::new();
        for n in 1..=PROC_MAX {
            let info = proc_info(n).unwrap();
            assert_eq!(info.number, n);
            assert!(!info.name.is_empty());
            assert!(info.api.starts_with("vir"));
            assert!(names.insert(info.name), "duplicate {}", info.name);
        }
        assert!(proc_info(0).is_none());
        assert!(proc_info(-1).is_none());
        assert!(proc_info(PROC_MAX + 1).is_none());
    }

    #[test]
    fn reference_denials_hold() {
        for n in [277, 342, 145, 201, 12, 231, 62, 364, 185, 192, 193] {
            assert!(readonly_denied_with_flags(n, 0), "{n} should be denied");
        }
        for n in [24, 23, 273, 344, 7, 212, 316, 14, 200, 353] {
            assert!(!readonly_denied_with_flags(n, 0), "{n} should be allowed");
        }
    }

    #[test]
    fn conditional_denials_follow_flags() {
        assert!(readonly_denied_with_flags(14, 1));
        assert!(readonly_denied_with_flags(14, 8));
        assert!(!readonly_denied_with_flags(14, 2));
        assert!(readonly_denied_with_flags(200, 8));
        assert!(readonly_denied_with_flags(353, 1));
        assert!(!readonly_denied_with_flags(353, 0));
        assert!(readonly_denied_with_flags(186, 1));
        assert!(!readonly_denied_with_flags(186, 0));
        assert_eq!(
            readonly_error(14).message,
            "operation forbidden: virDomainGetXMLDesc with secure flag"
        );
    }

    #[test]
    fn readonly_error_names_the_api_in_its_family() {
        let e = readonly_error(12);
        assert_eq!(
            e.message,
            "operation forbidden: read only access prevents virDomainDestroy"
        );
        assert_eq!(e.domain, ErrorDomain::DOMAIN);
        assert_eq!(e.code, oxvirt_core::ErrorCode::OPERATION_DENIED);
        assert_eq!(readonly_error(145).domain, ErrorDomain::SECRET);
        assert_eq!(readonly_error(250).domain, ErrorDomain::NONE);
    }

    #[test]
    fn api_names_and_families() {
        let i = proc_info(12).unwrap();
        assert_eq!(
            (i.name, i.api, i.family),
            ("DOMAIN_DESTROY", "virDomainDestroy", ErrorDomain::DOMAIN)
        );
        assert_eq!(proc_info(14).unwrap().api, "virDomainGetXMLDesc");
        assert_eq!(proc_info(24).unwrap().api, "virDomainLookupByUUID");
        assert_eq!(proc_info(145).unwrap().family, ErrorDomain::SECRET);
        assert_eq!(proc_info(342).unwrap().family, ErrorDomain::DOMAIN);
        assert_eq!(proc_info(283).unwrap().family, ErrorDomain::NETWORK);
        assert_eq!(proc_info(281).unwrap().family, ErrorDomain::STORAGE);
        assert_eq!(proc_info(285).unwrap().family, ErrorDomain::NODEDEV);
        assert_eq!(proc_info(286).unwrap().api, "virConnectListAllNWFilters");
        assert_eq!(proc_info(250).unwrap().family, ErrorDomain::NONE);
    }

    #[test]
    fn priorities_follow_the_x_file() {
        assert!(proc_info(1).unwrap().priority);
        assert!(proc_info(12).unwrap().priority);
        assert!(!proc_info(9).unwrap().priority);
        assert!(!proc_info(16).unwrap().priority);
    }

    #[test]
    fn lookup_by_name_finds_the_number() {
        assert_eq!(
            proc_by_name("DOMAIN_GET_STATE").map(|i| i.number),
            Some(212)
        );
        assert!(proc_by_name("NOPE").is_none());
        assert!(proc_by_name("").is_none());
    }

    #[test]
    fn streams_and_auth() {
        assert_eq!(stream_kind(209), Some(StreamKind::Read));
        assert_eq!(stream_kind(208), Some(StreamKind::Write));
        assert_eq!(stream_kind(201), Some(StreamKind::Read));
        assert_eq!(stream_kind(23), None);
        assert!(allowed_before_auth(66));
        assert!(!allowed_before_auth(1));
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = from_bytes::<ConnectOpenArgs>(&bytes);
            let _ = from_bytes::<DomainLookupByNameArgs>(&bytes);
            let _ = from_bytes::<ConnectGetAllDomainStatsArgs>(&bytes);
            let _ = from_bytes::<ConnectSetIdentityArgs>(&bytes);
            let _ = from_bytes::<AuthSaslStartArgs>(&bytes);
            let _ = from_bytes::<DomainOpenConsoleArgs>(&bytes);
            let _ = from_bytes::<NodeGetInfoRet>(&bytes);
            let _ = from_bytes::<DomainEventCallbackLifecycleMsg>(&bytes);
            let mut d = oxvirt_xdr::Decoder::new(&bytes);
            let _ = crate::error::decode_error(&mut d);
        }
    }
}
