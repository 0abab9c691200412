"""Context and session members a tool can use beyond logging and progress: the request's
`_meta` and client id, list-changed notifications, notifications routed to another
request with `related_request_id`, and a prompt with icons."""

import asyncio

from mcp.server.fastmcp import Context, FastMCP
from mcp.types import (
    Icon,
    LoggingMessageNotification,
    LoggingMessageNotificationParams,
    ServerNotification,
)

mcp = FastMCP("session-demo")

# waiting_call(key) puts its request id here; release_call(key) sets "<key>:released".
WAITING: dict[str, str] = {}


@mcp.tool()
def client_id(ctx: Context) -> str:
    """ctx.client_id (from the request's `_meta`)."""
    return f"client_id={ctx.client_id!r}"


@mcp.tool()
def request_meta(ctx: Context) -> dict:
    """The request's `_meta`, as ctx.request_context.meta shows it (unset fields left out)."""
    meta = ctx.request_context.meta
    if meta is None:
        return {"meta": None}
    dumped = meta.model_dump()
    return {key: value for key, value in dumped.items() if value is not None}


@mcp.tool()
async def announce_list_changes(ctx: Context) -> str:
    """Sends resources/list_changed and prompts/list_changed through ctx.session."""
    await ctx.session.send_resource_list_changed()
    await ctx.session.send_prompt_list_changed()
    return "announced"


@mcp.tool()
async def waiting_call(key: str, ctx: Context) -> str:
    """Waits (at most 10 s) until release_call(key) ran."""
    WAITING[key] = ctx.request_id
    for _ in range(1000):
        if f"{key}:released" in WAITING:
            return f"{key} released"
        await asyncio.sleep(0.01)
    return f"{key} timed out"


@mcp.tool()
async def release_call(key: str, ctx: Context) -> str:
    """Once waiting_call(key) runs, sends it (by related_request_id) an elicitation
    completion, a notification object, a log message and progress, then releases it."""
    for _ in range(1000):
        if key in WAITING:
            break
        await asyncio.sleep(0.01)
    else:
        return f"{key} never started"
    related = WAITING[key]
    await ctx.session.send_elicit_complete(f"elicitation-{key}", related_request_id=related)
    note = LoggingMessageNotification(
        params=LoggingMessageNotificationParams(level="info", logger="router", data=f"for {key}")
    )
    await ctx.session.send_notification(ServerNotification(note), related_request_id=related)
    await ctx.session.send_log_message("warning", f"log for {key}", related_request_id=related)
    await ctx.session.send_progress_notification(
        f"progress-{key}", 1, total=2, message=f"half of {key}", related_request_id=related
    )
    WAITING[f"{key}:released"] = ctx.request_id
    return f"released {key} (request {related})"


@mcp.tool()
async def complete_for(request_id: str, elicitation_id: str, ctx: Context) -> str:
    """send_elicit_complete naming any request id."""
    await ctx.session.send_elicit_complete(elicitation_id, related_request_id=request_id)
    return "sent"


@mcp.prompt(
    icons=[
        Icon(src="https://example.com/prompt.png", mimeType="image/png", sizes=["48x48"]),
        Icon(src="data:image/svg+xml;base64,PHN2Zy8+", mimeType="image/svg+xml"),
    ]
)
def iconic(topic: str) -> str:
    """A prompt with icons."""
    return f"Tell me about {topic}"


@mcp.prompt()
def plain(topic: str) -> str:
    """A prompt without icons."""
    return f"Plain {topic}"


if __name__ == "__main__":
    mcp.run()
