//! The driver's files, in libvirt's layout and written atomically:
//!
//! - `CONFIG/storage/NAME.xml`: a persistent pool's definition (0600);
//! - `CONFIG/storage/autostart/NAME.xml`: an absolute symlink to it;
//! - `RUN/storage/NAME.xml`: an active pool's live definition in
//!   `<poolstate>` (0600), which is how a restarted daemon knows the pool is
//!   up;
//! - `RUN/storage/autostarted`: autostart already ran since boot.
//!
//! Every write goes to a temp file in the same directory, is fsynced and
//! renamed over the target, and the directory is fsynced: a crash at any
//! point leaves the old file or the new one, never half of either.

use crate::errors;
use oxvirt_core::Result;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Where the driver keeps its files.
#[derive(Debug, Clone)]
pub struct StoragePaths {
    /// `/etc/libvirt/storage` (or the session's config dir).
    pub config_dir: PathBuf,
    /// `/etc/libvirt/storage/autostart`.
    pub autostart_dir: PathBuf,
    /// `/run/libvirt/storage`.
    pub state_dir: PathBuf,
}

impl StoragePaths {
    /// The layout under a daemon's config and run directories.
    pub fn new(config_dir: &Path, run_dir: &Path) -> StoragePaths {
        let config_dir = config_dir.join("storage");
        StoragePaths {
            autostart_dir: config_dir.join("autostart"),
            config_dir,
            state_dir: run_dir.join("storage"),
        }
    }

    pub fn config_file(&self, name: &str) -> PathBuf {
        self.config_dir.join(format!("{name}.xml"))
    }

    pub fn autostart_link(&self, name: &str) -> PathBuf {
        self.autostart_dir.join(format!("{name}.xml"))
    }

    pub fn state_file(&self, name: &str) -> PathBuf {
        self.state_dir.join(format!("{name}.xml"))
    }

    /// Creates the directories (0700 for the run dir, 0755 else, as libvirt).
    pub fn create_dirs(&self) -> std::io::Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(&self.autostart_dir)?;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(&self.state_dir)?;
        Ok(())
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

fn temp_name(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp{}.{n}", std::process::id()))
}

/// Writes `data` to `path` (mode 0600) atomically.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let tmp = temp_name(path);
    let res = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            sync_dir(dir)?;
        }
        Ok(())
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        errors::system(format!("cannot write config file '{}'", path.display()), &e)
    })
}

/// Points the symlink `link` at `target` atomically.
pub fn symlink_atomic(target: &Path, link: &Path) -> Result<()> {
    let tmp = temp_name(link);
    let res = (|| -> std::io::Result<()> {
        std::os::unix::fs::symlink(target, &tmp)?;
        std::fs::rename(&tmp, link)?;
        if let Some(dir) = link.parent() {
            sync_dir(dir)?;
        }
        Ok(())
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        errors::system(
            format!(
                "Failed to create symlink '{}' to '{}'",
                link.display(),
                target.display()
            ),
            &e,
        )
    })
}

/// Removes `path`; a missing file is fine.
pub fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            if let Some(dir) = path.parent() {
                let _ = sync_dir(dir);
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(errors::system(
            format!("cannot remove config file '{}'", path.display()),
            &e,
        )),
    }
}

/// The `*.xml` files directly in `dir`, sorted, with their contents. Temp
/// files from an interrupted write (dot-files) are removed.
pub fn read_xml_dir(dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ent in rd.flatten() {
        let path = ent.path();
        let name = ent.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp") {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        if !name.ends_with(".xml") || !ent.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push((path, text)),
            Err(e) => log::warn!("cannot read {}: {e}", path.display()),
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("oxvirt-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let d = tmpdir("w");
        let p = d.join("a.xml");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn leftover_temp_files_are_swept() {
        let d = tmpdir("sweep");
        std::fs::write(d.join(".a.xml.tmp1.0"), "half").unwrap();
        std::fs::write(d.join("a.xml"), "<pool/>").unwrap();
        let got = read_xml_dir(&d);
        assert_eq!(got.len(), 1);
        assert!(!d.join(".a.xml.tmp1.0").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn symlink_is_replaced_atomically() {
        let d = tmpdir("l");
        let l = d.join("x.xml");
        symlink_atomic(Path::new("/a"), &l).unwrap();
        symlink_atomic(Path::new("/b"), &l).unwrap();
        assert_eq!(std::fs::read_link(&l).unwrap(), PathBuf::from("/b"));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
