#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The generic server against a toy program: framing rules, keepalive, fd
//! passing and streams, over a real UNIX socket.

use oxvirt_protocol::header::{Header, MessageType, Status};
use oxvirt_protocol::keepalive;
use oxvirt_rpc::client::{CallError, RpcClient};
use oxvirt_rpc::{
    frame, reply_error, reply_ok, AuthScheme, Client, Frame, Handler, Outcome, Server,
    ServerConfig, Service, StreamPacket, StreamSender, Transport,
};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::UnixListener;
use tokio::sync::watch;

const PROG: u32 = 0x1234;

/// proc 1: echo a u32; proc 2: sleep 300 ms then echo; proc 3: open an echo
/// stream; proc 4: return the number of fds received, plus an fd back; proc 5:
/// close after reply.
struct Toy;

impl Handler for Toy {
    type Session = ();
    fn new_session(&self, _c: &Arc<Client>) {}
    fn has_program(&self, prog: u32, vers: u32) -> bool {
        prog == PROG && vers == 1
    }
    fn is_priority(&self, _p: u32, proc_: i32) -> bool {
        proc_ == 1
    }
    fn is_inline(&self, _p: u32, proc_: i32) -> bool {
        proc_ == 1
    }
    fn allowed_unauthenticated(&self, _p: u32, _proc: i32) -> bool {
        true
    }
    async fn call(&self, client: &Arc<Client>, _s: &Arc<()>, f: Frame) -> Outcome {
        let h = f.header;
        match h.proc_ {
            1 => Outcome::Reply(reply_ok(&h, |o| o.extend_from_slice(&f.payload))),
            2 => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                Outcome::Reply(reply_ok(&h, |o| o.extend_from_slice(&f.payload)))
            }
            3 => {
                let mut rx = client.streams().register(&h);
                let tx = StreamSender::new(client.clone(), &h);
                let c = client.clone();
                tokio::spawn(async move {
                    while let Some(p) = rx.recv().await {
                        match p {
                            StreamPacket::Data(d) => {
                                tx.data(&d).await;
                            }
                            StreamPacket::Hole(n) => {
                                tx.hole(n).await;
                            }
                            StreamPacket::Eof => {
                                tx.eof().await;
                            }
                            StreamPacket::Finish | StreamPacket::Abort => {
                                c.streams().unregister(&h);
                                tx.ok().await;
                                return;
                            }
                        }
                    }
                });
                Outcome::Reply(reply_ok(&h, |_| {}))
            }
            4 => {
                let n = f.fds.len() as u32;
                let mut hdr = h.reply_to();
                hdr.type_ = MessageType::ReplyWithFds;
                let (r, mut w) = std::os::unix::net::UnixStream::pair().unwrap();
                w.write_all(b"via fd").unwrap();
                let bytes = frame::encode(&hdr, |o| {
                    o.extend_from_slice(&1u32.to_be_bytes());
                    o.extend_from_slice(&n.to_be_bytes());
                });
                Outcome::ReplyWithFds(bytes, vec![r.into()])
            }
            5 => Outcome::ReplyThenClose(reply_ok(&h, |_| {})),
            6 => {
                client.start_keepalive(1, 1);
                Outcome::Reply(reply_ok(&h, |_| {}))
            }
            _ => Outcome::Reply(reply_error(
                &h,
                &oxvirt_core::Error::unknown_procedure(h.proc_),
            )),
        }
    }
}

struct Env {
    _dir: std::path::PathBuf,
    sock: std::path::PathBuf,
    _shutdown: watch::Sender<bool>,
}

