"""The HTTP transports on the wire: status codes, headers, SSE framing, sessions,
resumption, limits, security, shutdown and memory, with plain httpx requests.

Servers are the ferromcp flavour of tests/servers/context_server.py, served with
`mcp.run(transport=...)` in a subprocess (see http_harness.py), with the settings each
test names passed to its `FastMCP(...)` constructor (or through `FASTMCP_*` variables).
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import re
import signal
import socket
import threading
import time

import httpx
import pytest
from http_harness import (
    ACCEPT_BOTH,
    LATEST,
    HttpServer,
    RawClient,
    SseReader,
    initialize_message,
    reply_of,
    sse_events,
    sse_messages,
)

pytestmark = pytest.mark.timeout(60)

INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


@pytest.fixture(scope="module")
def server(server_path):
    """Default settings, except a small body limit."""
    with HttpServer(server_path("context_server"), max_request_body_size=65536) as s:
        yield s


@pytest.fixture(scope="module")
def retry_server(server_path):
    with HttpServer(server_path("context_server"), retry_interval=1500) as s:
        yield s


@pytest.fixture
def raw(server):
    client = RawClient(server)
    yield client
    client.close()


@pytest.fixture
def start(server_path):
    """start(**settings) -> a fresh context_server with those settings (stopped after)."""
    started: list[HttpServer] = []

    def make(**settings) -> HttpServer:
        started.append(HttpServer(server_path("context_server"), **settings))
        return started[-1]

    yield make
    for s in started:
        s.stop()


def rpc_error(r: httpx.Response, status: int) -> dict:
    """The JSON-RPC error body of an HTTP error response."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert body["jsonrpc"] == "2.0" and "result" not in body, body
    return body["error"]


def call_params(tool: str, arguments: dict | None = None, **extra) -> dict:
    return {"name": tool, "arguments": arguments or {}, **extra}


# --- /health and routing -----------------------------------------------------------------


def test_health(server):
    r = httpx.get(server.url("/health"))
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert httpx.get(server.url("/nowhere")).status_code == 404


def test_other_methods_are_405_with_allow(raw):
    r = raw.http.put(raw.url, content=b"{}", headers=raw.headers())
    assert r.status_code == 405
    assert set(re.split(r",\s*", r.headers["allow"])) == {"GET", "POST", "DELETE"}


# --- POST: headers and body ----------------------------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [None, "application/json", "text/event-stream", "text/html", "application/*;q=0.1"],
)
def test_post_without_both_media_types_is_406(raw, accept):
    msg = raw.request_message("ping")
    session, _ = raw.initialize()
    for sid in (None, session):
        error = rpc_error(raw.post(msg, sid, accept=accept), 406)
        assert error["code"] == -32600
        assert "Not Acceptable" in error["message"]


def test_accept_with_parameters_and_wildcards_passes(raw):
    session, _ = raw.initialize()
    for accept in [
        "application/json;q=0.9, text/event-stream;q=0.8",
        "text/event-stream, application/json",
        "*/*",
    ]:
        reply = reply_of(raw.post(raw.request_message("ping"), session, accept=accept))
        assert reply["result"] == {}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_post_with_wrong_content_type_is_415(raw, content_type):
    session, _ = raw.initialize()
    error = rpc_error(
        raw.post(raw.request_message("ping"), session, content_type=content_type), 415
    )
    assert "Unsupported Media Type" in error["message"]


def test_content_type_parameters_pass(raw):
    session, _ = raw.initialize()
    msg = raw.request_message("ping")
    r = raw.post(msg, session, content_type="application/json; charset=utf-8")
    assert reply_of(r)["result"] == {}


def test_body_over_the_limit_is_413(raw):
    session, _ = raw.initialize()
    # Just under the limit (65536 bytes) works.
    text = "x" * 60000
    r = raw.call(session, "tools/call", call_params("request_header", {"name": text}))
    assert reply_of(r)["result"]["structuredContent"] == {"result": "header absent"}
    big = json.dumps(
        raw.request_message("tools/call", call_params("request_header", {"name": "y" * 70000}))
    )
    # Announced with Content-Length ...
    error = rpc_error(raw.post(big, session), 413)
    assert "65536" in error["message"]
    # ... and chunked, where only counting the bytes finds out.
    chunks = (big[i : i + 8192].encode() for i in range(0, len(big), 8192))
    r = raw.http.post(raw.url, content=chunks, headers=raw.headers(session))
    rpc_error(r, 413)
    # The session is unharmed.
    assert reply_of(raw.call(session, "ping"))["result"] == {}


@pytest.mark.parametrize("body", [b"{not json", b"", b'{"jsonrpc": "2.0", "id": 1, "method": '])
def test_invalid_json_is_400_parse_error(raw, body):
    session, _ = raw.initialize()
    for sid in (None, session):
        error = rpc_error(raw.post(body, sid), 400)
        assert error["code"] == -32700


def test_not_a_jsonrpc_message_is_400_invalid_request(raw):
    session, _ = raw.initialize()
    for body in ({"hello": "world"}, '"just a string"', 42, {"jsonrpc": "1.0", "method": "x"}):
        error = rpc_error(raw.post(body, session), 400)
        assert error["code"] == -32600, (body, error)


