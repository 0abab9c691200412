//! The legacy HTTP+SSE transport (protocol 2024-11-05): `GET /sse` opens a stream whose
//! first event names the endpoint to POST to; replies travel on that stream.

use super::body::SseBody;
use super::events::frame;
use super::sessions::{new_session_id, HttpSession};
use super::{read_body, refuse, request_headers, rpc_status, status, ResponseBody, State};
use crate::dispatch::Backend;
use crate::jsonrpc::{self, Parsed};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use std::sync::Arc;

pub(super) async fn open<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    if req.method() != Method::GET {
        let limit = state.config.max_body;
        return refuse(
            req,
            limit,
            status(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed", "text/plain"),
        )
        .await;
    }
    let id = new_session_id();
    let server = state.server.clone();
    let sid = id.clone();
    let session = HttpSession::new(
        id.clone(),
        state.config.event_log_bytes,
        state.log_pool.clone(),
        move |sink| server.open_session(Some(sid), sink),
    );
    if !state.legacy.insert(session.clone(), state.config.max_sessions) {
        session.close();
        return rpc_status(
            StatusCode::SERVICE_UNAVAILABLE,
            -32000,
            "Service Unavailable: too many sessions",
        );
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let endpoint = format!("{}?session_id={id}", state.config.message_path);
    let _ = tx.send(frame(None, Some("endpoint"), endpoint.as_bytes(), None));
    session.get.attach(tx);
    // The session lives as long as its stream: a disconnect ends it.
    let st = state.clone();
    let on_close: Box<dyn FnOnce() + Send> = Box::new(move || {
        st.legacy.remove(&id);
    });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(SseBody::new(rx, Some(state.config.keepalive), Some(on_close)).boxed())
        .expect("valid response")
}

pub(super) async fn post<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    let limit = state.config.max_body;
    if req.method() != Method::POST {
        return refuse(
            req,
            limit,
            status(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed", "text/plain"),
        )
        .await;
    }
    let query = req.uri().query().unwrap_or("");
    let id = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("session_id="))
        .map(str::to_owned);
    let Some(id) = id else {
        return refuse(
            req,
            limit,
            status(StatusCode::BAD_REQUEST, "session_id is required", "text/plain"),
        )
        .await;
    };
    let Some(session) = state.legacy.get(&id) else {
        return refuse(
            req,
            limit,
            status(StatusCode::NOT_FOUND, "Could not find session", "text/plain"),
        )
        .await;
    };
    let headers = request_headers(&req);
    let body = match read_body(req, state.config.max_body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let parsed = jsonrpc::parse(&body);
    if let Parsed::Rejected(r) = &parsed {
        if r.error.code == jsonrpc::PARSE_ERROR {
            return status(StatusCode::BAD_REQUEST, "Could not parse message", "text/plain");
        }
    }
    state.server.handle_on_session(&session.core, parsed, Some(headers));
    status(StatusCode::ACCEPTED, Bytes::from_static(b"Accepted"), "text/plain")
}
