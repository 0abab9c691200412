"""A toolbox server written the way SDK v1 users write them: typed tools, every return shape."""

import asyncio
import struct
import zlib
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional, TypedDict

from mcp.server.fastmcp import FastMCP, Image
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import TextContent, ToolAnnotations
from pydantic import BaseModel, Field

mcp = FastMCP(
    "toolbox",
    instructions="Utility tools: arithmetic, text helpers, geometry and tiny images.",
)


def make_png(width: int, height: int, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A solid-colour PNG, built by hand so the server needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


# --- scalars -------------------------------------------------------------------------


@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two numbers"""
    return a + b


@mcp.tool()
async def multiply(a: float, b: float = 2.0) -> float:
    """Multiply two numbers (async)."""
    await asyncio.sleep(0)
    return a * b


@mcp.tool()
def divide(a: float, b: float) -> float:
    """Divide a by b."""
    return a / b


@mcp.tool()
def is_even(n: int) -> bool:
    """Whether n is even."""
    return n % 2 == 0


@mcp.tool(
    title="Greeter",
    annotations=ToolAnnotations(readOnlyHint=True, idempotentHint=True, openWorldHint=False),
)
def greet(
    name: str = Field(description="Who to greet"),
    greeting: str = "Hello",
    punctuation: Literal["!", ".", "?"] = "!",
) -> str:
    """Greet someone.

    The greeting and punctuation can be changed.
    """
    return f"{greeting}, {name}{punctuation}"


@mcp.tool()
def shout(text: str, times: int = 1, loud: bool = True) -> str:
    """Repeat text, upper-cased when loud."""
    out = " ".join([text] * times)
    return out.upper() if loud else out


@mcp.tool(structured_output=False)
def plain_text(text: str) -> str:
    """Returns text without structured output."""
    return f"plain: {text}"


@mcp.tool()
def legacy_echo(value, suffix=""):
    """An unannotated tool, as older code has."""
    return f"{value}{suffix}"


@mcp.tool()
def noop() -> None:
    """Does nothing."""
    return None


# --- collections ---------------------------------------------------------------------


@mcp.tool()
def split_words(text: str, limit: Optional[int] = None) -> list[str]:  # noqa: UP045 - users' style
    """Split text into words, optionally only the first `limit`."""
    words = text.split()
    return words if limit is None else words[:limit]


@mcp.tool()
def total(numbers: list[float]) -> float:
    """Sum a list of numbers."""
    return sum(numbers)


@mcp.tool()
def stats(numbers: list[float]) -> dict:
    """Summary statistics (a bare dict: no output schema in v1)."""
    if not numbers:
        raise ValueError("numbers must not be empty")
    return {"count": len(numbers), "min": min(numbers), "max": max(numbers)}


@mcp.tool()
def word_lengths(words: list[str]) -> dict[str, int]:
    """Length of each word."""
    return {w: len(w) for w in words}


@mcp.tool(structured_output=False)
def describe_config(config: dict[str, Any], verbose: bool = False) -> dict[str, Any]:
    """Echo a config dict back with its key count; unstructured on purpose."""
    out: dict[str, Any] = {"keys": sorted(config), "count": len(config)}
    if verbose:
        out["config"] = config
    return out


# --- models, TypedDicts, dataclasses -------------------------------------------------


class Point(BaseModel):
    x: float = Field(description="Horizontal coordinate")
    y: float = Field(description="Vertical coordinate")


class Polygon(BaseModel):
    name: str
    points: list[Point]
    closed: bool = True


class Measurement(BaseModel):
    shape: str
    area: float
    perimeter: float
    vertices: int


@mcp.tool(description="Area and perimeter of a polygon.")
def measure(polygon: Polygon) -> Measurement:
    pts = polygon.points
    n = len(pts)
    area = 0.0
    perimeter = 0.0
    for i in range(n):
        p, q = pts[i], pts[(i + 1) % n]
        area += p.x * q.y - q.x * p.y
        if polygon.closed or i < n - 1:
            perimeter += ((q.x - p.x) ** 2 + (q.y - p.y) ** 2) ** 0.5
    return Measurement(shape=polygon.name, area=abs(area) / 2, perimeter=perimeter, vertices=n)


class StockLevel(TypedDict):
    item: str
    count: int
    reorder: bool


@mcp.tool()
def stock_level(item: str, counts: dict[str, int], threshold: int = 5) -> StockLevel:
    """Stock of one item from a counts table."""
    count = counts.get(item, 0)
    return {"item": item, "count": count, "reorder": count < threshold}


@dataclass
class Forecast:
    city: str
    days: int
    highs: list[float]
    summary: str


@mcp.tool()
def forecast(
    city: str,
    days: Annotated[int, Field(ge=1, le=7, description="Number of days")] = 3,
    units: Literal["metric", "imperial"] = "metric",
) -> Forecast:
    """A deterministic fake forecast."""
    base = 20.0 if units == "metric" else 68.0
    highs = [base + i for i in range(days)]
    return Forecast(city=city, days=days, highs=highs, summary=f"{days} mild days in {city}")


@mcp.tool()
def list_points(count: int) -> list[Point]:
    """A list of models."""
    return [Point(x=i, y=i * i) for i in range(count)]


# --- images and content blocks -------------------------------------------------------


@mcp.tool()
def swatch(width: int = 2, height: int = 2) -> Image:
    """A small red PNG."""
    return Image(data=make_png(width, height), format="png")


@mcp.tool()
def captioned_swatch(caption: str) -> list:
    """Text plus an image in one result."""
    return [caption, Image(data=make_png(1, 1, (0, 128, 255)), format="png")]


@mcp.tool()
def raw_block(text: str) -> TextContent:
    """Returns an mcp.types content block directly."""
    return TextContent(type="text", text=f"block: {text}")


# --- errors --------------------------------------------------------------------------


@mcp.tool()
def withdraw(amount: int) -> str:
    """Withdraw money; fails with a ToolError when the balance is too low."""
    balance = 100
    if amount > balance:
        raise ToolError(f"Insufficient funds: balance is {balance}, requested {amount}")
    return f"withdrew {amount}"


@mcp.tool()
async def fail_async(reason: str = "boom") -> str:
    """Always raises from an async tool."""
    await asyncio.sleep(0)
    raise RuntimeError(reason)


# --- registered without the decorator ------------------------------------------------


def power(base: int, exponent: int = 2) -> int:
    return base**exponent


def temporary() -> str:
    return "should not be listed"


mcp.add_tool(power, name="pow", title="Power", description="base ** exponent")
mcp.add_tool(temporary)
mcp.remove_tool("temporary")


if __name__ == "__main__":
    mcp.run()
