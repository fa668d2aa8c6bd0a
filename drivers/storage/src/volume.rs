//! Volumes as the driver tracks them, and the file operations behind them:
//! looking at a file or device (`stat_volume`), creating raw files, copying,
//! resizing and wiping. Everything here blocks; callers run it on the
//! blocking pool.

use crate::errors;
use crate::image;
use oxvirt_conf::storage::volume::{TargetDoc, Timestamps, VolDoc};
use oxvirt_conf::storage::Perms;
use oxvirt_core::Result;
use oxvirt_driver::storage::VolType;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, FileTypeExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;

/// A volume as the driver knows it after the last refresh.
#[derive(Debug, Clone, Default)]
pub struct VolRecord {
    pub name: String,
    pub key: String,
    pub path: String,
    pub kind: Option<VolType>,
    pub capacity: u64,
    pub allocation: u64,
    pub physical: u64,
    /// `None` for pool types whose volumes have no format (logical).
    pub format: Option<String>,
    pub perms: Perms,
    pub timestamps: Option<Timestamps>,
    pub compat: Option<String>,
    pub cluster_size: Option<u64>,
    pub features: Option<Vec<String>>,
    /// Backing file and its format.
    pub backing: Option<(String, Option<String>)>,
    /// `(device, start, end)`.
    pub extents: Vec<(String, u64, u64)>,
    /// Open upload/download streams.
    pub in_use: u32,
    /// Being created.
    pub building: bool,
}

impl VolRecord {
    pub fn kind(&self) -> VolType {
        self.kind.unwrap_or(VolType::File)
    }

    /// The XML document of this volume; the backing file is looked at now.
    pub fn doc(&self) -> VolDoc {
        let backing = self.backing.as_ref().map(|(path, format)| {
            let mut t = TargetDoc {
                path: path.clone(),
                format: format.clone(),
                ..TargetDoc::default()
            };
            if let Ok(m) = std::fs::metadata(path) {
                t.perms = perms_of(&m);
                t.timestamps = Some(timestamps_of(&m));
            }
            t
        });
        VolDoc {
            vol_type: self.kind().as_str().to_owned(),
            name: self.name.clone(),
            key: self.key.clone(),
            extents: self.extents.clone(),
            capacity: self.capacity,
            allocation: self.allocation,
            physical: self.physical,
            target: TargetDoc {
                path: self.path.clone(),
                format: self.format.clone(),
                perms: self.perms.clone(),
                timestamps: self.timestamps,
                encryption: None,
                compat: self.compat.clone(),
                cluster_size: self.cluster_size,
                features: self.features.clone(),
            },
            backing,
        }
    }
}

/// Mode, owner and group of a file.
pub fn perms_of(m: &std::fs::Metadata) -> Perms {
    Perms {
        mode: Some(m.mode() & 0o7777),
        owner: Some(m.uid()),
        group: Some(m.gid()),
        label: None,
    }
}

/// libvirt's `<timestamps>`: birth time is reported as 0.
pub fn timestamps_of(m: &std::fs::Metadata) -> Timestamps {
    Timestamps {
        atime: (m.atime(), m.atime_nsec()),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
        btime: (0, 0),
    }
}

/// The size of a block device (`BLKGETSIZE64`).
pub fn block_size(f: &File) -> std::io::Result<u64> {
    const BLKGETSIZE64: libc::c_ulong = 0x8008_1272;
    let mut size: u64 = 0;
    // SAFETY: BLKGETSIZE64 writes one u64 through the pointer, which points at
    // a live local; the fd is open for the duration of the call.
    let r = unsafe { libc::ioctl(f.as_raw_fd(), BLKGETSIZE64, &mut size as *mut u64) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(size)
}

/// Opens a volume without blocking on FIFOs and without becoming the
/// controlling terminal of anything.
fn open_for_stat(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC)
        .open(path)
}

