//! Golden transcripts: the same command lists through libvirt's
//! `/usr/bin/virsh` (or `virt-admin`) and through oxvirt's, against the same
//! daemon, must print the same stdout and stderr and exit with the same
//! status.
//!
//! Each `tests/data/virsh/*.cmds` file is a list of virsh runs, one per line:
//!
//! ```text
//! %tool virt-admin          the tool under test (default virsh); virt-admin
//!                           talks to the daemon's admin socket
//! %daemon oxvirt            oxvirt's libvirtd (the default), `libvirtd` for
//!                           libvirt's own (test driver only; skipped if
//!                           absent), or `virtstoraged` (storage:///system)
//! list --all                virsh -c URI 'list --all'   (one command string)
//! [-q -r] list              global options before the command string
//! [argv] domid test ;       the rest split on blanks, one argument each
//! [nouri] -c bogus:/// uri  no -c added; the rest split on blanks
//! [sh] cmp a b && echo same a shell command (to make or check files)
//! [stdin] uri\nquit\n      the interactive shell fed these lines
//! ```
//!
//! `@DATA@` is this directory, `@TMP@` a scratch directory and `@SOCK@` the
//! daemon's socket. A client connection is held open for the whole file, so
//! the test driver keeps its state from one run to the next; each binary gets
//! a fresh daemon. The recorded transcript is `NAME.out`; with
//! `VIR_TEST_REGENERATE_OUTPUT=1` it is rewritten from libvirt's virsh.
//! Outputs are normalised only where runs legitimately differ: CPU times,
//! the host name, the scratch paths.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_protocol::remote::{self, procs};
use oxvirt_rpc::client::RpcClient;
use oxvirt_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// oxvirt's `virsh` or `virt-admin`, built once per test process.
fn our_tool(name: &str) -> PathBuf {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "-p", "oxvirt-virsh", "-p", "oxvirt-virt-admin"])
            .current_dir(workspace_root());
        if bin_dir().ends_with("release") {
            cmd.arg("--release");
        }
        assert!(cmd.status().unwrap().success(), "cannot build the tools");
    });
    bin_dir().join(name)
}

fn data_dir() -> PathBuf {
    workspace_root().join("tests/data/virsh")
}

/// A daemon under test.
trait Server {
    fn sock(&self) -> PathBuf;
    /// The URI of its driver through `sock`.
    fn uri(&self) -> String {
        format!("test+unix:///default?socket={}", self.sock().display())
    }
    /// Whether a connection must be held to keep the test driver's state.
    fn needs_keeper(&self) -> bool {
        true
    }
    /// The admin URI, for virt-admin.
    fn admin_uri(&self) -> String {
        let sock = self.sock();
        let admin = sock.with_file_name(
            sock.file_name()
                .map(|n| n.to_string_lossy().replace("-sock", "-admin-sock"))
                .unwrap_or_default(),
        );
        format!("libvirtd:///system?socket={}", admin.display())
    }
}

impl Server for Daemon {
    fn sock(&self) -> PathBuf {
        Daemon::sock(self)
    }
}

/// oxvirt's storage daemon, which keeps its state on disk.
struct Storaged(Daemon);

impl Server for Storaged {
    fn sock(&self) -> PathBuf {
        self.0.sock()
    }
    fn uri(&self) -> String {
        format!("storage+unix:///system?socket={}", self.sock().display())
    }
    fn needs_keeper(&self) -> bool {
        false
    }
}

/// libvirt's own libvirtd with only its built-in test driver, as the
/// benchmark runs it: sockets and pid file in a private directory.
struct LibvirtLibvirtd {
    dir: PathBuf,
    child: Option<Child>,
}

impl LibvirtLibvirtd {
    const BINARY: &'static str = "/usr/sbin/libvirtd";

    fn available() -> bool {
        Path::new(Self::BINARY).exists()
    }

