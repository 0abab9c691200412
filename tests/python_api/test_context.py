# ruff: noqa: UP006, UP007, UP045
# (typing.Optional/Union/List/Dict are spelled out on purpose: they are cases under test)
"""Context: injection, logging, progress, resources, sampling, roots, elicitation, request data."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any, Optional

import pytest
from ferro_fakes import FakeHandle, invoke
from ferromcp import Context, FastMCP
from ferromcp.context import ServerSession
from ferromcp.exceptions import McpError


def call(server: FastMCP, name: str, arguments: dict, handle: FakeHandle | None = None) -> Any:
    return invoke(server._core.tools[name], {"name": name, "arguments": arguments}, True, handle)


def text(result: dict) -> str:
    assert result["isError"] is False, result
    return result["content"][0]["text"]


def test_context_is_injected_under_any_name_and_form() -> None:
    server = FastMCP()
    seen: list[Any] = []

    @server.tool()
    def a(x: int, ctx: Context) -> str:
        seen.append(ctx)
        return ctx.request_id

    @server.tool()
    def b(context: Optional[Context] = None) -> str:
        seen.append(context)
        return "b"

    @server.tool()
    def c(c: Context[ServerSession, None]) -> str:
        seen.append(c)
        return "c"

    @server.tool()
    async def d(x: int, my_ctx: Context | None) -> str:
        seen.append(my_ctx)
        return my_ctx.request_id

    for name in "abcd":
        assert "ctx" not in server._core.tools[name].definition["inputSchema"]["properties"]
        assert server._core.tools[name].definition["inputSchema"]["properties"].keys() <= {"x"}
    assert text(call(server, "a", {"x": 1}, FakeHandle(request_id=41))) == "41"
    call(server, "b", {})
    call(server, "c", {})
    assert text(call(server, "d", {"x": 1}, FakeHandle(request_id="abc"))) == "abc"
    assert all(isinstance(ctx, Context) for ctx in seen)
    assert len(seen) == 4


def test_string_annotations_find_the_context() -> None:
    namespace: dict[str, Any] = {}
    exec(
        "from __future__ import annotations\n"
        "from ferromcp import Context\n"
        "def tool(x: int, ctx: Context) -> str:\n"
        "    return type(ctx).__name__\n",
        namespace,
    )
    server = FastMCP()
    server.add_tool(namespace["tool"])
    assert list(server._core.tools["tool"].definition["inputSchema"]["properties"]) == ["x"]
    assert text(call(server, "tool", {"x": 1})) == "Context"


def test_logging_in_both_argument_orders() -> None:
    server = FastMCP()

    @server.tool()
    async def talk(ctx: Context) -> str:
        await ctx.log("info", "sdk order")
        await ctx.log("fastmcp order", "warning")
        await ctx.log("just a message")
        await ctx.log("error", message="keyword", logger_name="lg")
        await ctx.debug("d")
        await ctx.info("i", logger_name="named")
        await ctx.warning("w")
        await ctx.error({"structured": True})
        return "ok"

    handle = FakeHandle()
    assert text(call(server, "talk", {}, handle)) == "ok"
    assert handle.sent == [
        ("log", "info", "sdk order", None),
        ("log", "warning", "fastmcp order", None),
        ("log", "info", "just a message", None),
        ("log", "error", "keyword", "lg"),
        ("log", "debug", "d", None),
        ("log", "info", "i", "named"),
        ("log", "warning", "w", None),
        ("log", "error", {"structured": True}, None),
    ]


def test_progress_needs_a_token() -> None:
    server = FastMCP()

    @server.tool()
    async def work(ctx: Context) -> str:
        await ctx.report_progress(1, 4)
        await ctx.report_progress(2, 4, "half")
        return "done"

    with_token = FakeHandle(meta={"progressToken": "tok"})
    call(server, "work", {}, with_token)
    assert with_token.sent == [("progress", 1, 4, None), ("progress", 2, 4, "half")]
    without = FakeHandle()
    call(server, "work", {}, without)
    assert without.sent == []


def test_request_data_meta_client_and_lifespan() -> None:
    server = FastMCP()

    @server.tool()
    def info(ctx: Context) -> dict:
        rc = ctx.request_context
        return {
            "id": ctx.request_id,
            "client_id": ctx.client_id,
            "token": rc.meta.progressToken,
            "custom": rc.meta.custom,
            "lifespan": rc.lifespan_context,
            "auth": rc.request.headers["Authorization"] if rc.request else None,
            "client": ctx.session.client_params.clientInfo.name,
            "sampling": ctx.session.check_client_capability({"sampling": {}}),
            "roots": ctx.session.check_client_capability({"roots": {}}),
            "same_server": ctx.fastmcp is server,
        }

    handle = FakeHandle(
        request_id=7,
        meta={"progressToken": 3, "client_id": "cid", "custom": "v"},
        headers={"authorization": "Bearer x"},
        client_params={
            "protocolVersion": "2025-06-18",
            "capabilities": {"sampling": {}},
            "clientInfo": {"name": "tester", "version": "1"},
        },
    )
    result = call(server, "info", {}, handle)
    assert "structuredContent" not in result  # a bare dict annotation has no output schema
    import json

    assert json.loads(text(result)) == {
        "id": "7",
        "client_id": "cid",
        "token": 3,
        "custom": "v",
        "lifespan": {},
        "auth": "Bearer x",
        "client": "tester",
        "sampling": True,
        "roots": False,
        "same_server": True,
    }


def test_notifications_from_the_session() -> None:
    server = FastMCP()

    @server.tool()
    async def notify(ctx: Context) -> str:
        await ctx.session.send_tool_list_changed()
        await ctx.session.send_resource_list_changed()
        await ctx.session.send_prompt_list_changed()
        await ctx.session.send_resource_updated("res://x")
        await ctx.session.send_log_message(level="notice", data={"a": 1}, logger="L")
        return "ok"

    handle = FakeHandle()
    call(server, "notify", {}, handle)
    assert handle.sent == [
        ("notify", "notifications/tools/list_changed", None),
        ("notify", "notifications/resources/list_changed", None),
        ("notify", "notifications/prompts/list_changed", None),
        ("log", "notice", {"a": 1}, "L"),
    ]
    # Resource updates go through the engine, which knows who subscribed.
    assert ("notify_resource_updated", "res://x") in server._core.log


def test_sampling_roundtrip() -> None:
    importlib.import_module("mcp.types")
    import mcp.types as mt
    from ferromcp.types import SamplingMessage, TextContent

    server = FastMCP()

    @server.tool()
    async def ask(question: str, ctx: Context) -> str:
        result = await ctx.session.create_message(
            messages=[
                SamplingMessage(role="user", content=TextContent(type="text", text=question)),
                mt.SamplingMessage(
                    role="assistant", content=mt.TextContent(type="text", text="earlier")
                ),
            ],
            max_tokens=50,
            system_prompt="Be brief",
            temperature=0.2,
        )
        return f"{result.role}|{result.model}|{result.content.text}|{result.stopReason}"

    reply = {
        "role": "assistant",
        "content": {"type": "text", "text": "42"},
        "model": "m-1",
        "stopReason": "endTurn",
    }
    handle = FakeHandle(replies={"sampling/createMessage": (True, reply)})
    assert text(call(server, "ask", {"question": "why?"}, handle)) == "assistant|m-1|42|endTurn"
    assert handle.sent == [
        (
            "request",
            "sampling/createMessage",
            {
                "messages": [
                    {"role": "user", "content": {"type": "text", "text": "why?"}},
                    {"role": "assistant", "content": {"type": "text", "text": "earlier"}},
                ],
                "systemPrompt": "Be brief",
                "temperature": 0.2,
                "maxTokens": 50,
            },
        )
    ]


def test_client_error_raises_mcp_error_inside_the_tool() -> None:
    server = FastMCP()

    @server.tool()
    async def roots(ctx: Context) -> str:
        try:
            await ctx.session.list_roots()
        except McpError as exc:
            return f"{exc.code}:{exc.message}"
        return "no error"

    handle = FakeHandle(replies={"roots/list": (False, (-32601, "no roots", None))})
    assert text(call(server, "roots", {}, handle)) == "-32601:no roots"


def test_list_roots() -> None:
    server = FastMCP()

    @server.tool()
    async def roots(ctx: Context) -> list[str]:
        result = await ctx.session.list_roots()
        return [f"{r.name}={r.uri}" for r in result.roots]

    reply = {"roots": [{"uri": "file:///a", "name": "A"}, {"uri": "file:///b"}]}
    handle = FakeHandle(replies={"roots/list": (True, reply)})
    result = call(server, "roots", {}, handle)
    assert result["structuredContent"] == {"result": ["A=file:///a", "None=file:///b"]}
    assert handle.sent == [("request", "roots/list", None)]


def test_elicitation_accept_decline_cancel() -> None:
    pydantic = importlib.import_module("pydantic")

    class Booking(pydantic.BaseModel):
        date: str
        guests: int = 2
        vegan: bool = False

    server = FastMCP()

    @server.tool()
    async def book(ctx: Context) -> str:
        result = await ctx.elicit("When?", schema=Booking)
        if result.action == "accept":
            return f"accept {result.data.date} {result.data.guests} {result.data.vegan}"
        return result.action

    accept = FakeHandle(
        replies={
            "elicitation/create": (
                True,
                {"action": "accept", "content": {"date": "mon", "guests": "3"}},
            )
        }
    )
    assert text(call(server, "book", {}, accept)) == "accept mon 3 False"
    method, params = accept.sent[0][1], accept.sent[0][2]
    assert method == "elicitation/create"
    assert params == {
        "mode": "form",
        "message": "When?",
        "requestedSchema": Booking.model_json_schema(),
    }
    for action in ("decline", "cancel"):
        handle = FakeHandle(replies={"elicitation/create": (True, {"action": action})})
        assert text(call(server, "book", {}, handle)) == action


def test_elicitation_rejects_nested_models_like_the_sdk() -> None:
    pydantic = importlib.import_module("pydantic")

    class Inner(pydantic.BaseModel):
        a: int

    class Outer(pydantic.BaseModel):
        inner: Inner

    server = FastMCP()

    @server.tool()
    async def bad(ctx: Context) -> str:
        await ctx.elicit("x", schema=Outer)
        return "unreachable"

    result = call(server, "bad", {})
    assert result["isError"] is True
    assert (
        "Elicitation schema field 'inner' must be a primitive type" in result["content"][0]["text"]
    )


def test_url_elicitation() -> None:
    server = FastMCP()

    @server.tool()
    async def login(ctx: Context) -> str:
        result = await ctx.elicit_url("Sign in", "https://example.com/auth", "el-1")
        return result.action

    handle = FakeHandle(replies={"elicitation/create": (True, {"action": "accept"})})
    assert text(call(server, "login", {}, handle)) == "accept"
    assert handle.sent == [
        (
            "request",
            "elicitation/create",
            {
                "mode": "url",
                "message": "Sign in",
                "url": "https://example.com/auth",
                "elicitationId": "el-1",
            },
        )
    ]


def test_url_elicitation_required_error_becomes_a_jsonrpc_error() -> None:
    from ferromcp.exceptions import UrlElicitationRequiredError
    from ferromcp.types import ElicitRequestURLParams

    server = FastMCP()

    @server.tool()
    def needs_auth() -> str:
        raise UrlElicitationRequiredError(
            [ElicitRequestURLParams(message="auth", url="https://x", elicitationId="e1")]
        )

    with pytest.raises(McpError) as error:
        call(server, "needs_auth", {})
    assert error.value.code == -32042
    assert error.value.message == "URL elicitation required"
    assert error.value.data == {
        "elicitations": [
            {"mode": "url", "message": "auth", "url": "https://x", "elicitationId": "e1"}
        ]
    }


def test_read_resource_from_a_tool() -> None:
    server = FastMCP()

    @server.resource("res://data")
    def data() -> str:
        return "payload"

    @server.resource("res://item/{n}")
    def item(n: int) -> dict:
        return {"n": n}

    @server.tool()
    async def reader(ctx: Context) -> list[str]:
        first = await ctx.read_resource("res://data")
        second = await ctx.read_resource("res://item/3")
        return [first[0].content, first[0].mime_type, second[0].content]

    result = call(server, "reader", {})
    assert result["structuredContent"] == {"result": ["payload", "text/plain", '{\n  "n": 3\n}']}


def test_get_context_inside_and_outside_requests() -> None:
    server = FastMCP()

    @server.tool()
    def which() -> str:
        return server.get_context().request_id

    assert text(call(server, "which", {}, FakeHandle(request_id=99))) == "99"
    outside = server.get_context()
    with pytest.raises(ValueError, match="Context is not available outside of a request"):
        outside.request_context  # noqa: B018
    assert outside.fastmcp is server
    with pytest.raises(LookupError):
        server._mcp_server.request_context  # noqa: B018


def test_lifespan_context_reaches_the_tools() -> None:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastMCP):
        yield {"db": "connected", "app": app.name}

    server = FastMCP("life", lifespan=lifespan)

    @server.tool()
    def db(ctx: Context) -> str:
        state = ctx.request_context.lifespan_context
        return f"{state['db']}/{state['app']}"

    async def main() -> str:
        async with server._lifespan() as value:
            server._lifespan_context = value
            return text(call(server, "db", {}))

    assert asyncio.run(main()) == "connected/life"


def test_default_lifespan_yields_empty_dict() -> None:
    server = FastMCP()

    async def main() -> Any:
        async with server._lifespan() as value:
            return value

    assert asyncio.run(main()) == {}
