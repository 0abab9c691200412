"""`related_request_id` routes a notification to the request it names: over Streamable
HTTP it travels on that request's response stream (the SDK v1's routing), not on the
stream of the request that sent it (tests/servers/session_server.py).

`waiting_call` (request A) waits; `release_call` (request B) sends A, by its id, an
elicitation completion, a notification object, a log message and progress, then lets A
finish. The raw tests read each POST's SSE body with httpx, under both flavours; the
official-client tests check the same messages reach `ClientSession` over each transport."""

from __future__ import annotations

import threading

import anyio
import pytest
from http_harness import (
    TRANSPORTS,
    HttpServer,
    RawClient,
    SseReader,
    connect_http,
    sse_messages,
)
from stdio_harness import FLAVOURS, connect

pytestmark = pytest.mark.timeout(60)

ROUTED = [
    "notifications/elicitation/complete",
    "notifications/message",
    "notifications/message",
    "notifications/progress",
]


def routed_params(key: str) -> list[dict]:
    return [
        {"elicitationId": f"elicitation-{key}"},
        {"level": "info", "logger": "router", "data": f"for {key}"},
        {"level": "warning", "data": f"log for {key}"},
        {
            "progressToken": f"progress-{key}",
            "progress": 1.0,
            "total": 2.0,
            "message": f"half of {key}",
        },
    ]


def call_params(tool: str, arguments: dict | None = None) -> dict:
    return {"name": tool, "arguments": arguments or {}}


def call(raw: RawClient, tool: str, key: str) -> dict:
    return raw.request_message("tools/call", call_params(tool, {"key": key}))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_notifications_travel_on_the_related_requests_stream(server_path, flavour):
    with HttpServer(server_path("session_server", flavour), flavour=flavour) as server:
        raw = RawClient(server)
        session, _ = raw.initialize()
        a_msg = call(raw, "waiting_call", "k1")
        a_body: dict = {}

        def post_a() -> None:
            r = raw.post(a_msg, session)
            a_body["status"], a_body["text"] = r.status_code, r.text

        thread = threading.Thread(target=post_a)
        thread.start()
        b_msg = call(raw, "release_call", "k1")
        b = raw.post(b_msg, session)
        thread.join(timeout=15)
        raw.close()

    assert b.status_code == 200 and a_body.get("status") == 200, (b.text, a_body)
    a_messages, b_messages = sse_messages(a_body["text"]), sse_messages(b.text)
    # B's stream carries only B's reply.
    assert b_messages == [
        {
            "jsonrpc": "2.0",
            "id": b_msg["id"],
            "result": b_messages[0]["result"],
        }
    ], b_messages
    assert b_messages[0]["result"]["structuredContent"]["result"].startswith("released k1")
    # A's stream carries the routed notifications, in order, then A's reply.
    *notes, a_reply = a_messages
    assert [n.get("method") for n in notes] == ROUTED, a_messages
    assert [n["params"] for n in notes] == routed_params("k1")
    assert a_reply["id"] == a_msg["id"], a_reply
    assert a_reply["result"]["structuredContent"] == {"result": "k1 released"}


@pytest.mark.parametrize("transport", ["stdio", *TRANSPORTS])
def test_official_client_receives_the_routed_notifications(server_path, transport):
    async def exercise(conn) -> None:
        a = await conn.send_request(
            "tools/call", {"name": "waiting_call", "arguments": {"key": "k2"}}
        )
        b = await conn.send_request(
            "tools/call", {"name": "release_call", "arguments": {"key": "k2"}}
        )
        b_reply, a_reply = await conn.wait_response(b), await conn.wait_response(a)
        assert a_reply["result"]["structuredContent"] == {"result": "k2 released"}
        assert b_reply["result"]["structuredContent"]["result"].startswith("released k2")
        # They all reached the client before A's reply.
        before_a = conn.messages_between(0, a)
        notes = [m for m in before_a if m.get("method") in set(ROUTED)]
        assert [n["method"] for n in notes] == ROUTED, conn.messages
        assert [n["params"] for n in notes] == routed_params("k2")
        assert [log.data for log in conn.logs] == ["for k2", "log for k2"]
        assert conn.client_errors == []

    async def main() -> None:
        script = server_path("session_server")
        if transport == "stdio":
            async with connect(script) as conn:
                await exercise(conn)
            return
        server = await anyio.to_thread.run_sync(lambda: HttpServer(script, transport=transport))
        try:
            async with connect_http(server, transport) as conn:
                await exercise(conn)
        finally:
            await anyio.to_thread.run_sync(server.stop)

    anyio.run(main)


def test_unknown_related_request_goes_to_the_standalone_stream(server_path):
    """Naming a request that is not running (finished, or never was): the message goes
    on the session's standalone GET stream rather than nowhere (ferromcp; v1 drops it)."""
    with HttpServer(server_path("session_server")) as server:
        raw = RawClient(server)
        session, _ = raw.initialize()
        finished = raw.request_message("tools/call", call_params("client_id"))
        assert raw.post(finished, session).status_code == 200
        with raw.stream("GET", None, session) as get:
            events = SseReader(get)
            replies = []
            for named in (str(finished["id"]), "never-sent"):
                arguments = {"request_id": named, "elicitation_id": f"for-{named}"}
                r = raw.call(session, "tools/call", call_params("complete_for", arguments))
                replies.append(sse_messages(r.text))
            got = [events.next_message() for _ in range(2)]
        raw.close()
    # Each call's own stream carries only its reply.
    assert [[m["result"]["structuredContent"] for m in ms] for ms in replies] == [
        [{"result": "sent"}],
        [{"result": "sent"}],
    ]
    assert got == [
        {
            "jsonrpc": "2.0",
            "method": "notifications/elicitation/complete",
            "params": {"elicitationId": f"for-{named}"},
        }
        for named in (str(finished["id"]), "never-sent")
    ]
