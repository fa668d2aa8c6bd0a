//! virt-admin's commands and their table.

use crate::{Adm, Cmd};
use oxvirt_client::{AdminServer, TypedParam, TypedValue};
use oxvirt_virsh::builtins;
use oxvirt_virsh::table::Table;
use oxvirt_virsh::vsh::*;
use oxvirt_virsh::{extra, out};

fn version_triple(v: u64) -> String {
    format!("{}.{}.{}", v / 1_000_000, (v / 1000) % 1000, v % 1000)
}

/// `connect [name]`.
fn connect(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let name = cmd.string(adm, "name")?.map(str::to_owned);
    adm.reconnect(name.as_deref())
}

/// `uri`.
fn uri(adm: &mut Adm, _cmd: &Cmd) -> CmdResult {
    let c = adm.conn()?;
    out!(adm, "{}\n", c.uri());
    Ok(())
}

/// `version`.
fn version(adm: &mut Adm, _cmd: &Cmd) -> CmdResult {
    let lib = version_triple(oxvirt_core::LIBVIRT_VERSION);
    out!(adm, "Compiled against library: libvirt {lib}\n");
    out!(adm, "Using library: libvirt {lib}\n");
    let c = adm.conn()?;
    match adm.wait(c.get_lib_version()) {
        Ok(v) => {
            out!(adm, "Running against daemon: {}\n", version_triple(v));
            Ok(())
        }
        Err(f) => {
            Shell::error(adm, "failed to get the daemon version");
            Err(f)
        }
    }
}

fn server(adm: &mut Adm, cmd: &Cmd) -> Result<AdminServer, Failed> {
    let name = cmd.string_req(adm, "server")?.to_owned();
    let c = adm.conn()?;
    adm.wait(c.lookup_server(&name))
}

/// `server-list`.
fn server_list(adm: &mut Adm, _cmd: &Cmd) -> CmdResult {
    let c = adm.conn()?;
    let Ok(servers) = adm.wait(c.list_servers()) else {
        return adm.fail("failed to obtain list of available servers from");
    };
    let mut t = Table::new(&["Id", "Name"]);
    for (i, s) in servers.iter().enumerate() {
        t.row(vec![i.to_string(), s.name().to_owned()]);
    }
    t.print(adm);
    Ok(())
}

fn value_str(v: &TypedValue) -> String {
    match v {
        TypedValue::Int(i) => i.to_string(),
        TypedValue::UInt(u) => u.to_string(),
        TypedValue::LLong(i) => i.to_string(),
        TypedValue::ULLong(u) => u.to_string(),
        TypedValue::Double(d) => format!("{d:.6}"),
        TypedValue::Boolean(b) => if *b { "yes" } else { "no" }.to_owned(),
        TypedValue::String(s) => s.clone(),
    }
}

/// `server-threadpool-info <server>`.
fn threadpool_info(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let s = server(adm, cmd)?;
    let Ok(params) = adm.wait(s.get_threadpool_parameters()) else {
        return adm.fail("Unable to get server workerpool parameters");
    };
    for TypedParam { field, value } in &params {
        out!(adm, "{:<15}: {}\n", field, value_str(value));
    }
    Ok(())
}

/// Collects the `--name` numbers that are present as typed parameters.
fn uint_params(adm: &mut Adm, cmd: &Cmd, map: &[(&str, &str)]) -> Result<Vec<TypedParam>, Failed> {
    let mut params = Vec::new();
    for (opt, field) in map {
        match cmd.uint(adm, opt) {
            Ok(Some(v)) => params.push(TypedParam::new(*field, TypedValue::UInt(v))),
            Ok(None) => {}
            Err(_) => return adm.fail(&format!("Unable to parse integer parameter '{opt}'")),
        }
    }
    Ok(params)
}

/// `server-threadpool-set <server> [--min-workers n] [--max-workers n] [--priority-workers n]`.
fn threadpool_set(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let params = uint_params(
        adm,
        cmd,
        &[
            ("min-workers", "minWorkers"),
            ("max-workers", "maxWorkers"),
            ("priority-workers", "prioWorkers"),
        ],
    )?;
    if params.is_empty() {
        return adm.fail(
            "At least one of options --min-workers, --max-workers, --priority-workers is mandatory ",
        );
    }
    let s = server(adm, cmd)?;
    if adm.wait(s.set_threadpool_parameters(params)).is_err() {
        return adm.fail("Unable to change server workerpool parameters");
    }
    Ok(())
}

