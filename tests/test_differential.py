"""Differential tests: each server file runs under the official SDK v1 and under ferromcp
(only the import lines rewritten); the wire output must match field by field. Every
comparison runs over stdio, Streamable HTTP and legacy SSE (the official clients of each).

Every step of a script below is sent as the same raw JSON-RPC request, in the same order,
to both processes (so request ids, and anything derived from them, line up). A step's
reply and the notifications/server->client requests that arrived while it ran are compared.

Allowed differences are listed where they are asserted; every other field must be equal:
- initialize: serverInfo.version (SDK: the mcp package version; ferromcp: its own) and the
  capability flags ferromcp sets because it implements more (see test_initialize_matches).
- Unknown tool / resource / prompt and a missing prompt argument: ferromcp follows the spec
  (-32602 / -32002 JSON-RPC errors) where v1 answers an isError result or code 0; the message
  text stays v1's (test_*_follows_spec).
- Errors raised while reading a resource or rendering a prompt: v1 uses code 0; ferromcp may
  use -32603 (internal error), or -32602 for an argument the prompt does not take. The
  message text must match.
- logging/setLevel and resources/subscribe: v1's FastMCP does not implement them (-32601)
  unless the server registers low-level handlers on `mcp._mcp_server` (hooks_server; v1
  then declares `logging` too).
- list_changed: ferromcp sends one on its own whenever the registry changes at run time
  (v1 sends only what the code sends explicitly), so a tool that also calls
  send_tool_list_changed() may cause two.
- notifications/resources/updated: v1 has no subscriptions and sends it to everyone; only
  the tool result is compared here (tests/test_stdio_interop.py checks delivery to
  subscribers).
- Over HTTP, v1 sends what `ctx.session` sends outside a request's context (resource
  updates, `send_tool_list_changed()`), and ferromcp its own registry-change
  announcements, on the standalone GET stream, which may overtake or trail the POST's
  reply: for those steps the messages of a short while after the reply count as the
  step's too.
- `chatty` (print() inside a tool) is not compared: under v1 the printed line corrupts
  stdout, which is the bug ferromcp fixes (covered by the interop suite).
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from http_harness import HttpServer, connect_http
from stdio_harness import Connection, connect

pytestmark = pytest.mark.timeout(180)

Step = tuple[str, str, dict[str, Any] | None]


def call(label: str, tool: str, arguments: dict[str, Any] | None = None, **extra: Any) -> Step:
    params: dict[str, Any] = {"name": tool, **extra}
    if arguments is not None:
        params["arguments"] = arguments
    return (label, "tools/call", params)


def read(label: str, uri: str) -> Step:
    return (label, "resources/read", {"uri": uri})


def prompt(label: str, name: str, arguments: dict[str, str] | None = None) -> Step:
    params: dict[str, Any] = {"name": name}
    if arguments is not None:
        params["arguments"] = arguments
    return (label, "prompts/get", params)


def complete(label: str, ref: dict, name: str, value: str, context: dict | None = None) -> Step:
    params: dict[str, Any] = {"ref": ref, "argument": {"name": name, "value": value}}
    if context is not None:
        params["context"] = context
    return (label, "completion/complete", params)


LISTS: list[Step] = [
    ("tools/list", "tools/list", {}),
    ("resources/list", "resources/list", {}),
    ("resources/templates/list", "resources/templates/list", {}),
    ("prompts/list", "prompts/list", {}),
]

POLYGON = {"name": "square", "points": [{"x": 0, "y": 0}, {"x": 2, "y": 0}, {"x": 2, "y": 2}]}

TOOLS_STEPS: list[Step] = [
    call("add", "add", {"a": 2, "b": 3}),
    call("add: '5' for an int", "add", {"a": 1, "b": "5"}),
    call("add: extra keys ignored", "add", {"a": 1, "b": 2, "c": 99, "verbose": True}),
    call("add: missing argument", "add", {"a": 1}),
    call("add: not a number", "add", {"a": 1, "b": "five"}),
    call("add: float for an int", "add", {"a": 1.5, "b": 2}),
    call("add: integral float", "add", {"a": 2.0, "b": 2}),
    call("add: beyond 64 bits", "add", {"a": 2**64 + 1, "b": 1}),
    call("add: negative beyond 64 bits", "add", {"a": -(2**63) - 5, "b": -1}),
    call("multiply: default", "multiply", {"a": 4}),
    call("multiply: async", "multiply", {"a": 1.5, "b": 3}),
    call("divide: by zero", "divide", {"a": 1, "b": 0}),
    call("divide", "divide", {"a": 1, "b": 4}),
    call("is_even: '4'", "is_even", {"n": "4"}),
    call("greet: defaults", "greet", {"name": "Ada"}),
    call("greet: literal", "greet", {"name": "Ada", "greeting": "Hi", "punctuation": "?"}),
    call("greet: bad literal", "greet", {"name": "Ada", "punctuation": ";"}),
    call("shout: 'false' for a bool", "shout", {"text": "hey", "times": "2", "loud": "false"}),
    call("shout: unicode", "shout", {"text": "héllo wörld ✓ 日本 🎉", "loud": True}),
    call("shout: control characters", "shout", {"text": 'a\nb\t"c"\\', "loud": False}),
    call(
        "shout: an 800 KB reply mixing escapes and unicode",
        "shout",
        {"text": 'line\n\t"quoted" \\ \u0001 é 日本 🎉', "times": 20000, "loud": False},
    ),
    call("plain_text: structured_output=False", "plain_text", {"text": "x"}),
    call("legacy_echo: unannotated", "legacy_echo", {"value": "v", "suffix": "!"}),
    call("noop: returns None", "noop", {}),
    call("noop: no arguments key", "noop"),
    call("split_words", "split_words", {"text": "a b c d"}),
    call("split_words: limit", "split_words", {"text": "a b c d", "limit": 2}),
    call("split_words: limit '3'", "split_words", {"text": "a b c d", "limit": "3"}),
    call("split_words: empty list", "split_words", {"text": "   "}),
    call("total", "total", {"numbers": [1, 2, 3.5]}),
    call("total: JSON string list", "total", {"numbers": "[1, 2, 3]"}),
    call("total: not a list", "total", {"numbers": "nope"}),
    call("stats: bare dict", "stats", {"numbers": [3, 1, 2]}),
    call("stats: raises ValueError", "stats", {"numbers": []}),
    call("word_lengths: dict[str, int]", "word_lengths", {"words": ["a", "abc"]}),
    call("describe_config", "describe_config", {"config": {"b": 1, "a": [1, 2]}}),
    call(
        "describe_config: JSON string", "describe_config", {"config": '{"z": null}', "verbose": 1}
    ),
    call("measure: model", "measure", {"polygon": POLYGON}),
    call("measure: model as JSON string", "measure", {"polygon": json.dumps(POLYGON)}),
    call("measure: invalid model", "measure", {"polygon": {"name": "x", "points": [{"x": 1}]}}),
    call("stock_level: TypedDict", "stock_level", {"item": "bolt", "counts": {"bolt": 3}}),
    call("forecast: dataclass", "forecast", {"city": "Oslo"}),
    call("forecast: literal + bound", "forecast", {"city": "Oslo", "days": 2, "units": "imperial"}),
    call("forecast: out of range", "forecast", {"city": "Oslo", "days": 9}),
    call("list_points: list of models", "list_points", {"count": 3}),
    call("swatch: Image", "swatch", {"width": 2, "height": 1}),
    call("captioned_swatch: text + image", "captioned_swatch", {"caption": "blue"}),
    call("raw_block: content block", "raw_block", {"text": "t"}),
    call("withdraw", "withdraw", {"amount": 5}),
    call("withdraw: ToolError", "withdraw", {"amount": 500}),
    call("fail_async: exception", "fail_async", {"reason": "disk full"}),
    call("pow: add_tool", "pow", {"base": 3}),
    ("ping", "ping", None),
]

CONTEXT_STEPS: list[Step] = [
    call("log_all_levels", "log_all_levels", {}),
    call("log_with_logger", "log_with_logger", {"message": "audit me"}),
    call("count_to: progress", "count_to", {"n": 3}, _meta={"progressToken": "tok-1"}),
    call("count_to: int progress token", "count_to", {"n": 2}, _meta={"progressToken": 77}),
    call("count_to: no progress token", "count_to", {"n": 2}),
    call("read_settings: ctx.read_resource", "read_settings", {}),
    call("summarize: sampling", "summarize", {"text": "a long story"}),
    call("summarize: client rejects sampling", "summarize", {"text": "[reject] this"}),
    call("book_table: form elicitation", "book_table", {"date": "2025-06-01"}),
    call("book_table: declined", "book_table", {"date": "[decline]"}),
    call("book_table: cancelled", "book_table", {"date": "[cancel]"}),
    call("book_table: content fails the schema", "book_table", {"date": "[invalid]"}),
    call("book_table: client answers an error", "book_table", {"date": "[error]"}),
    call("connect_account: URL elicitation", "connect_account", {"service": "github"}),
    call("client_roots: roots/list", "client_roots", {}),
    call("whoami: request id", "whoami", {}),
    call("request_header: sent by the client", "request_header", {"name": "X-Differential"}),
    call("request_header: not sent", "request_header", {"name": "x-absent"}),
    call("user_role: lifespan context", "user_role", {"user": "alice"}),
    call("user_role: unknown user", "user_role", {"user": "zed"}),
    call("quick_ping", "quick_ping", {}),
    call("slow_report: short", "slow_report", {"seconds": 0.05}),
    read("read config://settings", "config://settings"),
]

RESOURCES_STEPS: list[Step] = [
    read("readme: str", "weather://readme"),
    read("stations: list -> JSON", "weather://stations"),
    read("logo: bytes -> blob", "weather://logo.png"),
    read("alerts: async + mime", "weather://alerts"),
    read("status: dict -> JSON", "weather://status"),
    read("template: one param", "weather://london/current"),
    read("template: two params, int coercion", "weather://Lisbon/forecast/5"),
    read("template: with Context", "github://repos/modelcontextprotocol/python-sdk"),
    read("template: percent-encoded value", "weather://New%20York/forecast/2"),
    prompt("weather_report", "weather_report", {"city": "Oslo"}),
    prompt("weather_report: both args", "weather_report", {"city": "Oslo", "style": "detailed"}),
    complete(
        "complete: template city",
        {"type": "ref/resource", "uri": "weather://{city}/current"},
        "city",
        "b",
    ),
    complete(
        "complete: template no match",
        {"type": "ref/resource", "uri": "weather://{city}/current"},
        "city",
        "zz",
    ),
    complete(
        "complete: with context",
        {"type": "ref/resource", "uri": "github://repos/{owner}/{repo}"},
        "repo",
        "",
        {"arguments": {"owner": "modelcontextprotocol"}},
    ),
    complete("complete: prompt", {"type": "ref/prompt", "name": "weather_report"}, "style", "d"),
    complete("complete: handler returns None", {"type": "ref/prompt", "name": "other"}, "x", ""),
    complete(
        "complete: no isinstance check",
        {"type": "ref/resource", "uri": "weather://{city}/current"},
        "units",
        "",
    ),
]

PROMPTS_STEPS: list[Step] = [
    prompt("review_code: str", "review_code", {"code": "print(1)"}),
    prompt("debug_error: messages", "debug_error", {"error": "KeyError: 'x'"}),
    prompt("translate: defaults", "translate", {"text": "hello"}),
    prompt(
        "translate: bool from string",
        "translate",
        {"text": "hi", "language": "German", "formal": "true"},
    ),
    prompt("plan_trip: async dicts", "plan_trip", {"destination": "Rome", "days": "5"}),
    prompt("describe_image: no arguments", "describe_image"),
    prompt("describe_image: empty arguments", "describe_image", {}),
    (
        "completion without a handler",
        "completion/complete",
        {
            "ref": {"type": "ref/prompt", "name": "review_code"},
            "argument": {"name": "code", "value": ""},
        },
    ),
]

MEETING = {"title": "Sync", "day": "2025-03-14"}

SCHEDULER_STEPS: list[Step] = [
    call("schedule: defaults", "schedule", MEETING),
    call(
        "schedule: everything",
        "schedule",
        {
            **MEETING,
            "hour": "15",
            "priority": "high",
            "attendees": [{"email": "a@x.org"}, {"email": "b@x.org", "optional": True}],
            "budget": "125.50",
        },
    ),
    call(
        "schedule: attendees as JSON string",
        "schedule",
        {**MEETING, "attendees": '[{"email": "c@x.org"}]'},
    ),
    call("schedule: bad date", "schedule", {"title": "x", "day": "14/03/2025"}),
    call("schedule: bad enum", "schedule", {**MEETING, "priority": "urgent"}),
    call("schedule: hour out of range", "schedule", {**MEETING, "hour": 24}),
    call("next_weekday: date return", "next_weekday", {"day": "2025-03-14"}),
    call("lookup: int", "lookup", {"key": 42}),
    call("lookup: str", "lookup", {"key": "abc"}),
    call("lookup: numeric str", "lookup", {"key": "42"}),
    call("set_label", "set_label", {"label": "team-a"}),
    call("set_label: pattern violated", "set_label", {"label": "Team A"}),
    call("set_label: too short", "set_label", {"label": "a"}),
    call("min_max: tuple", "min_max", {"numbers": [3, 9, 1]}),
    call("squares: list[int]", "squares", {"n": 4}),
    call("find_room: found", "find_room", {"name": "blue"}),
    call("find_room: None", "find_room", {"name": "red"}),
    call(
        "check_payload: clashing names",
        "check_payload",
        {"json": "{}", "schema": {"a": 1}, "copy": True},
    ),
    call("tags: default_factory", "tags", {}),
    call("tags", "tags", {"items": ["b", "a", "b"]}),
    call("chime: Context first, Audio", "chime", {"times": 2}),
    call("attach_agenda: content blocks", "attach_agenda", {"title": "q1"}),
    read("agenda template", "agenda://q1"),
    read("agenda attachment: bytes template", "agenda://q1/attachment"),
    prompt("prepare: Context, single message", "prepare", {"title": "q1"}),
    prompt("recap: mixed messages", "recap", {"title": "q1"}),
]

HOOKS_STEPS: list[Step] = [
    ("logging/setLevel -> user handler", "logging/setLevel", {"level": "info"}),
    ("subscribe -> user handler", "resources/subscribe", {"uri": "watch://feed"}),
    ("subscribe another", "resources/subscribe", {"uri": "watch://other"}),
    ("unsubscribe -> user handler", "resources/unsubscribe", {"uri": "watch://other"}),
    call("watch_state: what the handlers saw", "watch_state", {}),
]

LINKS_STEPS: list[Step] = [
    read("file: as the decorator spells it", "file://notes.txt"),
    read("file: as listed", "file://notes.txt/"),
    read("https: upper-case host, default port", "HTTPS://EXAMPLE.com:443/docs"),
    read("https: as listed", "https://example.com/docs"),
    read("https template: host case", "https://EXAMPLE.COM/users/7"),
]

SCRIPTS: dict[str, list[Step]] = {
    "tools_server": LISTS + TOOLS_STEPS,
    "context_server": LISTS + CONTEXT_STEPS,
    "resources_server": LISTS + RESOURCES_STEPS,
    "prompts_server": LISTS + PROMPTS_STEPS,
    "scheduler_server": LISTS + SCHEDULER_STEPS,
    "hooks_server": LISTS + HOOKS_STEPS,
    "links_server": LISTS + LINKS_STEPS,
}

# Servers that register a low-level setLevel handler: v1 then declares logging too.
LOW_LEVEL_HOOKS = {"hooks_server"}

# Steps whose outcome differs on purpose; each is asserted by a dedicated test below.
DELIBERATE: dict[str, list[Step]] = {
    "tools_server": [
        call("unknown tool", "no_such_tool", {}),
        call("removed tool", "temporary", {}),
        ("logging/setLevel", "logging/setLevel", {"level": "warning"}),
        ("resources/subscribe", "resources/subscribe", {"uri": "weather://readme"}),
    ],
    "context_server": [
        call("enable_admin_tools", "enable_admin_tools", {}),
        ("tools/list after add_tool", "tools/list", {}),
        call("purge_cache: added at run time", "purge_cache", {"confirm": True}),
        call("touch_resource", "touch_resource", {"uri": "config://settings"}),
        call("disable_admin_tools", "disable_admin_tools", {}),
        ("tools/list after remove_tool", "tools/list", {}),
        call("publish_note", "publish_note", {"slug": "groceries", "text": "milk, eggs"}),
        ("resources/list after publish", "resources/list", {}),
        ("prompts/list after publish", "prompts/list", {}),
        read("read published note", "notes://groceries"),
        prompt("get published prompt", "discuss-groceries"),
    ],
    "resources_server": [
        read("unknown resource", "weather://nowhere"),
        read("no template matches", "weather://a/b/c/d"),
        read("resource raises", "weather://broken"),
        read("template function raises", "weather://Paris/current"),
        read("template parameter not an int", "weather://Oslo/forecast/soon"),
    ],
    "scheduler_server": [],
    "hooks_server": [
        ("subscribe: user handler raises", "resources/subscribe", {"uri": "secret://plans"}),
    ],
    "links_server": [read("unknown file resource", "file://missing")],
    "prompts_server": [
        prompt("unknown prompt", "no_such_prompt", {}),
        prompt("missing argument", "review_code", {}),
        prompt("prompt raises", "broken_prompt", {"topic": "cats"}),
        prompt("prompt: unexpected argument", "translate", {"text": "hi", "mood": "happy"}),
        prompt("prompt: argument not an int", "plan_trip", {"destination": "Rome", "days": "x"}),
    ],
}


# --- recording -----------------------------------------------------------------------


@dataclass
class Transcript:
    init: dict[str, Any]
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    """label -> wire reply (or {"no reply": why})."""
    during: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """label -> server notifications and requests that arrived while the step ran."""
    client_errors: list[str] = field(default_factory=list)
    stderr: str = ""


TRANSPORTS = ("stdio", "streamable-http", "sse")
# Every HTTP request of the differential client carries this header.
CLIENT_HEADERS = {"X-Differential": "sent by the test client"}
# Steps that send on the standalone stream over HTTP (see the module doc).
STANDALONE_STREAM_STEPS = {
    "touch_resource",
    "enable_admin_tools",
    "disable_admin_tools",
    "publish_note",
}


async def run_script(script: Path, flavour: str, transport: str, steps: list[Step]) -> Transcript:
    if transport == "stdio":
        async with connect(script) as conn:
            return await run_steps(conn, transport, steps)
    server = await anyio.to_thread.run_sync(
        lambda: HttpServer(script, flavour=flavour, transport=transport)
    )
    try:
        async with connect_http(server, transport, headers=CLIENT_HEADERS) as conn:
            return await run_steps(conn, transport, steps)
    finally:
        await anyio.to_thread.run_sync(server.stop)


async def run_steps(conn: Connection, transport: str, steps: list[Step]) -> Transcript:
    transcript = Transcript(init=conn.messages[0]["result"])
    for label, method, params in steps:
        settle = 0.3 if transport != "stdio" and label in STANDALONE_STREAM_STEPS else 0
        await run_step(conn, transcript, label, method, params, settle)
    transcript.client_errors = [repr(e) for e in conn.client_errors]
    transcript.stderr = conn.stderr()
    return transcript


async def run_step(
    conn: Connection,
    t: Transcript,
    label: str,
    method: str,
    params: dict | None,
    settle: float = 0,
) -> None:
    start = len(conn.messages)
    rid = await conn.send_request(method, params)
    try:
        t.replies[label] = await conn.wait_response(rid, timeout=10)
    except (TimeoutError, ConnectionError) as exc:
        t.replies[label] = {"no reply": repr(exc)}
    if settle:
        await anyio.sleep(settle)
        during = [
            m for m in conn.messages[start:] if not (m.get("id") == rid and "method" not in m)
        ]
    else:
        during = conn.messages_between(start, rid)
    t.during[label] = [
        {"method": m["method"], "params": m.get("params")} for m in during if "method" in m
    ]


_TRANSCRIPTS: dict[tuple[str, str], dict[str, Transcript | BaseException]] = {}


@pytest.fixture(scope="module", params=TRANSPORTS)
def transport(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def transcripts(server_path, transport):
    """transcripts(server) -> (sdk, ferromcp) transcripts, recorded once per server file
    and transport."""

    def get(server: str) -> tuple[Transcript, Transcript]:
        key = (server, transport)
        if key not in _TRANSCRIPTS:
            steps = SCRIPTS[server] + DELIBERATE[server]
            results: dict[str, Transcript | BaseException] = {}

            async def one(flavour: str) -> None:
                script = server_path(server, flavour)
                try:
                    results[flavour] = await run_script(script, flavour, transport, steps)
                except BaseException as exc:  # noqa: BLE001 - reported by every test using it
                    results[flavour] = exc

            async def both() -> None:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(one, "sdk")
                    tg.start_soon(one, "ferromcp")

            anyio.run(both)
            _TRANSCRIPTS[key] = results
        results = _TRANSCRIPTS[key]
        for flavour in ("sdk", "ferromcp"):
            if isinstance(results[flavour], BaseException):
                raise AssertionError(f"{flavour} run of {server} failed") from results[flavour]
        return results["sdk"], results["ferromcp"]  # type: ignore[return-value]

    return get


# --- comparison helpers --------------------------------------------------------------


def canon(value: Any) -> Any:
    """JSON value in a form where True != 1 but 1 == 1.0 (both are the same JSON number)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        # Python compares int and float exactly, so big integers are not rounded.
        return ("number", value)
    if isinstance(value, dict):
        return ("object", tuple(sorted((k, canon(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("array", tuple(canon(v) for v in value))
    raise TypeError(f"not JSON: {value!r}")


def differences(sdk: Any, ours: Any, path: str = "$") -> list[str]:
    """Readable field-by-field differences (empty when equal)."""
    if canon(sdk) == canon(ours):
        return []
    if isinstance(sdk, dict) and isinstance(ours, dict):
        out = []
        for key in sorted(set(sdk) | set(ours)):
            if key not in ours:
                out.append(f"{path}.{key}: missing in ferromcp (sdk: {_short(sdk[key])})")
            elif key not in sdk:
                out.append(f"{path}.{key}: only in ferromcp ({_short(ours[key])})")
            else:
                out += differences(sdk[key], ours[key], f"{path}.{key}")
        return out
    if isinstance(sdk, list) and isinstance(ours, list) and len(sdk) == len(ours):
        out = []
        for i, (a, b) in enumerate(zip(sdk, ours, strict=True)):
            out += differences(a, b, f"{path}[{i}]")
        return out
    return [f"{path}: sdk {_short(sdk)} != ferromcp {_short(ours)}"]


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 400 else text[:400] + "..."


def assert_same(sdk: Any, ours: Any, what: str) -> None:
    diffs = differences(sdk, ours)
    assert not diffs, f"{what} differs:\n  " + "\n  ".join(diffs)


def payload(reply: dict[str, Any]) -> dict[str, Any]:
    """The part of a reply that is compared: result or error (not the envelope id)."""
    return {k: v for k, v in reply.items() if k in ("result", "error", "no reply")}


def error_of(reply: dict[str, Any], who: str) -> dict[str, Any]:
    assert "error" in reply, f"{who}: expected a JSON-RPC error, got {_short(reply)}"
    return reply["error"]


def result_of(reply: dict[str, Any], who: str) -> dict[str, Any]:
    assert "result" in reply, f"{who}: expected a result, got {_short(reply)}"
    return reply["result"]


# --- initialize and lists ------------------------------------------------------------


@pytest.mark.parametrize("server", list(SCRIPTS))
def test_initialize_matches(transcripts, server):
    sdk, ours = transcripts(server)
    a, b = dict(sdk.init), dict(ours.init)
    # Allowed: serverInfo.version names the implementation's own version, unless the
    # server set its own (`mcp._mcp_server.version = ...`): then both announce that.
    assert isinstance(b["serverInfo"].get("version"), str) and b["serverInfo"]["version"]
    if a["serverInfo"]["version"] != importlib.metadata.version("mcp"):
        assert b["serverInfo"]["version"] == a["serverInfo"]["version"]
    a["serverInfo"] = {k: v for k, v in a["serverInfo"].items() if k != "version"}
    b["serverInfo"] = {k: v for k, v in b["serverInfo"].items() if k != "version"}
    # Allowed capability differences (ferromcp implements more of the spec than v1's FastMCP):
    # - list_changed notifications: v1 says false; ferromcp sends them itself -> true;
    # - resources.subscribe: v1 false (not implemented); ferromcp true;
    # - logging: absent in v1 (no logging/setLevel handler); ferromcp {}.
    # (v1 does declare logging when the server registered a low-level setLevel handler.)
    caps_a, caps_b = dict(a.pop("capabilities")), dict(b.pop("capabilities"))
    hooked = server in LOW_LEVEL_HOOKS
    assert caps_a.pop("logging", None) == ({} if hooked else None)
    assert caps_b.get("logging") == {}
    caps_b.pop("logging")
    for kind in ("tools", "prompts", "resources"):
        assert caps_a[kind]["listChanged"] is False
        assert caps_b[kind]["listChanged"] is True, f"ferromcp {kind}.listChanged"
        caps_a[kind] = {k: v for k, v in caps_a[kind].items() if k != "listChanged"}
        caps_b[kind] = {k: v for k, v in caps_b[kind].items() if k != "listChanged"}
    assert caps_a["resources"].pop("subscribe") is False
    assert caps_b["resources"].pop("subscribe") is True
    assert_same(caps_a, caps_b, "capabilities (after the allowed differences)")
    assert_same(a, b, "initialize result")


@pytest.mark.parametrize("server", list(SCRIPTS))
@pytest.mark.parametrize(
    "method, key",
    [
        ("tools/list", "tools"),
        ("resources/list", "resources"),
        ("resources/templates/list", "resourceTemplates"),
        ("prompts/list", "prompts"),
    ],
)
def test_list_matches(transcripts, server, method, key):
    sdk, ours = transcripts(server)
    a = result_of(sdk.replies[method], "sdk")
    b = result_of(ours.replies[method], "ferromcp")
    name = (
        "uriTemplate" if key == "resourceTemplates" else ("uri" if key == "resources" else "name")
    )
    assert [i[name] for i in b[key]] == [i[name] for i in a[key]], "items or their order differ"
    for item_a, item_b in zip(a[key], b[key], strict=True):
        assert_same(item_a, item_b, f"{method} item {item_a[name]}")
    assert_same(a, b, f"{method} result")


# --- steps that must match exactly ----------------------------------------------------

STEP_CASES = [
    pytest.param(server, label, id=f"{server}:{label}")
    for server, steps in SCRIPTS.items()
    for label, _method, _params in steps
    if label not in {"tools/list", "resources/list", "resources/templates/list", "prompts/list"}
]


@pytest.mark.parametrize("server, label", STEP_CASES)
def test_step_matches(transcripts, server, label):
    sdk, ours = transcripts(server)
    assert_same(payload(sdk.replies[label]), payload(ours.replies[label]), f"reply to {label!r}")
    assert_same(sdk.during[label], ours.during[label], f"messages during {label!r}")


@pytest.mark.parametrize("server", list(SCRIPTS))
def test_client_saw_no_protocol_errors(transcripts, server):
    sdk, ours = transcripts(server)
    assert sdk.client_errors == []
    assert ours.client_errors == [], ours.stderr[-2000:]


# --- deliberate differences ----------------------------------------------------------


def test_unknown_tool_follows_spec(transcripts):
    sdk, ours = transcripts("tools_server")
    for label, name in [("unknown tool", "no_such_tool"), ("removed tool", "temporary")]:
        # v1: an isError result.
        assert result_of(sdk.replies[label], "sdk") == {
            "content": [{"type": "text", "text": f"Unknown tool: {name}"}],
            "isError": True,
        }
        # ferromcp: the spec's -32602, with v1's text.
        err = error_of(ours.replies[label], "ferromcp")
        assert err["code"] == -32602
        assert err["message"] == f"Unknown tool: {name}"


def test_methods_v1_lacks_are_implemented(transcripts):
    sdk, ours = transcripts("tools_server")
    for label in ("logging/setLevel", "resources/subscribe"):
        assert error_of(sdk.replies[label], "sdk") == {
            "code": -32601,
            "message": "Method not found",
        }
        assert result_of(ours.replies[label], "ferromcp") == {}


def test_tool_added_at_run_time(transcripts):
    sdk, ours = transcripts("context_server")
    assert_same(
        payload(sdk.replies["enable_admin_tools"]),
        payload(ours.replies["enable_admin_tools"]),
        "enable_admin_tools reply",
    )
    changed = {"method": "notifications/tools/list_changed", "params": None}
    # v1 sends only the explicit send_tool_list_changed(); ferromcp also announces the
    # registry change itself, so one or two identical notifications are fine.
    assert sdk.during["enable_admin_tools"] == [changed]
    ours_during = ours.during["enable_admin_tools"]
    assert 1 <= len(ours_during) <= 2 and all(
        canon(m) == canon(changed) or canon(m) == canon({**changed, "params": {}})
        for m in ours_during
    ), ours_during
    tools_a = result_of(sdk.replies["tools/list after add_tool"], "sdk")["tools"]
    tools_b = result_of(ours.replies["tools/list after add_tool"], "ferromcp")["tools"]
    assert tools_a[-1]["name"] == "purge_cache"
    assert_same(tools_a, tools_b, "tools/list after add_tool")
    assert_same(
        payload(sdk.replies["purge_cache: added at run time"]),
        payload(ours.replies["purge_cache: added at run time"]),
        "purge_cache reply",
    )


def test_registry_changes_without_explicit_notification(transcripts):
    sdk, ours = transcripts("context_server")
    # v1 announces nothing unless the code calls send_*_list_changed(); ferromcp announces
    # every run-time registry change itself.
    assert sdk.during["disable_admin_tools"] == []
    assert [m["method"] for m in ours.during["disable_admin_tools"]] == [
        "notifications/tools/list_changed"
    ]
    assert sdk.during["publish_note"] == []
    assert sorted(m["method"] for m in ours.during["publish_note"]) == [
        "notifications/prompts/list_changed",
        "notifications/resources/list_changed",
    ]
    # Apart from the notifications, everything the changes touch must match.
    for label in (
        "disable_admin_tools",
        "tools/list after remove_tool",
        "publish_note",
        "resources/list after publish",
        "prompts/list after publish",
        "read published note",
        "get published prompt",
    ):
        assert_same(payload(sdk.replies[label]), payload(ours.replies[label]), label)
    tools = result_of(ours.replies["tools/list after remove_tool"], "ferromcp")["tools"]
    assert "purge_cache" not in [t["name"] for t in tools]
    resources = result_of(ours.replies["resources/list after publish"], "ferromcp")["resources"]
    assert resources[-1]["uri"] == "notes://groceries"


def test_resource_updated_tool_result(transcripts):
    sdk, ours = transcripts("context_server")
    label = "touch_resource"
    assert_same(payload(sdk.replies[label]), payload(ours.replies[label]), "touch_resource reply")
    # v1 sends the notification although nobody subscribed (it has no subscriptions).
    assert sdk.during[label] == [
        {"method": "notifications/resources/updated", "params": {"uri": "config://settings"}}
    ]


@pytest.mark.parametrize(
    "server, label, uri",
    [
        ("resources_server", "unknown resource", "weather://nowhere"),
        ("resources_server", "no template matches", "weather://a/b/c/d"),
        # The message names the URI normalised, as v1 does.
        ("links_server", "unknown file resource", "file://missing/"),
    ],
)
def test_unknown_resource_follows_spec(transcripts, server, label, uri):
    sdk, ours = transcripts(server)
    assert error_of(sdk.replies[label], "sdk") == {"code": 0, "message": f"Unknown resource: {uri}"}
    err = error_of(ours.replies[label], "ferromcp")
    assert err == {"code": -32002, "message": f"Unknown resource: {uri}", "data": {"uri": uri}}


@pytest.mark.parametrize(
    "server, label, codes",
    [
        ("resources_server", "resource raises", (0, -32603)),
        ("resources_server", "template function raises", (0, -32603)),
        ("resources_server", "template parameter not an int", (0, -32602, -32603)),
        ("prompts_server", "prompt: argument not an int", (0, -32602, -32603)),
        ("prompts_server", "prompt raises", (0, -32603)),
        ("hooks_server", "subscribe: user handler raises", (0, -32603)),
        # Arguments the function cannot take are the client's mistake: -32602 fits too.
        ("prompts_server", "prompt: unexpected argument", (0, -32602, -32603)),
    ],
)
def test_handler_error_text_matches(transcripts, server, label, codes):
    sdk, ours = transcripts(server)
    a = error_of(sdk.replies[label], "sdk")
    b = error_of(ours.replies[label], "ferromcp")
    assert a["code"] == 0
    # v1 answers code 0 for every handler failure; ferromcp may use the spec's codes.
    # The text users see must be v1's.
    assert b["code"] in codes, b
    assert b["message"] == a["message"]


@pytest.mark.parametrize("label", ["unknown prompt", "missing argument"])
def test_prompt_errors_follow_spec(transcripts, label):
    sdk, ours = transcripts("prompts_server")
    a = error_of(sdk.replies[label], "sdk")
    b = error_of(ours.replies[label], "ferromcp")
    assert a["code"] == 0
    assert b["code"] == -32602, b
    assert b["message"] == a["message"]


def test_request_headers_reach_the_tool(transcripts, transport):
    # Both flavours must agree (test_step_matches); this pins what they agree on.
    sdk, ours = transcripts("context_server")
    expected = "no HTTP request" if transport == "stdio" else CLIENT_HEADERS["X-Differential"]
    for t in (sdk, ours):
        sent = result_of(t.replies["request_header: sent by the client"], "reply")
        assert sent["structuredContent"] == {"result": expected}
        absent = result_of(t.replies["request_header: not sent"], "reply")
        expected_absent = "no HTTP request" if transport == "stdio" else "header absent"
        assert absent["structuredContent"] == {"result": expected_absent}
