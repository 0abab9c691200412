//! Per-session state and the per-request context handlers use to talk back.
//!
//! A `Session` is one client connection (a stdio process or an HTTP session id): the
//! negotiated revision, what the client declared, its log level and subscriptions, the
//! requests it has in flight (for cancellation) and the requests we sent it that still
//! await an answer.

use crate::jsonrpc::{self, RequestId, RpcError};
use crate::outgoing::Outgoing;
use crate::protocol::logging::Level;
use parking_lot::{Condvar, Mutex};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where serialised messages go. Transports implement it.
pub trait Sink: Send + Sync {
    fn send(&self, message: Outgoing);
    /// A request ended without a reply (it was cancelled). Collectors that wait for a
    /// fixed number of replies (batches, HTTP request streams) count it as done.
    fn skip(&self) {}
    /// Close the client's connection but keep the stream resumable (SEP-1699 polling):
    /// later messages are logged and replayed when the client reconnects with
    /// `Last-Event-ID`. False where the transport has no such streams.
    fn disconnect(&self) -> bool {
        false
    }
}

/// Called once with the client's answer to a server->client request.
pub type ReplyCallback = Box<dyn FnOnce(Result<Value, RpcError>) + Send>;

#[derive(Default)]
struct State {
    version: Option<&'static str>,
    client_params: Option<Value>,
    initialized: bool,
    log_level: Option<Level>,
}

pub struct Session {
    pub id: Option<String>,
    sink: Arc<dyn Sink>,
    state: Mutex<State>,
    in_flight: Mutex<HashMap<RequestId, Arc<RequestCtx>>>,
    idle: Condvar,
    pending: Mutex<HashMap<i64, ReplyCallback>>,
    next_request_id: AtomicI64,
    subscriptions: Mutex<HashSet<String>>,
    closed: AtomicBool,
}

impl Session {
    pub fn new(id: Option<String>, sink: Arc<dyn Sink>) -> Arc<Session> {
        Arc::new(Session {
            id,
            sink,
            state: Mutex::new(State::default()),
            in_flight: Mutex::new(HashMap::new()),
            idle: Condvar::new(),
            pending: Mutex::new(HashMap::new()),
            next_request_id: AtomicI64::new(0),
            subscriptions: Mutex::new(HashSet::new()),
            closed: AtomicBool::new(false),
        })
    }

    pub fn sink(&self) -> &Arc<dyn Sink> {
        &self.sink
    }

    pub fn send(&self, message: impl Into<Outgoing>) {
        if !self.closed.load(Ordering::Acquire) {
            self.sink.send(message.into());
        }
    }

    pub fn notify(&self, method: &str, params: Option<&Value>) {
        self.send(jsonrpc::notification_bytes(method, params));
    }

    // ---- lifecycle -------------------------------------------------------------------

    pub fn set_initialize(&self, version: &'static str, client_params: Value) {
        let mut s = self.state.lock();
        s.version = Some(version);
        s.client_params = Some(client_params);
    }

    pub fn mark_initialized(&self) {
        self.state.lock().initialized = true;
    }

    pub fn is_initialized(&self) -> bool {
        self.state.lock().initialized
    }

