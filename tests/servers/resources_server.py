"""A weather-station server: concrete resources, URI templates, a prompt and completions."""

import struct
import zlib

from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.prompts.base import UserMessage
from mcp.types import (
    Annotations,
    Completion,
    CompletionArgument,
    CompletionContext,
    PromptReference,
    ResourceTemplateReference,
)

mcp = FastMCP("weather-station")

CITIES = ["Amsterdam", "Athens", "Berlin", "Bern", "Boston", "Lisbon", "London", "Madrid"]
READINGS = {
    "london": {"temp_c": 14.5, "humidity": 81, "conditions": "drizzle"},
    "madrid": {"temp_c": 27.0, "humidity": 30, "conditions": "sunny"},
}
REPOS = {"modelcontextprotocol": ["python-sdk", "typescript-sdk", "specification"]}


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x10\x80\xf0"))
        + chunk(b"IEND", b"")
    )


# --- concrete resources ----------------------------------------------------------------


@mcp.resource("weather://readme")
def readme() -> str:
    """How to use this station."""
    return "Weather station.\nRead weather://{city}/current for live data."


@mcp.resource(
    "weather://stations",
    name="stations",
    title="Station list",
    description="Every station with its city",
    mime_type="application/json",
)
def stations() -> list[dict]:
    return [{"id": i, "city": c} for i, c in enumerate(CITIES[:3])]


@mcp.resource("weather://logo.png", mime_type="image/png")
def logo() -> bytes:
    """The station logo."""
    return tiny_png()


@mcp.resource(
    "weather://alerts",
    mime_type="text/markdown",
    annotations=Annotations(audience=["user"], priority=0.8),
)
async def alerts() -> str:
    """Active alerts (async)."""
    return "# Alerts\n\n- none"


@mcp.resource("weather://status")
def status() -> dict:
    """A dict return becomes JSON text."""
    return {"online": True, "stations": 3, "version": "2.1"}


@mcp.resource("weather://broken")
def broken() -> str:
    """Always fails."""
    raise RuntimeError("sensor offline")


# --- templates -----------------------------------------------------------------------


@mcp.resource("weather://{city}/current", description="Current conditions for a city")
def current(city: str) -> dict:
    reading = READINGS.get(city.lower())
    if reading is None:
        raise ValueError(f"No station in {city}")
    return {"city": city, **reading}


@mcp.resource("weather://{city}/forecast/{days}", mime_type="text/plain")
def forecast(city: str, days: int) -> str:
    """A multi-parameter template; days is coerced to int."""
    return f"{city}: {days} x {type(days).__name__} days of sunshine"


@mcp.resource("github://repos/{owner}/{repo}")
async def repo_info(owner: str, repo: str, ctx: Context) -> str:
    """A template whose function also takes a Context."""
    await ctx.info(f"reading {owner}/{repo}")
    return f"{owner}/{repo}: {len(REPOS.get(owner, []))} sibling repos"


# --- a prompt, so completions have a prompt ref --------------------------------------


@mcp.prompt(title="Weather report")
def weather_report(city: str, style: str = "short") -> list[UserMessage]:
    """Write a weather report."""
    return [UserMessage(f"Write a {style} weather report for {city}.")]


# --- completions ---------------------------------------------------------------------


@mcp.completion()
async def handle_completion(
    ref: PromptReference | ResourceTemplateReference,
    argument: CompletionArgument,
    context: CompletionContext | None,
) -> Completion | None:
    if argument.name == "units":  # the same for every ref
        return Completion(values=["metric", "imperial"], hasMore=False)
    if isinstance(ref, ResourceTemplateReference):
        if ref.uri == "weather://{city}/current" and argument.name == "city":
            matches = [c for c in CITIES if c.lower().startswith(argument.value.lower())]
            return Completion(values=matches, total=len(matches), hasMore=False)
        if ref.uri == "github://repos/{owner}/{repo}" and argument.name == "repo":
            owner = context.arguments.get("owner") if context and context.arguments else None
            repos = [r for r in REPOS.get(owner or "", []) if r.startswith(argument.value)]
            return Completion(values=repos, hasMore=False)
    if isinstance(ref, PromptReference) and ref.name == "weather_report":
        if argument.name == "style":
            return Completion(
                values=[s for s in ["short", "detailed"] if s.startswith(argument.value)]
            )
    return None


if __name__ == "__main__":
    mcp.run()
