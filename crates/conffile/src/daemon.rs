//! The settings of libvirt's RPC daemons: `libvirtd.conf`, `virtproxyd.conf` and
//! the modular `virt*d.conf` files.
//!
//! [`DaemonSettings::defaults`] gives libvirt's *code* defaults (not the values
//! in the shipped files' comments, which differ for the admin server), for a
//! build with polkit and SASL like Debian's. [`DaemonSettings::from_conf`]
//! overlays a parsed file on them with libvirt's getters and checks. Keys that
//! only IP-capable daemons read (TCP/TLS, certificates, `tcp_min_ssf`) are not
//! even looked at for [`DaemonFlavor::Modular`], so a wrong type there passes
//! silently, as in libvirt.

use std::path::PathBuf;

use oxvirt_core::Uuid;

use crate::log::{parse_log_filters, parse_log_outputs, LogFilter, LogOutput, LogSettings};
use crate::{Conf, ConfError};

/// The default TCP port, as a string (it may also be a service name).
pub const DEFAULT_TCP_PORT: &str = "16509";
/// The default TLS port.
pub const DEFAULT_TLS_PORT: &str = "16514";
/// The GnuTLS priority string a default build uses.
pub const DEFAULT_TLS_PRIORITY: &str = "NORMAL";
/// The lowest `tcp_min_ssf` a configuration may set explicitly.
pub const MIN_CONFIGURABLE_SSF: u32 = 112;

/// Keys that socket activation overrides: systemd's socket units decide the
/// listening addresses, modes and group, so the daemon ignores these then.
pub const IGNORED_WHEN_ACTIVATED: &[&str] = &[
    "listen_tcp",
    "listen_tls",
    "tcp_port",
    "tls_port",
    "listen_addr",
    "unix_sock_group",
    "unix_sock_ro_perms",
    "unix_sock_rw_perms",
    "unix_sock_admin_perms",
    "unix_sock_dir",
];

/// System-mode CA certificate used when `ca_file` and friends are all unset.
pub const DEFAULT_SYSTEM_CA_FILE: &str = "/etc/pki/CA/cacert.pem";
/// System-mode CRL, used only if the file exists.
pub const DEFAULT_SYSTEM_CRL_FILE: &str = "/etc/pki/CA/cacrl.pem";
/// System-mode server certificate.
pub const DEFAULT_SYSTEM_CERT_FILE: &str = "/etc/pki/libvirt/servercert.pem";
/// System-mode server key.
pub const DEFAULT_SYSTEM_KEY_FILE: &str = "/etc/pki/libvirt/private/serverkey.pem";

/// Which kind of daemon reads the file; it decides defaults and which keys exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DaemonFlavor {
    /// The monolithic daemon: TCP/TLS keys, `listen_tls` on (inert without `--listen`).
    Libvirtd,
    /// The proxy: TCP/TLS keys, `listen_tls` off (there is no `--listen`).
    Virtproxyd,
    /// A per-driver daemon (`virtqemud`, `virtnetworkd`, …): no TCP/TLS keys.
    Modular,
}

impl DaemonFlavor {
    /// Whether the daemon serves TCP/TLS and so reads the IP-only keys.
    pub fn has_ip(self) -> bool {
        !matches!(self, DaemonFlavor::Modular)
    }
}

/// An authentication scheme for a listening socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// No authentication.
    None,
    /// SASL negotiation.
    Sasl,
    /// polkit's `org.libvirt.unix.manage` check on the peer's credentials.
    Polkit,
}

impl AuthScheme {
    /// The spelling used in the configuration file.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthScheme::None => "none",
            AuthScheme::Sasl => "sasl",
            AuthScheme::Polkit => "polkit",
        }
    }

    /// Parses the spelling used in the configuration file.
    pub fn from_name(name: &str) -> Option<AuthScheme> {
        match name {
            "none" => Some(AuthScheme::None),
            "sasl" => Some(AuthScheme::Sasl),
            "polkit" => Some(AuthScheme::Polkit),
            _ => None,
        }
    }
}

