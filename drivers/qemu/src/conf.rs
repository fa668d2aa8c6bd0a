//! `qemu.conf`: the QEMU driver's settings, in libvirt's grammar and with
//! libvirt's defaults.
//!
//! [`QemuConfig::load`] reads a file through [`oxvirt_conffile::Conf`];
//! unknown keys are ignored and the first of duplicate keys wins, as in
//! libvirt. Values of the wrong type or out of range are errors that name the
//! file, the line and the key.

use oxvirt_conffile::{Conf, ConfError};
use std::path::Path;

/// The lowest port libvirt accepts for `remote_display_port_min`.
pub const REMOTE_DISPLAY_PORT_MIN: u16 = 5900;
/// The highest port libvirt accepts for `remote_display_port_max`.
pub const REMOTE_DISPLAY_PORT_MAX: u16 = 65535;
/// libvirt's range for the websocket ports of VNC.
pub const REMOTE_WEBSOCKET_PORT_MIN: u16 = 5700;
/// Upper end of the websocket range.
pub const REMOTE_WEBSOCKET_PORT_MAX: u16 = 65535;
/// libvirt's default range for migration ports.
pub const MIGRATION_PORT_MIN: u16 = 49152;
/// Upper end of the migration range.
pub const MIGRATION_PORT_MAX: u16 = 49215;

/// Where QEMU's stdout/stderr go: through virtlogd or straight to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdioHandler {
    /// `logd`: through virtlogd (libvirt's default).
    Logd,
    /// `file`: the daemon writes the log file itself.
    File,
}

impl StdioHandler {
    /// The qemu.conf spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StdioHandler::Logd => "logd",
            StdioHandler::File => "file",
        }
    }
}

/// The settings of `qemu.conf` that oxvirt acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QemuConfig {
    /// `user`: the account QEMU runs as; `None` in session mode (the
    /// daemon's own user).
    pub user: Option<String>,
    /// `group`.
    pub group: Option<String>,
    /// `dynamic_ownership`: chown images to `user` while a guest runs.
    pub dynamic_ownership: bool,
    /// `remember_owner`: keep the original owner in xattrs.
    pub remember_owner: bool,
    /// `security_driver`: empty means "the default for the host" (dac only
    /// in oxvirt); `none` disables labelling.
    pub security_drivers: Vec<String>,
    /// `security_default_confined`.
    pub security_default_confined: bool,
    /// `security_require_confined`.
    pub security_require_confined: bool,
    /// `stdio_handler`.
    pub stdio_handler: StdioHandler,
    /// `lock_manager`: `nop` (no locking, the default) or `lockd`.
    pub lock_manager: String,
    /// `vnc_listen`.
    pub vnc_listen: String,
    /// `vnc_auto_unix_socket`: VNC on a UNIX socket in the domain's dir.
    pub vnc_auto_unix_socket: bool,
    /// `vnc_password`: the default password for VNC displays without one.
    pub vnc_password: Option<String>,
    /// `vnc_tls`.
    pub vnc_tls: bool,
    /// `vnc_sasl`.
    pub vnc_sasl: bool,
    /// `spice_listen`.
    pub spice_listen: String,
    /// `spice_tls`.
    pub spice_tls: bool,
    /// `spice_password`.
    pub spice_password: Option<String>,
    /// `spice_auto_unix_socket`.
    pub spice_auto_unix_socket: bool,
    /// `remote_display_port_min`.
    pub remote_display_port_min: u16,
    /// `remote_display_port_max`.
    pub remote_display_port_max: u16,
    /// `remote_websocket_port_min`.
    pub remote_websocket_port_min: u16,
    /// `remote_websocket_port_max`.
    pub remote_websocket_port_max: u16,
    /// `migration_port_min`.
    pub migration_port_min: u16,
    /// `migration_port_max`.
    pub migration_port_max: u16,
    /// `max_files`: RLIMIT_NOFILE for QEMU; 0 leaves the limit alone.
    pub max_files: u32,
    /// `max_processes`: RLIMIT_NPROC for QEMU; 0 leaves it alone.
    pub max_processes: u32,
    /// `max_core`: RLIMIT_CORE in bytes; `None` leaves it alone
    /// (`"unlimited"` is `Some(u64::MAX)`).
    pub max_core: Option<u64>,
    /// `dump_guest_core`: the default of `-machine dump-guest-core=`.
    pub dump_guest_core: bool,
    /// `log_timestamp`: QEMU prefixes its messages with a timestamp (`-msg timestamp=on`).
    pub log_timestamp: bool,
    /// `set_process_name`: `-name guest=NAME,process=qemu:NAME`.
    pub set_process_name: bool,
    /// `seccomp_sandbox`: -1 leaves QEMU's default, 0 off, 1 on.
    pub seccomp_sandbox: i32,
    /// `auto_dump_path`.
    pub auto_dump_path: Option<String>,
    /// `save_image_format`.
    pub save_image_format: Option<String>,
    /// `nvram`: `"LOADER:NVRAM_TEMPLATE"` pairs (overrides firmware descriptors).
    pub nvram: Vec<(String, String)>,
    /// `hugetlbfs_mount`.
    pub hugetlbfs_mount: Vec<String>,
    /// `clear_emulator_capabilities`.
    pub clear_emulator_capabilities: bool,
    /// `namespaces`: `["mount"]` gives QEMU a private mount namespace.
    pub namespaces: Vec<String>,
}

