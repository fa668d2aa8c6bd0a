//! The admin program (`virt-admin`), served on `*-admin-sock` by a second server
//! called `admin`.
//!
//! Only a peer with the daemon's own uid may use it; the socket's mode is the
//! other guard. Every admin call is quick, so none is marked priority.

use crate::logging;
use oxvirt_conffile::log::{parse_log_filters, parse_log_outputs};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, TypedParam, TypedValue};
use oxvirt_protocol::admin::{self, *};
use oxvirt_rpc::{reply_error, reply_ok, Client, Frame, Handler, Outcome, Server, ThreadpoolInfo};
use oxvirt_xdr::Xdr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

/// What the admin program needs from a server, whatever its handler.
pub trait ServerView: Send + Sync {
    fn name(&self) -> &str;
    fn client_count(&self) -> usize;
    fn unauth_client_count(&self) -> usize;
    fn clients(&self) -> Vec<Arc<Client>>;
    fn client(&self, id: u64) -> Option<Arc<Client>>;
    fn threadpool_info(&self) -> ThreadpoolInfo;
    fn set_threadpool(
        &self,
        min: Option<usize>,
        max: Option<usize>,
        prio: Option<usize>,
    ) -> std::result::Result<(), String>;
    /// (max clients, max unauthenticated clients).
    fn client_limits(&self) -> (usize, usize);
    fn set_client_limits(
        &self,
        max: Option<usize>,
        max_unauth: Option<usize>,
    ) -> std::result::Result<(), String>;
}

impl<H: Handler> ServerView for Server<H> {
    fn name(&self) -> &str {
        &self.name
    }
    fn client_count(&self) -> usize {
        Server::client_count(self)
    }
    fn unauth_client_count(&self) -> usize {
        Server::unauth_client_count(self)
    }
    fn clients(&self) -> Vec<Arc<Client>> {
        Server::clients(self)
    }
    fn client(&self, id: u64) -> Option<Arc<Client>> {
        Server::client(self, id)
    }
    fn threadpool_info(&self) -> ThreadpoolInfo {
        Server::threadpool_info(self)
    }
    fn set_threadpool(
        &self,
        min: Option<usize>,
        max: Option<usize>,
        prio: Option<usize>,
    ) -> std::result::Result<(), String> {
        Server::set_threadpool(self, min, max, prio)
    }
    fn client_limits(&self) -> (usize, usize) {
        (
            self.limits.max_clients.load(Ordering::Relaxed),
            self.limits.max_anonymous_clients.load(Ordering::Relaxed),
        )
    }
    fn set_client_limits(
        &self,
        max: Option<usize>,
        max_unauth: Option<usize>,
    ) -> std::result::Result<(), String> {
        Server::set_client_limits(self, max, max_unauth)
    }
}

/// The admin program's handler.
pub struct AdminHandler {
    servers: OnceLock<Vec<Arc<dyn ServerView>>>,
    /// Idle timeout in seconds, changeable with `daemon-timeout`.
    pub timeout: Arc<AtomicU32>,
}

/// Per-connection admin state.
pub struct AdminSession {
    open: AtomicBool,
}

fn admin_err(code: ErrorCode, detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::ADMIN, code, detail)
}

impl AdminHandler {
    pub fn new(timeout: Arc<AtomicU32>) -> Self {
        AdminHandler {
            servers: OnceLock::new(),
            timeout,
        }
    }

    /// Gives the handler the daemon's servers (set once, after they exist).
    pub fn set_servers(&self, servers: Vec<Arc<dyn ServerView>>) {
        let _ = self.servers.set(servers);
    }

    fn servers(&self) -> &[Arc<dyn ServerView>] {
        self.servers.get().map(|v| v.as_slice()).unwrap_or(&[])
    }