def test_batches_only_where_the_session_protocol_has_them(raw):
    batch = [
        raw.request_message("ping"),
        raw.request_message("tools/call", call_params("quick_ping")),
    ]
    # 2025-06-18 dropped batches: an array body is a bad request, and none of it runs.
    for version in ("2025-06-18", LATEST):
        session, _ = raw.initialize(version)
        error = rpc_error(raw.post(batch, session, version=version), 400)
        assert "batches are not supported" in error["message"]
    # 2025-03-26 has them: one array of replies, in one event.
    session, _ = raw.initialize("2025-03-26")
    r = raw.post(batch, session, version="2025-03-26")
    assert r.status_code == 200
    (replies,) = sse_messages(r.text)
    assert sorted(m["id"] for m in replies) == sorted(m["id"] for m in batch)
    by_id = {m["id"]: m for m in replies}
    assert by_id[batch[0]["id"]]["result"] == {}
    assert by_id[batch[1]["id"]]["result"]["structuredContent"] == {"result": "pong"}
    notes = [INITIALIZED, {"jsonrpc": "2.0", "method": "notifications/roots/list_changed"}]
    r = raw.post(notes, session, version="2025-03-26")
    assert r.status_code == 202 and r.content == b""


def test_refused_requests_keep_the_connection_usable(raw, server):
    """An error answered before the body was read must not leave a connection that
    dies under the client's next request (keep-alive clients reuse it at once)."""
    session, _ = raw.initialize()
    body = json.dumps(raw.request_message("ping"))
    good = {
        "host": f"127.0.0.1:{server.port}",
        "accept": ACCEPT_BOTH,
        "content-type": "application/json",
        "mcp-session-id": session,
    }
    refused = [
        ("POST", "/mcp", {**good, "host": "evil.example.com"}, 421),
        ("POST", "/mcp", {**good, "origin": "http://evil.example.com"}, 403),
        ("POST", "/mcp", {**good, "accept": "application/json"}, 406),
        ("POST", "/mcp", {**good, "content-type": "text/plain"}, 415),
        ("POST", "/mcp", {**good, "mcp-protocol-version": "2099-01-01"}, 400),
        ("PUT", "/mcp", good, 405),
        ("POST", "/nowhere", good, 404),
        ("POST", "/messages/", good, 400),
        ("POST", "/messages/?session_id=nope", good, 400),
        ("POST", "/messages/?session_id=" + "0" * 32, good, 404),
        ("POST", "/sse", good, 405),
    ]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for method, path, headers, expected in refused:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        r.read()
        assert r.status == expected, (method, path, r.status)
        assert r.getheader("connection") != "close", (method, path)
        time.sleep(0.05)  # a silent close would have arrived by now
        conn.request("POST", "/mcp", body=body, headers=good)
        follow = conn.getresponse()
        assert follow.status == 200, (method, path, follow.status)
        assert sse_messages(follow.read().decode())[0]["result"] == {}
    # Too large to read: the answer says the connection ends.
    conn.request("POST", "/mcp", body="x" * 70000, headers=good)
    r = conn.getresponse()
    r.read()
    assert r.status == 413 and r.getheader("connection") == "close"
    conn.close()


# --- sessions --------------------------------------------------------------------------------


def test_initialize_issues_random_visible_ascii_session_ids(raw):
    ids = set()
    for _ in range(12):
        msg = raw.initialize_message()
        r = raw.post(msg)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        sid = r.headers["mcp-session-id"]
        assert re.fullmatch(r"[\x21-\x7e]{16,}", sid), sid
        reply = reply_of(r)
        assert reply["id"] == msg["id"] and reply["result"]["protocolVersion"] == LATEST
        ids.add(sid)
    assert len(ids) == 12
    # Random, not a counter or a clock: no two share a long prefix or suffix.
    for x, y in itertools.combinations(ids, 2):
        assert len(os.path.commonprefix([x, y])) < 8, (x, y)
        assert len(os.path.commonprefix([x[::-1], y[::-1]])) < 8, (x, y)


def test_missing_session_id_is_400(raw):
    raw.initialize()
    for method in ("ping", "tools/list"):
        error = rpc_error(raw.post(raw.request_message(method)), 400)
        assert "Missing session ID" in error["message"]
    rpc_error(raw.post(INITIALIZED), 400)
    rpc_error(raw.get(), 400)
    rpc_error(raw.http.delete(raw.url), 400)


def test_unknown_session_is_404(raw):
    error = rpc_error(raw.call("0123456789abcdef0123456789abcdef", "ping"), 404)
    assert error["message"] == "Session not found"
    rpc_error(raw.get("nope"), 404)
    rpc_error(raw.delete("nope"), 404)


def test_delete_ends_the_session(raw):
    session, _ = raw.initialize()
    other, _ = raw.initialize()
    r = raw.delete(session)
    assert r.status_code == 200 and r.content == b""
    rpc_error(raw.delete(session), 404)
    rpc_error(raw.call(session, "ping"), 404)
    rpc_error(raw.post(INITIALIZED, session), 404)
    rpc_error(raw.get(session), 404)
    # Only that one.
    assert reply_of(raw.call(other, "ping"))["result"] == {}


def test_delete_closes_the_sessions_streams(raw):
    session, _ = raw.initialize()
    with raw.stream("GET", None, session) as get:
        assert get.status_code == 200
        events = SseReader(get)
        assert "id" in events.next()  # priming
        assert raw.delete(session).status_code == 200
        assert events.next() is None, "the standalone stream should end with its session"


