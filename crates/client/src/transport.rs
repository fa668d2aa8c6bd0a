//! From a URI to a byte stream, as libvirt's remote driver does it.
//!
//! [`plan`] decides everything that does not touch the system: the transport
//! (`unix`, `tcp`, `tls`, `ssh`, `ext`), the name sent in CONNECT_OPEN (the URI
//! without its transport, host and client-only parameters), the open flags
//! (read-only, user session, autostart), the UNIX socket path (modular
//! `virtDRIVERd-sock` if it exists, else `libvirt-sock`; system or session
//! directory; `mode=`, `socket=`), the daemon to autostart, and the ssh
//! command line. `connect` then carries the plan out.

use crate::config::{self, ClientConfig};
use crate::engine::{Engine, TransportExtra};
use crate::error;
use crate::uri::Uri;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use std::io;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `REMOTE_DRIVER_OPEN_RO`.
pub const OPEN_RO: u32 = 1;
/// `REMOTE_DRIVER_OPEN_USER`.
pub const OPEN_USER: u32 = 2;
/// `REMOTE_DRIVER_OPEN_AUTOSTART`.
pub const OPEN_AUTOSTART: u32 = 4;

/// Parameters that only the client uses; they are not sent to the daemon.
const CLIENT_PARAMS: &[&str] = &[
    "name",
    "command",
    "socket",
    "auth",
    "sshauth",
    "netcat",
    "keyfile",
    "no_sanity",
    "no_verify",
    "no_tty",
    "pkipath",
    "known_hosts",
    "known_hosts_verify",
    "tls_priority",
    "mode",
    "proxy",
    "authfile",
];

/// The socket naming scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Modular if its socket exists, else monolithic if its socket exists,
    /// else the build default.
    Auto,
    /// `libvirt-sock`, served by libvirtd or virtproxyd.
    Legacy,
    /// `virtDRIVERd-sock`.
    Direct,
}

/// What an `auto` client uses when no socket exists yet. Debian 12's libvirt
/// 9.0, the clients oxvirt replaces, is built with `remote_default_mode=legacy`.
pub const DEFAULT_MODE: Mode = Mode::Legacy;

impl Mode {
    fn parse(s: &str) -> Result<Mode> {
        match s {
            "auto" => Ok(Mode::Auto),
            "legacy" => Ok(Mode::Legacy),
            "direct" => Ok(Mode::Direct),
            other => Err(error::invalid_arg(format!("Unknown remote mode '{other}'"))),
        }
    }
}

/// How an ssh connection reaches the daemon on the far side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proxy {
    /// `virt-ssh-helper` if installed there, else netcat.
    Auto,
    /// `nc -U <socket>`.
    Netcat,
    /// `virt-ssh-helper`.
    Native,
}

/// Where the bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A UNIX socket, with the daemon to start if it is not there yet.
    Unix {
        path: PathBuf,
        autostart: Option<PathBuf>,
    },
    /// Plain TCP.
    Tcp { host: String, port: String },
    /// TLS over TCP, with the directory of the x509 credentials
    /// (`pkipath=`) and whether to skip checking the server (`no_verify=1`).
    Tls {
        host: String,
        port: String,
        pkipath: Option<PathBuf>,
        no_verify: bool,
    },
    /// A helper process whose stdin/stdout carry the protocol (ssh, ext).
    Command { argv: Vec<String> },
}

/// Everything needed to open a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub target: Target,
    /// The name for CONNECT_OPEN; `""` lets the daemon choose.
    pub name: String,
    /// `REMOTE_DRIVER_OPEN_*` flags for CONNECT_OPEN.
    pub flags: u32,
    /// Whether the transport itself is secure (`virConnectIsSecure`).
    pub secure: bool,
    /// Whether the transport encrypts (`virConnectIsEncrypted`).
    pub encrypted: bool,
    /// `auth=` from the URI.
    pub auth: Option<String>,
}

fn bool_param(uri: &Uri, name: &str) -> bool {
    uri.param(name)
        .is_some_and(|v| v.trim().parse::<i64>().unwrap_or(0) != 0)
}