/// Looks at `path` as a volume of a file pool: regular files are probed
/// for their format, directories are `dir` volumes, block devices are
/// `block`. FIFOs, sockets, character devices and dangling links are not
/// volumes (`Ok(None)`).
pub fn stat_volume(
    name: &str,
    path: &Path,
    with_format: bool,
) -> std::io::Result<Option<VolRecord>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let ft = meta.file_type();
    let mut rec = VolRecord {
        name: name.to_owned(),
        key: path.to_string_lossy().into_owned(),
        path: path.to_string_lossy().into_owned(),
        perms: perms_of(&meta),
        timestamps: Some(timestamps_of(&meta)),
        ..VolRecord::default()
    };
    if ft.is_dir() {
        rec.kind = Some(VolType::Dir);
        rec.format = with_format.then(|| "dir".to_owned());
        return Ok(Some(rec));
    }
    if !(ft.is_file() || ft.is_block_device()) {
        return Ok(None);
    }
    let mut f = open_for_stat(path)?;
    let size = if ft.is_block_device() {
        rec.kind = Some(VolType::Block);
        block_size(&f)?
    } else {
        rec.kind = Some(VolType::File);
        meta.len()
    };
    rec.capacity = size;
    rec.physical = size;
    rec.allocation = if ft.is_block_device() {
        size
    } else {
        meta.blocks().saturating_mul(512)
    };
    if with_format {
        let mut head = vec![0u8; image::PROBE_LEN.min(usize::try_from(size).unwrap_or(usize::MAX))];
        let n = read_full(&mut f, &mut head)?;
        head.truncate(n);
        let p = image::probe(&head);
        if let Some(c) = p.capacity {
            rec.capacity = c;
        }
        rec.compat = p.compat;
        rec.cluster_size = p.cluster_size;
        rec.features = p.features;
        rec.backing = p.backing.map(|b| {
            let full = if b.starts_with('/') || b.contains("://") {
                b
            } else {
                path.parent()
                    .map(|d| d.join(&b).to_string_lossy().into_owned())
                    .unwrap_or(b)
            };
            let fmt = p
                .backing_format
                .clone()
                .or_else(|| probe_file_format(&full));
            (full, fmt)
        });
        rec.format = Some(p.format);
    }
    Ok(Some(rec))
}

fn probe_file_format(path: &str) -> Option<String> {
    let mut f = open_for_stat(Path::new(path)).ok()?;
    let mut head = vec![0u8; image::PROBE_LEN];
    let n = read_full(&mut f, &mut head).ok()?;
    head.truncate(n);
    Some(image::probe(&head).format)
}

fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reserves `[offset, offset+len)` of `f`, falling back to writing zeros
/// where the file system cannot allocate.
pub fn allocate(f: &File, offset: u64, len: u64) -> std::io::Result<()> {
    if len == 0 {
        return Ok(());
    }
    let (Ok(off), Ok(l)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) else {
        return Err(std::io::Error::from_raw_os_error(libc::EFBIG));
    };
    // SAFETY: plain fallocate on an fd we own.
    let r = unsafe { libc::fallocate(f.as_raw_fd(), 0, off, l) };
    if r == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::EOPNOTSUPP) {
        return Err(err);
    }
    write_zeros(f, offset, len)
}

/// Writes `len` zero bytes at `offset`.
pub fn write_zeros(f: &File, offset: u64, len: u64) -> std::io::Result<()> {
    let zeros = vec![0u8; 1 << 20];
    let mut done = 0u64;
    while done < len {
        let n = (len - done).min(zeros.len() as u64) as usize;
        f.write_all_at(&zeros[..n], offset + done)?;
        done += n as u64;
    }
    Ok(())
}

/// Makes `[offset, offset+len)` read as zeros without storing them, or
/// writes zeros where holes cannot be punched (block devices, some file
/// systems).
pub fn zero_range(f: &File, offset: u64, len: u64, is_block: bool) -> std::io::Result<()> {
    if len == 0 {
        return Ok(());
    }
    if !is_block {
        if let (Ok(off), Ok(l)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) {
            // SAFETY: plain fallocate on an fd we own.
            let r = unsafe {
                libc::fallocate(
                    f.as_raw_fd(),
                    libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                    off,
                    l,
                )
            };
            if r == 0 {
                return Ok(());
            }
        }
    }
    write_zeros(f, offset, len)
}

/// Creates a raw file volume the way libvirt does: `O_CREAT|O_EXCL`, the
/// requested mode (0600 by default), `allocation` bytes reserved, then
/// truncated to `capacity`; with `src`, its content is copied first,
/// zero blocks left as holes. On any failure the new file is removed.
pub fn create_raw(
    path: &Path,
    capacity: u64,
    allocation: u64,
    perms: &Perms,
    src: Option<&Path>,
) -> Result<()> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(perms.mode.unwrap_or(0o600))
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| errors::system(format!("cannot create path '{}'", path.display()), &e))?;
    let res = fill_raw(&f, path, capacity, allocation, perms, src);
    if res.is_err() {
        let _ = std::fs::remove_file(path);
    }
    res
}