async fn start(config: ServerConfig) -> Env {
    let dir = std::env::temp_dir().join(format!(
        "oxvirt-rpc-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let sock = dir.join("sock");
    let listener = UnixListener::bind(&sock).unwrap();
    let server = Server::new(config, Arc::new(Toy));
    let (tx, rx) = watch::channel(false);
    let svc = Service {
        readonly: false,
        auth: AuthScheme::None,
        transport: Transport::Unix,
    };
    tokio::spawn(server.serve_unix(listener, svc, rx));
    Env {
        _dir: dir,
        sock,
        _shutdown: tx,
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn call_header(proc_: i32, serial: u32) -> Header {
    Header {
        prog: PROG,
        vers: 1,
        proc_,
        type_: MessageType::Call,
        serial,
        status: Status::Ok,
    }
}

#[tokio::test]
async fn echo_call_round_trips() {
    let env = start(ServerConfig::default()).await;
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    let v: u32 = c.call(PROG, 1, 1, &42u32).await.unwrap();
    assert_eq!(v, 42);
}

#[tokio::test]
async fn unknown_program_gets_rpc_error() {
    let env = start(ServerConfig::default()).await;
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    let err = c.call::<(), ()>(0x999, 1, 1, &()).await.unwrap_err();
    match err {
        CallError::Remote(e) => {
            assert_eq!((e.code.0, e.domain.0), (39, 7));
            assert_eq!(e.message, "Cannot find program 2457 version 1");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_length_word_drops_only_that_connection() {
    let env = start(ServerConfig::default()).await;
    let good = RpcClient::connect_unix(&env.sock).await.unwrap();
    let sock = env.sock.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = std::os::unix::net::UnixStream::connect(&sock).unwrap();
        s.write_all(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(
            s.read(&mut buf).unwrap(),
            0,
            "server must close the connection"
        );
    })
    .await
    .unwrap();
    let v: u32 = good.call(PROG, 1, 1, &7u32).await.unwrap();
    assert_eq!(v, 7);
}

#[tokio::test]
async fn bad_status_is_answered_not_dropped() {
    let env = start(ServerConfig::default()).await;
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    let mut events = c.take_events().unwrap();
    let mut h = call_header(1, 99);
    h.status = Status::Continue;
    c.send_raw(&frame::encode(&h, |_| {})).await.unwrap();
    // The reply to serial 99 is not awaited by anyone, so it is dropped by the
    // client; the connection must still work.
    let v: u32 = c.call(PROG, 1, 1, &1u32).await.unwrap();
    assert_eq!(v, 1);
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn keepalive_ping_gets_pong() {
    let env = start(ServerConfig::default()).await;
    let sock = env.sock.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = std::os::unix::net::UnixStream::connect(&sock).unwrap();
        let h = Header {
            prog: keepalive::PROGRAM,
            vers: 1,
            proc_: keepalive::PROC_PING,
            type_: MessageType::Message,
            serial: 0,
            status: Status::Ok,
        };
        s.write_all(&frame::encode(&h, |_| {})).unwrap();
        let mut buf = [0u8; 28];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(&buf[..4], &[0, 0, 0, 28]);
        assert_eq!(u32::from_be_bytes([buf[16], buf[17], buf[18], buf[19]]), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn slow_call_does_not_block_fast_one() {
    let env = start(ServerConfig::default()).await;
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    let c2 = c.clone();
    let slow = tokio::spawn(async move { c2.call::<u32, u32>(PROG, 1, 2, &1).await });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let t = std::time::Instant::now();
    let v: u32 = c.call(PROG, 1, 1, &5u32).await.unwrap();
    assert_eq!(v, 5);
    assert!(
        t.elapsed() < Duration::from_millis(200),
        "fast call waited for the slow one"
    );
    assert_eq!(slow.await.unwrap().unwrap(), 1);
}

#[tokio::test]
async fn descriptors_pass_both_ways() {
    let env = start(ServerConfig::default()).await;
    let sock = env.sock.clone();
    tokio::task::spawn_blocking(move || {
        let s = std::os::unix::net::UnixStream::connect(&sock).unwrap();
        let mut h = call_header(4, 0);
        h.type_ = MessageType::CallWithFds;
        let bytes = frame::encode(&h, |o| o.extend_from_slice(&2u32.to_be_bytes()));
        (&s).write_all(&bytes).unwrap();
        let devnull = std::fs::File::open("/dev/null").unwrap();
        for _ in 0..2 {
            send_fd(s.as_raw_fd(), devnull.as_raw_fd());
        }
        // Reply: 28 header bytes + nfds + 1 u32, then one dummy byte with an fd.
        let mut buf = [0u8; 36];
        (&s).read_exact(&mut buf).unwrap();
        assert_eq!(u32::from_be_bytes([buf[16], buf[17], buf[18], buf[19]]), 5);
        assert_eq!(u32::from_be_bytes([buf[32], buf[33], buf[34], buf[35]]), 2);
        let fd = recv_fd(s.as_raw_fd());
        let mut f = std::fs::File::from(fd);
        let mut text = [0u8; 6];
        f.read_exact(&mut text).unwrap();
        assert_eq!(&text, b"via fd");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn stream_echoes_data_holes_and_finish() {
    let env = start(ServerConfig::default()).await;
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    let mut events = c.take_events().unwrap();
    let reply = c.call_frame(PROG, 1, 3, &()).await.unwrap();
    let serial = reply.header.serial;
    let mut h = call_header(3, serial);
    h.type_ = MessageType::Stream;
    h.status = Status::Continue;
    let big = vec![7u8; 300_000];
    c.send_raw(&frame::encode(&h, |o| o.extend_from_slice(&big)))
        .await
        .unwrap();
    let mut got = 0;
    while got < big.len() {
        let f = tokio::time::timeout(Duration::from_secs(5), events.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(f.header.type_, MessageType::Stream);
        assert!(f.payload.len() <= 262120);
        got += f.payload.len();
    }
    let mut hole = h;
    hole.type_ = MessageType::StreamHole;
    c.send_raw(&frame::encode(&hole, |o| {
        o.extend_from_slice(&4096i64.to_be_bytes());
        o.extend_from_slice(&0u32.to_be_bytes());
    }))
    .await
    .unwrap();
    let f = events.recv().await.unwrap();
    assert_eq!(f.header.type_, MessageType::StreamHole);
    let mut fin = h;
    fin.status = Status::Ok;
    c.send_raw(&frame::encode(&fin, |_| {})).await.unwrap();
    let f = events.recv().await.unwrap();
    assert_eq!(
        (f.header.type_, f.header.status),
        (MessageType::Stream, Status::Ok)
    );
    // Packets for the finished stream are dropped silently; calls still work.
    c.send_raw(&frame::encode(&h, |o| o.extend_from_slice(b"late")))
        .await
        .unwrap();
    let v: u32 = c.call(PROG, 1, 1, &3u32).await.unwrap();
    assert_eq!(v, 3);
}

#[tokio::test]
async fn close_after_reply_closes() {
    let env = start(ServerConfig::default()).await;
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    c.call::<(), ()>(PROG, 1, 5, &()).await.unwrap();
    let err = c.call::<u32, u32>(PROG, 1, 1, &1).await;
    assert!(err.is_err());
}

#[tokio::test]
async fn max_clients_defers_the_extra_client() {
    let env = start(ServerConfig {
        max_clients: 1,
        ..Default::default()
    })
    .await;
    let first = RpcClient::connect_unix(&env.sock).await.unwrap();
    let _: u32 = first.call(PROG, 1, 1, &1u32).await.unwrap();
    let second = RpcClient::connect_unix(&env.sock).await.unwrap();
    let pending = tokio::time::timeout(
        Duration::from_millis(300),
        second.call::<u32, u32>(PROG, 1, 1, &2),
    )
    .await;
    assert!(
        pending.is_err(),
        "second client must wait while the first is connected"
    );
    drop(first);
    let v = tokio::time::timeout(
        Duration::from_secs(5),
        second.call::<u32, u32>(PROG, 1, 1, &2),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(v, 2);
}

fn send_fd(sock: i32, fd: i32) {
    let mut byte = [0u8];
    let space = unsafe { libc::CMSG_SPACE(4) } as usize;
    let mut cbuf = vec![0u8; space];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr().cast();
    msg.msg_controllen = space as _;
    unsafe {
        let c = libc::CMSG_FIRSTHDR(&msg);
        (*c).cmsg_level = libc::SOL_SOCKET;
        (*c).cmsg_type = libc::SCM_RIGHTS;
        (*c).cmsg_len = libc::CMSG_LEN(4) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(c).cast::<i32>(), fd);
        assert_eq!(libc::sendmsg(sock, &msg, 0), 1);
    }
}

fn recv_fd(sock: i32) -> std::os::fd::OwnedFd {
    use std::os::fd::FromRawFd;
    let mut byte = [0u8];
    let space = unsafe { libc::CMSG_SPACE(4) } as usize;
    let mut cbuf = vec![0u8; space];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr().cast();
    msg.msg_controllen = space as _;
    unsafe {
        assert_eq!(libc::recvmsg(sock, &mut msg, 0), 1);
        let c = libc::CMSG_FIRSTHDR(&msg);
        assert!(!c.is_null());
        std::os::fd::OwnedFd::from_raw_fd(std::ptr::read_unaligned(
            libc::CMSG_DATA(c).cast::<i32>(),
        ))
    }
}

#[tokio::test]
async fn keepalive_drops_a_silent_peer_and_keeps_an_answering_one() {
    let env = start(ServerConfig::default()).await;
    // An answering client (RpcClient replies to PINGs) survives several intervals.
    let c = RpcClient::connect_unix(&env.sock).await.unwrap();
    c.call::<(), ()>(PROG, 1, 6, &()).await.unwrap();
    // A silent one is dropped after interval * (count + 1).
    let sock = env.sock.clone();
    let silent = tokio::task::spawn_blocking(move || {
        let mut s = std::os::unix::net::UnixStream::connect(&sock).unwrap();
        s.write_all(&frame::encode(&call_header(6, 0), |_| {}))
            .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let t = std::time::Instant::now();
        let mut pings = 0;
        let mut buf = [0u8; 28];
        // The reply, then PINGs, then end of stream.
        while s.read_exact(&mut buf).is_ok() {
            if u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]) == keepalive::PROGRAM {
                pings += 1;
            }
        }
        (pings, t.elapsed())
    });
    let (pings, elapsed) = silent.await.unwrap();
    assert!(pings >= 1, "the server must probe before giving up");
    assert!(
        elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_secs(6),
        "{elapsed:?}"
    );
    let v: u32 = c.call(PROG, 1, 1, &9u32).await.unwrap();
    assert_eq!(v, 9);
}
