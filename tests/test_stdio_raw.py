"""Byte-level JSON-RPC over stdio: the ferromcp flavour driven by a plain subprocess.

No client library here: we write lines ourselves to check what a real client never sends
(malformed JSON, bad envelopes, batches) and what happens at the end of the stream.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(60)


def assert_alive(server) -> None:
    """After any bad input the server must still answer."""
    reply = server.request("ping")
    assert reply.get("result") == {}, reply


def assert_error(reply: dict, code: int, rid=...) -> None:
    assert reply.get("jsonrpc") == "2.0", reply
    assert "result" not in reply, reply
    assert reply["error"]["code"] == code, reply
    assert isinstance(reply["error"]["message"], str) and reply["error"]["message"]
    if rid is ...:
        return
    if rid is None:
        assert "id" not in reply, f"an unreadable id must be omitted: {reply}"
    else:
        assert reply.get("id") == rid, reply


# --- envelope errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping"',
        b"not json at all",
        b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}}',
        b"\xff\xfe{}",
    ],
    ids=["truncated", "text", "trailing-brace", "bad-utf8"],
)
def test_malformed_json_is_parse_error(raw_server, line):
    server = raw_server()
    server.initialize()
    server.write_line(line)
    assert_error(server.read(), -32700, rid=None)
    assert_alive(server)


@pytest.mark.parametrize(
    "message, rid",
    [
        ({"jsonrpc": "1.0", "id": 5, "method": "ping"}, 5),
        ({"id": 6, "method": "ping"}, 6),
        ({"jsonrpc": "2.0", "id": 7, "method": 42}, 7),
        ({"jsonrpc": "2.0", "id": 8, "method": "ping", "params": "nope"}, 8),
        ({"jsonrpc": "2.0", "id": "s-9"}, "s-9"),
        ({"jsonrpc": "2.0", "id": None, "method": "ping"}, None),
        ({"jsonrpc": "2.0", "id": {"a": 1}, "method": "ping"}, None),
        ({"jsonrpc": "2.0", "id": [1], "method": "ping"}, None),
        ("a string", None),
        (12345, None),
        ([], None),
    ],
    ids=[
        "wrong-version",
        "no-jsonrpc",
        "method-not-string",
        "params-string",
        "no-method",
        "null-id",
        "object-id",
        "array-id",
        "string-message",
        "number-message",
        "empty-batch",
    ],
)
def test_invalid_request(raw_server, message, rid):
    server = raw_server()
    server.initialize()
    server.send(message)
    assert_error(server.read(), -32600, rid=rid)
    assert_alive(server)


def test_unknown_method(raw_server):
    server = raw_server()
    server.initialize()
    assert_error(server.request("tools/frobnicate", {}), -32601)
    reply = server.request("no/such/method")
    assert_error(reply, -32601)
    assert isinstance(reply["id"], int)
    assert_alive(server)


def test_ids_are_echoed_exactly(raw_server):
    server = raw_server()
    server.initialize()
    for rid in ["abc", "", 0, -1, 2**53, "42"]:
        server.send({"jsonrpc": "2.0", "id": rid, "method": "ping"})
        reply = server.read_reply(rid)
        assert reply == {"jsonrpc": "2.0", "id": rid, "result": {}}


def test_notifications_and_stray_responses_get_no_reply(raw_server):
    server = raw_server("context_server")
    server.initialize()
    server.send({"jsonrpc": "2.0", "method": "notifications/unknown", "params": {"x": 1}})
    server.send({"jsonrpc": "2.0", "method": "notifications/roots/list_changed"})
    server.send({"jsonrpc": "2.0", "id": 99999, "result": {}})
    server.send({"jsonrpc": "2.0", "id": 99998, "error": {"code": -1, "message": "x"}})
    server.write_line(b"")
    server.write_line(b"   ")
    assert server.no_output(0.5), "notifications, responses and blank lines need no reply"
    assert_alive(server)
    # ctx.request_id is the id as a string, as in the SDK.
    server.send({"jsonrpc": "2.0", "id": 77, "method": "tools/call", "params": {"name": "whoami"}})
    assert server.read_reply(77)["result"]["content"] == [{"type": "text", "text": "request 77"}]


def test_ping_before_initialize(raw_server):
    server = raw_server()
    assert server.request("ping") == {"jsonrpc": "2.0", "id": 1000, "result": {}}
    assert server.initialize()["result"]["protocolVersion"] == "2025-06-18"


def test_line_framing(raw_server):
    server = raw_server()
    server.initialize()
    # CRLF line endings, as some clients on Windows write them.
    server.proc.stdin.write(b'{"jsonrpc": "2.0", "id": "crlf", "method": "ping"}\r\n')
    server.proc.stdin.flush()
    assert server.read_reply("crlf")["result"] == {}
    # One message arriving in pieces.
    message = json.dumps(
        {"jsonrpc": "2.0", "id": "split", "method": "tools/call", "params": {"name": "noop"}}
    ).encode()
    for piece in (message[:10], message[10:40], message[40:] + b"\n"):
        server.proc.stdin.write(piece)
        server.proc.stdin.flush()
        time.sleep(0.1)
    assert server.read_reply("split")["result"]["isError"] is False
    # Two messages in one write.
    server.proc.stdin.write(
        b'{"jsonrpc": "2.0", "id": "a", "method": "ping"}\n'
        b'{"jsonrpc": "2.0", "id": "b", "method": "ping"}\n'
    )
    server.proc.stdin.flush()
    assert {server.read()["id"], server.read()["id"]} == {"a", "b"}


def test_multi_megabyte_messages_both_ways(raw_server):
    """Large requests and replies cross intact (the server widens both pipes for them) and
    the framing of the messages around them is unaffected."""
    server = raw_server()
    server.initialize()
    for round_ in range(2):
        text = f"{round_}:" + 'x"\\\n\u00e9\u65e5' * 400_000  # ~3 MB of escapes and UTF-8
        reply = server.request("tools/call", {"name": "plain_text", "arguments": {"text": text}})
        assert reply["result"]["content"] == [{"type": "text", "text": f"plain: {text}"}]
        assert server.request("ping")["result"] == {}


def compact(message: Any) -> bytes:
    """A message as ferromcp writes it: compact JSON, UTF-8 unescaped, one line."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


