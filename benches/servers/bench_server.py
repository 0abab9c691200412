"""The server every benchmark runs, written for the official SDK v1; ferromcp runs the
same file with only the import changed."""

import os
import sys

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("bench", port=int(os.environ.get("BENCH_PORT", "8000")))

_BIG = "x" * (10 * 1024 * 1024)


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
    return _BIG


@mcp.prompt()
def greet(name: str) -> str:
    """Greet someone"""
    return f"Hello, {name}!"


@mcp.resource("bench://static")
def static() -> str:
    """A static resource"""
    return "static"


if __name__ == "__main__":
    mcp.run(transport=sys.argv[1] if len(sys.argv) > 1 else "stdio")
