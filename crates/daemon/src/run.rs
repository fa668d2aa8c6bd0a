//! A daemon's life: flags, config, paths, pid file, logging, listeners, the
//! event loop, idle exit, signals, shutdown.

use crate::activation::{notify_ready, Activation};
use crate::admin::{AdminHandler, ServerView};
use crate::args::{self, Args, Parsed};
use crate::paths::{DaemonPaths, Root, Xdg};
use crate::pidfile::PidFile;
use crate::remote::RemoteHandler;
use crate::{logging, DaemonSpec, DriverEnv};
use oxvirt_conffile::daemon::{AuthScheme as ConfAuth, DaemonSettings};
use oxvirt_conffile::log::{parse_log_filters, parse_log_outputs, LogDest, LogOutput};
use oxvirt_conffile::Conf;
use oxvirt_rpc::{AuthScheme, Server, ServerConfig, Service, Transport};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::UnixListener;
use tokio::sync::watch;

/// Exit codes of a failed start (libvirt's `VIR_DAEMON_ERR_*`).
mod exit {
    pub const PIDFILE: u8 = 1;
    pub const RUNDIR: u8 = 2;
    pub const INIT: u8 = 3;
    pub const SIGNAL: u8 = 4;
    pub const NETWORK: u8 = 6;
    pub const CONFIG: u8 = 7;
}

fn usage(argv0: &str, spec: &DaemonSpec) -> String {
    let listen = if spec.has_listen {
        "    -l | --listen          Listen for TCP/IP connections.\n"
    } else {
        ""
    };
    format!(
        "\nUsage:\n  {argv0} [options]\n\nOptions:\n    -h | --help            Display program help.\n    -v | --verbose         Verbose messages.\n    -d | --daemon          Run as a daemon & write PID file.\n{listen}    -t | --timeout <secs>  Exit after timeout period.\n    -f | --config <file>   Configuration file.\n    -V | --version         Display version information.\n    -p | --pid-file <file> Change name of PID file.\n         --root <dir>      Relocate every path under <dir> (oxvirt).\n\n{name} is oxvirt's implementation of libvirt's {name}.\n\n  Default paths:\n\n    Configuration file (unless overridden by -f):\n      /etc/libvirt/{name}.conf (system), $XDG_CONFIG_HOME/libvirt/{name}.conf (session)\n\n    Sockets:\n      /run/libvirt/{prefix}-sock, {prefix}-sock-ro, {prefix}-admin-sock (system)\n      $XDG_RUNTIME_DIR/libvirt/{prefix}-sock (session)\n\n    PID file (unless overridden by -p):\n      /run/{name}.pid (system), $XDG_RUNTIME_DIR/libvirt/{name}.pid (session)\n\n",
        name = spec.name,
        prefix = spec.sock_prefix,
    )
}

/// Runs a daemon described by `spec`; the whole `main` of every binary.
pub fn main(spec: DaemonSpec) -> ExitCode {
    let mut argv = std::env::args_os();
    let argv0 = argv
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.name.to_owned());
    let rest: Vec<_> = argv.collect();
    let args = match args::parse(&rest, spec.has_listen) {
        Parsed::Run(a) => a,
        Parsed::Help => {
            eprint!("{}", usage(&argv0, &spec));
            return ExitCode::SUCCESS;
        }
        Parsed::Version => {
            println!("{argv0} (libvirt) {}", oxvirt_core::LIBVIRT_VERSION_STR);
            return ExitCode::SUCCESS;
        }
        Parsed::Usage(msg) => {
            eprintln!("{argv0}: {msg}");
            eprint!("{}", usage(&argv0, &spec));
            return ExitCode::FAILURE;
        }
    };
    match start(&argv0, spec, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, msg)) => {
            eprintln!("{argv0}: error: {msg}");
            ExitCode::from(code)
        }
    }
}

type StartError = (u8, String);

fn privileged() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn load_settings(
    spec: &DaemonSpec,
    args: &Args,
    privileged: bool,
    root: &Root,
    xdg: &Xdg,
) -> Result<DaemonSettings, StartError> {
    let default_paths = DaemonPaths::new(
        spec.name,
        spec.sock_prefix,
        privileged,
        root.clone(),
        xdg,
        None,
    );
    let (path, explicit) = match &args.config {
        Some(p) => (p.clone(), true),
        None => (default_paths.config_file.clone(), false),
    };
    if !explicit && !path.exists() {
        return Ok(DaemonSettings::defaults(spec.flavor, privileged));
    }
    let fail = |e: String| {
        (
            1u8,
            format!("Can't load config file: {e}: {}", path.display()),
        )
    };
    let conf = Conf::read_file(&path).map_err(|e| fail(e.to_string()))?;
    DaemonSettings::from_conf(&conf, spec.flavor, privileged).map_err(|e| fail(e.to_string()))
}

