//! The daemon runtime as an operator sees it: flags, pid file, config errors,
//! idle exit, signals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn version_and_help_behave_like_libvirt() {
    let o = run(
        Command::new(bin("libvirtd")).arg("--version"),
        Duration::from_secs(10),
    );
    assert!(o.status.success());
    assert!(
        stdout(&o).ends_with("libvirtd (libvirt) 9.0.0\n"),
        "{}",
        stdout(&o)
    );
    let o = run(
        Command::new(bin("virtqemud")).arg("-h"),
        Duration::from_secs(10),
    );
    assert!(o.status.success());
    assert!(stderr(&o).contains("--timeout"), "usage goes to stderr");
    let o = run(
        Command::new(bin("virtqemud")).arg("--listen"),
        Duration::from_secs(10),
    );
    assert_eq!(o.status.code(), Some(1), "only libvirtd has --listen");
    let o = run(
        Command::new(bin("libvirtd")).args(["-t", "abc"]),
        Duration::from_secs(10),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Invalid value for timeout"));
}

#[test]
fn second_copy_is_stopped_by_the_pid_file() {
    let d = Daemon::start("libvirtd", &[]);
    let pid = std::fs::read_to_string(d.root.join("run/libvirtd.pid")).unwrap();
    assert_eq!(pid, d.pid().to_string(), "pid without newline");
    let o = run(
        Command::new(bin("libvirtd")).arg("--root").arg(&d.root),
        Duration::from_secs(10),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("Failed to acquire pid file"),
        "{}",
        stderr(&o)
    );
    // The first one still serves.
    ok(virsh(&d.test_uri(), &["list"]));
}

