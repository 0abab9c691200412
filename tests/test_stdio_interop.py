"""ferromcp over stdio with the official client: every method and notification.

Each test starts the ferromcp flavour of a server file from tests/servers/ and talks to it
through `mcp.client.stdio.stdio_client` + `mcp.ClientSession` (see stdio_harness.py).
Typed client calls check that the official client accepts what we send; raw requests
(`conn.request`) check exact wire fields and error codes.

tests/test_http_interop.py collects every case here again and runs it over Streamable HTTP
and legacy SSE (its `open_server` opens an HTTP session): keep the bodies transport-neutral.
"""

from __future__ import annotations

import sys
import time
from contextlib import asynccontextmanager

import anyio
import mcp.types as types
import pytest
from mcp.shared.exceptions import McpError
from pydantic import AnyUrl
from stdio_harness import Connection, RpcError, connect

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]

ALL_VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
LATEST = "2025-11-25"


@pytest.fixture
def open_server(server_path):
    """`async with open_server("context_server") as conn:` — ferromcp flavour."""

    @asynccontextmanager
    async def opener(name: str = "context_server", **kw):
        async with connect(server_path(name, "ferromcp"), **kw) as conn:
            yield conn
            # Whatever the test did, stdout must have carried only valid protocol messages.
            assert conn.client_errors == [], f"{conn.client_errors!r}\n{conn.stderr()[-2000:]}"

    return opener


async def expect_error(conn: Connection, method: str, params: dict | None, code: int) -> dict:
    with pytest.raises(RpcError) as info:
        await conn.request(method, params)
    assert info.value.code == code, info.value.error
    return info.value.error


# --- lifecycle -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "requested, negotiated",
    [(v, v) for v in ALL_VERSIONS] + [("1999-01-01", LATEST), ("2099-12-31", LATEST)],
)
async def test_initialize_negotiates_version(open_server, requested, negotiated):
    async with open_server("context_server", initialize=False) as conn:
        result = await conn.request(
            "initialize",
            {
                "protocolVersion": requested,
                "capabilities": {},
                "clientInfo": {"name": "interop-test", "version": "1.0"},
            },
        )
        assert result["protocolVersion"] == negotiated
        assert result["serverInfo"]["name"] == "context-demo"
        assert isinstance(result["serverInfo"]["version"], str)
        assert result["instructions"] == "Tools that talk back."
        caps = result["capabilities"]
        assert caps["tools"] == {"listChanged": True}
        assert caps["prompts"] == {"listChanged": True}
        assert caps["resources"] == {"subscribe": True, "listChanged": True}
        assert caps["logging"] == {}
        assert "completions" not in caps  # this server registers no completion handler
        await conn.notify("notifications/initialized")
        assert await conn.request("ping") == {}


async def test_initialize_with_official_client(open_server):
    async with open_server("resources_server", initialize=False) as conn:
        result = await conn.session.initialize()
        assert result.protocolVersion == LATEST
        assert result.serverInfo.name == "weather-station"
        assert result.instructions is None
        assert "instructions" not in conn.messages[0]["result"]
        assert result.capabilities.completions is not None
        assert result.capabilities.resources.subscribe is True
        assert await conn.session.send_ping() == types.EmptyResult()


async def test_ping(open_server):
    async with open_server("prompts_server") as conn:
        for _ in range(3):
            assert await conn.request("ping") == {}
        assert await conn.request("ping", {}) == {}
        assert isinstance(await conn.session.send_ping(), types.EmptyResult)


# --- tools ---------------------------------------------------------------------------


async def test_tools_list(open_server):
    async with open_server("tools_server") as conn:
        listed = await conn.session.list_tools()
        names = [t.name for t in listed.tools]
        assert names[:3] == ["add", "multiply", "divide"]
        assert "pow" in names and "temporary" not in names
        assert listed.nextCursor is None
        raw = await conn.request("tools/list")
        add = next(t for t in raw["tools"] if t["name"] == "add")
        assert add == {
            "name": "add",
            "description": "Add two numbers",
            "inputSchema": {
                "properties": {
                    "a": {"title": "A", "type": "integer"},
                    "b": {"title": "B", "type": "integer"},
                },
                "required": ["a", "b"],
                "title": "addArguments",
                "type": "object",
            },
            "outputSchema": {
                "properties": {"result": {"title": "Result", "type": "integer"}},
                "required": ["result"],
                "title": "addOutput",
                "type": "object",
            },
        }
        greet = next(t for t in raw["tools"] if t["name"] == "greet")
        assert greet["title"] == "Greeter"
        assert greet["annotations"] == {
            "readOnlyHint": True,
            "idempotentHint": True,
            "openWorldHint": False,
        }
        # The raw __doc__, as the SDK sends it; CPython 3.13+ dedents docstrings when compiling.
        indent = "" if sys.version_info >= (3, 13) else "    "
        assert greet["description"].startswith(f"Greet someone.\n\n{indent}The greeting")