fn setup_logging(
    spec: &DaemonSpec,
    args: &Args,
    settings: &DaemonSettings,
    paths: &DaemonPaths,
) -> Result<(), StartError> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut level = settings.log_level.unwrap_or(3);
    if let Some(l) = env("LIBVIRT_DEBUG").and_then(|v| v.parse::<u8>().ok()) {
        level = l.clamp(1, 4);
    }
    if args.verbose && level > 2 {
        level = 2;
    }
    let filters = match env("LIBVIRT_LOG_FILTERS") {
        Some(f) => parse_log_filters(&f).map_err(|e| (exit::CONFIG, e.to_string()))?,
        None => settings.log_filters.clone(),
    };
    let mut outputs = match env("LIBVIRT_LOG_OUTPUTS") {
        Some(o) => parse_log_outputs(&o).map_err(|e| (exit::CONFIG, e.to_string()))?,
        None => settings.log_outputs.clone(),
    };
    if outputs.is_empty() {
        // SAFETY: isatty has no preconditions.
        let stdin_tty = unsafe { libc::isatty(0) == 1 };
        let dest = if args.daemon {
            if logging::journald_available() {
                LogDest::Journald
            } else {
                LogDest::File(paths.log_dir.join(format!("{}.log", spec.name)))
            }
        } else if !stdin_tty && logging::journald_available() {
            LogDest::Journald
        } else {
            LogDest::Stderr
        };
        outputs.push(LogOutput { level, dest });
    }
    logging::init(spec.name, level, filters, &outputs).map_err(|e| (exit::CONFIG, e.to_string()))
}

/// Forks into the background; the parent waits for the child's status byte.
/// Returns the write end of the status pipe in the daemon.
fn daemonize(argv0: &str) -> Result<OwnedFd, StartError> {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err((1, "cannot create status pipe".into()));
    }
    // SAFETY: both descriptors were just created and are owned here.
    let (rd, wr) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: no threads exist yet (the runtime starts after this), so fork is safe.
    match unsafe { libc::fork() } {
        -1 => Err((1, "cannot fork".into())),
        0 => {
            drop(rd);
            // SAFETY: plain syscalls in the single-threaded child.
            unsafe {
                libc::setsid();
                let devnull = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
                if devnull >= 0 {
                    libc::dup2(devnull, 0);
                    libc::dup2(devnull, 1);
                    libc::dup2(devnull, 2);
                    if devnull > 2 {
                        libc::close(devnull);
                    }
                }
                match libc::fork() {
                    -1 => libc::_exit(1),
                    0 => {}
                    _ => libc::_exit(0),
                }
            }
            let _ = std::env::set_current_dir("/");
            Ok(wr)
        }
        child => {
            drop(wr);
            let mut status = 0i32;
            // SAFETY: waiting for the intermediate child we forked.
            unsafe { libc::waitpid(child, &mut status, 0) };
            let mut byte = [0u8; 1];
            let mut f = std::fs::File::from(rd);
            use std::io::Read;
            match f.read(&mut byte) {
                Ok(1) if byte[0] == 0 => std::process::exit(0),
                Ok(1) => {
                    eprintln!(
                        "{argv0}: error: daemon failed to start (code {}). Check /var/log/messages or run without --daemon for more info.",
                        byte[0]
                    );
                    std::process::exit(1)
                }
                _ => {
                    eprintln!("{argv0}: error: unable to determine if daemon is running");
                    std::process::exit(1)
                }
            }
        }
    }
}

fn report_status(pipe: &mut Option<OwnedFd>, code: u8) {
    if let Some(fd) = pipe.take() {
        let mut f = std::fs::File::from(fd);
        use std::io::Write;
        let _ = f.write_all(&[code]);
    }
}

