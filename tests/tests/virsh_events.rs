//! `virsh event`: libvirt's virsh and oxvirt's listen side by side on the
//! same daemon while a third client changes domains; both must print the
//! same events, counts and exit status.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn our_virsh() -> PathBuf {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
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

fn listen(virsh: &Path, uri: &str, args: &[&str]) -> Child {
    Command::new(virsh)
        .arg("-c")
        .arg(uri)
        .arg("event")
        .args(args)
        .env_remove("LIBVIRT_DEFAULT_URI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(c: Child) -> (String, String, Option<i32>) {
    let o = c.wait_with_output().unwrap();
    (stdout(&o), stderr(&o), o.status.code())
}

/// A listener whose output is collected while it runs.
struct Live {
    child: Child,
    out: std::sync::Arc<std::sync::Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

fn live(mut child: Child) -> Live {
    use std::io::Read;
    let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut pipe = child.stdout.take().unwrap();
    let sink = out.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    Live { child, out, reader }
}

impl Live {
    fn lines_with(&self, needle: &str) -> usize {
        self.out.lock().unwrap().matches(needle).count()
    }

    /// Interrupts the event loop and returns what it printed.
    fn interrupt(mut self) -> (String, String, Option<i32>) {
        use std::io::Read;
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let status = self.child.wait().unwrap();
        self.reader.join().unwrap();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let out = self.out.lock().unwrap().clone();
        (out, err, status.code())
    }
}

/// Both listeners registered: each holds a connection, so the daemon's
/// admin interface lists three clients (two listeners and the keeper).
fn wait_for_listeners(d: &Daemon) {
    let admin = format!("libvirtd:///system?socket={}", d.sock_admin().display());
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) {
        let o = run(
            Command::new("virt-admin")
                .arg("-c")
                .arg(&admin)
                .args(["srv-clients-list", "libvirtd"]),
            Duration::from_secs(10),
        );
        if stdout(&o).lines().filter(|l| l.contains("unix")).count() >= 3 {
            // Registration follows the connection's handshake closely.
            std::thread::sleep(Duration::from_millis(300));
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("listeners did not connect");
}

#[test]
fn event_loop_prints_what_libvirts_virsh_prints() {
    let d = Daemon::start("libvirtd", &[]);
    let uri = d.test_uri();
    let xml = workspace_root().join("tests/data/virsh/foo.xml");
    // Keeps the test driver's state between the commands below.
    let mut keeper = listen(
        Path::new("virsh"),
        &uri,
        &["--event", "reboot", "--timeout", "120"],
    );
    let args = ["--all", "--loop"];
    let theirs = live(listen(Path::new("virsh"), &uri, &args));
    let ours = live(listen(&our_virsh(), &uri, &args));
    wait_for_listeners(&d);
    let script = format!(
        "define {}; start foo; suspend foo; resume foo; destroy foo; undefine foo",
        xml.display()
    );
    ok(virsh(&uri, &[&script]));
    // Both loops saw the six changes; then an interrupt ends them.
    let t = Instant::now();
    while (theirs.lines_with("event 'lifecycle'") < 6 || ours.lines_with("event 'lifecycle'") < 6)
        && t.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let (t_out, t_err, t_code) = theirs.interrupt();
    let (o_out, o_err, o_code) = ours.interrupt();
    let _ = keeper.kill();
    let _ = keeper.wait();
    assert!(
        t_out.contains("event 'lifecycle' for domain 'foo': Started Booted"),
        "{t_out}"
    );
    assert_eq!(o_out, t_out);
    assert_eq!(o_err, t_err);
    assert_eq!(o_code, t_code);
}

#[test]
fn single_event_ends_the_wait_and_no_event_times_out() {
    let d = Daemon::start("libvirtd", &[]);
    let uri = d.test_uri();
    let mut keeper = listen(
        Path::new("virsh"),
        &uri,
        &["--event", "reboot", "--timeout", "120"],
    );
    let args = [
        "--event",
        "lifecycle",
        "--domain",
        "test",
        "--timeout",
        "60",
    ];
    let theirs = listen(Path::new("virsh"), &uri, &args);
    let ours = listen(&our_virsh(), &uri, &args);
    wait_for_listeners(&d);
    ok(virsh(&uri, &["suspend test; resume test"]));
    let t = finish(theirs);
    let o = finish(ours);
    assert_eq!(
        t.0,
        "event 'lifecycle' for domain 'test': Suspended Paused\nevents received: 1\n\n"
    );
    assert_eq!(o, t);

    let theirs = listen(
        Path::new("virsh"),
        &uri,
        &["--event", "tunable", "--timeout", "1"],
    );
    let ours = listen(
        &our_virsh(),
        &uri,
        &["--event", "tunable", "--timeout", "1"],
    );
    let t = finish(theirs);
    let o = finish(ours);
    assert_eq!(t.2, Some(1));
    assert_eq!(o, t);
    let _ = keeper.kill();
    let _ = keeper.wait();
}
