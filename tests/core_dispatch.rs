//! The router, sessions and registry driven without Python: a Rust backend stands in
//! for the handlers and a collecting sink for the transport.

use ferromcp::dispatch::{Backend, Call, CallKind, Extra, Server};
use ferromcp::jsonrpc;
use ferromcp::outgoing::Outgoing;
use ferromcp::protocol::ServerInfo;
use ferromcp::session::{Session, Sink};
use parking_lot::Mutex;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Default)]
struct Collect(Mutex<Vec<Value>>);

impl Sink for Collect {
    fn send(&self, message: Outgoing) {
        self.0
            .lock()
            .push(serde_json::from_slice(&message.into_vec()).expect("we only send JSON"));
    }
}

impl Collect {
    fn take(&self) -> Vec<Value> {
        std::mem::take(&mut *self.0.lock())
    }
}

/// Records calls; answers the ones whose handler is "echo" at once.
#[derive(Default)]
struct Recorder(Mutex<Vec<Call<&'static str>>>);

impl Backend for Recorder {
    type Handler = &'static str;
    fn invoke(&self, call: Call<&'static str>) {
        if call.handler == "echo" {
            call.ctx
                .respond(&json!({"params": call.params, "extra": format!("{:?}", call.extra)}));
        }
        self.0.lock().push(call);
    }
}

fn server() -> Arc<Server<Recorder>> {
    let s = Arc::new(Server::new(
        ServerInfo {
            name: "t".into(),
            version: "1".into(),
            ..Default::default()
        },
        Recorder::default(),
    ));
    let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]});
    s.add_tool(
        json!({"name": "echo", "description": "e", "inputSchema": schema}),
        "echo",
    )
    .unwrap();
    s.add_tool(
        json!({"name": "hold", "description": "h", "inputSchema": {"type": "object"}}),
        "hold",
    )
    .unwrap();
    s
}

fn open(s: &Server<Recorder>) -> (Arc<Session>, Arc<Collect>) {
    let sink = Arc::new(Collect::default());
    (s.open_session(None, sink.clone()), sink)
}

fn send(s: &Server<Recorder>, session: &Arc<Session>, msg: Value) {
    s.handle(session, jsonrpc::parse(msg.to_string().as_bytes()));
}

fn init(s: &Server<Recorder>, session: &Arc<Session>, sink: &Collect, version: &str, caps: Value) {
    send(
        s,
        session,
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": version, "capabilities": caps, "clientInfo": {"name": "c", "version": "1"}}}),
    );
    send(
        s,
        session,
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    );
    let out = sink.take();
    assert_eq!(out[0]["result"]["protocolVersion"], version);
}

fn req(id: i64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

#[test]
fn initialize_negotiates_and_declares_capabilities() {
    let s = server();
    let (sess, sink) = open(&s);
    send(
        &s,
        &sess,
        req(
            1,
            "initialize",
            json!({"protocolVersion": "1999-01-01", "capabilities": {}, "clientInfo": {"name": "c", "version": "1"}}),
        ),
    );
    let out = sink.take();
    assert_eq!(out[0]["id"], 1);
    assert_eq!(out[0]["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(out[0]["result"]["capabilities"]["tools"]["listChanged"], true);
    assert!(out[0]["result"]["capabilities"].get("completions").is_none());
    send(&s, &sess, req(2, "initialize", json!({"capabilities": {}})));
    assert_eq!(sink.take()[0]["error"]["code"], -32602);
    send(&s, &sess, req(3, "ping", json!({})));
    assert_eq!(sink.take()[0], json!({"jsonrpc": "2.0", "id": 3, "result": {}}));
    // The identity can change after construction; later initializes announce the new one.
    s.set_info(ServerInfo {
        name: "renamed".into(),
        version: "9.9".into(),
        instructions: Some("hi".into()),
        ..Default::default()
    });
    let (later, later_sink) = open(&s);
    send(
        &s,
        &later,
        req(
            1,
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "c", "version": "1"}}),
        ),
    );
    let result = &later_sink.take()[0]["result"];
    assert_eq!(result["serverInfo"], json!({"name": "renamed", "version": "9.9"}));
    assert_eq!(result["instructions"], "hi");
}