fn start(argv0: &str, spec: DaemonSpec, args: Args) -> Result<(), StartError> {
    let privileged = privileged();
    let root = Root(args.root.clone());
    let xdg = Xdg::from_env();
    let settings = load_settings(&spec, &args, privileged, &root, &xdg)?;
    let paths = DaemonPaths::new(
        spec.name,
        spec.sock_prefix,
        privileged,
        root,
        &xdg,
        settings.unix_sock_dir.as_deref(),
    );
    setup_logging(&spec, &args, &settings, &paths)?;
    let mut status_pipe = if args.daemon {
        Some(daemonize(argv0)?)
    } else {
        None
    };
    let result = run_daemon(
        &spec,
        &args,
        &settings,
        &paths,
        privileged,
        &mut status_pipe,
    );
    if let Err((code, _)) = &result {
        report_status(&mut status_pipe, *code);
    }
    result
}

fn ensure_dir(dir: &Path, mode: u32) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
    Ok(())
}

fn run_daemon(
    spec: &DaemonSpec,
    args: &Args,
    settings: &DaemonSettings,
    paths: &DaemonPaths,
    privileged: bool,
    status_pipe: &mut Option<OwnedFd>,
) -> Result<(), StartError> {
    let pid_path = args
        .pid_file
        .clone()
        .unwrap_or_else(|| paths.pid_file.clone());
    if let Some(dir) = pid_path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _pidfile = PidFile::acquire(&pid_path).map_err(|e| {
        (
            exit::PIDFILE,
            format!("Failed to acquire pid file '{}': {e}", pid_path.display()),
        )
    })?;
    let run_mode = if privileged { 0o755 } else { 0o700 };
    ensure_dir(&paths.run_dir, run_mode).map_err(|e| {
        (
            exit::RUNDIR,
            format!("Cannot create rundir {}: {e}", paths.run_dir.display()),
        )
    })?;

    let activation = Activation::from_env().map_err(|e| (exit::NETWORK, e.to_string()))?;
    if activation.is_some() && args.listen {
        return Err((
            exit::NETWORK,
            "--listen parameter not permitted with systemd activation sockets, see 'man libvirtd' for further guidance".into(),
        ));
    }

    let threads = event_loop_threads();
    let mut builder = if threads == 0 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(threads);
        b
    };
    let runtime = builder
        .thread_name(spec.name)
        .enable_all()
        .build()
        .map_err(|e| (exit::INIT, format!("cannot start the event loop: {e}")))?;

    let result = runtime.block_on(serve(
        spec,
        args,
        settings,
        paths,
        privileged,
        activation,
        status_pipe,
    ));
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

/// Threads of the tokio runtime: one per core up to four, or
/// `OXVIRT_EVENT_THREADS` (a tuning knob for benchmarks; 0 runs everything on
/// the main thread).
fn event_loop_threads() -> usize {
    std::env::var("OXVIRT_EVENT_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get().min(4))
                .unwrap_or(2)
        })
}

/// The listeners of one daemon, bound or inherited.
struct Listeners {
    rw: Vec<UnixListener>,
    ro: Vec<UnixListener>,
    admin: Vec<UnixListener>,
    tcp: Vec<tokio::net::TcpListener>,
    tls: Vec<tokio::net::TcpListener>,
    /// Paths we created and must unlink at exit.
    created: Vec<PathBuf>,
}

fn inherited_tcp(fds: Vec<OwnedFd>, backlog: u32) -> std::io::Result<Vec<tokio::net::TcpListener>> {
    fds.into_iter()
        .map(|fd| {
            let l = std::net::TcpListener::from(fd);
            // SAFETY: re-issuing listen on an inherited listening socket only
            // changes its backlog.
            unsafe { libc::listen(l.as_raw_fd(), backlog as i32) };
            l.set_nonblocking(true)?;
            tokio::net::TcpListener::from_std(l)
        })
        .collect()
}

/// Whether this daemon serves TCP/TLS at all: libvirtd only with `--listen`,
/// virtproxyd as configured, modular daemons never.
fn serves_network(spec: &DaemonSpec, args: &Args) -> bool {
    match spec.flavor {
        oxvirt_conffile::daemon::DaemonFlavor::Libvirtd => args.listen,
        oxvirt_conffile::daemon::DaemonFlavor::Virtproxyd => true,
        oxvirt_conffile::daemon::DaemonFlavor::Modular => false,
    }
}