def test_protocol_version_header(raw):
    session, _ = raw.initialize()
    for version in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", None):
        assert reply_of(raw.call(session, "ping", version=version))["result"] == {}
    for bad in ("2099-01-01", "latest", ""):
        error = rpc_error(raw.call(session, "ping", version=bad), 400)
        assert "Unsupported protocol version" in error["message"], error
    rpc_error(raw.get(session, version="1999-01-01"), 400)


def test_notifications_and_responses_get_202(raw):
    session, _ = raw.initialize()
    for message in (
        {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 99}},
        {"jsonrpc": "2.0", "method": "notifications/roots/list_changed"},
        {"jsonrpc": "2.0", "id": "nobody-asked", "result": {}},
        {"jsonrpc": "2.0", "id": 12345, "error": {"code": -1, "message": "no"}},
    ):
        r = raw.post(message, session)
        assert r.status_code == 202, (message, r.status_code, r.text)
        assert r.content == b""
        assert r.headers["mcp-session-id"] == session
    assert reply_of(raw.call(session, "ping"))["result"] == {}


# --- GET: the standalone stream ------------------------------------------------------------


def test_get_without_event_stream_accept_is_406(raw):
    session, _ = raw.initialize()
    for accept in (None, "application/json", "text/html"):
        error = rpc_error(raw.get(session, accept=accept), 406)
        assert "Not Acceptable" in error["message"]


def test_second_get_stream_is_409(raw):
    session, _ = raw.initialize()
    with raw.stream("GET", None, session) as first:
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/event-stream")
        events = SseReader(first)
        assert events.next()["data"] == ""  # the priming event
        other = RawClient(raw.server)
        for _ in range(2):
            error = rpc_error(other.get(session), 409)
            assert "Conflict" in error["message"]
        # The first stream still works.
        raw.call(session, "tools/call", call_params("enable_admin_tools"))
        raw.call(session, "tools/call", call_params("disable_admin_tools"))
        assert events.next()["event"] == "message"
    # Once the first stream is gone, the client may open it again.
    deadline = time.monotonic() + 5
    while True:
        with other.stream("GET", None, session) as second:
            if second.status_code == 200:
                break
            second.read()
            assert second.status_code == 409
        assert time.monotonic() < deadline, "the closed GET stream still counts as open"
        time.sleep(0.05)
    other.close()


def test_standalone_stream_gets_server_initiated_messages(raw):
    session, _ = raw.initialize()
    with raw.stream("GET", None, session) as get:
        events = SseReader(get)
        priming = events.next()
        assert set(priming) == {"id", "data"} and priming["data"] == ""
        assert reply_of(raw.call(session, "resources/subscribe", {"uri": "config://settings"}))
        # What a request sends through its Context travels on that request's stream ...
        r = raw.call(session, "tools/call", call_params("enable_admin_tools"))
        assert [m.get("method") for m in sse_messages(r.text)] == [
            "notifications/tools/list_changed",  # the tool's send_tool_list_changed()
            None,
        ]
        touched = raw.call(
            session, "tools/call", call_params("touch_resource", {"uri": "config://settings"})
        )
        assert [m.get("method") for m in sse_messages(touched.text)] == [None]
        disabled = raw.call(session, "tools/call", call_params("disable_admin_tools"))
        assert [m.get("method") for m in sse_messages(disabled.text)] == [None]
        # ... what concerns the session (registry changes, subscribed resources) on this one.
        seen = [events.next() for _ in range(3)]
        assert all(e["event"] == "message" for e in seen)
        assert [json.loads(e["data"]) for e in seen] == [
            {"jsonrpc": "2.0", "method": "notifications/tools/list_changed"},
            {
                "jsonrpc": "2.0",
                "method": "notifications/resources/updated",
                "params": {"uri": "config://settings"},
            },
            {"jsonrpc": "2.0", "method": "notifications/tools/list_changed"},
        ]
        ids = [priming["id"]] + [e["id"] for e in seen]
        assert len(set(ids)) == 4, ids


# --- SSE framing ---------------------------------------------------------------------------


def test_post_stream_framing_with_retry_interval(retry_server):
    raw = RawClient(retry_server)
    session, _ = raw.initialize()
    msg = raw.request_message(
        "tools/call", call_params("count_to", {"n": 2}, _meta={"progressToken": "pt"})
    )
    r = raw.post(msg, session, version=LATEST)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert r.headers["cache-control"] == "no-cache"
    events = sse_events(r.text)
    priming, *rest = events
    # The priming event: an id, the reconnection delay, empty data, no event name.
    assert set(priming) == {"id", "retry", "data"}
    assert priming["retry"] == "1500" and priming["data"] == ""
    assert [e["event"] for e in rest] == ["message"] * 3
    ids = [priming["id"]] + [e["id"] for e in rest]
    assert len(set(ids)) == 4, ids
    messages = [json.loads(e["data"]) for e in rest]
    assert [m.get("method") for m in messages] == [
        "notifications/progress",
        "notifications/progress",
        None,
    ]
    assert messages[-1]["id"] == msg["id"]
    assert messages[-1]["result"]["structuredContent"] == {"result": "counted to 2"}
    # The raw text: one `data:` line per message, events ended by a blank line.
    assert re.match(r"id: \S+\nretry: 1500\ndata: ?\n\n", r.text), r.text[:80]
    assert r.text.endswith("\n\n")
    raw.close()


