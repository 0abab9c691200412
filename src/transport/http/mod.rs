//! HTTP transports on hyper: Streamable HTTP on one endpoint (POST/GET/DELETE), the
//! legacy HTTP+SSE pair (`GET /sse`, `POST /messages/`), and `/health`.
//!
//! The server runs on its own tokio runtime; handlers run wherever the backend puts them
//! and reply through the session machinery, whose sinks feed the HTTP response streams.

// Handlers return early with a finished error response; boxing those buys nothing.
#![allow(clippy::result_large_err)]

mod body;
pub mod events;
mod legacy;
pub mod security;
pub mod sessions;
mod streamable;

use crate::dispatch::{Backend, HttpCall, HttpReply, Server};
use body::{full, ResponseBody};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
pub use security::Security;
use sessions::SessionTable;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub host: String,
    pub port: u16,
    pub streamable_path: String,
    pub sse_path: String,
    pub message_path: String,
    pub json_response: bool,
    pub stateless: bool,
    pub max_body: usize,
    /// Zero: sessions are never reaped for idleness.
    pub session_idle_timeout: Duration,
    /// Zero: no limit.
    pub max_sessions: usize,
    pub security: Security,
    /// `retry:` in priming events, milliseconds.
    pub retry_ms: Option<u64>,
    pub keepalive: Duration,
    /// Bytes of events kept per session for resumption.
    pub event_log_bytes: usize,
    /// Bytes of events kept for resumption by all sessions together.
    pub event_log_total_bytes: usize,
    /// How long in-flight requests may take to finish on shutdown.
    pub shutdown_grace: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            host: "127.0.0.1".into(),
            port: 8000,
            streamable_path: "/mcp".into(),
            sse_path: "/sse".into(),
            message_path: "/messages/".into(),
            json_response: false,
            stateless: false,
            max_body: 4 * 1024 * 1024,
            session_idle_timeout: Duration::from_secs(1800),
            max_sessions: 10_000,
            security: Security::for_bind("127.0.0.1"),
            retry_ms: None,
            keepalive: Duration::from_secs(15),
            event_log_bytes: 1024 * 1024,
            event_log_total_bytes: 64 * 1024 * 1024,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// A user-registered plain HTTP route (`@mcp.custom_route`).
pub struct CustomRoute<H> {
    pub path: String,
    /// Upper-case method names.
    pub methods: Vec<String>,
    pub handler: H,
}

pub(crate) struct State<B: Backend> {
    pub server: Arc<Server<B>>,
    pub routes: Vec<CustomRoute<B::Handler>>,
    pub config: HttpConfig,
    pub sessions: SessionTable,
    pub legacy: SessionTable,
    /// What every session's event log draws on.
    pub log_pool: Arc<events::LogPool>,
}

/// A running HTTP server.
pub struct HttpServer {
    pub addr: SocketAddr,
    stop: Arc<Notify>,
    thread: Option<std::thread::JoinHandle<()>>,
    sessions: Arc<dyn Fn() -> usize + Send + Sync>,
}

impl HttpServer {
    /// Ask for a graceful shutdown: stop accepting, close sessions, let requests finish.
    pub fn stop(&self) {
        self.stop.notify_one();
    }

    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(|t| t.is_finished())
    }

    /// Open Streamable HTTP and legacy sessions.
    pub fn session_count(&self) -> usize {
        (self.sessions)()
    }
}

/// Bind and serve on a background runtime. `on_exit` runs after shutdown completed.
pub fn serve<B: Backend>(
    server: Arc<Server<B>>,
    config: HttpConfig,
    routes: Vec<CustomRoute<B::Handler>>,
    on_exit: Box<dyn FnOnce() + Send>,
) -> std::io::Result<HttpServer> {
    let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let log_pool = events::LogPool::new(config.event_log_total_bytes);
    let state = Arc::new(State {
        server,
        routes,
        log_pool,
        config,
        sessions: SessionTable::default(),
        legacy: SessionTable::default(),
    });
    let stop = Arc::new(Notify::new());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ferromcp-http")
        .enable_all()
        .build()?;
    let (st, stop2) = (state.clone(), stop.clone());
    let thread = std::thread::Builder::new()
        .name("ferromcp-http-main".into())
        .spawn(move || {
            runtime.block_on(run(st, listener, stop2));
            runtime.shutdown_timeout(Duration::from_secs(1));
            on_exit();
        })?;
    let counted = state.clone();
    Ok(HttpServer {
        addr,
        stop,
        thread: Some(thread),
        sessions: Arc::new(move || counted.sessions.len() + counted.legacy.len()),
    })
}