impl QemuConfig {
    /// libvirt's defaults: `privileged` is system mode (`qemu:///system`).
    pub fn defaults(privileged: bool) -> QemuConfig {
        QemuConfig {
            user: privileged.then(|| "root".to_owned()),
            group: privileged.then(|| "root".to_owned()),
            dynamic_ownership: privileged,
            remember_owner: privileged,
            security_drivers: Vec::new(),
            security_default_confined: true,
            security_require_confined: false,
            stdio_handler: StdioHandler::Logd,
            lock_manager: "nop".to_owned(),
            vnc_listen: "127.0.0.1".to_owned(),
            vnc_auto_unix_socket: false,
            vnc_password: None,
            vnc_tls: false,
            vnc_sasl: false,
            spice_listen: "127.0.0.1".to_owned(),
            spice_tls: false,
            spice_password: None,
            spice_auto_unix_socket: false,
            remote_display_port_min: REMOTE_DISPLAY_PORT_MIN,
            remote_display_port_max: REMOTE_DISPLAY_PORT_MAX,
            remote_websocket_port_min: REMOTE_WEBSOCKET_PORT_MIN,
            remote_websocket_port_max: REMOTE_WEBSOCKET_PORT_MAX,
            migration_port_min: MIGRATION_PORT_MIN,
            migration_port_max: MIGRATION_PORT_MAX,
            max_files: 0,
            max_processes: 0,
            max_core: None,
            dump_guest_core: false,
            log_timestamp: true,
            set_process_name: false,
            seccomp_sandbox: -1,
            auto_dump_path: None,
            save_image_format: None,
            nvram: Vec::new(),
            hugetlbfs_mount: Vec::new(),
            clear_emulator_capabilities: true,
            namespaces: if privileged {
                vec!["mount".to_owned()]
            } else {
                Vec::new()
            },
        }
    }

    /// Reads `path` over the defaults for `privileged`. A missing file gives
    /// the defaults, as libvirt treats an absent qemu.conf.
    pub fn load(path: &Path, privileged: bool) -> Result<QemuConfig, ConfError> {
        if !path.exists() {
            return Ok(QemuConfig::defaults(privileged));
        }
        let conf = Conf::read_file(path)?;
        QemuConfig::from_conf(&conf, privileged)
    }