/// The name sent in CONNECT_OPEN for `uri`.
pub fn open_name(uri: &Uri) -> String {
    if let Some(n) = uri.param("name") {
        return n.to_owned();
    }
    let scheme = uri.scheme.as_deref().unwrap_or("");
    if scheme == "remote" || scheme.starts_with("remote+") {
        return String::new();
    }
    let query = uri.format_params(|n| !CLIENT_PARAMS.iter().any(|c| c.eq_ignore_ascii_case(n)));
    let bare = Uri {
        scheme: uri.driver().map(str::to_owned),
        path: uri.path.clone(),
        query: (!query.is_empty()).then_some(query),
        fragment: uri.fragment.clone(),
        ..Uri::default()
    };
    bare.to_string()
}

/// `remoteGetURIDaemonInfo`: the USER and AUTOSTART flags.
fn daemon_flags(uri: Option<&Uri>, is_unix: bool, privileged: bool) -> u32 {
    let autostart_ok = std::env::var("LIBVIRT_AUTOSTART").map_or(true, |v| v != "0");
    let mut flags = 0;
    match uri {
        Some(u) => {
            let session = u.path.as_deref() == Some("/session")
                || u.scheme.as_deref().is_some_and(|s| s.starts_with("test+"));
            if u.path.is_some() && u.scheme.is_some() && session && !privileged {
                flags |= OPEN_USER;
                if u.server.is_none() && is_unix && autostart_ok {
                    flags |= OPEN_AUTOSTART;
                }
            }
        }
        None if !privileged => {
            flags |= OPEN_USER;
            if autostart_ok {
                flags |= OPEN_AUTOSTART;
            }
        }
        None => {}
    }
    flags
}

fn socket_path(prefix: &str, flags: u32) -> PathBuf {
    if flags & OPEN_USER != 0 {
        config::user_runtime_dir().join(format!("{prefix}-sock"))
    } else {
        let suffix = if flags & OPEN_RO != 0 {
            "sock-ro"
        } else {
            "sock"
        };
        PathBuf::from(format!("/var/run/libvirt/{prefix}-{suffix}"))
    }
}

/// The directory holding a daemon binary: `$VIRTD_PATH`, else
/// `$LIBVIRTD_PATH`, else the directory of this program when the daemon
/// is installed next to it (a build tree), else `/usr/sbin`.
pub fn daemon_dir(daemon: &str) -> PathBuf {
    for var in ["VIRTD_PATH", "LIBVIRTD_PATH"] {
        if let Some(d) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            return PathBuf::from(d);
        }
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        if dir.join(daemon).is_file() {
            return dir;
        }
    }
    PathBuf::from("/usr/sbin")
}

/// `remoteGetUNIXSocket`: the socket and, with AUTOSTART, the daemon binary.
fn unix_socket(
    transport_is_unix: bool,
    mode: Mode,
    driver: Option<&str>,
    flags: u32,
) -> Result<(PathBuf, Option<PathBuf>)> {
    let (direct_daemon, direct_sock) = match driver {
        Some(d) => {
            let daemon = format!("virt{d}d");
            let sock = socket_path(&daemon, flags);
            (daemon, sock)
        }
        None => ("virtproxyd".to_owned(), socket_path("libvirt", flags)),
    };
    let legacy_sock = socket_path("libvirt", flags);
    let mode = match mode {
        Mode::Auto if transport_is_unix => {
            if direct_sock.exists() {
                Mode::Direct
            } else if legacy_sock.exists() {
                Mode::Legacy
            } else {
                DEFAULT_MODE
            }
        }
        Mode::Auto => Mode::Legacy,
        m => m,
    };
    let (sock, daemon) = match mode {
        Mode::Direct if !transport_is_unix => {
            return Err(Error::new(
                ErrorDomain::REMOTE,
                ErrorCode::OPERATION_UNSUPPORTED,
                "Cannot use direct socket mode for this transport",
            ))
        }
        Mode::Direct => (direct_sock, direct_daemon),
        _ => (legacy_sock, "libvirtd".to_owned()),
    };
    let daemon_path = (flags & OPEN_AUTOSTART != 0).then(|| daemon_dir(&daemon).join(&daemon));
    Ok((sock, daemon_path))
}