async def test_tools_call(open_server):
    async with open_server("tools_server") as conn:
        # The official client validates structuredContent against the outputSchema.
        result = await conn.session.call_tool("add", {"a": 2, "b": 3})
        assert result.isError is False
        assert result.structuredContent == {"result": 5}
        assert [c.model_dump(exclude_none=True) for c in result.content] == [
            {"type": "text", "text": "5"}
        ]
        measured = await conn.session.call_tool(
            "measure",
            {
                "polygon": {
                    "name": "tri",
                    "points": [{"x": 0, "y": 0}, {"x": 4, "y": 0}, {"x": 0, "y": 3}],
                }
            },
        )
        assert measured.structuredContent == {
            "shape": "tri",
            "area": 6.0,
            "perimeter": 12.0,
            "vertices": 3,
        }
        image = await conn.session.call_tool("swatch", {})
        assert image.content[0].type == "image" and image.content[0].mimeType == "image/png"
        assert (await conn.call("noop"))["content"] == []


async def test_tool_failures_are_results(open_server):
    async with open_server("tools_server") as conn:
        failed = await conn.call("divide", {"a": 1, "b": 0})
        assert failed["isError"] is True
        assert failed["content"] == [
            {"type": "text", "text": "Error executing tool divide: float division by zero"}
        ]
        bad_args = await conn.call("add", {"a": "x", "b": 1})
        assert bad_args["isError"] is True
        assert bad_args["content"][0]["text"].startswith("Error executing tool add: ")
        tool_error = await conn.session.call_tool("withdraw", {"amount": 1000})
        assert tool_error.isError is True


async def test_unknown_tool_is_invalid_params(open_server):
    async with open_server("tools_server") as conn:
        err = await expect_error(conn, "tools/call", {"name": "nope", "arguments": {}}, -32602)
        assert err["message"] == "Unknown tool: nope"
        with pytest.raises(McpError) as info:
            await conn.session.call_tool("nope", {})
        assert info.value.error.code == -32602
        assert await conn.request("ping") == {}


async def test_tools_pagination_cursor_errors(open_server):
    async with open_server("tools_server") as conn:
        for method in ("tools/list", "resources/list", "resources/templates/list", "prompts/list"):
            await expect_error(conn, method, {"cursor": "not-a-cursor"}, -32602)
            await expect_error(conn, method, {"cursor": 12}, -32602)
            full = await conn.request(method, {})
            assert "nextCursor" not in full, "everything fits on one page by default"
        assert await conn.request("ping") == {}


# --- resources -----------------------------------------------------------------------


async def test_resources_list_and_templates(open_server):
    async with open_server("resources_server") as conn:
        listed = await conn.session.list_resources()
        uris = [str(r.uri) for r in listed.resources]
        assert uris == [
            "weather://readme",
            "weather://stations",
            "weather://logo.png",
            "weather://alerts",
            "weather://status",
            "weather://broken",
        ]
        alerts = next(r for r in listed.resources if str(r.uri) == "weather://alerts")
        assert alerts.mimeType == "text/markdown"
        assert alerts.annotations.priority == 0.8
        templates = await conn.session.list_resource_templates()
        assert [t.uriTemplate for t in templates.resourceTemplates] == [
            "weather://{city}/current",
            "weather://{city}/forecast/{days}",
            "github://repos/{owner}/{repo}",
        ]


async def test_resources_read(open_server):
    async with open_server("resources_server") as conn:
        text = await conn.session.read_resource(AnyUrl("weather://readme"))
        assert text.contents[0].text.startswith("Weather station.")
        assert text.contents[0].mimeType == "text/plain"
        blob = await conn.request("resources/read", {"uri": "weather://logo.png"})
        assert blob["contents"][0]["mimeType"] == "image/png"
        assert blob["contents"][0]["blob"].startswith("iVBORw0KGgo")
        multi = await conn.request("resources/read", {"uri": "weather://Lisbon/forecast/5"})
        assert multi["contents"] == [
            {
                "uri": "weather://Lisbon/forecast/5",
                "mimeType": "text/plain",
                "text": "Lisbon: 5 x int days of sunshine",
            }
        ]


