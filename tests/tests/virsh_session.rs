//! Session mode: an unprivileged user's `virsh` finds no daemon, starts
//! `libvirtd --timeout=120` itself (once, however many clients race), and
//! talks to it through `$XDG_RUNTIME_DIR/libvirt/libvirt-sock`. Run as root,
//! the clients are started as `nobody`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const NOBODY: u32 = 65534;

fn our_virsh() -> PathBuf {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        // The daemon that will be autostarted sits next to virsh.
        let _ = bin("libvirtd");
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "-p", "oxvirt-virsh"])
            .current_dir(workspace_root());
        if bin_dir().ends_with("release") {
            cmd.arg("--release");
        }
        assert!(cmd.status().unwrap().success(), "cannot build virsh");
    });
    bin_dir().join("virsh")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A private home and runtime directory for one unprivileged user session.
struct Session {
    dir: PathBuf,
}

impl Session {
    fn new(tag: &str) -> Session {
        let dir = temp_root(tag);
        for sub in ["home", "run"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::set_permissions(dir.join("run"), std::fs::Permissions::from_mode(0o700)).unwrap();
        if is_root() {
            for p in [dir.clone(), dir.join("home"), dir.join("run")] {
                std::os::unix::fs::chown(&p, Some(NOBODY), Some(NOBODY)).unwrap();
            }
        }
        Session { dir }
    }

    fn runtime(&self) -> PathBuf {
        self.dir.join("run")
    }

    /// `virsh args…` as the session's user, with a clean environment.
    fn virsh_cmd(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Command {
        let mut cmd = if is_root() {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            c.arg(our_virsh());
            c
        } else {
            Command::new(our_virsh())
        };
        cmd.args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", self.dir.join("home"))
            .env("XDG_RUNTIME_DIR", self.runtime())
            .current_dir(&self.dir);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    fn virsh(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
        run(
            &mut self.virsh_cmd(args, extra_env),
            Duration::from_secs(30),
        )
    }

    fn daemon_pid(&self) -> Option<i32> {
        std::fs::read_to_string(self.runtime().join("libvirt/libvirtd.pid"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Stop the daemon our client started (it would leave by itself
        // after 120 idle seconds).
        if let Some(pid) = self.daemon_pid() {
            if pid_alive(pid) {
                // SAFETY: a process this test's client started.
                unsafe { libc::kill(pid, libc::SIGTERM) };
                let t = Instant::now();
                while pid_alive(pid) && t.elapsed() < Duration::from_secs(5) {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn can_switch_user() -> bool {
    !is_root() || Path::new("/usr/bin/setpriv").exists()
}

#[test]
fn session_daemon_is_started_once_for_racing_clients() {
    if !can_switch_user() {
        eprintln!("no setpriv to leave root; skipped");
        return;
    }
    let s = Session::new("session-race");
    let bin = bin_dir().display().to_string();
    let children: Vec<_> = (0..4)
        .map(|_| {
            s.virsh_cmd(
                &["-q", "-c", "test+unix:///default", "list --name"],
                &[("VIRTD_PATH", &bin)],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim(), "test");
    }
    let pid = s.daemon_pid().expect("a session daemon was started");
    assert!(pid_alive(pid));
    let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(
        cmdline.ends_with("libvirtd\0--timeout=120\0"),
        "{cmdline:?}"
    );
    assert!(s.runtime().join("libvirt/libvirt-sock").exists());
    // The lock file is gone once the clients are connected.
    assert!(!s.runtime().join("libvirt/libvirtd.lock").exists());
    // Later clients reuse the daemon, and the driver keeps no state without
    // a connection, as libvirt's test driver.
    let o = s.virsh(
        &["-c", "test+unix:///default", "uri; list --all --name"],
        &[],
    );
    assert_eq!(stdout(&o), "test+unix:///default\n\ntest\n\n");
    assert_eq!(s.daemon_pid(), Some(pid));
}

#[test]
fn autostart_can_be_turned_off() {
    if !can_switch_user() {
        eprintln!("no setpriv to leave root; skipped");
        return;
    }
    let s = Session::new("session-off");
    let o = s.virsh(
        &["-c", "test+unix:///default", "uri"],
        &[("LIBVIRT_AUTOSTART", "0")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '{}/libvirt/libvirt-sock': No such file or directory\n",
            s.runtime().display()
        )
    );
    assert_eq!(s.daemon_pid(), None);
}