/// Where the host UUID comes from when `host_uuid` is not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostUuidSource {
    /// The SMBIOS system UUID, read lazily (dmidecode).
    Smbios,
    /// `/etc/machine-id`.
    MachineId,
}

/// Every setting of `libvirtd.conf` and its siblings, typed, with defaults
/// applied. Fields of IP-only keys keep their defaults for modular daemons,
/// where they mean nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonSettings {
    /// `listen_tls` (IP).
    pub listen_tls: bool,
    /// `listen_tcp` (IP).
    pub listen_tcp: bool,
    /// `tls_port` (IP): a port number or service name.
    pub tls_port: String,
    /// `tcp_port` (IP): a port number or service name.
    pub tcp_port: String,
    /// `listen_addr` (IP); `None` listens on every address.
    pub listen_addr: Option<String>,
    /// `unix_sock_group`; `None` keeps root's group.
    pub unix_sock_group: Option<String>,
    /// `unix_sock_ro_perms`, parsed from octal.
    pub unix_sock_ro_perms: u32,
    /// `unix_sock_rw_perms`, parsed from octal.
    pub unix_sock_rw_perms: u32,
    /// `unix_sock_admin_perms`, parsed from octal.
    pub unix_sock_admin_perms: u32,
    /// `unix_sock_dir`; `None` means the mode's default run directory.
    pub unix_sock_dir: Option<PathBuf>,
    /// `auth_unix_ro`.
    pub auth_unix_ro: AuthScheme,
    /// `auth_unix_rw`.
    pub auth_unix_rw: AuthScheme,
    /// `auth_tcp` (IP).
    pub auth_tcp: AuthScheme,
    /// `auth_tls` (IP).
    pub auth_tls: AuthScheme,
    /// `tcp_min_ssf` (IP): minimum SASL security strength on plain TCP.
    pub tcp_min_ssf: u32,
    /// `access_drivers`; never empty (`["none"]` when unset or set to `[]`).
    pub access_drivers: Vec<String>,
    /// `key_file` (IP); `None` means the default PKI path.
    pub key_file: Option<PathBuf>,
    /// `cert_file` (IP); `None` means the default PKI path.
    pub cert_file: Option<PathBuf>,
    /// `ca_file` (IP); `None` means the default PKI path.
    pub ca_file: Option<PathBuf>,
    /// `crl_file` (IP); `None` means the default path, used if present.
    pub crl_file: Option<PathBuf>,
    /// `tls_no_sanity_certificate` (IP): skip checking our own certificate.
    pub tls_no_sanity_certificate: bool,
    /// `tls_no_verify_certificate` (IP): skip checking client certificates.
    pub tls_no_verify_certificate: bool,
    /// `tls_allowed_dn_list` (IP): `None` allows any DN, `Some([])` none.
    pub tls_allowed_dn_list: Option<Vec<String>>,
    /// `tls_priority` (IP).
    pub tls_priority: String,
    /// `sasl_allowed_username_list`: `None` allows anyone, `Some([])` nobody.
    pub sasl_allowed_username_list: Option<Vec<String>>,
    /// `max_clients`.
    pub max_clients: u32,
    /// `max_queued_clients`: the listen backlog.
    pub max_queued_clients: u32,
    /// `max_anonymous_clients`.
    pub max_anonymous_clients: u32,
    /// `min_workers`.
    pub min_workers: u32,
    /// `max_workers`; at least 1.
    pub max_workers: u32,
    /// `prio_workers`.
    pub prio_workers: u32,
    /// `max_client_requests`.
    pub max_client_requests: u32,
    /// `admin_min_workers`.
    pub admin_min_workers: u32,
    /// `admin_max_workers`.
    pub admin_max_workers: u32,
    /// `admin_max_clients`.
    pub admin_max_clients: u32,
    /// `admin_max_queued_clients`.
    pub admin_max_queued_clients: u32,
    /// `admin_max_client_requests`.
    pub admin_max_client_requests: u32,
    /// `log_level`, 1–4; `None` when unset or 0.
    pub log_level: Option<u8>,
    /// `log_filters`, parsed.
    pub log_filters: Vec<LogFilter>,
    /// `log_outputs`, parsed; empty means the default output.
    pub log_outputs: Vec<LogOutput>,
    /// `audit_level`: 0 off, 1 if the host supports it, 2 required.
    pub audit_level: u32,
    /// `audit_logging`.
    pub audit_logging: bool,
    /// `host_uuid`, validated.
    pub host_uuid: Option<Uuid>,
    /// `host_uuid_source`; only consulted when `host_uuid` is unset.
    pub host_uuid_source: HostUuidSource,
    /// `keepalive_interval` in seconds; -1 disables probing.
    pub keepalive_interval: i32,
    /// `keepalive_count`.
    pub keepalive_count: u32,
    /// `admin_keepalive_interval`.
    pub admin_keepalive_interval: i32,
    /// `admin_keepalive_count`.
    pub admin_keepalive_count: u32,
    /// `ovs_timeout` in seconds.
    pub ovs_timeout: u32,
}

