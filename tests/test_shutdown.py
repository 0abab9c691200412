"""Shutdown: a lifespan's teardown (the code after its `yield`) runs when the server stops,
on stdin EOF over stdio and on SIGTERM/SIGINT over HTTP (tests/test_http_raw.py has the
graceful handling of running calls and open streams on both signals).

SDK v1 under uvicorn re-raises the signal after its own shutdown (the process dies of it:
exit -2 / -15, after a KeyboardInterrupt traceback for SIGINT); ferromcp exits 0."""

from __future__ import annotations

import signal
import tempfile
import time
from pathlib import Path

import pytest
from http_harness import HttpServer, RawClient, reply_of
from stdio_harness import RawServer

pytestmark = pytest.mark.timeout(60)


def call_params(tool: str, arguments: dict | None = None) -> dict:
    return {"name": tool, "arguments": arguments or {}}


# --- lifespan teardown -------------------------------------------------------------------


def lifespan_events(pid: int) -> list[str]:
    """What tests/servers/lifespan_server.py (process `pid`) recorded; the file is removed."""
    path = Path(tempfile.gettempdir()) / f"ferromcp-lifespan-{pid}.log"
    if not path.exists():
        return []
    events = path.read_text().splitlines()
    path.unlink()
    return events


def test_lifespan_teardown_runs_on_stdin_eof(server_path):
    server = RawServer(server_path("lifespan_server"))
    try:
        server.initialize()
        reply = server.request("tools/call", call_params("resource_state"))
        assert reply["result"]["structuredContent"] == {"result": "open"}, reply
        assert lifespan_events(server.proc.pid) == ["started"]
        server.close_stdin()
        assert server.proc.wait(timeout=10) == 0, server.stderr()
        assert lifespan_events(server.proc.pid) == ["after yield"]
    finally:
        server.stop()


def test_lifespan_teardown_waits_for_a_running_call_on_stdin_eof(server_path):
    server = RawServer(server_path("lifespan_server"))
    try:
        server.initialize()
        server.send(
            {
                "jsonrpc": "2.0",
                "id": 7,
                "method": "tools/call",
                "params": call_params("slow", {"seconds": 0.5}),
            }
        )
        time.sleep(0.1)
        server.close_stdin()
        reply = server.read_reply(7)
        assert reply["result"]["structuredContent"] == {"result": "slept 0.5"}, reply
        assert server.proc.wait(timeout=10) == 0, server.stderr()
        assert lifespan_events(server.proc.pid) == ["started", "after yield"]
    finally:
        server.stop()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
def test_lifespan_teardown_runs_on_signal_over_http(server_path, transport, signum):
    server = HttpServer(server_path("lifespan_server"), transport=transport)
    try:
        if transport == "streamable-http":
            raw = RawClient(server)
            session, _ = raw.initialize()
            reply = reply_of(raw.call(session, "tools/call", call_params("resource_state")))
            assert reply["result"]["structuredContent"] == {"result": "open"}, reply
            raw.close()
        assert lifespan_events(server.proc.pid) == ["started"]
        server.proc.send_signal(signum)
        assert server.proc.wait(timeout=10) == 0, server.output()
        assert lifespan_events(server.proc.pid) == ["after yield"], server.output()
    finally:
        server.stop()
        lifespan_events(server.proc.pid)