async def test_unknown_resource_is_32002(open_server):
    async with open_server("resources_server") as conn:
        uri = "weather://nowhere/at/all"
        err = await expect_error(conn, "resources/read", {"uri": uri}, -32002)
        assert err["data"] == {"uri": uri}
        assert err["message"] == f"Unknown resource: {uri}"
        with pytest.raises(McpError) as info:
            await conn.session.read_resource(AnyUrl("weather://also/missing/here"))
        assert info.value.error.code == -32002
        assert await conn.request("ping") == {}


async def test_subscribe_and_resource_updated(open_server):
    async with open_server("context_server") as conn:
        updated = "notifications/resources/updated"
        assert await conn.request("resources/subscribe", {"uri": "config://settings"}) == {}
        await conn.call("touch_resource", {"uri": "config://settings"})
        await conn.wait_until(lambda: len(conn.notifications(updated)) == 1)
        assert conn.notifications(updated) == [{"uri": "config://settings"}]

        # Not subscribed to this one: nothing is sent.
        await conn.call("touch_resource", {"uri": "config://other"})
        assert await conn.session.unsubscribe_resource(AnyUrl("config://settings")) is not None
        await conn.call("touch_resource", {"uri": "config://settings"})
        assert await conn.request("ping") == {}
        assert conn.notifications(updated) == [{"uri": "config://settings"}]


# --- prompts and completion ----------------------------------------------------------


async def test_prompts_list_and_get(open_server):
    async with open_server("prompts_server") as conn:
        listed = await conn.session.list_prompts()
        by_name = {p.name: p for p in listed.prompts}
        assert list(by_name) == [
            "review_code",
            "debug_error",
            "translate",
            "plan_trip",
            "describe_image",
            "broken_prompt",
        ]
        assert [(a.name, a.required) for a in by_name["translate"].arguments] == [
            ("text", True),
            ("language", False),
            ("formal", False),
        ]
        got = await conn.session.get_prompt("debug_error", {"error": "boom"})
        assert [(m.role, m.content.text) for m in got.messages] == [
            ("user", "I'm seeing this error:"),
            ("user", "boom"),
            ("assistant", "I'll help debug that. What have you tried so far?"),
        ]
        translated = await conn.request(
            "prompts/get", {"name": "translate", "arguments": {"text": "hi"}}
        )
        assert translated == {
            "description": "Translate text to a language",
            "messages": [
                {
                    "role": "user",
                    "content": {"type": "text", "text": "Translate into French (casual): hi"},
                }
            ],
        }


async def test_prompt_errors_are_invalid_params(open_server):
    async with open_server("prompts_server") as conn:
        err = await expect_error(conn, "prompts/get", {"name": "nope"}, -32602)
        assert err["message"] == "Unknown prompt: nope"
        await expect_error(conn, "prompts/get", {"name": "review_code", "arguments": {}}, -32602)
        assert await conn.request("ping") == {}


async def test_completion(open_server):
    async with open_server("resources_server") as conn:
        ref = types.ResourceTemplateReference(type="ref/resource", uri="weather://{city}/current")
        result = await conn.session.complete(ref, {"name": "city", "value": "L"})
        assert result.completion.values == ["Lisbon", "London"]
        assert result.completion.total == 2
        repo_ref = types.ResourceTemplateReference(
            type="ref/resource", uri="github://repos/{owner}/{repo}"
        )
        with_context = await conn.session.complete(
            repo_ref, {"name": "repo", "value": "t"}, {"owner": "modelcontextprotocol"}
        )
        assert with_context.completion.values == ["typescript-sdk"]
        prompt_ref = types.PromptReference(type="ref/prompt", name="weather_report")
        styles = await conn.request(
            "completion/complete",
            {"ref": prompt_ref.model_dump(), "argument": {"name": "style", "value": ""}},
        )
        assert styles == {"completion": {"values": ["short", "detailed"]}}