/// `virBufferEscapeShell`: single-quotes `s` when it holds anything a shell
/// would interpret.
pub fn escape_shell(s: &str) -> String {
    if s.is_empty() {
        return "''".to_owned();
    }
    if !s
        .chars()
        .any(|c| "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~".contains(c))
    {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The remote shell command that reaches the daemon's socket
/// (`virNetClientSSHHelperCommand`).
pub fn ssh_helper_command(
    proxy: Proxy,
    netcat: Option<&str>,
    socket: &str,
    driver_uri: &str,
    readonly: bool,
) -> Result<String> {
    let double = |s: &str| escape_shell(&escape_shell(s));
    let nc = double(netcat.unwrap_or("nc"));
    let proxy = match (proxy, netcat) {
        (Proxy::Auto, Some(_)) => Proxy::Netcat,
        (p, _) => p,
    };
    let nccmd = format!(
        "if '{nc}' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'{nc}' $ARG -U {socket}"
    );
    let helper = format!(
        "virt-ssh-helper{}'{}'",
        if readonly { " -r " } else { " " },
        double(driver_uri)
    );
    Ok(match proxy {
        Proxy::Auto => format!(
            "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     {helper}; else    {nccmd}; fi'"
        ),
        Proxy::Netcat => format!("sh -c '{nccmd}'"),
        Proxy::Native if netcat.is_some() => {
            return Err(error::invalid_arg(
                "netcat path not supported with native proxy mode",
            ))
        }
        Proxy::Native => format!("sh -c '{helper}'"),
    })
}

/// Inputs of [`plan`] that come from the environment.
pub struct PlanContext<'a> {
    pub config: &'a ClientConfig,
    pub read_only: bool,
    pub privileged: bool,
}

/// Decides how to open `uri` (`None`: let the daemon choose).
pub fn plan(uri: Option<&Uri>, ctx: &PlanContext<'_>) -> Result<Plan> {
    let ro = if ctx.read_only { OPEN_RO } else { 0 };
    let Some(uri) = uri else {
        let flags = daemon_flags(None, true, ctx.privileged) | ro;
        let mode = match &ctx.config.remote_mode {
            Some(m) => Mode::parse(m)?,
            None => Mode::Auto,
        };
        let (path, autostart) = unix_socket(true, mode, None, flags)?;
        return Ok(Plan {
            target: Target::Unix { path, autostart },
            name: String::new(),
            flags,
            secure: true,
            encrypted: false,
            auth: None,
        });
    };

    let transport = match uri.transport() {
        Some(t) => {
            let t = t.to_ascii_lowercase();
            if !matches!(
                t.as_str(),
                "tls" | "unix" | "ssh" | "libssh2" | "ext" | "tcp" | "libssh"
            ) {
                return Err(error::invalid_arg(
                    "remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)",
                ));
            }
            if t == "unix" {
                if let Some(s) = &uri.server {
                    return Err(error::invalid_arg(format!(
                        "using unix socket and remote server '{s}' is not supported."
                    )));
                }
            }
            t
        }
        None if uri.server.is_some() => "tls".to_owned(),
        None => "unix".to_owned(),
    };
    let is_unix = transport == "unix";
    let flags = daemon_flags(Some(uri), is_unix, ctx.privileged) | ro;
    let name = open_name(uri);
    let mode = match uri.param("mode").or(ctx.config.remote_mode.as_deref()) {
        Some(m) => Mode::parse(m)?,
        None => Mode::Auto,
    };
    let socket = uri.param("socket").map(PathBuf::from);
    let host = uri.server.clone().unwrap_or_else(|| "localhost".to_owned());
    let port_or = |default: &str| {
        if uri.port != 0 {
            uri.port.to_string()
        } else {
            default.to_owned()
        }
    };
    let auth = uri.param("auth").map(str::to_owned);
    let plan = |target, secure, encrypted| Plan {
        target,
        name: name.clone(),
        flags,
        secure,
        encrypted,
        auth: auth.clone(),
    };
    match transport.as_str() {
        "unix" => {
            let (path, autostart) = match socket {
                Some(p) => (p, None),
                None => unix_socket(true, mode, uri.driver(), flags)?,
            };
            Ok(plan(Target::Unix { path, autostart }, true, false))
        }
        "tcp" => Ok(plan(
            Target::Tcp {
                host,
                port: port_or("16509"),
            },
            false,
            false,
        )),
        "tls" => Ok(plan(
            Target::Tls {
                host,
                port: port_or("16514"),
                pkipath: uri.param("pkipath").map(PathBuf::from),
                no_verify: bool_param(uri, "no_verify"),
            },
            true,
            true,
        )),
        "ext" => {
            let Some(cmd) = uri.param("command") else {
                return Err(error::invalid_arg(
                    "remote_open: for 'ext' transport, command is required",
                ));
            };
            Ok(plan(
                Target::Command {
                    argv: vec![cmd.to_owned()],
                },
                false,
                false,
            ))
        }
        _ => {
            // ssh; libssh and libssh2 are served by the same ssh binary.
            let proxy = match uri.param("proxy") {
                None | Some("auto") => Proxy::Auto,
                Some("netcat") => Proxy::Netcat,
                Some("native") => Proxy::Native,
                Some(other) => {
                    return Err(error::invalid_arg(format!("Unknown proxy mode '{other}'")))
                }
            };
            let (sock, proxy) = match &socket {
                Some(p) => (p.clone(), Proxy::Netcat),
                None => (unix_socket(false, mode, uri.driver(), flags)?.0, proxy),
            };
            let remote_cmd = ssh_helper_command(
                proxy,
                uri.param("netcat"),
                &sock.display().to_string(),
                &name,
                ctx.read_only,
            )?;
            let mut argv = vec![uri.param("command").unwrap_or("ssh").to_owned()];
            if uri.port != 0 {
                argv.extend(["-p".to_owned(), uri.port.to_string()]);
            }
            if let Some(u) = &uri.user {
                argv.extend(["-l".to_owned(), u.clone()]);
            }
            if let Some(k) = uri.param("keyfile") {
                argv.extend(["-i".to_owned(), k.to_owned()]);
            }
            argv.extend(["-T", "-e", "none"].map(str::to_owned));
            if bool_param(uri, "no_tty") {
                argv.extend(["-o", "BatchMode=yes"].map(str::to_owned));
            }
            if bool_param(uri, "no_verify") {
                argv.extend(["-o", "StrictHostKeyChecking=no"].map(str::to_owned));
            }
            argv.extend(["--".to_owned(), host, remote_cmd]);
            Ok(plan(Target::Command { argv }, true, true))
        }
    }
}

/// A held `fcntl` write lock on the autostart lock file; unlinked on drop.
struct SpawnLock {
    path: PathBuf,
    _file: std::fs::File,
}

impl SpawnLock {
    fn take(path: PathBuf) -> Result<SpawnLock> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|e| {
                error::system(
                    ErrorDomain::RPC,
                    format!("Unable to create lock '{}'", path.display()),
                    &e,
                )
            })?;
        // SAFETY: flock is plain data; zero is a valid initial value.
        let mut fl: libc::flock = unsafe { std::mem::zeroed() };
        fl.l_type = libc::F_WRLCK as libc::c_short;
        fl.l_whence = libc::SEEK_SET as libc::c_short;
        fl.l_start = 0;
        fl.l_len = 1;
        loop {
            // SAFETY: the descriptor is open for the call and `fl` is a valid
            // flock that outlives it.
            let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLKW, &fl) };
            if rc == 0 {
                break;
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(error::system(
                    ErrorDomain::RPC,
                    format!("Unable to lock '{}'", path.display()),
                    &e,
                ));
            }
        }
        Ok(SpawnLock { path, _file: file })
    }
}

