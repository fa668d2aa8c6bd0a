//! Carries a driver's [`DriverStream`] over the client's connection.
//!
//! The bridge sends the call's REPLY itself, through the client's outbound
//! queue, before any stream packet, so the order libvirt's clients expect
//! (reply first, then data) holds whether the call ran inline or on a task.
//! Client packets arrive through the stream registry: data and holes go to the
//! sink, STREAM/OK finishes (the sink commits and the client gets OK or the
//! error), STREAM/ERROR or a vanished client aborts.

use oxvirt_driver::{DriverStream, StreamChunk, StreamSink, StreamSource};
use oxvirt_protocol::header::Header;
use oxvirt_rpc::{Client, StreamPacket, StreamSender};
use std::sync::Arc;

async fn next_chunk(
    source: &mut Option<Box<dyn StreamSource>>,
) -> oxvirt_core::Result<Option<StreamChunk>> {
    match source {
        Some(s) => s.next().await,
        None => std::future::pending().await,
    }
}

/// Registers the stream of call `h` and starts moving bytes; `reply` is the
/// encoded REPLY frame, sent before anything else.
pub(crate) fn spawn(client: Arc<Client>, h: Header, reply: Vec<u8>, ds: DriverStream) {
    let mut rx = client.streams().register(&h);
    let tx = StreamSender::new(client.clone(), &h);
    tokio::spawn(async move {
        if !client.send(reply).await {
            client.streams().unregister(&h);
            return;
        }
        let DriverStream { mut source, sink } = ds;
        let mut sink: Option<Box<dyn StreamSink>> = sink;
        loop {
            tokio::select! {
                chunk = next_chunk(&mut source), if source.is_some() => match chunk {
                    Ok(Some(StreamChunk::Data(b))) => {
                        if !tx.data(&b).await {
                            break;
                        }
                    }
                    Ok(Some(StreamChunk::Hole(n))) => {
                        if !tx.hole(n.min(i64::MAX as u64) as i64).await {
                            break;
                        }
                    }
                    Ok(None) => {
                        drop(source.take());
                        if !tx.eof().await {
                            break;
                        }
                    }
                    Err(e) => {
                        if let Some(s) = sink.take() {
                            s.abort().await;
                        }
                        tx.error(&e).await;
                        client.streams().unregister(&h);
                        return;
                    }
                },
                pkt = rx.recv() => match pkt {
                    Some(StreamPacket::Data(b)) => {
                        if let Some(s) = sink.as_mut() {
                            if let Err(e) = s.data(&b).await {
                                if let Some(s) = sink.take() {
                                    s.abort().await;
                                }
                                tx.error(&e).await;
                                client.streams().unregister(&h);
                                return;
                            }
                        }
                    }
                    Some(StreamPacket::Hole(n)) => {
                        if let Some(s) = sink.as_mut() {
                            if let Err(e) = s.hole(n.max(0) as u64).await {
                                if let Some(s) = sink.take() {
                                    s.abort().await;
                                }
                                tx.error(&e).await;
                                client.streams().unregister(&h);
                                return;
                            }
                        }
                    }
                    // The client's end of data; the finish follows.
                    Some(StreamPacket::Eof) => {}
                    Some(StreamPacket::Finish) => {
                        client.streams().unregister(&h);
                        // Release the driver's side (a console session, say)
                        // before confirming, so the client's next open finds
                        // it free.
                        drop(source.take());
                        let result = match sink.take() {
                            Some(s) => s.finish().await,
                            None => Ok(()),
                        };
                        match result {
                            Ok(()) => tx.ok().await,
                            Err(e) => tx.error(&e).await,
                        };
                        return;
                    }
                    Some(StreamPacket::Abort) | None => {
                        client.streams().unregister(&h);
                        drop(source.take());
                        if let Some(s) = sink.take() {
                            s.abort().await;
                        }
                        tx.ok().await;
                        return;
                    }
                },
            }
        }
        // The client went away while we were sending.
        client.streams().unregister(&h);
        if let Some(s) = sink.take() {
            s.abort().await;
        }
    });
}
