//! The legacy HTTP+SSE transport (protocol 2024-11-05): `GET /sse` opens a stream whose
//! first event names the endpoint to POST to; replies travel on that stream.

use super::body::full;
use super::body::SseBody;
use super::events::frame;
use super::sessions::{new_session_id, HttpSession};
use super::{header, read_body, refuse, request_headers, rpc_status, status, ResponseBody, State};
use crate::dispatch::Backend;
use crate::jsonrpc::{self, Parsed};
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

/// A bare answer of the message endpoint: a short text with no content type, as the SDK's.
fn answer(code: StatusCode, text: &'static str) -> Response<ResponseBody> {
    let mut r = Response::new(full(text));
    *r.status_mut() = code;
    r
}

/// A session id as the SDK reads it (a UUID in any of its spellings), in the form ids are
/// issued in: 32 lowercase hex digits.
fn canonical_session_id(raw: &str) -> Option<String> {
    let raw = raw.strip_prefix("urn:uuid:").unwrap_or(raw);
    let raw = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')).unwrap_or(raw);
    let hex: String = raw.chars().filter(|&c| c != '-').collect();
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hex.to_ascii_lowercase())
}

pub(super) async fn post<B: Backend>(state: Arc<State<B>>, req: Request<Incoming>) -> Response<ResponseBody> {
    let limit = state.config.max_body;
    if req.method() != Method::POST {
        let mut r = answer(StatusCode::METHOD_NOT_ALLOWED, "");
        r.headers_mut().insert("allow", "POST".parse().expect("valid header"));
        return refuse(req, limit, r).await;
    }
    let json = header(&req, "content-type").is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"));
    if !json {
        return refuse(
            req,
            limit,
            answer(StatusCode::BAD_REQUEST, "Invalid Content-Type header"),
        )
        .await;
    }
    let query = req.uri().query().unwrap_or("");
    let id = query.split('&').find_map(|kv| kv.strip_prefix("session_id="));
    let Some(id) = id else {
        return refuse(req, limit, answer(StatusCode::BAD_REQUEST, "session_id is required")).await;
    };
    let Some(id) = canonical_session_id(id) else {
        return refuse(req, limit, answer(StatusCode::BAD_REQUEST, "Invalid session ID")).await;
    };
    let Some(session) = state.legacy.get(&id) else {
        return refuse(req, limit, answer(StatusCode::NOT_FOUND, "Could not find session")).await;
    };
    let headers = request_headers(&req);
    let body = match read_body(req, state.config.max_body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let parsed = jsonrpc::parse(&body);
    if let Parsed::Rejected(r) = &parsed {
        if r.error.code == jsonrpc::PARSE_ERROR {
            return answer(StatusCode::BAD_REQUEST, "Could not parse message");
        }
    }
    state.server.handle_on_session(&session.core, parsed, Some(headers));
    answer(StatusCode::ACCEPTED, "Accepted")
}

#[cfg(test)]
mod tests {
    use super::canonical_session_id;

    #[test]
    fn session_ids_in_every_uuid_spelling() {
        let id = "0123456789abcdef0123456789abcdef";
        for spelling in [
            id.to_owned(),
            id.to_uppercase(),
            "01234567-89ab-cdef-0123-456789abcdef".to_owned(),
            "{01234567-89ab-cdef-0123-456789abcdef}".to_owned(),
            "urn:uuid:01234567-89ab-cdef-0123-456789abcdef".to_owned(),
        ] {
            assert_eq!(canonical_session_id(&spelling).as_deref(), Some(id), "{spelling}");
        }
        for bad in [
            "",
            "xyz",
            &id[1..],
            &format!("{id}0"),
            "0123456789abcdef0123456789abcdeg",
        ] {
            assert_eq!(canonical_session_id(bad), None, "{bad}");
        }
    }
}