impl Drop for SpawnLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Starts `<daemon> --timeout=120` detached from this process's terminal
/// signals, as libvirt's client autostart does.
fn spawn_daemon(daemon: &Path) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(daemon)
        .arg("--timeout=120")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| {
            error::system(
                ErrorDomain::RPC,
                format!("Cannot run program '{}'", daemon.display()),
                &e,
            )
        })?;
    // Reap it if it exits while we run; afterwards init does.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

fn connect_addr(path: &Path) -> io::Result<std::os::unix::net::UnixStream> {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    if let Some(name) = bytes.strip_prefix(b"@") {
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
        std::os::unix::net::UnixStream::connect_addr(&addr)
    } else {
        std::os::unix::net::UnixStream::connect(path)
    }
}

/// `virNetSocketNewConnectUNIX`: connects, starting the daemon under the
/// autostart lock when the socket is missing or refuses, and retrying every
/// 10 ms up to 500 times.
pub fn connect_unix_blocking(
    path: &Path,
    autostart: Option<&Path>,
) -> Result<std::os::unix::net::UnixStream> {
    use std::os::unix::ffi::OsStrExt;
    if path.as_os_str().as_bytes().len() >= 108 {
        return Err(error::system_errno(
            ErrorDomain::RPC,
            format!("Path {} too long for unix socket", path.display()),
            libc::ENAMETOOLONG,
        ));
    }
    let _lock = match autostart {
        Some(daemon) => {
            let rundir = config::user_runtime_dir();
            create_private_dir(&rundir)?;
            let base = daemon
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some(SpawnLock::take(rundir.join(format!("{base}.lock")))?)
        }
        None => None,
    };
    let mut launched = false;
    let mut retries = 0;
    loop {
        match connect_addr(path) {
            Ok(s) => return Ok(s),
            Err(e) => {
                let retryable = matches!(
                    e.raw_os_error(),
                    Some(libc::ENOENT) | Some(libc::ECONNREFUSED)
                );
                let Some(daemon) = autostart.filter(|_| retryable && retries < 500) else {
                    return Err(error::system(
                        ErrorDomain::RPC,
                        format!("Failed to connect socket to '{}'", path.display()),
                        &e,
                    ));
                };
                if !launched {
                    spawn_daemon(daemon)?;
                    launched = true;
                }
                std::thread::sleep(Duration::from_millis(10));
                retries += 1;
            }
        }
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| {
            error::system(
                ErrorDomain::RPC,
                format!("Cannot create user runtime directory '{}'", dir.display()),
                &e,
            )
        })
}