#[test]
fn tool_calls_reach_the_backend_with_validation_verdict() {
    let s = server();
    let (sess, sink) = open(&s);
    init(&s, &sess, &sink, "2025-06-18", json!({}));
    send(
        &s,
        &sess,
        req(1, "tools/call", json!({"name": "echo", "arguments": {"a": 1}})),
    );
    send(
        &s,
        &sess,
        req(2, "tools/call", json!({"name": "echo", "arguments": {"a": "1"}})),
    );
    send(&s, &sess, req(3, "tools/call", json!({"name": "hold"})));
    let out = sink.take();
    assert_eq!(out[0]["result"]["extra"], "ArgumentsValid(true)");
    assert_eq!(out[1]["result"]["extra"], "ArgumentsValid(false)");
    let calls = s.backend.0.lock();
    assert_eq!(calls[2].kind, CallKind::Tool);
    assert_eq!(
        calls[2].params["arguments"],
        json!({}),
        "a call without arguments means {{}}"
    );
    assert_eq!(calls[2].extra, Extra::ArgumentsValid(true));
}

#[test]
fn bad_tool_calls_are_invalid_params() {
    let s = server();
    let (sess, sink) = open(&s);
    init(&s, &sess, &sink, "2025-06-18", json!({}));
    send(&s, &sess, req(1, "tools/call", json!({"name": "nope"})));
    send(
        &s,
        &sess,
        req(2, "tools/call", json!({"name": "echo", "arguments": [1]})),
    );
    send(&s, &sess, req(3, "tools/call", json!({"arguments": {}})));
    send(&s, &sess, req(4, "tools/list", json!({"cursor": "bogus"})));
    let out = sink.take();
    assert_eq!(out.len(), 4);
    for o in &out {
        assert_eq!(o["error"]["code"], -32602, "{o}");
    }
    assert_eq!(out[0]["error"]["message"], "Unknown tool: nope");
}

