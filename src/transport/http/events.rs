//! Server-sent event streams and the bounded log that lets a client resume one.
//!
//! Every message a session sends over SSE is recorded with an event id
//! `<stream>-<seq>`; a reconnecting client names the last id it saw (`Last-Event-ID`)
//! and gets the rest of that stream. Each session's log keeps its newest events up to a byte
//! budget, and all logs of a server draw on one shared pool, so many sessions (or a few huge
//! replies) cannot hold unbounded memory: what does not fit is sent but not kept.

use crate::outgoing::Outgoing;
use crate::session::Sink;
use bytes::Bytes;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// One SSE frame as it goes on the wire.
pub fn frame(id: Option<&str>, event: Option<&str>, data: &[u8], retry_ms: Option<u64>) -> Bytes {
    let mut out = frame_head(id, event, retry_ms, data.len() + 2);
    out.extend_from_slice(data);
    out.extend_from_slice(FRAME_TAIL);
    Bytes::from(out)
}

/// What ends a frame: the blank line after its data line.
const FRAME_TAIL: &[u8] = b"\n\n";

/// A frame up to and including `data: `, with room for `more` bytes.
fn frame_head(id: Option<&str>, event: Option<&str>, retry_ms: Option<u64>, more: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(more + 48);
    if let Some(id) = id {
        out.extend_from_slice(b"id: ");
        out.extend_from_slice(id.as_bytes());
        out.push(b'\n');
    }
    if let Some(ms) = retry_ms {
        out.extend_from_slice(format!("retry: {ms}\n").as_bytes());
    }
    if let Some(e) = event {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(e.as_bytes());
        out.push(b'\n');
    }
    // JSON text has no raw newlines, so one data line carries a whole message.
    out.extend_from_slice(b"data: ");
    out
}

/// Messages at least this long are sent without copying them into a frame buffer.
const LARGE_EVENT: usize = 64 * 1024;

pub fn parse_event_id(id: &str) -> Option<(u64, u64)> {
    let (s, n) = id.split_once('-')?;
    Some((s.parse().ok()?, n.parse().ok()?))
}

struct Logged {
    stream: u64,
    seq: u64,
    data: Bytes,
}

/// The bytes all event logs of one server may hold together.
pub struct LogPool {
    used: AtomicUsize,
    cap: usize,
}

impl LogPool {
    pub fn new(cap: usize) -> Arc<LogPool> {
        Arc::new(LogPool {
            used: AtomicUsize::new(0),
            cap,
        })
    }

    /// Bytes held by all logs now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    fn try_take(&self, n: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|&total| total <= self.cap)
            })
            .is_ok()
    }

    fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::AcqRel);
    }
}

/// The events of one session, newest last, within `budget` bytes of the shared pool.
pub struct EventLog {
    events: VecDeque<Logged>,
    bytes: usize,
    budget: usize,
    pool: Arc<LogPool>,
}

impl EventLog {
    pub fn new(budget: usize, pool: Arc<LogPool>) -> Self {
        EventLog {
            events: VecDeque::new(),
            bytes: 0,
            budget,
            pool,
        }
    }

    /// Keep an event for replay, dropping this session's oldest to stay within its budget.
    /// An event larger than the budget, or one the shared pool has no room for even after
    /// that, is not kept: a client resuming past it does not get it again.
    pub fn push(&mut self, stream: u64, seq: u64, data: Bytes) {
        let n = data.len();
        if !self.would_keep(n) {
            return;
        }
        while self.bytes + n > self.budget {
            self.drop_oldest();
        }
        while !self.pool.try_take(n) {
            if self.events.is_empty() {
                return;
            }
            self.drop_oldest();
        }
        self.bytes += n;
        self.events.push_back(Logged { stream, seq, data });
    }

    /// Whether an event of `n` bytes fits this session's budget at all.
    pub fn would_keep(&self, n: usize) -> bool {
        n <= self.budget
    }

    fn drop_oldest(&mut self) {
        if let Some(old) = self.events.pop_front() {
            self.bytes -= old.data.len();
            self.pool.give_back(old.data.len());
        }
    }

    /// The events of `stream` after `seq`, as (seq, message).
    pub fn after(&self, stream: u64, seq: u64) -> Vec<(u64, Bytes)> {
        self.events
            .iter()
            .filter(|e| e.stream == stream && e.seq > seq)
            .map(|e| (e.seq, e.data.clone()))
            .collect()
    }
}