/// Starts the helper process of an ssh or ext transport on one end of a
/// socket pair, as libvirt does, and collects its stderr.
fn spawn_command(argv: &[String]) -> Result<(std::os::unix::net::UnixStream, TransportExtra)> {
    let Some((prog, args)) = argv.split_first() else {
        return Err(error::invalid_arg("empty command"));
    };
    let (ours, theirs) = std::os::unix::net::UnixStream::pair()
        .map_err(|e| error::system(ErrorDomain::RPC, "Unable to create socket pair", &e))?;
    let theirs_out = theirs
        .try_clone()
        .map_err(|e| error::system(ErrorDomain::RPC, "Unable to duplicate socket", &e))?;
    let mut child = Command::new(prog)
        .args(args)
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .stdout(Stdio::from(OwnedFd::from(theirs_out)))
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| error::system(ErrorDomain::RPC, format!("Cannot run program '{prog}'"), &e))?;
    let errout = Arc::new(Mutex::new(String::new()));
    if let Some(mut stderr) = child.stderr.take() {
        let sink = errout.clone();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 1024];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
    }
    Ok((
        ours,
        TransportExtra {
            errout: Some(errout),
            child: Some(child),
        },
    ))
}

fn unix_engine(s: std::os::unix::net::UnixStream, extra: TransportExtra) -> Result<Arc<Engine>> {
    s.set_nonblocking(true)
        .map_err(|e| error::system(ErrorDomain::RPC, "Unable to set socket flags", &e))?;
    let s = tokio::net::UnixStream::from_std(s)
        .map_err(|e| error::system(ErrorDomain::RPC, "Unable to register socket", &e))?;
    let (r, w) = s.into_split();
    Ok(Engine::start(r, w, extra))
}

