"""Serve a server file from tests/servers/ over HTTP in a subprocess and talk to it with
the official HTTP clients (Streamable HTTP and legacy SSE).

`HttpServer` starts `mcp.run(transport=...)` for a server file in either flavour (see
stdio_harness.py: "sdk" runs the file as written, "ferromcp" with the import lines
rewritten). Settings reach the server through its own `FastMCP(...)` constructor: the
launcher merges them into the keyword arguments of every `FastMCP` the file creates. The
server binds port 0; the port is read from what it prints, then `/health` (ferromcp) or
any answer (the SDK has no /health) says it is up. Its stdout and stderr go to one log.

`connect_http()` yields the same recording `Connection` as the stdio harness, over
`streamablehttp_client` or `sse_client`, so one test body runs over every transport.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from stdio_harness import Connection, child_env, client_session, surfacing_failures

TRANSPORTS = ("streamable-http", "sse")

# Runs in the server process: argv = script, flavour, transport, JSON constructor kwargs.
_LAUNCHER = """
import json, runpy, sys
script, flavour, transport, extra = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
if flavour == "ferromcp":
    from ferromcp import FastMCP
    from ferromcp.server import TransportSecuritySettings
else:
    from mcp.server.fastmcp import FastMCP
    from mcp.server.transport_security import TransportSecuritySettings
if extra.get("transport_security") is not None:
    extra["transport_security"] = TransportSecuritySettings(**extra["transport_security"])
original_init = FastMCP.__init__
def init(self, *args, **kwargs):
    original_init(self, *args, **{**kwargs, **extra})
