//! TCP and TLS listeners (libvirtd `--listen`, virtproxyd) with real virsh and
//! x509 certificates made by the test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = run(
        Command::new("openssl").args(args).current_dir(dir),
        Duration::from_secs(60),
    );
    assert!(o.status.success(), "openssl {args:?}: {}", stderr(&o));
}

/// A CA, a server certificate for 127.0.0.1 and client certificates; returns
/// the pki dirs (good client, client with an unlisted DN, client of another CA).
fn make_pki(dir: &Path) -> (String, String, String) {
    let ca = |name: &str, subj: &str| {
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                &format!("{name}key.pem"),
                "-out",
                &format!("{name}cert.pem"),
                "-days",
                "2",
                "-subj",
                subj,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        )
    };
    ca("ca", "/C=GB/O=oxvirt-test/CN=Test CA");
    ca("rogueca", "/C=GB/O=rogue/CN=Rogue CA");
    let leaf = |name: &str, subj: &str, ext: &str, signer: &str| {
        openssl(
            dir,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                &format!("{name}key.pem"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                subj,
            ],
        );
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                &format!("{signer}cert.pem"),
                "-CAkey",
                &format!("{signer}key.pem"),
                "-CAcreateserial",
                "-out",
                &format!("{name}cert.pem"),
                "-days",
                "2",
                "-extfile",
                &format!("{name}.ext"),
            ],
        );
    };
    leaf(
        "server",
        "/C=GB/O=oxvirt-test/CN=127.0.0.1",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n",
        "ca",
    );
    let client_ext = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
    leaf("good", "/C=GB/O=oxvirt-test/CN=client1", client_ext, "ca");
    leaf(
        "unlisted",
        "/C=GB/O=elsewhere/CN=intruder",
        client_ext,
        "ca",
    );
    leaf(
        "rogue",
        "/C=GB/O=oxvirt-test/CN=client2",
        client_ext,
        "rogueca",
    );
    let pkidir = |name: &str| {
        let d = dir.join(format!("pki-{name}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(dir.join("cacert.pem"), d.join("cacert.pem")).unwrap();
        std::fs::copy(
            dir.join(format!("{name}cert.pem")),
            d.join("clientcert.pem"),
        )
        .unwrap();
        std::fs::copy(dir.join(format!("{name}key.pem")), d.join("clientkey.pem")).unwrap();
        d.display().to_string()
    };
    (pkidir("good"), pkidir("unlisted"), pkidir("rogue"))
}

fn write_conf(root: &Path, daemon: &str, pki: &Path, tcp: u16, tls: u16) {
    let conf = root.join(format!("etc/libvirt/{daemon}.conf"));
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(
        &conf,
        format!(
            "listen_tls = 1\nlisten_tcp = 1\nlisten_addr = \"127.0.0.1\"\ntcp_port = \"{tcp}\"\ntls_port = \"{tls}\"\nauth_tcp = \"none\"\n\
             ca_file = \"{p}/cacert.pem\"\ncert_file = \"{p}/servercert.pem\"\nkey_file = \"{p}/serverkey.pem\"\n\
             tls_allowed_dn_list = [\"C=GB,O=oxvirt-test,CN=client*\"]\n",
            p = pki.display()
        ),
    )
    .unwrap();
}

fn check_tcp_and_tls(tcp: u16, tls: u16, good: &str, unlisted: &str, rogue: &str) {
    let out = ok(virsh(
        &format!("test+tcp://127.0.0.1:{tcp}/default"),
        &["list", "--name"],
    ));
    assert_eq!(out.trim(), "test");
    let out = ok(virsh(
        &format!("test+tls://127.0.0.1:{tls}/default?pkipath={good}"),
        &["list", "--name"],
    ));
    assert_eq!(out.trim(), "test");
    let o = virsh(
        &format!("test+tls://127.0.0.1:{tls}/default?pkipath={unlisted}"),
        &["list"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("server verification"), "{}", stderr(&o));
    let o = virsh(
        &format!("test+tls://127.0.0.1:{tls}/default?pkipath={rogue}"),
        &["list"],
    );
    assert!(
        !o.status.success(),
        "a client of another CA must be refused"
    );
}

#[test]
fn libvirtd_listen_serves_tcp_and_tls_with_x509_checks() {
    let root = temp_root("tls");
    let pki = root.join("pki");
    std::fs::create_dir_all(&pki).unwrap();
    let (good, unlisted, rogue) = make_pki(&pki);
    let (tcp, tls) = (free_port(), free_port());
    write_conf(&root, "libvirtd", &pki, tcp, tls);
    // Without --listen libvirtd opens no network socket.
    {
        let _d = Daemon::start_in("libvirtd", &root, &[]);
        assert!(std::net::TcpStream::connect(("127.0.0.1", tcp)).is_err());
    }
    let _d = Daemon::start_in("libvirtd", &root, &["--listen"]);
    check_tcp_and_tls(tcp, tls, &good, &unlisted, &rogue);
}

#[test]
fn virtproxyd_serves_tcp_and_tls_from_its_config() {
    let root = temp_root("proxytls");
    let pki = root.join("pki");
    std::fs::create_dir_all(&pki).unwrap();
    let (good, unlisted, rogue) = make_pki(&pki);
    let (tcp, tls) = (free_port(), free_port());
    write_conf(&root, "virtproxyd", &pki, tcp, tls);
    let _d = Daemon::start_in("virtproxyd", &root, &[]);
    check_tcp_and_tls(tcp, tls, &good, &unlisted, &rogue);
}

/// A sasldb with one user and the libvirt SASL config pointing at it.
fn make_sasl(root: &Path, mechs: &str) {
    let etc = root.join("etc/libvirt");
    std::fs::create_dir_all(&etc).unwrap();
    std::fs::create_dir_all(root.join("etc/sasl2")).unwrap();
    let db = etc.join("passwd.db");
    std::fs::write(
        root.join("etc/sasl2/libvirt.conf"),
        format!("mech_list: {mechs}\nsasldb_path: {}\n", db.display()),
    )
    .unwrap();
    let mut child = Command::new("saslpasswd2")
        .args(["-p", "-a", "libvirt", "-f"])
        .arg(&db)
        .arg("fred")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("saslpasswd2 (package sasl2-bin) is required");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"secret").unwrap();
    assert!(child.wait().unwrap().success());
}

fn authfile(root: &Path, name: &str, user: &str, password: &str) -> String {
    let p = root.join(name);
    std::fs::write(
        &p,
        format!("[credentials-c]\nauthname={user}\npassword={password}\n\n[auth-libvirt-127.0.0.1]\ncredentials=c\n"),
    )
    .unwrap();
    p.display().to_string()
}

#[test]
fn sasl_over_tcp_negotiates_a_security_layer_and_checks_users() {
    let root = temp_root("sasl");
    make_sasl(&root, "digest-md5");
    let tcp = free_port();
    std::fs::write(
        root.join("etc/libvirt/libvirtd.conf"),
        format!(
            "listen_tls = 0\nlisten_tcp = 1\nlisten_addr = \"127.0.0.1\"\ntcp_port = \"{tcp}\"\nsasl_allowed_username_list = [\"fred\"]\n"
        ),
    )
    .unwrap();
    let _d = Daemon::start_in("libvirtd", &root, &["--listen"]);
    let good = authfile(&root, "good.conf", "fred", "secret");
    // Several calls after authentication travel through the SASL layer.
    let out = ok(virsh(
        &format!("test+tcp://127.0.0.1:{tcp}/default?authfile={good}"),
        &["list --name; hostname; dominfo test"],
    ));
    assert!(out.contains("test") && out.contains("Persistent:"), "{out}");
    let bad = authfile(&root, "bad.conf", "fred", "wrong");
    let o = virsh(
        &format!("test+tcp://127.0.0.1:{tcp}/default?authfile={bad}"),
        &["list"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("authentication failed"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sasl_allow_list_refuses_other_users() {
    let root = temp_root("sasl-deny");
    make_sasl(&root, "digest-md5");
    let tcp = free_port();
    std::fs::write(
        root.join("etc/libvirt/libvirtd.conf"),
        format!(
            "listen_tls = 0\nlisten_tcp = 1\nlisten_addr = \"127.0.0.1\"\ntcp_port = \"{tcp}\"\nsasl_allowed_username_list = [\"admin*\"]\n"
        ),
    )
    .unwrap();
    let _d = Daemon::start_in("libvirtd", &root, &["--listen"]);
    let good = authfile(&root, "good.conf", "fred", "secret");
    let o = virsh(
        &format!("test+tcp://127.0.0.1:{tcp}/default?authfile={good}"),
        &["list"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("authentication failed"),
        "{}",
        stderr(&o)
    );
}
