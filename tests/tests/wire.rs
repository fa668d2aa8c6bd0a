//! Malformed and hostile input on a real daemon's socket: each case gets
//! libvirt's answer, and other clients keep being served.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_core::Uuid;
use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::remote::{self, procs};
use oxvirt_rpc::client::{CallError, RpcClient};
use oxvirt_rpc::frame;
use oxvirt_tests::Daemon;
use std::io::{Read, Write};
use std::time::Duration;

async fn open(d: &Daemon) -> std::sync::Arc<RpcClient> {
    let c = RpcClient::connect_unix(&d.sock()).await.unwrap();
    let _: () = c
        .call(
            remote::PROGRAM,
            1,
            procs::CONNECT_OPEN,
            &remote::ConnectOpenArgs {
                name: Some("test:///default".into()),
                flags: 0,
            },
        )
        .await
        .unwrap();
    c
}

fn remote_err(e: CallError) -> oxvirt_core::Error {
    match e {
        CallError::Remote(e) => e,
        other => panic!("expected a libvirt error, got {other:?}"),
    }
}

async fn still_serves(c: &RpcClient) {
    let r: remote::ConnectGetHostnameRet = c
        .call(remote::PROGRAM, 1, procs::CONNECT_GET_HOSTNAME, &())
        .await
        .unwrap();
    assert!(!r.hostname.is_empty());
}