fn fill_raw(
    f: &File,
    path: &Path,
    capacity: u64,
    allocation: u64,
    perms: &Perms,
    src: Option<&Path>,
) -> Result<()> {
    let p = path.display();
    if perms.owner.is_some() || perms.group.is_some() {
        std::os::unix::fs::fchown(f, perms.owner, perms.group)
            .map_err(|e| errors::system(format!("cannot chown '{p}'"), &e))?;
    }
    if let Some(m) = perms.mode {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(m))
            .map_err(|e| errors::system(format!("cannot set mode of '{p}'"), &e))?;
    }
    if let Some(src) = src {
        copy_sparse(src, f).map_err(|e| {
            errors::system(format!("failed to copy '{}' to '{p}'", src.display()), &e)
        })?;
    }
    if allocation > 0 {
        allocate(f, 0, allocation.min(capacity)).map_err(|e| {
            errors::system(
                format!("cannot allocate {allocation} bytes in file '{p}'"),
                &e,
            )
        })?;
    }
    let cur = f
        .metadata()
        .map_err(|e| errors::system(format!("cannot stat '{p}'"), &e))?
        .len();
    if cur < capacity {
        f.set_len(capacity)
            .map_err(|e| errors::system(format!("Failed to truncate file '{p}'"), &e))?;
    }
    f.sync_all()
        .map_err(|e| errors::system(format!("cannot sync file '{p}'"), &e))?;
    Ok(())
}

/// Copies `src` into `dst` from offset 0, seeking over all-zero blocks so
/// that the copy stays sparse; returns the bytes covered.
pub fn copy_sparse(src: &Path, dst: &File) -> std::io::Result<u64> {
    let mut s = open_for_stat(src)?;
    let len = if s.metadata()?.file_type().is_block_device() {
        block_size(&s)?
    } else {
        s.metadata()?.len()
    };
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = 0u64;
    while pos < len {
        let want = (len - pos).min(buf.len() as u64) as usize;
        let n = read_full(&mut s, &mut buf[..want])?;
        if n == 0 {
            break;
        }
        if buf[..n].iter().any(|b| *b != 0) {
            dst.write_all_at(&buf[..n], pos)?;
        }
        pos += n as u64;
    }
    if dst.metadata()?.len() < pos {
        dst.set_len(pos)?;
    }
    Ok(pos)
}

/// Copies `src` onto an existing block device or file `dst` from offset 0.
pub fn copy_onto(src: &Path, dst: &Path) -> std::io::Result<u64> {
    let d = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_CLOEXEC)
        .open(dst)?;
    let mut s = open_for_stat(src)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = 0u64;
    loop {
        let n = read_full(&mut s, &mut buf)?;
        if n == 0 {
            break;
        }
        d.write_all_at(&buf[..n], pos)?;
        pos += n as u64;
    }
    d.sync_all()?;
    Ok(pos)
}

/// Grows or shrinks a raw file; with `allocate`, reserves the new space.
pub fn resize_raw(path: &Path, capacity: u64, allocate_new: bool) -> Result<()> {
    let p = path.display();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| errors::system(format!("cannot open volume '{p}'"), &e))?;
    let old = f
        .metadata()
        .map_err(|e| errors::system(format!("cannot stat '{p}'"), &e))?
        .len();
    if allocate_new && capacity > old {
        allocate(&f, old, capacity - old).map_err(|e| {
            errors::system(format!("Failed to preallocate space for file '{p}'"), &e)
        })?;
    }
    f.set_len(capacity)
        .map_err(|e| errors::system(format!("Failed to truncate file '{p}'"), &e))?;
    f.sync_all()
        .map_err(|e| errors::system(format!("cannot sync file '{p}'"), &e))?;
    Ok(())
}

