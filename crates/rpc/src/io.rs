//! Reading and writing frames on a socket, with descriptor passing on UNIX
//! sockets.
//!
//! libvirt sends each descriptor *after* the frame that announces it, as one
//! `sendmsg()` carrying a single dummy byte and one `SCM_RIGHTS` message. A
//! reader that buffers ahead would swallow those dummy bytes, so this reader
//! receives with `recvmsg()` every time, queues every descriptor that arrives,
//! and, once a frame announcing `n` descriptors is parsed, consumes exactly `n`
//! dummy bytes and `n` queued descriptors.

use crate::frame::{body_len, Frame, FrameError};
use oxvirt_protocol::header::{Header, NUM_FDS_MAX};
use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, Interest};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};

/// A byte source that may also deliver descriptors.
pub trait RecvHalf: Send + 'static {
    /// Reads some bytes into `buf`, appending received descriptors to `fds`.
    /// Returns 0 at end of stream.
    fn recv(
        &mut self,
        buf: &mut [u8],
        fds: &mut VecDeque<OwnedFd>,
    ) -> impl Future<Output = io::Result<usize>> + Send;
}

/// A byte sink that may also send descriptors.
pub trait SendHalf: Send + 'static {
    /// Writes all of `bytes`, then each descriptor with one dummy byte.
    fn send(
        &mut self,
        bytes: &[u8],
        fds: &[OwnedFd],
    ) -> impl Future<Output = io::Result<()>> + Send;
}

impl RecvHalf for OwnedReadHalf {
    async fn recv(&mut self, buf: &mut [u8], fds: &mut VecDeque<OwnedFd>) -> io::Result<usize> {
        let sock: &tokio::net::UnixStream = self.as_ref();
        loop {
            sock.readable().await?;
            match sock.try_io(Interest::READABLE, || {
                recvmsg_fds(sock.as_raw_fd(), buf, fds)
            }) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                r => return r,
            }
        }
    }
}

impl SendHalf for OwnedWriteHalf {
    async fn send(&mut self, bytes: &[u8], fds: &[OwnedFd]) -> io::Result<()> {
        self.write_all(bytes).await?;
        for fd in fds {
            let sock: &tokio::net::UnixStream = self.as_ref();
            loop {
                sock.writable().await?;
                match sock.try_io(Interest::WRITABLE, || {
                    sendmsg_fd(sock.as_raw_fd(), fd.as_raw_fd())
                }) {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    r => {
                        r?;
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A security layer negotiated after authentication (SASL with an SSF): every
/// byte after the final authentication reply is encoded by it.
pub trait Layer: Send + Sync {
    /// Encodes outgoing bytes.
    fn encode(&self, plain: &[u8]) -> io::Result<Vec<u8>>;
    /// Decodes incoming bytes; may return nothing until a whole packet arrived.
    fn decode(&self, wire: &[u8]) -> io::Result<Vec<u8>>;
}

/// Where a connection's layer is installed, once, after authentication.
#[derive(Default)]
pub struct LayerSlot(std::sync::OnceLock<std::sync::Arc<dyn Layer>>);

impl LayerSlot {
    /// Installs the layer; later calls are ignored.
    pub fn install(&self, layer: std::sync::Arc<dyn Layer>) {
        let _ = self.0.set(layer);
    }

    fn get(&self) -> Option<&std::sync::Arc<dyn Layer>> {
        self.0.get()
    }
}

/// A transport half that passes bytes through until a layer is installed in
/// its slot, and encodes or decodes them from then on.
pub struct Layered<T> {
    inner: T,
    slot: std::sync::Arc<LayerSlot>,
    plain: Vec<u8>,
    plain_pos: usize,
    raw: Vec<u8>,
}

impl<T> Layered<T> {
    pub fn new(inner: T, slot: std::sync::Arc<LayerSlot>) -> Self {
        Layered {
            inner,
            slot,
            plain: Vec::new(),
            plain_pos: 0,
            raw: Vec::new(),
        }
    }
}

impl<R: RecvHalf> RecvHalf for Layered<R> {
    async fn recv(&mut self, buf: &mut [u8], fds: &mut VecDeque<OwnedFd>) -> io::Result<usize> {
        loop {
            if self.plain_pos < self.plain.len() {
                let n = buf.len().min(self.plain.len() - self.plain_pos);
                buf[..n].copy_from_slice(&self.plain[self.plain_pos..self.plain_pos + n]);
                self.plain_pos += n;
                return Ok(n);
            }
            let Some(layer) = self.slot.get().cloned() else {
                return self.inner.recv(buf, fds).await;
            };
            if self.raw.len() < 64 * 1024 {
                self.raw.resize(64 * 1024, 0);
            }
            let n = self.inner.recv(&mut self.raw, fds).await?;
            if n == 0 {
                return Ok(0);
            }
            self.plain = layer.decode(&self.raw[..n])?;
            self.plain_pos = 0;
        }
    }
}

impl<W: SendHalf> SendHalf for Layered<W> {
    async fn send(&mut self, bytes: &[u8], fds: &[OwnedFd]) -> io::Result<()> {
        match self.slot.get().cloned() {
            None => self.inner.send(bytes, fds).await,
            Some(layer) => {
                let wire = layer.encode(bytes)?;
                self.inner.send(&wire, fds).await
            }
        }
    }
}

/// Adapts any plain stream (TCP, TLS) that cannot carry descriptors.
pub struct Plain<T>(pub T);

impl<T: AsyncRead + Unpin + Send + 'static> RecvHalf for Plain<T> {
    async fn recv(&mut self, buf: &mut [u8], _fds: &mut VecDeque<OwnedFd>) -> io::Result<usize> {
        self.0.read(buf).await
    }
}

impl<T: AsyncWrite + Unpin + Send + 'static> SendHalf for Plain<T> {
    async fn send(&mut self, bytes: &[u8], fds: &[OwnedFd]) -> io::Result<()> {
        if !fds.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "descriptor passing needs a UNIX socket",
            ));
        }
        self.0.write_all(bytes).await
    }
}

/// Control-message room for `NUM_FDS_MAX` descriptors, aligned for `cmsghdr`
/// (CMSG_SPACE(32 * 4) is 144 bytes on Linux; 256 leaves headroom).
#[repr(C, align(8))]
struct CmsgBuf([u8; 256]);

const _: () = assert!(NUM_FDS_MAX * std::mem::size_of::<RawFd>() + 64 <= 256);

/// One `recvmsg()` collecting bytes and any `SCM_RIGHTS` descriptors.
fn recvmsg_fds(fd: RawFd, buf: &mut [u8], fds: &mut VecDeque<OwnedFd>) -> io::Result<usize> {
    let mut cmsg_buf = CmsgBuf([0u8; 256]);
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is plain data; zeroed is a valid empty header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cmsg_buf.0.as_mut_ptr().cast();
    msg.msg_controllen = cmsg_buf.0.len() as _;
    // SAFETY: msg points at live buffers (iov over `buf`, control over
    // `cmsg_buf`) that outlive the call.
    let n = unsafe { libc::recvmsg(fd, &mut msg, libc::MSG_CMSG_CLOEXEC) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the CMSG_* macros walk the control buffer the kernel filled, within
    // msg_controllen; each SCM_RIGHTS payload is an array of ints.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                let len = (*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                for i in 0..len / std::mem::size_of::<RawFd>() {
                    let raw = std::ptr::read_unaligned(data.add(i));
                    fds.push_back(OwnedFd::from_raw_fd(raw));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    if msg.msg_flags & libc::MSG_CTRUNC != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "descriptors truncated",
        ));
    }
    Ok(n as usize)
}

