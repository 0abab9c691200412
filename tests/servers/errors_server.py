"""Resources and prompts that fail while they run: what the client gets on the wire."""

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ResourceError

mcp = FastMCP("errors-demo")


@mcp.resource("errors://resource-error")
def resource_error() -> str:
    """Raises the SDK's ResourceError."""
    raise ResourceError("disk unplugged")


@mcp.resource("errors://runtime-error")
async def runtime_error() -> str:
    """An async resource raising a plain exception."""
    raise RuntimeError("sensor offline")


@mcp.resource("errors://items/{name}")
def item(name: str) -> str:
    """A template whose function raises for every name but 'ok'."""
    if name != "ok":
        raise KeyError(name)
    return "fine"


@mcp.prompt()
def broken_prompt(topic: str) -> str:
    """Raises while rendering."""
    raise ValueError(f"cannot render {topic}")


@mcp.prompt()
async def async_broken_prompt() -> str:
    """An async prompt raising a plain exception."""
    raise RuntimeError("template store down")


if __name__ == "__main__":
    mcp.run()
