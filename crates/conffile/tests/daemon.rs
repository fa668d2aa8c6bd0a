//! `DaemonSettings`: code defaults per flavor and mode, every key read, and the
//! checks libvirt makes at startup.

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::path::PathBuf;

use oxvirt_conffile::daemon::{
    AuthScheme, DaemonFlavor, DaemonSettings, HostUuidSource, TlsFiles, TlsFilesError,
    IGNORED_WHEN_ACTIVATED,
};
use oxvirt_conffile::log::{LogDest, LogFilter, LogOutput};
use oxvirt_conffile::{Conf, ConfError};

const FILE: &str = "/etc/libvirt/libvirtd.conf";
const EVERY_KEY: &str = include_str!("data/libvirtd-every-key.conf");

fn settings(
    text: &str,
    flavor: DaemonFlavor,
    privileged: bool,
) -> Result<DaemonSettings, ConfError> {
    let conf = Conf::parse(text, FILE)?;
    DaemonSettings::from_conf(&conf, flavor, privileged)
}

fn error(text: &str, flavor: DaemonFlavor) -> String {
    match settings(text, flavor, true) {
        Ok(s) => panic!("expected an error, got {s:?}"),
        Err(e) => e.to_string(),
    }
}

// ---- defaults ----------------------------------------------------------

#[test]
fn libvirtd_system_defaults_are_libvirts_code_defaults() {
    let s = DaemonSettings::defaults(DaemonFlavor::Libvirtd, true);
    assert!(s.listen_tls);
    assert!(!s.listen_tcp);
    assert_eq!(s.tls_port, "16514");
    assert_eq!(s.tcp_port, "16509");
    assert_eq!(s.listen_addr, None);
    assert_eq!(s.unix_sock_group, None);
    assert_eq!(s.unix_sock_ro_perms, 0o777);
    assert_eq!(s.unix_sock_rw_perms, 0o777);
    assert_eq!(s.unix_sock_admin_perms, 0o700);
    assert_eq!(s.unix_sock_dir, None);
    assert_eq!(s.auth_unix_ro, AuthScheme::Polkit);
    assert_eq!(s.auth_unix_rw, AuthScheme::Polkit);
    assert_eq!(s.auth_tcp, AuthScheme::Sasl);
    assert_eq!(s.auth_tls, AuthScheme::None);
    assert_eq!(s.tcp_min_ssf, 56);
    assert_eq!(s.access_drivers, vec!["none".to_owned()]);
    assert_eq!(s.key_file, None);
    assert_eq!(s.cert_file, None);
    assert_eq!(s.ca_file, None);
    assert_eq!(s.crl_file, None);
    assert!(!s.tls_no_sanity_certificate);
    assert!(!s.tls_no_verify_certificate);
    assert_eq!(s.tls_allowed_dn_list, None);
    assert_eq!(s.tls_priority, "NORMAL");
    assert_eq!(s.sasl_allowed_username_list, None);
    assert_eq!(s.max_clients, 5000);
    assert_eq!(s.max_queued_clients, 1000);
    assert_eq!(s.max_anonymous_clients, 20);
    assert_eq!(s.min_workers, 5);
    assert_eq!(s.max_workers, 20);
    assert_eq!(s.prio_workers, 5);
    assert_eq!(s.max_client_requests, 5);
    assert_eq!(s.log_level, None);
    assert!(s.log_filters.is_empty());
    assert!(s.log_outputs.is_empty());
    assert_eq!(s.audit_level, 1);
    assert!(!s.audit_logging);
    assert_eq!(s.host_uuid, None);
    assert_eq!(s.host_uuid_source, HostUuidSource::Smbios);
    assert_eq!(s.keepalive_interval, 5);
    assert_eq!(s.keepalive_count, 5);
    assert_eq!(s.ovs_timeout, 5);
}

#[test]
fn admin_server_defaults_follow_the_code_not_the_shipped_comments() {
    let s = DaemonSettings::defaults(DaemonFlavor::Modular, true);
    assert_eq!(
        (
            s.admin_min_workers,
            s.admin_max_workers,
            s.admin_max_clients,
            s.admin_max_queued_clients,
            s.admin_max_client_requests,
        ),
        (5, 20, 5000, 20, 5)
    );
    assert_eq!(
        (s.admin_keepalive_interval, s.admin_keepalive_count),
        (5, 5)
    );
}

