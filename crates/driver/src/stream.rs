//! Byte streams a driver opens for a client: a console, a volume upload or
//! download, a screenshot.
//!
//! A driver answers a stream-opening call (`DOMAIN_OPEN_CONSOLE`,
//! `STORAGE_VOL_UPLOAD`, …) with a [`DriverStream`]; the daemon then carries
//! the client's STREAM packets into the [`StreamSink`] and the
//! [`StreamSource`]'s chunks out to the client, and turns finish and abort
//! into [`StreamSink::finish`] / [`StreamSink::abort`]. The driver never sees
//! the wire.

use async_trait::async_trait;
use oxvirt_core::Result;

/// A piece of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamChunk {
    /// Bytes.
    Data(Vec<u8>),
    /// A run of zeroes not sent as data (sparse streams).
    Hole(u64),
}

/// Where the driver's bytes come from (download, console output).
#[async_trait]
pub trait StreamSource: Send {
    /// The next chunk, or `None` at the end of the data.
    async fn next(&mut self) -> Result<Option<StreamChunk>>;
}

/// Where the client's bytes go (upload, console input).
#[async_trait]
pub trait StreamSink: Send {
    /// Writes bytes.
    async fn data(&mut self, bytes: &[u8]) -> Result<()>;
    /// Skips `len` bytes (sparse upload); sinks that cannot, write zeroes.
    async fn hole(&mut self, len: u64) -> Result<()>;
    /// The client finished: flush and commit. An error is reported to the
    /// client on the stream.
    async fn finish(self: Box<Self>) -> Result<()>;
    /// The client aborted or went away: undo or leave a clearly partial result.
    async fn abort(self: Box<Self>);
}

/// The two directions of a stream; either may be absent.
#[derive(Default)]
pub struct DriverStream {
    pub source: Option<Box<dyn StreamSource>>,
    pub sink: Option<Box<dyn StreamSink>>,
}

impl DriverStream {
    /// A download-style stream.
    pub fn source(s: impl StreamSource + 'static) -> Self {
        DriverStream {
            source: Some(Box::new(s)),
            sink: None,
        }
    }

    /// An upload-style stream.
    pub fn sink(s: impl StreamSink + 'static) -> Self {
        DriverStream {
            source: None,
            sink: Some(Box::new(s)),
        }
    }

    /// A bidirectional stream (console).
    pub fn duplex(source: impl StreamSource + 'static, sink: impl StreamSink + 'static) -> Self {
        DriverStream {
            source: Some(Box::new(source)),
            sink: Some(Box::new(sink)),
        }
    }
}
