//! The client library against real daemons: oxvirt's libvirtd, virtqemud
//! and virtstoraged, and libvirt's own libvirtd (test driver only) when it
//! is installed. Blocking and async use, events, streams with holes,
//! read-only refusals, error codes, keepalive, and the ssh and tcp
//! transports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_client::{
    CloseReason, Connect, DomainEvent, DomainEventId, ErrorCode, ErrorDomain, OpenOptions,
    StreamData, TypedValue, Wait,
};
use oxvirt_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const FOO: &str = "<domain type='test'><name>foo</name>\
    <uuid>12345678-1234-1234-1234-123456789abc</uuid>\
    <memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";

/// Runs a domain lifecycle with the blocking interface and checks every
/// answer and the lifecycle events that go with it.
fn lifecycle(uri: &str) {
    let conn = Connect::open(Some(uri)).wait().unwrap();
    assert_eq!(conn.uri(), uri);
    assert_eq!(conn.get_type().wait().unwrap(), "TEST");
    assert!(conn.get_version().wait().unwrap() > 0);
    assert!(!conn.get_hostname().wait().unwrap().is_empty());
    assert!(conn.node_get_info().wait().unwrap().cpus > 0);
    assert!(conn.is_secure().wait().unwrap());
    let names: Vec<String> = conn
        .list_all_domains(0)
        .wait()
        .unwrap()
        .iter()
        .map(|d| d.name().to_owned())
        .collect();
    assert_eq!(names, ["test"]);
    let test = conn.domain_lookup_by_id(1).wait().unwrap();
    assert_eq!(test.name(), "test");
    let by_uuid = conn.domain_lookup_by_uuid(&test.uuid()).wait().unwrap();
    assert_eq!(by_uuid.id(), Some(1));

    let (tx, rx) = mpsc::channel();
    let cb = conn
        .domain_event_register_any(None, DomainEventId::LIFECYCLE, move |d, ev| {
            if let DomainEvent::Lifecycle { event, detail } = ev {
                let _ = tx.send((d.name().to_owned(), *event, *detail));
            }
        })
        .wait()
        .unwrap();

    let guest = conn.domain_define_xml(FOO).wait().unwrap();
    assert_eq!(guest.id(), None);
    assert!(guest.is_persistent().wait().unwrap());
    assert!(!guest.is_active().wait().unwrap());
    guest.create().wait().unwrap();
    assert!(guest.id().is_some(), "the id is refreshed after start");
    assert_eq!(guest.get_state(0).wait().unwrap(), (1, 1));
    guest.suspend().wait().unwrap();
    assert_eq!(guest.get_state(0).wait().unwrap().0, 3);
    guest.resume().wait().unwrap();
    let info = guest.get_info().wait().unwrap();
    assert_eq!((info.state, info.max_mem, info.nr_virt_cpu), (1, 131072, 1));
    assert!(guest
        .get_xml_desc(0)
        .wait()
        .unwrap()
        .contains("<name>foo</name>"));
    guest.set_autostart(true).wait().unwrap();
    assert!(guest.get_autostart().wait().unwrap());
    let stats = conn
        .get_all_domain_stats(std::slice::from_ref(&guest), 1, 0)
        .wait()
        .unwrap();
    assert_eq!(stats[0].domain.name(), "foo");
    assert!(stats[0]
        .params
        .iter()
        .any(|p| p.field == "state.state" && p.value == TypedValue::Int(1)));
    guest.destroy().wait().unwrap();
    assert_eq!(guest.id(), None);
    guest.undefine().wait().unwrap();

    let mut seen = Vec::new();
    let t = Instant::now();
    while seen.len() < 6 && t.elapsed() < Duration::from_secs(10) {
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.push(e);
        }
    }
    let foo_events: Vec<(i32, i32)> = seen
        .iter()
        .filter(|(n, _, _)| n == "foo")
        .map(|(_, e, d)| (*e, *d))
        .collect();
    // Defined/Added, Started/Booted, Suspended/Paused, Resumed/Unpaused,
    // Stopped/Destroyed, Undefined/Removed.
    assert_eq!(
        foo_events,
        [(0, 0), (2, 0), (3, 0), (4, 0), (5, 1), (1, 0)],
        "{seen:?}"
    );
    conn.domain_event_deregister_any(cb).wait().unwrap();
    conn.close().wait().unwrap();
}