#[test]
fn virtproxyd_listens_on_nothing_by_default() {
    let s = DaemonSettings::defaults(DaemonFlavor::Virtproxyd, true);
    assert!(!s.listen_tls);
    assert!(!s.listen_tcp);
}

#[test]
fn session_defaults_use_no_auth_and_private_rw_socket() {
    for flavor in [
        DaemonFlavor::Libvirtd,
        DaemonFlavor::Virtproxyd,
        DaemonFlavor::Modular,
    ] {
        let s = DaemonSettings::defaults(flavor, false);
        assert_eq!(s.auth_unix_ro, AuthScheme::None);
        assert_eq!(s.auth_unix_rw, AuthScheme::None);
        assert_eq!(s.unix_sock_rw_perms, 0o700);
        assert_eq!(s.unix_sock_ro_perms, 0o777);
    }
}

#[test]
fn empty_file_gives_the_defaults() {
    for flavor in [
        DaemonFlavor::Libvirtd,
        DaemonFlavor::Virtproxyd,
        DaemonFlavor::Modular,
    ] {
        for privileged in [true, false] {
            assert_eq!(
                settings("", flavor, privileged).unwrap(),
                DaemonSettings::defaults(flavor, privileged)
            );
        }
    }
}

// ---- every key ---------------------------------------------------------

#[test]
fn every_key_is_read_for_libvirtd() {
    let s = settings(EVERY_KEY, DaemonFlavor::Libvirtd, true).unwrap();
    assert!(!s.listen_tls);
    assert!(s.listen_tcp);
    assert_eq!(s.tls_port, "26514");
    assert_eq!(s.tcp_port, "26509");
    assert_eq!(s.listen_addr.as_deref(), Some("192.0.2.10"));
    assert_eq!(s.unix_sock_group.as_deref(), Some("libvirt"));
    assert_eq!(s.unix_sock_ro_perms, 0o775);
    assert_eq!(s.unix_sock_rw_perms, 0o770);
    assert_eq!(s.unix_sock_admin_perms, 0o750);
    assert_eq!(s.unix_sock_dir, Some(PathBuf::from("/srv/run/libvirt")));
    assert_eq!(s.auth_unix_ro, AuthScheme::None);
    assert_eq!(s.auth_unix_rw, AuthScheme::Sasl);
    assert_eq!(s.auth_tcp, AuthScheme::None);
    assert_eq!(s.auth_tls, AuthScheme::Sasl);
    assert_eq!(s.tcp_min_ssf, 256);
    assert_eq!(s.access_drivers, vec!["polkit".to_owned()]);
    assert_eq!(
        s.key_file,
        Some(PathBuf::from("/etc/pki/oxvirt/private/serverkey.pem"))
    );
    assert_eq!(
        s.cert_file,
        Some(PathBuf::from("/etc/pki/oxvirt/servercert.pem"))
    );
    assert_eq!(s.ca_file, Some(PathBuf::from("/etc/pki/oxvirt/cacert.pem")));
    assert_eq!(s.crl_file, Some(PathBuf::from("/etc/pki/oxvirt/crl.pem")));
    assert!(s.tls_no_sanity_certificate);
    assert!(s.tls_no_verify_certificate);
    assert_eq!(
        s.tls_allowed_dn_list,
        Some(vec![
            "C=GB,ST=London,L=London,O=Example,CN=*".to_owned(),
            "DC=org,DC=example,CN=admin".to_owned(),
        ])
    );
    assert_eq!(s.tls_priority, "NORMAL:-VERS-TLS1.0");
    assert_eq!(
        s.sasl_allowed_username_list,
        Some(vec![
            "joe@EXAMPLE.COM".to_owned(),
            "fred@EXAMPLE.COM".to_owned()
        ])
    );
    assert_eq!(
        (s.max_clients, s.max_queued_clients, s.max_anonymous_clients),
        (1000, 50, 10)
    );
    assert_eq!(
        (
            s.min_workers,
            s.max_workers,
            s.prio_workers,
            s.max_client_requests
        ),
        (2, 40, 3, 8)
    );
    assert_eq!(
        (
            s.admin_min_workers,
            s.admin_max_workers,
            s.admin_max_clients,
            s.admin_max_queued_clients,
            s.admin_max_client_requests,
        ),
        (1, 5, 5, 5, 2)
    );
    assert_eq!(s.log_level, Some(2));
    assert_eq!(s.log_filters.len(), 6);
    assert_eq!(
        s.log_filters[0],
        LogFilter {
            level: 1,
            pattern: "qemu".into()
        }
    );
    assert_eq!(
        s.log_outputs,
        vec![
            LogOutput {
                level: 1,
                dest: LogDest::File("/var/log/libvirt/libvirtd.log".into())
            },
            LogOutput {
                level: 3,
                dest: LogDest::Syslog("libvirtd".into())
            },
        ]
    );
    assert_eq!(s.audit_level, 2);
    assert!(s.audit_logging);
    assert_eq!(
        s.host_uuid.map(|u| u.to_string()).as_deref(),
        Some("00000000-0000-0000-0000-000000000001")
    );
    assert_eq!(s.host_uuid_source, HostUuidSource::MachineId);
    assert_eq!((s.keepalive_interval, s.keepalive_count), (-1, 0));
    assert_eq!(
        (s.admin_keepalive_interval, s.admin_keepalive_count),
        (10, 3)
    );
    assert_eq!(s.ovs_timeout, 30);

    let log = s.log_settings();
    assert_eq!(log.level, Some(2));
    assert_eq!(log.outputs, s.log_outputs);
}