impl DaemonSettings {
    /// libvirt's code defaults for this daemon in system (`privileged`) or
    /// session mode.
    pub fn defaults(flavor: DaemonFlavor, privileged: bool) -> Self {
        let unix_auth = if privileged {
            AuthScheme::Polkit
        } else {
            AuthScheme::None
        };
        DaemonSettings {
            listen_tls: flavor == DaemonFlavor::Libvirtd,
            listen_tcp: false,
            tls_port: DEFAULT_TLS_PORT.to_owned(),
            tcp_port: DEFAULT_TCP_PORT.to_owned(),
            listen_addr: None,
            unix_sock_group: None,
            unix_sock_ro_perms: 0o777,
            unix_sock_rw_perms: if unix_auth == AuthScheme::Polkit {
                0o777
            } else {
                0o700
            },
            unix_sock_admin_perms: 0o700,
            unix_sock_dir: None,
            auth_unix_ro: unix_auth,
            auth_unix_rw: unix_auth,
            auth_tcp: AuthScheme::Sasl,
            auth_tls: AuthScheme::None,
            tcp_min_ssf: 56,
            access_drivers: vec!["none".to_owned()],
            key_file: None,
            cert_file: None,
            ca_file: None,
            crl_file: None,
            tls_no_sanity_certificate: false,
            tls_no_verify_certificate: false,
            tls_allowed_dn_list: None,
            tls_priority: DEFAULT_TLS_PRIORITY.to_owned(),
            sasl_allowed_username_list: None,
            max_clients: 5000,
            max_queued_clients: 1000,
            max_anonymous_clients: 20,
            min_workers: 5,
            max_workers: 20,
            prio_workers: 5,
            max_client_requests: 5,
            admin_min_workers: 5,
            admin_max_workers: 20,
            admin_max_clients: 5000,
            admin_max_queued_clients: 20,
            admin_max_client_requests: 5,
            log_level: None,
            log_filters: Vec::new(),
            log_outputs: Vec::new(),
            audit_level: 1,
            audit_logging: false,
            host_uuid: None,
            host_uuid_source: HostUuidSource::Smbios,
            keepalive_interval: 5,
            keepalive_count: 5,
            admin_keepalive_interval: 5,
            admin_keepalive_count: 5,
            ovs_timeout: 5,
        }
    }