def test_priming_without_retry_interval_has_no_retry(raw):
    session, _ = raw.initialize()
    r = raw.call(session, "ping")
    priming, message = sse_events(r.text)
    assert set(priming) == {"id", "data"} and priming["data"] == ""
    assert message["event"] == "message" and message["id"] != priming["id"]


@pytest.mark.parametrize("version", ["2024-11-05", "2025-03-26", "2025-06-18"])
def test_older_protocols_get_no_priming_event(retry_server, version):
    raw = RawClient(retry_server)
    session, result = raw.initialize(version)
    assert result["protocolVersion"] == version
    r = raw.call(
        session,
        "tools/call",
        call_params("count_to", {"n": 1}, _meta={"progressToken": 1}),
        version=version,
    )
    events = sse_events(r.text)
    # Old clients choke on an event without data: every event is a message.
    assert [e.get("event") for e in events] == ["message", "message"]
    assert all("retry" not in e and e["data"] for e in events)
    with raw.stream("GET", None, session) as response:
        assert response.status_code == 200
        raw.call(session, "tools/call", call_params("enable_admin_tools"))
        raw.call(session, "tools/call", call_params("disable_admin_tools"))
        first = SseReader(response).next()
        assert first["event"] == "message" and first["data"], first
    raw.close()


def test_initialize_stream_has_no_priming_event(retry_server):
    raw = RawClient(retry_server)
    msg = raw.initialize_message()
    events = sse_events(raw.post(msg).text)
    assert [e.get("event") for e in events] == ["message"]
    raw.close()


# --- server -> client requests on the POST's stream ----------------------------------------


CLIENT_CAPABILITIES = {"sampling": {}, "elicitation": {"form": {}, "url": {}}, "roots": {}}


@pytest.mark.parametrize(
    "tool, arguments, method, answer, expected",
    [
        (
            "summarize",
            {"text": "saga"},
            "sampling/createMessage",
            {"role": "assistant", "content": {"type": "text", "text": "short"}, "model": "m"},
            "m: short",
        ),
        (
            "book_table",
            {"date": "today"},
            "elicitation/create",
            {"action": "accept", "content": {"confirm": True, "seats": 5}},
            "booked today: confirm=True seats=5 notes=''",
        ),
        (
            "client_roots",
            {},
            "roots/list",
            {"roots": [{"uri": "file:///r", "name": "r"}]},
            None,
        ),
    ],
)
def test_server_requests_travel_on_the_post_stream(raw, tool, arguments, method, answer, expected):
    session, _ = raw.initialize(capabilities=CLIENT_CAPABILITIES)
    msg = raw.request_message("tools/call", call_params(tool, arguments))
    with raw.stream("GET", None, session) as get:
        get_events = SseReader(get)
        get_events.next()  # priming
        with raw.stream("POST", msg, session) as post:
            events = SseReader(post)
            request = events.next_message()
            assert request["method"] == method and "id" in request, request
            # The answer is a POST of its own: 202, and the tool goes on.
            r = raw.post({"jsonrpc": "2.0", "id": request["id"], "result": answer}, session)
            assert r.status_code == 202
            reply = events.next_message()
            assert reply["id"] == msg["id"]
            assert events.next() is None, "the POST stream ends after the reply"
        # Nothing went to the standalone stream.
        raw.call(session, "tools/call", call_params("enable_admin_tools"))
        raw.call(session, "tools/call", call_params("disable_admin_tools"))
        assert json.loads(get_events.next()["data"])["method"] == "notifications/tools/list_changed"
    result = reply["result"]
    if expected is None:
        assert result["structuredContent"] == {"result": ["r=file:///r"]}
    else:
        assert result["content"] == [{"type": "text", "text": expected}]


def test_cancelled_request_ends_its_stream_without_a_reply(raw):
    session, _ = raw.initialize()
    msg = raw.request_message("tools/call", call_params("long_wait", {"seconds": 5}))
    started = time.monotonic()
    with raw.stream("POST", msg, session) as post:
        events = SseReader(post)
        assert events.next()["data"] == ""  # priming
        time.sleep(0.3)
        cancel = {
            "jsonrpc": "2.0",
            "method": "notifications/cancelled",
            "params": {"requestId": msg["id"], "reason": "user abort"},
        }
        assert raw.post(cancel, session).status_code == 202
        assert list(events) == [], "a cancelled request gets no response"
    assert time.monotonic() - started < 2.5
    assert reply_of(raw.call(session, "ping"))["result"] == {}


def test_concurrent_requests_all_answered(server):
    """16 connections at once, on one shared session and on sessions of their own."""
    shared = RawClient(server)
    shared_session, _ = shared.initialize()
    failures: list = []

    def worker(i: int) -> None:
        client = RawClient(server)
        own, _ = client.initialize()
        try:
            for j in range(20):
                session = shared_session if j % 2 else own
                token = i * 1000 + j
                msg = client.request_message(
                    "tools/call", call_params("slow_report", {"seconds": 0})
                )
                if j % 4 == 0:
                    msg = client.request_message(
                        "tools/call",
                        call_params("count_to", {"n": 2}, _meta={"progressToken": token}),
                    )
                r = client.post(msg, session)
                reply = reply_of(r)
                if reply.get("id") != msg["id"] or "result" not in reply:
                    failures.append((i, j, r.status_code, r.text[:200]))
                if j % 4 == 0:
                    progress = [m for m in sse_messages(r.text) if "method" in m]
                    if [p["params"]["progressToken"] for p in progress] != [token, token]:
                        failures.append((i, j, "progress of another request", progress))
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            failures.append((i, repr(exc)))
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    shared.close()