fn transport_str(t: u32) -> &'static str {
    match t {
        0 => "unix",
        1 => "tcp",
        2 => "tls",
        _ => "unknown",
    }
}

/// `%Y-%m-%d %H:%M:%S%z` in local time.
fn time_str(secs: i64) -> String {
    // SAFETY: tm is plain data; localtime_r fills it from a valid time_t.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: both pointers are valid for the call.
    unsafe { libc::localtime_r(&t, &mut tm) };
    let off = tm.tm_gmtoff;
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.abs();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}{:02}{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        sign,
        off / 3600,
        (off / 60) % 60
    )
}

/// `client-list <server>`.
fn client_list(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let s = server(adm, cmd)?;
    let Ok(mut clients) = adm.wait(s.list_clients()) else {
        return adm.fail(&format!(
            "failed to obtain list of connected clients from server '{}'",
            s.name()
        ));
    };
    clients.sort_by_key(|c| c.id());
    let mut t = Table::new(&["Id", "Transport", "Connected since"]);
    for c in &clients {
        t.row(vec![
            c.id().to_string(),
            transport_str(c.transport()).to_owned(),
            time_str(c.timestamp()),
        ]);
    }
    t.print(adm);
    Ok(())
}

fn client_id(adm: &mut Adm, cmd: &Cmd) -> Result<u64, Failed> {
    match cmd.ull(adm, "client")? {
        Some(id) => Ok(id),
        None => Err(Failed),
    }
}

/// `client-info <server> <client>`.
fn client_info(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let id = client_id(adm, cmd)?;
    let s = server(adm, cmd)?;
    let c = adm.wait(s.lookup_client(id))?;
    let Ok(params) = adm.wait(c.get_info()) else {
        return adm.fail(&format!(
            "failed to retrieve client identity information for client '{id}' connected to server '{}'",
            s.name()
        ));
    };
    out!(adm, "{:<15}: {}\n", "id", c.id());
    out!(
        adm,
        "{:<15}: {}\n",
        "connection_time",
        time_str(c.timestamp())
    );
    out!(
        adm,
        "{:<15}: {}\n",
        "transport",
        transport_str(c.transport())
    );
    for TypedParam { field, value } in &params {
        out!(adm, "{:<15}: {}\n", field, value_str(value));
    }
    Ok(())
}

/// `client-disconnect <server> <client>`.
fn client_disconnect(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let id = client_id(adm, cmd)?;
    let s = server(adm, cmd)?;
    let c = adm.wait(s.lookup_client(id))?;
    if adm.wait(c.close()).is_err() {
        return adm.fail(&format!(
            "Failed to disconnect client '{id}' from server {}",
            s.name()
        ));
    }
    extra!(adm, "Client '{id}' disconnected\n");
    Ok(())
}

/// `server-clients-info <server>`.
fn clients_info(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let s = server(adm, cmd)?;
    let Ok(params) = adm.wait(s.get_client_limits()) else {
        return adm.fail("Unable to retrieve client limits from server's configuration");
    };
    for TypedParam { field, value } in &params {
        out!(adm, "{:<20}: {}\n", field, value_str(value));
    }
    Ok(())
}

/// `server-clients-set <server> [--max-clients n] [--max-unauth-clients n]`.
fn clients_set(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let params = uint_params(
        adm,
        cmd,
        &[
            ("max-clients", "nclients_max"),
            ("max-unauth-clients", "nclients_unauth_max"),
        ],
    )?;
    if params.is_empty() {
        return adm
            .fail("At least one of options --max-clients, --max-unauth-clients is mandatory");
    }
    let s = server(adm, cmd)?;
    if adm.wait(s.set_client_limits(params)).is_err() {
        return adm.fail("Unable to change server's client-related configuration limits");
    }
    Ok(())
}

/// `server-update-tls <server>`.
fn update_tls(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let s = server(adm, cmd)?;
    if adm.wait(s.update_tls_files()).is_err() {
        return adm.fail("Unable to update server's tls related files.");
    }
    extra!(adm, "update tls related files succeed\n");
    Ok(())
}

fn show_filters(adm: &mut Adm) -> CmdResult {
    let c = adm.conn()?;
    let Ok((filters, _)) = adm.wait(c.get_logging_filters()) else {
        return adm.fail("Unable to get daemon logging filters information");
    };
    out!(adm, " Logging filters: {}\n", filters.unwrap_or_default());
    Ok(())
}