    /// The defaults overlaid with `conf`, checked as libvirt checks them at
    /// startup. Every error names the file, the line and the key.
    pub fn from_conf(
        conf: &Conf,
        flavor: DaemonFlavor,
        privileged: bool,
    ) -> Result<Self, ConfError> {
        let mut s = DaemonSettings::defaults(flavor, privileged);
        let ip = flavor.has_ip();

        if ip {
            set(&mut s.listen_tcp, conf.get_bool("listen_tcp")?);
            set(&mut s.listen_tls, conf.get_bool("listen_tls")?);
            set(&mut s.tls_port, conf.get_string("tls_port")?);
            set(&mut s.tcp_port, conf.get_string("tcp_port")?);
            s.listen_addr = conf.get_string("listen_addr")?;
        }

        let mut rw_perms_default = s.unix_sock_rw_perms;
        if let Some(auth) = get_auth(conf, "auth_unix_rw")? {
            s.auth_unix_rw = auth;
            // libvirt widens the RW socket whenever polkit guards it, and never
            // narrows it back: `auth_unix_rw = "none"` on a privileged daemon
            // leaves it at 0777.
            if auth == AuthScheme::Polkit {
                rw_perms_default = 0o777;
            }
        }
        set(&mut s.auth_unix_ro, get_auth(conf, "auth_unix_ro")?);
        if ip {
            set(&mut s.auth_tcp, get_auth(conf, "auth_tcp")?);
            set(&mut s.auth_tls, get_auth(conf, "auth_tls")?);
        }

        if let Some(drivers) = conf.get_string_list("access_drivers")? {
            if !drivers.is_empty() {
                s.access_drivers = drivers;
            }
        }

        s.unix_sock_group = conf.get_string("unix_sock_group")?;
        s.unix_sock_admin_perms =
            get_perms(conf, "unix_sock_admin_perms", s.unix_sock_admin_perms)?;
        s.unix_sock_ro_perms = get_perms(conf, "unix_sock_ro_perms", s.unix_sock_ro_perms)?;
        s.unix_sock_rw_perms = get_perms(conf, "unix_sock_rw_perms", rw_perms_default)?;
        s.unix_sock_dir = conf.get_string("unix_sock_dir")?.map(PathBuf::from);

        if ip {
            set(
                &mut s.tls_no_sanity_certificate,
                conf.get_bool("tls_no_sanity_certificate")?,
            );
            set(
                &mut s.tls_no_verify_certificate,
                conf.get_bool("tls_no_verify_certificate")?,
            );
            s.key_file = conf.get_string("key_file")?.map(PathBuf::from);
            s.cert_file = conf.get_string("cert_file")?.map(PathBuf::from);
            s.ca_file = conf.get_string("ca_file")?.map(PathBuf::from);
            s.crl_file = conf.get_string("crl_file")?.map(PathBuf::from);
            s.tls_allowed_dn_list = conf.get_string_list("tls_allowed_dn_list")?;
            set(&mut s.tls_priority, conf.get_string("tls_priority")?);
            if let Some(ssf) = conf.get_uint("tcp_min_ssf")? {
                if ssf < MIN_CONFIGURABLE_SSF {
                    return Err(invalid(
                        conf,
                        "tcp_min_ssf",
                        format!(
                            "tcp_min_ssf: minimum SSF levels lower than {MIN_CONFIGURABLE_SSF} are not supported"
                        ),
                        true,
                    ));
                }
                s.tcp_min_ssf = ssf;
            }
        }

        s.sasl_allowed_username_list = conf.get_string_list("sasl_allowed_username_list")?;

        set(&mut s.min_workers, conf.get_uint("min_workers")?);
        set(&mut s.max_workers, conf.get_uint("max_workers")?);
        if s.max_workers < 1 {
            return Err(invalid(
                conf,
                "max_workers",
                "'max_workers' must be greater than 0".to_owned(),
                false,
            ));
        }
        set(&mut s.max_clients, conf.get_uint("max_clients")?);
        set(
            &mut s.max_queued_clients,
            conf.get_uint("max_queued_clients")?,
        );
        set(
            &mut s.max_anonymous_clients,
            conf.get_uint("max_anonymous_clients")?,
        );
        set(&mut s.prio_workers, conf.get_uint("prio_workers")?);
        set(
            &mut s.max_client_requests,
            conf.get_uint("max_client_requests")?,
        );

        set(
            &mut s.admin_min_workers,
            conf.get_uint("admin_min_workers")?,
        );
        set(
            &mut s.admin_max_workers,
            conf.get_uint("admin_max_workers")?,
        );
        set(
            &mut s.admin_max_clients,
            conf.get_uint("admin_max_clients")?,
        );
        set(
            &mut s.admin_max_queued_clients,
            conf.get_uint("admin_max_queued_clients")?,
        );
        set(
            &mut s.admin_max_client_requests,
            conf.get_uint("admin_max_client_requests")?,
        );

        set(&mut s.audit_level, conf.get_uint("audit_level")?);
        set(&mut s.audit_logging, conf.get_bool("audit_logging")?);

        let host_uuid = conf.get_string("host_uuid")?;
        let host_uuid_source = conf.get_string("host_uuid_source")?;

        let log_level = conf.get_uint("log_level")?;
        let log_filters = conf.get_string("log_filters")?;
        let log_outputs = conf.get_string("log_outputs")?;

        set(
            &mut s.keepalive_interval,
            conf.get_int("keepalive_interval")?,
        );
        set(&mut s.keepalive_count, conf.get_uint("keepalive_count")?);
        set(
            &mut s.admin_keepalive_interval,
            conf.get_int("admin_keepalive_interval")?,
        );
        set(
            &mut s.admin_keepalive_count,
            conf.get_uint("admin_keepalive_count")?,
        );
        set(&mut s.ovs_timeout, conf.get_uint("ovs_timeout")?);

        // What follows libvirt checks after loading, at host UUID and logging
        // setup; the order is the same.
        if let Some(text) = &host_uuid {
            s.host_uuid = Some(parse_host_uuid(conf, text)?);
        }
        match host_uuid_source.as_deref() {
            None | Some("smbios") => {}
            Some("machine-id") => s.host_uuid_source = HostUuidSource::MachineId,
            // An explicit UUID wins, and libvirt then never looks at the source.
            Some(_) if host_uuid.is_some() => {}
            Some(other) => {
                return Err(invalid(
                    conf,
                    "host_uuid_source",
                    format!(
                        "host_uuid_source: invalid UUID source: {other}, expected 'smbios' or 'machine-id'"
                    ),
                    false,
                ))
            }
        }

        // 0 means "unset" to libvirt, not an error.
        s.log_level = match log_level {
            None | Some(0) => None,
            Some(level @ 1..=4) => u8::try_from(level).ok(),
            Some(level) => {
                return Err(invalid(
                    conf,
                    "log_level",
                    format!(
                    "log_level: invalid logging priority {level}, expected 1 (debug) to 4 (error)"
                ),
                    false,
                ))
            }
        };
        if let Some(text) = log_filters {
            s.log_filters = parse_log_filters(&text)
                .map_err(|e| invalid(conf, "log_filters", format!("log_filters: {e}"), false))?;
        }
        if let Some(text) = log_outputs {
            s.log_outputs = parse_log_outputs(&text)
                .map_err(|e| invalid(conf, "log_outputs", format!("log_outputs: {e}"), false))?;
        }

        Ok(s)
    }

