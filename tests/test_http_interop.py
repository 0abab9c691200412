"""ferromcp over HTTP with the official clients: the stdio interop cases, again, over
Streamable HTTP (`streamablehttp_client`) and legacy SSE (`sse_client`), plus what only
HTTP has (request headers reaching the Context, concurrent sessions).

Every `test_*` of test_stdio_interop.py is collected here too, with `open_server` opening
an HTTP session instead of a stdio process: one test body, three transports. The cases'
own assertions (wire fields, notification order, concurrency timings) hold on each.

One server process per server file serves both HTTP transports for the whole module;
each test gets its own session. Cases that change or read process-wide state (the tool
registry, the cancellable tools' activity log) get a process of their own.
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager

import anyio
import pytest
import test_stdio_interop as stdio_cases
from http_harness import TRANSPORTS, HttpServer, connect_http

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]

# The stdio cases, collected again in this module (so with the fixtures below).
globals().update({k: v for k, v in vars(stdio_cases).items() if k.startswith("test_")})

FRESH_PROCESS = {
    # enable_admin_tools adds purge_cache to the registry of the process.
    "test_tool_list_changed",
    "test_registry_changes_send_list_changed",
    # Compares the whole activity log the process's cancellable tools keep.
    "test_cancel_async_tool",
}


@pytest.fixture(scope="module")
def shared_servers():
    servers: dict[str, HttpServer] = {}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(params=TRANSPORTS)
def transport(request) -> str:
    return request.param


@pytest.fixture
def http_server(server_path, shared_servers, request):
    """http_server(name) -> a running ferromcp HTTP server for that server file."""
    own: list[HttpServer] = []
    fresh = request.node.originalname in FRESH_PROCESS

    def get(name: str = "context_server") -> HttpServer:
        if fresh:
            own.append(HttpServer(server_path(name, "ferromcp")))
            return own[-1]
        if name not in shared_servers:
            shared_servers[name] = HttpServer(server_path(name, "ferromcp"))
        return shared_servers[name]

    yield get
    for server in own:
        server.stop()


@pytest.fixture
def open_server(http_server, transport):
    """`async with open_server("context_server") as conn:` — over `transport`."""

    @asynccontextmanager
    async def opener(name: str = "context_server", **kw):
        server = http_server(name)
        async with connect_http(server, transport, **kw) as conn:
            yield conn
            assert conn.client_errors == [], f"{conn.client_errors!r}\n{server.output()[-2000:]}"

    return opener


# --- HTTP only -------------------------------------------------------------------------


async def test_request_headers_reach_the_context(http_server, transport):
    server = http_server("context_server")
    headers = {"X-Trace-Id": "trace-42", "Authorization": "Bearer token-7"}
    async with connect_http(server, transport, headers=headers) as conn:
        for name, expected in [
            ("x-trace-id", "trace-42"),
            ("X-TRACE-ID", "trace-42"),
            ("authorization", "Bearer token-7"),
            ("x-not-sent", "header absent"),
        ]:
            result = await conn.session.call_tool("request_header", {"name": name})
            assert result.structuredContent == {"result": expected}, name
        # The request's own HTTP headers, not the session's first ones.
        host = await conn.call("request_header", {"name": "host"})
        assert host["structuredContent"] == {"result": f"127.0.0.1:{server.port}"}


async def test_session_id_is_sent_and_kept(http_server):
    server = http_server("context_server")
    async with connect_http(server, "streamable-http") as conn:
        first = conn.get_session_id()
        assert first and first.isascii() and first.isprintable() and " " not in first
        await conn.request("ping")
        assert conn.get_session_id() == first
        mcp_id = await conn.call("request_header", {"name": "mcp-session-id"})
        assert mcp_id["structuredContent"] == {"result": first}
        version = await conn.call("request_header", {"name": "mcp-protocol-version"})
        assert version["structuredContent"] == {"result": "2025-11-25"}
    async with connect_http(server, "streamable-http") as other:
        assert other.get_session_id() != first


async def test_concurrent_sessions_are_isolated(http_server, transport):
    """Several clients at once: each sees only its own replies, logs and progress."""
    server = http_server("context_server")
    results: dict[int, tuple] = {}

    async def client(i: int) -> None:
        async with connect_http(server, transport) as conn:
            if i % 2:
                await conn.session.set_logging_level("error")
            seen: list[float] = []

            async def on_progress(progress, total, message) -> None:
                seen.append(progress)

            counted = await conn.session.call_tool(
                "count_to", {"n": i + 1}, progress_callback=on_progress
            )
            await conn.call("log_all_levels", {})
            waited = await conn.call("long_wait", {"seconds": 0.6})
            results[i] = (
                counted.structuredContent,
                seen,
                [m.level for m in conn.logs],
                waited["content"][0]["text"],
            )

    started = time.monotonic()
    async with anyio.create_task_group() as tg:
        for i in range(6):
            tg.start_soon(client, i)
    # Six 0.6 s waits in parallel sessions, not one after another (3.6 s).
    assert time.monotonic() - started < 3.0
    for i in range(6):
        counted, seen, levels, waited = results[i]
        assert counted == {"result": f"counted to {i + 1}"}
        assert seen == [float(k) for k in range(1, i + 2)]
        assert levels == (["error"] if i % 2 else ["debug", "info", "warning", "error"])
        assert waited == "waited"


async def test_large_messages_both_ways(http_server, transport):
    server = http_server("tools_server")
    async with connect_http(server, transport) as conn:
        text = "é✓-" * 200_000  # ~1.4 MB of UTF-8 each way
        result = await conn.session.call_tool("shout", {"text": text, "loud": False})
        assert result.structuredContent == {"result": text}
        big = await conn.session.call_tool("shout", {"text": "ab", "times": 400_000})
        assert big.content[0].text == " ".join(["AB"] * 400_000)


@pytest.mark.parametrize(
    "settings",
    [
        {"json_response": True},
        {"stateless_http": True},
        {"stateless_http": True, "json_response": True},
    ],
    ids=["json_response", "stateless", "stateless+json"],
)
async def test_official_client_in_other_modes(server_path, settings):
    with HttpServer(server_path("context_server", "ferromcp"), **settings) as server:
        async with connect_http(server, "streamable-http") as conn:
            stateless = settings.get("stateless_http", False)
            assert (conn.get_session_id() is None) == stateless
            tools = await conn.session.list_tools()
            assert "count_to" in [t.name for t in tools.tools]
            result = await conn.session.call_tool("count_to", {"n": 3})
            assert result.structuredContent == {"result": "counted to 3"}
            role = await conn.session.call_tool("user_role", {"user": "alice"})
            assert role.structuredContent == {"result": "alice: admin (lifespan started)"}
            summary = await conn.session.call_tool("summarize", {"text": "x"})
            if stateless:
                # No session, so no declared capabilities and nowhere to answer to: the
                # request to the client fails at once instead of waiting forever.
                assert summary.isError
                assert "does not support sampling" in summary.content[0].text
            else:
                # JSON responses: the request to the client goes on the GET stream.
                assert summary.content[0].text == "test-model: short version of ['Summarize: x']"
            assert conn.client_errors == []
