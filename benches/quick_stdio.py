"""Quick stdio benchmark: spawn-to-initialize and sequential tools/call over stdio, for
ferromcp and the official SDK v1 running the same server file.

    python benches/quick_stdio.py [--calls 2000] [--spawns 10]

The SDK v1 runs from its own virtualenv (created under benches/.venvs on first use);
ferromcp runs from the interpreter that runs this script. The client is a plain
newline-JSON driver, so the figures measure the servers, not a client library.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER = HERE / "servers" / "bench_server.py"
SDK_VENV = HERE / ".venvs" / "sdk1"

INIT = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "1"},
    },
}


def sdk_python() -> str:
    py = SDK_VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(SDK_VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "mcp<2"], check=True)
    return str(py)


def ferromcp_copy(src: Path, workdir: Path) -> Path:
    """The same server file with only the import changed."""
    text = src.read_text().replace("from mcp.server.fastmcp import", "from ferromcp import")
    dst = workdir / src.name
    dst.write_text(text)
    return dst


class Client:
    def __init__(self, python: str, server: Path) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [python, str(server)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self.out = self.proc.stdout

    def send(self, msg: dict) -> None:
        self.proc.stdin.write(json.dumps(msg).encode() + b"\n")

    def recv(self) -> dict:
        line = self.out.readline()
        if not line:
            raise RuntimeError("server closed stdout")
        return json.loads(line)

    def initialize(self) -> float:
        self.send(INIT)
        reply = self.recv()
        assert reply["id"] == 0 and "result" in reply, reply
        took = time.perf_counter() - self.started
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return took

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def bench(python: str, server: Path, calls: int, spawns: int) -> dict:
    init_ms = []
    for _ in range(spawns):
        c = Client(python, server)
        init_ms.append(c.initialize() * 1000)
        c.close()
    c = Client(python, server)
    c.initialize()
    lat = []
    for i in range(calls):
        t = time.perf_counter()
        c.send(
            {
                "jsonrpc": "2.0",
                "id": i + 1,
                "method": "tools/call",
                "params": {"name": "add", "arguments": {"a": i, "b": 1}},
            }
        )
        reply = c.recv()
        lat.append(time.perf_counter() - t)
        assert reply["result"]["structuredContent"] == {"result": i + 1}, reply
    c.close()
    lat.sort()
    return {
        "init_ms_median": statistics.median(init_ms),
        "init_ms_min": min(init_ms),
        "calls_per_s": calls / sum(lat),
        "p50_ms": lat[len(lat) // 2] * 1000,
        "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--spawns", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours = bench(sys.executable, ferromcp_copy(SERVER, Path(tmp)), args.calls, args.spawns)
    sdk = bench(sdk_python(), SERVER, args.calls, args.spawns)
    rows = [("ferromcp", ours), ("SDK v1", sdk)]
    print(f"machine: {os.cpu_count()} cores; {args.calls} sequential calls, {args.spawns} spawns")
    print(f"{'server':10} {'init ms':>8} {'calls/s':>9} {'p50 ms':>7} {'p99 ms':>7}")
    for name, r in rows:
        print(
            f"{name:10} {r['init_ms_median']:8.1f} {r['calls_per_s']:9.0f}"
            f" {r['p50_ms']:7.3f} {r['p99_ms']:7.3f}"
        )
    print(
        f"ratio ferromcp/SDK: calls/s x{ours['calls_per_s'] / sdk['calls_per_s']:.1f},"
        f" init time x{ours['init_ms_median'] / sdk['init_ms_median']:.2f}"
    )


if __name__ == "__main__":
    main()