# --- resumability ----------------------------------------------------------------------------


def test_resume_a_dropped_post_stream(retry_server):
    raw = RawClient(retry_server)
    session, _ = raw.initialize()
    msg = raw.request_message("tools/call", call_params("paced_count", {"n": 6, "delay": 0.15}))
    seen_ids = []
    with raw.stream("POST", msg, session) as post:
        events = SseReader(post)
        priming = events.next()
        assert priming["retry"] == "1500"
        seen_ids.append(priming["id"])
        first_two = []
        for _ in range(2):
            event = events.next()
            seen_ids.append(event["id"])
            first_two.append(json.loads(event["data"]))
    # The connection is gone mid-way; the tool goes on.
    assert [m["params"]["data"] for m in first_two] == ["step 1 of 6", "step 2 of 6"]
    time.sleep(0.2)
    resume_from = {"last-event-id": seen_ids[-1]}
    with raw.stream("GET", None, session, extra=resume_from) as resumed:
        assert resumed.status_code == 200
        rest = list(SseReader(resumed))
    assert all(e["event"] == "message" for e in rest)
    messages = [json.loads(e["data"]) for e in rest]
    assert [m["params"]["data"] for m in messages[:-1]] == [f"step {i} of 6" for i in range(3, 7)]
    assert messages[-1]["id"] == msg["id"]
    assert messages[-1]["result"]["structuredContent"] == {"result": "paced 6"}
    ids = seen_ids + [e["id"] for e in rest]
    assert len(set(ids)) == len(ids), ids
    raw.close()


def test_resume_a_finished_stream_replays_the_rest(retry_server):
    raw = RawClient(retry_server)
    session, _ = raw.initialize()
    msg = raw.request_message("tools/call", call_params("paced_count", {"n": 2, "delay": 0.1}))
    with raw.stream("POST", msg, session) as post:
        priming = SseReader(post).next()
    time.sleep(0.6)  # the call finishes while nobody listens
    resume_from = {"last-event-id": priming["id"]}
    r = raw.get(session, extra=resume_from)
    assert r.status_code == 200
    messages = sse_messages(r.text)
    assert [m.get("method") for m in messages] == ["notifications/message"] * 2 + [None]
    assert messages[-1]["id"] == msg["id"]
    # Another session cannot resume this one's stream.
    other, _ = raw.initialize()
    foreign = raw.get(other, extra=resume_from)
    assert foreign.status_code == 200
    assert sse_messages(foreign.text) == [], "another session's events were replayed"
    raw.close()


def long_text_call(raw: RawClient, text: str) -> dict:
    return raw.request_message("tools/call", call_params("shout", {"text": text, "loud": False}))


def assert_long_text_reply(reply: dict, msg: dict, text: str) -> None:
    assert reply["id"] == msg["id"]
    assert reply["result"] == {
        "content": [{"type": "text", "text": text}],
        "structuredContent": {"result": text},
        "isError": False,
    }


# Long texts with nothing to escape are sent from the string objects themselves; the event
# log joins such a reply when it keeps it.
LONG_TEXT = "\u00e9\u2713-" * 50_000 + "ab" * 100_000


def test_a_long_reply_is_replayed_whole(server_path):
    with HttpServer(server_path("tools_server")) as s:
        raw = RawClient(s)
        session, _ = raw.initialize()
        msg = long_text_call(raw, LONG_TEXT)
        with raw.stream("POST", msg, session) as post:
            events = SseReader(post)
            priming = events.next()
            assert priming["data"] == ""
            sent = events.next_message()
        assert_long_text_reply(sent, msg, LONG_TEXT)
        r = raw.get(session, extra={"last-event-id": priming["id"]})
        assert r.status_code == 200
        [replayed] = sse_messages(r.text)
        assert_long_text_reply(replayed, msg, LONG_TEXT)
        raw.close()


def test_a_long_json_response_has_its_exact_length(server_path):
    with HttpServer(server_path("tools_server"), json_response=True) as s:
        raw = RawClient(s)
        session, _ = raw.initialize()
        msg = long_text_call(raw, LONG_TEXT)
        r = raw.post(msg, session)
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json"
        assert int(r.headers["content-length"]) == len(r.content)
        assert_long_text_reply(r.json(), msg, LONG_TEXT)
        raw.close()