# Long ASCII, long UTF-8, and exactly at the length from which a clean text is sent from the
# string object itself rather than copied into the reply.
LONG_CLEAN_TEXTS = [
    "ab" * 150_000,
    "\u00e9\u2713-" * 100_000,
    "x" * (64 * 1024),
    "y" * (64 * 1024 - 1),
]


def shout_reply(rid: Any, text: str) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": rid,
        "result": {
            "content": [{"type": "text", "text": text}],
            "structuredContent": {"result": text},
            "isError": False,
        },
    }


def test_long_clean_texts_are_byte_exact(raw_server):
    """Long texts with nothing to escape go out twice (content and structured output) without
    being copied into the reply; the line on the wire is still exactly the compact JSON."""
    server = raw_server()
    server.initialize()
    for i, text in enumerate(LONG_CLEAN_TEXTS):
        server.send(
            {
                "jsonrpc": "2.0",
                "id": i,
                "method": "tools/call",
                "params": {"name": "shout", "arguments": {"text": text, "loud": False}},
            }
        )
        line = server.lines.get(timeout=10)
        assert line == compact(shout_reply(i, text)), f"text {i}: {line[:120]!r}"
    assert server.request("ping")["result"] == {}


def test_long_clean_text_inside_a_batch(raw_server):
    server = raw_server()
    server.initialize("2025-03-26")
    text = LONG_CLEAN_TEXTS[1]
    call = {"name": "shout", "arguments": {"text": text, "loud": False}}
    server.send(
        [
            {"jsonrpc": "2.0", "id": "big", "method": "tools/call", "params": call},
            {"jsonrpc": "2.0", "id": "p", "method": "ping"},
        ]
    )
    replies = server.read()
    assert sorted(replies, key=lambda r: r["id"]) == [
        shout_reply("big", text),
        {"jsonrpc": "2.0", "id": "p", "result": {}},
    ]


# --- batches -------------------------------------------------------------------------


BATCH = [
    {"jsonrpc": "2.0", "id": 1, "method": "ping"},
    {
        "jsonrpc": "2.0",
        "method": "notifications/progress",
        "params": {"progressToken": 1, "progress": 1},
    },
    {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "add", "arguments": {"a": 1, "b": 2}},
    },
    {"jsonrpc": "2.0", "id": 3, "method": "no/such"},
]


@pytest.mark.parametrize("version", ["2024-11-05", "2025-06-18", "2025-11-25"])
def test_batch_rejected_outside_2025_03_26(raw_server, version):
    server = raw_server()
    assert server.initialize(version)["result"]["protocolVersion"] == version
    server.send(BATCH)
    reply = server.read()
    assert isinstance(reply, dict), f"a batch must not be answered with an array in {version}"
    assert_error(reply, -32600, rid=None)
    assert server.no_output(0.3), "no element of a rejected batch may run"
    assert_alive(server)


def test_batch_before_initialize_is_rejected(raw_server):
    server = raw_server()
    server.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])
    assert_error(server.read(), -32600, rid=None)
    assert server.initialize("2025-03-26")["result"]["protocolVersion"] == "2025-03-26"


def test_batch_answered_as_array_in_2025_03_26(raw_server):
    server = raw_server()
    assert server.initialize("2025-03-26")["result"]["protocolVersion"] == "2025-03-26"
    server.send(BATCH + [{"jsonrpc": "1.0", "id": 4, "method": "ping"}])
    reply = server.read()
    assert isinstance(reply, list), reply
    by_id = {r.get("id"): r for r in reply}
    assert sorted(by_id, key=str) == [1, 2, 3, 4], "one reply per request, none for notifications"
    assert by_id[1]["result"] == {}
    assert by_id[2]["result"]["structuredContent"] == {"result": 3}
    assert_error(by_id[3], -32601, rid=3)
    assert_error(by_id[4], -32600, rid=4)
    # A batch of notifications only gets no reply at all.
    server.send([{"jsonrpc": "2.0", "method": "notifications/unknown"}])
    assert server.no_output(0.3)
    assert_alive(server)


