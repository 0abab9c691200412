//! JSON-RPC 2.0 envelopes: parsing what arrives, serialising what leaves.
//!
//! Parsing is tolerant in what it reports (every malformed message gets a precise
//! error) and strict in what it accepts (`jsonrpc` must be "2.0", ids are strings or
//! integers, `params` is an object or array when present).

use serde_json::{Map, Value};
use std::fmt;

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
/// MCP: a resource URI that names nothing.
pub const RESOURCE_NOT_FOUND: i64 = -32002;

/// A request id: the spec allows strings and integers, never null.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RequestId {
    Int(i64),
    Str(String),
}

impl RequestId {
    fn from_value(v: &Value) -> Option<RequestId> {
        match v {
            Value::String(s) => Some(RequestId::Str(s.clone())),
            Value::Number(n) => n.as_i64().map(RequestId::Int),
            _ => None,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            RequestId::Int(i) => Value::from(*i),
            RequestId::Str(s) => Value::String(s.clone()),
        }
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            RequestId::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            RequestId::Str(s) => serde_json::to_writer(&mut *out, s).expect("string serialises"),
        }
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestId::Int(i) => write!(f, "{i}"),
            RequestId::Str(s) => write!(f, "{s}"),
        }
    }
}

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(INVALID_PARAMS, message)
    }

    /// The reference SDK's wording, without data.
    pub fn method_not_found() -> Self {
        Self::new(METHOD_NOT_FOUND, "Method not found")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(INTERNAL_ERROR, message)
    }

    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("code".into(), Value::from(self.code));
        m.insert("message".into(), Value::String(self.message.clone()));
        if let Some(d) = &self.data {
            m.insert("data".into(), d.clone());
        }
        Value::Object(m)
    }
}

/// One message received from the peer.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Request {
        id: RequestId,
        method: String,
        params: Option<Value>,
    },
    Notification {
        method: String,
        params: Option<Value>,
    },
    Response {
        id: RequestId,
        result: Value,
    },
    Error {
        id: Option<RequestId>,
        error: RpcError,
    },
}

/// What one line / body of input turned out to be.
#[derive(Debug)]
pub enum Parsed {
    Single(Message),
    /// A JSON array: each element already parsed (or rejected individually).
    Batch(Vec<Result<Message, Rejected>>),
    /// Not processable at all; the reply to send.
    Rejected(Rejected),
}

/// A message that could not be accepted, with the id to reply to when it could be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub id: Option<RequestId>,
    pub error: RpcError,
}

/// Parse raw bytes (one stdio line or one HTTP body).
pub fn parse(bytes: &[u8]) -> Parsed {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            return Parsed::Rejected(Rejected {
                id: None,
                error: RpcError::new(PARSE_ERROR, format!("Parse error: {e}")),
            })
        }
    };
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Parsed::Rejected(Rejected {
                    id: None,
                    error: RpcError::new(INVALID_REQUEST, "Invalid request: empty batch"),
                });
            }
            Parsed::Batch(items.into_iter().map(parse_value).collect())
        }
        other => match parse_value(other) {
            Ok(m) => Parsed::Single(m),
            Err(r) => Parsed::Rejected(r),
        },
    }
}

#[allow(clippy::result_large_err)]
fn invalid(id: Option<RequestId>, why: &str) -> Rejected {
    Rejected {
        id,
        error: RpcError::new(INVALID_REQUEST, format!("Invalid request: {why}")),
    }
}

/// Classify one JSON value as a JSON-RPC message.
// A rejection is rare and replied to at once; boxing it would cost on every call site.
#[allow(clippy::result_large_err)]
pub fn parse_value(value: Value) -> Result<Message, Rejected> {
    let Value::Object(mut obj) = value else {
        return Err(invalid(None, "a message must be a JSON object"));
    };
    let raw_id = obj.remove("id");
    let id = match &raw_id {
        None => None,
        Some(v) => match RequestId::from_value(v) {
            Some(id) => Some(id),
            None => return Err(invalid(None, "id must be a string or an integer")),
        },
    };
    match obj.get("jsonrpc") {
        Some(Value::String(v)) if v == "2.0" => {}
        _ => return Err(invalid(id, "jsonrpc must be \"2.0\"")),
    }
    if let Some(method) = obj.remove("method") {
        let Value::String(method) = method else {
            return Err(invalid(id, "method must be a string"));
        };
        let params = match obj.remove("params") {
            None | Some(Value::Null) => None,
            Some(p @ (Value::Object(_) | Value::Array(_))) => Some(p),
            Some(_) => return Err(invalid(id, "params must be an object or an array")),
        };
        return Ok(match id {
            Some(id) => Message::Request { id, method, params },
            None => Message::Notification { method, params },
        });
    }
    if let Some(result) = obj.remove("result") {
        let Some(id) = id else {
            return Err(invalid(None, "a response needs an id"));
        };
        return Ok(Message::Response { id, result });
    }
    if let Some(err) = obj.remove("error") {
        let code = err.get("code").and_then(Value::as_i64);
        let message = err.get("message").and_then(Value::as_str);
        let (Some(code), Some(message)) = (code, message) else {
            return Err(invalid(id, "error must have an integer code and a string message"));
        };
        let error = RpcError {
            code,
            message: message.to_owned(),
            data: err.get("data").cloned(),
        };
        return Ok(Message::Error { id, error });
    }
    Err(invalid(id, "a message needs a method, a result or an error"))
}

/// `{"jsonrpc":"2.0","id":..,"result":`: the start of a reply, with room for `capacity`
/// more bytes. The caller appends the result and the closing `}`.
pub fn response_head(id: &RequestId, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity + 48);
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    id.write_json(&mut out);
    out.extend_from_slice(b",\"result\":");
    out
}