    /// The explicitly configured TLS files, or `None` when `ca_file`,
    /// `cert_file` and `key_file` are all unset (use the default PKI paths).
    /// Setting one of the three requires the others, as in libvirt, which makes
    /// this check only when it sets up a TLS listener.
    pub fn explicit_tls_files(&self) -> Result<Option<TlsFiles>, TlsFilesError> {
        match (&self.ca_file, &self.cert_file, &self.key_file) {
            (None, None, None) => Ok(None),
            (None, _, _) => Err(TlsFilesError::NoCaFile),
            (_, None, _) => Err(TlsFilesError::NoCertFile),
            (_, _, None) => Err(TlsFilesError::NoKeyFile),
            (Some(ca), Some(cert), Some(key)) => Ok(Some(TlsFiles {
                ca_file: ca.clone(),
                cert_file: cert.clone(),
                key_file: key.clone(),
                crl_file: self.crl_file.clone(),
            })),
        }
    }

    /// The logging part, for the daemon's logger.
    pub fn log_settings(&self) -> LogSettings {
        LogSettings {
            level: self.log_level,
            filters: self.log_filters.clone(),
            outputs: self.log_outputs.clone(),
        }
    }
}

/// The x509 files of a TLS listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// CA certificate that client certificates must chain to.
    pub ca_file: PathBuf,
    /// The server's certificate.
    pub cert_file: PathBuf,
    /// The server's private key.
    pub key_file: PathBuf,
    /// Revocation list, if any.
    pub crl_file: Option<PathBuf>,
}

