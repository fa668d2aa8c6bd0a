//! Where a daemon keeps its files: libvirt's layout for system (root) and
//! session (other users) mode, relocated under `--root` when given.

use std::path::{Path, PathBuf};

/// A host path relocated under an optional root directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Root(pub Option<PathBuf>);

impl Root {
    /// `path` (absolute) as seen under this root.
    pub fn join(&self, path: impl AsRef<Path>) -> PathBuf {
        let path = path.as_ref();
        match &self.0 {
            None => path.to_path_buf(),
            Some(r) => r.join(path.strip_prefix("/").unwrap_or(path)),
        }
    }
}

/// The XDG directories of a session daemon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xdg {
    pub runtime_dir: PathBuf,
    pub config_home: PathBuf,
    pub cache_home: PathBuf,
}

impl Xdg {
    /// Reads `$XDG_*`, falling back as glib does (`~/.config`, `~/.cache`; the
    /// runtime dir falls back to the cache dir).
    pub fn from_env() -> Xdg {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/"));
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let cache_home = var("XDG_CACHE_HOME").unwrap_or_else(|| home.join(".cache"));
        Xdg {
            runtime_dir: var("XDG_RUNTIME_DIR").unwrap_or_else(|| cache_home.clone()),
            config_home: var("XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config")),
            cache_home,
        }
    }
}

/// Every path a daemon uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonPaths {
    pub privileged: bool,
    pub root: Root,
    /// `/etc/libvirt/<daemon>.conf` or `$XDG_CONFIG_HOME/libvirt/<daemon>.conf`.
    pub config_file: PathBuf,
    /// `/etc/libvirt` or `$XDG_CONFIG_HOME/libvirt`.
    pub config_dir: PathBuf,
    /// `/run/libvirt` or `$XDG_RUNTIME_DIR/libvirt`.
    pub run_dir: PathBuf,
    pub pid_file: PathBuf,
    pub sock_rw: PathBuf,
    /// System mode only.
    pub sock_ro: Option<PathBuf>,
    /// Absent in session mode when `unix_sock_dir` is set (libvirt's quirk).
    pub sock_admin: Option<PathBuf>,
    /// `/var/log/libvirt` or `$XDG_CACHE_HOME/libvirt`.
    pub log_dir: PathBuf,
    /// `/var/lib/libvirt`.
    pub state_dir: PathBuf,
    /// `/var/cache/libvirt`.
    pub cache_dir: PathBuf,
}

impl DaemonPaths {
    /// Computes the paths of daemon `name` whose sockets are named after
    /// `sock_prefix`; `unix_sock_dir` comes from the config file.
    pub fn new(
        name: &str,
        sock_prefix: &str,
        privileged: bool,
        root: Root,
        xdg: &Xdg,
        unix_sock_dir: Option<&Path>,
    ) -> DaemonPaths {
        if privileged {
            let run_dir = root.join("/run/libvirt");
            let sock_dir = unix_sock_dir
                .map(|d| root.join(d))
                .unwrap_or_else(|| run_dir.clone());
            DaemonPaths {
                privileged,
                config_file: root.join(format!("/etc/libvirt/{name}.conf")),
                config_dir: root.join("/etc/libvirt"),
                pid_file: root.join(format!("/run/{name}.pid")),
                sock_rw: sock_dir.join(format!("{sock_prefix}-sock")),
                sock_ro: Some(sock_dir.join(format!("{sock_prefix}-sock-ro"))),
                sock_admin: Some(sock_dir.join(format!(
                    "{name_or_prefix}-admin-sock",
                    name_or_prefix = admin_prefix(name, sock_prefix)
                ))),
                log_dir: root.join("/var/log/libvirt"),
                state_dir: root.join("/var/lib/libvirt"),
                cache_dir: root.join("/var/cache/libvirt"),
                run_dir,
                root,
            }
        } else {
            let run_dir = root.join(xdg.runtime_dir.join("libvirt"));
            let config_dir = root.join(xdg.config_home.join("libvirt"));
            let sock_dir = unix_sock_dir
                .map(|d| root.join(d))
                .unwrap_or_else(|| run_dir.clone());
            DaemonPaths {
                privileged,
                config_file: config_dir.join(format!("{name}.conf")),
                pid_file: run_dir.join(format!("{name}.pid")),
                sock_rw: sock_dir.join(format!("{sock_prefix}-sock")),
                sock_ro: None,
                sock_admin: if unix_sock_dir.is_some() {
                    None
                } else {
                    Some(sock_dir.join(format!("{}-admin-sock", admin_prefix(name, sock_prefix))))
                },
                log_dir: root.join(xdg.cache_home.join("libvirt")),
                state_dir: config_dir.clone(),
                cache_dir: root.join(xdg.cache_home.join("libvirt")),
                config_dir,
                run_dir,
                root,
            }
        }
    }
}

/// virtproxyd shares libvirtd's socket names but keeps its own admin socket.
fn admin_prefix<'a>(name: &'a str, sock_prefix: &'a str) -> &'a str {
    if name == "virtproxyd" {
        name
    } else {
        sock_prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xdg() -> Xdg {
        Xdg {
            runtime_dir: "/run/user/1000".into(),
            config_home: "/home/u/.config".into(),
            cache_home: "/home/u/.cache".into(),
        }
    }

    #[test]
    fn system_paths_under_root() {
        let p = DaemonPaths::new(
            "libvirtd",
            "libvirt",
            true,
            Root(Some("/tmp/r".into())),
            &xdg(),
            None,
        );
        assert_eq!(p.sock_rw, PathBuf::from("/tmp/r/run/libvirt/libvirt-sock"));
        assert_eq!(
            p.sock_ro,
            Some(PathBuf::from("/tmp/r/run/libvirt/libvirt-sock-ro"))
        );
        assert_eq!(
            p.sock_admin,
            Some(PathBuf::from("/tmp/r/run/libvirt/libvirt-admin-sock"))
        );
        assert_eq!(p.pid_file, PathBuf::from("/tmp/r/run/libvirtd.pid"));
        assert_eq!(
            p.config_file,
            PathBuf::from("/tmp/r/etc/libvirt/libvirtd.conf")
        );
    }

    #[test]
    fn modular_and_proxy_socket_names() {
        let q = DaemonPaths::new("virtqemud", "virtqemud", true, Root(None), &xdg(), None);
        assert_eq!(q.sock_rw, PathBuf::from("/run/libvirt/virtqemud-sock"));
        let p = DaemonPaths::new("virtproxyd", "libvirt", true, Root(None), &xdg(), None);
        assert_eq!(p.sock_rw, PathBuf::from("/run/libvirt/libvirt-sock"));
        assert_eq!(
            p.sock_admin,
            Some(PathBuf::from("/run/libvirt/virtproxyd-admin-sock"))
        );
        assert_eq!(p.pid_file, PathBuf::from("/run/virtproxyd.pid"));
    }

    #[test]
    fn session_has_no_ro_socket() {
        let p = DaemonPaths::new("virtqemud", "virtqemud", false, Root(None), &xdg(), None);
        assert_eq!(
            p.sock_rw,
            PathBuf::from("/run/user/1000/libvirt/virtqemud-sock")
        );
        assert_eq!(p.sock_ro, None);
        assert_eq!(
            p.pid_file,
            PathBuf::from("/run/user/1000/libvirt/virtqemud.pid")
        );
        let p = DaemonPaths::new(
            "virtqemud",
            "virtqemud",
            false,
            Root(None),
            &xdg(),
            Some(Path::new("/tmp/s")),
        );
        assert_eq!(p.sock_admin, None);
    }
}