# --- tools/call params ---------------------------------------------------------------


def test_tools_call_without_arguments_means_empty(raw_server):
    server = raw_server()
    server.initialize()
    reply = server.request("tools/call", {"name": "noop"})
    assert reply["result"] == {
        "content": [],
        "structuredContent": {"result": None},
        "isError": False,
    }
    reply = server.request("tools/call", {"name": "multiply"})
    assert reply["result"]["isError"] is True, "a missing required argument is a tool error"
    reply = server.request("tools/call", {"name": "noop", "arguments": None})
    assert reply["result"]["isError"] is False


def test_unknown_tool_is_invalid_params(raw_server):
    server = raw_server()
    server.initialize()
    reply = server.request("tools/call", {"name": "definitely_not_a_tool", "arguments": {}})
    assert_error(reply, -32602)
    assert reply["error"]["message"] == "Unknown tool: definitely_not_a_tool"
    assert_alive(server)


@pytest.mark.parametrize(
    "params",
    [
        {"name": "add", "arguments": [1, 2]},
        {"name": "add", "arguments": '{"a": 1, "b": 2}'},
        {"name": "add", "arguments": 3},
        {"name": 5, "arguments": {}},
        {"arguments": {}},
        ["add", {"a": 1}],
    ],
    ids=["args-list", "args-string", "args-number", "name-number", "no-name", "params-array"],
)
def test_bad_tools_call_params_are_invalid_params(raw_server, params):
    server = raw_server()
    server.initialize()
    assert_error(server.request("tools/call", params), -32602)
    assert_alive(server)


@pytest.mark.parametrize(
    "tool, arguments, method",
    [
        ("summarize", {"text": "x"}, "sampling/createMessage"),
        ("book_table", {"date": "today"}, "elicitation/create"),
        ("client_roots", {}, "roots/list"),
    ],
)
def test_no_request_to_a_client_without_the_capability(raw_server, tool, arguments, method):
    server = raw_server("context_server")
    server.initialize(capabilities={})
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 5,
            "method": "tools/call",
            "params": {"name": tool, "arguments": arguments},
        }
    )
    msg = server.read(timeout=10)
    assert msg.get("method") != method, f"the client did not declare what {method} needs"
    assert msg.get("id") == 5, msg
    assert msg["result"]["isError"] is True
    assert_alive(server)


# --- shutdown ------------------------------------------------------------------------


def _exit_time(server) -> float:
    start = time.monotonic()
    server.close_stdin()
    try:
        server.proc.wait(timeout=5)
    except Exception:  # noqa: BLE001 - turned into the assertion below
        return float("inf")
    return time.monotonic() - start


def test_exits_on_stdin_eof(raw_server):
    server = raw_server()
    server.initialize()
    assert_alive(server)
    elapsed = _exit_time(server)
    assert elapsed < 5, f"still running 5s after stdin EOF; stderr: {server.stderr()[-1000:]}"
    assert server.proc.returncode == 0, server.stderr()[-2000:]


def test_exits_on_eof_before_initialize(raw_server):
    server = raw_server()
    assert _exit_time(server) < 5


@pytest.mark.parametrize("tool", ["slow_report", "long_wait"])
def test_exits_on_eof_with_a_slow_tool_running(raw_server, tool):
    server = raw_server("context_server")
    server.initialize()
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 9,
            "method": "tools/call",
            "params": {"name": tool, "arguments": {"seconds": 30}},
        }
    )
    time.sleep(0.5)
    elapsed = _exit_time(server)
    assert elapsed < 5, (
        f"{tool} kept the process alive after EOF; stderr: {server.stderr()[-1000:]}"
    )
    # Whatever was written before exit must still be valid JSON lines.
    while True:
        line = server.lines.get(timeout=2)
        if line is None:
            break
        json.loads(line)


def test_exits_on_eof_while_waiting_for_the_client(raw_server):
    server = raw_server("context_server")
    server.initialize(capabilities={"sampling": {}})
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 11,
            "method": "tools/call",
            "params": {"name": "summarize", "arguments": {"text": "x"}},
        }
    )
    asked = server.read()
    assert asked["method"] == "sampling/createMessage"
    # Never answer: the pending server->client request must not keep the process alive.
    assert _exit_time(server) < 5, server.stderr()[-1000:]


def test_exits_on_sigterm_with_a_slow_tool_running(raw_server):
    server = raw_server("context_server")
    server.initialize()
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 12,
            "method": "tools/call",
            "params": {"name": "slow_report", "arguments": {"seconds": 30}},
        }
    )
    time.sleep(0.5)
    start = time.monotonic()
    server.proc.terminate()
    try:
        server.proc.wait(timeout=5)
    except Exception:  # noqa: BLE001 - turned into the assertion below
        pass
    assert server.proc.poll() is not None, "still running 5s after SIGTERM"
    assert time.monotonic() - start < 5
