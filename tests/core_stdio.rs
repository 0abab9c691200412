//! The stdio transport over real pipes: concurrency on one connection, malformed lines,
//! and shutdown on EOF.

use ferromcp::dispatch::{Backend, Call, Server};
use ferromcp::protocol::ServerInfo;
use ferromcp::transport::stdio;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Handlers named "slow:<ms>" reply after sleeping on their own thread; others at once.
struct Sleeper;

impl Backend for Sleeper {
    type Handler = u64;
    fn invoke(&self, call: Call<u64>) {
        let ms = call.handler;
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(ms));
            call.ctx.respond(&json!({"slept": ms}));
        });
    }
}

fn start() -> (std::io::PipeWriter, mpsc::Receiver<Value>, mpsc::Receiver<()>) {
    let server = Arc::new(Server::new(
        ServerInfo {
            name: "s".into(),
            version: "1".into(),
            ..Default::default()
        },
        Sleeper,
    ));
    server
        .add_tool(json!({"name": "slow", "inputSchema": {"type": "object"}}), 400)
        .unwrap();
    server
        .add_tool(json!({"name": "fast", "inputSchema": {"type": "object"}}), 0)
        .unwrap();
    let (in_r, in_w) = std::io::pipe().unwrap();
    let (out_r, out_w) = std::io::pipe().unwrap();
    let (exit_tx, exit_rx) = mpsc::channel();
    stdio::serve(server, in_r, out_w, Box::new(move || exit_tx.send(()).unwrap())).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out_r).lines() {
            let line = line.unwrap();
            assert!(!line.contains('\n'));
            tx.send(serde_json::from_str(&line).unwrap()).unwrap();
        }
    });
    (in_w, rx, exit_rx)
}

fn call(id: i64, name: &str) -> String {
    format!(
        "{}\n",
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name}})
    )
}

#[test]
fn a_slow_call_does_not_hold_up_a_fast_one() {
    let (mut input, out, _exit) = start();
    input.write_all(call(1, "slow").as_bytes()).unwrap();
    input.write_all(call(2, "fast").as_bytes()).unwrap();
    let first = out.recv_timeout(Duration::from_secs(5)).unwrap();
    let second = out.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!((first["id"].clone(), second["id"].clone()), (json!(2), json!(1)));
}

#[test]
fn bad_lines_get_errors_and_blank_lines_are_skipped() {
    let (mut input, out, _exit) = start();
    input
        .write_all(b"\n  \r\n{oops\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}\r\n")
        .unwrap();
    let e = out.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(e["error"]["code"], -32700);
    assert!(e.get("id").is_none());
    assert_eq!(
        out.recv_timeout(Duration::from_secs(5)).unwrap(),
        json!({"jsonrpc": "2.0", "id": 5, "result": {}})
    );
}

#[test]
fn eof_lets_running_calls_finish_then_exits() {
    let (mut input, out, exit) = start();
    input.write_all(call(1, "slow").as_bytes()).unwrap();
    let t = Instant::now();
    drop(input);
    exit.recv_timeout(Duration::from_secs(5))
        .expect("transport exits after EOF");
    assert!(t.elapsed() < stdio::DRAIN_ON_EOF + Duration::from_secs(1));
    assert_eq!(
        out.recv_timeout(Duration::from_secs(1)).unwrap()["result"],
        json!({"slept": 400})
    );
}
