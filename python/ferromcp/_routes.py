"""`@mcp.custom_route` endpoints served by the Rust HTTP server.

An endpoint is `async def endpoint(request) -> response`, as with the SDK (Starlette).
When Starlette is installed the endpoint gets a real `starlette.requests.Request` and may
return any Starlette response (it is run as an ASGI app and its output collected);
without it, a small request object with the same everyday attributes, and plain
return values: dict/list (JSON), str (text), bytes, None (204).
"""

from __future__ import annotations

import inspect
import json
import sys
import traceback
from typing import Any
from urllib.parse import parse_qsl


def route_handler(endpoint: Any) -> Any:
    """The engine-side handler for one endpoint: `handler(request_dict, respond)`."""

    async def handle(raw: dict[str, Any], respond: Any) -> None:
        try:
            scope = _scope(raw)
            result = endpoint(_request(scope, raw["body"]))
            if inspect.isawaitable(result):
                result = await result
            status, headers, body = await _render(result, scope)
        except Exception:  # the route answers 500; the server keeps serving
            traceback.print_exc(file=sys.stderr)
            status, headers, body = 500, [("content-type", "text/plain")], b"Internal Server Error"
        respond(status, headers, body)

    return handle


def _scope(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": raw["method"],
        "scheme": "http",
        "path": raw["path"],
        "raw_path": raw["path"].encode(),
        "query_string": raw["query"].encode(),
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in raw["headers"]],
        "client": raw["client"],
        "server": None,
    }


def _request(scope: dict[str, Any], body: bytes) -> Any:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        from starlette.requests import Request
    except ImportError:
        return PlainRequest(scope, body)
    return Request(scope, receive)


class PlainRequest:
    """The parts of a Starlette request endpoints commonly read."""

    def __init__(self, scope: dict[str, Any], body: bytes) -> None:
        self.scope = scope
        self.method: str = scope["method"]
        self.headers = _Headers(scope["headers"])
        self.query_params = dict(parse_qsl(scope["query_string"].decode()))
        self.path_params: dict[str, Any] = {}
        self.client = scope["client"]
        query = scope["query_string"].decode()
        self.url = scope["path"] + (f"?{query}" if query else "")
        self._body = body

    async def body(self) -> bytes:
        return self._body

    async def json(self) -> Any:
        return json.loads(self._body)


class _Headers(dict):
    """Case-insensitive header lookup."""

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        super().__init__((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


async def _render(result: Any, scope: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    if callable(result) and hasattr(result, "status_code"):
        return await _run_asgi(result, scope)
    if result is None:
        return 204, [], b""
    if isinstance(result, (dict, list)):
        return 200, [("content-type", "application/json")], json.dumps(result).encode()
    if isinstance(result, str):
        return 200, [("content-type", "text/plain; charset=utf-8")], result.encode()
    if isinstance(result, (bytes, bytearray)):
        return 200, [("content-type", "application/octet-stream")], bytes(result)
    raise TypeError(f"a custom route returned {type(result).__name__}, not a response")


async def _run_asgi(app: Any, scope: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run a response object as an ASGI app and collect what it sends."""
    status = 500
    headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers.extend(
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]
            )
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    # The engine sets the length of what it sends itself.
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return status, headers, b"".join(chunks)
