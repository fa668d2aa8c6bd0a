//! The generated systemd units load cleanly (`systemd-analyze verify`) and
//! match the socket-activation names the daemons claim.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn generated_units_pass_systemd_analyze_verify() {
    let dir = temp_root("units");
    let units = dir.join("system");
    std::fs::create_dir_all(&units).unwrap();
    let layout = oxvirt_units::Layout {
        sbindir: bin_dir().display().to_string(),
        ..Default::default()
    };
    let present: Vec<_> = oxvirt_units::DAEMONS
        .iter()
        .filter(|d| bin(d.name).exists())
        .collect();
    for u in oxvirt_units::units(&present, &layout) {
        std::fs::write(units.join(&u.file_name), u.text).unwrap();
    }
    let mut files: Vec<String> = std::fs::read_dir(&units)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    for want in [
        "virtqemud.service",
        "virtqemud-ro.socket",
        "virtproxyd-tls.socket",
        "libvirtd-admin.socket",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(want)),
            "{want} missing: {files:?}"
        );
    }
    let o = run(
        Command::new("systemd-analyze")
            .arg("verify")
            .arg("--man=no")
            .args(&files),
        Duration::from_secs(60),
    );
    assert!(
        o.status.success(),
        "systemd-analyze verify failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

#[test]
fn activation_with_all_three_unit_names_serves_each_socket() {
    let root = temp_root("act3");
    let rw = root.join("rw-sock");
    let ro = root.join("ro-sock");
    let admin = root.join("admin-sock");
    let mut child = Command::new("systemd-socket-activate")
        .arg("-l")
        .arg(&rw)
        .arg("-l")
        .arg(&ro)
        .arg("-l")
        .arg(&admin)
        .arg("--fdname=virtqemud.socket:virtqemud-ro.socket:virtqemud-admin.socket")
        .arg(bin("virtqemud"))
        .arg("--root")
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_connectable(&admin, Duration::from_secs(10));
    let out = ok(virsh(
        &format!("test+unix:///default?socket={}", rw.display()),
        &["list", "--name"],
    ));
    assert_eq!(out.trim(), "test");
    let o = virsh(
        &format!("test+unix:///default?socket={}", ro.display()),
        &["destroy", "test"],
    );
    assert!(
        stderr(&o).contains("read only access prevents"),
        "{}",
        stderr(&o)
    );
    let out = ok(run(
        Command::new("virt-admin").args([
            "-c",
            &format!("virtqemud:///system?socket={}", admin.display()),
            "srv-list",
        ]),
        Duration::from_secs(20),
    ));
    assert!(out.contains("virtqemud"), "{out}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn activation_with_an_unclaimed_name_is_fatal() {
    let root = temp_root("act-bad");
    let sock = root.join("x-sock");
    let mut child = Command::new("systemd-socket-activate")
        .arg("-l")
        .arg(&sock)
        .arg("--fdname=libvirtd-bogus.socket")
        .arg(bin("virtqemud"))
        .arg("--root")
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while !sock.exists() && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    // The first connection makes systemd-socket-activate exec the daemon (the
    // path exists between bind and listen, so retry until it connects).
    let _c = loop {
        match std::os::unix::net::UnixStream::connect(&sock) {
            Ok(c) => break c,
            Err(_) if t.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("cannot connect to {}: {e}", sock.display()),
        }
    };
    let t = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "daemon did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(6));
    let mut err = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("Some activation file descriptors are unclaimed"),
        "{err}"
    );
}
