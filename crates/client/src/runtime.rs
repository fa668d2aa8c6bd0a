//! Where the client's I/O runs, and how synchronous code waits for it.
//!
//! Every connection's reader, writer and keepalive tasks run on one small
//! tokio runtime owned by the library (one worker thread, started on first
//! use). The futures the public API returns only wait on channels, so they can
//! be awaited from any executor — tokio, another runtime, or none at all: the
//! [`Wait`] trait blocks the calling thread until a future is ready, which is
//! the library's blocking interface.

use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Wake, Waker};

static RUNTIME: OnceLock<std::result::Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// The library's runtime handle, starting the runtime on first use.
pub(crate) fn handle() -> Result<tokio::runtime::Handle> {
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("oxvirt-client")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    match rt {
        Ok(rt) => Ok(rt.handle().clone()),
        Err(e) => Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::INTERNAL_ERROR,
            format!("cannot start the client runtime: {e}"),
        )),
    }
}

/// Runs `fut` on the library's runtime and waits for its result from any
/// executor.
pub(crate) async fn run<F, T>(fut: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let h = handle()?.spawn(fut);
    match h.await {
        Ok(r) => r,
        Err(e) => Err(Error::new(
            ErrorDomain::RPC,
            ErrorCode::INTERNAL_ERROR,
            format!("client task failed: {e}"),
        )),
    }
}

struct ThreadWaker(std::thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Blocking use of the asynchronous API: `conn.domain_lookup_by_name("x").wait()`.
///
/// Implemented for every future. It parks the calling thread until the future
/// completes. Do not call it on a thread of an async executor that the future
/// itself needs; the library's own futures never need the caller's executor,
/// so calling it from plain threads, `main`, or event callbacks is fine.
pub trait Wait: Future + Sized {
    /// Blocks until the future is ready and returns its output.
    fn wait(self) -> Self::Output {
        let mut fut = std::pin::pin!(self);
        let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            match fut.as_mut().poll(&mut cx) {
                Poll::Ready(v) => return v,
                Poll::Pending => std::thread::park(),
            }
        }
    }
}

impl<F: Future> Wait for F {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_runs_a_task_on_the_library_runtime() {
        let v = run(async {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            Ok(7)
        })
        .wait()
        .unwrap();
        assert_eq!(v, 7);
    }
}
