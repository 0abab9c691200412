"""A server whose tools use Context: logging, progress, sampling, elicitation, roots, lifespan,
notifications, plus slow/fast and cancellable tools."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from mcp.server.fastmcp import Context, FastMCP
from mcp.server.session import ServerSession
from mcp.types import SamplingMessage, TextContent
from pydantic import AnyUrl, BaseModel, Field


@dataclass
class AppState:
    users: dict[str, str]
    events: list[str] = field(default_factory=list)


@asynccontextmanager
async def app_lifespan(server: FastMCP) -> AsyncIterator[AppState]:
    state = AppState(users={"alice": "admin", "bob": "viewer"})
    state.events.append("lifespan started")
    try:
        yield state
    finally:
        state.events.append("lifespan stopped")


mcp = FastMCP("context-demo", instructions="Tools that talk back.", lifespan=app_lifespan)

# What the cancellable tools did; read back through the `activity` tool.
ACTIVITY: list[str] = []


@mcp.resource("config://settings", mime_type="application/json")
def settings() -> str:
    """Application settings."""
    return json.dumps({"theme": "dark", "retries": 3})


# --- logging and progress ------------------------------------------------------------


@mcp.tool()
async def log_all_levels(ctx: Context) -> str:
    """Emits one log message per level."""
    await ctx.debug("debug message")
    await ctx.info("info message")
    await ctx.warning("warning message")
    await ctx.error("error message")
    return "logged"


@mcp.tool()
async def log_with_logger(message: str, ctx: Context) -> str:
    """Logs through ctx.log with a logger name."""
    await ctx.log("info", message, logger_name="audit")
    return "ok"


@mcp.tool()
async def count_to(n: int, ctx: Context) -> str:
    """Reports progress for each step."""
    for i in range(1, n + 1):
        await ctx.report_progress(i, n, f"step {i} of {n}")
    return f"counted to {n}"


# --- reading, sampling, elicitation, roots -------------------------------------------


@mcp.tool()
async def read_settings(ctx: Context) -> str:
    """Reads a resource of this server through the context."""
    contents = await ctx.read_resource("config://settings")
    parts = [f"{c.mime_type}: {c.content}" for c in contents]
    return "\n".join(parts)


@mcp.tool()
async def summarize(text: str, ctx: Context[ServerSession, None]) -> str:
    """Asks the client's model for a summary (sampling)."""
    result = await ctx.session.create_message(
        messages=[
            SamplingMessage(
                role="user", content=TextContent(type="text", text=f"Summarize: {text}")
            )
        ],
        max_tokens=60,
        system_prompt="Be brief.",
    )
    if result.content.type == "text":
        return f"{result.model}: {result.content.text}"
    return str(result.content)


class BookingPreferences(BaseModel):
    confirm: bool = Field(description="Confirm the booking?")
    seats: int = Field(default=2, description="Number of seats")
    notes: str = Field(default="", description="Special requests")


@mcp.tool()
async def book_table(date: str, ctx: Context) -> str:
    """Asks the user to confirm a booking (form elicitation)."""
    result = await ctx.elicit(message=f"Book a table on {date}?", schema=BookingPreferences)
    if result.action == "accept" and result.data:
        d = result.data
        return f"booked {date}: confirm={d.confirm} seats={d.seats} notes={d.notes!r}"
    return f"booking {result.action}"


@mcp.tool()
async def connect_account(service: str, ctx: Context) -> str:
    """Sends the user to a URL (URL-mode elicitation)."""
    result = await ctx.elicit_url(
        message=f"Sign in to {service}",
        url=f"https://example.com/connect/{service}",
        elicitation_id=f"connect-{service}",
    )
    return f"url elicitation: {result.action}"


@mcp.tool()
async def client_roots(ctx: Context) -> list[str]:
    """The client's roots."""
    result = await ctx.session.list_roots()
    return [f"{r.name}={r.uri}" for r in result.roots]


# --- request identity and lifespan ---------------------------------------------------


@mcp.tool()
def whoami(ctx: Context) -> str:
    """A sync tool reading the request id."""
    return f"request {ctx.request_id}"


@mcp.tool()
def request_header(name: str, ctx: Context) -> str:
    """A header of the HTTP request that carried this call (none over stdio)."""
    request = ctx.request_context.request
    if request is None:
        return "no HTTP request"
    return request.headers.get(name, "header absent")


@mcp.tool()
def user_role(user: str, ctx: Context) -> str:
    """Looks a user up in the lifespan state."""
    state: AppState = ctx.request_context.lifespan_context
    return f"{user}: {state.users.get(user, 'unknown')} ({state.events[0]})"


# --- notifications -------------------------------------------------------------------


@mcp.tool()
async def touch_resource(uri: str, ctx: Context) -> str:
    """Tells subscribers that a resource changed."""
    await ctx.session.send_resource_updated(AnyUrl(uri))
    return f"touched {uri}"


@mcp.tool()
async def enable_admin_tools(ctx: Context) -> str:
    """Registers a new tool at run time and announces it."""

    def purge_cache(confirm: bool = False) -> str:
        """Purge the cache."""
        return "purged" if confirm else "not confirmed"

    mcp.add_tool(purge_cache)
    await ctx.session.send_tool_list_changed()
    return "admin tools enabled"


@mcp.tool()
def disable_admin_tools() -> str:
    """Removes the run-time tool again (no explicit notification)."""
    mcp.remove_tool("purge_cache")
    return "admin tools disabled"


@mcp.tool()
def publish_note(slug: str, text: str) -> str:
    """Registers a resource and a prompt at run time, without announcing them."""

    def note() -> str:
        return text

    def discuss() -> str:
        return f"Discuss this note: {text}"

    mcp.resource(f"notes://{slug}", name=f"note-{slug}", description=f"Note {slug}")(note)
    mcp.prompt(name=f"discuss-{slug}", description=f"Discuss note {slug}")(discuss)
    return f"published {slug}"


# --- concurrency, cancellation, stray output -----------------------------------------


@mcp.tool()
def slow_report(seconds: float = 1.0) -> str:
    """A blocking sync tool."""
    time.sleep(seconds)
    return f"slept {seconds}"


@mcp.tool()
def quick_ping() -> str:
    """Answers at once."""
    return "pong"


@mcp.tool()
async def long_wait(seconds: float) -> str:
    """An async tool that can be cancelled while it waits."""
    ACTIVITY.append("long_wait started")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        ACTIVITY.append("long_wait cancelled")
        raise
    ACTIVITY.append("long_wait finished")
    return "waited"


@mcp.tool()
async def paced_count(n: int, delay: float, ctx: Context) -> str:
    """Logs one message per step, `delay` seconds apart."""
    for i in range(1, n + 1):
        await ctx.info(f"step {i} of {n}")
        await asyncio.sleep(delay)
    return f"paced {n}"


@mcp.tool()
def blocking_wait(seconds: float) -> str:
    """A sync tool that cannot be interrupted; its result must be dropped if cancelled."""
    ACTIVITY.append("blocking_wait started")
    time.sleep(seconds)
    ACTIVITY.append("blocking_wait finished")
    return "blocked"


@mcp.tool()
def activity() -> list[str]:
    """What the cancellable tools did so far."""
    return list(ACTIVITY)


@mcp.tool()
def chatty(text: str) -> str:
    """Prints to stdout, as careless code does."""
    print(f"chatty says: {text}")
    print("a second line", flush=True)
    return f"said {text}"


if __name__ == "__main__":
    mcp.run()