def test_resume_the_standalone_stream(raw):
    session, _ = raw.initialize()
    with raw.stream("GET", None, session) as get:
        priming = SseReader(get).next()
    # While nobody listens, the session's messages are kept for a resumption.
    raw.call(session, "tools/call", call_params("enable_admin_tools"))
    raw.call(session, "tools/call", call_params("disable_admin_tools"))
    with raw.stream("GET", None, session, extra={"last-event-id": priming["id"]}) as resumed:
        assert resumed.status_code == 200
        events = SseReader(resumed)
        missed = [events.next(), events.next()]
        assert [json.loads(e["data"])["method"] for e in missed] == [
            "notifications/tools/list_changed"
        ] * 2
        # Then it follows the live stream.
        raw.call(session, "tools/call", call_params("enable_admin_tools"))
        raw.call(session, "tools/call", call_params("disable_admin_tools"))
        live = [events.next(), events.next()]
        assert [json.loads(e["data"])["method"] for e in live] == [
            "notifications/tools/list_changed"
        ] * 2
        ids = [priming["id"]] + [e["id"] for e in missed + live]
        assert len(set(ids)) == 5, ids


def test_request_to_the_client_survives_a_dropped_stream(raw):
    """A sampling request sent while the client was away is replayed on resumption; the
    client answers it and the call completes on the resumed stream."""
    session, _ = raw.initialize(capabilities={"sampling": {}})
    msg = raw.request_message("tools/call", call_params("summarize", {"text": "t"}))
    with raw.stream("POST", msg, session) as post:
        priming = SseReader(post).next()  # then the connection drops
    time.sleep(0.2)
    with raw.stream("GET", None, session, extra={"last-event-id": priming["id"]}) as resumed:
        events = SseReader(resumed)
        request = events.next_message()
        assert request["method"] == "sampling/createMessage"
        answer = {"role": "assistant", "content": {"type": "text", "text": "S"}, "model": "m"}
        r = raw.post({"jsonrpc": "2.0", "id": request["id"], "result": answer}, session)
        assert r.status_code == 202
        reply = events.next_message()
        assert reply["id"] == msg["id"]
        assert reply["result"]["content"] == [{"type": "text", "text": "m: S"}]
        assert events.next() is None


def test_delete_ends_running_requests(raw):
    session, _ = raw.initialize()
    other = RawClient(raw.server)
    msg = raw.request_message("tools/call", call_params("long_wait", {"seconds": 5}))
    with other.stream("POST", msg, session) as post:
        events = SseReader(post)
        assert events.next()["data"] == ""
        time.sleep(0.3)
        started = time.monotonic()
        assert raw.delete(session).status_code == 200
        assert list(events) == [], "the stream ends without a reply"
        assert time.monotonic() - started < 1.5
    fresh, _ = raw.initialize()
    activity = reply_of(raw.call(fresh, "tools/call", call_params("activity")))
    assert activity["result"]["structuredContent"]["result"][-1] == "long_wait cancelled"
    other.close()


# --- JSON responses and stateless mode -------------------------------------------------------