    fn start() -> LibvirtLibvirtd {
        let dir = temp_root("lvd");
        let sockdir = dir.join("sock");
        let empty = dir.join("no-driver-modules");
        std::fs::create_dir_all(&sockdir).unwrap();
        std::fs::create_dir_all(&empty).unwrap();
        let conf = dir.join("libvirtd.conf");
        std::fs::write(
            &conf,
            format!(
                "unix_sock_dir = \"{}\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\nlog_outputs = \"3:file:{}\"\n",
                sockdir.display(),
                dir.join("daemon.log").display()
            ),
        )
        .unwrap();
        let mut cmd = Command::new(Self::BINARY);
        cmd.arg("-f")
            .arg(&conf)
            .arg("-p")
            .arg(dir.join("libvirtd.pid"))
            .env("LIBVIRT_DRIVER_DIR", &empty)
            .env_remove("LIBVIRT_DEFAULT_URI")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = cmd.spawn().unwrap();
        let d = LibvirtLibvirtd {
            dir,
            child: Some(child),
        };
        let t = Instant::now();
        while std::os::unix::net::UnixStream::connect(d.sock()).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "libvirtd did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        d
    }
}

impl Server for LibvirtLibvirtd {
    fn sock(&self) -> PathBuf {
        self.dir.join("sock/libvirt-sock")
    }
}