    pub fn version(&self) -> Option<&'static str> {
        self.state.lock().version
    }

    pub fn client_params(&self) -> Option<Value> {
        self.state.lock().client_params.clone()
    }

    /// True when the client declared `capabilities.<name>` at initialize.
    pub fn client_supports(&self, name: &str) -> bool {
        let s = self.state.lock();
        s.client_params
            .as_ref()
            .and_then(|p| p.get("capabilities"))
            .and_then(|c| c.get(name))
            .is_some_and(|v| !v.is_null())
    }

    pub fn set_log_level(&self, level: Level) {
        self.state.lock().log_level = Some(level);
    }

    /// Whether a message at `level` passes the client's `logging/setLevel`. Until the
    /// client sets one, everything passes (as the reference SDK does).
    pub fn log_passes(&self, level: Level) -> bool {
        self.state.lock().log_level.is_none_or(|min| level >= min)
    }

    pub fn subscribe(&self, uri: &str) {
        self.subscriptions.lock().insert(uri.to_owned());
    }

    pub fn unsubscribe(&self, uri: &str) {
        self.subscriptions.lock().remove(uri);
    }

    pub fn is_subscribed(&self, uri: &str) -> bool {
        self.subscriptions.lock().contains(uri)
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// End the session: cancel what runs, fail what waits for the client.
    pub fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let running: Vec<_> = self.in_flight.lock().values().cloned().collect();
        for ctx in running {
            ctx.cancel();
        }
        let waiting: Vec<_> = self.pending.lock().drain().map(|(_, cb)| cb).collect();
        for cb in waiting {
            cb(Err(RpcError::new(jsonrpc::INTERNAL_ERROR, "Connection closed")));
        }
    }

    // ---- requests from the client ----------------------------------------------------

    pub(crate) fn track(&self, ctx: &Arc<RequestCtx>) {
        self.in_flight.lock().insert(ctx.id.clone(), ctx.clone());
    }

    fn untrack(&self, id: &RequestId) {
        let mut map = self.in_flight.lock();
        map.remove(id);
        if map.is_empty() {
            self.idle.notify_all();
        }
    }

    /// The running request whose id reads `id` (`5` and `"5"` name the same request, as
    /// the SDK matches a `related_request_id`); None once it has been answered.
    pub fn running(&self, id: &str) -> Option<Arc<RequestCtx>> {
        let map = self.in_flight.lock();
        let by_int = id.parse().ok().and_then(|i| map.get(&RequestId::Int(i)));
        let found = by_int.or_else(|| map.get(&RequestId::Str(id.to_owned())))?;
        (!found.is_done()).then(|| found.clone())
    }

    /// `notifications/message` on the session's own channel (dropped below its level).
    pub fn log(&self, level: Level, data: Value, logger: Option<&str>) {
        if self.log_passes(level) {
            self.notify("notifications/message", Some(&log_params(level, data, logger)));
        }
    }

    pub fn in_flight_count(&self) -> usize {
        self.in_flight.lock().len()
    }

    /// Wait until no request is in flight, at most `timeout`. True when idle.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut map = self.in_flight.lock();
        while !map.is_empty() {
            if self.idle.wait_until(&mut map, deadline).timed_out() {
                return map.is_empty();
            }
        }
        true
    }

    /// `notifications/cancelled`: unknown or finished ids are ignored.
    pub fn cancel_request(&self, id: &RequestId) {
        let ctx = self.in_flight.lock().get(id).cloned();
        if let Some(ctx) = ctx {
            ctx.cancel();
        }
    }

    // ---- requests to the client ------------------------------------------------------

    /// Send a server->client request; `callback` gets the client's answer.
    pub fn request(&self, method: &str, params: Option<&Value>, sink: &Arc<dyn Sink>, callback: ReplyCallback) {
        if self.is_closed() {
            callback(Err(RpcError::new(jsonrpc::INTERNAL_ERROR, "Connection closed")));
            return;
        }
        let id = self.next_request_id.fetch_add(1, Ordering::Relaxed);
        self.pending.lock().insert(id, callback);
        sink.send(jsonrpc::request_bytes(&RequestId::Int(id), method, params).into());
    }

    /// A response or error from the client. False when nothing waited for it.
    pub fn resolve(&self, id: &RequestId, outcome: Result<Value, RpcError>) -> bool {
        let RequestId::Int(n) = id else { return false };
        let cb = self.pending.lock().remove(n);
        match cb {
            Some(cb) => {
                cb(outcome);
                true
            }
            None => false,
        }
    }
}

/// The capability a server->client request needs the client to have declared.
pub fn required_client_capability(method: &str) -> Option<&'static str> {
    match method {
        "sampling/createMessage" => Some("sampling"),
        "elicitation/create" => Some("elicitation"),
        "roots/list" => Some("roots"),
        _ => None,
    }
}

