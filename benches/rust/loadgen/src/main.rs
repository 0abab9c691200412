//! Load generator for the ferromcp benchmark harness (benches/run.py). It speaks plain
//! MCP JSON-RPC, checks every reply, and prints one JSON object with the figures.
//!
//!   mcp_loadgen spawn  --spawns N [--server-cpu C] [--stderr FILE] -- CMD...
//!   mcp_loadgen stdio  --seq N --pipelined N --window W --big N --sleep N --sleep-window W
//!                      [--warmup N] [--server-cpu C] [--stderr FILE] -- CMD...
//!   mcp_loadgen http   --url URL --conns C --seconds S --warmup S [--tool add|sleep]
//!                      [--stateless]
//!   mcp_loadgen memory --url URL --pid PID --sessions N --cycles K [--settle-ms MS]
//!   mcp_loadgen floor  [--wide-pipe]
//!
//! `spawn` times spawn -> initialize response; `stdio` drives one server over its pipes
//! (sequential calls with per-call latency, pipelined calls with W in flight, the 10 MB
//! tool, the 10 ms async tool with W in flight); `http` keeps C keep-alive connections
//! busy with tools/call on one session made by a real initialize handshake; `memory`
//! reads the server's RSS idle, after opening N sessions and after deleting them.
//! `floor` is not a client: it is the stdio floor for the 10 MB figure, a responder with no
//! framework that answers every tools/call with the same precomputed reply a Python server
//! sends for the 10 MB tool (text content plus `{"result": ...}` structured content), its
//! stdout pipe left at the kernel default or widened to 1 MiB (`--wide-pipe`).
//! Each command also reports the CPU time this process used, so a saturated client shows.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::os::fd::AsRawFd;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

const PROTOCOL: &str = "2025-06-18";
const BIG_LEN: usize = 10 * 1024 * 1024;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

// ---------------------------------------------------------------- arguments

struct Args {
    opts: HashMap<String, String>,
    flags: Vec<String>,
    command: Vec<String>,
}

impl Args {
    fn parse(raw: &[String]) -> Args {
        let mut opts = HashMap::new();
        let mut flags = Vec::new();
        let mut command = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let a = &raw[i];
            if a == "--" {
                command = raw[i + 1..].to_vec();
                break;
            }
            let key = a.trim_start_matches("--").to_string();
            match raw.get(i + 1) {
                Some(v) if !v.starts_with("--") => {
                    opts.insert(key, v.clone());
                    i += 2;
                }
                _ => {
                    flags.push(key);
                    i += 1;
                }
            }
        }
        Args { opts, flags, command }
    }
    fn num(&self, key: &str, default: u64) -> u64 {
        self.opts.get(key).map_or(default, |v| v.parse().expect(key))
    }
    fn float(&self, key: &str, default: f64) -> f64 {
        self.opts.get(key).map_or(default, |v| v.parse().expect(key))
    }
    fn text(&self, key: &str) -> Option<&str> {
        self.opts.get(key).map(String::as_str)
    }
    fn flag(&self, key: &str) -> bool {
        self.flags.iter().any(|f| f == key)
    }
}

// ---------------------------------------------------------------- helpers

fn cpu_seconds() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// (p50, p99) in milliseconds of latencies in microseconds.
fn percentiles(lat_us: &mut [u64]) -> (f64, f64) {
    if lat_us.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    lat_us.sort_unstable();
    let at = |q: f64| lat_us[((lat_us.len() as f64 * q) as usize).min(lat_us.len() - 1)];
    (at(0.50) as f64 / 1000.0, at(0.99) as f64 / 1000.0)
}

fn initialize_msg(id: u64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL, "capabilities": {},
        "clientInfo": {"name": "mcp_loadgen", "version": "1"}}})
}

fn call_msg(id: u64, tool: &str, args: Value) -> Vec<u8> {
    let mut v = serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "arguments": args}}))
    .unwrap();
    v.push(b'\n');
    v
}

fn tool_args(tool: &str, i: u64) -> Value {
    match tool {
        "add" => json!({"a": i, "b": 1}),
        "echo" => json!({"text": format!("hello {i}")}),
        _ => json!({}),
    }
}

