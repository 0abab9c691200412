"""In-process sessions for the SDK's test habit:

    from mcp.shared.memory import create_connected_server_and_client_session
    async with create_connected_server_and_client_session(mcp._mcp_server) as client: ...

The SDK's helper calls `server.run(read_stream, write_stream, options)` with anyio memory
streams of `SessionMessage`s. Here each incoming message is handed to the Rust engine as
JSON and each outgoing one is parsed back into the SDK's message type, so the client sees
exactly what a stdio client would. Only this path imports `mcp`: the caller already did.
"""

from __future__ import annotations

import asyncio
from typing import Any


async def run_session(fastmcp: Any, read_stream: Any, write_stream: Any) -> None:
    from mcp.shared.message import SessionMessage
    from mcp.types import JSONRPCMessage

    from ferromcp import _runtime

    loop = asyncio.get_running_loop()
    outgoing: asyncio.Queue[bytes] = asyncio.Queue()

    async def forward() -> None:
        while True:
            data = await outgoing.get()
            message = JSONRPCMessage.model_validate_json(data)
            await write_stream.send(SessionMessage(message))

    async with fastmcp._lifespan() as lifespan_context:
        fastmcp._lifespan_context = lifespan_context
        # Inside the lifespan: handlers see the context it set up.
        runtime = _runtime.acquire(fastmcp._core, loop)
        session = fastmcp._core.open_session(outgoing.put_nowait)
        sender = loop.create_task(forward())
        try:
            async for item in read_stream:
                if isinstance(item, Exception):
                    # A transport-level failure the client side saw; nothing to route.
                    continue
                data = item.message.model_dump_json(by_alias=True, exclude_none=True)
                session.feed(data.encode())
        finally:
            session.close()
            sender.cancel()
            _runtime.release(runtime)
            fastmcp._lifespan_context = {}