impl Drop for EventLog {
    fn drop(&mut self) {
        self.pool.give_back(self.bytes);
    }
}

/// One SSE stream of a session: a POST's response stream or the standalone GET stream.
/// Messages are logged (for resumption) and, while a connection is attached, sent.
pub struct Stream {
    pub id: u64,
    seq: AtomicU64,
    conn: Mutex<Option<UnboundedSender<Bytes>>>,
    finished: AtomicBool,
    log: Arc<Mutex<EventLog>>,
    /// Old clients cannot parse id-only events and do not resume: no ids for them.
    resumable: bool,
}

impl Stream {
    pub fn new(id: u64, log: Arc<Mutex<EventLog>>, resumable: bool) -> Arc<Stream> {
        Arc::new(Stream {
            id,
            seq: AtomicU64::new(0),
            conn: Mutex::new(None),
            finished: AtomicBool::new(false),
            log,
            resumable,
        })
    }

    pub fn attach(&self, tx: UnboundedSender<Bytes>) {
        *self.conn.lock() = Some(tx);
    }

    pub fn is_attached(&self) -> bool {
        self.conn.lock().as_ref().is_some_and(|tx| !tx.is_closed())
    }

    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// The priming event: an id (and the reconnection delay) before any message.
    pub fn prime(&self, retry_ms: Option<u64>) {
        if !self.resumable {
            return;
        }
        let seq = self.seq.fetch_add(1, Ordering::AcqRel);
        let id = format!("{}-{}", self.id, seq);
        self.deliver(frame(Some(&id), None, b"", retry_ms));
    }

    /// Send one JSON-RPC message as an event.
    pub fn send(&self, message: impl Into<Outgoing>) {
        let message = message.into();
        let len = message.len();
        let id = if self.resumable {
            let seq = self.seq.fetch_add(1, Ordering::AcqRel);
            Some((seq, format!("{}-{}", self.id, seq)))
        } else {
            None
        };
        let name = id.as_ref().map(|(_, name)| name.as_str());
        if len < LARGE_EVENT {
            let data = Bytes::from(message.into_vec());
            if let Some((seq, _)) = &id {
                self.log.lock().push(self.id, *seq, data.clone());
            }
            self.deliver(frame(name, Some("message"), &data, None));
            return;
        }
        // A large message goes out as its pieces, between its frame's head and tail, rather
        // than copied into one frame buffer. The log joins them only when it keeps them.
        let mut parts = vec![Bytes::from(frame_head(name, Some("message"), None, 0))];
        parts.extend(message.into_frames());
        if let Some((seq, _)) = &id {
            let mut log = self.log.lock();
            if log.would_keep(len) {
                log.push(self.id, *seq, Bytes::from(parts[1..].concat()));
            }
        }
        parts.push(Bytes::from_static(FRAME_TAIL));
        self.deliver_parts(parts);
    }

    pub fn deliver(&self, frame: Bytes) {
        self.deliver_parts([frame]);
    }

    /// Queue the pieces of one frame together, so no other event lands between them.
    fn deliver_parts(&self, parts: impl IntoIterator<Item = Bytes>) {
        let mut conn = self.conn.lock();
        if let Some(tx) = conn.as_ref() {
            for part in parts {
                if tx.send(part).is_err() {
                    // The client went away; the log keeps the events for a resumption.
                    *conn = None;
                    return;
                }
            }
        }
    }

    /// Whether clients can resume this stream (it was primed with an event id).
    pub fn is_resumable(&self) -> bool {
        self.resumable
    }

    /// End the current connection; the stream lives on for a resumption. Only for
    /// resumable streams (the client was told an id to resume from).
    pub fn disconnect(&self) -> bool {
        if !self.resumable || self.is_finished() {
            return false;
        }
        self.conn.lock().take();
        true
    }

    /// No more messages: the attached response body ends.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::Release);
        self.conn.lock().take();
    }

    /// Replay what came after `seq` onto a new connection and stay attached if the
    /// stream is still live. Returns false when it already finished (the body then ends
    /// after the replay).
    pub fn resume(&self, seq: u64, tx: UnboundedSender<Bytes>) -> bool {
        let mut conn = self.conn.lock();
        for (s, data) in self.log.lock().after(self.id, seq) {
            let _ = tx.send(frame(Some(&format!("{}-{}", self.id, s)), Some("message"), &data, None));
        }
        if self.is_finished() {
            return false;
        }
        *conn = Some(tx);
        true
    }
}