async def test_completion_without_handler_is_method_not_found(open_server):
    async with open_server("prompts_server") as conn:
        params = {
            "ref": {"type": "ref/prompt", "name": "review_code"},
            "argument": {"name": "code", "value": ""},
        }
        await expect_error(conn, "completion/complete", params, -32601)


# --- logging -------------------------------------------------------------------------


async def test_logging_levels(open_server):
    async with open_server("context_server") as conn:
        # Before any setLevel everything is delivered, as the official SDK does.
        await conn.call("log_all_levels", {})
        assert [(m.level, m.data) for m in conn.logs] == [
            ("debug", "debug message"),
            ("info", "info message"),
            ("warning", "warning message"),
            ("error", "error message"),
        ]
        conn.logs.clear()
        await conn.session.set_logging_level("warning")
        await conn.call("log_all_levels", {})
        assert [m.level for m in conn.logs] == ["warning", "error"]
        conn.logs.clear()
        await conn.session.set_logging_level("emergency")
        await conn.call("log_all_levels", {})
        assert conn.logs == []
        await conn.session.set_logging_level("debug")
        await conn.call("log_with_logger", {"message": "audit me"})
        assert conn.notifications("notifications/message")[-1] == {
            "level": "info",
            "logger": "audit",
            "data": "audit me",
        }


async def test_invalid_log_level(open_server):
    async with open_server("context_server") as conn:
        await expect_error(conn, "logging/setLevel", {"level": "verbose"}, -32602)
        await expect_error(conn, "logging/setLevel", {}, -32602)
        assert await conn.request("logging/setLevel", {"level": "notice"}) == {}


# --- progress ------------------------------------------------------------------------


async def test_progress_notifications(open_server):
    async with open_server("context_server") as conn:
        seen: list[tuple[float, float | None, str | None]] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen.append((progress, total, message))

        result = await conn.session.call_tool("count_to", {"n": 3}, progress_callback=on_progress)
        assert result.structuredContent == {"result": "counted to 3"}
        assert seen == [(1, 3, "step 1 of 3"), (2, 3, "step 2 of 3"), (3, 3, "step 3 of 3")]
        tokens = {p["progressToken"] for p in conn.notifications("notifications/progress")}
        assert len(tokens) == 1

        # A raw request with a string token gets that token back.
        start = len(conn.notifications("notifications/progress"))
        rid = await conn.send_request(
            "tools/call",
            {"name": "count_to", "arguments": {"n": 2}, "_meta": {"progressToken": "p-7"}},
        )
        await conn.wait_response(rid)
        new = conn.notifications("notifications/progress")[start:]
        assert [(p["progressToken"], p["progress"]) for p in new] == [("p-7", 1), ("p-7", 2)]


async def test_no_progress_without_token(open_server):
    async with open_server("context_server") as conn:
        await conn.call("count_to", {"n": 3})
        await conn.session.call_tool("count_to", {"n": 2})
        assert await conn.request("ping") == {}
        assert conn.notifications("notifications/progress") == []


# --- list_changed --------------------------------------------------------------------


async def test_tool_list_changed(open_server):
    async with open_server("context_server") as conn:
        before = [t["name"] for t in (await conn.request("tools/list"))["tools"]]
        assert "purge_cache" not in before
        result = await conn.call("enable_admin_tools", {})
        assert result["content"] == [{"type": "text", "text": "admin tools enabled"}]
        await conn.wait_until(lambda: conn.notifications("notifications/tools/list_changed"))
        changed = conn.notifications("notifications/tools/list_changed")
        # ferromcp announces the registry change itself and the tool announces it again.
        assert 1 <= len(changed) <= 2
        after = await conn.session.list_tools()
        assert [t.name for t in after.tools][-1] == "purge_cache"
        purged = await conn.session.call_tool("purge_cache", {"confirm": True})
        assert purged.structuredContent == {"result": "purged"}


async def test_registry_changes_send_list_changed(open_server):
    async with open_server("context_server") as conn:
        await conn.call("publish_note", {"slug": "todo", "text": "ship it"})
        await conn.wait_until(
            lambda: (
                conn.notifications("notifications/resources/list_changed")
                and conn.notifications("notifications/prompts/list_changed")
            )
        )
        resources = await conn.session.list_resources()
        assert "notes://todo" in [str(r.uri) for r in resources.resources]
        note = await conn.session.read_resource(AnyUrl("notes://todo"))
        assert note.contents[0].text == "ship it"
        discussed = await conn.session.get_prompt("discuss-todo")
        assert discussed.messages[0].content.text == "Discuss this note: ship it"

        await conn.call("enable_admin_tools", {})
        before = len(conn.notifications("notifications/tools/list_changed"))
        await conn.call("disable_admin_tools", {})
        await conn.wait_until(
            lambda: len(conn.notifications("notifications/tools/list_changed")) > before
        )
        tools = await conn.session.list_tools()
        assert "purge_cache" not in [t.name for t in tools.tools]