fn bind_network(
    settings: &DaemonSettings,
    tcp: bool,
) -> Result<Vec<tokio::net::TcpListener>, StartError> {
    let (enabled, port) = if tcp {
        (settings.listen_tcp, &settings.tcp_port)
    } else {
        (settings.listen_tls, &settings.tls_port)
    };
    if !enabled {
        return Ok(vec![]);
    }
    let addrs = crate::net::addresses(settings.listen_addr.as_deref(), port)
        .map_err(|e| (exit::NETWORK, e.to_string()))?;
    crate::net::bind(&addrs, port, settings.max_queued_clients)
        .map_err(|e| (exit::NETWORK, e.to_string()))
}

fn bind_unix(
    path: &Path,
    mode: u32,
    group: Option<u32>,
    backlog: u32,
) -> std::io::Result<UnixListener> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let std_listener = std::os::unix::net::UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    if let Some(gid) = group {
        std::os::unix::fs::chown(path, None, Some(gid))?;
    }
    // SAFETY: re-issuing listen on our own listening socket only changes its backlog.
    unsafe { libc::listen(std_listener.as_raw_fd(), backlog as i32) };
    std_listener.set_nonblocking(true)?;
    UnixListener::from_std(std_listener)
}

fn inherited(fds: Vec<OwnedFd>, backlog: u32) -> std::io::Result<Vec<UnixListener>> {
    fds.into_iter()
        .map(|fd| {
            let l = std::os::unix::net::UnixListener::from(fd);
            // SAFETY: as above, only the backlog changes.
            unsafe { libc::listen(l.as_raw_fd(), backlog as i32) };
            l.set_nonblocking(true)?;
            UnixListener::from_std(l)
        })
        .collect()
}

fn group_id(name: &str) -> Option<u32> {
    if let Ok(n) = name.parse::<u32>() {
        return Some(n);
    }
    let c = std::ffi::CString::new(name).ok()?;
    // SAFETY: getgrnam returns a pointer to static storage or null; we only read gr_gid.
    let g = unsafe { libc::getgrnam(c.as_ptr()) };
    if g.is_null() {
        None
    } else {
        // SAFETY: non-null result of getgrnam.
        Some(unsafe { (*g).gr_gid })
    }
}

fn open_listeners(
    spec: &DaemonSpec,
    args: &Args,
    settings: &DaemonSettings,
    paths: &DaemonPaths,
    activation: Option<Activation>,
) -> Result<Listeners, StartError> {
    let network = serves_network(spec, args);
    let net_err = |p: &Path, e: std::io::Error| {
        (
            exit::NETWORK,
            format!("Failed to bind socket to '{}': {e}", p.display()),
        )
    };
    let backlog = settings.max_queued_clients;
    if let Some(mut act) = activation {
        let err = |e: std::io::Error| {
            (
                exit::NETWORK,
                format!("Failed to use activation socket: {e}"),
            )
        };
        let l = Listeners {
            rw: inherited(act.claim(&format!("{}.socket", spec.name)), backlog).map_err(err)?,
            ro: inherited(act.claim(&format!("{}-ro.socket", spec.name)), backlog).map_err(err)?,
            admin: inherited(
                act.claim(&format!("{}-admin.socket", spec.name)),
                settings.admin_max_queued_clients,
            )
            .map_err(err)?,
            tcp: if network {
                inherited_tcp(act.claim(&format!("{}-tcp.socket", spec.name)), backlog)
                    .map_err(err)?
            } else {
                vec![]
            },
            tls: if network {
                inherited_tcp(act.claim(&format!("{}-tls.socket", spec.name)), backlog)
                    .map_err(err)?
            } else {
                vec![]
            },
            created: vec![],
        };
        act.finish().map_err(|e| (exit::NETWORK, e.to_string()))?;
        return Ok(l);
    }
    let group = match &settings.unix_sock_group {
        Some(g) => Some(
            group_id(g).ok_or_else(|| (exit::CONFIG, format!("Failed to lookup group '{g}'")))?,
        ),
        None => None,
    };
    let mut l = Listeners {
        rw: vec![],
        ro: vec![],
        admin: vec![],
        tcp: if network {
            bind_network(settings, true)?
        } else {
            vec![]
        },
        tls: if network {
            bind_network(settings, false)?
        } else {
            vec![]
        },
        created: vec![],
    };
    l.rw.push(
        bind_unix(&paths.sock_rw, settings.unix_sock_rw_perms, group, backlog)
            .map_err(|e| net_err(&paths.sock_rw, e))?,
    );
    l.created.push(paths.sock_rw.clone());
    if let Some(ro) = &paths.sock_ro {
        l.ro.push(
            bind_unix(ro, settings.unix_sock_ro_perms, group, backlog)
                .map_err(|e| net_err(ro, e))?,
        );
        l.created.push(ro.clone());
    }
    if let Some(admin) = &paths.sock_admin {
        l.admin.push(
            bind_unix(
                admin,
                settings.unix_sock_admin_perms,
                group,
                settings.admin_max_queued_clients,
            )
            .map_err(|e| net_err(admin, e))?,
        );
        l.created.push(admin.clone());
    }
    Ok(l)
}