async fn run<B: Backend>(state: Arc<State<B>>, listener: std::net::TcpListener, stop: Arc<Notify>) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ferromcp: cannot listen: {e}");
            return;
        }
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let reaper = tokio::spawn(reap_idle(state.clone()));
    loop {
        tokio::select! {
            _ = stop.notified() => break,
            accepted = listener.accept() => {
                let Ok((tcp, peer)) = accepted else { continue };
                // Small JSON-RPC messages: Nagle's delay would dominate their latency.
                let _ = tcp.set_nodelay(true);
                let st = state.clone();
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(tcp), service_fn(move |req| {
                        let st = st.clone();
                        async move { Ok::<_, std::convert::Infallible>(route(st, req, peer).await) }
                    }));
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        }
    }
    drop(listener);
    reaper.abort();
    // In-flight requests get their grace; then streams close with their sessions.
    let grace = state.config.shutdown_grace;
    let deadline = tokio::time::Instant::now() + grace;
    while tokio::time::Instant::now() < deadline && state.server.in_flight() > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    state.sessions.close_all();
    state.legacy.close_all();
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
}

async fn reap_idle<B: Backend>(state: Arc<State<B>>) {
    let timeout = state.config.session_idle_timeout;
    if timeout.is_zero() {
        return;
    }
    let every = (timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        state.sessions.reap(timeout);
    }
}

pub(crate) fn header<'a>(req: &'a Request<Incoming>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

pub(crate) fn status(code: StatusCode, body: impl Into<Bytes>, content_type: &str) -> Response<ResponseBody> {
    with_body(code, full(body), content_type)
}

pub(crate) fn with_body(code: StatusCode, body: ResponseBody, content_type: &str) -> Response<ResponseBody> {
    Response::builder()
        .status(code)
        .header("content-type", content_type)
        .body(body)
        .expect("valid response")
}

/// An HTTP error with a JSON-RPC error body, as the reference SDK answers: it is about the
/// HTTP request, not one message in it, so its id is the SDK's "server-error".
pub(crate) fn rpc_status(code: StatusCode, rpc_code: i64, message: &str) -> Response<ResponseBody> {
    use crate::jsonrpc::{error_bytes, RequestId, RpcError};
    let id = RequestId::Str("server-error".to_owned());
    status(
        code,
        error_bytes(Some(&id), &RpcError::new(rpc_code, message)),
        "application/json",
    )
}

