"""Streamable HTTP answers that clients and proxies see, compared with the official SDK v1
running the same server file: statuses, content types and error texts of the endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from http_harness import HttpServer, RawClient
from stdio_harness import server_script

pytestmark = pytest.mark.timeout(60)

INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def answers(flavour: str, work_dir: Path, **settings: Any) -> dict[str, Any]:
    script = server_script("tools_server", flavour, work_dir)
    out: dict[str, Any] = {}
    with HttpServer(script, flavour=flavour, **settings) as server:
        raw = RawClient(server)
        session, _ = raw.initialize()
        r = raw.post(INITIALIZED, session)
        out["notification"] = (r.status_code, r.headers.get("content-type"), r.text)
        r = raw.post(raw.request_message("ping"), session, accept="text/html")
        out["accept html"] = (r.status_code, r.json())
        r = raw.post(raw.request_message("ping"), session, accept="application/json")
        out["accept json only"] = r.status_code
        r = httpx.get(f"{server.base}/no/such/path", timeout=10)
        out["unknown path"] = (r.status_code, r.headers.get("content-type"), r.text)
        r = raw.send("PUT", {}, session)
        out["PUT"] = (r.status_code, r.headers.get("content-type"), r.headers.get("allow"), r.text)
        r = raw.delete(session)
        out["DELETE"] = (r.status_code, r.headers.get("content-type"), r.text)
        raw.close()
    return out


def legacy_answers(flavour: str, work_dir: Path) -> dict[str, Any]:
    script = server_script("tools_server", flavour, work_dir)
    out: dict[str, Any] = {}
    with HttpServer(script, flavour=flavour, transport="sse") as server:
        with httpx.Client(base_url=server.base, timeout=10) as http:
            with http.stream("GET", "/sse") as stream:
                lines = stream.iter_lines()
                assert next(lines) == "event: endpoint"
                endpoint = next(lines).removeprefix("data: ")
                ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
                for name, url in [
                    ("message", endpoint),
                    ("no session id", "/messages/"),
                    ("unknown session", "/messages/?session_id=" + "0" * 32),
                ]:
                    r = http.post(url, json=ping)
                    out[name] = (r.status_code, r.headers.get("content-type"), r.text)
                bad = {"content-type": "application/json"}
                r = http.post(endpoint, content=b"{not json", headers=bad)
                out["bad body"] = (r.status_code, r.headers.get("content-type"), r.text)
                r = http.post(endpoint, content=b"{}", headers={"content-type": "text/plain"})
                out["wrong content type"] = (r.status_code, r.text)
                r = http.post("/messages/?session_id=nope", json=ping)
                out["malformed session id"] = (r.status_code, r.text)
                r = http.get(endpoint)
                out["GET"] = (r.status_code, r.headers.get("allow"))
    return out


@pytest.mark.parametrize("settings", [{}, {"json_response": True}], ids=["sse", "json"])
def test_endpoint_answers_like_the_sdk(tmp_path: Path, settings: dict[str, Any]) -> None:
    ours = answers("ferromcp", tmp_path, **settings)
    assert ours["notification"][0] == 202
    assert ours["accept html"][1]["error"]["code"] == -32600
    assert ours == answers("sdk", tmp_path, **settings)


def test_legacy_endpoints_answer_like_the_sdk(tmp_path: Path) -> None:
    ours = legacy_answers("ferromcp", tmp_path)
    assert ours["message"][0] == 202
    assert ours["unknown session"][0] == 404
    assert ours == legacy_answers("sdk", tmp_path)