    fn server(&self, name: &str) -> Result<&Arc<dyn ServerView>> {
        self.servers()
            .iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                admin_err(
                    ErrorCode::NO_SERVER,
                    format!("no server with matching name '{name}'"),
                )
            })
    }

    fn client(&self, c: &AdminNonnullClient) -> Result<Arc<Client>> {
        self.server(&c.srv.name)?.client(c.id).ok_or_else(|| {
            admin_err(
                ErrorCode::NO_CLIENT,
                format!("no client with matching id '{}'", c.id),
            )
        })
    }

    fn dispatch(&self, session: &AdminSession, f: &Frame) -> Result<Vec<u8>> {
        let p = f.header.proc_;
        if p != admin::procs::CONNECT_OPEN && !session.open.load(Ordering::Acquire) {
            return Err(Error::internal(ErrorDomain::RPC, "connection not open"));
        }
        let mut out = Vec::new();
        match p {
            admin::procs::CONNECT_OPEN => {
                let a: AdminConnectOpenArgs = decode(f)?;
                if a.flags != 0 {
                    return Err(Error::new(
                        ErrorDomain::ADMIN,
                        ErrorCode::INVALID_ARG,
                        format!(
                            "unsupported flags (0x{:x}) in function remoteAdminConnectOpen",
                            a.flags
                        ),
                    ));
                }
                session.open.store(true, Ordering::Release);
            }
            admin::procs::CONNECT_CLOSE => {}
            admin::procs::CONNECT_GET_LIB_VERSION => AdminConnectGetLibVersionRet {
                libVer: oxvirt_core::LIBVIRT_VERSION,
            }
            .encode(&mut out),
            admin::procs::CONNECT_LIST_SERVERS => {
                let a: AdminConnectListServersArgs = decode(f)?;
                let all: Vec<AdminNonnullServer> = self
                    .servers()
                    .iter()
                    .map(|s| AdminNonnullServer {
                        name: s.name().to_owned(),
                    })
                    .collect();
                let n = all.len() as u32;
                AdminConnectListServersRet {
                    servers: if a.need_results != 0 { all } else { vec![] },
                    ret: n,
                }
                .encode(&mut out)
            }
            admin::procs::CONNECT_LOOKUP_SERVER => {
                let a: AdminConnectLookupServerArgs = decode(f)?;
                let s = self.server(&a.name)?;
                AdminConnectLookupServerRet {
                    srv: AdminNonnullServer {
                        name: s.name().to_owned(),
                    },
                }
                .encode(&mut out)
            }
            admin::procs::SERVER_GET_THREADPOOL_PARAMETERS => {
                let a: AdminServerGetThreadpoolParametersArgs = decode(f)?;
                let i = self.server(&a.srv.name)?.threadpool_info();
                let u = |k: &str, v: usize| TypedParam::new(k, TypedValue::UInt(v as u32));
                AdminServerGetThreadpoolParametersRet {
                    params: vec![
                        u("minWorkers", i.min_workers),
                        u("maxWorkers", i.max_workers),
                        u("nWorkers", i.n_workers),
                        u("freeWorkers", i.free_workers),
                        u("prioWorkers", i.prio_workers),
                        u("jobQueueDepth", i.job_queue_depth),
                    ],
                }
                .encode(&mut out)
            }
            admin::procs::SERVER_SET_THREADPOOL_PARAMETERS => {
                let a: AdminServerSetThreadpoolParametersArgs = decode(f)?;
                let s = self.server(&a.srv.name)?;
                let (mut min, mut max, mut prio) = (None, None, None);
                for p in &a.params {
                    let v = uint_param(p)?;
                    match p.field.as_str() {
                        "minWorkers" => min = Some(v),
                        "maxWorkers" => max = Some(v),
                        "prioWorkers" => prio = Some(v),
                        other => {
                            return Err(admin_err(
                                ErrorCode::ARGUMENT_UNSUPPORTED,
                                format!("parameter '{other}' not supported"),
                            ))
                        }
                    }
                }
                s.set_threadpool(min, max, prio)
                    .map_err(|m| admin_err(ErrorCode::INVALID_ARG, m))?;
            }
            admin::procs::SERVER_LIST_CLIENTS => {
                let a: AdminServerListClientsArgs = decode(f)?;
                let s = self.server(&a.srv.name)?;
                let clients: Vec<AdminNonnullClient> = s
                    .clients()
                    .iter()
                    .map(|c| client_handle(s.name(), c))
                    .collect();
                let n = clients.len() as u32;
                AdminServerListClientsRet {
                    clients: if a.need_results != 0 { clients } else { vec![] },
                    ret: n,
                }
                .encode(&mut out)
            }
            admin::procs::SERVER_LOOKUP_CLIENT => {
                let a: AdminServerLookupClientArgs = decode(f)?;
                let s = self.server(&a.srv.name)?;
                let c = s.client(a.id).ok_or_else(|| {
                    admin_err(
                        ErrorCode::NO_CLIENT,
                        format!("no client with matching id '{}'", a.id),
                    )
                })?;
                AdminServerLookupClientRet {
                    clnt: client_handle(s.name(), &c),
                }
                .encode(&mut out)
            }
            admin::procs::CLIENT_GET_INFO => {
                let a: AdminClientGetInfoArgs = decode(f)?;
                let c = self.client(&a.clnt)?;
                AdminClientGetInfoRet {
                    params: client_info(&c),
                }
                .encode(&mut out)
            }
            admin::procs::CLIENT_CLOSE => {
                let a: AdminClientCloseArgs = decode(f)?;
                self.client(&a.clnt)?.close();
            }
            admin::procs::SERVER_GET_CLIENT_LIMITS => {
                let a: AdminServerGetClientLimitsArgs = decode(f)?;
                let s = self.server(&a.srv.name)?;
                let (max, unauth) = s.client_limits();
                let u = |k: &str, v: usize| TypedParam::new(k, TypedValue::UInt(v as u32));
                AdminServerGetClientLimitsRet {
                    params: vec![
                        u("nclients_max", max),
                        u("nclients", s.client_count()),
                        u("nclients_unauth_max", unauth),
                        u("nclients_unauth", s.unauth_client_count()),
                    ],
                }
                .encode(&mut out)
            }
            admin::procs::SERVER_SET_CLIENT_LIMITS => {
                let a: AdminServerSetClientLimitsArgs = decode(f)?;
                let s = self.server(&a.srv.name)?;
                let (mut max, mut unauth) = (None, None);
                for p in &a.params {
                    let v = uint_param(p)?;
                    match p.field.as_str() {
                        "nclients_max" => max = Some(v),
                        "nclients_unauth_max" => unauth = Some(v),
                        other => {
                            return Err(admin_err(
                                ErrorCode::ARGUMENT_UNSUPPORTED,
                                format!("parameter '{other}' not supported"),
                            ))
                        }
                    }
                }
                s.set_client_limits(max, unauth)
                    .map_err(|m| admin_err(ErrorCode::INVALID_ARG, m))?;
            }
            admin::procs::CONNECT_GET_LOGGING_OUTPUTS => {
                let (n, _) = logging::counts();
                AdminConnectGetLoggingOutputsRet {
                    outputs: logging::outputs_string(),
                    noutputs: n as u32,
                }
                .encode(&mut out)
            }
            admin::procs::CONNECT_GET_LOGGING_FILTERS => {
                let (_, n) = logging::counts();
                let s = logging::filters_string();
                AdminConnectGetLoggingFiltersRet {
                    filters: if s.is_empty() { None } else { Some(s) },
                    nfilters: n as u32,
                }
                .encode(&mut out)
            }
            admin::procs::CONNECT_SET_LOGGING_OUTPUTS => {
                let a: AdminConnectSetLoggingOutputsArgs = decode(f)?;
                let spec = a.outputs.unwrap_or_else(|| "3:stderr".to_owned());
                let outputs = parse_log_outputs(&spec)
                    .map_err(|e| admin_err(ErrorCode::INVALID_ARG, e.to_string()))?;
                logging::set_outputs(&outputs)
                    .map_err(|e| admin_err(ErrorCode::OPERATION_FAILED, e.to_string()))?;
            }
            admin::procs::CONNECT_SET_LOGGING_FILTERS => {
                let a: AdminConnectSetLoggingFiltersArgs = decode(f)?;
                let filters = match a.filters {
                    Some(s) => parse_log_filters(&s)
                        .map_err(|e| admin_err(ErrorCode::INVALID_ARG, e.to_string()))?,
                    None => vec![],
                };
                logging::set_filters(filters);
            }
            admin::procs::SERVER_UPDATE_TLS_FILES => {
                let a: AdminServerUpdateTlsFilesArgs = decode(f)?;
                self.server(&a.srv.name)?;
                return Err(Error::internal(
                    ErrorDomain::RPC,
                    "no tls service found, unable to update tls files",
                ));
            }
            admin::procs::CONNECT_SET_DAEMON_TIMEOUT => {
                let a: AdminConnectSetDaemonTimeoutArgs = decode(f)?;
                self.timeout.store(a.timeout, Ordering::Relaxed);
            }
            other => return Err(Error::unknown_procedure(other)),
        }
        Ok(out)
    }
}

