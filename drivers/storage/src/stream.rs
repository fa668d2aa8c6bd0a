//! Volume upload and download as driver streams.
//!
//! An upload of a whole regular-file volume (offset 0, no length) goes to a
//! temp file beside the volume and replaces it when the client finishes, so
//! an aborted or failed upload leaves the volume exactly as it was. Other
//! uploads (an offset, a length, a block device) write in place as libvirt
//! does; aborting those leaves the bytes written so far, which is logged.
//!
//! Holes: a sparse download reports the file's holes (`SEEK_DATA` /
//! `SEEK_HOLE`); a sparse upload skips them (or punches them where old data
//! is, or writes zeros on a block device), so that the volume reads exactly
//! as the stream.

use crate::errors;
use crate::volume;
use async_trait::async_trait;
use oxvirt_core::Result;
use oxvirt_driver::{StreamChunk, StreamSink, StreamSource};
use std::fs::File;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::PathBuf;

/// Called when a stream ends: `true` if an upload committed data.
pub type Done = Box<dyn FnOnce(bool) + Send>;

/// Bytes read per download chunk.
const READ_CHUNK: u64 = 1 << 20;

async fn on_blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    crate::backend::blocking(f).await
}

/// Where an upload's bytes go.
struct Target {
    file: File,
    /// Whole-file mode: the temp file and the volume it replaces.
    replace: Option<(PathBuf, PathBuf)>,
}

/// The sink of `virStorageVolUpload`.
pub struct UploadSink {
    target: Option<Target>,
    path: PathBuf,
    pos: u64,
    /// The first byte past what the client may write.
    limit: Option<u64>,
    is_block: bool,
    done: Option<Done>,
}

impl UploadSink {
    /// Opens `path` for an upload of `length` bytes (0: no limit) at
    /// `offset`.
    pub fn open(
        path: PathBuf,
        offset: u64,
        length: u64,
        is_block: bool,
        done: Done,
    ) -> Result<UploadSink> {
        let whole = offset == 0 && length == 0 && !is_block;
        let target = if whole {
            let meta = std::fs::metadata(&path)
                .map_err(|e| errors::system(format!("Unable to open '{}'", path.display()), &e))?;
            let tmp = temp_beside(&path);
            let file = std::fs::OpenOptions::new()
                .write(true)
                .read(true)
                .create_new(true)
                .mode(meta.mode() & 0o7777)
                .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW)
                .open(&tmp)
                .map_err(|e| errors::system(format!("Unable to create '{}'", tmp.display()), &e))?;
            // Same owner and mode as the volume it will replace.
            let owned = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
            if let Err(e) = owned {
                let _ = std::fs::remove_file(&tmp);
                return Err(errors::system(
                    format!("cannot chown '{}'", tmp.display()),
                    &e,
                ));
            }
            Target {
                file,
                replace: Some((tmp, path.clone())),
            }
        } else {
            Target {
                file: volume::open_for_stream(&path, true, offset)?,
                replace: None,
            }
        };
        Ok(UploadSink {
            target: Some(target),
            path,
            pos: offset,
            limit: (length > 0).then(|| offset.saturating_add(length)),
            is_block,
            done: Some(done),
        })
    }

    fn check_room(&self, len: u64) -> Result<()> {
        match self.limit {
            Some(l) if self.pos.saturating_add(len) > l => Err(errors::system(
                format!("cannot write to volume '{}'", self.path.display()),
                &std::io::Error::from_raw_os_error(libc::ENOSPC),
            )),
            _ => Ok(()),
        }
    }

    fn take(&mut self) -> Result<Target> {
        self.target
            .take()
            .ok_or_else(|| errors::internal("the stream is already closed"))
    }
}

