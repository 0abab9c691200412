"""Tools that write to the process's stdout behind the protocol's back: through file
descriptor 1 directly, and from a child process that inherits it."""

import os
import subprocess
import sys

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("stdout-demo")


@mcp.tool()
def fd_write(text: str) -> str:
    """Writes to file descriptor 1 with os.write."""
    os.write(1, text.encode() + b"\n")
    return "wrote to fd 1"


@mcp.tool()
def child_write(text: str) -> str:
    """Runs a child process that prints to the stdout it inherits."""
    subprocess.run([sys.executable, "-c", f"print({text!r})"], check=True)
    return "child wrote"


@mcp.tool()
async def shell_write(text: str) -> str:
    """An async tool running a shell command that echoes (inherited stdout)."""
    import asyncio

    proc = await asyncio.create_subprocess_exec("sh", "-c", f"echo {text}")
    await proc.wait()
    return f"shell exited {proc.returncode}"


@mcp.tool()
def echo(text: str) -> str:
    return text


if __name__ == "__main__":
    mcp.run()