fn decode<T: Xdr>(f: &Frame) -> Result<T> {
    oxvirt_xdr::from_bytes(&f.payload).map_err(|_| Error::rpc("Unable to decode message payload"))
}

fn uint_param(p: &TypedParam) -> Result<usize> {
    match p.value {
        TypedValue::UInt(v) => Ok(v as usize),
        _ => Err(admin_err(
            ErrorCode::INVALID_ARG,
            format!("invalid type for parameter '{}'", p.field),
        )),
    }
}

fn client_handle(server: &str, c: &Client) -> AdminNonnullClient {
    AdminNonnullClient {
        srv: AdminNonnullServer {
            name: server.to_owned(),
        },
        id: c.id,
        timestamp: c.timestamp,
        transport: c.service.transport as u32,
    }
}

fn user_name(uid: u32) -> Option<String> {
    // SAFETY: getpwuid returns static storage or null; the name is copied at once.
    unsafe {
        let p = libc::getpwuid(uid);
        if p.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*p).pw_name)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

fn group_name(gid: u32) -> Option<String> {
    // SAFETY: as above, for getgrgid.
    unsafe {
        let g = libc::getgrgid(gid);
        if g.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*g).gr_name)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

fn client_info(c: &Client) -> Vec<TypedParam> {
    let mut v = vec![TypedParam::new(
        "readonly",
        TypedValue::Boolean(c.is_readonly()),
    )];
    if let Some(addr) = &c.sock_addr {
        v.push(TypedParam::new(
            "sock_addr",
            TypedValue::String(addr.clone()),
        ));
    }
    if let Some(p) = c.peer {
        v.push(TypedParam::new(
            "unix_user_id",
            TypedValue::Int(p.uid as i32),
        ));
        if let Some(n) = user_name(p.uid) {
            v.push(TypedParam::new("unix_user_name", TypedValue::String(n)));
        }
        v.push(TypedParam::new(
            "unix_group_id",
            TypedValue::Int(p.gid as i32),
        ));
        if let Some(n) = group_name(p.gid) {
            v.push(TypedParam::new("unix_group_name", TypedValue::String(n)));
        }
        if let Some(pid) = p.pid {
            v.push(TypedParam::new("unix_process_id", TypedValue::Int(pid)));
        }
    }
    v
}