/// `{"jsonrpc":"2.0","id":..,"result":..}` with an already serialised result.
pub fn response_bytes(id: &RequestId, result_json: &[u8]) -> Vec<u8> {
    let mut out = response_head(id, result_json.len() + 1);
    out.extend_from_slice(result_json);
    out.push(b'}');
    out
}

pub fn result_bytes(id: &RequestId, result: &Value) -> Vec<u8> {
    response_bytes(id, &serde_json::to_vec(result).expect("values serialise"))
}

/// An error reply. Without a readable id the `id` member is left out.
pub fn error_bytes(id: Option<&RequestId>, error: &RpcError) -> Vec<u8> {
    let mut out = Vec::with_capacity(96 + error.message.len());
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",");
    if let Some(id) = id {
        out.extend_from_slice(b"\"id\":");
        id.write_json(&mut out);
        out.push(b',');
    }
    out.extend_from_slice(b"\"error\":");
    serde_json::to_writer(&mut out, &error.to_value()).expect("values serialise");
    out.push(b'}');
    out
}

pub fn notification_bytes(method: &str, params: Option<&Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"method\":");
    serde_json::to_writer(&mut out, method).expect("string serialises");
    if let Some(p) = params {
        out.extend_from_slice(b",\"params\":");
        serde_json::to_writer(&mut out, p).expect("values serialise");
    }
    out.push(b'}');
    out
}

pub fn request_bytes(id: &RequestId, method: &str, params: Option<&Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    id.write_json(&mut out);
    out.extend_from_slice(b",\"method\":");
    serde_json::to_writer(&mut out, method).expect("string serialises");
    if let Some(p) = params {
        out.extend_from_slice(b",\"params\":");
        serde_json::to_writer(&mut out, p).expect("values serialise");
    }
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn single(s: &str) -> Message {
        match parse(s.as_bytes()) {
            Parsed::Single(m) => m,
            other => panic!("expected a single message, got {other:?}"),
        }
    }

    fn rejected(s: &str) -> Rejected {
        match parse(s.as_bytes()) {
            Parsed::Rejected(r) => r,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn parses_requests_notifications_and_responses() {
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#),
            Message::Request {
                id: RequestId::Int(1),
                method: "ping".into(),
                params: None
            }
        );
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","id":"a","method":"x","params":{"k":1}}"#),
            Message::Request {
                id: RequestId::Str("a".into()),
                method: "x".into(),
                params: Some(json!({"k":1}))
            }
        );
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Message::Notification {
                method: "notifications/initialized".into(),
                params: None
            }
        );
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","id":7,"result":{}}"#),
            Message::Response {
                id: RequestId::Int(7),
                result: json!({})
            }
        );
        assert_eq!(
            single(r#"{"jsonrpc":"2.0","id":7,"error":{"code":-1,"message":"no"}}"#),
            Message::Error {
                id: Some(RequestId::Int(7)),
                error: RpcError::new(-1, "no")
            }
        );
    }

    #[test]
    fn malformed_input_gets_the_right_codes() {
        assert_eq!(rejected("{not json").error.code, PARSE_ERROR);
        assert_eq!(rejected("").error.code, PARSE_ERROR);
        assert_eq!(rejected("42").error.code, INVALID_REQUEST);
        assert_eq!(rejected("[]").error.code, INVALID_REQUEST);
        let r = rejected(r#"{"id":3,"method":"ping"}"#);
        assert_eq!((r.error.code, r.id), (INVALID_REQUEST, Some(RequestId::Int(3))));
        let r = rejected(r#"{"jsonrpc":"1.0","id":"x","method":"ping"}"#);
        assert_eq!(
            (r.error.code, r.id),
            (INVALID_REQUEST, Some(RequestId::Str("x".into())))
        );
        // a null or fractional id cannot be echoed back
        assert_eq!(rejected(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#).id, None);
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#).error.code,
            INVALID_REQUEST
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":1,"method":5}"#).error.code,
            INVALID_REQUEST
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":1,"method":"x","params":3}"#)
                .error
                .code,
            INVALID_REQUEST
        );
        assert_eq!(rejected(r#"{"jsonrpc":"2.0","id":1}"#).error.code, INVALID_REQUEST);
    }

    #[test]
    fn batches_parse_element_by_element() {
        let Parsed::Batch(items) = parse(br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}, 5]"#) else {
            panic!("expected a batch")
        };
        assert!(items[0].is_ok());
        assert_eq!(items[1].as_ref().unwrap_err().error.code, INVALID_REQUEST);
    }

    #[test]
    fn serialises_envelopes_in_sdk_order() {
        assert_eq!(
            String::from_utf8(result_bytes(&RequestId::Int(1), &json!({}))).unwrap(),
            r#"{"jsonrpc":"2.0","id":1,"result":{}}"#
        );
        let e = RpcError::new(METHOD_NOT_FOUND, "Method not found");
        assert_eq!(
            String::from_utf8(error_bytes(None, &e)).unwrap(),
            r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"}}"#
        );
        assert_eq!(
            String::from_utf8(error_bytes(Some(&RequestId::Str("q\"".into())), &e)).unwrap(),
            r#"{"jsonrpc":"2.0","id":"q\"","error":{"code":-32601,"message":"Method not found"}}"#
        );
        assert_eq!(
            String::from_utf8(notification_bytes("notifications/x", Some(&json!({"a":1})))).unwrap(),
            r#"{"jsonrpc":"2.0","method":"notifications/x","params":{"a":1}}"#
        );
    }
}