#[test]
fn blocking_lifecycle_on_oxvirt_libvirtd_and_virtqemud() {
    for name in ["libvirtd", "virtqemud"] {
        let d = Daemon::start(name, &[]);
        lifecycle(&d.test_uri());
    }
}

#[test]
fn errors_carry_libvirts_code_domain_and_message() {
    let d = Daemon::start("libvirtd", &[]);
    let conn = Connect::open(Some(&d.test_uri())).wait().unwrap();
    let e = conn.domain_lookup_by_name("nope").wait().unwrap_err();
    assert_eq!(
        (e.code, e.domain),
        (ErrorCode::NO_DOMAIN, ErrorDomain::TEST)
    );
    assert!(e.message.starts_with("Domain not found"), "{}", e.message);
    let e = conn.domain_define_xml("<domain").wait().unwrap_err();
    assert_eq!(e.code, ErrorCode::XML_DETAIL);
    // A family the test driver lacks answers VIR_ERR_NO_SUPPORT.
    let e = conn.list_all_secrets(0).wait().unwrap_err();
    assert_eq!(e.code, ErrorCode::NO_SUPPORT);

    let e = Connect::open(Some("test+unix:///default?socket=/nonexistent/sock"))
        .wait()
        .err()
        .unwrap();
    assert_eq!(
        (e.code, e.domain),
        (ErrorCode::SYSTEM_ERROR, ErrorDomain::RPC)
    );
    assert_eq!(
        e.message,
        "Failed to connect socket to '/nonexistent/sock': No such file or directory"
    );
    let e = Connect::open(Some("bogus")).wait().err().unwrap();
    assert_eq!(e.code, ErrorCode::NO_CONNECT);
    let e = Connect::open(Some(&d.test_uri().replace("test+unix", "bogus+unix")))
        .wait()
        .err()
        .unwrap();
    assert_eq!(
        e.message,
        "no connection driver available for bogus:///default"
    );
}

#[test]
fn read_only_connections_refuse_writes_before_sending_them() {
    let d = Daemon::start("libvirtd", &[]);
    let opts = OpenOptions {
        read_only: true,
        ..OpenOptions::default()
    };
    let conn = Connect::open_with(Some(&d.test_uri()), &opts)
        .wait()
        .unwrap();
    assert!(conn.is_read_only());
    let test = conn.domain_lookup_by_name("test").wait().unwrap();
    let e = test.destroy().wait().unwrap_err();
    assert_eq!(
        (e.code, e.domain),
        (ErrorCode::OPERATION_DENIED, ErrorDomain::DOMAIN)
    );
    assert_eq!(
        e.message,
        "operation forbidden: read only access prevents virDomainDestroy"
    );
    let e = test.get_xml_desc(1).wait().unwrap_err();
    assert_eq!(
        e.message,
        "operation forbidden: virDomainGetXMLDesc with secure flag"
    );
    assert!(test.get_xml_desc(0).wait().is_ok());
    assert_eq!(test.get_state(0).wait().unwrap().0, 1);
}

#[test]
fn async_api_works_from_a_foreign_runtime() {
    let d = Daemon::start("virtqemud", &[]);
    let uri = d.test_uri();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let conn = Connect::open(Some(&uri)).await.unwrap();
        let doms = conn.list_all_domains(1).await.unwrap();
        let (state, _) = doms[0].get_state(0).await.unwrap();
        assert_eq!(state, 1);
        // Several calls in flight on one connection.
        let (a, b, c) = tokio::join!(
            conn.get_hostname(),
            conn.get_capabilities(),
            doms[0].get_info()
        );
        assert!(a.is_ok() && b.unwrap().contains("<capabilities>") && c.is_ok());
        conn.close().await.unwrap();
    });
}