impl Handler for AdminHandler {
    type Session = AdminSession;

    fn new_session(&self, client: &Arc<Client>) -> AdminSession {
        // SAFETY: geteuid has no preconditions.
        let euid = unsafe { libc::geteuid() };
        if let Some(p) = client.peer {
            if p.uid != euid {
                log::warn!(
                    "Disallowing client {} with uid {}",
                    p.pid.unwrap_or(-1),
                    p.uid
                );
                client.close();
            }
        }
        AdminSession {
            open: AtomicBool::new(false),
        }
    }

    fn has_program(&self, prog: u32, vers: u32) -> bool {
        prog == admin::PROGRAM && vers == admin::VERSION
    }

    fn is_priority(&self, _prog: u32, _proc: i32) -> bool {
        false
    }

    fn allowed_unauthenticated(&self, _prog: u32, _proc: i32) -> bool {
        true
    }

    fn is_inline(&self, _prog: u32, _proc: i32) -> bool {
        true
    }

    async fn call(
        &self,
        _client: &Arc<Client>,
        session: &Arc<AdminSession>,
        frame: Frame,
    ) -> Outcome {
        let h = frame.header;
        match self.dispatch(session, &frame) {
            Ok(body) if h.proc_ == admin::procs::CONNECT_CLOSE => {
                Outcome::ReplyThenClose(reply_ok(&h, |o| o.extend_from_slice(&body)))
            }
            Ok(body) => Outcome::Reply(reply_ok(&h, |o| o.extend_from_slice(&body))),
            Err(e) => Outcome::Reply(reply_error(&h, &e)),
        }
    }
}
