"""An example MCP server: tools, a resource template, a prompt and Context use.

Run it over stdio from any MCP client (Claude Desktop, Cursor, VS Code, the official
Python client), e.g. `python examples/weather_server.py`, or over HTTP with
`python examples/weather_server.py streamable-http` (port from FASTMCP_PORT, default 8000).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Literal

from ferromcp import Context, FastMCP
from pydantic import BaseModel, Field

mcp = FastMCP("weather", instructions="Forecasts and unit conversions for a few cities.")

_TEMPERATURES = {"paris": 14.5, "oslo": 3.0, "lima": 22.0}


class Forecast(BaseModel):
    city: str
    temperature: float = Field(description="Degrees in the requested unit")
    unit: Literal["C", "F"]


@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two numbers"""
    return a + b


@mcp.tool()
def forecast(city: str, unit: Literal["C", "F"] = "C") -> Forecast:
    """Today's temperature for a city"""
    celsius = _TEMPERATURES.get(city.lower())
    if celsius is None:
        raise ValueError(f"no data for {city}")
    value = celsius if unit == "C" else celsius * 9 / 5 + 32
    return Forecast(city=city, temperature=value, unit=unit)


@mcp.tool()
async def survey(cities: list[str], ctx: Context) -> dict[str, float]:
    """Temperatures of several cities, reporting progress as it goes"""
    result = {}
    for i, city in enumerate(cities):
        await ctx.report_progress(i, len(cities), f"looking up {city}")
        await ctx.info(f"looking up {city}")
        await asyncio.sleep(0)
        result[city] = _TEMPERATURES.get(city.lower(), float("nan"))
    return result


@mcp.resource("weather://{city}/current")
def current(city: str) -> str:
    """Current conditions as text"""
    return f"{city}: {_TEMPERATURES.get(city.lower(), 'unknown')} C"


@mcp.prompt()
def plan_trip(city: str, days: int = 3) -> str:
    """Ask for a trip plan"""
    return f"Plan a {days}-day trip to {city}, taking the weather into account."


if __name__ == "__main__":
    mcp.run(transport=sys.argv[1] if len(sys.argv) > 1 else "stdio")