fn raw_exchange(d: &Daemon, bytes: &[u8]) -> Vec<u8> {
    let mut s = std::os::unix::net::UnixStream::connect(d.sock()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

#[tokio::test]
async fn bad_length_and_garbage_header_close_only_that_connection() {
    let d = Daemon::start("libvirtd", &[]);
    let other = open(&d).await;
    // Length word smaller than a header.
    assert!(raw_exchange(&d, &[0, 0, 0, 3]).is_empty());
    // Length word over 32 MiB + 4.
    assert!(raw_exchange(&d, &[0x02, 0x00, 0x00, 0x05]).is_empty());
    // A header with an impossible message type.
    let mut garbage = vec![0, 0, 0, 28];
    garbage.extend_from_slice(&[0xde; 24]);
    assert!(raw_exchange(&d, &garbage).is_empty());
    still_serves(&other).await;
}

#[tokio::test]
async fn unknown_procedure_and_program_answer_rpc_errors() {
    let d = Daemon::start("libvirtd", &[]);
    let c = open(&d).await;
    let e = remote_err(
        c.call::<(), ()>(remote::PROGRAM, 1, 9999, &())
            .await
            .unwrap_err(),
    );
    assert_eq!((e.code.0, e.domain.0, e.level.0), (39, 7, 2));
    assert_eq!(e.message, "unknown procedure: 9999");
    let e = remote_err(c.call::<(), ()>(0x4242, 1, 1, &()).await.unwrap_err());
    assert_eq!((e.code.0, e.domain.0), (39, 7));
    assert!(
        e.message.starts_with("Cannot find program"),
        "{}",
        e.message
    );
    // A procedure of libvirt 9.0 that the driver lacks gets libvirtd's answer
    // for a driver without the callback.
    let e = remote_err(
        c.call::<(), ()>(remote::PROGRAM, 1, procs::DOMAIN_SCREENSHOT, &())
            .await
            .unwrap_err(),
    );
    assert_eq!((e.code.0, e.domain.0), (3, 20));
    assert_eq!(
        e.message,
        "this function is not supported by the connection driver: virDomainScreenshot"
    );
    still_serves(&c).await;
}

#[tokio::test]
async fn oversized_and_truncated_payloads_get_decode_errors() {
    let d = Daemon::start("libvirtd", &[]);
    let c = open(&d).await;
    // A string length over the 4 MiB limit, with no bytes behind it.
    let e = remote_err(
        c.call::<u32, ()>(
            remote::PROGRAM,
            1,
            procs::DOMAIN_LOOKUP_BY_NAME,
            &0x0100_0000u32,
        )
        .await
        .unwrap_err(),
    );
    assert_eq!((e.code.0, e.domain.0), (39, 7));
    assert_eq!(e.message, "Unable to decode message payload");
    // An array count far above its maximum.
    let e = remote_err(
        c.call::<(u32, u32, u32), ()>(
            remote::PROGRAM,
            1,
            procs::CONNECT_GET_ALL_DOMAIN_STATS,
            &(0x7fff_ffff, 0, 0),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.message, "Unable to decode message payload");
    // A negative maxids.
    let e = remote_err(
        c.call::<i32, ()>(remote::PROGRAM, 1, procs::CONNECT_LIST_DOMAINS, &-1)
            .await
            .unwrap_err(),
    );
    assert_ne!(e.code.0, 0);
    still_serves(&c).await;
}

#[tokio::test]
async fn calls_before_open_and_double_open_are_refused() {
    let d = Daemon::start("virtqemud", &[]);
    let c = RpcClient::connect_unix(&d.sock()).await.unwrap();
    let e = remote_err(
        c.call::<(), remote::ConnectGetHostnameRet>(
            remote::PROGRAM,
            1,
            procs::CONNECT_GET_HOSTNAME,
            &(),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!((e.code.0, e.domain.0), (1, 7));
    assert_eq!(e.message, "internal error: hypervisor connection not open");
    let args = remote::ConnectOpenArgs {
        name: Some("bogus:///x".into()),
        flags: 0,
    };
    let e = remote_err(
        c.call::<_, ()>(remote::PROGRAM, 1, procs::CONNECT_OPEN, &args)
            .await
            .unwrap_err(),
    );
    assert_eq!((e.code.0, e.domain.0), (5, 0));
    assert_eq!(e.message, "no connection driver available for bogus:///x");
    let args = remote::ConnectOpenArgs {
        name: Some("test:///default".into()),
        flags: 0,
    };
    c.call::<_, ()>(remote::PROGRAM, 1, procs::CONNECT_OPEN, &args)
        .await
        .unwrap();
    let e = remote_err(
        c.call::<_, ()>(remote::PROGRAM, 1, procs::CONNECT_OPEN, &args)
            .await
            .unwrap_err(),
    );
    assert_eq!(e.message, "internal error: connection already open");
    // Unlike libvirtd, the first connection survives the second open.
    still_serves(&c).await;
}

#[tokio::test]
async fn readonly_socket_enforces_denials_in_the_daemon() {
    let d = Daemon::start("libvirtd", &[]);
    let c = RpcClient::connect_unix(&d.sock_ro()).await.unwrap();
    let args = remote::ConnectOpenArgs {
        name: Some("test:///default".into()),
        flags: 0,
    };
    c.call::<_, ()>(remote::PROGRAM, 1, procs::CONNECT_OPEN, &args)
        .await
        .unwrap();
    let dom: remote::DomainLookupByNameRet = c
        .call(
            remote::PROGRAM,
            1,
            procs::DOMAIN_LOOKUP_BY_NAME,
            &remote::DomainLookupByNameArgs {
                name: "test".into(),
            },
        )
        .await
        .unwrap();
    let e = remote_err(
        c.call::<_, ()>(
            remote::PROGRAM,
            1,
            procs::DOMAIN_DESTROY,
            &remote::DomainDestroyArgs {
                dom: dom.dom.clone(),
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!((e.code.0, e.domain.0), (29, 20));
    assert_eq!(
        e.message,
        "operation forbidden: read only access prevents virDomainDestroy"
    );
    let e = remote_err(
        c.call::<_, ()>(
            remote::PROGRAM,
            1,
            procs::DOMAIN_GET_XML_DESC,
            &remote::DomainGetXmlDescArgs {
                dom: dom.dom.clone(),
                flags: 1,
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.code.0, 29);
    let e = remote_err(
        c.call::<_, ()>(
            remote::PROGRAM,
            1,
            procs::DOMAIN_DEFINE_XML,
            &remote::DomainDefineXmlArgs {
                xml: "<domain/>".into(),
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.code.0, 29);
    // A lookup of a missing uuid names it.
    let e = remote_err(
        c.call::<_, ()>(
            remote::PROGRAM,
            1,
            procs::DOMAIN_LOOKUP_BY_UUID,
            &remote::DomainLookupByUuidArgs {
                uuid: Uuid([9; 16]),
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(e.code.0, 42);
}

#[tokio::test]
async fn unauthenticated_and_stray_frames_are_handled() {
    let d = Daemon::start("libvirtd", &[]);
    let c = open(&d).await;
    // A stray STREAM packet for no stream and a stray REPLY are dropped silently.
    for type_ in [
        MessageType::Stream,
        MessageType::Reply,
        MessageType::StreamHole,
    ] {
        let h = Header {
            prog: remote::PROGRAM,
            vers: 1,
            proc_: procs::STORAGE_VOL_UPLOAD,
            type_,
            serial: 77,
            status: Status::Continue,
        };
        c.send_raw(&frame::encode(&h, |o| o.extend_from_slice(&[1, 2, 3, 4])))
            .await
            .unwrap();
    }
    still_serves(&c).await;
}

#[tokio::test]
async fn many_pipelined_calls_on_one_connection_all_answer() {
    let d = Daemon::start("libvirtd", &[]);
    let c = open(&d).await;
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let _: remote::ConnectListAllDomainsRet = c
                .call(
                    remote::PROGRAM,
                    1,
                    procs::CONNECT_LIST_ALL_DOMAINS,
                    &remote::ConnectListAllDomainsArgs {
                        need_results: 1,
                        flags: 0,
                    },
                )
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}