# --- server -> client requests -------------------------------------------------------


async def test_sampling_round_trip(open_server):
    async with open_server("context_server") as conn:
        result = await conn.call("summarize", {"text": "the whole saga"})
        assert result["content"][0]["text"] == (
            "test-model: short version of ['Summarize: the whole saga']"
        )
        (request,) = conn.sampling_requests
        assert request.maxTokens == 60
        assert request.systemPrompt == "Be brief."
        assert request.messages[0].role == "user"
        wire = next(m for m in conn.messages if m.get("method") == "sampling/createMessage")
        assert isinstance(wire["id"], int | str)
        assert wire["params"]["messages"] == [
            {"role": "user", "content": {"type": "text", "text": "Summarize: the whole saga"}}
        ]


@pytest.mark.parametrize(
    "reply, expected",
    [
        (
            types.ElicitResult(action="accept", content={"confirm": True, "seats": 3}),
            "booked 2025-07-01: confirm=True seats=3 notes=''",
        ),
        (types.ElicitResult(action="decline"), "booking decline"),
        (types.ElicitResult(action="cancel"), "booking cancel"),
    ],
)
async def test_form_elicitation(open_server, reply, expected):
    async with open_server("context_server") as conn:
        conn.elicitation_reply = lambda params: reply
        result = await conn.call("book_table", {"date": "2025-07-01"})
        assert result["content"] == [{"type": "text", "text": expected}]
        (request,) = conn.elicitation_requests
        assert request.message == "Book a table on 2025-07-01?"
        wire = next(m for m in conn.messages if m.get("method") == "elicitation/create")
        schema = wire["params"]["requestedSchema"]
        assert schema["type"] == "object"
        assert schema["required"] == ["confirm"]
        assert schema["properties"]["seats"] == {
            "default": 2,
            "description": "Number of seats",
            "title": "Seats",
            "type": "integer",
        }


async def test_url_elicitation(open_server):
    async with open_server("context_server") as conn:
        result = await conn.call("connect_account", {"service": "github"})
        assert result["content"] == [{"type": "text", "text": "url elicitation: accept"}]
        wire = next(m for m in conn.messages if m.get("method") == "elicitation/create")
        assert wire["params"] == {
            "mode": "url",
            "message": "Sign in to github",
            "url": "https://example.com/connect/github",
            "elicitationId": "connect-github",
        }


async def test_roots_round_trip(open_server):
    async with open_server("context_server") as conn:
        conn.roots = [
            types.Root(uri="file:///srv/app", name="app"),
            types.Root(uri="file:///srv/data", name="data"),
        ]
        result = await conn.session.call_tool("client_roots", {})
        assert result.structuredContent == {
            "result": ["app=file:///srv/app", "data=file:///srv/data"]
        }
        assert conn.roots_requests == 1


# --- context plumbing ----------------------------------------------------------------


async def test_request_id_lifespan_and_read_resource(open_server):
    async with open_server("context_server") as conn:
        rid = await conn.send_request("tools/call", {"name": "whoami", "arguments": {}})
        reply = await conn.wait_response(rid)
        assert reply["result"]["content"][0]["text"] == f"request {rid}"
        role = await conn.call("user_role", {"user": "bob"})
        assert role["structuredContent"] == {"result": "bob: viewer (lifespan started)"}
        settings = await conn.call("read_settings", {})
        assert settings["content"][0]["text"] == (
            'application/json: {"theme": "dark", "retries": 3}'
        )


# --- cancellation --------------------------------------------------------------------