async fn route<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>, peer: SocketAddr) -> Response<ResponseBody> {
    let path = req.uri().path().to_owned();
    if let Some(r) = state.routes.iter().find(|r| r.path == path) {
        let allowed = r.methods.iter().any(|m| m == req.method().as_str())
            || (req.method() == Method::HEAD && r.methods.iter().any(|m| m == "GET"));
        if !allowed {
            let mut resp = status(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed", "text/plain");
            resp.headers_mut()
                .insert("allow", r.methods.join(", ").parse().expect("method names are valid"));
            return refuse(req, state.config.max_body, resp).await;
        }
        return custom(&state, r.handler.clone(), req, peer).await;
    }
    if path == "/health" && req.method() == Method::GET {
        return status(StatusCode::OK, r#"{"status":"ok"}"#, "application/json");
    }
    let sec = &state.config.security;
    let limit = state.config.max_body;
    if !sec.host_ok(header(&req, "host")) {
        let r = rpc_status(
            StatusCode::MISDIRECTED_REQUEST,
            crate::jsonrpc::INVALID_REQUEST,
            "Invalid Host header",
        );
        return refuse(req, limit, r).await;
    }
    if !sec.origin_ok(header(&req, "origin")) {
        let r = rpc_status(
            StatusCode::FORBIDDEN,
            crate::jsonrpc::INVALID_REQUEST,
            "Invalid Origin header",
        );
        return refuse(req, limit, r).await;
    }
    let cfg = &state.config;
    if path == cfg.streamable_path || path.strip_suffix('/') == Some(cfg.streamable_path.as_str()) {
        return streamable::handle(state, req).await;
    }
    if path == cfg.sse_path {
        return legacy::open(state, req).await;
    }
    if path == cfg.message_path || path == cfg.message_path.trim_end_matches('/') {
        return legacy::post(state, req).await;
    }
    refuse(
        req,
        limit,
        status(StatusCode::NOT_FOUND, "Not Found", "text/plain; charset=utf-8"),
    )
    .await
}

/// Answer a request whose body was not read with `response`. hyper closes a connection
/// whose request body was left unread, silently, so a client reusing it for its next
/// request would see the connection drop. The body is read and dropped first (up to
/// `limit` bytes, while it keeps arriving); one too large or too slow for that ends the
/// connection instead, and the response says so (`Connection: close`).
pub(crate) async fn refuse(
    req: Request<Incoming>,
    limit: usize,
    mut response: Response<ResponseBody>,
) -> Response<ResponseBody> {
    use http_body_util::BodyExt;
    use hyper::body::Body;
    if req.body().is_end_stream() {
        return response;
    }
    let drained = announced_length(&req).is_none_or(|len| len <= limit)
        && tokio::time::timeout(
            Duration::from_secs(2),
            http_body_util::Limited::new(req.into_body(), limit).collect(),
        )
        .await
        .is_ok_and(|read| read.is_ok());
    if !drained {
        closing(&mut response);
    }
    response
}

/// Mark `response` as the last on its connection.
fn closing(response: &mut Response<ResponseBody>) {
    response.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
}

fn announced_length(req: &Request<Incoming>) -> Option<usize> {
    req.headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// Read a request body up to the configured limit.
pub(crate) async fn read_body(req: Request<Incoming>, limit: usize) -> Result<Bytes, Response<ResponseBody>> {
    use http_body_util::BodyExt;
    // The rest of a refused body stays unread: the connection ends with the answer.
    let too_large = || {
        let mut r = rpc_status(
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::jsonrpc::INVALID_REQUEST,
            &format!("Payload Too Large: the body limit is {limit} bytes"),
        );
        closing(&mut r);
        r
    };
    if announced_length(&req).is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    match http_body_util::Limited::new(req.into_body(), limit).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => {
            let mut r = rpc_status(
                StatusCode::BAD_REQUEST,
                crate::jsonrpc::INVALID_REQUEST,
                "Bad Request: the body could not be read",
            );
            closing(&mut r);
            Err(r)
        }
    }
}

pub(crate) fn request_headers(req: &Request<Incoming>) -> Arc<Vec<(String, String)>> {
    Arc::new(
        req.headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), v.to_owned())))
            .collect(),
    )
}

/// Hand a request to a user route's handler and wait for its answer.
async fn custom<B: Backend>(
    state: &State<B>,
    handler: B::Handler,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response<ResponseBody> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let headers = request_headers(&req).as_ref().clone();
    let body = match read_body(req, state.config.max_body).await {
        Ok(b) => b.to_vec(),
        Err(r) => return r,
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<HttpReply>();
    let respond = Box::new(move |reply: HttpReply| {
        let _ = tx.send(reply);
    });
    state.server.backend.http_route(
        handler,
        HttpCall {
            method,
            path,
            query,
            headers,
            body,
            client: Some(peer),
            respond,
        },
    );
    let Ok(reply) = rx.await else {
        return status(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "text/plain");
    };
    let mut builder =
        Response::builder().status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &reply.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder.body(full(reply.body)).unwrap_or_else(|_| {
        status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error: bad response headers",
            "text/plain",
        )
    })
}
