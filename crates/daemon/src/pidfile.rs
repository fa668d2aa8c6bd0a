//! The pid file: a `fcntl` write lock that keeps a second copy of a daemon from
//! starting, with the pid written without a newline, as libvirt does.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A held pid file; removed when dropped.
#[derive(Debug)]
pub struct PidFile {
    path: PathBuf,
    _file: File,
}

/// Takes a non-blocking write lock on byte 0 of `file`.
pub fn lock_file(file: &File) -> std::io::Result<()> {
    // SAFETY: flock is plain data; zeroed then filled is a valid lock request.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as _;
    fl.l_whence = libc::SEEK_SET as _;
    fl.l_start = 0;
    fl.l_len = 1;
    // SAFETY: the descriptor is open for the duration of the call and `fl` is valid.
    let r = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &fl) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

impl PidFile {
    /// Creates and locks `path`, then writes our pid. Fails if another process
    /// holds it.
    pub fn acquire(path: &Path) -> std::io::Result<PidFile> {
        loop {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o644)
                .custom_flags(libc::O_CLOEXEC)
                .open(path)?;
            lock_file(&file)?;
            // The holder may have unlinked the file between our open and lock:
            // then our lock is on a dead inode; retry.
            let ours = file.metadata()?;
            match std::fs::metadata(path) {
                Ok(m) if m.ino() == ours.ino() && m.dev() == ours.dev() => {}
                _ => continue,
            }
            file.set_len(0)?;
            write!(file, "{}", std::process::id())?;
            return Ok(PidFile {
                path: path.to_path_buf(),
                _file: file,
            });
        }
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
