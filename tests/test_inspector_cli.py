"""The MCP Inspector's CLI (an independent, TypeScript client) drives ferromcp over stdio
and over Streamable HTTP.

`inspector --cli <command> --method ...` starts examples/weather_server.py with this
interpreter (or `--cli http://.../mcp` talks to it serving HTTP), initializes, makes one
request and prints the result as JSON. Node 22 and
the pinned Inspector come from scripts/node_tools.sh (installed under .ci/cache/ on first
use, then reused offline).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_TOOLS = ROOT / "scripts" / "node_tools.sh"
SERVER = ROOT / "examples" / "weather_server.py"

pytestmark = pytest.mark.timeout(300)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", params=["stdio", "streamable-http"])
def inspector(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """inspector("--method", "tools/list") -> CompletedProcess, against the weather server."""
    subprocess.run(["bash", str(NODE_TOOLS), "install", "inspector"], check=True, timeout=280)
    work = tmp_path_factory.mktemp("inspector")
    env_extra = {"MCP_CATALOG_PATH": str(work / "catalog.json")}  # never the user's own
    served = None
    if request.param == "stdio":
        target = [sys.executable, str(SERVER)]
    else:
        port = free_port()
        served = subprocess.Popen(
            [sys.executable, str(SERVER), "streamable-http"],
            env={**os.environ, "FASTMCP_PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        target = [f"http://127.0.0.1:{port}/mcp"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(NODE_TOOLS), "run", "inspector", "--cli", *target, *args],
            cwd=work,
            env={**os.environ, **env_extra},
            capture_output=True,
            text=True,
            timeout=60,
        )

    yield run
    if served is not None:
        served.terminate()
        assert served.wait(timeout=15) == 0, "the HTTP server shuts down cleanly on SIGTERM"


def result_of(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout)


def test_tools_list(inspector) -> None:
    tools = {t["name"]: t for t in result_of(inspector("--method", "tools/list"))["tools"]}
    assert set(tools) == {"add", "forecast", "survey"}
    assert tools["add"]["description"] == "Add two numbers"
    assert tools["add"]["inputSchema"] == {
        "type": "object",
        "properties": {
            "a": {"title": "A", "type": "integer"},
            "b": {"title": "B", "type": "integer"},
        },
        "required": ["a", "b"],
        "title": "addArguments",
    }
    assert tools["add"]["outputSchema"]["properties"] == {
        "result": {"title": "Result", "type": "integer"}
    }
    assert tools["forecast"]["inputSchema"]["properties"]["unit"]["enum"] == ["C", "F"]
    assert set(tools["forecast"]["outputSchema"]["properties"]) == {"city", "temperature", "unit"}


def test_tools_call(inspector) -> None:
    result = result_of(
        inspector("--method", "tools/call", "--tool-name", "add", "--tool-arg", "a=2", "b=40")
    )
    assert result["content"] == [{"type": "text", "text": "42"}]
    assert result["structuredContent"] == {"result": 42}
    assert result.get("isError", False) is False


def test_tools_call_structured(inspector) -> None:
    result = result_of(
        inspector(
            "--method", "tools/call", "--tool-name", "forecast", "--tool-arg", "city=Oslo", "unit=F"
        )
    )
    assert result["structuredContent"] == {"city": "Oslo", "temperature": 37.4, "unit": "F"}
    assert json.loads(result["content"][0]["text"]) == result["structuredContent"]


def test_tools_call_error(inspector) -> None:
    proc = inspector(
        "--method", "tools/call", "--tool-name", "forecast", "--tool-arg", "city=Atlantis"
    )
    assert proc.returncode != 0  # the CLI exits non-zero on an isError result...
    result = json.loads(proc.stdout)  # ...after printing it
    assert result["isError"] is True
    assert result["content"] == [
        {"type": "text", "text": "Error executing tool forecast: no data for Atlantis"}
    ]


def test_resources_and_prompts(inspector) -> None:
    templates = result_of(inspector("--method", "resources/templates/list"))["resourceTemplates"]
    assert [t["uriTemplate"] for t in templates] == ["weather://{city}/current"]
    read = result_of(inspector("--method", "resources/read", "--uri", "weather://Lima/current"))
    assert read["contents"] == [
        {"uri": "weather://Lima/current", "mimeType": "text/plain", "text": "Lima: 22.0 C"}
    ]
    prompt = result_of(
        inspector(
            "--method",
            "prompts/get",
            "--prompt-name",
            "plan_trip",
            "--prompt-args",
            "city=Lima",
            "days=2",
        )
    )
    assert prompt["messages"] == [
        {
            "role": "user",
            "content": {
                "type": "text",
                "text": "Plan a 2-day trip to Lima, taking the weather into account.",
            },
        }
    ]