#[test]
fn lists_paginate_with_cursors() {
    let s = server();
    for i in 0..5 {
        s.add_prompt(json!({"name": format!("p{i}")}), "echo").unwrap();
    }
    s.set_page_size(2);
    let (sess, sink) = open(&s);
    let mut names = vec![];
    let mut cursor = Value::Null;
    for id in 0..10 {
        send(&s, &sess, req(id, "prompts/list", json!({"cursor": cursor})));
        let r = sink.take().remove(0)["result"].clone();
        names.extend(
            r["prompts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned()),
        );
        match r.get("nextCursor") {
            Some(c) => cursor = c.clone(),
            None => break,
        }
    }
    assert_eq!(names, ["p0", "p1", "p2", "p3", "p4"]);
}

#[test]
fn resources_resolve_concrete_then_templates_and_report_missing() {
    let s = server();
    s.add_template(json!({"uriTemplate": "w://{city}/now", "name": "w"}), "echo")
        .unwrap();
    s.add_resource(json!({"uri": "w://paris/now", "name": "paris"}), "echo")
        .unwrap();
    let (sess, sink) = open(&s);
    send(&s, &sess, req(1, "resources/read", json!({"uri": "w://oslo/now"})));
    send(&s, &sess, req(2, "resources/read", json!({"uri": "w://paris/now"})));
    send(&s, &sess, req(3, "resources/read", json!({"uri": "x://none"})));
    send(&s, &sess, req(4, "resources/templates/list", json!({})));
    let out = sink.take();
    assert_eq!(out[0]["result"]["extra"], r#"TemplateVars([("city", "oslo")])"#);
    assert_eq!(out[1]["result"]["extra"], "None");
    assert_eq!(
        out[2]["error"],
        json!({"code": -32002, "message": "Unknown resource: x://none", "data": {"uri": "x://none"}})
    );
    assert_eq!(
        out[3]["result"]["resourceTemplates"][0]["uriTemplate"],
        "w://{city}/now"
    );
}

#[test]
fn resource_requests_are_looked_up_in_canonical_spelling() {
    let s = server();
    s.add_resource(json!({"uri": "file://notes.txt/", "name": "notes"}), "echo")
        .unwrap();
    s.add_template(json!({"uriTemplate": "https://h.org/u/{id}", "name": "u"}), "echo")
        .unwrap();
    let asked = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = asked.clone();
    s.set_uri_canonicalizer(Some(Arc::new(move |uri: &str| {
        log.lock().push(uri.to_string());
        match uri {
            "file://notes.txt" => Some("file://notes.txt/".into()),
            "HTTPS://H.org/u/7" => Some("https://h.org/u/7".into()),
            "file://gone" => Some("file://gone/".into()),
            _ => None,
        }
    })));
    let (sess, sink) = open(&s);
    send(&s, &sess, req(1, "resources/read", json!({"uri": "file://notes.txt"})));
    send(&s, &sess, req(2, "resources/read", json!({"uri": "HTTPS://H.org/u/7"})));
    send(&s, &sess, req(3, "resources/read", json!({"uri": "file://gone"})));
    send(&s, &sess, req(4, "resources/read", json!({"uri": "plain://as-is"})));
    send(&s, &sess, req(5, "resources/read", json!({"uri": "file://%%"})));
    let out = sink.take();
    // The handler sees the canonical URI; errors name it.
    assert_eq!(out[0]["result"]["params"]["uri"], "file://notes.txt/");
    assert_eq!(out[1]["result"]["params"]["uri"], "https://h.org/u/7");
    assert_eq!(out[1]["result"]["extra"], r#"TemplateVars([("id", "7")])"#);
    assert_eq!(out[2]["error"]["message"], "Unknown resource: file://gone/");
    assert_eq!(out[3]["error"]["message"], "Unknown resource: plain://as-is");
    assert_eq!(out[4]["error"]["message"], "Unknown resource: file://%%");
    // URIs normalisation leaves alone never reach the canonicalizer.
    assert_eq!(
        *asked.lock(),
        vec!["file://notes.txt", "HTTPS://H.org/u/7", "file://gone", "file://%%"]
    );
}

#[test]
fn prompts_completion_and_logging_errors() {
    let s = server();
    let (sess, sink) = open(&s);
    send(&s, &sess, req(1, "prompts/get", json!({"name": "none"})));
    send(
        &s,
        &sess,
        req(2, "completion/complete", json!({"ref": {}, "argument": {}})),
    );
    send(&s, &sess, req(3, "logging/setLevel", json!({"level": "loud"})));
    send(&s, &sess, req(4, "logging/setLevel", json!({"level": "error"})));
    send(&s, &sess, req(5, "no/such", json!({})));
    let out = sink.take();
    assert_eq!(out[0]["error"]["code"], -32602);
    assert_eq!(out[0]["error"]["message"], "Unknown prompt: none");
    assert_eq!(
        out[1]["error"]["code"], -32601,
        "no completion handler: capability not declared"
    );
    assert_eq!(out[2]["error"]["code"], -32602);
    assert_eq!(out[3]["result"], json!({}));
    assert_eq!(out[4]["error"], json!({"code": -32601, "message": "Method not found"}));
}

#[test]
fn log_level_filters_and_progress_needs_a_token() {
    let s = server();
    let (sess, sink) = open(&s);
    send(&s, &sess, req(1, "logging/setLevel", json!({"level": "warning"})));
    send(
        &s,
        &sess,
        req(
            2,
            "tools/call",
            json!({"name": "hold", "_meta": {"progressToken": "tok"}}),
        ),
    );
    send(&s, &sess, req(3, "tools/call", json!({"name": "hold"})));
    sink.take();
    let calls = s.backend.0.lock();
    let ctx = &calls[0].ctx;
    ctx.log(ferromcp::protocol::logging::Level::Info, json!("quiet"), None);
    ctx.log(ferromcp::protocol::logging::Level::Error, json!("loud"), Some("lg"));
    ctx.progress(1.0, Some(2.0), Some("half"));
    calls[1].ctx.progress(1.0, None, None);
    let out = sink.take();
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(
        out[0]["params"],
        json!({"level": "error", "logger": "lg", "data": "loud"})
    );
    assert_eq!(
        out[1]["params"],
        json!({"progressToken": "tok", "progress": 1.0, "total": 2.0, "message": "half"})
    );
}

#[test]
fn cancellation_suppresses_the_reply_and_runs_the_hook() {
    let s = server();
    let (sess, sink) = open(&s);
    send(&s, &sess, req(7, "tools/call", json!({"name": "hold"})));
    let ctx = s.backend.0.lock()[0].ctx.clone();
    let hooked = Arc::new(Mutex::new(false));
    let h = hooked.clone();
    ctx.set_cancel_hook(Box::new(move || *h.lock() = true));
    assert_eq!(sess.in_flight_count(), 1);
    send(
        &s,
        &sess,
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 7, "reason": "x"}}),
    );
    assert!(*hooked.lock());
    assert!(ctx.is_cancelled());
    ctx.respond(&json!({"late": true}));
    assert!(sink.take().is_empty(), "a cancelled request gets no reply");
    assert_eq!(sess.in_flight_count(), 0);
    // unknown ids are ignored
    send(
        &s,
        &sess,
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 99}}),
    );
    send(&s, &sess, req(8, "ping", json!({})));
    assert_eq!(sink.take()[0]["id"], 8);
}

