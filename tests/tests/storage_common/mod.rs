//! Helpers of the storage tests: storage URIs, loop devices and scratch
//! directories made by the test and torn down when dropped, checksums.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oxvirt_tests::{run, Daemon};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The storage URI of a daemon (virtstoraged's own socket, or libvirtd's).
pub fn storage_uri(d: &Daemon) -> String {
    format!("storage+unix:///system?socket={}", d.sock().display())
}

/// The storage URI through the read-only socket.
pub fn storage_uri_ro(d: &Daemon) -> String {
    format!("storage+unix:///system?socket={}", d.sock_ro().display())
}

/// A scratch directory under the temp dir, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        Scratch(oxvirt_tests::temp_root(tag))
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    pub fn str(&self, rel: &str) -> String {
        self.path(rel).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Anything still mounted below is unmounted first (a failed test).
        let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
        for l in mounts.lines() {
            if let Some(t) = l.split(' ').nth(1) {
                if t.starts_with(&*self.0.to_string_lossy()) {
                    let _ = Command::new("umount").arg(t).status();
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A loop device over a sparse image file, detached when dropped.
pub struct LoopDev {
    pub dev: String,
    pub image: PathBuf,
}

impl LoopDev {
    /// Attaches a new image of `size` bytes (with partition scanning).
    /// `Err` says why loop devices cannot be had here.
    pub fn new(dir: &Path, name: &str, size: u64) -> Result<LoopDev, String> {
        let image = dir.join(name);
        let f = std::fs::File::create(&image).map_err(|e| e.to_string())?;
        f.set_len(size).map_err(|e| e.to_string())?;
        drop(f);
        let out = Command::new("losetup")
            .args(["-f", "--show", "-P"])
            .arg(&image)
            .output()
            .map_err(|e| format!("cannot run losetup: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "losetup failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let dev = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        Ok(LoopDev { dev, image })
    }

    /// The device's base name (`loop3`).
    pub fn base(&self) -> String {
        self.dev.trim_start_matches("/dev/").to_owned()
    }
}

impl Drop for LoopDev {
    fn drop(&mut self) {
        let _ = Command::new("losetup").args(["-d", &self.dev]).status();
    }
}

/// A loop device, or `None` after printing why the test is skipped.
pub fn loop_dev_or_skip(dir: &Path, name: &str, size: u64, test: &str) -> Option<LoopDev> {
    match LoopDev::new(dir, name, size) {
        Ok(l) => Some(l),
        Err(why) => {
            eprintln!("SKIPPED {test}: loop devices cannot be created here ({why})");
            None
        }
    }
}

/// SHA-256 of a file, by coreutils.
pub fn sha256(path: &Path) -> String {
    let out = run(Command::new("sha256sum").arg(path), Duration::from_secs(60));
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Bytes a file really occupies.
pub fn allocated(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().blocks() * 512
}

/// Writes a sparse test image: `size` bytes, data only at a few places.
pub fn sparse_image(path: &Path, size: u64) {
    use std::os::unix::fs::FileExt;
    let f = std::fs::File::create(path).unwrap();
    f.set_len(size).unwrap();
    let mut block = vec![0u8; 256 * 1024];
    for (i, b) in block.iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8 + 1;
    }
    f.write_all_at(b"start of the image", 0).unwrap();
    f.write_all_at(&block, size / 3).unwrap();
    f.write_all_at(b"tail", size - 4096).unwrap();
}

/// Lines of `virsh`'s stdout, trimmed, without empties.
pub fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}
