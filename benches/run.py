#!/usr/bin/env python3
"""ferromcp benchmark harness: one command does all the set-up and every measurement.

    python3 benches/run.py            # full run, results under benches/results/
    python3 benches/run.py --quick    # short smoke run, results under benches/.build/quick/

Set-up (each step is skipped when already done, so re-runs start measuring at once):
  * benches/.venvs/{sdk1,sdk2,fastmcp}: the anchors from PyPI, on CPython 3.11;
  * benches/.venvs/tools: maturin (builds ferromcp's release wheel) and matplotlib (chart);
  * benches/.venvs/ferromcp: the release wheel of this checkout, rebuilt on every run;
  * benches/rust: the rmcp ceiling server and the Rust load generator (cargo --release).

Every Python server runs the same file, benches/servers/bench_server.py, which differs per
package only in its import line (and where the HTTP settings go); rmcp runs the same tools in
Rust. The load generator (benches/rust/loadgen) checks every reply. With two or more cores the
server is pinned to one core and the load generator to another (taskset / sched_setaffinity).

Figures, each the median with min and max over repetitions, and the ratio ferromcp/anchor
from the same run: spawn -> initialize; stdio sequential calls/s, p50, p99; stdio pipelined
calls/s; one 10 MB tools/call; Streamable HTTP at 16 and 64 connections in SSE-response,
JSON-response and stateless modes (calls/s, p50, p99, non-2xx, bad replies); server RSS idle,
after 1,000 HTTP sessions, after deleting them, and a second cycle; an async tool awaiting
asyncio.sleep(0.01) at 64 concurrent requests (stdio and HTTP). Then two checks of the
load generator: wrk against the rmcp server at the same settings, and the floor under the
10 MB figure (a precomputed reply with no server behind it, through a default and a widened
pipe).
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENVS = HERE / ".venvs"
BUILD = HERE / ".build"
TARGET = BUILD / "target"
LOGS = BUILD / "logs"
SERVER_FILE = HERE / "servers" / "bench_server.py"
RUST = HERE / "rust"
LOADGEN = TARGET / "release" / "mcp_loadgen"
RMCP = TARGET / "release" / "rmcp_bench_server"
PROTOCOL = "2025-06-18"

# name -> (label, pip requirement or None, distribution whose version is reported)
SERVERS = {
    "ferromcp": ("ferromcp", None, "ferromcp"),
    "sdk1": ("SDK v1 FastMCP", "mcp>=1.30,<2", "mcp"),
    "sdk2": ("SDK v2 MCPServer", "mcp>=2.3,<3", "mcp"),
    "fastmcp": ("fastmcp", "fastmcp>=4.1,<5", "fastmcp"),
    "rmcp": ("rmcp (Rust, ceiling)", None, None),
}
ANCHORS = ["sdk1", "sdk2", "fastmcp", "rmcp"]
NO_RATIO = ("count", "cores")
SHORT = {"sdk1": "SDK v1", "sdk2": "SDK v2", "fastmcp": "fastmcp", "rmcp": "rmcp"}
HTTP_MODES = ["sse", "json", "stateless"]
CONNS = [16, 64]
SECTIONS = ["spawn", "stdio", "http", "memory", "async"]
# the report's tables: http is split by mode
TABLES = ["spawn", "stdio", "http-sse", "http-json", "http-stateless", "memory", "async"]

PARAMS = {
    "full": {
        "spawns": 10,
        "reps": 3,
        "seq": 2000,
        "pipelined": 4000,
        "window": 64,
        "big": 3,
        "sleep": 3200,
        "warmup_calls": 300,
        "http_seconds": 5.0,
        "http_warmup": 1.0,
        "sessions": 1000,
        "cycles": 2,
        "memory_reps": 3,
    },
    "quick": {
        "spawns": 3,
        "reps": 1,
        "seq": 300,
        "pipelined": 500,
        "window": 64,
        "big": 1,
        "sleep": 640,
        "warmup_calls": 50,
        "http_seconds": 1.5,
        "http_warmup": 0.5,
        "sessions": 100,
        "cycles": 2,
        "memory_reps": 1,
    },
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sh(cmd: list, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


# ------------------------------------------------------------------ set-up


def find_python(version: str) -> str:
    """A working pythonX.Y (pyenv's installs first: its shims may exist for versions that
    are not selected, and then fail when run)."""
    home = Path.home()
    cands = sorted(glob.glob(f"{home}/.pyenv/versions/{version}.*/bin/python"))
    cands += [shutil.which(f"python{version}") or ""]
    for c in cands:
        if c and subprocess.run([c, "-c", "import sys"], capture_output=True).returncode == 0:
            return c
    return sys.executable


def venv_python(name: str) -> Path:
    return VENVS / name / "bin" / "python"


def ensure_venv(name: str, base_python: str, requirements: list[str]) -> Path:
    """A venv with those requirements; reinstalls only when the list changed."""
    py = venv_python(name)
    stamp = VENVS / name / ".bench-requirements"
    want = "\n".join(requirements)
    if not py.exists():
        log(f"creating venv {name}")
        sh([base_python, "-m", "venv", VENVS / name])
    if not stamp.exists() or stamp.read_text() != want:
        log(f"installing {' '.join(requirements)} into {name}")
        sh([py, "-m", "pip", "install", "-q", "--upgrade", "pip"])
        sh([py, "-m", "pip", "install", "-q", *requirements])
        stamp.write_text(want)
    return py


def build_ferromcp(base_python: str) -> None:
    """Release wheel of this checkout, installed into its own venv (rebuilt every run so
    the figures are those of the current sources; cargo makes an unchanged tree quick)."""
    tools = ensure_venv("tools", base_python, ["maturin>=1.7,<2", "matplotlib>=3.7"])
    wheels = BUILD / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    log("building the ferromcp release wheel (maturin build --release)")
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    sh(
        [tools.parent / "maturin", "build", "--release", "-o", wheels, "-m", ROOT / "Cargo.toml"],
        env=env,
    )
    (wheel,) = wheels.glob("ferromcp-*.whl")
    py = venv_python("ferromcp")
    if not py.exists():
        sh([base_python, "-m", "venv", VENVS / "ferromcp"])
        sh([py, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    sh([py, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel])
    sh([py, "-m", "pip", "install", "-q", wheel])  # its dependencies


def build_rust() -> None:
    log("building the rmcp server and the load generator (cargo build --release)")
    sh(
        [
            "cargo",
            "build",
            "--release",
            "--quiet",
            "--manifest-path",
            RUST / "Cargo.toml",
            "--target-dir",
            TARGET,
        ]
    )


def version_of(name: str) -> str:
    dist = SERVERS[name][2]
    if dist is None:
        lock = (RUST / "Cargo.lock").read_text().split("[[package]]")
        for block in lock:
            if 'name = "rmcp"' in block:
                return block.split('version = "')[1].split('"')[0]
        return "?"
    out = subprocess.run(
        [venv_python(name), "-c", f"import importlib.metadata as m; print(m.version('{dist}'))"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "?"


def git_info() -> dict:
    def git(*args: str) -> str:
        r = subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True)
        return r.stdout.strip()

    dirty = git("status", "--porcelain", "--", "src", "python", "Cargo.toml", "pyproject.toml")
    return {"commit": git("rev-parse", "--short", "HEAD"), "ferromcp_sources_dirty": bool(dirty)}


# ------------------------------------------------------------------ running things


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.p = PARAMS["quick" if args.quick else "full"].copy()
        if args.reps:
            self.p["reps"] = self.p["memory_reps"] = args.reps
        if args.seconds:
            self.p["http_seconds"] = args.seconds
        pin = not args.no_pin and (os.cpu_count() or 1) >= 2 and shutil.which("taskset")
        self.server_cpu = args.server_cpu if pin else None
        self.client_cpu = args.client_cpu if pin else None
        self.samples: dict[str, dict[str, list[float]]] = {}
        self.raw: dict[str, list] = {}
        self.errors: list[dict] = []
        self.loads: list[float] = []
        LOGS.mkdir(parents=True, exist_ok=True)

    # -- bookkeeping

    def add(self, metric: str, server: str, values) -> None:
        if not isinstance(values, list):
            values = [values]
        self.samples.setdefault(metric, {}).setdefault(server, []).extend(values)

    def error(self, server: str, what: str, err: str) -> None:
        log(f"  ERROR {server} {what}: {err}")
        self.errors.append({"server": server, "scenario": what, "error": err})

    def note_load(self) -> None:
        self.loads.append(os.getloadavg()[0])

    # -- processes

    def client_prefix(self) -> list:
        return ["taskset", "-c", str(self.client_cpu)] if self.client_cpu is not None else []

    def server_prefix(self) -> list:
        return ["taskset", "-c", str(self.server_cpu)] if self.server_cpu is not None else []

    def loadgen(
        self,
        args: list,
        env: dict | None = None,
        timeout: float = 1200,
        table: str | None = None,
        server: str | None = None,
        server_pid: int | None = None,
    ) -> dict:
        """Runs the load generator; with `table`, also records how much CPU other
        processes on the machine used meanwhile (the noise in that figure)."""
        cmd = [*self.client_prefix(), LOADGEN, *args]
        before = (time.monotonic(), busy_cpu_seconds(), own_cpu_seconds(server_pid))
        try:
            r = subprocess.run(
                [str(c) for c in cmd],
                capture_output=True,
                text=True,
                env=env,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"load generator timed out after {timeout} s"}
        try:
            out = json.loads(r.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            out = {"error": f"exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}"}
        if r.returncode != 0 and "error" not in out:
            out["error"] = f"exit {r.returncode}"
        if table and server:
            wall = time.monotonic() - before[0]
            busy = busy_cpu_seconds() - before[1]
            own = own_cpu_seconds(server_pid) - before[2]
            self.add(f"other_cpu_{table}", server, max(busy - own, 0.0) / wall)
        return out

    def server_cmd(self, name: str, transport: str, mode: str = "sse", port: int = 0) -> list:
        if name == "rmcp":
            return [RMCP, "stdio"] if transport == "stdio" else [RMCP, "http", port, mode]
        return [venv_python(name), SERVER_FILE, transport]

    def server_env(self, name: str, mode: str = "sse", port: int = 0) -> dict:
        env = dict(os.environ, BENCH_FLAVOUR=name, BENCH_PORT=str(port), BENCH_HTTP_MODE=mode)
        env.pop("VIRTUAL_ENV", None)
        return env

    def start_http(self, name: str, mode: str) -> tuple[subprocess.Popen, int, Path]:
        port = free_port()
        logfile = LOGS / f"{name}-http-{mode}.log"
        cmd = [*self.server_prefix(), *self.server_cmd(name, "http", mode, port)]
        proc = subprocess.Popen(
            [str(c) for c in cmd],
            env=self.server_env(name, mode, port),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(logfile, "ab"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}; see {logfile}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return proc, port, logfile
            except OSError:
                time.sleep(0.05)
        stop(proc)
        raise RuntimeError(f"server did not listen within 60 s; see {logfile}")

    # -- scenarios

    def run_spawn(self, name: str) -> None:
        cmd = self.server_cmd(name, "stdio")
        base = ["--stderr", LOGS / f"{name}-stdio.log"]
        if self.server_cpu is not None:
            base += ["--server-cpu", self.server_cpu]
        env = self.server_env(name)
        self.loadgen(["spawn", "--spawns", 1, *base, "--", *cmd], env)  # warm caches, .pyc
        args = ["spawn", "--spawns", self.p["spawns"], *base, "--", *cmd]
        out = self.loadgen(args, env, table="spawn", server=name)
        if "error" in out:
            return self.error(name, "spawn", out["error"])
        self.add("spawn_ms", name, out["init_ms"])

    def run_stdio(self, name: str, calls: bool, sleep: bool) -> None:
        p = self.p
        cmd = self.server_cmd(name, "stdio")
        args = ["stdio", "--stderr", LOGS / f"{name}-stdio.log", "--warmup", p["warmup_calls"]]
        if self.server_cpu is not None:
            args += ["--server-cpu", self.server_cpu]
        if calls:
            args += ["--seq", p["seq"], "--pipelined", p["pipelined"], "--window", p["window"]]
            args += ["--big", p["big"]]
        if sleep:
            args += ["--sleep", p["sleep"], "--sleep-window", 64]
        for rep in range(p["reps"]):
            self.note_load()
            out = self.loadgen(
                [*args, "--", *cmd], self.server_env(name), table="stdio", server=name
            )
            self.raw.setdefault(f"stdio/{name}", []).append(out)
            if "error" in out:
                return self.error(name, f"stdio rep {rep}", out["error"])
            if calls:
                self.add("stdio_seq_calls_per_s", name, out["seq"]["calls_per_s"])
                self.add("stdio_seq_p50_ms", name, out["seq"]["p50_ms"])
                self.add("stdio_seq_p99_ms", name, out["seq"]["p99_ms"])
                self.add("stdio_pipelined_calls_per_s", name, out["pipelined"]["calls_per_s"])
                self.add("stdio_big_ms", name, out["big"]["ms"])
            if sleep:
                self.add("async_stdio_c64_calls_per_s", name, out["sleep"]["calls_per_s"])
            self.add("client_cpu_share_stdio", name, out["client_cpu_share"])

    def http_load(
        self, name: str, mode: str, port: int, conns: int, tool: str, pid: int | None = None
    ) -> dict:
        args = ["http", "--url", f"http://127.0.0.1:{port}/mcp", "--conns", conns]
        args += ["--seconds", self.p["http_seconds"], "--warmup", self.p["http_warmup"]]
        args += ["--tool", tool]
        if mode == "stateless":
            args.append("--stateless")
        self.note_load()
        table = "async" if tool == "sleep" else f"http-{mode}"
        return self.loadgen(args, table=table, server=name, server_pid=pid)

    def run_http(self, name: str, mode: str, calls: bool, sleep: bool) -> None:
        if name == "rmcp" and mode == "json":
            return  # rmcp has no stateful JSON-response mode (see the notes)
        try:
            proc, port, _ = self.start_http(name, mode)
        except RuntimeError as e:
            return self.error(name, f"http {mode} start", str(e))
        try:
            for rep in range(self.p["reps"]):
                for conns in CONNS if calls else []:
                    out = self.http_load(name, mode, port, conns, "add", proc.pid)
                    self.raw.setdefault(f"http/{name}/{mode}/c{conns}", []).append(out)
                    if "error" in out:
                        self.error(name, f"http {mode} c{conns} rep {rep}", out["error"])
                        continue
                    key = f"http_{mode}_c{conns}"
                    self.add(f"{key}_calls_per_s", name, out["calls_per_s"])
                    self.add(f"{key}_p50_ms", name, out["p50_ms"])
                    self.add(f"{key}_p99_ms", name, out["p99_ms"])
                    self.add(f"{key}_non2xx", name, out["non2xx"])
                    bad = out["rpc_errors"] + out["transport_errors"]
                    self.add(f"{key}_bad_replies", name, bad)
                    self.add(f"client_cpu_share_{key}", name, out["client_cpu_share"])
                    if out["first_error"]:
                        log(f"  {name} {mode} c{conns}: first error: {out['first_error']}")
                if sleep:
                    out = self.http_load(name, mode, port, 64, "sleep", proc.pid)
                    self.raw.setdefault(f"http/{name}/{mode}/sleep", []).append(out)
                    if "error" in out:
                        self.error(name, f"http sleep rep {rep}", out["error"])
                    else:
                        self.add("async_http_c64_calls_per_s", name, out["calls_per_s"])
                        self.add("async_http_c64_bad_replies", name, out["rpc_errors"])
        finally:
            stop(proc)

    def run_memory(self, name: str) -> None:
        for rep in range(self.p["memory_reps"]):
            try:
                proc, port, _ = self.start_http(name, "sse")
            except RuntimeError as e:
                return self.error(name, "memory start", str(e))
            try:
                self.note_load()
                out = self.loadgen(
                    [
                        "memory",
                        "--url",
                        f"http://127.0.0.1:{port}/mcp",
                        "--pid",
                        proc.pid,
                        "--sessions",
                        self.p["sessions"],
                        "--cycles",
                        self.p["cycles"],
                    ],
                    table="memory",
                    server=name,
                    server_pid=proc.pid,
                )
            finally:
                stop(proc)
            self.raw.setdefault(f"memory/{name}", []).append(out)
            if "error" in out:
                return self.error(name, f"memory rep {rep}", out["error"])
            self.add("mem_idle_mb", name, out["idle_kb"] / 1024)
            for i, c in enumerate(out["cycles"], 1):
                self.add(f"mem_open{i}_mb", name, c["open_kb"] / 1024)
                self.add(f"mem_deleted{i}_mb", name, c["deleted_kb"] / 1024)
                self.add(f"mem_open{i}_failures", name, c["open_failures"])

    def wrk_check(self) -> dict:
        """The load generator against wrk on the rmcp server: if the two agree, the Rust
        client is not what limits the HTTP figures."""
        if not shutil.which("wrk"):
            return {"skipped": "wrk not installed"}
        proc, port, _ = self.start_http("rmcp", "sse")
        url = f"http://127.0.0.1:{port}/mcp"
        result = {}
        try:
            sid = handshake(url)
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
                f.write(WRK_LUA)
            for conns in CONNS:
                ours = self.http_load("rmcp", "sse", port, conns, "add")
                seconds = max(1, round(self.p["http_seconds"] + self.p["http_warmup"]))
                cmd = [*self.client_prefix(), "wrk", "-t1", f"-c{conns}", f"-d{seconds}s"]
                out = subprocess.run(
                    [*cmd, "-s", f.name, url],
                    env=dict(os.environ, MCP_SESSION=sid),
                    capture_output=True,
                    text=True,
                ).stdout
                if "Requests/sec:" not in out:
                    result[f"c{conns}"] = {"error": f"wrk printed: {out[-300:]}"}
                    continue
                rps = float(out.split("Requests/sec:")[1].split()[0])
                non2xx = out.split("Non-2xx or 3xx responses:")
                result[f"c{conns}"] = {
                    "loadgen_calls_per_s": ours.get("calls_per_s"),
                    "loadgen_client_cpu_share": ours.get("client_cpu_share"),
                    "wrk_calls_per_s": rps,
                    "wrk_non2xx": int(non2xx[1].split()[0]) if len(non2xx) > 1 else 0,
                }
                log(f"  loadgen check c{conns}: {result[f'c{conns}']}")
        finally:
            stop(proc)
        return result

    def big_floor(self) -> dict:
        """The 10 MB figure with no server framework: the load generator's own `floor`
        responder writes a precomputed reply of the same bytes (text plus structured content),
        through a pipe with the kernel's default buffer and through one widened to 1 MiB.
        What the client and the pipe cost is the floor under every server's figure."""
        result = {}
        for label, extra in (("default pipe", []), ("1 MiB pipe", ["--wide-pipe"])):
            args = ["stdio", "--warmup", 0, "--big", self.p["big"] * self.p["reps"]]
            if self.server_cpu is not None:
                args += ["--server-cpu", self.server_cpu]
            out = self.loadgen([*args, "--", LOADGEN, "floor", *extra])
            if "error" in out:
                result[label] = {"error": out["error"]}
                continue
            ms = out["big"]["ms"]
            result[label] = {
                "min": min(ms),
                "median": statistics.median(ms),
                "max": max(ms),
                "n": len(ms),
                "client_cpu_share": out["client_cpu_share"],
            }
            log(f"  10 MB floor, {label}: {result[label]}")
        return result


