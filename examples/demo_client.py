"""Start the example server over stdio with the official MCP Python client, list its
tools, resources and prompts, and call them. Prints what the server answered."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

SERVER = Path(__file__).with_name("weather_server.py")


async def main() -> None:
    params = StdioServerParameters(command=sys.executable, args=[str(SERVER)])
    started = time.perf_counter()
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            took = (time.perf_counter() - started) * 1000
            print(f"connected to {init.serverInfo.name} {init.serverInfo.version} in {took:.0f} ms")
            tools = await session.list_tools()
            print("tools:", ", ".join(t.name for t in tools.tools))
            for name, args in [
                ("add", {"a": 2, "b": 3}),
                ("forecast", {"city": "Oslo", "unit": "F"}),
                ("survey", {"cities": ["paris", "lima"]}),
                ("forecast", {"city": "Atlantis"}),
            ]:
                result = await session.call_tool(name, args)
                shown = result.structuredContent or [c.text for c in result.content]
                status = "error" if result.isError else "ok"
                print(f"{name}({json.dumps(args)}) -> {status}: {json.dumps(shown)}")
            templates = await session.list_resource_templates()
            print("templates:", ", ".join(t.uriTemplate for t in templates.resourceTemplates))
            read_result = await session.read_resource("weather://paris/current")
            print("weather://paris/current ->", read_result.contents[0].text)
            prompt = await session.get_prompt("plan_trip", {"city": "Lima"})
            print("plan_trip ->", prompt.messages[0].content.text)
            n = 500
            t0 = time.perf_counter()
            for i in range(n):
                await session.call_tool("add", {"a": i, "b": 1})
            rate = n / (time.perf_counter() - t0)
            print(f"{n} sequential add calls: {rate:.0f} calls/s (through the official client)")


if __name__ == "__main__":
    asyncio.run(main())