FastMCP.__init__ = init
namespace = runpy.run_path(script, run_name="__http_test__")
namespace["mcp"].run(transport=transport)
"""

_LISTENING = re.compile(r"http://(?:\[[^\]]+\]|[^\s/:]+):(\d+)")


class HttpServer:
    """One server process serving HTTP. Use as a context manager or call `stop()`."""

    def __init__(
        self,
        script: Path,
        *,
        flavour: str = "ferromcp",
        transport: str = "streamable-http",
        env: dict[str, str] | None = None,
        startup_timeout: float = 20,
        **settings: Any,
    ) -> None:
        self.script = script
        self.flavour = flavour
        self.settings = {"port": 0, **settings}
        self.log = tempfile.TemporaryFile("w+")
        environment = {**child_env(), **(env or {})}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _LAUNCHER,
                str(script),
                flavour,
                transport,
                json.dumps(self.settings),
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=str(script.parent),
            env=environment,
        )
        try:
            self.port = self._wait_for_port(startup_timeout)
            self.base = f"http://127.0.0.1:{self.port}"
            self._wait_until_serving(startup_timeout)
        except BaseException:
            self.kill()
            raise

    # -- start-up -----------------------------------------------------------------------

    def _wait_for_port(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = _LISTENING.search(self.output())
            if found and int(found.group(1)) != 0:
                return int(found.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.02)
        raise TimeoutError(f"server did not announce its port:\n{self.output()}")

    def _wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        path = "/health" if self.flavour == "ferromcp" else "/"
        while time.monotonic() < deadline:
            try:
                r = httpx.get(self.base + path, timeout=2)
            except httpx.TransportError:
                time.sleep(0.02)
                continue
            if self.flavour != "ferromcp" or r.status_code == 200:
                return
            raise AssertionError(f"/health answered {r.status_code}: {r.text!r}")
        raise TimeoutError(f"server did not answer on {self.base}:\n{self.output()}")

    # -- use ----------------------------------------------------------------------------

    def url(self, path: str | None = None) -> str:
        """The server's address for `path` (default: the Streamable HTTP endpoint)."""
        return self.base + (
            path if path is not None else self.settings.get("streamable_http_path", "/mcp")
        )

    def output(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def rss_kib(self) -> int:
        """The server process's resident set size (kB), from /proc."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS in /proc status")

    # -- shutdown -----------------------------------------------------------------------

    def terminate(self) -> None:
        """SIGTERM: ask for a graceful shutdown (wait with `self.proc.wait`)."""
        self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.terminate()
            try:
                self.proc.wait(timeout=8)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def __enter__(self) -> HttpServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def connect_http(
    server: HttpServer,
    transport: str = "streamable-http",
    *,
    headers: dict[str, str] | None = None,
    initialize: bool = True,
) -> Any:
    """`async with connect_http(server, transport) as conn:` an official-client session with
    `server` over "streamable-http" or "sse"; `headers` go on every HTTP request. Yields
    the recording Connection of stdio_harness."""
    return surfacing_failures(_connect_http(server, transport, headers, initialize))


@asynccontextmanager
async def _connect_http(
    server: HttpServer, transport: str, headers: dict[str, str] | None, initialize: bool
) -> AsyncIterator[Connection]:
    if transport == "streamable-http":
        with warnings.catch_warnings():
            # The SDK's long-standing spelling; streamable_http_client is the same transport.
            warnings.simplefilter("ignore", DeprecationWarning)
            from mcp.client.streamable_http import streamablehttp_client

            opened = streamablehttp_client(server.url(), headers=headers)
        async with opened as (read, write, get_session_id):
            async with client_session(read, write, server.log, initialize=initialize) as conn:
                conn.get_session_id = get_session_id
                yield conn
    elif transport == "sse":
        from mcp.client.sse import sse_client

        path = server.settings.get("sse_path", "/sse")
        async with sse_client(server.url(path), headers=headers) as (read, write):
            async with client_session(read, write, server.log, initialize=initialize) as conn:
                yield conn
    else:
        raise ValueError(f"unknown transport {transport!r}")


# --- raw HTTP ----------------------------------------------------------------------------

ACCEPT_BOTH = "application/json, text/event-stream"
LATEST = "2025-11-25"


class SseReader:
    """Server-sent events from a streaming httpx response (or from lines of text), one at
    a time, as dicts of their fields (`id`, `event`, `retry`, `data`); keep-alive comments
    are skipped. Keep the reader while the stream should stay open: dropping it closes
    the line iterator, and httpx closes the connection with it."""

    def __init__(self, source: httpx.Response | Iterable[str]) -> None:
        lines = source.iter_lines() if isinstance(source, httpx.Response) else source
        self._lines = iter(lines)

    def next(self) -> dict[str, str] | None:
        """The next event, or None when the stream ended."""
        event: dict[str, str] = {}
        data: list[str] = []
        for line in self._lines:
            if line == "":
                if data:
                    event["data"] = "\n".join(data)
                if event:
                    return event
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                data.append(value)
            else:
                event[name] = value
        if data:
            event["data"] = "\n".join(data)
        return event or None

    def __iter__(self):
        while (event := self.next()) is not None:
            yield event

    def next_message(self) -> dict[str, Any]:
        """The next `event: message`, parsed (other events are skipped)."""
        for event in self:
            if event.get("event") == "message":
                return json.loads(event["data"])
        raise AssertionError("the stream ended before another message")


def sse_events(body: str) -> list[dict[str, str]]:
    """All events of a complete SSE body."""
    return list(SseReader(body.splitlines()))


def sse_messages(body: str) -> list[dict[str, Any]]:
    """The JSON-RPC messages of a complete SSE body."""
    return [json.loads(e["data"]) for e in sse_events(body) if e.get("event") == "message"]


def initialize_message(
    rid: int | str = 1, version: str = LATEST, capabilities: dict | None = None
) -> dict[str, Any]:
    """An initialize request as a raw HTTP client sends it."""
    return {
        "jsonrpc": "2.0",
        "id": rid,
        "method": "initialize",
        "params": {
            "protocolVersion": version,
            "capabilities": capabilities or {},
            "clientInfo": {"name": "raw-http-test", "version": "0"},
        },
    }


class RawClient:
    """Plain HTTP requests to a Streamable HTTP endpoint (httpx, no MCP client)."""

    def __init__(self, server: HttpServer, timeout: float = 10) -> None:
        self.server = server
        self.url = server.url()
        self.http = httpx.Client(timeout=timeout)
        self._ids = iter(range(1, 1 << 30))

    def close(self) -> None:
        self.http.close()

    def headers(
        self,
        session: str | None = None,
        *,
        accept: str | None = ACCEPT_BOTH,
        content_type: str | None = "application/json",
        version: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> dict[str, str]:
        h: dict[str, str] = {}
        if accept is not None:
            h["accept"] = accept
        if content_type is not None:
            h["content-type"] = content_type
        if session is not None:
            h["mcp-session-id"] = session
        if version is not None:
            h["mcp-protocol-version"] = version
        h.update(extra or {})
        return h

    def post(self, message: Any, session: str | None = None, **kw: Any) -> httpx.Response:
        return self.send("POST", message, session, **kw)

    def get(self, session: str | None = None, **kw: Any) -> httpx.Response:
        """GET the endpoint (Accept: text/event-stream unless told otherwise)."""
        kw.setdefault("accept", "text/event-stream")
        kw.setdefault("content_type", None)
        return self.send("GET", None, session, **kw)

    def send(
        self, method: str, message: Any, session: str | None = None, *, stream: bool = False, **kw
    ) -> httpx.Response:
        """One request; `accept=None` sends no Accept header at all (httpx would add */*)."""
        body = None
        if message is not None:
            body = message if isinstance(message, bytes | str) else json.dumps(message)
        headers = self.headers(session, **kw)
        request = self.http.build_request(method, self.url, content=body, headers=headers)
        if "accept" not in headers:
            del request.headers["accept"]
        return self.http.send(request, stream=stream)

    @contextmanager
    def stream(self, method: str, message: Any = None, session: str | None = None, **kw: Any):
        """`with raw.stream("POST", msg, sid) as response:` a streaming request."""
        if method == "GET":
            kw.setdefault("accept", "text/event-stream")
            kw.setdefault("content_type", None)
        response = self.send(method, message, session, stream=True, **kw)
        try:
            yield response
        finally:
            response.close()

    def request_message(self, method: str, params: dict | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self._ids), "method": method}
        if params is not None:
            message["params"] = params
        return message

    def initialize_message(
        self, version: str = LATEST, capabilities: dict | None = None
    ) -> dict[str, Any]:
        return initialize_message(next(self._ids), version, capabilities)

    def initialize(
        self, version: str = LATEST, capabilities: dict | None = None
    ) -> tuple[str, dict[str, Any]]:
        """initialize + notifications/initialized: (session id, initialize result)."""
        msg = self.initialize_message(version, capabilities)
        r = self.post(msg)
        assert r.status_code == 200, (r.status_code, r.text)
        session = r.headers["mcp-session-id"]
        (reply,) = _replies(r)
        assert reply["id"] == msg["id"] and "result" in reply, reply
        done = self.post(
            {"jsonrpc": "2.0", "method": "notifications/initialized"}, session, version=version
        )
        assert done.status_code == 202, (done.status_code, done.text)
        return session, reply["result"]

    def call(
        self, session: str, method: str, params: dict | None = None, version: str = LATEST
    ) -> httpx.Response:
        return self.post(self.request_message(method, params), session, version=version)

    def delete(self, session: str) -> httpx.Response:
        return self.http.delete(self.url, headers={"mcp-session-id": session})


def _replies(r: httpx.Response) -> list[dict[str, Any]]:
    if r.headers["content-type"].startswith("application/json"):
        return [r.json()]
    return [m for m in sse_messages(r.text) if "method" not in m]


def reply_of(r: httpx.Response) -> dict[str, Any]:
    """The JSON-RPC reply carried by a POST response (JSON body or the SSE stream's)."""
    assert r.status_code == 200, (r.status_code, r.text)
    (reply,) = _replies(r)
    return reply