/// Checks a tools/call reply: right id, a result that is not an error, and the expected
/// payload for the bench tools.
fn check_reply(v: &Value, id: u64, tool: &str, i: u64) -> Result<(), String> {
    if v.get("id").and_then(Value::as_u64) != Some(id) {
        return Err(format!("reply id mismatch (wanted {id}): {}", short(v)));
    }
    let result = v.get("result").ok_or_else(|| format!("no result: {}", short(v)))?;
    if result.get("isError").and_then(Value::as_bool) == Some(true) {
        return Err(format!("isError: {}", short(v)));
    }
    let text = result["content"][0]["text"].as_str().unwrap_or_default();
    let ok = match tool {
        "add" => {
            let want = i + 1;
            result["structuredContent"]["result"].as_u64() == Some(want) || text == want.to_string()
        }
        "echo" => text == format!("hello {i}"),
        "big" => text.len() == BIG_LEN,
        _ => !text.is_empty(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected {tool} result: {}", short(v)))
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(300).collect()
}

// ---------------------------------------------------------------- stdio

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: LineReader,
}

/// Newline-delimited messages from the server, read straight into one growing buffer: a
/// multi-megabyte line is copied once (kernel to buffer), not again from a read buffer into
/// a line buffer, so the client is not what limits the large-message figure.
struct LineReader {
    src: ChildStdout,
    buf: Vec<u8>,
    /// Where the next line starts, and how far from there is known to hold no newline.
    start: usize,
    scanned: usize,
    /// The last line returned: `buf[line.0..line.1]`.
    line: (usize, usize),
}

impl LineReader {
    fn new(src: ChildStdout) -> Self {
        LineReader {
            src,
            buf: Vec::with_capacity(1 << 20),
            start: 0,
            scanned: 0,
            line: (0, 0),
        }
    }

    /// Reads up to the next newline; false at end of stream.
    fn next_line(&mut self) -> std::io::Result<bool> {
        loop {
            let from = self.start + self.scanned;
            if let Some(n) = memchr::memchr(b'\n', &self.buf[from..]) {
                self.line = (self.start, from + n);
                self.start = from + n + 1;
                self.scanned = 0;
                return Ok(true);
            }
            self.scanned = self.buf.len() - self.start;
            if self.start > 0 && self.start == self.buf.len() {
                self.buf.clear();
                self.start = 0;
            } else if self.start > self.buf.capacity() / 2 {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            if self.buf.capacity() - self.buf.len() < (1 << 20) {
                self.buf.reserve(self.buf.len().max(1 << 20));
            }
            let spare = self.buf.spare_capacity_mut();
            // SAFETY: read(2) writes at most `spare.len()` bytes into the spare capacity;
            // `set_len` then covers exactly the bytes it wrote.
            let n = unsafe { libc::read(self.src.as_raw_fd(), spare.as_mut_ptr().cast(), spare.len()) };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if n == 0 {
                return Ok(false);
            }
            unsafe { self.buf.set_len(self.buf.len() + n as usize) };
        }
    }

    fn line(&self) -> &[u8] {
        &self.buf[self.line.0..self.line.1]
    }
}

impl Server {
    fn spawn(cmd: &[String], cpu: Option<usize>, stderr: Option<&str>) -> Res<Server> {
        use std::os::unix::process::CommandExt;
        let mut c = Command::new(&cmd[0]);
        c.args(&cmd[1..]).stdin(Stdio::piped()).stdout(Stdio::piped());
        match stderr {
            Some(path) => {
                let f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                c.stderr(f);
            }
            None => {
                c.stderr(Stdio::null());
            }
        }
        if let Some(cpu) = cpu {
            // Pin the server to its core in the child, before exec: no taskset process to
            // time in the spawn figure.
            unsafe {
                c.pre_exec(move || {
                    let mut set: libc::cpu_set_t = std::mem::zeroed();
                    libc::CPU_SET(cpu, &mut set);
                    if libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let mut child = c.spawn()?;
        let stdin = child.stdin.take();
        let stdout = LineReader::new(child.stdout.take().unwrap());
        Ok(Server {
            child,
            stdin,
            stdout,
        })
    }

    fn send(&mut self, bytes: &[u8]) -> Res<()> {
        self.stdin.as_mut().unwrap().write_all(bytes)?;
        Ok(())
    }

    fn send_json(&mut self, v: &Value) -> Res<()> {
        let mut b = serde_json::to_vec(v)?;
        b.push(b'\n');
        self.send(&b)
    }

    /// Reads the next line; server notifications and log messages (no id) are skipped.
    fn recv(&mut self) -> Res<Value> {
        loop {
            self.recv_raw()?;
            let v: Value = serde_json::from_slice(self.stdout.line())?;
            if v.get("id").is_some() {
                return Ok(v);
            }
        }
    }

    fn recv_raw(&mut self) -> Res<()> {
        if !self.stdout.next_line()? {
            return Err("server closed stdout".into());
        }
        Ok(())
    }

    fn initialize(&mut self) -> Res<()> {
        self.send_json(&initialize_msg(0))?;
        let v = self.recv()?;
        if v.get("result").is_none() {
            return Err(format!("initialize failed: {}", short(&v)).into());
        }
        self.send_json(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
    }

    fn close(mut self) {
        drop(self.stdin.take());
        // Drain what is left so the server never blocks on a full pipe while exiting.
        let mut sink = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    let _ = self.stdout.src.read_to_end(&mut sink);
                    std::thread::sleep(Duration::from_millis(10));
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return;
                }
            }
        }
    }
}

fn cmd_spawn(a: &Args) -> Res<Value> {
    let spawns = a.num("spawns", 10);
    let cpu = a.text("server-cpu").map(|c| c.parse().unwrap());
    let mut ms = Vec::new();
    for _ in 0..spawns {
        let t = Instant::now();
        let mut s = Server::spawn(&a.command, cpu, a.text("stderr"))?;
        s.initialize()?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        s.close();
    }
    Ok(json!({"init_ms": ms}))
}

/// `total` calls of `tool` with at most `window` in flight; returns calls/s.
fn pipelined(s: &mut Server, tool: &str, total: u64, window: u64, first_id: u64) -> Res<f64> {
    // One thread: requests are ~100 bytes and replies small, so `window` of each fits in
    // the pipe buffers and neither side can block the other.
    assert!(
        window <= 256,
        "window too large for the single-threaded pipelined client"
    );
    let t = Instant::now();
    let mut sent = 0;
    let mut done = 0;
    while done < total {
        while sent < total && sent - done < window {
            let i = first_id + sent;
            s.send(&call_msg(i, tool, tool_args(tool, i)))?;
            sent += 1;
        }
        let v = s.recv()?;
        let id = v["id"].as_u64().ok_or("reply without numeric id")?;
        check_reply(&v, id, tool, id)?;
        done += 1;
    }
    Ok(total as f64 / t.elapsed().as_secs_f64())
}

fn cmd_stdio(a: &Args) -> Res<Value> {
    let cpu = a.text("server-cpu").map(|c| c.parse().unwrap());
    let mut s = Server::spawn(&a.command, cpu, a.text("stderr"))?;
    s.initialize()?;
    let mut out = serde_json::Map::new();
    let mut id = 1u64;
    let cpu0 = cpu_seconds();
    let t_all = Instant::now();

    // Warm-up, not measured.
    for _ in 0..a.num("warmup", 200) {
        s.send(&call_msg(id, "add", tool_args("add", id)))?;
        let v = s.recv()?;
        check_reply(&v, id, "add", id)?;
        id += 1;
    }

    let seq = a.num("seq", 0);
    if seq > 0 {
        let mut lat = Vec::with_capacity(seq as usize);
        let t = Instant::now();
        for _ in 0..seq {
            let msg = call_msg(id, "add", tool_args("add", id));
            let t1 = Instant::now();
            s.send(&msg)?;
            let v = s.recv()?;
            lat.push(t1.elapsed().as_micros() as u64);
            check_reply(&v, id, "add", id)?;
            id += 1;
        }
        let secs = t.elapsed().as_secs_f64();
        let (p50, p99) = percentiles(&mut lat);
        out.insert(
            "seq".into(),
            json!({"calls": seq, "calls_per_s": seq as f64 / secs, "p50_ms": p50, "p99_ms": p99}),
        );
    }

    let piped = a.num("pipelined", 0);
    if piped > 0 {
        let window = a.num("window", 64);
        let rate = pipelined(&mut s, "add", piped, window, id)?;
        id += piped;
        out.insert(
            "pipelined".into(),
            json!({"calls": piped, "window": window, "calls_per_s": rate}),
        );
    }

    let big = a.num("big", 0);
    if big > 0 {
        let mut ms = Vec::new();
        for _ in 0..big {
            let t = Instant::now();
            s.send(&call_msg(id, "big", json!({})))?;
            s.recv_raw()?; // the reply is the next line; timed up to its last byte
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let v: Value = serde_json::from_slice(s.stdout.line())?;
            check_reply(&v, id, "big", id)?;
            id += 1;
        }
        out.insert("big".into(), json!({"ms": ms, "bytes": BIG_LEN}));
    }

    let sleep = a.num("sleep", 0);
    if sleep > 0 {
        let window = a.num("sleep-window", 64);
        let rate = pipelined(&mut s, "sleep", sleep, window, id)?;
        out.insert(
            "sleep".into(),
            json!({"calls": sleep, "window": window, "calls_per_s": rate}),
        );
    }

    let wall = t_all.elapsed().as_secs_f64();
    out.insert("client_cpu_share".into(), json!((cpu_seconds() - cpu0) / wall));
    s.close();
    Ok(Value::Object(out))
}

// ---------------------------------------------------------------- HTTP

#[derive(Clone)]
struct Target {
    host: String,
    path: String,
}

impl Target {
    fn parse(url: &str) -> Target {
        let rest = url.strip_prefix("http://").expect("http:// URL");
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        Target {
            host: host.to_string(),
            path: path.to_string(),
        }
    }
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(t: &Target) -> Res<Sender> {
    let stream = tokio::net::TcpStream::connect(&t.host).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

struct Reply {
    status: StatusCode,
    session: Option<String>,
    body: Bytes,
}

async fn request(sender: &mut Sender, t: &Target, method: Method, session: Option<&str>, body: Bytes) -> Res<Reply> {
    let mut b = Request::builder()
        .method(method)
        .uri(&t.path)
        .header("host", &t.host)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", PROTOCOL);
    if let Some(sid) = session {
        b = b.header("mcp-session-id", sid);
    }
    sender.ready().await?;
    let resp = sender.send_request(b.body(Full::new(body))?).await?;
    let status = resp.status();
    let session = resp
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.into_body().collect().await?.to_bytes();
    Ok(Reply { status, session, body })
}

/// The JSON-RPC messages of a body: the body itself (JSON response) or the `data:`
/// lines of an SSE stream.
fn messages(body: &[u8]) -> Vec<Value> {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return vec![v];
    }
    let text = String::from_utf8_lossy(body);
    let mut out = Vec::new();
    let mut data = String::new();
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if let Some(d) = line.strip_prefix("data:") {
            data.push_str(d.trim_start());
        } else if line.is_empty() && !data.is_empty() {
            if let Ok(v) = serde_json::from_str(&data) {
                out.push(v);
            }
            data.clear();
        }
    }
    if !data.is_empty() {
        if let Ok(v) = serde_json::from_str(&data) {
            out.push(v);
        }
    }
    out
}

fn find_reply(body: &[u8], id: u64) -> Option<Value> {
    messages(body)
        .into_iter()
        .find(|m| m.get("id").and_then(Value::as_u64) == Some(id))
}

/// initialize + notifications/initialized; the session id (None when stateless).
async fn handshake(sender: &mut Sender, t: &Target) -> Res<Option<String>> {
    let body = Bytes::from(serde_json::to_vec(&initialize_msg(0))?);
    let r = request(sender, t, Method::POST, None, body).await?;
    if !r.status.is_success() {
        return Err(format!("initialize: HTTP {}", r.status).into());
    }
    let reply = find_reply(&r.body, 0).ok_or("initialize: no reply in body")?;
    if reply.get("result").is_none() {
        return Err(format!("initialize failed: {}", short(&reply)).into());
    }
    let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let n = request(
        sender,
        t,
        Method::POST,
        r.session.as_deref(),
        Bytes::from(note.to_string()),
    )
    .await?;
    if !n.status.is_success() {
        return Err(format!("notifications/initialized: HTTP {}", n.status).into());
    }
    Ok(r.session)
}

#[derive(Default)]
struct ConnStats {
    ok: u64,
    non2xx: u64,
    rpc_errors: u64,
    transport_errors: u64,
    lat_us: Vec<u64>,
    first_error: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn http_worker(
    t: Target,
    session: Option<String>,
    tool: String,
    conn_no: u64,
    measure_from: Instant,
    end: Instant,
    stop: Arc<AtomicBool>,
) -> ConnStats {
    let mut st = ConnStats::default();
    let mut sender: Option<Sender> = None;
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) && Instant::now() < end {
        if sender.is_none() {
            match connect(&t).await {
                Ok(s) => sender = Some(s),
                Err(e) => {
                    st.transport_errors += 1;
                    st.first_error.get_or_insert(format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        // Ids unique across connections: JSON-RPC ids must not repeat within a session
        // while in flight.
        let id = conn_no * 1_000_000_000 + n;
        n += 1;
        let mut body = call_msg(id, &tool, tool_args(&tool, id));
        body.pop();
        let start = Instant::now();
        let r = request(
            sender.as_mut().unwrap(),
            &t,
            Method::POST,
            session.as_deref(),
            Bytes::from(body),
        )
        .await;
        let done = Instant::now();
        if done > end {
            break;
        }
        let counted = start >= measure_from;
        match r {
            Err(e) => {
                sender = None;
                if counted {
                    st.transport_errors += 1;
                }
                st.first_error.get_or_insert(format!("request: {e}"));
            }
            Ok(r) if !r.status.is_success() => {
                if counted {
                    st.non2xx += 1;
                }
                st.first_error.get_or_insert(format!(
                    "HTTP {}: {}",
                    r.status,
                    String::from_utf8_lossy(&r.body).chars().take(200).collect::<String>()
                ));
            }
            Ok(r) => {
                let verdict = match find_reply(&r.body, id) {
                    Some(v) => check_reply(&v, id, &tool, id),
                    None => Err(format!(
                        "no reply for id {id}: {}",
                        String::from_utf8_lossy(&r.body).chars().take(200).collect::<String>()
                    )),
                };
                match verdict {
                    Ok(()) => {
                        if counted {
                            st.ok += 1;
                            st.lat_us.push((done - start).as_micros() as u64);
                        }
                    }
                    Err(e) => {
                        if counted {
                            st.rpc_errors += 1;
                        }
                        st.first_error.get_or_insert(e);
                    }
                }
            }
        }
    }
    st
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn cmd_http(a: &Args) -> Res<Value> {
    let t = Target::parse(a.text("url").ok_or("--url")?);
    let conns = a.num("conns", 16);
    let seconds = a.float("seconds", 5.0);
    let warmup = a.float("warmup", 1.0);
    let tool = a.text("tool").unwrap_or("add").to_string();
    let stateless = a.flag("stateless");
    runtime().block_on(async move {
        let mut s = connect(&t).await?;
        let session = handshake(&mut s, &t).await?;
        if session.is_none() && !stateless {
            return Err("the server gave no Mcp-Session-Id".into());
        }
        drop(s);
        let cpu0 = cpu_seconds();
        let t0 = Instant::now();
        let measure_from = t0 + Duration::from_secs_f64(warmup);
        let end = measure_from + Duration::from_secs_f64(seconds);
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for c in 0..conns {
            tasks.push(tokio::spawn(http_worker(
                t.clone(),
                session.clone(),
                tool.clone(),
                c + 1,
                measure_from,
                end,
                stop.clone(),
            )));
        }
        let mut all = ConnStats::default();
        for task in tasks {
            let st = task.await?;
            all.ok += st.ok;
            all.non2xx += st.non2xx;
            all.rpc_errors += st.rpc_errors;
            all.transport_errors += st.transport_errors;
            all.lat_us.extend(st.lat_us);
            if all.first_error.is_none() {
                all.first_error = st.first_error;
            }
        }
        let wall = t0.elapsed().as_secs_f64();
        let (p50, p99) = percentiles(&mut all.lat_us);
        Ok(json!({
            "conns": conns, "seconds": seconds, "tool": tool,
            "calls_per_s": all.ok as f64 / seconds,
            "ok": all.ok, "p50_ms": p50, "p99_ms": p99,
            "non2xx": all.non2xx, "rpc_errors": all.rpc_errors,
            "transport_errors": all.transport_errors,
            "first_error": all.first_error,
            "client_cpu_share": (cpu_seconds() - cpu0) / wall,
        }))
    })
}

// ---------------------------------------------------------------- memory

fn rss_kb(pid: u32) -> Res<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?)
}

async fn open_sessions(t: &Target, n: u64, conns: u64) -> Res<(Vec<String>, u64)> {
    let mut tasks = Vec::new();
    for c in 0..conns {
        let t = t.clone();
        let share = n / conns + u64::from(c < n % conns);
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            let mut failures = 0u64;
            let mut s = connect(&t).await?;
            for _ in 0..share {
                match handshake(&mut s, &t).await {
                    Ok(Some(id)) => ids.push(id),
                    _ => {
                        failures += 1;
                        s = connect(&t).await?;
                    }
                }
            }
            Res::Ok((ids, failures))
        }));
    }
    let mut ids = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (i, f) = task.await??;
        ids.extend(i);
        failures += f;
    }
    Ok((ids, failures))
}

async fn delete_sessions(t: &Target, ids: Vec<String>, conns: usize) -> Res<HashMap<String, u64>> {
    let chunk = ids.len().div_ceil(conns.max(1)).max(1);
    let mut tasks = Vec::new();
    for part in ids.chunks(chunk) {
        let t = t.clone();
        let part = part.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut codes: HashMap<String, u64> = HashMap::new();
            let mut s = connect(&t).await?;
            for id in part {
                let key = match request(&mut s, &t, Method::DELETE, Some(&id), Bytes::new()).await {
                    Ok(r) => r.status.as_u16().to_string(),
                    Err(_) => {
                        s = connect(&t).await?;
                        "transport error".to_string()
                    }
                };
                *codes.entry(key).or_default() += 1;
            }
            Res::Ok(codes)
        }));
    }
    let mut codes = HashMap::new();
    for task in tasks {
        for (k, v) in task.await?? {
            *codes.entry(k).or_default() += v;
        }
    }
    Ok(codes)
}

