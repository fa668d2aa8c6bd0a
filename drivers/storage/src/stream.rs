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
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Called when a stream ends: `true` if an upload committed data.
pub type Done = Box<dyn FnOnce(bool) + Send + Sync>;

/// Bytes read per download chunk.
const READ_CHUNK: u64 = 1 << 20;

/// Where an upload's bytes go.
struct Target {
    file: File,
    /// Whole-file mode: the temp file and the volume it replaces.
    replace: Option<(PathBuf, PathBuf)>,
}

/// What the upload's writer thread is asked to do.
enum Op {
    Data(u64, Vec<u8>),
    Hole(u64, u64),
    /// Commit; the argument is the end of the stream.
    Finish(u64, oneshot::Sender<Result<()>>),
    Abort(oneshot::Sender<()>),
}

/// Chunks queued between the connection and the disk: writing overlaps
/// with receiving, and a slow disk slows the client down.
const QUEUE: usize = 8;

/// The sink of `virStorageVolUpload`: the connection queues chunks, a
/// writer thread puts them on disk. A write error is reported at the next
/// chunk, which aborts the stream.
pub struct UploadSink {
    tx: Option<mpsc::Sender<Op>>,
    failed: Arc<Mutex<Option<oxvirt_core::Error>>>,
    in_place: bool,
    path: PathBuf,
    pos: u64,
    /// The first byte past what the client may write.
    limit: Option<u64>,
    done: Option<Done>,
}