def test_json_response_mode(start):
    server = start(json_response=True)
    raw = RawClient(server)
    msg = raw.initialize_message()
    r = raw.post(msg, accept="application/json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["result"]["protocolVersion"] == LATEST
    session = r.headers["mcp-session-id"]
    assert raw.post(INITIALIZED, session, accept="application/json").status_code == 202
    with raw.stream("GET", None, session) as get:
        events = SseReader(get)
        assert events.next()["data"] == ""  # priming
        params = call_params("count_to", {"n": 2}, _meta={"progressToken": "j"})
        r = raw.call(session, "tools/call", params)
        assert r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert body["result"]["structuredContent"] == {"result": "counted to 2"}
        # A JSON body holds one message: what the call sent on the way went to the GET stream.
        progress = [events.next_message(), events.next_message()]
        assert [(m["method"], m["params"]["progress"]) for m in progress] == [
            ("notifications/progress", 1.0),
            ("notifications/progress", 2.0),
        ]
    # Still a bad request without any JSON in Accept.
    rpc_error(raw.post(raw.request_message("ping"), session, accept="text/event-stream"), 406)
    raw.close()


def test_stateless_mode_from_the_environment(start):
    server = start(env={"FASTMCP_STATELESS_HTTP": "true"})
    raw = RawClient(server)
    msg = raw.initialize_message()
    r = raw.post(msg)
    assert "mcp-session-id" not in r.headers
    assert reply_of(r)["result"]["serverInfo"]["name"] == "context-demo"
    # Every POST stands alone: no session header, no initialize needed.
    for _ in range(3):
        r = raw.post(raw.request_message("tools/call", call_params("count_to", {"n": 3})))
        assert "mcp-session-id" not in r.headers
        assert reply_of(r)["result"]["structuredContent"] == {"result": "counted to 3"}
    r = raw.post(raw.request_message("tools/list"), "made-up-session")
    assert len(reply_of(r)["result"]["tools"]) > 10
    assert raw.post(INITIALIZED).status_code == 202
    rpc_error(raw.get(), 405)
    rpc_error(raw.http.delete(raw.url), 405)
    raw.close()


def test_stateless_json_mode(start):
    server = start(stateless_http=True, json_response=True)
    raw = RawClient(server)
    r = raw.post(
        raw.request_message("tools/call", call_params("quick_ping")), accept="application/json"
    )
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["result"]["structuredContent"] == {"result": "pong"}
    raw.close()


# --- Host and Origin ---------------------------------------------------------------------------


def test_localhost_bind_checks_host_and_origin(raw, server):
    session, _ = raw.initialize()
    port = server.port

    def post(**extra):
        return raw.post(raw.request_message("ping"), session, extra=extra)

    for host in ("evil.example.com", f"evil.example.com:{port}", f"localhost.evil.com:{port}"):
        error = rpc_error(post(host=host), 421)
        assert "Host" in error["message"]
    for origin in ("http://evil.example.com", f"https://localhost.evil.com:{port}", "null"):
        error = rpc_error(post(origin=origin), 403)
        assert "Origin" in error["message"]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert reply_of(post(host=host))["result"] == {}
    for origin in ("http://localhost:5173", f"http://127.0.0.1:{port}", "http://localhost"):
        assert reply_of(post(origin=origin))["result"] == {}
    # The legacy endpoints are protected too.
    r = raw.http.get(server.url("/sse"), headers={"host": "evil.example.com"})
    assert r.status_code == 421


def test_custom_transport_security_lists(start):
    server = start(
        transport_security={
            "enable_dns_rebinding_protection": True,
            "allowed_hosts": ["mcp.example.com", "127.0.0.1:*"],
            "allowed_origins": ["https://app.example.com"],
        }
    )
    raw = RawClient(server)
    session, _ = raw.initialize()

    def status(**extra):
        return raw.post(raw.request_message("ping"), session, extra=extra).status_code

    assert status(host="mcp.example.com") == 200
    assert status(host="mcp.example.com:8080") == 421  # an exact entry: no other port
    assert status(host=f"localhost:{server.port}") == 421  # not in the custom list
    assert status(origin="https://app.example.com") == 200
    assert status(origin="http://localhost:3000") == 403
    assert status(origin="https://app.example.com:444") == 403
    raw.close()


def test_protection_disabled_or_open_bind(start):
    off = start(transport_security={"enable_dns_rebinding_protection": False})
    raw = RawClient(off)
    session, _ = raw.initialize()
    r = raw.post(
        raw.request_message("ping"),
        session,
        extra={"host": "evil.example.com", "origin": "http://evil.example.com"},
    )
    assert reply_of(r)["result"] == {}
    raw.close()
    # Bound to all interfaces without settings: no localhost-only protection.
    open_bind = start(host="0.0.0.0")
    raw = RawClient(open_bind)
    session, _ = raw.initialize()
    r = raw.post(raw.request_message("ping"), session, extra={"host": "mcp.example.org"})
    assert reply_of(r)["result"] == {}
    raw.close()


# --- idle sessions and the session limit -------------------------------------------------------


def test_idle_sessions_expire(start):
    server = start(session_idle_timeout=0.6)
    raw = RawClient(server)
    idle, _ = raw.initialize()
    busy, _ = raw.initialize()
    deadline = time.monotonic() + 1.6
    while time.monotonic() < deadline:
        assert reply_of(raw.call(busy, "ping"))["result"] == {}
        time.sleep(0.15)
    error = rpc_error(raw.call(idle, "ping"), 404)
    assert error["message"] == "Session not found"
    assert reply_of(raw.call(busy, "ping"))["result"] == {}
    raw.close()


def test_a_running_request_keeps_its_session(start):
    server = start(session_idle_timeout=0.3)
    raw = RawClient(server)
    session, _ = raw.initialize()
    r = raw.call(session, "tools/call", call_params("long_wait", {"seconds": 1.0}))
    assert reply_of(r)["result"]["content"][0]["text"] == "waited"
    raw.close()


def test_max_sessions(start):
    server = start(max_sessions=3)
    raw = RawClient(server)
    sessions = [raw.initialize()[0] for _ in range(3)]
    msg = raw.initialize_message()
    error = rpc_error(raw.post(msg), 503)
    assert "maximum of 3 sessions" in error["message"]
    # The existing sessions are unaffected; ending one makes room.
    assert reply_of(raw.call(sessions[0], "ping"))["result"] == {}
    assert raw.delete(sessions[1]).status_code == 200
    fresh, _ = raw.initialize()
    assert reply_of(raw.call(fresh, "ping"))["result"] == {}
    raw.close()


# --- legacy HTTP+SSE -------------------------------------------------------------------------


def test_legacy_sse_endpoint_and_messages(server):
    with httpx.Client(timeout=10) as http:
        with http.stream("GET", server.url("/sse"), headers={"accept": "text/event-stream"}) as sse:
            assert sse.status_code == 200
            assert sse.headers["content-type"].startswith("text/event-stream")
            events = SseReader(sse)
            endpoint = events.next()
            assert endpoint["event"] == "endpoint"
            found = re.fullmatch(r"/messages/\?session_id=([\x21-\x7e]+)", endpoint["data"])
            assert found, endpoint
            post_url = server.url(endpoint["data"])
            init = initialize_message(version="2024-11-05")
            r = http.post(post_url, json=init)
            assert r.status_code == 202
            event = events.next()
            assert event["event"] == "message"
            reply = json.loads(event["data"])
            assert reply["id"] == 1 and reply["result"]["protocolVersion"] == "2024-11-05"
            assert http.post(post_url, json=INITIALIZED).status_code == 202
            call = {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "tools/call",
                "params": call_params("count_to", {"n": 1}, _meta={"progressToken": 5}),
            }
            assert http.post(post_url, json=call).status_code == 202
            progress = json.loads(events.next()["data"])
            assert progress["method"] == "notifications/progress"
            result = json.loads(events.next()["data"])
            assert result["id"] == 2 and result["result"]["structuredContent"] == {
                "result": "counted to 1"
            }
            # Errors of the message endpoint.
            base = server.url("/messages/")
            assert http.post(base, json=call).status_code == 400
            assert http.post(base + "?session_id=unknown", json=call).status_code == 400
            assert http.post(base + "?session_id=" + "f" * 32, json=call).status_code == 404
            assert (
                http.post(
                    post_url, content=b"{oops", headers={"content-type": "application/json"}
                ).status_code
                == 400
            )
            # Still alive after those.
            assert (
                http.post(post_url, json={"jsonrpc": "2.0", "id": 3, "method": "ping"}).status_code
                == 202
            )
            assert json.loads(events.next()["data"]) == {"jsonrpc": "2.0", "id": 3, "result": {}}
        # The stream closed: its session is gone.
        deadline = time.monotonic() + 5
        while http.post(post_url, json=call).status_code != 404:
            assert time.monotonic() < deadline, "the legacy session outlived its stream"
            time.sleep(0.05)


def test_legacy_sessions_count_against_max_sessions(start):
    server = start(max_sessions=1)
    with httpx.Client(timeout=5) as http:
        with http.stream("GET", server.url("/sse")) as first:
            assert first.status_code == 200
            r = http.get(server.url("/sse"))
            assert r.status_code == 503
            assert "sessions" in r.text


def test_custom_paths(start):
    server = start(
        streamable_http_path="/rpc/mcp", sse_path="/events", message_path="/rpc/", mount_path="/api"
    )
    raw = RawClient(server)
    assert raw.url.endswith("/rpc/mcp")
    session, _ = raw.initialize()
    assert reply_of(raw.call(session, "ping"))["result"] == {}
    with httpx.Client(timeout=5) as http:
        assert http.post(server.url("/mcp"), json={}).status_code == 404
        # The legacy pair lives under the mount path; the endpoint event says where.
        with http.stream("GET", server.url("/api/events")) as sse:
            events = SseReader(sse)  # kept: dropping the reader closes the connection
            endpoint = events.next()
            assert endpoint["event"] == "endpoint"
            assert endpoint["data"].startswith("/api/rpc/?session_id=")
            ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            r = http.post(server.url(endpoint["data"]), json=ping)
            assert r.status_code == 202
            assert json.loads(events.next()["data"]) == {"jsonrpc": "2.0", "id": 1, "result": {}}
        assert http.get(server.url("/sse")).status_code == 404
    raw.close()


# --- shutdown and memory -----------------------------------------------------------------------


SHUTDOWN_SIGNALS = pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"]
)