fn show_outputs(adm: &mut Adm) -> CmdResult {
    let c = adm.conn()?;
    let Ok((outputs, _)) = adm.wait(c.get_logging_outputs()) else {
        return adm.fail("Unable to get daemon logging outputs information");
    };
    out!(adm, " Logging outputs: {outputs}\n");
    Ok(())
}

fn set_filters(adm: &mut Adm, filters: &str) -> CmdResult {
    let c = adm.conn()?;
    if adm.wait(c.set_logging_filters(Some(filters))).is_err() {
        return adm.fail("Unable to change daemon logging settings");
    }
    Ok(())
}

fn set_outputs(adm: &mut Adm, outputs: &str) -> CmdResult {
    let c = adm.conn()?;
    if adm.wait(c.set_logging_outputs(Some(outputs))).is_err() {
        return adm.fail("Unable to change daemon logging settings");
    }
    Ok(())
}

/// `daemon-log-filters [filters]`.
fn log_filters(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    match cmd.raw("filters").map(str::to_owned) {
        Some(f) => set_filters(adm, &f),
        None => show_filters(adm),
    }
}

/// `daemon-log-outputs [outputs]`.
fn log_outputs(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    match cmd.raw("outputs").map(str::to_owned) {
        Some(o) => set_outputs(adm, &o),
        None => show_outputs(adm),
    }
}

/// `dmn-log-info`: filters and outputs together (oxvirt extension, after
/// the older virt-admin command of that name).
fn log_info(adm: &mut Adm, _cmd: &Cmd) -> CmdResult {
    show_filters(adm)?;
    show_outputs(adm)
}

/// `dmn-log-define [--filters f] [--outputs o]` (oxvirt extension).
fn log_define(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let filters = cmd.raw("filters").map(str::to_owned);
    let outputs = cmd.raw("outputs").map(str::to_owned);
    if filters.is_none() && outputs.is_none() {
        return adm.fail("At least one of options --filters, --outputs is mandatory");
    }
    if let Some(f) = filters {
        set_filters(adm, &f)?;
    }
    if let Some(o) = outputs {
        set_outputs(adm, &o)?;
    }
    Ok(())
}

/// `daemon-timeout --timeout n`.
fn daemon_timeout(adm: &mut Adm, cmd: &Cmd) -> CmdResult {
    let Some(t) = cmd.uint(adm, "timeout")? else {
        return Err(Failed);
    };
    let c = adm.conn()?;
    adm.wait(c.set_daemon_timeout(t))
}

const fn c(
    name: &'static str,
    opts: &'static [OptDef],
    handler: Handler<Adm>,
    help: &'static str,
    flags: u32,
) -> CmdDef<Adm> {
    CmdDef {
        name,
        opts,
        handler,
        flags,
        help,
        alias_of: None,
    }
}

const fn a(
    name: &'static str,
    of: &'static str,
    opts: &'static [OptDef],
    handler: Handler<Adm>,
) -> CmdDef<Adm> {
    CmdDef {
        name,
        opts,
        handler,
        flags: flags::ALIAS,
        help: "",
        alias_of: Some(of),
    }
}

const SERVER: &[OptDef] = &[data("server")];
const THREADPOOL_SET: &[OptDef] = &[
    data("server"),
    int("min-workers"),
    int("max-workers"),
    int("priority-workers"),
];
const CLIENT: &[OptDef] = &[data("server"), data("client")];
const CLIENT_DISCONNECT: &[OptDef] = &[data("server"), int_req("client")];
const CLIENTS_SET: &[OptDef] = &[
    data("server"),
    int("max-clients"),
    int("max-unauth-clients"),
];
const FILTERS: &[OptDef] = &[string("filters")];
const OUTPUTS: &[OptDef] = &[string("outputs")];
const LOG_DEFINE: &[OptDef] = &[named("filters"), named("outputs")];
const TIMEOUT: &[OptDef] = &[OptDef::new("timeout", Kind::Int, true, false)];
const CONNECT: &[OptDef] = &[string("name")];
const NONE: &[OptDef] = &[];
const HELP: &[OptDef] = &[string("command")];
const CD: &[OptDef] = &[string("dir")];
const ECHO: &[OptDef] = &[
    flag("shell"),
    flag("xml"),
    flag("split"),
    flag("err"),
    argv("string"),
];