impl UploadSink {
    /// Opens `path` for an upload of `length` bytes (0: no limit) at
    /// `offset`, and starts its writer thread.
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
        let (tx, rx) = mpsc::channel(QUEUE);
        let failed = Arc::new(Mutex::new(None));
        let w = Writer {
            target,
            path: path.clone(),
            is_block,
            written_back: offset,
            failed: failed.clone(),
        };
        tokio::task::spawn_blocking(move || w.run(rx));
        Ok(UploadSink {
            tx: Some(tx),
            failed,
            in_place: !whole,
            path,
            pos: offset,
            limit: (length > 0).then(|| offset.saturating_add(length)),
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

    fn check_failed(&self) -> Result<()> {
        match self.failed.lock().ok().and_then(|f| f.clone()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    async fn send(&self, op: Op) -> Result<()> {
        let tx = self
            .tx
            .as_ref()
            .ok_or_else(|| errors::internal("the stream is already closed"))?;
        tx.send(op)
            .await
            .map_err(|_| errors::internal("the volume writer has stopped"))
    }
}

/// The upload's writer thread.
struct Writer {
    target: Target,
    path: PathBuf,
    is_block: bool,
    /// Bytes up to which writeback has been started.
    written_back: u64,
    failed: Arc<Mutex<Option<oxvirt_core::Error>>>,
}

impl Writer {
    fn run(mut self, mut rx: mpsc::Receiver<Op>) {
        let mut ok = true;
        while let Some(op) = rx.blocking_recv() {
            match op {
                Op::Data(pos, buf) if ok => {
                    if let Err(e) = self.target.file.write_all_at(&buf, pos) {
                        ok = self.fail(&e);
                    }
                    self.start_writeback(pos + buf.len() as u64);
                }
                Op::Hole(pos, len) if ok => {
                    if let Err(e) = self.hole(pos, len) {
                        ok = self.fail(&e);
                    }
                }
                Op::Data(..) | Op::Hole(..) => {}
                Op::Finish(end, reply) => {
                    let r = match self.failed.lock().ok().and_then(|f| f.clone()) {
                        Some(e) => Err(e),
                        None => self.commit(end),
                    };
                    if r.is_err() {
                        self.discard();
                    }
                    let _ = reply.send(r);
                    return;
                }
                Op::Abort(reply) => {
                    self.discard();
                    let _ = reply.send(());
                    return;
                }
            }
        }
        // The sink went away without finishing: the daemon is stopping or
        // the client vanished.
        self.discard();
    }

    /// Starts writing back what was written since the last call, once a
    /// window has filled up, so that the final sync has little left to do
    /// and the disk works while the network does.
    fn start_writeback(&mut self, upto: u64) {
        const WINDOW: u64 = 16 << 20;
        if upto < self.written_back + WINDOW {
            return;
        }
        let (Ok(off), Ok(len)) = (
            libc::off64_t::try_from(self.written_back),
            libc::off64_t::try_from(upto - self.written_back),
        ) else {
            return;
        };
        // SAFETY: sync_file_range only starts writeback of a range of an fd
        // we own; no memory is passed.
        unsafe {
            libc::sync_file_range(
                self.target.file.as_raw_fd(),
                off,
                len,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
        self.written_back = upto;
    }

    fn fail(&self, e: &std::io::Error) -> bool {
        if let Ok(mut f) = self.failed.lock() {
            *f = Some(errors::system(
                format!("cannot write to volume '{}'", self.path.display()),
                e,
            ));
        }
        false
    }

    fn hole(&self, pos: u64, len: u64) -> std::io::Result<()> {
        if self.target.replace.is_some() {
            // A fresh file: skipping is enough; its end is fixed at commit.
            return Ok(());
        }
        let f = &self.target.file;
        let size = if self.is_block {
            volume::block_size(f)?
        } else {
            f.metadata()?.len()
        };
        let end = pos.saturating_add(len);
        if pos < size {
            volume::zero_range(f, pos, end.min(size) - pos, self.is_block)?;
        }
        if !self.is_block && end > size {
            f.set_len(end)?;
        }
        Ok(())
    }

    fn commit(&mut self, end: u64) -> Result<()> {
        let file = &mut self.target.file;
        let Some((tmp, vol)) = &self.target.replace else {
            return volume::flush(file).map_err(|e| errors::system("cannot sync the volume", &e));
        };
        let r = (|| -> std::io::Result<()> {
            let old = std::fs::metadata(vol)?.len();
            if file.metadata()?.len() < end {
                file.set_len(end)?;
            }
            // A plain upload never shrinks a volume.
            if old > end {
                file.set_len(old)?;
                copy_tail(vol, file, end, old)?;
            }
            volume::flush(file)?;
            std::fs::rename(tmp, vol)?;
            if let Some(dir) = vol.parent() {
                File::open(dir)?.sync_all()?;
            }
            Ok(())
        })();
        match r {
            Ok(()) => {
                self.target.replace = None;
                Ok(())
            }
            Err(e) => Err(errors::system(
                format!("cannot finish the upload to '{}'", vol.display()),
                &e,
            )),
        }
    }

    fn discard(&mut self) {
        if let Some((tmp, _)) = self.target.replace.take() {
            let _ = std::fs::remove_file(tmp);
        }
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

/// Copies `[from, to)` of `src` into `dst` at the same offsets (the tail of
/// a volume an upload did not cover): only the data regions, found with
/// `SEEK_DATA`/`SEEK_HOLE`, moved in the kernel with `copy_file_range`.
fn copy_tail(src: &std::path::Path, dst: &File, from: u64, to: u64) -> std::io::Result<()> {
    let s = File::open(src)?;
    let mut pos = from;
    while pos < to {
        let Some(data) = seek(&s, pos, libc::SEEK_DATA)? else {
            break;
        };
        if data >= to {
            break;
        }
        let end = seek(&s, data, libc::SEEK_HOLE)?.unwrap_or(to).min(to);
        copy_range(&s, dst, data, end)?;
        pos = end;
    }
    Ok(())
}

/// `[start, end)` of `s` into `d` at the same offsets.
fn copy_range(s: &File, d: &File, start: u64, end: u64) -> std::io::Result<()> {
    let mut pos = start;
    while pos < end {
        let (Ok(mut off_in), Ok(mut off_out)) =
            (libc::loff_t::try_from(pos), libc::loff_t::try_from(pos))
        else {
            return Err(std::io::Error::from_raw_os_error(libc::EFBIG));
        };
        let len = usize::try_from(end - pos)
            .unwrap_or(usize::MAX)
            .min(1 << 30);
        // SAFETY: both fds are open for the call; the offsets are locals the
        // kernel updates.
        let n = unsafe {
            libc::copy_file_range(
                s.as_raw_fd(),
                &mut off_in,
                d.as_raw_fd(),
                &mut off_out,
                len,
                0,
            )
        };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if matches!(
                e.raw_os_error(),
                Some(libc::EXDEV | libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
            ) {
                return copy_range_slow(s, d, pos, end);
            }
            return Err(e);
        }
        if n == 0 {
            break;
        }
        pos += n as u64;
    }
    Ok(())
}

fn copy_range_slow(s: &File, d: &File, start: u64, end: u64) -> std::io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = start;
    while pos < end {
        let n = (end - pos).min(buf.len() as u64) as usize;
        let got = s.read_at(&mut buf[..n], pos)?;
        if got == 0 {
            break;
        }
        d.write_all_at(&buf[..got], pos)?;
        pos += got as u64;
    }
    Ok(())
}

#[async_trait]
impl StreamSink for UploadSink {
    async fn data(&mut self, bytes: &[u8]) -> Result<()> {
        let len = bytes.len() as u64;
        self.check_room(len)?;
        self.check_failed()?;
        self.send(Op::Data(self.pos, bytes.to_vec())).await?;
        self.pos += len;
        Ok(())
    }

    async fn hole(&mut self, len: u64) -> Result<()> {
        self.check_room(len)?;
        self.check_failed()?;
        self.send(Op::Hole(self.pos, len)).await?;
        self.pos = self.pos.saturating_add(len);
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> Result<()> {
        let (reply, rx) = oneshot::channel();
        let res = match self.send(Op::Finish(self.pos, reply)).await {
            Ok(()) => rx
                .await
                .unwrap_or_else(|_| Err(errors::internal("the volume writer has stopped"))),
            Err(e) => Err(e),
        };
        self.tx = None;
        if let Some(done) = self.done.take() {
            done(res.is_ok());
        }
        res
    }

    async fn abort(mut self: Box<Self>) {
        let (reply, rx) = oneshot::channel();
        if self.send(Op::Abort(reply)).await.is_ok() {
            let _ = rx.await;
        }
        self.tx = None;
        if self.in_place {
            log::warn!(
                "upload to '{}' aborted: the volume holds what was written before the abort (up to byte {})",
                self.path.display(),
                self.pos
            );
        }
        if let Some(done) = self.done.take() {
            done(false);
        }
    }
}

impl Drop for UploadSink {
    fn drop(&mut self) {
        // Dropping the queue stops the writer, which removes a temp file.
        self.tx = None;
        if let Some(done) = self.done.take() {
            done(false);
        }
    }
}

/// The source of `virStorageVolDownload`: a reader thread reads ahead into
/// a small queue.
pub struct DownloadSource {
    rx: mpsc::Receiver<Result<Option<StreamChunk>>>,
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
        // Block devices have no holes to report.
        let sparse = sparse && !is_block;
        let (tx, rx) = mpsc::channel(4);
        tokio::task::spawn_blocking(move || {
            let mut pos = offset;
            loop {
                let r = next_chunk(&file, pos, end, sparse)
                    .map_err(|e| errors::system("cannot read from the volume", &e));
                let last = !matches!(r, Ok(Some(_)));
                match &r {
                    Ok(Some(StreamChunk::Data(b))) => pos += b.len() as u64,
                    Ok(Some(StreamChunk::Hole(n))) => pos += n,
                    _ => {}
                }
                if tx.blocking_send(r).is_err() || last {
                    return;
                }
            }
        });
        Ok(DownloadSource {
            rx,
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
        let r = match self.rx.recv().await {
            Some(r) => r,
            None => Ok(None),
        };
        if !matches!(r, Ok(Some(_))) {
            if let Some(done) = self.done.take() {
                done(false);
            }
        }
        r
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
    async fn short_upload_into_a_large_sparse_volume_keeps_its_tail() {
        let d = tmpdir("bigtail");
        let p = d.join("v");
        let f = File::create(&p).unwrap();
        f.set_len(64 << 30).unwrap();
        f.write_all_at(b"far away", 40 << 30).unwrap();
        drop(f);
        let t = std::time::Instant::now();
        let mut s = Box::new(UploadSink::open(p.clone(), 0, 0, false, noop()).unwrap());
        s.data(b"head").await.unwrap();
        s.finish().await.unwrap();
        assert!(t.elapsed() < std::time::Duration::from_secs(10));
        let f = File::open(&p).unwrap();
        assert_eq!(f.metadata().unwrap().len(), 64 << 30);
        let mut buf = [0u8; 8];
        f.read_exact_at(&mut buf[..4], 0).unwrap();
        assert_eq!(&buf[..4], b"head");
        f.read_exact_at(&mut buf, 40 << 30).unwrap();
        assert_eq!(&buf, b"far away");
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
