"""A lifespan that records start-up and teardown in a file: $TMPDIR/ferromcp-lifespan-<pid>.log."""

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from mcp.server.fastmcp import Context, FastMCP

EVENTS = Path(tempfile.gettempdir()) / f"ferromcp-lifespan-{os.getpid()}.log"


def record(event: str) -> None:
    with EVENTS.open("a") as f:
        f.write(event + "\n")


@asynccontextmanager
async def lifespan(server: FastMCP) -> AsyncIterator[dict]:
    record("started")
    yield {"resource": "open"}
    # Plain code after `yield` (no try/finally): runs only when the server leaves the
    # lifespan normally. The event loop must still work here.
    await asyncio.sleep(0.05)
    record("after yield")


mcp = FastMCP("lifespan-demo", lifespan=lifespan)


@mcp.tool()
def resource_state(ctx: Context) -> str:
    """What the lifespan yielded."""
    return ctx.request_context.lifespan_context["resource"]


@mcp.tool()
async def slow(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return f"slept {seconds}"


if __name__ == "__main__":
    mcp.run()