/// Opens the plan's transport and starts its engine.
pub(crate) async fn connect(target: Target) -> Result<Arc<Engine>> {
    crate::runtime::run(async move {
        match target {
            Target::Unix { path, autostart } => {
                let s = tokio::task::spawn_blocking(move || {
                    connect_unix_blocking(&path, autostart.as_deref())
                })
                .await
                .map_err(|e| Error::internal(ErrorDomain::RPC, e.to_string()))??;
                unix_engine(s, TransportExtra::default())
            }
            Target::Tcp { host, port } => {
                let s = tokio::net::TcpStream::connect(format!("{host}:{port}"))
                    .await
                    .map_err(|e| {
                        error::system(
                            ErrorDomain::RPC,
                            format!("unable to connect to server at '{host}:{port}'"),
                            &e,
                        )
                    })?;
                let _ = s.set_nodelay(true);
                let (r, w) = s.into_split();
                Ok(Engine::start(
                    oxvirt_rpc::io::Plain(r),
                    oxvirt_rpc::io::Plain(w),
                    TransportExtra::default(),
                ))
            }
            Target::Tls {
                host,
                port,
                pkipath,
                no_verify,
            } => {
                let creds =
                    crate::tls::Credentials::locate(pkipath.as_deref(), config::is_privileged());
                crate::tls::connect(&host, &port, &creds, no_verify).await
            }
            Target::Command { argv } => {
                let (s, extra) = spawn_command(&argv)?;
                unix_engine(s, extra)
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(config: &ClientConfig) -> PlanContext<'_> {
        PlanContext {
            config,
            read_only: false,
            privileged: true,
        }
    }

    #[test]
    fn name_drops_transport_and_client_params() {
        let u = Uri::parse(
            "qemu+ssh://root@h:22/system?keyfile=/k&Socket=/s&foo=a b"
                .replace(' ', "%20")
                .as_str(),
        )
        .unwrap();
        assert_eq!(open_name(&u), "qemu:///system?foo=a%20b");
        let u = Uri::parse("test+unix:///default?socket=/tmp/s").unwrap();
        assert_eq!(open_name(&u), "test:///default");
        let u = Uri::parse("remote+unix:///?socket=/tmp/s").unwrap();
        assert_eq!(open_name(&u), "");
        let u = Uri::parse("qemu:///system?name=xen:///").unwrap();
        assert_eq!(open_name(&u), "xen:///");
    }

    #[test]
    fn socket_param_wins_and_disables_autostart() {
        let c = ClientConfig::default();
        let u = Uri::parse("test+unix:///default?socket=/tmp/x-sock").unwrap();
        let p = plan(Some(&u), &ctx(&c)).unwrap();
        assert_eq!(
            p.target,
            Target::Unix {
                path: "/tmp/x-sock".into(),
                autostart: None
            }
        );
        assert_eq!(p.flags, 0);
    }

    #[test]
    fn unknown_transport_is_refused() {
        let c = ClientConfig::default();
        let e = plan(Some(&Uri::parse("test+foo:///default").unwrap()), &ctx(&c)).unwrap_err();
        assert_eq!(
            e.message,
            "invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)"
        );
        let e = plan(
            Some(&Uri::parse("test+unix://host/default").unwrap()),
            &ctx(&c),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "invalid argument: using unix socket and remote server 'host' is not supported."
        );
    }

    #[test]
    fn session_uri_of_a_user_autostarts_the_daemon() {
        let c = ClientConfig::default();
        let u = Uri::parse("qemu:///session").unwrap();
        let ctx = PlanContext {
            config: &c,
            read_only: true,
            privileged: false,
        };
        let p = plan(Some(&u), &ctx).unwrap();
        assert_eq!(p.flags & (OPEN_USER | OPEN_RO), OPEN_USER | OPEN_RO);
        let Target::Unix { path, .. } = p.target else {
            panic!("not unix")
        };
        assert!(path.ends_with("libvirt-sock") || path.ends_with("virtqemud-sock"));
    }

    #[test]
    fn ssh_command_line_matches_libvirt() {
        let c = ClientConfig::default();
        let u = Uri::parse("qemu+ssh://alice@host:2222/system?keyfile=/k&no_tty=1&no_verify=1")
            .unwrap();
        let p = plan(Some(&u), &ctx(&c)).unwrap();
        let Target::Command { argv } = p.target else {
            panic!("not a command")
        };
        assert_eq!(
            argv[..14],
            [
                "ssh",
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
                "StrictHostKeyChecking=no"
            ]
        );
        assert_eq!(argv[14..16], ["--", "host"]);
        assert_eq!(
            argv[16],
            "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     virt-ssh-helper 'qemu:///system'; else    if 'nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'nc' $ARG -U /var/run/libvirt/libvirt-sock; fi'"
        );
    }

    #[test]
    fn ssh_with_socket_uses_netcat() {
        let c = ClientConfig::default();
        let u = Uri::parse("test+ssh://h/default?socket=/run/x&netcat=/bin/nc").unwrap();
        let p = plan(Some(&u), &ctx(&c)).unwrap();
        let Target::Command { argv } = p.target else {
            panic!("not a command")
        };
        assert_eq!(
            argv.last().unwrap(),
            "sh -c 'if '/bin/nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'/bin/nc' $ARG -U /run/x'"
        );
    }

    #[test]
    fn shell_escaping_quotes_only_when_needed() {
        assert_eq!(escape_shell("qemu:///system"), "qemu:///system");
        assert_eq!(escape_shell("a b"), "'a b'");
        assert_eq!(escape_shell("it's"), "'it'\\''s'");
        assert_eq!(escape_shell(""), "''");
    }
}