/// Wipes a volume with zeros (algorithm 0): a sparse regular file is
/// truncated to 0 and back (it stays sparse), anything else is overwritten
/// with zeros over its whole size and synced. `_allocation` is what libvirt
/// would write; the whole size is what a wipe promises.
pub fn wipe_zero(path: &Path, _allocation: u64) -> Result<()> {
    let p = path.display();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| {
            errors::system(format!("Failed to open storage volume with path '{p}'"), &e)
        })?;
    let meta = f.metadata().map_err(|e| {
        errors::system(format!("Failed to stat storage volume with path '{p}'"), &e)
    })?;
    if meta.file_type().is_file() && meta.blocks().saturating_mul(512) < meta.len() {
        let size = meta.len();
        f.set_len(0).and_then(|()| f.set_len(size)).map_err(|e| {
            errors::system(format!("Failed to truncate volume with path '{p}'"), &e)
        })?;
    } else {
        let n = if meta.file_type().is_block_device() {
            block_size(&f).map_err(|e| errors::system(format!("cannot size '{p}'"), &e))?
        } else {
            meta.len()
        };
        write_zeros(&f, 0, n).map_err(|e| {
            errors::system(
                format!("Failed to write to storage volume with path '{p}'"),
                &e,
            )
        })?;
    }
    f.sync_data()
        .map_err(|e| errors::system(format!("cannot sync data to volume with path '{p}'"), &e))?;
    Ok(())
}

/// Opens a volume for a stream: `O_WRONLY` (no create, no truncate) or
/// `O_RDONLY`, positioned at `offset`.
pub fn open_for_stream(path: &Path, write: bool, offset: u64) -> Result<File> {
    let mut f = std::fs::OpenOptions::new()
        .read(!write)
        .write(write)
        .custom_flags(libc::O_CLOEXEC | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| errors::system(format!("Unable to open '{}'", path.display()), &e))?;
    f.seek(SeekFrom::Start(offset)).map_err(|e| {
        errors::system(
            format!("Unable to seek to {offset} in '{}'", path.display()),
            &e,
        )
    })?;
    Ok(f)
}

/// Flushes a file that was written through a stream.
pub fn flush(f: &mut File) -> std::io::Result<()> {
    f.flush()?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn tmpdir(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("oxvirt-vol-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn raw_create_is_sparse_or_allocated_as_asked() {
        let d = tmpdir("raw");
        create_raw(&d.join("s"), 8 << 20, 0, &Perms::default(), None).unwrap();
        create_raw(&d.join("f"), 8 << 20, 8 << 20, &Perms::default(), None).unwrap();
        let s = stat_volume("s", &d.join("s"), true).unwrap().unwrap();
        let f = stat_volume("f", &d.join("f"), true).unwrap().unwrap();
        assert_eq!((s.capacity, s.allocation), (8 << 20, 0));
        assert_eq!((f.capacity, f.allocation), (8 << 20, 8 << 20));
        assert_eq!(s.perms.mode, Some(0o600));
        assert_eq!(s.format.as_deref(), Some("raw"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn create_never_replaces_an_existing_file() {
        let d = tmpdir("excl");
        std::fs::write(d.join("a"), b"keep").unwrap();
        let e = create_raw(&d.join("a"), 1, 0, &Perms::default(), None).unwrap_err();
        assert!(e.message.contains("File exists"), "{}", e.message);
        assert_eq!(std::fs::read(d.join("a")).unwrap(), b"keep");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn absurd_raw_capacity_leaves_no_file() {
        let d = tmpdir("huge");
        let e = create_raw(&d.join("h"), i64::MAX as u64, 0, &Perms::default(), None).unwrap_err();
        assert!(
            e.message.starts_with("Failed to truncate file"),
            "{}",
            e.message
        );
        assert!(!d.join("h").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn sparse_copy_keeps_holes() {
        let d = tmpdir("copy");
        let src = d.join("src");
        let f = File::create(&src).unwrap();
        f.set_len(4 << 20).unwrap();
        f.write_all_at(b"data", 3 << 20).unwrap();
        create_raw(&d.join("dst"), 4 << 20, 0, &Perms::default(), Some(&src)).unwrap();
        let got = std::fs::read(d.join("dst")).unwrap();
        assert_eq!(got, std::fs::read(&src).unwrap());
        let m = std::fs::metadata(d.join("dst")).unwrap();
        assert!(m.blocks() * 512 < 2 << 20);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn fifos_are_not_volumes() {
        let d = tmpdir("fifo");
        let p = d.join("f");
        let c = std::ffi::CString::new(p.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(stat_volume("f", &p, true).unwrap().is_none());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