fn rpc_auth(a: ConfAuth) -> AuthScheme {
    match a {
        ConfAuth::None => AuthScheme::None,
        ConfAuth::Sasl => AuthScheme::Sasl,
        ConfAuth::Polkit => AuthScheme::Polkit,
    }
}

async fn serve(
    spec: &DaemonSpec,
    args: &Args,
    settings: &DaemonSettings,
    paths: &DaemonPaths,
    privileged: bool,
    activation: Option<Activation>,
    status_pipe: &mut Option<OwnedFd>,
) -> Result<(), StartError> {
    let signals = Signals::install()?;
    let listeners = open_listeners(spec, args, settings, paths, activation)?;
    let uses_sasl = [settings.auth_unix_rw, settings.auth_unix_ro]
        .into_iter()
        .chain((!listeners.tcp.is_empty()).then_some(settings.auth_tcp))
        .chain((!listeners.tls.is_empty()).then_some(settings.auth_tls))
        .any(|a| a == ConfAuth::Sasl);
    if uses_sasl {
        if let Err(e) = crate::sasl::init(&paths.root.join("/etc/sasl2")) {
            log::error!("SASL is configured but unavailable: {e}");
        }
    }
    let tls = if listeners.tls.is_empty() {
        None
    } else {
        let files = crate::net::tls_files(settings, &paths.root)
            .map_err(|e| (exit::NETWORK, e.to_string()))?;
        Some(Arc::new(
            crate::net::tls_setup(settings, &files).map_err(|e| (exit::NETWORK, e.to_string()))?,
        ))
    };
    let env = DriverEnv {
        paths: paths.clone(),
        privileged,
    };
    let (drivers, mut driver_failed) = crate::drivers::DriverSet::start(spec, &env);
    let mut remote = RemoteHandler::new(drivers.clone(), privileged, settings);
    match spec.flavor {
        oxvirt_conffile::daemon::DaemonFlavor::Virtproxyd => {
            remote = remote.with_proxy(paths.run_dir.clone());
        }
        oxvirt_conffile::daemon::DaemonFlavor::Modular => {
            remote = remote.with_secondary_links(paths.run_dir.clone());
        }
        oxvirt_conffile::daemon::DaemonFlavor::Libvirtd => {}
    }
    let remote = Arc::new(remote);
    let main_server = Server::new(
        ServerConfig {
            name: spec.name.to_owned(),
            min_workers: settings.min_workers as usize,
            max_workers: settings.max_workers as usize,
            prio_workers: settings.prio_workers as usize,
            max_clients: settings.max_clients as usize,
            max_anonymous_clients: settings.max_anonymous_clients as usize,
            max_client_requests: settings.max_client_requests as usize,
            keepalive_interval: settings.keepalive_interval,
            keepalive_count: settings.keepalive_count,
        },
        remote,
    );
    let timeout = Arc::new(std::sync::atomic::AtomicU32::new(args.timeout));
    let admin_handler = Arc::new(AdminHandler::new(timeout.clone()));
    let admin_server = Server::new(
        ServerConfig {
            name: "admin".to_owned(),
            min_workers: settings.admin_min_workers as usize,
            max_workers: settings.admin_max_workers as usize,
            prio_workers: 0,
            max_clients: settings.admin_max_clients as usize,
            max_anonymous_clients: 0,
            max_client_requests: settings.admin_max_client_requests as usize,
            keepalive_interval: settings.admin_keepalive_interval,
            keepalive_count: settings.admin_keepalive_count,
        },
        admin_handler.clone(),
    );
    let views: Vec<Arc<dyn ServerView>> = vec![main_server.clone(), admin_server.clone()];
    admin_handler.set_servers(views.clone());

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let rw = Service {
        readonly: false,
        auth: rpc_auth(settings.auth_unix_rw),
        transport: Transport::Unix,
    };
    let ro = Service {
        readonly: true,
        auth: rpc_auth(settings.auth_unix_ro),
        transport: Transport::Unix,
    };
    let admin = Service {
        readonly: false,
        auth: AuthScheme::None,
        transport: Transport::Unix,
    };
    for l in listeners.rw {
        tokio::spawn(main_server.clone().serve_unix(l, rw, shutdown_rx.clone()));
    }
    for l in listeners.ro {
        tokio::spawn(main_server.clone().serve_unix(l, ro, shutdown_rx.clone()));
    }
    for l in listeners.tcp {
        let svc = Service {
            readonly: false,
            auth: rpc_auth(settings.auth_tcp),
            transport: Transport::Tcp,
        };
        tokio::spawn(crate::net::serve_tcp(
            main_server.clone(),
            l,
            svc,
            shutdown_rx.clone(),
        ));
    }
    if let Some(tls) = &tls {
        for l in listeners.tls {
            let svc = Service {
                readonly: false,
                auth: rpc_auth(settings.auth_tls),
                transport: Transport::Tls,
            };
            tokio::spawn(crate::net::serve_tls(
                main_server.clone(),
                l,
                svc,
                tls.clone(),
                shutdown_rx.clone(),
            ));
        }
    }
    for l in listeners.admin {
        tokio::spawn(
            admin_server
                .clone()
                .serve_unix(l, admin, shutdown_rx.clone()),
        );
    }

    report_status(status_pipe, 0);
    notify_ready();
    log::info!("{} ready, serving {}", spec.name, paths.sock_rw.display());

    let signals = signals.wait(drivers.clone());
    let idle = idle_exit(timeout, views);
    let result = tokio::select! {
        r = signals => r,
        Some(msg) = driver_failed.recv() => Err((exit::INIT, msg)),
        () = idle => {
            log::info!("idle timeout reached, exiting");
            Ok(())
        }
    };
    shutdown_tx.send_replace(true);
    for c in main_server
        .clients()
        .into_iter()
        .chain(admin_server.clients())
    {
        c.close();
    }
    for p in &listeners.created {
        let _ = std::fs::remove_file(p);
    }
    result
}

