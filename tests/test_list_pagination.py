"""Cursor pagination of the four list methods over real stdio, with the official client.

`list_page_size` (constructor keyword or FASTMCP_LIST_PAGE_SIZE) turns paging on; by
default, as in the SDK, every list comes in one page without nextCursor.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import McpError
from stdio_harness import child_env

pytestmark = pytest.mark.anyio

COUNTS = {"tools": 7, "resources": 5, "templates": 6, "prompts": 4}

SERVER = textwrap.dedent(
    """
    import os
    from ferromcp import FastMCP

    size = os.environ.get("PAGE_SIZE_ARGUMENT")
    mcp = FastMCP("paged", **({{"list_page_size": int(size)}} if size else {{}}))

    def make(i):
        def fn() -> str:
            return str(i)
        return fn

    def make_template(i):
        def fn(key: str) -> str:
            return f"{{i}}:{{key}}"
        return fn

    for i in range({tools}):
        mcp.add_tool(make(i), name=f"tool_{{i:02d}}")
    for i in range({resources}):
        mcp.resource(f"data://item/{{i:02d}}", name=f"resource_{{i:02d}}")(make(i))
    for i in range({templates}):
        mcp.resource(f"data://tpl{{i:02d}}/{{{{key}}}}", name=f"template_{{i:02d}}")(
            make_template(i)
        )
    for i in range({prompts}):
        mcp.prompt(name=f"prompt_{{i:02d}}")(make(i))

    mcp.run()
    """
).format(**COUNTS)


@asynccontextmanager
async def paged_server(tmp_path: Path, **env: str) -> AsyncIterator[ClientSession]:
    script = tmp_path / "paged_server.py"
    script.write_text(SERVER)
    params = StdioServerParameters(
        command=sys.executable, args=[str(script)], cwd=str(tmp_path), env={**child_env(), **env}
    )
    with tempfile.TemporaryFile("w+") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


# list method -> (ClientSession method, result field, expected item names)
LISTS: dict[str, tuple[str, str, list[str]]] = {
    "tools/list": (
        "list_tools",
        "tools",
        [f"tool_{i:02d}" for i in range(COUNTS["tools"])],
    ),
    "resources/list": (
        "list_resources",
        "resources",
        [f"resource_{i:02d}" for i in range(COUNTS["resources"])],
    ),
    "resources/templates/list": (
        "list_resource_templates",
        "resourceTemplates",
        [f"template_{i:02d}" for i in range(COUNTS["templates"])],
    ),
    "prompts/list": (
        "list_prompts",
        "prompts",
        [f"prompt_{i:02d}" for i in range(COUNTS["prompts"])],
    ),
}


async def walk(session: ClientSession, method: str) -> list[tuple[list[str], str | None]]:
    """Every page of one list as (names, nextCursor), following the cursors to the end."""
    call, field, expected = LISTS[method]
    pages: list[tuple[list[str], str | None]] = []
    cursor: str | None = None
    while True:
        params = types.PaginatedRequestParams(cursor=cursor) if cursor is not None else None
        result = await getattr(session, call)(params=params)
        names = [item.name for item in getattr(result, field)]
        pages.append((names, result.nextCursor))
        cursor = result.nextCursor
        if cursor is None:
            return pages
        assert len(pages) <= len(expected), "the cursors do not come to an end"


async def check_pages(session: ClientSession, size: int) -> None:
    for method, (_, _, expected) in LISTS.items():
        pages = await walk(session, method)
        # Each page is full but the last; every item comes exactly once, in order.
        sizes = [len(names) for names, _ in pages]
        full, rest = divmod(len(expected), size)
        assert sizes == [size] * full + ([rest] if rest else []), (method, sizes)
        assert [name for names, _ in pages for name in names] == expected, method
        assert all(cursor for _, cursor in pages[:-1]) and pages[-1][1] is None, method


async def test_default_is_one_page_without_cursor(tmp_path: Path) -> None:
    async with paged_server(tmp_path) as session:
        for method, (_, _, expected) in LISTS.items():
            pages = await walk(session, method)
            assert pages == [(expected, None)], method


async def test_list_page_size_argument_pages_every_list(tmp_path: Path) -> None:
    async with paged_server(tmp_path, PAGE_SIZE_ARGUMENT="3") as session:
        await check_pages(session, 3)


async def test_list_page_size_from_the_environment(tmp_path: Path) -> None:
    async with paged_server(tmp_path, FASTMCP_LIST_PAGE_SIZE="2") as session:
        await check_pages(session, 2)


async def test_page_size_larger_than_the_lists_is_one_page(tmp_path: Path) -> None:
    async with paged_server(tmp_path, PAGE_SIZE_ARGUMENT="50") as session:
        for method, (_, _, expected) in LISTS.items():
            assert await walk(session, method) == [(expected, None)], method


@pytest.mark.parametrize("cursor", ["not-a-cursor", "bzo5OTk"])  # garbage; offset 999 (past end)
async def test_bad_cursor_is_an_invalid_params_error(tmp_path: Path, cursor: str) -> None:
    async with paged_server(tmp_path, PAGE_SIZE_ARGUMENT="3") as session:
        for method, (call, _, _) in LISTS.items():
            with pytest.raises(McpError) as error:
                await getattr(session, call)(params=types.PaginatedRequestParams(cursor=cursor))
            assert error.value.error.code == types.INVALID_PARAMS, method
            assert "cursor" in error.value.error.message.lower(), method
        # The session keeps working after the errors.
        first = await session.list_tools()
        assert [tool.name for tool in first.tools] == ["tool_00", "tool_01", "tool_02"]