#[test]
fn batches_only_in_2025_03_26() {
    let s = server();
    let (sess, sink) = open(&s);
    init(&s, &sess, &sink, "2025-06-18", json!({}));
    send(&s, &sess, json!([req(1, "ping", json!({}))]));
    let out = sink.take();
    assert_eq!(out[0]["error"]["code"], -32600);
    assert!(out[0].get("id").is_none());

    let (sess, sink) = open(&s);
    init(&s, &sess, &sink, "2025-03-26", json!({}));
    send(
        &s,
        &sess,
        json!([
            req(1, "ping", json!({})),
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            req(2, "tools/call", json!({"name": "echo", "arguments": {"a": 2}})),
            {"jsonrpc": "2.0", "id": 3},
        ]),
    );
    let out = sink.take();
    assert_eq!(out.len(), 1, "one array reply");
    let replies = out[0].as_array().unwrap();
    assert_eq!(replies.len(), 3);
    assert_eq!(replies[0]["id"], 1);
    assert_eq!(replies[1]["id"], 2);
    assert_eq!(replies[2]["error"]["code"], -32600);
}

#[test]
fn server_to_client_requests_correlate_and_check_capabilities() {
    let s = server();
    let (sess, sink) = open(&s);
    init(&s, &sess, &sink, "2025-06-18", json!({"sampling": {}}));
    send(&s, &sess, req(1, "tools/call", json!({"name": "hold"})));
    let ctx = s.backend.0.lock()[0].ctx.clone();
    let got = Arc::new(Mutex::new(vec![]));
    let g = got.clone();
    ctx.request(
        "sampling/createMessage",
        Some(&json!({"maxTokens": 5})),
        Box::new(move |r| g.lock().push(r)),
    );
    let g = got.clone();
    ctx.request("roots/list", None, Box::new(move |r| g.lock().push(r)));
    let out = sink.take();
    assert_eq!(out.len(), 1, "roots/list is refused locally: not declared");
    assert_eq!(out[0]["method"], "sampling/createMessage");
    let id = out[0]["id"].clone();
    assert!(got.lock()[0].is_err());
    send(
        &s,
        &sess,
        json!({"jsonrpc": "2.0", "id": id, "result": {"role": "assistant"}}),
    );
    assert_eq!(got.lock()[1], Ok(json!({"role": "assistant"})));
    // an answer nobody waits for is ignored
    send(&s, &sess, json!({"jsonrpc": "2.0", "id": 12345, "result": {}}));
    // closing the session fails what still waits
    let g = got.clone();
    ctx.request("sampling/createMessage", None, Box::new(move |r| g.lock().push(r)));
    sess.close();
    assert!(got.lock()[2].is_err());
}

