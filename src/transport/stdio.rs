//! stdio: newline-delimited JSON-RPC. One reader thread parses and routes each line
//! (handlers run elsewhere, so requests on the connection proceed concurrently); one
//! writer thread owns the output and writes whatever is queued, flushing when the queue
//! runs dry so bursts of replies cost one write call.

use crate::dispatch::{Backend, Server};
use crate::jsonrpc;
use crate::outgoing::Outgoing;
use crate::session::{Session, Sink};
use crossbeam_channel::{unbounded, Receiver, Sender};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long in-flight requests may finish after the client closed stdin.
pub const DRAIN_ON_EOF: Duration = Duration::from_secs(2);

/// A message at least this long widens its pipe (see `widen_pipe`).
const LARGE_MESSAGE: usize = 256 * 1024;

/// The pipe buffer asked for then: Linux's default ceiling for unprivileged processes.
const WIDE_PIPE: libc::c_int = 1 << 20;

/// Give a pipe a 1 MiB buffer instead of the default 64 KiB. A multi-megabyte message then
/// crosses in a sixteenth of the write/wake-up round trips (measured: a 20 MB reply went
/// from 28 ms to 12 ms between two pinned processes). Done on the first large message only,
/// so servers that never send one keep the default and leave the user's pipe-memory budget
/// alone. Failure is harmless: not a pipe, or the budget is spent, and the default stays.
fn widen_pipe(fd: impl AsFd) {
    #[cfg(target_os = "linux")]
    // SAFETY: fcntl on a descriptor borrowed for the duration of the call.
    unsafe {
        libc::fcntl(fd.as_fd().as_raw_fd(), libc::F_SETPIPE_SZ, WIDE_PIPE);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = fd;
}

struct ChannelSink(Sender<Outgoing>);

impl Sink for ChannelSink {
    fn send(&self, message: Outgoing) {
        // The writer only goes away at shutdown; a late message then has nowhere to go.
        let _ = self.0.send(message);
    }
}

pub struct StdioServer {
    pub session: Arc<Session>,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl StdioServer {
    /// Block until stdin reached EOF, the session closed and every queued message was written.
    pub fn join(self) {
        let _ = self.reader.join();
        let _ = self.writer.join();
    }

    pub fn is_finished(&self) -> bool {
        self.reader.is_finished() && self.writer.is_finished()
    }
}

/// Serve one session over `input`/`output`. `on_exit` runs once everything is written.
pub fn serve<B, R, W>(
    server: Arc<Server<B>>,
    input: R,
    output: W,
    on_exit: Box<dyn FnOnce() + Send>,
) -> std::io::Result<StdioServer>
where
    B: Backend,
    R: Read + AsFd + Send + 'static,
    W: Write + AsFd + Send + 'static,
{
    let (tx, rx) = unbounded::<Outgoing>();
    let stop = tx.clone();
    let session = server.open_session(None, Arc::new(ChannelSink(tx)));
    let writer = std::thread::Builder::new()
        .name("ferromcp-stdio-writer".into())
        .spawn(move || {
            write_loop(rx, output);
            on_exit();
        })?;
    let s = session.clone();
    let reader = std::thread::Builder::new()
        .name("ferromcp-stdio-reader".into())
        .spawn(move || {
            read_loop(&server, &s, input);
            // EOF: give running requests a moment, stop the rest, then tell the writer to
            // finish once what is queued is out.
            s.wait_idle(DRAIN_ON_EOF);
            s.close();
            let _ = stop.send(Outgoing::default());
        })?;
    Ok(StdioServer {
        session,
        reader,
        writer,
    })
}

fn read_loop<B: Backend, R: Read + AsFd>(server: &Server<B>, session: &Arc<Session>, input: R) {
    let mut reader = BufReader::with_capacity(64 * 1024, input);
    let mut line = Vec::with_capacity(4096);
    let mut widened = false;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return,
        }
        if !widened && line.len() >= LARGE_MESSAGE {
            widen_pipe(reader.get_ref());
            widened = true;
        }
        let text = trim_line(&line);
        if text.is_empty() {
            continue;
        }
        // A bug in routing must cost one message, not the connection.
        let routed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            server.handle(session, jsonrpc::parse(text))
        }));
        if routed.is_err() {
            let e = jsonrpc::RpcError::internal("Internal error: the server failed on this message");
            session.send(jsonrpc::error_bytes(None, &e));
        }
    }
}

fn trim_line(line: &[u8]) -> &[u8] {
    let start = line.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &line[start..end.max(start)]
}

fn write_loop<W: Write + AsFd>(rx: Receiver<Outgoing>, output: W) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, output);
    let mut widened = false;
    while let Ok(first) = rx.recv() {
        let mut msg = first;
        loop {
            if msg.is_empty() {
                // The end marker from the reader.
                let _ = out.flush();
                return;
            }
            if !widened && msg.len() >= LARGE_MESSAGE {
                widen_pipe(out.get_ref());
                widened = true;
            }
            // Small pieces gather in the buffer; a large one (a spliced string) goes
            // straight from where it lies to the pipe.
            let written = msg.pieces().try_for_each(|piece| out.write_all(piece));
            if written.and_then(|_| out.write_all(b"\n")).is_err() {
                // The client stopped reading; keep draining so senders never block.
                for _ in rx.iter() {}
                return;
            }
            match rx.try_recv() {
                Ok(next) => msg = next,
                Err(_) => break,
            }
        }
        if out.flush().is_err() {
            for _ in rx.iter() {}
            return;
        }
    }
}
