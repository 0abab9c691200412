//! The HTTP session table: one entry per `Mcp-Session-Id` (or legacy SSE session), with
//! its event log, its standalone stream and the response streams still open.

use super::events::{EventLog, LogPool, Stream};
use crate::session::{Session, Sink};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The id of the standalone GET stream within a session.
pub const GET_STREAM: u64 = 0;

pub struct HttpSession {
    pub id: String,
    pub core: Arc<Session>,
    pub get: Arc<Stream>,
    log: Arc<Mutex<EventLog>>,
    open: Mutex<HashMap<u64, Arc<Stream>>>,
    next_stream: AtomicU64,
    last_seen: Mutex<Instant>,
}

impl HttpSession {
    /// `open_core` creates the engine session given the sink for session-level messages.
    pub fn new(
        id: String,
        log_budget: usize,
        log_pool: Arc<LogPool>,
        open_core: impl FnOnce(Arc<dyn Sink>) -> Arc<Session>,
    ) -> Arc<HttpSession> {
        let log = Arc::new(Mutex::new(EventLog::new(log_budget, log_pool)));
        let get = Stream::new(GET_STREAM, log.clone(), true);
        // Session-level messages (list changes, requests not tied to a POST) go to the GET stream.
        let core = open_core(get.clone());
        Arc::new(HttpSession {
            id,
            core,
            get,
            log,
            open: Mutex::new(HashMap::new()),
            next_stream: AtomicU64::new(1),
            last_seen: Mutex::new(Instant::now()),
        })
    }

    pub fn touch(&self) {
        *self.last_seen.lock() = Instant::now();
    }

    pub fn idle_for(&self) -> Duration {
        self.last_seen.lock().elapsed()
    }

    /// A new response stream, kept findable for resumption until it finishes.
    pub fn new_stream(&self, primes: bool) -> Arc<Stream> {
        let id = self.next_stream.fetch_add(1, Ordering::Relaxed);
        let s = Stream::new(id, self.log.clone(), primes);
        self.open.lock().insert(id, s.clone());
        s
    }

    pub fn forget_stream(&self, id: u64) {
        self.open.lock().remove(&id);
    }

    pub fn stream(&self, id: u64) -> Option<Arc<Stream>> {
        if id == GET_STREAM {
            return Some(self.get.clone());
        }
        self.open.lock().get(&id).cloned()
    }

    /// Replay a finished stream's logged events after `seq`.
    pub fn replay(&self, stream: u64, seq: u64) -> Vec<(u64, bytes::Bytes)> {
        self.log.lock().after(stream, seq)
    }

    /// End everything: the engine session, and every open stream's connection.
    pub fn close(&self) {
        self.core.close();
        self.get.finish();
        for s in self.open.lock().drain().map(|(_, s)| s) {
            s.finish();
        }
    }
}

/// Session ids: 128 random bits from the OS, as hex (visible ASCII, as the spec asks).
pub fn new_session_id() -> String {
    let mut buf = [0u8; 16];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
pub struct SessionTable {
    sessions: Mutex<HashMap<String, Arc<HttpSession>>>,
}

impl SessionTable {
    pub fn get(&self, id: &str) -> Option<Arc<HttpSession>> {
        self.sessions.lock().get(id).cloned()
    }

    /// Insert unless the table is full.
    pub fn insert(&self, s: Arc<HttpSession>, max: usize) -> bool {
        let mut map = self.sessions.lock();
        if max > 0 && map.len() >= max {
            return false;
        }
        map.insert(s.id.clone(), s);
        true
    }

    pub fn remove(&self, id: &str) -> Option<Arc<HttpSession>> {
        let s = self.sessions.lock().remove(id);
        if let Some(s) = &s {
            s.close();
        }
        s
    }

    pub fn len(&self) -> usize {
        self.sessions.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Close sessions idle for longer than `timeout`: nothing in flight, no client
    /// attached to their standalone stream, no request for that long.
    pub fn reap(&self, timeout: Duration) -> usize {
        let idle: Vec<String> = self
            .sessions
            .lock()
            .values()
            .filter(|s| s.idle_for() >= timeout && s.core.in_flight_count() == 0 && !s.get.is_attached())
            .map(|s| s.id.clone())
            .collect();
        for id in &idle {
            self.remove(id);
        }
        idle.len()
    }

    pub fn close_all(&self) {
        let all: Vec<_> = self.sessions.lock().drain().map(|(_, s)| s).collect();
        for s in all {
            s.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_random_hex() {
        let a = new_session_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, new_session_id());
    }
}