#[test]
fn keepalive_notices_a_stopped_daemon() {
    let d = Daemon::start("libvirtd", &[]);
    let conn = Connect::open(Some(&d.test_uri())).wait().unwrap();
    let (tx, rx) = mpsc::channel();
    conn.register_close_callback(move |r| {
        let _ = tx.send(r);
    })
    .wait()
    .unwrap();
    assert!(conn.set_keepalive(1, 1).unwrap());
    d.signal(libc::SIGSTOP);
    let reason = rx.recv_timeout(Duration::from_secs(10));
    d.signal(libc::SIGCONT);
    assert_eq!(reason.unwrap(), CloseReason::Keepalive);
    assert!(!conn.is_alive());
    let e = conn.get_hostname().wait().unwrap_err();
    assert_eq!(e.message, "internal error: client socket is closed");
}

fn scratch(tag: &str) -> PathBuf {
    let d = temp_root(tag);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn volume_streams_move_data_and_holes() {
    let s = scratch("client-streams");
    let d = Daemon::start("virtstoraged", &[]);
    let uri = format!("storage+unix:///system?socket={}", d.sock().display());
    let conn = Connect::open(Some(&uri)).wait().unwrap();
    let pool_xml = format!(
        "<pool type='dir'><name>p</name><target><path>{}</path></target></pool>",
        s.join("pool").display()
    );
    let pool = conn.storage_pool_define_xml(&pool_xml, 0).wait().unwrap();
    pool.build(0).wait().unwrap();
    pool.create(0).wait().unwrap();
    let vol = pool
        .vol_create_xml(
            "<volume><name>v</name><capacity unit='KiB'>1024</capacity></volume>",
            0,
        )
        .wait()
        .unwrap();

    // 600 KiB of data: more than two stream chunks.
    let data: Vec<u8> = (0..600 * 1024).map(|i| (i % 251) as u8).collect();
    let up = vol.upload(0, 0, 0).wait().unwrap();
    up.send(&data).wait().unwrap();
    up.finish().wait().unwrap();
    let down = vol.download(0, data.len() as u64, 0).wait().unwrap();
    let mut got = Vec::new();
    loop {
        match down.recv().wait().unwrap() {
            StreamData::Data(d) => got.extend(d),
            StreamData::Hole(_) => panic!("no holes in a plain download"),
            StreamData::Eof => break,
        }
    }
    down.finish().wait().unwrap();
    assert_eq!(got, data);

    // A sparse upload: data, a hole, data; the download brings the hole back.
    let sparse = vol.upload(0, 0, 1).wait().unwrap();
    sparse.send(b"head").wait().unwrap();
    sparse.send_hole(512 * 1024 - 4).wait().unwrap();
    sparse.send(b"tail").wait().unwrap();
    sparse.finish().wait().unwrap();
    let down = vol.download(0, 512 * 1024 + 4, 1).wait().unwrap();
    let (mut bytes, mut holes) = (Vec::new(), 0u64);
    loop {
        match down.recv().wait().unwrap() {
            StreamData::Data(d) => bytes.extend(d),
            StreamData::Hole(n) => holes += n,
            StreamData::Eof => break,
        }
    }
    down.finish().wait().unwrap();
    assert!(bytes.starts_with(b"head") && bytes.ends_with(b"tail"));
    assert!(holes > 0, "the hole travels as a hole");
    assert_eq!(bytes.len() as u64 + holes, 512 * 1024 + 4);

    // An aborted upload is confirmed, and the connection keeps working.
    let up = vol.upload(0, 0, 0).wait().unwrap();
    up.send(b"partial").wait().unwrap();
    up.abort().wait().unwrap();
    assert_eq!(vol.get_info().wait().unwrap().capacity, 1024 * 1024);
    vol.delete(0).wait().unwrap();
    pool.destroy().wait().unwrap();
    pool.undefine().wait().unwrap();
}

/// A stand-in for ssh: records its arguments, then relays stdin/stdout to
/// the daemon socket named in `FAKE_SSH_SOCKET`.
fn fake_ssh(dir: &Path) -> PathBuf {
    let script = dir.join("fake-ssh");
    std::fs::write(
        &script,
        "#!/usr/bin/python3\n\
         import os, socket, sys, threading\n\
         open(os.environ['FAKE_SSH_ARGS'], 'w').write('\\n'.join(sys.argv[1:]))\n\
         s = socket.socket(socket.AF_UNIX); s.connect(os.environ['FAKE_SSH_SOCKET'])\n\
         def up():\n\
         \x20   while True:\n\
         \x20       b = os.read(0, 65536)\n\
         \x20       if not b: s.shutdown(socket.SHUT_WR); return\n\
         \x20       s.sendall(b)\n\
         threading.Thread(target=up, daemon=True).start()\n\
         while True:\n\
         \x20   b = s.recv(65536)\n\
         \x20   if not b: break\n\
         \x20   os.write(1, b)\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[test]
fn ssh_transport_runs_libvirts_command_line() {
    if !Path::new("/usr/bin/python3").exists() {
        eprintln!("no /usr/bin/python3; skipped");
        return;
    }
    let s = scratch("client-ssh");
    let d = Daemon::start("libvirtd", &[]);
    let script = fake_ssh(&s);
    let args = s.join("args");
    // The variables reach the helper through the client's environment.
    let out = run(
        Command::new(bin_dir().join("examples/list"))
            .arg(format!(
                "test+ssh://alice@example.invalid:2222/default?command={}&keyfile=/k&no_tty=1&no_verify=1",
                script.display()
            ))
            .env("FAKE_SSH_SOCKET", d.sock())
            .env("FAKE_SSH_ARGS", &args),
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(" test "), "{}", stdout(&out));
    let argv = std::fs::read_to_string(&args).unwrap();
    let argv: Vec<&str> = argv.lines().collect();
    assert_eq!(
        argv[..15],
        [
            "-p",
            "2222",
            "-l",
            "alice",
            "-i",
            "/k",
            "-T",
            "-e",
            "none",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "--",
            "example.invalid"
        ]
    );
    assert!(argv[15].starts_with("sh -c 'which virt-ssh-helper"));
    assert!(argv[15].contains("virt-ssh-helper 'test:///default'"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn tcp_transport_reaches_a_listening_libvirtd() {
    let root = temp_root("client-tcp");
    let port = free_port();
    let conf = root.join("etc/libvirt/libvirtd.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(
        &conf,
        format!(
            "listen_tls = 0\nlisten_tcp = 1\nlisten_addr = \"127.0.0.1\"\ntcp_port = \"{port}\"\nauth_tcp = \"none\"\n"
        ),
    )
    .unwrap();
    let _d = Daemon::start_in("libvirtd", &root, &["--listen"]);
    let conn = Connect::open(Some(&format!("test+tcp://127.0.0.1:{port}/default")))
        .wait()
        .unwrap();
    assert!(!conn.is_secure().wait().unwrap(), "plain TCP is not secure");
    assert_eq!(conn.list_all_domains(0).wait().unwrap().len(), 1);
    conn.close().wait().unwrap();
}

/// libvirt's own libvirtd with only its built-in test driver.
struct LibvirtLibvirtd {
    dir: PathBuf,
    child: Child,
}

impl LibvirtLibvirtd {
    fn start() -> Option<LibvirtLibvirtd> {
        if !Path::new("/usr/sbin/libvirtd").exists() {
            return None;
        }
        let dir = temp_root("client-lvd");
        let sock = dir.join("sock");
        let empty = dir.join("empty");
        std::fs::create_dir_all(&sock).unwrap();
        std::fs::create_dir_all(&empty).unwrap();
        let conf = dir.join("libvirtd.conf");
        std::fs::write(
            &conf,
            format!(
                "unix_sock_dir = \"{}\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\nlog_outputs = \"3:file:{}\"\n",
                sock.display(),
                dir.join("log").display()
            ),
        )
        .unwrap();
        let child = Command::new("/usr/sbin/libvirtd")
            .arg("-f")
            .arg(&conf)
            .arg("-p")
            .arg(dir.join("pid"))
            .env("LIBVIRT_DRIVER_DIR", &empty)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let d = LibvirtLibvirtd { dir, child };
        let t = Instant::now();
        while std::os::unix::net::UnixStream::connect(d.sock()).is_err() {
            assert!(t.elapsed() < Duration::from_secs(20));
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(d)
    }

    fn sock(&self) -> PathBuf {
        self.dir.join("sock/libvirt-sock")
    }
}

impl Drop for LibvirtLibvirtd {
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

#[test]
fn talks_to_libvirts_own_libvirtd() {
    let Some(d) = LibvirtLibvirtd::start() else {
        eprintln!("/usr/sbin/libvirtd not installed; skipped");
        return;
    };
    let uri = format!("test+unix:///default?socket={}", d.sock().display());
    lifecycle(&uri);

    let conn = Connect::open(Some(&uri)).wait().unwrap();
    let nets = conn.list_all_networks(0).wait().unwrap();
    assert_eq!(nets[0].name(), "default");
    assert!(nets[0].is_active().wait().unwrap());
    assert_eq!(nets[0].get_bridge_name().wait().unwrap(), "virbr0");
    let pool = conn
        .storage_pool_lookup_by_name("default-pool")
        .wait()
        .unwrap();
    assert_eq!(pool.get_info().wait().unwrap().state, 2);
    let vol = pool
        .vol_create_xml(
            "<volume><name>v</name><capacity unit='M'>1</capacity></volume>",
            0,
        )
        .wait()
        .unwrap();
    assert_eq!(vol.get_info().wait().unwrap().capacity, 1 << 20);
    assert_eq!(pool.list_all_volumes(0).wait().unwrap().len(), 1);
    vol.delete(0).wait().unwrap();
    let ifaces = conn.list_all_interfaces(0).wait().unwrap();
    assert_eq!(ifaces[0].mac(), "aa:bb:cc:dd:ee:ff");
    let dev = conn.node_device_lookup_by_name("computer").wait().unwrap();
    assert!(dev.get_xml_desc(0).wait().unwrap().contains("<device>"));
    // Legacy enumeration, as virsh falls back to it.
    assert_eq!(
        conn.legacy_count(oxvirt_client::Legacy::Networks)
            .wait()
            .unwrap(),
        1
    );
    conn.close().wait().unwrap();
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = run(
        Command::new("openssl").args(args).current_dir(dir),
        Duration::from_secs(60),
    );
    assert!(o.status.success(), "openssl {args:?}: {}", stderr(&o));
}

/// Makes `NAMEkey.pem` and `NAMEcert.pem`: a CA when `signer` is `None`.
fn make_cert(dir: &Path, name: &str, subj: &str, ext: &str, signer: Option<&str>) {
    let key = format!("{name}key.pem");
    let cert = format!("{name}cert.pem");
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    match signer {
        None => {
            let mut a = vec!["req", "-x509"];
            a.extend(ec);
            a.extend(["-keyout", &key, "-out", &cert, "-days", "2", "-subj", subj]);
            a.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
            a.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
            openssl(dir, &a);
        }
        Some(ca) => {
            let csr = format!("{name}.csr");
            let extfile = format!("{name}.ext");
            std::fs::write(dir.join(&extfile), ext).unwrap();
            let mut a = vec!["req"];
            a.extend(ec);
            a.extend(["-keyout", &key, "-out", &csr, "-subj", subj]);
            openssl(dir, &a);
            let (ca_cert, ca_key) = (format!("{ca}cert.pem"), format!("{ca}key.pem"));
            openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    &ca_cert,
                    "-CAkey",
                    &ca_key,
                    "-CAcreateserial",
                    "-out",
                    &cert,
                    "-days",
                    "2",
                    "-extfile",
                    &extfile,
                ],
            );
        }
    }
}

/// A pki directory as `pkipath=` expects it.
fn pki_dir(dir: &Path, name: &str, ca: &str, client: &str) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(dir.join(format!("{ca}cert.pem")), d.join("cacert.pem")).unwrap();
    std::fs::copy(
        dir.join(format!("{client}cert.pem")),
        d.join("clientcert.pem"),
    )
    .unwrap();
    std::fs::copy(
        dir.join(format!("{client}key.pem")),
        d.join("clientkey.pem"),
    )
    .unwrap();
    d
}

#[test]
fn tls_transport_checks_both_ends() {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("no openssl; skipped");
        return;
    }
    let root = temp_root("client-tls");
    let pki = root.join("pki");
    std::fs::create_dir_all(&pki).unwrap();
    make_cert(&pki, "ca", "/C=GB/O=oxvirt-test/CN=Test CA", "", None);
    make_cert(&pki, "other", "/C=GB/O=other/CN=Other CA", "", None);
    make_cert(
        &pki,
        "server",
        "/C=GB/O=oxvirt-test/CN=127.0.0.1",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n",
        Some("ca"),
    );
    let client_ext = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
    make_cert(
        &pki,
        "good",
        "/C=GB/O=oxvirt-test/CN=client1",
        client_ext,
        Some("ca"),
    );
    make_cert(
        &pki,
        "stranger",
        "/C=GB/O=elsewhere/CN=intruder",
        client_ext,
        Some("ca"),
    );
    let good = pki_dir(&pki, "pki-good", "ca", "good");
    let stranger = pki_dir(&pki, "pki-stranger", "ca", "stranger");
    let untrusting = pki_dir(&pki, "pki-untrusting", "other", "good");

    let port = free_port();
    let conf = root.join("etc/libvirt/libvirtd.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(
        &conf,
        format!(
            "listen_tls = 1\nlisten_tcp = 0\nlisten_addr = \"127.0.0.1\"\ntls_port = \"{port}\"\n\
             ca_file = \"{p}/cacert.pem\"\ncert_file = \"{p}/servercert.pem\"\nkey_file = \"{p}/serverkey.pem\"\n\
             tls_allowed_dn_list = [\"C=GB,O=oxvirt-test,CN=client*\"]\n",
            p = pki.display()
        ),
    )
    .unwrap();
    let _d = Daemon::start_in("libvirtd", &root, &["--listen"]);
    let uri = |pki: &Path, extra: &str| {
        format!(
            "test+tls://127.0.0.1:{port}/default?pkipath={}{extra}",
            pki.display()
        )
    };

    let conn = Connect::open(Some(&uri(&good, ""))).wait().unwrap();
    assert!(conn.is_encrypted().wait().unwrap());
    assert_eq!(conn.list_all_domains(0).wait().unwrap().len(), 1);
    conn.close().wait().unwrap();

    let e = Connect::open(Some(&uri(&stranger, "")))
        .wait()
        .err()
        .unwrap();
    assert_eq!(
        e.message,
        "server verification (of our certificate or IP address) failed"
    );
    let e = Connect::open(Some(&uri(&untrusting, "")))
        .wait()
        .err()
        .unwrap();
    assert!(e.message.contains("TLS handshake failed"), "{}", e.message);
    let conn = Connect::open(Some(&uri(&untrusting, "&no_verify=1")))
        .wait()
        .unwrap();
    assert_eq!(conn.get_type().wait().unwrap(), "TEST");
}
