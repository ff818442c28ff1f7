//! Response bodies written by blocking code and sent while they are being written.
//!
//! An export runs on the blocking pool and writes into a bounded channel; the response
//! body reads from the other end. At most `CHANNEL` chunks of about `CHUNK` bytes wait
//! in memory: a slow client slows the writer down instead of filling memory, and a
//! client that goes away stops it (the next send fails). Nothing builds the whole file.
//!
//! The status line and headers are sent before the first row is read, so a failure
//! half-way cannot become an error page: the body is then cut off (no final chunk),
//! which clients report as a failed download, never as a complete file.

use axum::body::{Body, Bytes};
use axum::response::Response;
use plenary_app::export::{Export, ExportError};
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// Bytes gathered before a chunk is handed to the connection.
const CHUNK: usize = 64 * 1024;
/// Chunks that may wait for the client.
const CHANNEL: usize = 4;

/// The writing end: a `Write` that sends a chunk whenever `CHUNK` bytes are gathered.
pub(crate) struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The reading end, as the stream of a response body.
struct Chunks(mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// A response body that `write` fills, on the blocking pool; an error ends the body
/// with an error (the connection is cut).
pub(crate) fn blocking_body(
    write: impl FnOnce(&mut ChannelWriter) -> io::Result<()> + Send + 'static,
) -> Body {
    let (tx, rx) = mpsc::channel(CHANNEL);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = write(&mut out).and_then(|()| out.flush()) {
            let _ = out.tx.blocking_send(Err(e));
        }
    });
    Body::from_stream(Chunks(rx))
}

/// An export as a download, streamed.
pub(crate) fn file(export: impl Export) -> Response {
    let content_type = export.format().content_type();
    let file_name = export.file_name().to_owned();
    let (what, event) = (export.what(), export.event_id());
    let body = blocking_body(move |mut out| match export.write_to(&mut out) {
        Ok(rows) => {
            tracing::info!(what, event, rows, "exported");
            Ok(())
        }
        Err(ExportError::Write(e)) => {
            tracing::info!(what, event, error = %e, "export not completed");
            Err(e)
        }
        Err(ExportError::App(e)) => {
            tracing::error!(what, event, error = ?e, "export failed");
            Err(io::Error::other("the export failed"))
        }
    });
    // Personal data: not for a shared cache.
    crate::download::file(
        content_type,
        crate::download::Show::Attachment,
        &file_name,
        true,
        body,
    )
}