async def test_cancel_async_tool(open_server):
    async with open_server("context_server") as conn:
        started = time.monotonic()
        rid = await conn.send_request(
            "tools/call", {"name": "long_wait", "arguments": {"seconds": 5}}
        )
        await anyio.sleep(0.5)
        await conn.notify("notifications/cancelled", {"requestId": rid, "reason": "user abort"})
        await anyio.sleep(0.5)
        activity = await conn.call("activity", {})
        assert activity["structuredContent"]["result"] == [
            "long_wait started",
            "long_wait cancelled",
        ]
        assert await conn.request("ping") == {}
        assert time.monotonic() - started < 4
        await anyio.sleep(0.3)
        assert conn.response_to(rid) is None, "a cancelled request must get no response"


async def test_cancel_sync_tool_drops_its_result(open_server):
    async with open_server("context_server") as conn:
        rid = await conn.send_request(
            "tools/call", {"name": "blocking_wait", "arguments": {"seconds": 1.0}}
        )
        await anyio.sleep(0.3)
        await conn.notify("notifications/cancelled", {"requestId": rid})
        # The thread cannot be interrupted: let it finish, then check nothing was sent.
        await anyio.sleep(1.2)
        activity = await conn.call("activity", {})
        assert "blocking_wait finished" in activity["structuredContent"]["result"]
        await anyio.sleep(0.2)
        assert conn.response_to(rid) is None, "the cancelled sync tool's result was sent"
        assert await conn.request("ping") == {}


async def test_cancel_unknown_or_finished_request_is_ignored(open_server):
    async with open_server("context_server") as conn:
        rid = await conn.send_request("tools/call", {"name": "quick_ping", "arguments": {}})
        await conn.wait_response(rid)
        await conn.notify("notifications/cancelled", {"requestId": rid})
        await conn.notify("notifications/cancelled", {"requestId": "never-sent"})
        await conn.notify("notifications/cancelled", {"requestId": 424242})
        assert await conn.request("ping") == {}
        assert (await conn.call("quick_ping", {}))["structuredContent"] == {"result": "pong"}


# --- concurrency ---------------------------------------------------------------------


async def test_slow_sync_tool_does_not_delay_fast_one(open_server):
    async with open_server("context_server") as conn:
        sent = time.monotonic()
        slow = await conn.send_request(
            "tools/call", {"name": "slow_report", "arguments": {"seconds": 2.0}}
        )
        await anyio.sleep(0.1)
        fast = await conn.send_request("tools/call", {"name": "quick_ping", "arguments": {}})
        ping = await conn.send_request("ping")
        await conn.wait_response(fast)
        await conn.wait_response(ping)
        fast_done = time.monotonic() - sent
        assert conn.response_to(slow) is None, "the fast call should finish first"
        assert fast_done < 1.2, f"quick_ping took {fast_done:.2f}s behind a 2s sync tool"
        await conn.wait_response(slow)
        order = [m.get("id") for m in conn.messages if m.get("id") in (slow, fast)]
        assert order == [fast, slow]


async def test_sync_tools_run_in_parallel(open_server):
    async with open_server("context_server") as conn:
        sent = time.monotonic()
        ids = [
            await conn.send_request(
                "tools/call", {"name": "slow_report", "arguments": {"seconds": 1.0}}
            )
            for _ in range(2)
        ]
        for rid in ids:
            reply = await conn.wait_response(rid)
            assert reply["result"]["structuredContent"] == {"result": "slept 1.0"}
        elapsed = time.monotonic() - sent
        assert elapsed < 1.8, f"two 1s sync tools took {elapsed:.2f}s: not run concurrently"


async def test_async_tools_interleave(open_server):
    async with open_server("context_server") as conn:
        sent = time.monotonic()
        waits = [
            await conn.send_request(
                "tools/call", {"name": "long_wait", "arguments": {"seconds": 0.8}}
            )
            for _ in range(5)
        ]
        assert (await conn.call("quick_ping", {}))["structuredContent"] == {"result": "pong"}
        assert time.monotonic() - sent < 0.6
        for rid in waits:
            assert (await conn.wait_response(rid))["result"]["content"][0]["text"] == "waited"
        assert time.monotonic() - sent < 2.0


# --- stdout hygiene ------------------------------------------------------------------


async def test_print_goes_to_stderr(open_server):
    async with open_server("context_server") as conn:
        result = await conn.call("chatty", {"text": "hello"})
        assert result["structuredContent"] == {"result": "said hello"}
        assert await conn.request("ping") == {}
        await conn.wait_until(lambda: "a second line" in conn.stderr(), timeout=5)
        assert "chatty says: hello" in conn.stderr()
    # open_server asserts that the client saw no unparseable line on stdout.