#[test]
fn registry_changes_notify_initialized_sessions() {
    let s = server();
    let (early, early_sink) = open(&s);
    let (sess, sink) = open(&s);
    init(&s, &sess, &sink, "2025-06-18", json!({}));
    s.add_tool(
        json!({"name": "new", "description": "n", "inputSchema": {"type": "object"}}),
        "echo",
    )
    .unwrap();
    assert!(s.remove_tool("new"));
    assert!(!s.remove_tool("new"));
    s.add_prompt(json!({"name": "p"}), "echo").unwrap();
    let methods: Vec<_> = sink
        .take()
        .iter()
        .map(|m| m["method"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        methods,
        [
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/prompts/list_changed"
        ]
    );
    assert!(early_sink.take().is_empty(), "not initialized: no notifications");
    drop(early);
}

#[test]
fn resource_updates_go_to_subscribers_only() {
    let s = server();
    let (a, a_sink) = open(&s);
    let (b, b_sink) = open(&s);
    send(&s, &a, req(1, "resources/subscribe", json!({"uri": "x://1"})));
    send(&s, &b, req(1, "resources/subscribe", json!({"uri": "x://2"})));
    send(&s, &b, req(2, "resources/unsubscribe", json!({"uri": "x://2"})));
    send(&s, &b, req(3, "resources/subscribe", json!({})));
    a_sink.take();
    assert_eq!(b_sink.take()[2]["error"]["code"], -32602);
    s.notify_resource_updated("x://1");
    s.notify_resource_updated("x://2");
    assert_eq!(
        a_sink.take(),
        vec![json!({"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": "x://1"}})]
    );
    assert!(b_sink.take().is_empty());
}

#[test]
fn hooks_run_after_the_engine_handled_the_method() {
    let s = server();
    assert!(
        s.set_hook("tools/list", Some("echo")).is_err(),
        "only the hookable methods"
    );
    s.set_hook("logging/setLevel", Some("echo")).unwrap();
    s.set_hook("resources/subscribe", Some("hold")).unwrap();
    let (sess, sink) = open(&s);
    send(&s, &sess, req(1, "logging/setLevel", json!({"level": "error"})));
    send(&s, &sess, req(2, "logging/setLevel", json!({"level": "loud"})));
    send(&s, &sess, req(3, "resources/subscribe", json!({"uri": "x://1"})));
    send(&s, &sess, req(4, "resources/unsubscribe", json!({"uri": "x://9"})));
    let out = sink.take();
    // The hook's result is the reply; a request the engine rejects never reaches it.
    assert_eq!(out[0]["id"], 1);
    assert_eq!(out[0]["result"]["params"], json!({"level": "error"}));
    assert_eq!(out[1]["error"]["code"], -32602);
    // No hook for unsubscribe: answered at once. The held subscribe hook has not replied.
    assert_eq!(out[2], json!({"jsonrpc": "2.0", "id": 4, "result": {}}));
    assert_eq!(out.len(), 3);
    {
        let calls = s.backend.0.lock();
        let kinds: Vec<_> = calls.iter().map(|c| (c.kind, c.handler)).collect();
        assert_eq!(kinds, vec![(CallKind::Hook, "echo"), (CallKind::Hook, "hold")]);
        assert_eq!(calls[1].params, json!({"uri": "x://1"}));
        calls[1].ctx.respond(&json!({}));
    }
    assert_eq!(sink.take(), vec![json!({"jsonrpc": "2.0", "id": 3, "result": {}})]);
    // The engine did its own part first: the level filters, the subscription delivers.
    s.notify_resource_updated("x://1");
    assert_eq!(sink.take().len(), 1);
    s.set_hook("logging/setLevel", None).unwrap();
    send(&s, &sess, req(5, "logging/setLevel", json!({"level": "info"})));
    assert_eq!(sink.take(), vec![json!({"jsonrpc": "2.0", "id": 5, "result": {}})]);
}