fn cmd_memory(a: &Args) -> Res<Value> {
    let t = Target::parse(a.text("url").ok_or("--url")?);
    let pid: u32 = a.text("pid").ok_or("--pid")?.parse()?;
    let n = a.num("sessions", 1000);
    let cycles = a.num("cycles", 2);
    let settle = Duration::from_millis(a.num("settle-ms", 1000));
    let conns = a.num("conns", 4);
    runtime().block_on(async move {
        tokio::time::sleep(settle).await;
        let idle = rss_kb(pid)?;
        let mut out = Vec::new();
        for _ in 0..cycles {
            let t0 = Instant::now();
            let (ids, open_failures) = open_sessions(&t, n, conns).await?;
            let open_s = t0.elapsed().as_secs_f64();
            tokio::time::sleep(settle).await;
            let open_kb = rss_kb(pid)?;
            let opened = ids.len();
            let codes = delete_sessions(&t, ids, conns as usize).await?;
            tokio::time::sleep(settle).await;
            let deleted_kb = rss_kb(pid)?;
            out.push(json!({
                "opened": opened, "open_failures": open_failures, "open_seconds": open_s,
                "open_kb": open_kb, "deleted_kb": deleted_kb, "delete_status": codes,
            }));
        }
        Ok(json!({"idle_kb": idle, "sessions": n, "cycles": out}))
    })
}

