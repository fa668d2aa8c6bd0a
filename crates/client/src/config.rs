//! The client configuration libvirt reads: `libvirt.conf` (`uri_default`,
//! `uri_aliases`, `remote_mode`) and the per-user directories.
//!
//! root reads `/etc/libvirt/libvirt.conf`, other users
//! `$XDG_CONFIG_HOME/libvirt/libvirt.conf` (default `~/.config`). A missing
//! file is an empty configuration.

use oxvirt_conffile::Conf;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use std::path::PathBuf;

/// The settings of `libvirt.conf` the client uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientConfig {
    /// `uri_default`: the URI used when none is given.
    pub uri_default: Option<String>,
    /// `uri_aliases`: `alias=uri` entries.
    pub uri_aliases: Vec<String>,
    /// `remote_mode`: `auto`, `legacy` or `direct`.
    pub remote_mode: Option<String>,
}

/// Whether this process runs as root (which selects system paths).
pub fn is_privileged() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `$HOME`, else `/`.
pub fn home_dir() -> PathBuf {
    env_dir("HOME").unwrap_or_else(|| PathBuf::from("/"))
}

/// glib's user cache directory: `$XDG_CACHE_HOME`, else `~/.cache`.
pub fn user_cache_dir() -> PathBuf {
    env_dir("XDG_CACHE_HOME").unwrap_or_else(|| home_dir().join(".cache"))
}

/// glib's user config directory: `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn user_config_dir() -> PathBuf {
    env_dir("XDG_CONFIG_HOME").unwrap_or_else(|| home_dir().join(".config"))
}

/// libvirt's per-user runtime directory: `$XDG_RUNTIME_DIR/libvirt`, falling
/// back to the cache directory as glib does.
pub fn user_runtime_dir() -> PathBuf {
    env_dir("XDG_RUNTIME_DIR")
        .unwrap_or_else(user_cache_dir)
        .join("libvirt")
}

/// The path of the client configuration file for this user.
pub fn config_path() -> PathBuf {
    if is_privileged() {
        PathBuf::from("/etc/libvirt/libvirt.conf")
    } else {
        user_config_dir().join("libvirt/libvirt.conf")
    }
}

fn conf_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorDomain::CONF, ErrorCode::CONF_SYNTAX, e.to_string())
}

impl ClientConfig {
    /// Reads the user's configuration file.
    pub fn load() -> Result<ClientConfig> {
        let path = config_path();
        if !path.exists() {
            return Ok(ClientConfig::default());
        }
        let conf = Conf::read_file(&path).map_err(conf_error)?;
        Self::from_conf(&conf)
    }

    /// Extracts the client settings from a parsed file.
    pub fn from_conf(conf: &Conf) -> Result<ClientConfig> {
        Ok(ClientConfig {
            uri_default: conf.get_string("uri_default").map_err(conf_error)?,
            uri_aliases: conf
                .get_string_list("uri_aliases")
                .map_err(conf_error)?
                .unwrap_or_default(),
            remote_mode: conf.get_string("remote_mode").map_err(conf_error)?,
        })
    }

    /// The URI used when the caller gives none: `$LIBVIRT_DEFAULT_URI`, else
    /// `uri_default`.
    pub fn default_uri(&self) -> Option<String> {
        std::env::var("LIBVIRT_DEFAULT_URI")
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| self.uri_default.clone())
    }

    /// Resolves `name` through `uri_aliases`, checking every entry as
    /// libvirt does.
    pub fn resolve_alias(&self, name: &str) -> Result<Option<String>> {
        for entry in &self.uri_aliases {
            let Some(eq) = entry.find('=') else {
                return Err(Error::new(
                    ErrorDomain::URI,
                    ErrorCode::CONF_SYNTAX,
                    format!("Malformed 'uri_aliases' config entry '{entry}', expected 'alias=uri://host/path'"),
                ));
            };
            let alias = &entry[..eq];
            if !alias
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            {
                return Err(Error::new(
                    ErrorDomain::URI,
                    ErrorCode::CONF_SYNTAX,
                    format!("Malformed 'uri_aliases' config entry '{entry}', aliases may only contain 'a-Z, 0-9, _, -'"),
                ));
            }
            if alias == name {
                return Ok(Some(entry[eq + 1..].to_owned()));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_exactly() {
        let conf = Conf::parse(
            "uri_aliases = [\"hail=qemu+ssh://root@hail/system\", \"sleet=qemu:///system\"]\nremote_mode = \"direct\"\n",
            "libvirt.conf",
        )
        .unwrap();
        let c = ClientConfig::from_conf(&conf).unwrap();
        assert_eq!(
            c.resolve_alias("sleet").unwrap().as_deref(),
            Some("qemu:///system")
        );
        assert_eq!(c.resolve_alias("sle").unwrap(), None);
        assert_eq!(c.remote_mode.as_deref(), Some("direct"));
    }

    #[test]
    fn malformed_alias_is_reported() {
        let c = ClientConfig {
            uri_aliases: vec!["bad alias=x".into()],
            ..Default::default()
        };
        assert!(c.resolve_alias("x").is_err());
    }
}
