"""Quick Streamable HTTP benchmark: `wrk` posting tools/call (add) on one session after a
real initialize handshake, for ferromcp and the official SDK v1 running the same server
file. Needs `wrk` (Debian package `wrk`).

    python benches/quick_http.py [--connections 16] [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from quick_stdio import SERVER, ferromcp_copy, sdk_python

HERE = Path(__file__).resolve().parent
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["Mcp-Session-Id"] = os.getenv("MCP_SESSION")
wrk.headers["MCP-Protocol-Version"] = "2025-06-18"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call",' ..
  '"params":{"name":"add","arguments":{"a":1,"b":2}}}'
"""


def post(url: str, body: dict, session: str | None = None) -> tuple[dict, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18",
    }
    if session:
        headers["Mcp-Session-Id"] = session
    req = urllib.request.Request(url, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return dict(r.headers), r.read().decode()


def handshake(url: str) -> str:
    init = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "1"},
        },
    }
    headers, _ = post(url, init)
    sid = {k.lower(): v for k, v in headers.items()}["mcp-session-id"]
    post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, sid)
    return sid


def wait_ready(url: str, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            handshake(url)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not come up")


def run(python: str, server: Path, port: int, conns: int, seconds: int) -> dict:
    env = dict(os.environ, BENCH_PORT=str(port))
    proc = subprocess.Popen(
        [python, str(server), "streamable-http"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        wait_ready(url, proc)
        sid = handshake(url)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(LUA)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", f.name, url],
            env=dict(os.environ, MCP_SESSION=sid),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    return {
        "rps": rps,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "p50": "".join(p50.groups()) if p50 else "?",
        "p99": "".join(p99.groups()) if p99 else "?",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours = run(
            sys.executable, ferromcp_copy(SERVER, Path(tmp)), 18931, args.connections, args.seconds
        )
    sdk = run(sdk_python(), SERVER, 18932, args.connections, args.seconds)
    print(f"Streamable HTTP (SSE responses), {args.connections} connections, {args.seconds} s")
    print(f"{'server':10} {'calls/s':>9} {'p50':>9} {'p99':>9} {'non-2xx':>8}")
    for name, r in (("ferromcp", ours), ("SDK v1", sdk)):
        print(f"{name:10} {r['rps']:9.0f} {r['p50']:>9} {r['p99']:>9} {r['non2xx']:8d}")
    print(f"ratio ferromcp/SDK: x{ours['rps'] / sdk['rps']:.1f}")


if __name__ == "__main__":
    main()