/// What a running handler holds: the request's identity, and the ways to reply, report
/// progress, log, notify and ask the client things on behalf of this request.
pub struct RequestCtx {
    pub id: RequestId,
    pub session: Arc<Session>,
    pub meta: Option<Value>,
    pub progress_token: Option<Value>,
    /// HTTP request headers, when the request came over HTTP.
    pub headers: Option<Arc<Vec<(String, String)>>>,
    /// Where the reply goes (a batch collector, an HTTP response, or the session).
    reply: Arc<dyn Sink>,
    /// Where messages related to this request go before the reply.
    stream: Arc<dyn Sink>,
    done: AtomicBool,
    cancelled: AtomicBool,
    cancel_hook: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl RequestCtx {
    pub fn new(
        id: RequestId,
        session: Arc<Session>,
        params: Option<&Value>,
        reply: Arc<dyn Sink>,
        stream: Arc<dyn Sink>,
        headers: Option<Arc<Vec<(String, String)>>>,
    ) -> Arc<RequestCtx> {
        let meta = params.and_then(|p| p.get("_meta")).filter(|m| m.is_object()).cloned();
        let progress_token = meta
            .as_ref()
            .and_then(|m| m.get("progressToken"))
            .filter(|t| t.is_string() || t.is_number())
            .cloned();
        Arc::new(RequestCtx {
            id,
            session,
            meta,
            progress_token,
            headers,
            reply,
            stream,
            done: AtomicBool::new(false),
            cancelled: AtomicBool::new(false),
            cancel_hook: Mutex::new(None),
        })
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Claim the one reply this request gets; false when it was already given.
    fn claim(&self) -> bool {
        !self.done.swap(true, Ordering::AcqRel)
    }

    /// Send the result (already serialised JSON). Ignored after cancellation or a first reply.
    pub fn respond_json(&self, result_json: &[u8]) {
        self.send_reply(jsonrpc::response_bytes(&self.id, result_json).into());
    }

    /// Reply with a result that `write` serialises straight into the message after the
    /// envelope's head, so a large result is written once and never copied. When `write`
    /// fails, `on_error` turns its error into the error reply.
    pub fn respond_with<E>(
        &self,
        write: impl FnOnce(&mut Outgoing) -> Result<(), E>,
        on_error: impl FnOnce(E) -> RpcError,
    ) {
        if self.is_cancelled() || self.is_done() {
            return; // nobody will read it: skip the work
        }
        let mut message = Outgoing::from(jsonrpc::response_head(&self.id, 128));
        match write(&mut message) {
            Ok(()) => {
                message.text_mut().push(b'}');
                self.send_reply(message);
            }
            Err(e) => self.respond_error(&on_error(e)),
        }
    }

    fn send_reply(&self, message: Outgoing) {
        if self.is_cancelled() || !self.claim() {
            return;
        }
        self.reply.send(message);
        // Untrack only after the reply is queued: a transport draining on EOF waits for
        // in-flight requests and must not close before their replies are out.
        self.session.untrack(&self.id);
    }

    pub fn respond(&self, result: &Value) {
        self.respond_json(&serde_json::to_vec(result).expect("values serialise"));
    }

    pub fn respond_error(&self, error: &RpcError) {
        if self.is_cancelled() || !self.claim() {
            return;
        }
        self.reply.send(jsonrpc::error_bytes(Some(&self.id), error).into());
        self.session.untrack(&self.id);
    }

    /// Stop the request: no reply will be sent; the handler's cancel hook runs.
    pub fn cancel(&self) {
        if self.is_done() || self.cancelled.swap(true, Ordering::AcqRel) {
            return;
        }
        self.finish_without_reply();
        if let Some(hook) = self.cancel_hook.lock().take() {
            hook();
        }
    }

    fn finish_without_reply(&self) {
        if self.claim() {
            self.reply.skip();
            self.session.untrack(&self.id);
        }
    }

    /// How to stop the handler (cancel an asyncio task, ...). Runs at once when the
    /// request was already cancelled.
    pub fn set_cancel_hook(&self, hook: Box<dyn FnOnce() + Send>) {
        let mut slot = self.cancel_hook.lock();
        if self.is_cancelled() {
            drop(slot);
            hook();
        } else {
            *slot = Some(hook);
        }
    }

    pub fn notify(&self, method: &str, params: Option<&Value>) {
        if !self.session.is_closed() {
            self.stream.send(jsonrpc::notification_bytes(method, params).into());
        }
    }

    /// End the client's connection to this request's stream, keeping it resumable.
    pub fn close_stream(&self) -> bool {
        self.stream.disconnect()
    }

    /// End the client's connection to the session's standalone stream, keeping it resumable.
    pub fn close_standalone_stream(&self) -> bool {
        self.session.sink().disconnect()
    }

    /// `notifications/message`, when the session's level lets it through.
    pub fn log(&self, level: Level, data: Value, logger: Option<&str>) {
        if self.session.log_passes(level) {
            self.notify("notifications/message", Some(&log_params(level, data, logger)));
        }
    }

    /// `notifications/progress`; nothing without a progress token.
    pub fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        let Some(token) = &self.progress_token else { return };
        let mut p = Map::new();
        p.insert("progressToken".into(), token.clone());
        p.insert("progress".into(), number(progress));
        if let Some(t) = total {
            p.insert("total".into(), number(t));
        }
        if let Some(m) = message {
            p.insert("message".into(), Value::String(m.into()));
        }
        self.notify("notifications/progress", Some(&Value::Object(p)));
    }

    /// A server->client request on behalf of this request. Refused at once when the
    /// client did not declare the capability the method needs.
    pub fn request(&self, method: &str, params: Option<&Value>, callback: ReplyCallback) {
        if let Some(cap) = required_client_capability(method) {
            if !self.session.client_supports(cap) {
                callback(Err(RpcError::new(
                    jsonrpc::INVALID_REQUEST,
                    format!("Client does not support {cap} (it did not declare the capability at initialize)"),
                )));
                return;
            }
        }
        self.session.request(method, params, &self.stream, callback);
    }
}

/// Progress values are floats on the wire (`1.0`), as the reference SDK sends them.
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn log_params(level: Level, data: Value, logger: Option<&str>) -> Value {
    let mut p = Map::new();
    p.insert("level".into(), Value::String(level.name().into()));
    if let Some(l) = logger {
        p.insert("logger".into(), Value::String(l.into()));
    }
    p.insert("data".into(), data);
    Value::Object(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nowhere;
    impl Sink for Nowhere {
        fn send(&self, _: Outgoing) {}
    }

    #[test]
    fn running_requests_are_found_by_the_text_of_their_id() {
        let session = Session::new(None, Arc::new(Nowhere));
        let start = |id: RequestId| {
            let ctx = RequestCtx::new(id, session.clone(), None, Arc::new(Nowhere), Arc::new(Nowhere), None);
            session.track(&ctx);
            ctx
        };
        let five = start(RequestId::Int(5));
        let named = start(RequestId::Str("job-7".into()));
        assert!(Arc::ptr_eq(&session.running("5").unwrap(), &five));
        assert!(Arc::ptr_eq(&session.running("job-7").unwrap(), &named));
        assert!(session.running("6").is_none());
        five.respond(&Value::Null);
        assert!(
            session.running("5").is_none(),
            "an answered request is no longer running"
        );
        assert!(session.running("job-7").is_some());
    }
}