#[test]
fn modular_daemon_skips_ip_keys_and_reads_the_rest() {
    let s = settings(EVERY_KEY, DaemonFlavor::Modular, true).unwrap();
    let d = DaemonSettings::defaults(DaemonFlavor::Modular, true);
    assert_eq!(s.listen_tcp, d.listen_tcp);
    assert_eq!(s.tls_port, d.tls_port);
    assert_eq!(s.listen_addr, None);
    assert_eq!(s.auth_tcp, d.auth_tcp);
    assert_eq!(s.auth_tls, d.auth_tls);
    assert_eq!(s.tcp_min_ssf, d.tcp_min_ssf);
    assert_eq!(s.key_file, None);
    assert_eq!(s.tls_allowed_dn_list, None);
    assert_eq!(s.tls_priority, d.tls_priority);
    assert!(!s.tls_no_verify_certificate);
    // Non-IP keys are read as for libvirtd.
    assert_eq!(s.auth_unix_rw, AuthScheme::Sasl);
    assert_eq!(s.max_workers, 40);
    assert_eq!(s.ovs_timeout, 30);
}

#[test]
fn modular_daemon_ignores_badly_typed_ip_keys() {
    let text = "tls_port = 16514\nlisten_tcp = \"yes\"\ntcp_min_ssf = 1\nauth_tcp = \"kerberos\"\n";
    assert!(settings(text, DaemonFlavor::Modular, true).is_ok());
    assert_eq!(
        error(text, DaemonFlavor::Libvirtd),
        "/etc/libvirt/libvirtd.conf:2: expected a bool for 'listen_tcp' parameter"
    );
}

// ---- quirks ------------------------------------------------------------

#[test]
fn unquoted_port_fails_naming_file_line_and_key() {
    assert_eq!(
        error(
            "listen_tls = 1\n\ntls_port = 16514\n",
            DaemonFlavor::Libvirtd
        ),
        "/etc/libvirt/libvirtd.conf:3: expected a string for 'tls_port' parameter"
    );
}

#[test]
fn auth_unix_rw_none_alone_keeps_the_socket_world_writable() {
    let s = settings("auth_unix_rw = \"none\"\n", DaemonFlavor::Libvirtd, true).unwrap();
    assert_eq!(s.auth_unix_rw, AuthScheme::None);
    assert_eq!(s.unix_sock_rw_perms, 0o777);
}