@SHUTDOWN_SIGNALS
def test_a_signal_lets_running_calls_finish(start, signum):
    server = start()
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
        get_events, sse_events_ = SseReader(get), SseReader(sse)
        assert get_events.next()["data"] == "" and sse_events_.next()["event"] == "endpoint"
        thread = threading.Thread(target=slow_call)
        thread.start()
        time.sleep(0.4)
        sent = time.monotonic()
        server.proc.send_signal(signum)
        thread.join(timeout=10)
        assert "error" not in outcome, outcome
        reply = reply_of(outcome["response"])
        assert reply["result"]["structuredContent"] == {"result": "slept 1.2"}
        assert server.proc.wait(timeout=6) == 0, server.output()
        assert time.monotonic() - sent < 4
        assert get_events.next() is None and sse_events_.next() is None
    # A clean exit: no traceback (SIGINT is not a KeyboardInterrupt here).
    assert "Traceback" not in server.output(), server.output()
    # Nothing listens any more.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=1):
        pass
    raw.close()


@SHUTDOWN_SIGNALS
def test_a_signal_does_not_wait_past_the_grace_period(start, signum):
    """Calls still running when the grace period (5 s) ends are given up, sync ones too:
    the process exits anyway, their streams end without a reply."""
    server = start()
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
        server.proc.send_signal(signum)
        assert server.proc.wait(timeout=15) == 0, server.output()
        assert time.monotonic() - sent < 9
        for events in streams:
            assert list(events) == []
    raw.close()


@pytest.mark.parametrize("ending", ["DELETE", "idle timeout"])
def test_memory_returns_after_sessions_end(start, ending):
    reaped = ending == "idle timeout"
    server = start(session_idle_timeout=0.5) if reaped else start()
    raw = RawClient(server)

    def churn(count: int) -> None:
        ended = []
        for _ in range(count):
            session, _ = raw.initialize()
            reply = reply_of(
                raw.call(
                    session,
                    "tools/call",
                    call_params("count_to", {"n": 2}, _meta={"progressToken": 1}),
                )
            )
            assert reply["result"]["structuredContent"] == {"result": "counted to 2"}
            if reaped:
                ended.append(session)
            else:
                assert raw.delete(session).status_code == 200
        if reaped:
            time.sleep(1.2)  # past the timeout and the next reaper round
            for session in ended[::10]:
                assert rpc_error(raw.call(session, "ping"), 404)["message"] == "Session not found"

    churn(100)  # warm up: allocator pools, interned strings, lazy imports
    before = server.rss_kib()
    churn(500)
    middle = server.rss_kib()
    churn(500)
    after = server.rss_kib()
    # Flat in practice (a few kB per round); a leak of 2 kB per session would be 1 MB.
    assert after - middle < 1024, (before, middle, after)
    assert after - before < 2048, (before, middle, after)
    raw.close()