impl TlsFiles {
    /// The system-mode defaults; the CRL is to be used only if it exists.
    pub fn system_default() -> Self {
        TlsFiles {
            ca_file: PathBuf::from(DEFAULT_SYSTEM_CA_FILE),
            cert_file: PathBuf::from(DEFAULT_SYSTEM_CERT_FILE),
            key_file: PathBuf::from(DEFAULT_SYSTEM_KEY_FILE),
            crl_file: Some(PathBuf::from(DEFAULT_SYSTEM_CRL_FILE)),
        }
    }
}

/// An incomplete set of explicit TLS files; libvirt's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TlsFilesError {
    /// `cert_file` or `key_file` set without `ca_file`.
    #[error("No CA certificate path set to match server key/cert")]
    NoCaFile,
    /// `ca_file` or `key_file` set without `cert_file`.
    #[error("No server certificate path set to match server key")]
    NoCertFile,
    /// `ca_file` or `cert_file` set without `key_file`.
    #[error("No server key path set to match server cert")]
    NoKeyFile,
}

/// Overwrites `field` when the file set a value.
fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

fn invalid(conf: &Conf, key: &str, message: String, unsupported: bool) -> ConfError {
    ConfError::Invalid {
        file: conf.filename().to_owned(),
        line: conf.line(key).unwrap_or(0),
        key: key.to_owned(),
        message,
        unsupported,
    }
}

fn get_auth(conf: &Conf, key: &str) -> Result<Option<AuthScheme>, ConfError> {
    let Some(name) = conf.get_string(key)? else {
        return Ok(None);
    };
    AuthScheme::from_name(&name)
        .map(Some)
        .ok_or_else(|| invalid(conf, key, format!("{key}: unsupported auth {name}"), true))
}

/// Reads a socket mode string, parsed as C's `strtol(s, &end, 8)` with the
/// whole string consumed; negative modes are refused.
fn get_perms(conf: &Conf, key: &str, default: u32) -> Result<u32, ConfError> {
    let Some(text) = conf.get_string(key)? else {
        return Ok(default);
    };
    parse_octal_mode(&text).ok_or_else(|| {
        invalid(
            conf,
            key,
            format!("{key}: failed to parse mode '{text}'"),
            false,
        )
    })
}

fn parse_octal_mode(text: &str) -> Option<u32> {
    let t = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let digits = t.strip_prefix('+').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    u32::from_str_radix(digits, 8)
        .ok()
        .filter(|&m| i32::try_from(m).is_ok())
}

fn parse_host_uuid(conf: &Conf, text: &str) -> Result<Uuid, ConfError> {
    match text.parse::<Uuid>() {
        Ok(uuid) if !uuid.is_degenerate() => Ok(uuid),
        _ => Err(invalid(
            conf,
            "host_uuid",
            format!("host_uuid: invalid host UUID: {text}"),
            false,
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn octal_modes_parse_like_strtol() {
        assert_eq!(parse_octal_mode("0777"), Some(0o777));
        assert_eq!(parse_octal_mode("770"), Some(0o770));
        assert_eq!(parse_octal_mode(" 0700"), Some(0o700));
        assert_eq!(parse_octal_mode("+0660"), Some(0o660));
        assert_eq!(parse_octal_mode("0"), Some(0));
        assert_eq!(parse_octal_mode(""), None);
        assert_eq!(parse_octal_mode("0778"), None);
        assert_eq!(parse_octal_mode("0777 "), None);
        assert_eq!(parse_octal_mode("0x1ff"), None);
        assert_eq!(parse_octal_mode("-1"), None);
        assert_eq!(parse_octal_mode("77777777777777"), None);
    }
}