WRK_LUA = """
local n = 0
request = function()
  n = n + 1
  local body = '{"jsonrpc":"2.0","id":' .. n .. ',"method":"tools/call",' ..
    '"params":{"name":"add","arguments":{"a":' .. n .. ',"b":1}}}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
    ["Mcp-Session-Id"] = os.getenv("MCP_SESSION"),
    ["MCP-Protocol-Version"] = "2025-06-18",
  }, body)
end
"""


def busy_cpu_seconds() -> float:
    """CPU time all cores have spent busy since boot (/proc/stat): user, nice and system
    time, which processes are charged with, plus steal (time the hypervisor gave to others).
    Interrupt time is left out: it is charged to no process, and loopback traffic puts our
    own there."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, _irq, _softirq, steal = (
            int(x) for x in f.readline().split()[1:9]
        )
    return (user + nice + system + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds(server_pid: int | None) -> float:
    """CPU time of this harness, its waited-for children (the load generator and the stdio
    servers it ran) and the running HTTP server `server_pid`."""
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    if server_pid:
        try:
            with open(f"/proc/{server_pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def post(url: str, body: dict, session: str | None = None) -> tuple[dict, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": PROTOCOL,
    }
    if session:
        headers["Mcp-Session-Id"] = session
    req = urllib.request.Request(url, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return {k.lower(): v for k, v in r.headers.items()}, r.read().decode()


def handshake(url: str) -> str:
    """A real initialize handshake; returns the session id."""
    init = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL,
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "1"},
        },
    }
    headers, _ = post(url, init)
    sid = headers["mcp-session-id"]
    post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, sid)
    return sid


# ------------------------------------------------------------------ reporting

# metric -> (section, label, unit, better)
METRICS: dict[str, tuple[str, str, str, str]] = {
    "spawn_ms": ("spawn", "spawn -> initialize response", "ms", "lower"),
    "stdio_seq_calls_per_s": ("stdio", "sequential tools/call", "calls/s", "higher"),
    "stdio_seq_p50_ms": ("stdio", "sequential p50", "ms", "lower"),
    "stdio_seq_p99_ms": ("stdio", "sequential p99", "ms", "lower"),
    "stdio_pipelined_calls_per_s": ("stdio", "pipelined, 64 in flight", "calls/s", "higher"),
    "stdio_big_ms": ("stdio", "one tools/call returning 10 MB", "ms", "lower"),
}
for _mode in HTTP_MODES:
    for _c in CONNS:
        _k, _t = f"http_{_mode}_c{_c}", f"{_c} connections"
        _s = f"http-{_mode}"
        METRICS[f"{_k}_calls_per_s"] = (_s, _t, "calls/s", "higher")
        METRICS[f"{_k}_p50_ms"] = (_s, f"{_t}: p50", "ms", "lower")
        METRICS[f"{_k}_p99_ms"] = (_s, f"{_t}: p99", "ms", "lower")
        METRICS[f"{_k}_non2xx"] = (_s, f"{_t}: non-2xx replies", "count", "lower")
        METRICS[f"{_k}_bad_replies"] = (_s, f"{_t}: bad 2xx replies", "count", "lower")
METRICS.update(
    {
        "mem_idle_mb": ("memory", "RSS idle", "MB", "lower"),
        "mem_open1_mb": ("memory", "RSS after {N} sessions opened", "MB", "lower"),
        "mem_deleted1_mb": ("memory", "RSS after they are deleted", "MB", "lower"),
        "mem_open2_mb": ("memory", "RSS after {N} more opened", "MB", "lower"),
        "mem_deleted2_mb": ("memory", "RSS after those are deleted", "MB", "lower"),
        "mem_open1_failures": ("memory", "failed session opens (1st cycle)", "count", "lower"),
        "mem_open2_failures": ("memory", "failed session opens (2nd cycle)", "count", "lower"),
        "async_stdio_c64_calls_per_s": (
            "async",
            "sleep(0.01) tool, stdio, 64 in flight",
            "calls/s",
            "higher",
        ),
        "async_http_c64_calls_per_s": (
            "async",
            "sleep(0.01) tool, HTTP (SSE), 64 conns",
            "calls/s",
            "higher",
        ),
        "async_http_c64_bad_replies": ("async", "HTTP bad replies", "count", "lower"),
    }
)
for _t in TABLES:
    METRICS[f"other_cpu_{_t}"] = (
        _t,
        "other processes' CPU use while measured (noise)",
        "cores",
        "lower",
    )
SECTION_TITLES = {
    "spawn": "1. stdio cold start",
    "stdio": "2-3. stdio tools/call",
    "http-sse": "4a. Streamable HTTP tools/call, stateful, SSE responses (the SDK default)",
    "http-json": "4b. Streamable HTTP tools/call, stateful, JSON responses (`json_response`)",
    "http-stateless": "4c. Streamable HTTP tools/call, stateless, JSON responses",
    "memory": "5. Memory (server RSS, Streamable HTTP with SSE responses)",
    "async": "6. Async tool awaiting asyncio.sleep(0.01), 64 concurrent requests",
}


def summarise(samples: dict) -> dict:
    out = {}
    for metric, per_server in samples.items():
        out[metric] = {}
        for server, vals in per_server.items():
            out[metric][server] = {
                "min": min(vals),
                "median": statistics.median(vals),
                "max": max(vals),
                "n": len(vals),
                "samples": vals,
            }
    return out


def ratios(summary: dict) -> dict:
    out = {}
    for metric, per_server in summary.items():
        if "ferromcp" not in per_server:
            continue
        ours = per_server["ferromcp"]["median"]
        out[metric] = {
            a: ours / per_server[a]["median"]
            for a in ANCHORS
            if a in per_server and per_server[a]["median"]
        }
    return out


def fmt(v: float, unit: str) -> str:
    if unit == "calls/s":
        return f"{v:,.0f}"
    if unit == "count":
        return f"{v:,.0f}"
    if unit == "MB":
        return f"{v:,.1f}"
    if unit == "cores":
        return f"{v:.2f}"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def cell(s: dict | None, unit: str) -> str:
    if s is None:
        return "n/a"
    if s["n"] == 1 or s["min"] == s["max"]:
        return fmt(s["median"], unit)
    return f"{fmt(s['median'], unit)} ({fmt(s['min'], unit)}-{fmt(s['max'], unit)})"


def markdown(result: dict) -> str:
    meta = result["meta"]
    servers = [s for s in SERVERS if s in result["servers"]]
    anchors = [a for a in ANCHORS if a in servers and "ferromcp" in servers]
    lines = [
        "# ferromcp benchmark results",
        "",
        f"Run {meta['date']} by `{meta['command']}` ({'quick' if meta['quick'] else 'full'}"
        f" mode), commit {meta['git']['commit']}"
        + (" with uncommitted ferromcp sources" if meta["git"]["ferromcp_sources_dirty"] else "")
        + ".",
        f"Machine: {meta['cpus']} cores, {meta['platform']}, CPython {meta['python']} for the"
        f" Python servers; server pinned to CPU {meta['server_cpu']}, load generator to CPU"
        f" {meta['client_cpu']}.",
        f"Load average (1 min) at start {meta['load_start']:.2f}, at end {meta['load_end']:.2f},"
        f" highest seen between scenarios {meta['load_max']:.2f}; it counts the benchmark's own"
        " runnable threads too (a server's threads queue on its one core), so the noise row"
        f" under each table, other processes' CPU use, is the measure of disturbance: at most"
        f" {max_other_cpu(result):.2f} cores (median of a figure's runs) in this run.",
        "",
        "Versions: " + ", ".join(f"{SERVERS[s][0]} {result['servers'][s]}" for s in servers) + ".",
        "",
        "Each cell: median (min-max) over the repetitions; the ratio columns divide ferromcp's"
        " median by the anchor's, measured in the same run (for calls/s higher is better"
        " for ferromcp, for ms and MB lower is better).",
        "",
        "Parameters: " + ", ".join(f"{k}={v}" for k, v in meta["params"].items()) + ".",
    ]
    summary = result["summary"]
    rat = result["ratios"]
    for section in TABLES:
        keys = [k for k, v in METRICS.items() if v[0] == section and k in summary]
        if not keys:
            continue
        lines += ["", f"## {SECTION_TITLES[section]}", ""]
        head = [
            "figure",
            *[SERVERS[s][0] for s in servers],
            *[f"ferromcp / {SHORT[a]}" for a in anchors],
        ]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for k in keys:
            _, label, unit, _better = METRICS[k]
            label = label.replace("{N}", f"{meta['params']['sessions']:,}")
            row = [f"{label} ({unit})"]
            row += [cell(summary[k].get(s), unit) for s in servers]
            row += [
                f"{rat[k][a]:.2f}x" if a in rat.get(k, {}) and unit not in NO_RATIO else ""
                for a in anchors
            ]
            lines.append("| " + " | ".join(row) + " |")
    check = result.get("loadgen_check") or {}
    if check and "skipped" not in check:
        lines += [
            "",
            "## Is the load generator the bottleneck?",
            "",
            "The same rmcp server (SSE mode) under the Rust load generator and under wrk"
            " (one thread, same core, unique request ids), each for the same time:",
            "",
            "| connections | loadgen calls/s | loadgen CPU share | wrk calls/s | wrk non-2xx |",
            "|---|---|---|---|---|",
        ]
        for c, v in check.items():
            if "error" in v or v.get("loadgen_calls_per_s") is None:
                lines.append(f"| {c[1:]} | error: {v.get('error', 'loadgen failed')} | | | |")
                continue
            lines.append(
                f"| {c[1:]} | {fmt(v['loadgen_calls_per_s'], 'calls/s')} |"
                f" {v['loadgen_client_cpu_share']:.0%} | {fmt(v['wrk_calls_per_s'], 'calls/s')} |"
                f" {v['wrk_non2xx']} |"
            )
    floor = result.get("big_floor") or {}
    if floor:
        lines += [
            "",
            "## The floor under the 10 MB figure",
            "",
            "No server framework: the load generator's `floor` responder answers each call with"
            " a precomputed reply of the same 20 MB a Python server sends (text plus structured"
            " content), pinned like the servers. This is what the client and the pipe alone"
            " cost; ferromcp widens its stdout pipe to 1 MiB when a large message goes out.",
            "",
            "| pipe buffer | one tools/call returning 10 MB (ms) | loadgen CPU share |",
            "|---|---|---|",
        ]
        for label, v in floor.items():
            if "error" in v:
                lines.append(f"| {label} | error: {v['error']} | |")
                continue
            lines.append(f"| {label} | {cell(v, 'ms')} | {v['client_cpu_share']:.0%} |")
    shares = {k: v for k, v in summary.items() if k.startswith("client_cpu_share")}
    if shares:
        lines += [
            "",
            "Load generator CPU use, as a share of its own core (100% would mean the client"
            " limits the figure), median over the runs:",
            "",
            "| scenario | " + " | ".join(SERVERS[s][0] for s in servers) + " |",
            "|---|" + "---|" * len(servers),
        ]
        for k, v in shares.items():
            row = [f"{v[s]['median']:.0%}" if s in v else "n/a" for s in servers]
            lines.append(f"| {k.removeprefix('client_cpu_share_')} | " + " | ".join(row) + " |")
    lines += ["", "## Notes", ""] + [f"- {n}" for n in result["notes"]]
    if result["errors"]:
        lines += ["", "## Errors", ""]
        lines += [f"- {e['server']} / {e['scenario']}: {e['error']}" for e in result["errors"]]
    return "\n".join(lines) + "\n"


NOTES = [
    "rmcp offers no stateful JSON-response mode (its `json_response` applies only without"
    " sessions), so its JSON-response cells are n/a; its stateless cells use JSON responses"
    " like the Python servers' stateless mode.",
    "The stdio client is a single-threaded Rust program writing newline-delimited JSON on the"
    " server's stdin; sequential latency is the round trip of one tools/call. Pipelined keeps 64"
    " requests in flight. The 10 MB figure is timed from the request to the last byte of the"
    " reply.",
    "HTTP: one session per run made by a real initialize handshake (Mcp-Session-Id), shared by"
    " all connections; every request has a unique JSON-RPC id; every reply is parsed and"
    " checked (a 2xx reply without the right result counts as a bad reply). Calls/s counts"
    " only good replies, after a warm-up.",
    "Memory: a fresh server per repetition; RSS read from /proc after a 1 s settle; a session"
    " is an initialize plus notifications/initialized, deleted with HTTP DELETE.",
    "Python servers log at their default level to a file (benches/.build/logs/).",
    "Noise rows: the CPU time (in cores) that processes other than the harness, the load"
    " generator and the server under test used while the figure was measured, plus time the"
    " hypervisor gave to other machines. With the server and the client pinned, any such work"
    " on their cores delays them; figures measured beside more than ~0.1 core of it are noisy.",
    "For comparison, the issue's reference run on an idle 2-core machine: stdio sequential"
    " SDK v1 ~650/s, rmcp ~8.5k/s; HTTP (wrk, 16 connections) SDK v1 ~365/s, rmcp ~22k/s;"
    " spawn -> initialize SDK v1 ~514 ms, rmcp 3 ms.",
]


def max_other_cpu(result: dict) -> float:
    vals = [
        v["median"]
        for k, per in result["summary"].items()
        if k.startswith("other_cpu_")
        for v in per.values()
    ]
    return max(vals, default=0.0)


def write_outputs(result: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    (out_dir / "results.md").write_text(markdown(result))
    chart = venv_python("tools")
    if chart.exists():
        r = subprocess.run(
            [chart, HERE / "chart.py", out_dir / "results.json", out_dir / "calls_per_s"],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            log(f"chart failed: {r.stderr[-500:]}")
    log(f"wrote {out_dir}/results.json, results.md, calls_per_s.png/.svg")


# ------------------------------------------------------------------ main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short smoke run")
    ap.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    ap.add_argument("--reps", type=int, help="repetitions (overrides the mode's)")
    ap.add_argument("--seconds", type=float, help="seconds per HTTP load run")
    ap.add_argument("--out", type=Path, help="output directory")
    ap.add_argument("--python", help="CPython for the Python servers (default: 3.11)")
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--client-cpu", type=int, default=1)
    ap.add_argument("--no-pin", action="store_true", help="do not pin to cores")
    ap.add_argument("--no-build", action="store_true", help="reuse the built artefacts")
    ap.add_argument("--render", type=Path, help="only re-render a results.json's md and chart")
    args = ap.parse_args()
    if args.render:
        write_outputs(json.loads(args.render.read_text()), args.out or args.render.parent)
        return 0
    servers = [s for s in args.servers.split(",") if s]
    sections = [s for s in args.only.split(",") if s]
    for s in servers:
        if s not in SERVERS:
            ap.error(f"unknown server {s}")
    out_dir = args.out or (BUILD / "quick" if args.quick else HERE / "results")

    base_python = args.python or find_python("3.11")
    load_start = os.getloadavg()[0]
    git = git_info()  # the sources measured, before anything else can change the tree
    if not args.no_build:
        for s in servers:
            if SERVERS[s][1]:
                ensure_venv(s, base_python, [SERVERS[s][1]])
        build_rust()
        if "ferromcp" in servers:
            build_ferromcp(base_python)
        else:
            ensure_venv("tools", base_python, ["maturin>=1.7,<2", "matplotlib>=3.7"])

    run = Runner(args)
    started = time.monotonic()
    for section in sections:
        for s in servers:
            log(f"{section}: {s}")
            if section == "spawn":
                run.run_spawn(s)
            elif section == "stdio":
                run.run_stdio(s, calls=True, sleep="async" in sections)
            elif section == "http":
                for mode in HTTP_MODES:
                    run.run_http(s, mode, calls=True, sleep=mode == "sse" and "async" in sections)
            elif section == "memory":
                run.run_memory(s)
            elif section == "async":
                if "stdio" not in sections:
                    run.run_stdio(s, calls=False, sleep=True)
                if "http" not in sections:
                    run.run_http(s, "sse", calls=False, sleep=True)
    floor = {}
    if "stdio" in sections:
        log("10 MB floor: a precomputed reply through the pipe, no server framework")
        floor = run.big_floor()
    check = {}
    if "rmcp" in servers and "http" in sections:
        log("load generator check: wrk and mcp_loadgen against rmcp")
        try:
            check = run.wrk_check()
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            run.error("rmcp", "loadgen check", str(e))

    summary = summarise(run.samples)
    py_version = subprocess.run(
        [base_python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    result = {
        "meta": {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": "python3 benches/run.py" + (" --quick" if args.quick else ""),
            "quick": args.quick,
            "cpus": os.cpu_count(),
            "platform": f"{platform.system()} {platform.machine()}",
            "python": py_version,
            "server_cpu": run.server_cpu,
            "client_cpu": run.client_cpu,
            "load_start": load_start,
            "load_end": os.getloadavg()[0],
            "load_max": max(run.loads, default=load_start),
            "load_samples": run.loads,
            "duration_s": round(time.monotonic() - started),
            "git": git,
            "params": run.p,
        },
        "servers": {s: version_of(s) for s in servers},
        "summary": summary,
        "ratios": ratios(summary),
        "metrics": {
            k: {"section": v[0], "label": v[1], "unit": v[2], "better": v[3]}
            for k, v in METRICS.items()
        },
        "loadgen_check": check,
        "big_floor": floor,
        "notes": NOTES,
        "errors": run.errors,
        "raw": run.raw,
    }
    write_outputs(result, out_dir)
    print(markdown(result))
    return 1 if run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
