"""`mcp.run(transport="http")` serves Streamable HTTP, and the legacy SSE message endpoint
enforces `max_request_body_size` as the Streamable HTTP endpoint does (413; see
test_body_over_the_limit_is_413 in tests/test_http_raw.py)."""

from __future__ import annotations

import json
import re

import anyio
import httpx
import pytest
from http_harness import HttpServer, SseReader, connect_http, initialize_message

pytestmark = pytest.mark.timeout(60)

LIMIT = 65536


def test_run_with_transport_http_serves_streamable_http(server_path):
    async def main() -> None:
        script = server_path("tools_server")
        server = await anyio.to_thread.run_sync(lambda: HttpServer(script, transport="http"))
        try:
            async with connect_http(server, "streamable-http") as conn:
                assert conn.get_session_id() is not None
                result = await conn.session.call_tool("add", {"a": 2, "b": 40})
                assert result.isError is False
                assert result.structuredContent == {"result": 42}
                raw = await conn.call("add", {"a": 1, "b": 2})
                assert raw["structuredContent"] == {"result": 3}
                assert conn.client_errors == []
        finally:
            await anyio.to_thread.run_sync(server.stop)

    anyio.run(main)


@pytest.fixture(scope="module")
def legacy_server(server_path):
    with HttpServer(
        server_path("context_server"), transport="sse", max_request_body_size=LIMIT
    ) as server:
        yield server


def initialize(http: httpx.Client, post_url: str, events: SseReader) -> None:
    init = initialize_message(version="2024-11-05")
    assert http.post(post_url, json=init).status_code == 202
    assert events.next_message()["id"] == 1
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    assert http.post(post_url, json=initialized).status_code == 202


def test_legacy_message_over_the_limit_is_413(legacy_server):
    with httpx.Client(timeout=10) as http:
        with http.stream("GET", legacy_server.url("/sse")) as sse:
            events = SseReader(sse)
            endpoint = events.next()
            assert endpoint["event"] == "endpoint"
            assert re.fullmatch(r"/messages/\?session_id=[\x21-\x7e]+", endpoint["data"])
            post_url = legacy_server.url(endpoint["data"])
            initialize(http, post_url, events)

            def call(rid: int, text: str) -> bytes:
                params = {"name": "request_header", "arguments": {"name": text}}
                message = {"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": params}
                return json.dumps(message).encode()

            headers = {"content-type": "application/json"}
            # Just under the limit works.
            small = call(2, "x" * 60000)
            assert len(small) < LIMIT
            assert http.post(post_url, content=small, headers=headers).status_code == 202
            assert events.next_message() == {
                "jsonrpc": "2.0",
                "id": 2,
                "result": events_result("header absent"),
            }
            big = call(3, "y" * 70000)
            assert len(big) > LIMIT
            # Announced with Content-Length ...
            r = http.post(post_url, content=big, headers=headers)
            assert r.status_code == 413, (r.status_code, r.text)
            assert str(LIMIT) in r.text
            # ... and chunked, where only counting the bytes finds out.
            chunks = (big[i : i + 8192] for i in range(0, len(big), 8192))
            r = http.post(post_url, content=chunks, headers=headers)
            assert r.status_code == 413, (r.status_code, r.text)
            # Nothing reached the session for those, and it is unharmed.
            ping = {"jsonrpc": "2.0", "id": 4, "method": "ping"}
            assert http.post(post_url, json=ping).status_code == 202
            assert events.next_message() == {"jsonrpc": "2.0", "id": 4, "result": {}}


def events_result(text: str) -> dict:
    return {
        "content": [{"type": "text", "text": text}],
        "structuredContent": {"result": text},
        "isError": False,
    }
