//! Streamable HTTP: one endpoint; POST carries client messages, GET opens the
//! standalone stream (or resumes one), DELETE ends the session.

use super::body::{self, SseBody};
use super::events::{frame, parse_event_id, Stream};
use super::sessions::{new_session_id, HttpSession};
use super::{header, read_body, refuse, request_headers, rpc_status, status, with_body, ResponseBody, State};
use crate::dispatch::{Backend, Route};
use crate::jsonrpc::{self, Message, Parsed, INVALID_REQUEST};
use crate::outgoing::Outgoing;
use crate::protocol;
use crate::session::Sink;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const SESSION_HEADER: &str = "mcp-session-id";

pub(super) async fn handle<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    match *req.method() {
        Method::POST => post(state, req).await,
        Method::GET => get(state, req),
        Method::DELETE => delete(state, req),
        _ => {
            let mut r = rpc_status(StatusCode::METHOD_NOT_ALLOWED, INVALID_REQUEST, "Method Not Allowed");
            r.headers_mut()
                .insert("allow", "GET, POST, DELETE".parse().expect("valid header"));
            refuse(req, state.config.max_body, r).await
        }
    }
}

fn accepts(req: &Request<Incoming>, what: &str) -> bool {
    header(req, "accept").is_some_and(|a| {
        a.split(',').any(|p| {
            let p = p.split(';').next().unwrap_or("").trim();
            p == what || p == "*/*" || (p.ends_with("/*") && what.starts_with(&p[..p.len() - 1]))
        })
    })
}

/// The answer to notifications and responses (typed as the SDK's is, though empty).
fn accepted() -> Response<ResponseBody> {
    status(StatusCode::ACCEPTED, Bytes::new(), "application/json")
}

/// The session a non-initialize request names: 400 without the header, 404 when unknown.
fn find_session<B: Backend>(
    state: &State<B>,
    req: &Request<Incoming>,
) -> Result<Arc<HttpSession>, Response<ResponseBody>> {
    let Some(id) = header(req, SESSION_HEADER) else {
        return Err(rpc_status(
            StatusCode::BAD_REQUEST,
            INVALID_REQUEST,
            "Bad Request: Missing session ID",
        ));
    };
    state
        .sessions
        .get(id)
        .ok_or_else(|| rpc_status(StatusCode::NOT_FOUND, INVALID_REQUEST, "Session not found"))
}

fn check_version(req: &Request<Incoming>) -> Result<(), Response<ResponseBody>> {
    match header(req, "mcp-protocol-version") {
        Some(v) if !protocol::is_supported(v) => Err(rpc_status(
            StatusCode::BAD_REQUEST,
            INVALID_REQUEST,
            &format!(
                "Bad Request: Unsupported protocol version: {v}. Supported versions: {}",
                protocol::SUPPORTED_VERSIONS.join(", ")
            ),
        )),
        _ => Ok(()),
    }
}

fn is_initialize(parsed: &Parsed) -> bool {
    matches!(parsed, Parsed::Single(Message::Request { method, .. }) if method == "initialize")
}

/// Whether the message needs a response stream (requests, or items rejected in a batch).
fn expects_reply(parsed: &Parsed) -> bool {
    match parsed {
        Parsed::Single(Message::Request { .. }) | Parsed::Rejected(_) => true,
        Parsed::Single(_) => false,
        Parsed::Batch(items) => items.iter().any(|i| matches!(i, Ok(Message::Request { .. }) | Err(_))),
    }
}

fn with_session_header(mut r: Response<ResponseBody>, session: Option<&HttpSession>) -> Response<ResponseBody> {
    if let Some(s) = session {
        r.headers_mut()
            .insert(SESSION_HEADER, s.id.parse().expect("hex ids are valid header values"));
    }
    r
}