const ITSELF: &[CmdDef<Adm>] = &[
    c(
        "cd",
        CD,
        builtins::cd::<Adm>,
        "change the current directory",
        flags::NOCONNECT,
    ),
    c(
        "echo",
        ECHO,
        builtins::echo::<Adm>,
        "print the arguments",
        flags::NOCONNECT,
    ),
    c(
        "exit",
        NONE,
        builtins::quit::<Adm>,
        "leave the interactive shell",
        flags::NOCONNECT,
    ),
    c(
        "help",
        HELP,
        builtins::help::<Adm>,
        "print help",
        flags::NOCONNECT,
    ),
    c(
        "pwd",
        NONE,
        builtins::pwd::<Adm>,
        "print the current directory",
        flags::NOCONNECT,
    ),
    c(
        "quit",
        NONE,
        builtins::quit::<Adm>,
        "leave the interactive shell",
        flags::NOCONNECT,
    ),
    c("uri", NONE, uri, "print the admin server URI", 0),
    c("version", NONE, version, "show versions", flags::NOCONNECT),
    c(
        "connect",
        CONNECT,
        connect,
        "connect to a daemon's admin server",
        flags::NOCONNECT,
    ),
];

const MONITOR: &[CmdDef<Adm>] = &[
    c(
        "server-list",
        NONE,
        server_list,
        "list the daemon's servers",
        0,
    ),
    a("srv-list", "server-list", NONE, server_list),
    c(
        "server-threadpool-info",
        SERVER,
        threadpool_info,
        "show a server's worker pool",
        0,
    ),
    a(
        "srv-threadpool-info",
        "server-threadpool-info",
        SERVER,
        threadpool_info,
    ),
    c(
        "client-list",
        SERVER,
        client_list,
        "list the clients of a server",
        0,
    ),
    a("srv-clients-list", "client-list", SERVER, client_list),
    c(
        "client-info",
        CLIENT,
        client_info,
        "show a client's identity",
        0,
    ),
    c(
        "server-clients-info",
        SERVER,
        clients_info,
        "show a server's client limits",
        0,
    ),
    a(
        "srv-clients-info",
        "server-clients-info",
        SERVER,
        clients_info,
    ),
];

const MANAGEMENT: &[CmdDef<Adm>] = &[
    c(
        "server-threadpool-set",
        THREADPOOL_SET,
        threadpool_set,
        "change a server's worker pool",
        0,
    ),
    a(
        "srv-threadpool-set",
        "server-threadpool-set",
        THREADPOOL_SET,
        threadpool_set,
    ),
    c(
        "client-disconnect",
        CLIENT_DISCONNECT,
        client_disconnect,
        "disconnect a client",
        0,
    ),
    c(
        "server-clients-set",
        CLIENTS_SET,
        clients_set,
        "change a server's client limits",
        0,
    ),
    a(
        "srv-clients-set",
        "server-clients-set",
        CLIENTS_SET,
        clients_set,
    ),
    c(
        "server-update-tls",
        SERVER,
        update_tls,
        "reload a server's TLS files",
        0,
    ),
    a("srv-update-tls", "server-update-tls", SERVER, update_tls),
    c(
        "daemon-log-filters",
        FILTERS,
        log_filters,
        "show or set the log filters",
        0,
    ),
    c(
        "daemon-log-outputs",
        OUTPUTS,
        log_outputs,
        "show or set the log outputs",
        0,
    ),
    c(
        "daemon-timeout",
        TIMEOUT,
        daemon_timeout,
        "set the daemon's idle timeout",
        0,
    ),
    hidden("dmn-log-info", NONE, log_info),
    hidden("dmn-log-define", LOG_DEFINE, log_define),
];

/// A command `help` does not list: the oxvirt-only `dmn-log-*` names.
const fn hidden(name: &'static str, opts: &'static [OptDef], handler: Handler<Adm>) -> CmdDef<Adm> {
    CmdDef {
        name,
        opts,
        handler,
        flags: flags::ALIAS,
        help: "",
        alias_of: None,
    }
}

static GROUPS: &[CmdGroup<Adm>] = &[
    CmdGroup {
        name: "Virt-admin itself",
        keyword: "virt-admin",
        cmds: ITSELF,
    },
    CmdGroup {
        name: "Monitoring commands",
        keyword: "monitor",
        cmds: MONITOR,
    },
    CmdGroup {
        name: "Management commands",
        keyword: "management",
        cmds: MANAGEMENT,
    },
];

/// Every command group.
pub fn groups() -> &'static [CmdGroup<Adm>] {
    GROUPS
}