/// The signals a daemon handles, installed before any socket accepts so that
/// an early SIGHUP or SIGTERM is never fatal by default action.
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    quit: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> Result<Signals, StartError> {
        use tokio::signal::unix::{signal, SignalKind};
        let sig = |k| {
            signal(k).map_err(|e| (exit::SIGNAL, format!("cannot install signal handler: {e}")))
        };
        Ok(Signals {
            term: sig(SignalKind::terminate())?,
            int: sig(SignalKind::interrupt())?,
            quit: sig(SignalKind::quit())?,
            hup: sig(SignalKind::hangup())?,
        })
    }

    /// Returns on SIGTERM, SIGINT or SIGQUIT; reloads the drivers on SIGHUP.
    async fn wait(mut self, drivers: Arc<crate::drivers::DriverSet>) -> Result<(), StartError> {
        loop {
            tokio::select! {
                _ = self.term.recv() => return Ok(()),
                _ = self.int.recv() => return Ok(()),
                _ = self.quit.recv() => return Ok(()),
                _ = self.hup.recv() => {
                    log::info!("reloading driver state on SIGHUP");
                    for d in drivers.ready() {
                        d.reload();
                    }
                }
            }
        }
    }
}

/// Resolves once no server has had a client for `timeout` seconds (never while
/// `timeout` is 0; the admin API may change it at run time).
async fn idle_exit(timeout: Arc<std::sync::atomic::AtomicU32>, servers: Vec<Arc<dyn ServerView>>) {
    let mut idle_since: Option<Instant> = Some(Instant::now());
    loop {
        let secs = timeout.load(std::sync::atomic::Ordering::Relaxed);
        let limit = if secs == 0 {
            Duration::MAX
        } else {
            Duration::from_secs(secs as u64)
        };
        let busy = servers.iter().any(|s| s.client_count() > 0);
        match (busy, idle_since) {
            (true, _) => idle_since = None,
            (false, None) => idle_since = Some(Instant::now()),
            (false, Some(t)) if t.elapsed() >= limit => return,
            _ => {}
        }
        let wait = match idle_since {
            Some(t) => limit
                .saturating_sub(t.elapsed())
                .min(Duration::from_millis(500)),
            None => Duration::from_millis(500),
        };
        tokio::time::sleep(wait.max(Duration::from_millis(10))).await;
    }
}
