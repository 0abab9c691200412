"""Start the example server over stdio with the official MCP Python client, list its
tools, resources and prompts, and call them. Prints what the server answered and checks
it: any answer other than the expected one is reported and the exit status is 1.

    python demo_client.py [server.py]    (default: weather_server.py next to this file)
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

SERVER = Path(__file__).with_name("weather_server.py")
TIMEOUT = 60  # seconds for the whole run

# (tool, arguments) -> (isError, what the client shows: structuredContent or the texts)
CALLS: list[tuple[str, dict[str, Any], bool, Any]] = [
    ("add", {"a": 2, "b": 3}, False, {"result": 5}),
    (
        "forecast",
        {"city": "Oslo", "unit": "F"},
        False,
        {"city": "Oslo", "temperature": 37.4, "unit": "F"},
    ),
    ("survey", {"cities": ["paris", "lima"]}, False, {"paris": 14.5, "lima": 22.0}),
    (
        "forecast",
        {"city": "Atlantis"},
        True,
        ["Error executing tool forecast: no data for Atlantis"],
    ),
]


class Checks:
    """Collects mismatches; each one is printed as it is found."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def equal(self, what: str, got: Any, expected: Any) -> None:
        if got != expected:
            message = f"MISMATCH {what}: got {got!r}, expected {expected!r}"
            print(message, file=sys.stderr)
            self.failures.append(message)


async def main(server: Path, checks: Checks) -> None:
    params = StdioServerParameters(command=sys.executable, args=[str(server)])
    logs: list[Any] = []
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(params.data)

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    started = time.perf_counter()
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, logging_callback=on_log) as session:
            init = await session.initialize()
            took = (time.perf_counter() - started) * 1000
            print(f"connected to {init.serverInfo.name} {init.serverInfo.version} in {took:.0f} ms")
            checks.equal("server name", init.serverInfo.name, "weather")

            tools = await session.list_tools()
            print("tools:", ", ".join(t.name for t in tools.tools))
            checks.equal(
                "tools", sorted(t.name for t in tools.tools), ["add", "forecast", "survey"]
            )

            for name, args, is_error, expected in CALLS:
                result = await session.call_tool(name, args, progress_callback=on_progress)
                shown = result.structuredContent or [c.text for c in result.content]
                status = "error" if result.isError else "ok"
                print(f"{name}({json.dumps(args)}) -> {status}: {json.dumps(shown)}")
                checks.equal(f"{name}({json.dumps(args)}) isError", result.isError, is_error)
                checks.equal(f"{name}({json.dumps(args)})", shown, expected)
            # survey reports progress and logs one line per city.
            checks.equal(
                "survey progress",
                progress,
                [(0.0, 2.0, "looking up paris"), (1.0, 2.0, "looking up lima")],
            )
            checks.equal("survey logs", logs, ["looking up paris", "looking up lima"])

            templates = await session.list_resource_templates()
            uris = [t.uriTemplate for t in templates.resourceTemplates]
            print("templates:", ", ".join(uris))
            checks.equal("resource templates", uris, ["weather://{city}/current"])
            read_result = await session.read_resource("weather://paris/current")
            text = read_result.contents[0].text
            print("weather://paris/current ->", text)
            checks.equal("weather://paris/current", text, "paris: 14.5 C")

            prompts = await session.list_prompts()
            checks.equal("prompts", [p.name for p in prompts.prompts], ["plan_trip"])
            prompt = await session.get_prompt("plan_trip", {"city": "Lima"})
            text = prompt.messages[0].content.text
            print("plan_trip ->", text)
            checks.equal(
                "plan_trip", text, "Plan a 3-day trip to Lima, taking the weather into account."
            )

            n = 500
            wrong = 0
            t0 = time.perf_counter()
            for i in range(n):
                result = await session.call_tool("add", {"a": i, "b": 1})
                wrong += result.structuredContent != {"result": i + 1}
            rate = n / (time.perf_counter() - t0)
            print(f"{n} sequential add calls: {rate:.0f} calls/s (through the official client)")
            checks.equal("wrong sums among the sequential add calls", wrong, 0)


def run(server: Path = SERVER) -> int:
    """Run the demo against `server`; 0 when every answer was the expected one."""
    checks = Checks()
    try:
        asyncio.run(asyncio.wait_for(main(server, checks), TIMEOUT))
    except Exception as exc:  # noqa: BLE001 - any failure to talk to the server fails the demo
        print(f"FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if checks.failures:
        print(f"FAILED: {len(checks.failures)} unexpected answer(s)", file=sys.stderr)
        return 1
    print("all answers as expected")
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else SERVER))
