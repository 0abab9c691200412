"""The SDK's in-process test habit against ferromcp servers:
`create_connected_server_and_client_session(mcp._mcp_server)` (or the FastMCP itself)
connects an official `ClientSession` over memory streams to the Rust engine."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from contextlib import asynccontextmanager
from typing import Any

import mcp.types as types
import pytest
from ferromcp import Context, FastMCP
from mcp.shared.exceptions import McpError
from mcp.shared.memory import create_connected_server_and_client_session
from pydantic import BaseModel

pytestmark = pytest.mark.timeout(30)


def build_server() -> FastMCP:
    @asynccontextmanager
    async def lifespan(app: FastMCP):
        yield {"db": "connected"}

    mcp = FastMCP("memory-demo", instructions="in-process", lifespan=lifespan)

    @mcp.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers"""
        return a + b

    @mcp.tool()
    async def work(steps: int, ctx: Context) -> str:
        """Report progress and log"""
        for i in range(steps):
            await ctx.report_progress(i + 1, steps)
        await ctx.info(f"did {steps} steps with {ctx.request_context.lifespan_context['db']}")
        return "done"

    @mcp.tool()
    async def ask(question: str, ctx: Context) -> str:
        """Sample the client's model"""
        reply = await ctx.session.create_message(
            messages=[
                types.SamplingMessage(
                    role="user", content=types.TextContent(type="text", text=question)
                )
            ],
            max_tokens=10,
        )
        return reply.content.text

    class Answer(BaseModel):
        ok: bool

    @mcp.tool()
    async def confirm(ctx: Context) -> str:
        """Elicit a yes/no"""
        result = await ctx.elicit("Proceed?", schema=Answer)
        return f"{result.action}:{result.data.ok if result.action == 'accept' else None}"

    @mcp.resource("notes://{name}")
    def note(name: str) -> str:
        return f"note {name}"

    @mcp.prompt()
    def review(code: str) -> str:
        return f"Review: {code}"

    return mcp


async def sampling(context: Any, params: types.CreateMessageRequestParams) -> Any:
    text = params.messages[0].content.text
    return types.CreateMessageResult(
        role="assistant", content=types.TextContent(type="text", text=f"echo {text}"), model="m"
    )


async def elicitation(context: Any, params: types.ElicitRequestParams) -> Any:
    return types.ElicitResult(action="accept", content={"ok": True})


@pytest.mark.parametrize("target", ["lowlevel", "fastmcp"])
def test_lists_and_calls_in_process(target: str) -> None:
    mcp = build_server()
    server = mcp._mcp_server if target == "lowlevel" else mcp

    async def main() -> None:
        async with create_connected_server_and_client_session(server) as client:
            tools = await client.list_tools()
            assert [t.name for t in tools.tools] == ["add", "work", "ask", "confirm"]
            assert tools.tools[0].inputSchema["required"] == ["a", "b"]
            result = await client.call_tool("add", {"a": 2, "b": 40})
            assert result.structuredContent == {"result": 42}
            assert result.content[0].text == "42"
            bad = await client.call_tool("add", {"a": "x", "b": 1})
            assert bad.isError
            read = await client.read_resource("notes://today")
            assert read.contents[0].text == "note today"
            prompt = await client.get_prompt("review", {"code": "x = 1"})
            assert prompt.messages[0].content.text == "Review: x = 1"
            with pytest.raises(McpError) as err:
                await client.read_resource("nowhere://x")
            assert err.value.error.code == -32002

    asyncio.run(main())


def test_initialize_announces_the_server() -> None:
    mcp = build_server()

    async def main() -> None:
        async with create_connected_server_and_client_session(mcp._mcp_server) as client:
            # The helper already initialized; a ping proves the session is live.
            assert isinstance(await client.send_ping(), types.EmptyResult)

    asyncio.run(main())


def test_context_round_trips_in_process() -> None:
    mcp = build_server()
    logs: list[Any] = []
    progress: list[tuple[float, float | None]] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(params.data)

    async def on_progress(p: float, total: float | None, message: str | None) -> None:
        progress.append((p, total))

    async def main() -> None:
        async with create_connected_server_and_client_session(
            mcp._mcp_server,
            sampling_callback=sampling,
            elicitation_callback=elicitation,
            logging_callback=on_log,
        ) as client:
            r = await client.call_tool("work", {"steps": 3}, progress_callback=on_progress)
            assert r.content[0].text == "done"
            assert progress == [(1.0, 3.0), (2.0, 3.0), (3.0, 3.0)]
            assert logs == ["did 3 steps with connected"]
            r = await client.call_tool("ask", {"question": "hi"})
            assert r.content[0].text == "echo hi"
            r = await client.call_tool("confirm", {})
            assert r.content[0].text == "accept:True"

    asyncio.run(main())


def test_two_sessions_share_one_server() -> None:
    mcp = build_server()

    async def one(n: int) -> int:
        async with create_connected_server_and_client_session(mcp._mcp_server) as client:
            r = await client.call_tool("add", {"a": n, "b": 1})
            return r.structuredContent["result"]

    async def main() -> list[int]:
        return await asyncio.gather(*(one(n) for n in range(3)))

    assert asyncio.run(main()) == [1, 2, 3]


REQUEST_SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("source", default="unset")


def test_sync_tools_see_context_vars_set_before_serving() -> None:
    """Sync tools run on worker threads, yet see ContextVars set at start-up and in the
    lifespan, as async tools (asyncio tasks) do."""

    @asynccontextmanager
    async def lifespan(app: FastMCP):
        REQUEST_SOURCE.set("lifespan")
        yield {}

    mcp = FastMCP("ctxvars", lifespan=lifespan)

    @mcp.tool()
    def sync_probe() -> str:
        REQUEST_SOURCE.set("changed by a call")  # must not leak into the next call
        return threading.current_thread().name

    @mcp.tool()
    def sync_read() -> str:
        return REQUEST_SOURCE.get()

    @mcp.tool()
    async def async_read() -> str:
        return REQUEST_SOURCE.get()

    async def main() -> list[str]:
        async with create_connected_server_and_client_session(mcp._mcp_server) as client:
            out = []
            for name in ("sync_probe", "sync_read", "async_read"):
                r = await client.call_tool(name, {})
                out.append(r.content[0].text)
            return out

    thread, sync_value, async_value = asyncio.run(main())
    assert thread != threading.main_thread().name, "sync tools run on worker threads"
    assert (sync_value, async_value) == ("lifespan", "lifespan")