/// A stream is where messages related to its request (or, for the GET stream, the
/// session's own messages) go.
impl Sink for Stream {
    fn send(&self, message: Outgoing) {
        Stream::send(self, message);
    }
    fn disconnect(&self) -> bool {
        Stream::disconnect(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_ids() {
        assert_eq!(
            &frame(Some("3-1"), Some("message"), b"{}", None)[..],
            b"id: 3-1\nevent: message\ndata: {}\n\n"
        );
        assert_eq!(
            &frame(Some("0-0"), None, b"", Some(500))[..],
            b"id: 0-0\nretry: 500\ndata: \n\n"
        );
        assert_eq!(parse_event_id("12-7"), Some((12, 7)));
        assert_eq!(parse_event_id("x"), None);
    }

    fn seqs(log: &EventLog, stream: u64) -> Vec<u64> {
        log.after(stream, 0).iter().map(|e| e.0).collect()
    }

    #[test]
    fn the_log_keeps_the_newest_within_budget() {
        let pool = LogPool::new(1 << 20);
        let mut log = EventLog::new(10, pool.clone());
        for i in 0..5 {
            log.push(1, i, Bytes::from_static(b"abcd"));
        }
        assert_eq!(seqs(&log, 1), [3, 4]);
        assert!(log.after(2, 0).is_empty());
        assert_eq!(pool.used(), 8);
        // Larger than the whole budget: sent, not kept, and the older events stay.
        log.push(1, 5, Bytes::from(vec![b'x'; 11]));
        assert_eq!(seqs(&log, 1), [3, 4]);
        drop(log);
        assert_eq!(pool.used(), 0, "a closed session gives its bytes back");
    }

    #[test]
    fn all_sessions_together_stay_within_the_pool() {
        let pool = LogPool::new(20);
        let mut a = EventLog::new(16, pool.clone());
        let mut b = EventLog::new(16, pool.clone());
        for i in 0..4 {
            a.push(1, i, Bytes::from_static(b"aaaa"));
        }
        assert_eq!(pool.used(), 16);
        // b finds 4 bytes left: its first event fits; its second does not fit even after
        // b gives up its first, so b ends up keeping nothing.
        b.push(1, 0, Bytes::from_static(b"bbbb"));
        assert_eq!(pool.used(), 20);
        b.push(1, 1, Bytes::from_static(b"bbbbbbbb"));
        assert_eq!(seqs(&b, 1), Vec::<u64>::new());
        assert_eq!(pool.used(), 16);
        // a makes room within its own log.
        a.push(1, 4, Bytes::from_static(b"aaaa"));
        assert_eq!(seqs(&a, 1), [1, 2, 3, 4]);
        assert!(pool.used() <= 20);
        drop(a);
        drop(b);
        assert_eq!(pool.used(), 0);
    }

    #[test]
    fn a_large_message_is_sent_in_pieces_that_make_the_same_frame() {
        let log = Arc::new(Mutex::new(EventLog::new(1 << 20, LogPool::new(1 << 20))));
        let s = Stream::new(2, log, true);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        s.attach(tx);
        let big = vec![b'7'; LARGE_EVENT + 1];
        s.send(big.clone());
        let parts: Vec<Bytes> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), &frame(Some("2-0"), Some("message"), &big, None)[..]);
    }

    #[test]
    fn resumption_replays_then_follows() {
        let log = Arc::new(Mutex::new(EventLog::new(1 << 20, LogPool::new(1 << 20))));
        let s = Stream::new(5, log, true);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        s.attach(tx);
        s.prime(None);
        s.send(b"1".to_vec());
        s.send(b"2".to_vec());
        drop(rx);
        s.send(b"3".to_vec()); // the client is gone: logged only
        let (tx2, mut rx2) = tokio::sync::mpsc::unbounded_channel();
        assert!(s.resume(1, tx2));
        s.send(b"4".to_vec());
        let got: Vec<_> = std::iter::from_fn(|| rx2.try_recv().ok()).collect();
        assert_eq!(got.len(), 3);
        assert!(got[0].starts_with(b"id: 5-2\n"));
        assert!(got[2].ends_with(b"data: 4\n\n"));
        rx = tokio::sync::mpsc::unbounded_channel().1;
        drop(rx);
    }
}
