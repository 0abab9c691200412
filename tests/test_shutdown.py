"""Shutdown: SIGINT on an HTTP server is as graceful as SIGTERM (tests/test_http_raw.py
has the SIGTERM side), and a lifespan's teardown (the code after its `yield`) runs when
the server stops, on stdin EOF over stdio and on SIGTERM/SIGINT over HTTP.

SDK v1 under uvicorn re-raises the signal after its own shutdown (the process dies of it:
exit -2 / -15, after a KeyboardInterrupt traceback for SIGINT); ferromcp exits 0."""

from __future__ import annotations

import contextlib
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from http_harness import HttpServer, RawClient, SseReader, reply_of
from stdio_harness import RawServer

pytestmark = pytest.mark.timeout(60)


def call_params(tool: str, arguments: dict | None = None) -> dict:
    return {"name": tool, "arguments": arguments or {}}


# --- SIGINT over HTTP ----------------------------------------------------------------------


def test_sigint_lets_running_calls_finish(server_path):
    with HttpServer(server_path("context_server")) as server:
        raw = RawClient(server)
        session, _ = raw.initialize()
        outcome: dict = {}

        def slow_call() -> None:
            try:
                outcome["response"] = raw.call(
                    session, "tools/call", call_params("slow_report", {"seconds": 1.2})
                )
            except Exception as exc:  # noqa: BLE001 - reported below
                outcome["error"] = exc

        with contextlib.ExitStack() as open_streams, httpx.Client(timeout=10) as legacy:
            # Open streams must not hold the shutdown up: they end with their sessions.
            get = open_streams.enter_context(RawClient(server).stream("GET", None, session))
            sse = open_streams.enter_context(legacy.stream("GET", server.url("/sse")))
            get_events, legacy_events = SseReader(get), SseReader(sse)
            assert get_events.next()["data"] == ""
            assert legacy_events.next()["event"] == "endpoint"
            thread = threading.Thread(target=slow_call)
            thread.start()
            time.sleep(0.4)
            sent = time.monotonic()
            server.proc.send_signal(signal.SIGINT)
            thread.join(timeout=10)
            assert "error" not in outcome, outcome
            reply = reply_of(outcome["response"])
            assert reply["result"]["structuredContent"] == {"result": "slept 1.2"}
            assert server.proc.wait(timeout=6) == 0, server.output()
            assert time.monotonic() - sent < 4
            assert get_events.next() is None and legacy_events.next() is None
        assert "Traceback" not in server.output(), server.output()
        assert "KeyboardInterrupt" not in server.output(), server.output()
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), 1):
            pass
        raw.close()


def test_sigint_does_not_wait_past_the_grace_period(server_path):
    """Calls still running when the grace period (5 s) ends are given up, as on SIGTERM."""
    with HttpServer(server_path("context_server")) as server:
        raw = RawClient(server)
        session, _ = raw.initialize()
        with contextlib.ExitStack() as stack:
            streams = []
            for tool in ("slow_report", "long_wait"):
                msg = raw.request_message("tools/call", call_params(tool, {"seconds": 30}))
                post = stack.enter_context(RawClient(server).stream("POST", msg, session))
                streams.append(SseReader(post))
                assert streams[-1].next()["data"] == ""  # priming: the call is under way
            time.sleep(0.3)
            sent = time.monotonic()
            server.proc.send_signal(signal.SIGINT)
            assert server.proc.wait(timeout=15) == 0, server.output()
            assert time.monotonic() - sent < 9
            for events in streams:
                assert list(events) == []
        raw.close()


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
