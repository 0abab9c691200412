"""`@mcp.custom_route` endpoints answer next to MCP on the Rust HTTP server, with the same
status, headers and bodies as under the official SDK v1 (Starlette)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from http_harness import HttpServer, initialize_message
from stdio_harness import server_script

pytestmark = pytest.mark.timeout(60)


def exchange(flavour: str, work_dir: Path) -> list[tuple[int, str, str | None]]:
    script = server_script("routes_server", flavour, work_dir)
    with HttpServer(script, flavour=flavour) as server:
        with httpx.Client(base_url=server.base, timeout=10) as http:
            out = []
            r = http.get("/healthz")
            out.append((r.status_code, r.text, r.headers.get("content-type")))
            r = http.post("/echo?q=7", json={"a": [1, 2]}, headers={"x-tenant": "acme"})
            out.append((r.status_code, r.text, r.headers.get("x-handled-by")))
            r = http.get("/echo")
            out.append((r.status_code, "", None))
            r = http.get("/boom")
            out.append((r.status_code, r.text, None))
            return out


def test_custom_routes_answer_like_the_sdk(tmp_path: Path) -> None:
    ours = exchange("ferromcp", tmp_path)
    assert ours[0] == (200, "OK", "text/plain; charset=utf-8")
    assert ours[1][0] == 201
    assert ours[1][2] == "echo"
    assert ours[1][1] == '{"got":{"a":[1,2]},"tenant":"acme","q":"7","method":"POST"}'
    assert ours[2][0] == 405
    assert ours[3] == (500, "Internal Server Error", None)
    assert ours == exchange("sdk", tmp_path)


def test_mcp_still_served_next_to_routes(tmp_path: Path) -> None:
    with HttpServer(server_script("routes_server", "ferromcp", tmp_path)) as server:
        r = httpx.get(f"{server.base}/health", timeout=10)
        assert r.status_code == 200 and r.json() == {"status": "ok"}
        r = httpx.post(
            server.url(),
            json=initialize_message(version="2025-06-18"),
            headers={"accept": "application/json, text/event-stream"},
            timeout=10,
        )
        assert r.status_code == 200
        assert '"serverInfo":{"name":"routes"' in r.text
