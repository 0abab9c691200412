"""A FastMCP server that also uses the low-level server object `mcp._mcp_server`.

Patterns seen in the wild: FastMCP has no public API for logging/setLevel or resource
subscriptions, nor a version argument, so servers decorate functions with the low-level
server's `set_logging_level()`, `subscribe_resource()` and `unsubscribe_resource()`, read
their own bookkeeping back in tools, and set `_mcp_server.version`.
"""

from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.utilities.logging import configure_logging, get_logger

configure_logging("WARNING")
logger = get_logger(__name__)

mcp = FastMCP(name="watcher")
# FastMCP takes no version argument; servers set it on the low-level server instead.
mcp._mcp_server.version = "3.1.4"

levels: list[str] = []
watched: set[str] = set()
uri_types: set[str] = set()


@mcp.resource("watch://feed")
def feed() -> str:
    """A resource clients subscribe to."""
    return "latest entries"


@mcp._mcp_server.set_logging_level()
async def on_set_level(level: str) -> None:
    levels.append(level)
    logger.warning("client log level now %s", level)


@mcp._mcp_server.subscribe_resource()
async def on_subscribe(uri) -> None:  # noqa: ANN001 - the SDK passes pydantic's AnyUrl
    uri_types.add(type(uri).__name__)
    if str(uri).startswith("secret://"):
        raise ValueError(f"{uri} cannot be watched")
    watched.add(str(uri))


@mcp._mcp_server.unsubscribe_resource()
async def on_unsubscribe(uri) -> None:  # noqa: ANN001
    watched.discard(str(uri))


@mcp.tool()
async def watch_state(ctx: Context) -> dict:
    """What the low-level handlers recorded."""
    await ctx.info("reporting watch state")
    return {"levels": levels, "watched": sorted(watched), "uri_types": sorted(uri_types)}


if __name__ == "__main__":
    mcp.run()