async fn post<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    let cfg = &state.config;
    let json_ok = accepts(&req, "application/json");
    let sse_ok = accepts(&req, "text/event-stream");
    if !(json_ok && (sse_ok || cfg.json_response)) {
        let needed = if cfg.json_response {
            "Not Acceptable: Client must accept application/json"
        } else {
            "Not Acceptable: Client must accept both application/json and text/event-stream"
        };
        let r = rpc_status(StatusCode::NOT_ACCEPTABLE, INVALID_REQUEST, needed);
        return refuse(req, cfg.max_body, r).await;
    }
    let ct = header(&req, "content-type").unwrap_or("");
    if !ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("application/json")
    {
        let r = rpc_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            INVALID_REQUEST,
            "Unsupported Media Type: Content-Type must be application/json",
        );
        return refuse(req, cfg.max_body, r).await;
    }
    if let Err(r) = check_version(&req) {
        return refuse(req, cfg.max_body, r).await;
    }
    let headers = request_headers(&req);
    let known = if cfg.stateless {
        None
    } else {
        header(&req, SESSION_HEADER).map(str::to_owned)
    };
    let body = match read_body(req, cfg.max_body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let parsed = jsonrpc::parse(&body);
    if let Parsed::Rejected(r) = &parsed {
        return status(
            StatusCode::BAD_REQUEST,
            jsonrpc::error_bytes(r.id.as_ref(), &r.error),
            "application/json",
        );
    }
    let init = is_initialize(&parsed);
    let session = if cfg.stateless {
        // No state between requests: a fresh session for this message only.
        open_session(&state, false)
    } else if init {
        let s = open_session(&state, true);
        if !state.sessions.insert(s.clone(), cfg.max_sessions) {
            s.close();
            return rpc_status(
                StatusCode::SERVICE_UNAVAILABLE,
                -32000,
                &format!(
                    "Service Unavailable: the server already has its maximum of {} sessions",
                    cfg.max_sessions
                ),
            );
        }
        s
    } else {
        let Some(id) = known else {
            return rpc_status(
                StatusCode::BAD_REQUEST,
                INVALID_REQUEST,
                "Bad Request: Missing session ID",
            );
        };
        match state.sessions.get(&id) {
            Some(s) => s,
            None => return rpc_status(StatusCode::NOT_FOUND, INVALID_REQUEST, "Session not found"),
        }
    };
    session.touch();
    if matches!(parsed, Parsed::Batch(_)) && !session.core.version().is_some_and(protocol::allows_batches) {
        // A body the server cannot accept is an HTTP error, not a 200 stream carrying one.
        if cfg.stateless {
            session.close();
        }
        return rpc_status(
            StatusCode::BAD_REQUEST,
            INVALID_REQUEST,
            "Invalid request: batches are not supported by this protocol version",
        );
    }
    let shown = (!cfg.stateless).then_some(&*session);
    if !expects_reply(&parsed) {
        state.server.handle_on_session(&session.core, parsed, Some(headers));
        return with_session_header(accepted(), shown);
    }
    if cfg.json_response {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let reply: Arc<dyn Sink> = Arc::new(JsonReply(Mutex::new(Some(tx))));
        // Messages related to the request have no stream here: they go to the GET stream.
        let stream = session.core.sink().clone();
        state.server.handle_routed(
            &session.core,
            parsed,
            Route {
                reply,
                stream,
                headers: Some(headers),
            },
        );
        let r = match rx.await {
            Ok(Some(reply)) => with_body(StatusCode::OK, body::pieces(reply.into_frames()), "application/json"),
            _ => accepted(),
        };
        if cfg.stateless {
            session.close();
        }
        return with_session_header(r, shown);
    }
    let version = session.core.version().unwrap_or(protocol::DEFAULT_HTTP_VERSION);
    let primes = !init && version >= "2025-11-25";
    let stream = session.new_stream(primes);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    stream.attach(tx);
    stream.prime(cfg.retry_ms);
    let reply: Arc<dyn Sink> = Arc::new(StreamReply {
        session: session.clone(),
        stream: stream.clone(),
        stateless: cfg.stateless,
        outstanding: AtomicUsize::new(1),
    });
    // Messages related to the request go on its stream, before the reply.
    state.server.handle_routed(
        &session.core,
        parsed,
        Route {
            reply,
            stream,
            headers: Some(headers),
        },
    );
    with_session_header(sse_response(SseBody::new(rx, Some(cfg.keepalive), None)), shown)
}