#[test]
fn bad_config_names_file_line_and_key() {
    let root = temp_root("badconf");
    let conf = root.join("etc/libvirt/libvirtd.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(&conf, "# comment\nmax_clients = 10\ntls_port = 16514\n").unwrap();
    let o = run(
        Command::new(bin("libvirtd")).arg("--root").arg(&root),
        Duration::from_secs(10),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("libvirtd.conf:3") && err.contains("tls_port"),
        "{err}"
    );
    // An explicit -f that does not exist is an error too.
    let o = run(
        Command::new(bin("virtqemud"))
            .arg("--root")
            .arg(&root)
            .args(["-f", "/nonexistent.conf"]),
        Duration::from_secs(10),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn config_sets_socket_modes_and_limits() {
    let root = temp_root("conf");
    let conf = root.join("etc/libvirt/virtqemud.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(
        &conf,
        "unix_sock_rw_perms = \"0770\"\nunix_sock_ro_perms = \"0755\"\nauth_unix_rw = \"none\"\nmax_clients = 3\n",
    )
    .unwrap();
    let d = Daemon::start_in("virtqemud", &root, &[]);
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: std::path::PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(d.sock()), 0o770);
    assert_eq!(mode(d.sock_ro()), 0o755);
    assert_eq!(mode(d.sock_admin()), 0o700);
}

#[test]
fn idle_timeout_exits_without_clients() {
    let mut d = Daemon::start("virtqemud", &["--timeout", "1"]);
    let t = Instant::now();
    let code = d.wait_exit(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{}", d.stderr());
    assert!(t.elapsed() >= Duration::from_millis(800));
    assert!(!d.sock().exists(), "socket removed at exit");
}

#[test]
fn sigterm_stops_gracefully_and_cleans_up() {
    let mut d = Daemon::start("libvirtd", &[]);
    let pidfile = d.root.join("run/libvirtd.pid");
    assert!(pidfile.exists());
    d.signal(libc::SIGTERM);
    assert_eq!(d.wait_exit(Duration::from_secs(10)), Some(0));
    assert!(!pidfile.exists());
    assert!(!d.sock().exists());
}

#[test]
fn sighup_reloads_and_keeps_serving() {
    let d = Daemon::start("libvirtd", &[]);
    d.signal(libc::SIGHUP);
    std::thread::sleep(Duration::from_millis(100));
    ok(virsh(&d.test_uri(), &["list"]));
}

#[test]
fn daemon_flag_forks_and_reports_readiness() {
    let root = temp_root("daemonize");
    let o = run(
        Command::new(bin("virtqemud"))
            .arg("--root")
            .arg(&root)
            .arg("-d"),
        Duration::from_secs(20),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pid: i32 = std::fs::read_to_string(root.join("run/virtqemud.pid"))
        .unwrap()
        .parse()
        .unwrap();
    let uri = format!(
        "test+unix:///default?socket={}",
        root.join("run/libvirt/virtqemud-sock").display()
    );
    ok(virsh(&uri, &["list"]));
    // SAFETY: stopping the daemon we started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let t = Instant::now();
    while root.join("run/virtqemud.pid").exists() && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!root.join("run/virtqemud.pid").exists());
}

#[test]
fn socket_activation_takes_named_listeners() {
    if Command::new("systemd-socket-activate")
        .arg("--help")
        .output()
        .is_err()
    {
        panic!("systemd-socket-activate is required (package systemd)");
    }
    let root = temp_root("activation");
    let sock = root.join("act-sock");
    let mut child = Command::new("systemd-socket-activate")
        .arg("-l")
        .arg(&sock)
        .arg("--fdname=virtqemud.socket")
        .arg(bin("virtqemud"))
        .arg("--root")
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_connectable(&sock, Duration::from_secs(10));
    let uri = format!("test+unix:///default?socket={}", sock.display());
    let out = ok(virsh(&uri, &["list", "--name"]));
    assert_eq!(out.trim(), "test");
    // Names absent from the activation set are not created.
    assert!(!root.join("run/libvirt/virtqemud-sock-ro").exists());
    let _ = child.kill();
    let _ = child.wait();
    // SAFETY: cleaning up the daemon systemd-socket-activate exec'd into.
    if let Ok(pid) = std::fs::read_to_string(root.join("run/virtqemud.pid")) {
        if let Ok(pid) = pid.parse::<i32>() {
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
}

#[test]
fn session_mode_uses_xdg_paths_and_has_no_ro_socket() {
    // Run as "nobody" with private XDG dirs: a session daemon.
    let root = temp_root("session");
    let run_dir = root.join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    for p in [&root, &run_dir] {
        std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
    }
    let mut child = Command::new("setpriv")
        .args([
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            "env",
        ])
        .arg(format!("HOME={}", root.display()))
        .arg(format!("XDG_RUNTIME_DIR={}", run_dir.display()))
        .arg(format!("XDG_CONFIG_HOME={}", root.join("cfg").display()))
        .arg(format!("XDG_CACHE_HOME={}", root.join("cache").display()))
        .arg(bin("virtqemud"))
        .args(["--timeout", "30"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let sock = run_dir.join("libvirt/virtqemud-sock");
    let t = Instant::now();
    while std::os::unix::net::UnixStream::connect(&sock).is_err()
        && t.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let uri = format!("test+unix:///default?socket={}", sock.display());
    let out = ok(virsh(&uri, &["list", "--name"]));
    assert_eq!(out.trim(), "test");
    assert!(run_dir.join("libvirt/virtqemud-admin-sock").exists());
    assert!(run_dir.join("libvirt/virtqemud.pid").exists());
    assert!(!run_dir.join("libvirt/virtqemud-sock-ro").exists());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(run_dir.join("libvirt"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
    // SAFETY: stopping our own child (setpriv exec'd into the daemon).
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
}

#[test]
fn log_outputs_and_filters_from_config_reach_a_file() {
    let root = temp_root("logs");
    let conf = root.join("etc/libvirt/libvirtd.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    let log = root.join("daemon.log");
    std::fs::write(
        &conf,
        format!(
            "log_filters = \"1:daemon\"\nlog_outputs = \"1:file:{}\"\n",
            log.display()
        ),
    )
    .unwrap();
    // The harness sets LIBVIRT_LOG_OUTPUTS; run this one by hand.
    let mut child = Command::new(bin("libvirtd"))
        .arg("--root")
        .arg(&root)
        .env_remove("LIBVIRT_LOG_OUTPUTS")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while !root.join("run/libvirt/libvirt-sock").exists() && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    // SAFETY: stopping our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains(": info : daemon.run : libvirtd ready"),
        "{text}"
    );
}