/// One `sendmsg()` of a single 0x00 byte carrying `pass` in `SCM_RIGHTS`.
fn sendmsg_fd(fd: RawFd, pass: RawFd) -> io::Result<()> {
    let mut byte = [0u8; 1];
    // SAFETY: CMSG_SPACE only computes a size.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
    let mut cmsg_buf = vec![0u8; space];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    // SAFETY: plain data, zeroed is valid.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cmsg_buf.as_mut_ptr().cast();
    msg.msg_controllen = space as _;
    // SAFETY: the control buffer has room for one header plus one int, which is
    // exactly what is written; all pointers outlive the sendmsg call.
    let n = unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), pass);
        libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL)
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Buffered frame reader over a [`RecvHalf`].
pub struct FrameReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    fds: VecDeque<OwnedFd>,
}

/// Initial read buffer: most frames are small; the buffer grows for big ones
/// and shrinks back when idle.
const READ_CHUNK: usize = 8 * 1024;

impl<R: RecvHalf> FrameReader<R> {
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            buf: vec![0; READ_CHUNK],
            start: 0,
            end: 0,
            fds: VecDeque::new(),
        }
    }

    fn available(&self) -> usize {
        self.end - self.start
    }

    /// Makes at least `n` bytes available, reading more as needed.
    async fn fill(&mut self, n: usize) -> Result<(), FrameError> {
        while self.available() < n {
            if self.start > 0 && (self.buf.len() - self.start < n || self.start == self.end) {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.buf.len() < n {
                self.buf.resize(n, 0);
            }
            if self.end == self.buf.len() {
                let grow = self.buf.len().max(READ_CHUNK);
                self.buf.resize(self.buf.len() + grow, 0);
            }
            let got = self
                .inner
                .recv(&mut self.buf[self.end..], &mut self.fds)
                .await?;
            if got == 0 {
                return Err(FrameError::Closed);
            }
            self.end += got;
        }
        Ok(())
    }

    fn shrink_if_idle(&mut self) {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            if self.buf.len() > READ_CHUNK {
                self.buf.truncate(READ_CHUNK);
                self.buf.shrink_to_fit();
            }
        }
    }

    /// Reads the next frame. Errors mean the connection must be dropped.
    ///
    /// Cancel-safe: nothing is consumed until the whole frame, and the dummy
    /// bytes carrying its descriptors, are buffered, so it may be raced in a
    /// `select!`.
    pub async fn read_frame(&mut self) -> Result<Frame, FrameError> {
        self.fill(4).await?;
        let b = &self.buf[self.start..self.start + 4];
        let len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        let body = body_len(len)?;
        self.fill(4 + body).await?;
        let frame_start = self.start + 4;
        let header = Header::decode(&self.buf[frame_start..frame_start + 24])
            .map_err(|_| FrameError::BadHeader)?;
        let mut payload_start = frame_start + 24;
        let payload_end = frame_start + body;
        let mut nfds = 0usize;
        if header.type_.has_fds() {
            if payload_end - payload_start < 4 {
                return Err(FrameError::BadHeader);
            }
            let b = &self.buf[payload_start..payload_start + 4];
            let n = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            if n as usize > NUM_FDS_MAX {
                return Err(FrameError::TooManyFds(n));
            }
            nfds = n as usize;
            payload_start += 4;
            // Each descriptor rides on one dummy byte after the frame; once
            // those bytes are here, so are the descriptors.
            self.fill(4 + body + nfds).await?;
        }
        // Buffer positions are relative to `start`, which `fill` may move.
        let shift = frame_start - (self.start + 4);
        let (payload_start, payload_end) = (payload_start - shift, payload_end - shift);
        if self.fds.len() < nfds {
            return Err(FrameError::MissingFds);
        }
        let payload = self.buf[payload_start..payload_end].to_vec();
        self.start = payload_end + nfds;
        let fds = self.fds.drain(..nfds).collect();
        self.shrink_if_idle();
        Ok(Frame {
            header,
            payload,
            fds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxvirt_protocol::header::MessageType;
    use proptest::prelude::*;

    /// Bytes delivered in the given chunk sizes, then end of stream.
    struct Script {
        data: Vec<u8>,
        chunks: Vec<usize>,
        pos: usize,
    }

    impl RecvHalf for Script {
        async fn recv(
            &mut self,
            buf: &mut [u8],
            _fds: &mut VecDeque<OwnedFd>,
        ) -> io::Result<usize> {
            if self.pos >= self.data.len() {
                return Ok(0);
            }
            let want = self
                .chunks
                .get(self.pos % self.chunks.len().max(1))
                .copied()
                .unwrap_or(7)
                .max(1);
            let n = want.min(buf.len()).min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    fn read_all(data: Vec<u8>, chunks: Vec<usize>) -> Vec<Result<Frame, String>> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut r = FrameReader::new(Script {
                data,
                chunks,
                pos: 0,
            });
            let mut out = Vec::new();
            loop {
                match r.read_frame().await {
                    Ok(f) => out.push(Ok(f)),
                    Err(e) => {
                        out.push(Err(e.to_string()));
                        return out;
                    }
                }
            }
        })
    }

    #[test]
    fn frames_split_across_reads_are_reassembled() {
        let h = Header {
            prog: 1,
            vers: 1,
            proc_: 3,
            type_: MessageType::Call,
            serial: 9,
            status: oxvirt_protocol::header::Status::Ok,
        };
        let mut data = crate::frame::encode(&h, |o| o.extend_from_slice(&[1, 2, 3, 4]));
        data.extend(crate::frame::encode(&h, |_| {}));
        let frames = read_all(data, vec![1, 5, 3]);
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].as_ref().unwrap().payload, vec![1, 2, 3, 4]);
        assert!(frames[1].as_ref().unwrap().payload.is_empty());
        assert_eq!(frames[2].as_ref().unwrap_err(), "connection closed");
    }

    #[test]
    fn fds_announced_but_absent_are_an_error() {
        let h = Header {
            prog: 1,
            vers: 1,
            proc_: 3,
            type_: MessageType::CallWithFds,
            serial: 9,
            status: oxvirt_protocol::header::Status::Ok,
        };
        let mut data = crate::frame::encode(&h, |o| o.extend_from_slice(&1u32.to_be_bytes()));
        data.push(0);
        let frames = read_all(data, vec![64]);
        assert_eq!(
            frames[0].as_ref().unwrap_err(),
            "descriptors announced but not received"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512),
                                       chunks in proptest::collection::vec(1usize..64, 1..8)) {
            let frames = read_all(data, chunks);
            // The last item is always the error that ended the stream.
            prop_assert!(frames.last().is_some_and(|f| f.is_err()));
        }

        #[test]
        fn valid_headers_with_random_payloads_round_trip(payload in proptest::collection::vec(any::<u8>(), 0..2048),
                                                         serial in any::<u32>(), proc_ in any::<i32>()) {
            let h = Header {
                prog: 0x20008086,
                vers: 1,
                proc_,
                type_: MessageType::Reply,
                serial,
                status: oxvirt_protocol::header::Status::Error,
            };
            let data = crate::frame::encode(&h, |o| o.extend_from_slice(&payload));
            let frames = read_all(data, vec![13]);
            let f = frames[0].as_ref().unwrap();
            prop_assert_eq!(f.header, h);
            prop_assert_eq!(&f.payload, &payload);
        }
    }
}