#[test]
fn polkit_in_session_mode_widens_the_rw_socket() {
    let s = settings("auth_unix_rw = \"polkit\"\n", DaemonFlavor::Modular, false).unwrap();
    assert_eq!(s.unix_sock_rw_perms, 0o777);
}

#[test]
fn explicit_rw_perms_beat_the_polkit_widening() {
    let text = "unix_sock_rw_perms = \"0770\"\nauth_unix_rw = \"polkit\"\n";
    let s = settings(text, DaemonFlavor::Libvirtd, false).unwrap();
    assert_eq!(s.unix_sock_rw_perms, 0o770);
}

#[test]
fn empty_access_driver_list_means_none() {
    let s = settings("access_drivers = []\n", DaemonFlavor::Modular, true).unwrap();
    assert_eq!(s.access_drivers, vec!["none".to_owned()]);
}

#[test]
fn empty_allow_lists_are_kept_as_deny_all() {
    let text = "tls_allowed_dn_list = []\nsasl_allowed_username_list = []\n";
    let s = settings(text, DaemonFlavor::Libvirtd, true).unwrap();
    assert_eq!(s.tls_allowed_dn_list, Some(vec![]));
    assert_eq!(s.sasl_allowed_username_list, Some(vec![]));
}

#[test]
fn access_drivers_as_bare_string_is_refused() {
    assert_eq!(
        error("access_drivers = \"polkit\"\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: expected a string list for 'access_drivers' parameter"
    );
}

#[test]
fn first_duplicate_setting_wins() {
    let s = settings(
        "max_clients = 7\nmax_clients = 9\n",
        DaemonFlavor::Modular,
        true,
    )
    .unwrap();
    assert_eq!(s.max_clients, 7);
}

#[test]
fn log_level_zero_means_unset() {
    let s = settings("log_level = 0\n", DaemonFlavor::Modular, true).unwrap();
    assert_eq!(s.log_level, None);
}

#[test]
fn host_uuid_source_is_not_checked_when_host_uuid_is_set() {
    let text =
        "host_uuid = \"6695eb01-f6a4-8304-79aa-97f2502e193f\"\nhost_uuid_source = \"bogus\"\n";
    let s = settings(text, DaemonFlavor::Modular, true).unwrap();
    assert!(s.host_uuid.is_some());
    assert_eq!(s.host_uuid_source, HostUuidSource::Smbios);
}

// ---- validation --------------------------------------------------------

#[test]
fn max_workers_zero_fails() {
    assert_eq!(
        error("min_workers = 0\nmax_workers = 0\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:2: 'max_workers' must be greater than 0"
    );
}

#[test]
fn unknown_auth_fails() {
    let err = settings("auth_unix_ro = \"kerberos\"\n", DaemonFlavor::Modular, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/etc/libvirt/libvirtd.conf:1: auth_unix_ro: unsupported auth kerberos"
    );
    assert_eq!(err.key(), Some("auth_unix_ro"));
    assert_eq!(err.code(), oxvirt_core::ErrorCode::CONFIG_UNSUPPORTED);
}

#[test]
fn auth_is_case_sensitive() {
    assert!(settings("auth_tls = \"None\"\n", DaemonFlavor::Libvirtd, true).is_err());
}

#[test]
fn low_tcp_min_ssf_fails_only_when_explicit() {
    assert_eq!(
        error("tcp_min_ssf = 56\n", DaemonFlavor::Libvirtd),
        "/etc/libvirt/libvirtd.conf:1: tcp_min_ssf: minimum SSF levels lower than 112 are not supported"
    );
    let s = settings("tcp_min_ssf = 112\n", DaemonFlavor::Virtproxyd, true).unwrap();
    assert_eq!(s.tcp_min_ssf, 112);
}

#[test]
fn bad_host_uuid_source_fails() {
    assert_eq!(
        error("host_uuid_source = \"dmi\"\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: host_uuid_source: invalid UUID source: dmi, expected 'smbios' or 'machine-id'"
    );
}

#[test]
fn bad_or_degenerate_host_uuid_fails() {
    assert_eq!(
        error("host_uuid = \"not-a-uuid\"\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: host_uuid: invalid host UUID: not-a-uuid"
    );
    assert!(settings(
        "host_uuid = \"11111111-1111-1111-1111-111111111111\"\n",
        DaemonFlavor::Modular,
        true
    )
    .is_err());
}

#[test]
fn log_level_outside_one_to_four_fails() {
    assert_eq!(
        error("log_level = 5\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: log_level: invalid logging priority 5, expected 1 (debug) to 4 (error)"
    );
    assert_eq!(
        error("log_level = -1\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: expected an unsigned integer for 'log_level' parameter"
    );
}

#[test]
fn bad_log_filters_and_outputs_fail_naming_the_key() {
    assert_eq!(
        error("\nlog_filters = \"1:qemu 7:util\"\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:2: log_filters: Invalid priority '7' for filter '7:util'"
    );
    assert_eq!(
        error("log_outputs = \"1:tty\"\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: log_outputs: Invalid log destination 'tty' for log output '1:tty'"
    );
}

#[test]
fn bad_octal_perms_fail_naming_the_key() {
    assert_eq!(
        error("unix_sock_ro_perms = \"0779\"\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: unix_sock_ro_perms: failed to parse mode '0779'"
    );
    assert_eq!(
        error("unix_sock_admin_perms = 700\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: expected a string for 'unix_sock_admin_perms' parameter"
    );
}

#[test]
fn bools_must_be_zero_or_one() {
    assert_eq!(
        error("audit_logging = 2\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: value for 'audit_logging' parameter must be 0 or 1"
    );
}

#[test]
fn negative_keepalive_interval_is_fine_but_negative_count_is_not() {
    let s = settings("keepalive_interval = -1\n", DaemonFlavor::Modular, true).unwrap();
    assert_eq!(s.keepalive_interval, -1);
    assert_eq!(
        error("keepalive_count = -1\n", DaemonFlavor::Modular),
        "/etc/libvirt/libvirtd.conf:1: expected an unsigned integer for 'keepalive_count' parameter"
    );
}

#[test]
fn errors_come_in_libvirts_order() {
    // tls_port is read before max_clients, so its error is the one reported.
    let text = "max_clients = -1\ntls_port = 1\n";
    assert!(error(text, DaemonFlavor::Libvirtd).contains("'tls_port'"));
    assert!(error(text, DaemonFlavor::Modular).contains("'max_clients'"));
}

// ---- TLS files ---------------------------------------------------------

#[test]
fn tls_files_default_when_none_is_set() {
    let s = DaemonSettings::defaults(DaemonFlavor::Libvirtd, true);
    assert_eq!(s.explicit_tls_files().unwrap(), None);
    assert_eq!(
        TlsFiles::system_default().key_file,
        PathBuf::from("/etc/pki/libvirt/private/serverkey.pem")
    );
}

#[test]
fn explicit_tls_files_need_all_three() {
    let s = settings(EVERY_KEY, DaemonFlavor::Libvirtd, true).unwrap();
    let files = s.explicit_tls_files().unwrap().unwrap();
    assert_eq!(
        files.crl_file,
        Some(PathBuf::from("/etc/pki/oxvirt/crl.pem"))
    );

    let s = settings(
        "cert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n",
        DaemonFlavor::Libvirtd,
        true,
    )
    .unwrap();
    assert_eq!(
        s.explicit_tls_files().unwrap_err().to_string(),
        "No CA certificate path set to match server key/cert"
    );
    let s = settings("ca_file = \"/ca.pem\"\n", DaemonFlavor::Libvirtd, true).unwrap();
    assert_eq!(s.explicit_tls_files(), Err(TlsFilesError::NoCertFile));
    let s = settings(
        "ca_file = \"/ca.pem\"\ncert_file = \"/c.pem\"\n",
        DaemonFlavor::Libvirtd,
        true,
    )
    .unwrap();
    assert_eq!(s.explicit_tls_files(), Err(TlsFilesError::NoKeyFile));
}

#[test]
fn socket_activation_overrides_the_socket_keys() {
    assert!(IGNORED_WHEN_ACTIVATED.contains(&"unix_sock_dir"));
    assert!(!IGNORED_WHEN_ACTIVATED.contains(&"auth_unix_rw"));
}