// ---------------------------------------------------------------- main

// ---------------------------------------------------------------- floor

fn cmd_floor(a: &Args) -> Res<Value> {
    use std::os::fd::AsRawFd;
    let big = "x".repeat(BIG_LEN);
    let body = serde_json::to_vec(&json!({
        "content": [{"type": "text", "text": big}],
        "structuredContent": {"result": big},
        "isError": false,
    }))?;
    let stdout = std::io::stdout();
    if a.flag("wide-pipe") {
        // SAFETY: fcntl on this process's own stdout descriptor.
        if unsafe { libc::fcntl(stdout.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20) } < 0 {
            return Err(format!("F_SETPIPE_SZ: {}", std::io::Error::last_os_error()).into());
        }
    }
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let msg: Value = serde_json::from_str(&line?)?;
        let Some(id) = msg.get("id") else { continue };
        let head = format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":");
        out.write_all(head.as_bytes())?;
        if msg["method"] == "initialize" {
            let init = json!({"protocolVersion": msg["params"]["protocolVersion"],
                "capabilities": {"tools": {}}, "serverInfo": {"name": "floor", "version": "0"}});
            out.write_all(init.to_string().as_bytes())?;
        } else {
            out.write_all(&body)?;
        }
        out.write_all(b"}\n")?;
        out.flush()?;
    }
    Ok(Value::Null)
}

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = raw.first() else {
        eprintln!("usage: mcp_loadgen spawn|stdio|http|memory|floor [options] [-- CMD...]");
        std::process::exit(2);
    };
    let a = Args::parse(&raw[1..]);
    let result = match cmd.as_str() {
        "spawn" => cmd_spawn(&a),
        "stdio" => cmd_stdio(&a),
        "http" => cmd_http(&a),
        "memory" => cmd_memory(&a),
        "floor" => cmd_floor(&a),
        other => Err(format!("unknown command {other}").into()),
    };
    match result {
        Ok(Value::Null) => {} // floor: stdout is the protocol stream, nothing to report
        Ok(v) => println!("{v}"),
        Err(e) => {
            println!("{}", json!({"error": e.to_string()}));
            std::process::exit(1);
        }
    }
}
