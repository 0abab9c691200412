"""`run("streamable-http", host=..., port=..., ...)`, SDK v2 style: the server listens where
the keywords say, and the official client talks to it there."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import httpx
import pytest
from http_harness import initialize_message
from mcp import ClientSession
from stdio_harness import child_env

pytestmark = pytest.mark.anyio

SERVER = textwrap.dedent(
    """
    import sys
    from ferromcp import MCPServer

    mcp = MCPServer("keywords")

    @mcp.tool()
    def where() -> str:
        return f"{mcp.settings.host}:{mcp.settings.port}{mcp.settings.streamable_http_path}"

    mcp.run(
        "streamable-http",
        host="127.0.0.1",
        port=int(sys.argv[1]),
        streamable_http_path="/kw-mcp",
        json_response=True,
    )
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: tempfile._TemporaryFileWrapper) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read()}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing answered at {url}")


async def test_run_keywords_choose_where_the_server_listens(tmp_path: Path) -> None:
    script = tmp_path / "keywords_server.py"
    script.write_text(SERVER)
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, str(script), str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(tmp_path),
            env=child_env(),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/health", proc, log)
            # The default endpoint is not served; the one run() was given is.
            assert httpx.post(base + "/mcp", json={}).status_code == 404
            with warnings.catch_warnings():
                # The long-standing spelling works across mcp 1.x; newer ones deprecate it.
                warnings.simplefilter("ignore", DeprecationWarning)
                from mcp.client.streamable_http import streamablehttp_client

                opened = streamablehttp_client(base + "/kw-mcp")
            async with opened as (read, write, _):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    result = await session.call_tool("where", {})
            # Handlers see the settings of the run they are served by.
            assert result.content[0].text == f"127.0.0.1:{port}/kw-mcp"
            # json_response=True: a plain JSON answer, no event stream.
            reply = httpx.post(
                base + "/kw-mcp",
                json=initialize_message(version="2025-06-18"),
                headers={"Accept": "application/json, text/event-stream"},
            )
            assert reply.status_code == 200
            assert reply.headers["content-type"].startswith("application/json")
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.seek(0)
        assert f"http://127.0.0.1:{port}/kw-mcp" in log.read()


def test_unknown_run_keyword_stops_the_server_before_it_starts(tmp_path: Path) -> None:
    script = tmp_path / "typo_server.py"
    script.write_text(
        "from ferromcp import FastMCP\n"
        "FastMCP('typo').run('streamable-http', port=0, stateles_http=True)\n"
    )
    proc = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=str(tmp_path),
        env=child_env(),
    )
    assert proc.returncode != 0
    assert "TypeError: run() got an unexpected keyword argument 'stateles_http'" in proc.stderr
    assert "serving MCP" not in proc.stderr