fn temp_beside(path: &std::path::Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(
        ".{name}.upload{}.{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Copies `[from, to)` of `src` into `dst` at the same offsets, skipping
/// zero blocks (the tail of a volume an upload did not cover).
fn copy_tail(src: &std::path::Path, dst: &File, from: u64, to: u64) -> std::io::Result<()> {
    let s = File::open(src)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = from;
    while pos < to {
        let n = (to - pos).min(buf.len() as u64) as usize;
        let got = s.read_at(&mut buf[..n], pos)?;
        if got == 0 {
            break;
        }
        if buf[..got].iter().any(|b| *b != 0) {
            dst.write_all_at(&buf[..got], pos)?;
        }
        pos += got as u64;
    }
    Ok(())
}

#[async_trait]
impl StreamSink for UploadSink {
    async fn data(&mut self, bytes: &[u8]) -> Result<()> {
        let len = bytes.len() as u64;
        self.check_room(len)?;
        let t = self.take()?;
        let pos = self.pos;
        let buf = bytes.to_vec();
        let path = self.path.clone();
        let (t, res) = on_blocking(move || {
            let r = t.file.write_all_at(&buf, pos).map_err(|e| {
                errors::system(format!("cannot write to volume '{}'", path.display()), &e)
            });
            Ok((t, r))
        })
        .await?;
        self.target = Some(t);
        res?;
        self.pos += len;
        Ok(())
    }

    async fn hole(&mut self, len: u64) -> Result<()> {
        self.check_room(len)?;
        let t = self.take()?;
        let pos = self.pos;
        let is_block = self.is_block;
        let path = self.path.clone();
        let (t, res) = on_blocking(move || {
            let r = (|| -> std::io::Result<()> {
                if t.replace.is_some() {
                    // A fresh file: skipping is enough; the end is fixed at finish.
                    return Ok(());
                }
                let size = if is_block {
                    volume::block_size(&t.file)?
                } else {
                    t.file.metadata()?.len()
                };
                let end = pos.saturating_add(len);
                if pos < size {
                    volume::zero_range(&t.file, pos, end.min(size) - pos, is_block)?;
                }
                if !is_block && end > size {
                    t.file.set_len(end)?;
                }
                Ok(())
            })()
            .map_err(|e| {
                errors::system(format!("cannot write to volume '{}'", path.display()), &e)
            });
            Ok((t, r))
        })
        .await?;
        self.target = Some(t);
        res?;
        self.pos = self.pos.saturating_add(len);
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> Result<()> {
        let t = self.take()?;
        let pos = self.pos;
        let res = on_blocking(move || {
            let Target { mut file, replace } = t;
            match replace {
                None => volume::flush(&mut file)
                    .map_err(|e| errors::system("cannot sync the volume", &e)),
                Some((tmp, vol)) => {
                    let r = (|| -> std::io::Result<()> {
                        let old = std::fs::metadata(&vol)?.len();
                        if file.metadata()?.len() < pos {
                            file.set_len(pos)?;
                        }
                        // A plain upload never shrinks a volume.
                        if old > pos {
                            file.set_len(old)?;
                            copy_tail(&vol, &file, pos, old)?;
                        }
                        volume::flush(&mut file)?;
                        std::fs::rename(&tmp, &vol)?;
                        if let Some(dir) = vol.parent() {
                            File::open(dir)?.sync_all()?;
                        }
                        Ok(())
                    })();
                    if r.is_err() {
                        let _ = std::fs::remove_file(&tmp);
                    }
                    r.map_err(|e| {
                        errors::system(
                            format!("cannot finish the upload to '{}'", vol.display()),
                            &e,
                        )
                    })
                }
            }
        })
        .await;
        if let Some(done) = self.done.take() {
            done(res.is_ok());
        }
        res
    }

    async fn abort(mut self: Box<Self>) {
        if let Some(t) = self.target.take() {
            match t.replace {
                Some((tmp, _)) => {
                    let _ = std::fs::remove_file(tmp);
                }
                None => log::warn!(
                    "upload to '{}' aborted: the volume holds the {} bytes written before the abort",
                    self.path.display(),
                    self.pos
                ),
            }
        }
        if let Some(done) = self.done.take() {
            done(false);
        }
    }
}

impl Drop for UploadSink {
    fn drop(&mut self) {
        // A sink dropped without finish or abort (the daemon stopping):
        // never leave a temp file behind.
        if let Some(Target {
            replace: Some((tmp, _)),
            ..
        }) = self.target.take()
        {
            let _ = std::fs::remove_file(tmp);
        }
        if let Some(done) = self.done.take() {
            done(false);
        }
    }
}

/// The source of `virStorageVolDownload`.
pub struct DownloadSource {
    file: Option<File>,
    pos: u64,
    end: u64,
    sparse: bool,
    done: Option<Done>,
}

impl DownloadSource {
    pub fn open(
        path: PathBuf,
        offset: u64,
        length: u64,
        sparse: bool,
        is_block: bool,
        done: Done,
    ) -> Result<DownloadSource> {
        let file = volume::open_for_stream(&path, false, offset)?;
        let size = if is_block {
            volume::block_size(&file)
        } else {
            file.metadata().map(|m| m.len())
        }
        .map_err(|e| errors::system(format!("cannot stat '{}'", path.display()), &e))?;
        let end = if length == 0 {
            size
        } else {
            offset.saturating_add(length).min(size)
        };
        Ok(DownloadSource {
            file: Some(file),
            pos: offset,
            end,
            // Block devices have no holes to report.
            sparse: sparse && !is_block,
            done: Some(done),
        })
    }
}

fn seek(f: &File, pos: u64, whence: libc::c_int) -> std::io::Result<Option<u64>> {
    let off =
        libc::off_t::try_from(pos).map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    // SAFETY: lseek on an fd we own; no memory is touched.
    let r = unsafe { libc::lseek(f.as_raw_fd(), off, whence) };
    if r < 0 {
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() == Some(libc::ENXIO) {
            return Ok(None);
        }
        return Err(e);
    }
    Ok(Some(r as u64))
}

/// The next chunk at `pos`: a hole up to the next data, or data up to the
/// next hole (at most one read).
fn next_chunk(f: &File, pos: u64, end: u64, sparse: bool) -> std::io::Result<Option<StreamChunk>> {
    if pos >= end {
        return Ok(None);
    }
    let mut data_end = end;
    if sparse {
        match seek(f, pos, libc::SEEK_DATA)? {
            None => return Ok(Some(StreamChunk::Hole(end - pos))),
            Some(d) if d > pos => return Ok(Some(StreamChunk::Hole(d.min(end) - pos))),
            Some(_) => {}
        }
        if let Some(h) = seek(f, pos, libc::SEEK_HOLE)? {
            data_end = h.min(end);
        }
    }
    let n = (data_end - pos).min(READ_CHUNK) as usize;
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match f.read_at(&mut buf[got..], pos + got as u64) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if got == 0 {
        return Ok(None);
    }
    buf.truncate(got);
    Ok(Some(StreamChunk::Data(buf)))
}

#[async_trait]
impl StreamSource for DownloadSource {
    async fn next(&mut self) -> Result<Option<StreamChunk>> {
        let Some(f) = self.file.take() else {
            return Ok(None);
        };
        let (pos, end, sparse) = (self.pos, self.end, self.sparse);
        let (f, res) = on_blocking(move || {
            let r = next_chunk(&f, pos, end, sparse)
                .map_err(|e| errors::system("cannot read from the volume", &e));
            Ok((f, r))
        })
        .await?;
        let chunk = res?;
        match &chunk {
            Some(StreamChunk::Data(b)) => self.pos += b.len() as u64,
            Some(StreamChunk::Hole(n)) => self.pos += n,
            None => {}
        }
        if chunk.is_some() {
            self.file = Some(f);
        } else if let Some(done) = self.done.take() {
            done(false);
        }
        Ok(chunk)
    }
}

impl Drop for DownloadSource {
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            done(false);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("oxvirt-stream-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn noop() -> Done {
        Box::new(|_| {})
    }

    async fn drain(mut s: DownloadSource) -> Vec<StreamChunk> {
        let mut v = Vec::new();
        while let Some(c) = s.next().await.unwrap() {
            v.push(c);
        }
        v
    }

    #[tokio::test]
    async fn sparse_download_reports_holes() {
        let d = tmpdir("down");
        let p = d.join("v");
        let f = File::create(&p).unwrap();
        f.set_len(4 << 20).unwrap();
        f.write_all_at(b"x", 2 << 20).unwrap();
        let chunks =
            drain(DownloadSource::open(p.clone(), 0, 0, true, false, noop()).unwrap()).await;
        assert!(matches!(chunks[0], StreamChunk::Hole(n) if n > 0));
        let total: u64 = chunks
            .iter()
            .map(|c| match c {
                StreamChunk::Hole(n) => *n,
                StreamChunk::Data(b) => b.len() as u64,
            })
            .sum();
        assert_eq!(total, 4 << 20);
        let plain = drain(DownloadSource::open(p, 0, 0, false, false, noop()).unwrap()).await;
        assert!(plain.iter().all(|c| matches!(c, StreamChunk::Data(_))));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[tokio::test]
    async fn aborted_whole_upload_leaves_the_volume_as_it_was() {
        let d = tmpdir("abort");
        let p = d.join("v");
        std::fs::write(&p, b"original").unwrap();
        let mut s = Box::new(UploadSink::open(p.clone(), 0, 0, false, noop()).unwrap());
        s.data(b"new bytes!").await.unwrap();
        s.abort().await;
        assert_eq!(std::fs::read(&p).unwrap(), b"original");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[tokio::test]
    async fn finished_upload_replaces_and_never_shrinks() {
        let d = tmpdir("fin");
        let p = d.join("v");
        std::fs::write(&p, b"0123456789").unwrap();
        let mut s = Box::new(UploadSink::open(p.clone(), 0, 0, false, noop()).unwrap());
        s.data(b"ab").await.unwrap();
        s.hole(2).await.unwrap();
        s.data(b"c").await.unwrap();
        s.finish().await.unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"ab\0\0c56789");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[tokio::test]
    async fn sparse_upload_ending_in_a_hole_keeps_its_length() {
        let d = tmpdir("tailhole");
        let p = d.join("v");
        std::fs::write(&p, b"").unwrap();
        let mut s = Box::new(UploadSink::open(p.clone(), 0, 0, false, noop()).unwrap());
        s.data(b"a").await.unwrap();
        s.hole(1 << 20).await.unwrap();
        s.finish().await.unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), 1 + (1 << 20));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[tokio::test]
    async fn length_is_a_hard_cap() {
        let d = tmpdir("cap");
        let p = d.join("v");
        std::fs::write(&p, b"0123456789").unwrap();
        let mut s = Box::new(UploadSink::open(p.clone(), 2, 3, false, noop()).unwrap());
        s.data(b"ab").await.unwrap();
        let e = s.data(b"cd").await.unwrap_err();
        assert!(
            e.message.ends_with("No space left on device"),
            "{}",
            e.message
        );
        s.finish().await.unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"01ab456789");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[tokio::test]
    async fn in_place_hole_zeroes_old_data() {
        let d = tmpdir("punch");
        let p = d.join("v");
        std::fs::write(&p, vec![7u8; 8192]).unwrap();
        let mut s = Box::new(UploadSink::open(p.clone(), 1, 0, false, noop()).unwrap());
        s.hole(4096).await.unwrap();
        s.finish().await.unwrap();
        let got = std::fs::read(&p).unwrap();
        assert_eq!(got[0], 7);
        assert!(got[1..4097].iter().all(|b| *b == 0));
        assert_eq!(got[4097], 7);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