    /// Applies the keys of an already parsed file over the defaults.
    pub fn from_conf(conf: &Conf, privileged: bool) -> Result<QemuConfig, ConfError> {
        let mut c = QemuConfig::defaults(privileged);
        set_opt(&mut c.user, conf.get_string("user")?);
        set_opt(&mut c.group, conf.get_string("group")?);
        set(
            &mut c.dynamic_ownership,
            conf.get_bool("dynamic_ownership")?,
        );
        set(&mut c.remember_owner, conf.get_bool("remember_owner")?);
        c.security_drivers = security_drivers(conf)?;
        set(
            &mut c.security_default_confined,
            conf.get_bool("security_default_confined")?,
        );
        set(
            &mut c.security_require_confined,
            conf.get_bool("security_require_confined")?,
        );
        if let Some(h) = conf.get_string("stdio_handler")? {
            c.stdio_handler = match h.as_str() {
                "logd" => StdioHandler::Logd,
                "file" => StdioHandler::File,
                _ => {
                    return Err(invalid(
                        conf,
                        "stdio_handler",
                        format!("Unknown stdio handler {h}"),
                    ))
                }
            };
        }
        if let Some(m) = conf.get_string("lock_manager")? {
            if !matches!(m.as_str(), "nop" | "lockd" | "sanlock") {
                return Err(invalid(
                    conf,
                    "lock_manager",
                    format!("Failed to load lock manager {m}"),
                ));
            }
            c.lock_manager = m;
        }
        set(&mut c.vnc_listen, conf.get_string("vnc_listen")?);
        set(
            &mut c.vnc_auto_unix_socket,
            conf.get_bool("vnc_auto_unix_socket")?,
        );
        set_opt(&mut c.vnc_password, conf.get_string("vnc_password")?);
        set(&mut c.vnc_tls, conf.get_bool("vnc_tls")?);
        set(&mut c.vnc_sasl, conf.get_bool("vnc_sasl")?);
        set(&mut c.spice_listen, conf.get_string("spice_listen")?);
        set(&mut c.spice_tls, conf.get_bool("spice_tls")?);
        set_opt(&mut c.spice_password, conf.get_string("spice_password")?);
        set(
            &mut c.spice_auto_unix_socket,
            conf.get_bool("spice_auto_unix_socket")?,
        );
        (c.remote_display_port_min, c.remote_display_port_max) = port_range(
            conf,
            ("remote_display_port_min", "remote_display_port_max"),
            (c.remote_display_port_min, c.remote_display_port_max),
        )?;
        (c.remote_websocket_port_min, c.remote_websocket_port_max) = port_range(
            conf,
            ("remote_websocket_port_min", "remote_websocket_port_max"),
            (c.remote_websocket_port_min, c.remote_websocket_port_max),
        )?;
        (c.migration_port_min, c.migration_port_max) = port_range(
            conf,
            ("migration_port_min", "migration_port_max"),
            (c.migration_port_min, c.migration_port_max),
        )?;
        set(&mut c.max_files, conf.get_uint("max_files")?);
        set(&mut c.max_processes, conf.get_uint("max_processes")?);
        c.max_core = max_core(conf)?;
        set(&mut c.dump_guest_core, conf.get_bool("dump_guest_core")?);
        set(&mut c.log_timestamp, conf.get_bool("log_timestamp")?);
        set(&mut c.set_process_name, conf.get_bool("set_process_name")?);
        if let Some(s) = conf.get_int("seccomp_sandbox")? {
            c.seccomp_sandbox = s;
        }
        set_opt(&mut c.auto_dump_path, conf.get_string("auto_dump_path")?);
        set_opt(
            &mut c.save_image_format,
            conf.get_string("save_image_format")?,
        );
        if let Some(list) = conf.get_string_list("nvram")? {
            c.nvram = list
                .iter()
                .map(|pair| {
                    pair.split_once(':')
                        .map(|(l, n)| (l.to_owned(), n.to_owned()))
                        .ok_or_else(|| {
                            invalid(conf, "nvram", format!("Invalid nvram format: '{pair}'"))
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(list) = hugetlbfs(conf)? {
            c.hugetlbfs_mount = list;
        }
        set(
            &mut c.clear_emulator_capabilities,
            conf.get_bool("clear_emulator_capabilities")?,
        );
        if let Some(ns) = conf.get_string_list("namespaces")? {
            for n in &ns {
                if n != "mount" {
                    return Err(invalid(
                        conf,
                        "namespaces",
                        format!("Unknown namespace: {n}"),
                    ));
                }
            }
            c.namespaces = ns;
        }
        if conf.get_bool("allow_disk_format_probing")? == Some(true) {
            return Err(invalid(
                conf,
                "allow_disk_format_probing",
                "allow_disk_format_probing is not allowed anymore".to_owned(),
            ));
        }
        Ok(c)
    }

    /// True when QEMU output goes through virtlogd.
    pub fn uses_logd(&self) -> bool {
        self.stdio_handler == StdioHandler::Logd
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

fn set_opt<T>(field: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *field = value;
    }
}

fn invalid(conf: &Conf, key: &str, message: String) -> ConfError {
    ConfError::Invalid {
        file: conf.filename().to_owned(),
        line: conf.line(key).unwrap_or(0),
        key: key.to_owned(),
        message,
        unsupported: false,
    }
}

/// `security_driver` is a string or a list of strings.
fn security_drivers(conf: &Conf) -> Result<Vec<String>, ConfError> {
    match conf.get("security_driver") {
        None => Ok(Vec::new()),
        Some(oxvirt_conffile::Value::List(_)) => {
            Ok(conf.get_string_list("security_driver")?.unwrap_or_default())
        }
        Some(_) => Ok(conf
            .get_string("security_driver")?
            .map(|s| vec![s])
            .unwrap_or_default()),
    }
}

/// `hugetlbfs_mount` is a string or a list of strings.
fn hugetlbfs(conf: &Conf) -> Result<Option<Vec<String>>, ConfError> {
    match conf.get("hugetlbfs_mount") {
        None => Ok(None),
        Some(oxvirt_conffile::Value::List(_)) => conf.get_string_list("hugetlbfs_mount"),
        Some(_) => Ok(conf.get_string("hugetlbfs_mount")?.map(|s| vec![s])),
    }
}

/// `max_core` is a number of bytes or the string `"unlimited"`.
fn max_core(conf: &Conf) -> Result<Option<u64>, ConfError> {
    match conf.get("max_core") {
        None => Ok(None),
        Some(oxvirt_conffile::Value::String(s)) if s == "unlimited" => Ok(Some(u64::MAX)),
        Some(oxvirt_conffile::Value::String(s)) => Err(invalid(
            conf,
            "max_core",
            format!("max_core must be an integer or the string 'unlimited', not '{s}'"),
        )),
        Some(_) => conf.get_size("max_core"),
    }
}

/// Reads a `*_min` / `*_max` pair with libvirt's checks: min at or above
/// the default minimum, max at most 65535 and not below min.
fn port_range(
    conf: &Conf,
    (kmin, kmax): (&str, &str),
    (dmin, dmax): (u16, u16),
) -> Result<(u16, u16), ConfError> {
    let min = match conf.get_uint(kmin)? {
        None => dmin,
        Some(v) if v < u32::from(dmin) || v > u32::from(u16::MAX) => {
            return Err(invalid(
                conf,
                kmin,
                format!("{kmin}: port must be greater than or equal to {dmin}"),
            ))
        }
        Some(v) => u16::try_from(v).unwrap_or(dmin),
    };
    let max = match conf.get_uint(kmax)? {
        None => dmax,
        Some(v) if v > u32::from(dmax) || v < u32::from(dmin) => {
            return Err(invalid(
                conf,
                kmax,
                format!("{kmax}: port must be between the minimal port and {dmax}"),
            ))
        }
        Some(v) => u16::try_from(v).unwrap_or(dmax),
    };
    if min > max {
        return Err(invalid(
            conf,
            kmin,
            format!("{kmin}: min port must not be greater than max port"),
        ));
    }
    Ok((min, max))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn load(text: &str) -> Result<QemuConfig, ConfError> {
        let conf = Conf::parse(text, "qemu.conf").unwrap();
        QemuConfig::from_conf(&conf, true)
    }

    #[test]
    fn empty_file_gives_libvirt_defaults() {
        let c = load("").unwrap();
        assert_eq!(c, QemuConfig::defaults(true));
        assert_eq!(c.vnc_listen, "127.0.0.1");
        assert_eq!(
            (c.remote_display_port_min, c.remote_display_port_max),
            (5900, 65535)
        );
        assert!(c.uses_logd());
    }

    #[test]
    fn keys_override_defaults_and_first_duplicate_wins() {
        let c = load(
            "user = \"libvirt-qemu\"\ngroup = \"kvm\"\ndynamic_ownership = 0\nstdio_handler = \"file\"\n\
             vnc_listen = \"0.0.0.0\"\nvnc_auto_unix_socket = 1\nremote_display_port_min = 5910\n\
             remote_display_port_max = 5920\nmax_files = 4096\nsecurity_driver = [ \"dac\" ]\n\
             lock_manager = \"lockd\"\nuser = \"other\"\nbogus_key = 3\n",
        )
        .unwrap();
        assert_eq!(c.user.as_deref(), Some("libvirt-qemu"));
        assert_eq!(c.group.as_deref(), Some("kvm"));
        assert!(!c.dynamic_ownership);
        assert_eq!(c.stdio_handler, StdioHandler::File);
        assert_eq!(c.vnc_listen, "0.0.0.0");
        assert!(c.vnc_auto_unix_socket);
        assert_eq!(
            (c.remote_display_port_min, c.remote_display_port_max),
            (5910, 5920)
        );
        assert_eq!(c.max_files, 4096);
        assert_eq!(c.security_drivers, ["dac"]);
        assert_eq!(c.lock_manager, "lockd");
    }

    #[test]
    fn display_port_below_5900_is_refused_with_file_and_line() {
        let e = load("\nremote_display_port_min = 5000\n").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e
            .to_string()
            .contains("remote_display_port_min: port must be greater than or equal to 5900"));
    }

    #[test]
    fn min_above_max_is_refused() {
        let e =
            load("remote_display_port_min = 6000\nremote_display_port_max = 5999\n").unwrap_err();
        assert!(e
            .to_string()
            .contains("min port must not be greater than max port"));
    }

    #[test]
    fn wrong_type_names_the_key() {
        let e = load("vnc_listen = 1\n").unwrap_err();
        assert_eq!(e.key(), Some("vnc_listen"));
    }

    #[test]
    fn security_driver_accepts_a_string_and_max_core_unlimited() {
        let c = load("security_driver = \"none\"\nmax_core = \"unlimited\"\n").unwrap();
        assert_eq!(c.security_drivers, ["none"]);
        assert_eq!(c.max_core, Some(u64::MAX));
    }

    #[test]
    fn unknown_stdio_handler_is_refused() {
        assert!(load("stdio_handler = \"pipe\"\n").is_err());
    }

    #[test]
    fn session_defaults_have_no_user() {
        let c = QemuConfig::defaults(false);
        assert_eq!(c.user, None);
        assert!(!c.dynamic_ownership);
    }
}