fn open_session<B: Backend>(state: &Arc<State<B>>, stateful: bool) -> Arc<HttpSession> {
    let id = new_session_id();
    let server = state.server.clone();
    let sid = stateful.then(|| id.clone());
    HttpSession::new(id, state.config.event_log_bytes, state.log_pool.clone(), move |sink| {
        server.open_session(sid, sink)
    })
}

fn sse_response(body: SseBody) -> Response<ResponseBody> {
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .header("x-accel-buffering", "no")
        .body(body.boxed())
        .expect("valid response")
}

fn get<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    if !accepts(&req, "text/event-stream") {
        return rpc_status(
            StatusCode::NOT_ACCEPTABLE,
            INVALID_REQUEST,
            "Not Acceptable: Client must accept text/event-stream",
        );
    }
    if state.config.stateless {
        return rpc_status(
            StatusCode::METHOD_NOT_ALLOWED,
            INVALID_REQUEST,
            "Method Not Allowed: no standalone stream in stateless mode",
        );
    }
    let session = match find_session(&state, &req) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_version(&req) {
        return r;
    }
    session.touch();
    let keepalive = Some(state.config.keepalive);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    if let Some((stream_id, seq)) = header(&req, "last-event-id").and_then(parse_event_id) {
        // Resumption: replay what the client missed on that stream, then follow it if live.
        match session.stream(stream_id) {
            Some(s) => {
                s.resume(seq, tx);
            }
            None => {
                for (s, data) in session.replay(stream_id, seq) {
                    let _ = tx.send(frame(Some(&format!("{stream_id}-{s}")), Some("message"), &data, None));
                }
            }
        }
        return with_session_header(sse_response(SseBody::new(rx, keepalive, None)), Some(&session));
    }
    if session.get.is_attached() {
        return rpc_status(
            StatusCode::CONFLICT,
            INVALID_REQUEST,
            "Conflict: Only one SSE stream is allowed per session",
        );
    }
    session.get.attach(tx);
    if session.core.version().is_some_and(|v| v >= "2025-11-25") {
        session.get.prime(state.config.retry_ms);
    }
    with_session_header(sse_response(SseBody::new(rx, keepalive, None)), Some(&session))
}

fn delete<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    if state.config.stateless {
        return rpc_status(
            StatusCode::METHOD_NOT_ALLOWED,
            INVALID_REQUEST,
            "Method Not Allowed: no sessions in stateless mode",
        );
    }
    match find_session(&state, &req) {
        Ok(s) => {
            state.sessions.remove(&s.id);
            status(StatusCode::OK, Bytes::new(), "application/json")
        }
        Err(r) => r,
    }
}

/// The reply of a JSON-response POST.
struct JsonReply(Mutex<Option<tokio::sync::oneshot::Sender<Option<Outgoing>>>>);

impl Sink for JsonReply {
    fn send(&self, message: Outgoing) {
        if let Some(tx) = self.0.lock().take() {
            let _ = tx.send(Some(message));
        }
    }
    fn skip(&self) {
        if let Some(tx) = self.0.lock().take() {
            let _ = tx.send(None);
        }
    }
}

/// A POST's reply: sent on its stream, which then ends.
struct StreamReply {
    session: Arc<HttpSession>,
    stream: Arc<Stream>,
    stateless: bool,
    outstanding: AtomicUsize,
}

impl StreamReply {
    fn done(&self) {
        if self.outstanding.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.stream.finish();
            self.session.forget_stream(self.stream.id);
            if self.stateless {
                self.session.close();
            }
        }
    }
}

impl Sink for StreamReply {
    fn send(&self, message: Outgoing) {
        self.stream.send(message);
        self.done();
    }
    fn skip(&self) {
        self.done();
    }
    fn disconnect(&self) -> bool {
        self.stream.disconnect()
    }
}