impl Drop for LibvirtLibvirtd {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let t = Instant::now();
            while t.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A connection that keeps the test driver's state alive.
struct Keeper {
    _rt: tokio::runtime::Runtime,
    _client: Arc<RpcClient>,
}

fn keeper(sock: &Path) -> Keeper {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let client = rt.block_on(async {
        let c = RpcClient::connect_unix(sock).await.unwrap();
        let _: remote::AuthListRet = c
            .call(remote::PROGRAM, 1, procs::AUTH_LIST, &())
            .await
            .unwrap();
        let open = remote::ConnectOpenArgs {
            name: Some("test:///default".into()),
            flags: 0,
        };
        let () = c
            .call(remote::PROGRAM, 1, procs::CONNECT_OPEN, &open)
            .await
            .unwrap();
        c
    });
    Keeper {
        _rt: rt,
        _client: client,
    }
}

enum Mode {
    String,
    Argv,
    NoUri,
    Shell,
    Stdin,
}

struct Step {
    line: String,
    opts: Vec<String>,
    mode: Mode,
    rest: String,
}

struct Transcript {
    tool: String,
    daemon: String,
    steps: Vec<Step>,
}

fn parse_cmds(text: &str) -> Transcript {
    let mut daemon = "oxvirt".to_owned();
    let mut tool = "virsh".to_owned();
    let mut steps = Vec::new();
    for line in text.lines() {
        let l = line.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(d) = l.strip_prefix("%daemon ") {
            daemon = d.trim().to_owned();
            continue;
        }
        if let Some(t) = l.strip_prefix("%tool ") {
            tool = t.trim().to_owned();
            continue;
        }
        let (opts, rest) = match l.strip_prefix('[') {
            Some(r) => {
                let (o, rest) = r.split_once(']').unwrap();
                (
                    o.split_whitespace().map(str::to_owned).collect(),
                    rest.trim_start(),
                )
            }
            None => (Vec::new(), l),
        };
        let mut opts: Vec<String> = opts;
        let mode = if opts.first().map(String::as_str) == Some("argv") {
            opts.remove(0);
            Mode::Argv
        } else if opts.first().map(String::as_str) == Some("nouri") {
            opts.remove(0);
            Mode::NoUri
        } else if opts.first().map(String::as_str) == Some("sh") {
            opts.remove(0);
            Mode::Shell
        } else if opts.first().map(String::as_str) == Some("stdin") {
            opts.remove(0);
            Mode::Stdin
        } else {
            Mode::String
        };
        steps.push(Step {
            line: l.to_owned(),
            opts,
            mode,
            rest: rest.to_owned(),
        });
    }
    Transcript {
        tool,
        daemon,
        steps,
    }
}

fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into our buffer.
    unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

struct Subst {
    data: String,
    tmp: String,
    sock: String,
    keeper_pid: String,
}

/// Replaces `YYYY-MM-DD HH:MM:SS+ZZZZ` times with `@TIME@`.
fn blank_times(line: &str) -> String {
    let pattern = "dddd-dd-dd dd:dd:dd+dddd";
    let b = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let fits = b.len() - i >= pattern.len()
            && pattern.bytes().zip(&b[i..]).all(|(p, c)| match p {
                b'd' => c.is_ascii_digit(),
                b'+' => *c == b'+' || *c == b'-',
                other => *c == other,
            });
        if fits {
            out.push_str("@TIME@");
            i += pattern.len();
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

impl Subst {
    fn expand(&self, s: &str) -> String {
        s.replace("@DATA@", &self.data)
            .replace("@TMP@", &self.tmp)
            .replace("@SOCK@", &self.sock)
    }

    /// Undoes [`Subst::expand`] and blanks what legitimately differs.
    fn normalize(&self, s: &str) -> String {
        let sockdir = Path::new(&self.sock)
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut out = s
            .replace(&self.sock, "@SOCK@")
            .replace(&sockdir, "@SOCKDIR@")
            .replace(&self.tmp, "@TMP@")
            .replace(&self.data, "@DATA@");
        let host = hostname();
        if !host.is_empty() {
            out = out
                .lines()
                .map(|l| if l == host { "@HOSTNAME@" } else { l })
                .collect::<Vec<_>>()
                .join("\n")
                + if out.ends_with('\n') { "\n" } else { "" };
        }
        let mut lines = Vec::new();
        for l in out.split_inclusive('\n') {
            if let Some(i) = l.find("CPU time:") {
                lines.push(format!("{}CPU time:       @CPU@s\n", &l[..i]));
            } else if l.starts_with("unix_process_id: ") {
                lines.push(l.replace(&self.keeper_pid, "@PID@"));
            } else if let Some(i) = l.find("(Time: ") {
                lines.push(format!("{}(Time: @MS@ ms)\n", &l[..i]));
            } else if let Some(i) = l.find("cpu.time=") {
                lines.push(format!("{}cpu.time=@CPU@\n", &l[..i]));
            } else {
                lines.push(blank_times(l));
            }
        }
        lines.concat()
    }
}

fn render_stream(prefix: char, s: &str) -> String {
    let mut out = String::new();
    if s.is_empty() {
        return out;
    }
    let body = s.strip_suffix('\n');
    for l in body.unwrap_or(s).split('\n') {
        out.push(prefix);
        out.push_str(l);
        out.push('\n');
    }
    if body.is_none() {
        out.push_str("%no-eol\n");
    }
    out
}

/// Runs every step of a transcript with `virsh` against `server`.
fn transcript(
    virsh: &Path,
    admin: bool,
    server: &dyn Server,
    steps: &[Step],
    subst: &Subst,
) -> String {
    let uri = if admin {
        server.admin_uri()
    } else {
        server.uri()
    };
    let _keep = server.needs_keeper().then(|| keeper(&server.sock()));
    let mut out = String::new();
    for s in steps {
        let mut cmd = Command::new(virsh);
        if let Mode::Shell = s.mode {
            cmd = Command::new("sh");
            cmd.arg("-c").arg(subst.expand(&s.rest));
        }
        cmd.env_remove("LIBVIRT_DEFAULT_URI")
            .env_remove("VIRSH_DEFAULT_CONNECT_URI")
            .env("LC_ALL", "C")
            .current_dir(&subst.tmp);
        cmd.args(&s.opts);
        match s.mode {
            Mode::String => {
                cmd.arg("-c").arg(&uri).arg(subst.expand(&s.rest));
            }
            Mode::Argv => {
                cmd.arg("-c").arg(&uri);
                cmd.args(subst.expand(&s.rest).split_whitespace());
            }
            Mode::NoUri => {
                cmd.args(subst.expand(&s.rest).split_whitespace());
            }
            Mode::Shell => {}
            Mode::Stdin => {
                cmd.arg("-c").arg(&uri);
            }
        }
        let o = if let Mode::Stdin = s.mode {
            let input = subst.expand(&s.rest).replace("\\n", "\n");
            let mut child = cmd
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            {
                use std::io::Write;
                let mut stdin = child.stdin.take().unwrap();
                stdin.write_all(input.as_bytes()).unwrap();
            }
            child.wait_with_output().unwrap()
        } else {
            run(&mut cmd, Duration::from_secs(30))
        };
        out.push_str(&format!("$ {}\n", s.line));
        out.push_str(&render_stream('|', &subst.normalize(&stdout(&o))));
        out.push_str(&render_stream('!', &subst.normalize(&stderr(&o))));
        out.push_str(&format!("= exit {}\n", o.status.code().unwrap_or(-1)));
    }
    out
}

/// A scratch directory whose path always has the same length (under `/tmp`
/// whatever `TMPDIR` says), so that tables sized by paths in it print the
/// same width on every machine.
fn scratch() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = Path::new("/tmp").join(format!(
        "oxg-{:010}-{:04}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn start_server(kind: &str) -> Option<Box<dyn Server>> {
    match kind {
        "oxvirt" => Some(Box::new(Daemon::start("libvirtd", &[]))),
        "virtstoraged" => Some(Box::new(Storaged(Daemon::start("virtstoraged", &[])))),
        "libvirtd" if LibvirtLibvirtd::available() => Some(Box::new(LibvirtLibvirtd::start())),
        "libvirtd" => None,
        other => panic!("unknown daemon {other}"),
    }
}

fn check(name: &str) {
    let dir = data_dir();
    let text = std::fs::read_to_string(dir.join(format!("{name}.cmds"))).unwrap();
    let Transcript {
        tool,
        daemon,
        steps,
    } = parse_cmds(&text);
    let admin = tool == "virt-admin";
    let golden_path = dir.join(format!("{name}.out"));
    let regenerate = std::env::var("VIR_TEST_REGENERATE_OUTPUT").as_deref() == Ok("1");
    let real = PathBuf::from(format!("/usr/bin/{tool}"));

    let run_with = |virsh: &Path| -> Option<String> {
        let server = start_server(&daemon)?;
        let tmp = scratch();
        let subst = Subst {
            data: dir.display().to_string(),
            tmp: tmp.display().to_string(),
            sock: server.sock().display().to_string(),
            keeper_pid: std::process::id().to_string(),
        };
        let t = transcript(virsh, admin, server.as_ref(), &steps, &subst);
        let _ = std::fs::remove_dir_all(&tmp);
        Some(t)
    };

    let theirs = if real.exists() { run_with(&real) } else { None };
    if daemon == "libvirtd" && !LibvirtLibvirtd::available() {
        eprintln!(
            "{name}: {} not installed, transcript skipped",
            LibvirtLibvirtd::BINARY
        );
        return;
    }
    if regenerate {
        let t = theirs.as_ref().expect("regenerating needs /usr/bin/virsh");
        std::fs::write(&golden_path, t).unwrap();
    }
    let golden = std::fs::read_to_string(&golden_path).unwrap_or_default();
    if let Some(t) = &theirs {
        assert!(
            *t == golden,
            "{name}: libvirt's virsh no longer prints {}; review and regenerate with VIR_TEST_REGENERATE_OUTPUT=1\n{}",
            golden_path.display(),
            diff(&golden, t)
        );
    }
    let ours = run_with(&our_tool(&tool)).unwrap();
    assert!(
        ours == golden,
        "{name}: oxvirt's virsh differs from {}\n{}",
        golden_path.display(),
        diff(&golden, &ours)
    );
}

/// A minimal line diff for failure messages.
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            out.push_str(&format!(
                "line {}:\n  - {}\n  + {}\n",
                i + 1,
                a.unwrap_or(&"<none>"),
                b.unwrap_or(&"<none>")
            ));
            shown += 1;
            if shown >= 10 {
                out.push_str("  …\n");
                break;
            }
        }
    }
    out
}

#[test]
fn virsh_host_commands() {
    check("host");
}

#[test]
fn virsh_domain_commands() {
    check("domain");
}

#[test]
fn virsh_command_line_parsing() {
    check("parse");
}

#[test]
fn virsh_secondary_drivers_on_oxvirt() {
    check("families");
}

#[test]
fn virt_admin_commands() {
    check("admin");
}

#[test]
fn virsh_volume_streams_on_virtstoraged() {
    check("storage");
}

#[test]
fn virsh_networks_pools_volumes_on_libvirtd() {
    check("libvirtd-storage-network");
}
