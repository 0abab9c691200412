"""The server every benchmark runs, under each Python server package; benches/run.py starts it.

    BENCH_FLAVOUR=sdk1|ferromcp|sdk2|fastmcp python bench_server.py [stdio|http]

Only the import differs between flavours (and, over HTTP, where the transport settings go:
SDK v1 and ferromcp keep them in `settings`, SDK v2 and fastmcp take them as `run()`
keywords). The tools, prompt and resource are the same code for all; the rmcp ceiling
(benches/rust/rmcp_server) implements the same set in Rust.

HTTP settings come from the environment: BENCH_PORT, and BENCH_HTTP_MODE = sse (stateful,
SSE responses; the SDK default), json (stateful, JSON responses) or stateless (no sessions,
JSON responses).
"""

import asyncio
import os
import sys

FLAVOUR = os.environ.get("BENCH_FLAVOUR", "sdk1")
if FLAVOUR == "ferromcp":
    from ferromcp import FastMCP
elif FLAVOUR == "sdk2":
    from mcp.server.mcpserver import MCPServer as FastMCP
elif FLAVOUR == "fastmcp":
    from fastmcp import FastMCP
else:
    from mcp.server.fastmcp import FastMCP

mcp = FastMCP("bench")


@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two numbers"""
    return a + b


@mcp.tool()
def echo(text: str) -> str:
    """Echo the text back"""
    return text


@mcp.tool()
def big() -> str:
    """A 10 MB string"""
    return "x" * (10 * 1024 * 1024)


@mcp.tool()
async def sleep() -> str:
    """Sleep 10 ms, then answer"""
    await asyncio.sleep(0.01)
    return "slept"


@mcp.prompt()
def greet(name: str) -> str:
    """Greet someone"""
    return f"Hello, {name}!"


@mcp.resource("bench://static")
def static() -> str:
    """A static resource"""
    return "static"


def run_http() -> None:
    port = int(os.environ.get("BENCH_PORT", "8000"))
    mode = os.environ.get("BENCH_HTTP_MODE", "sse")
    json_response = mode in ("json", "stateless")
    stateless = mode == "stateless"
    if FLAVOUR in ("sdk1", "ferromcp"):
        mcp.settings.port = port
        mcp.settings.json_response = json_response
        mcp.settings.stateless_http = stateless
        mcp.run(transport="streamable-http")
    elif FLAVOUR == "sdk2":
        mcp.run(
            transport="streamable-http",
            port=port,
            json_response=json_response,
            stateless_http=stateless,
        )
    else:
        mcp.run(
            transport="http",
            port=port,
            json_response=json_response,
            stateless_http=stateless,
            show_banner=False,
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] != "stdio":
        run_http()
    else:
        mcp.run()
