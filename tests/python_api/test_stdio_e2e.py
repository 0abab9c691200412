"""One server file, run once with the SDK and once with ferromcp over stdio: same answers.

Needs the compiled engine (`ferromcp._core`); a missing build fails the tests.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from ferro_fakes import subprocess_env

importlib.import_module("mcp.server.fastmcp")

SERVER = textwrap.dedent(
    '''
    from typing import Annotated, Optional
    from pydantic import BaseModel, Field
    from {package} import FastMCP, Context, Image

    mcp = FastMCP("e2e")

    class Point(BaseModel):
        x: int
        y: int = 0

    @mcp.tool()
    def add(a: int, b: int = 2) -> int:
        """Add two numbers"""
        {stray}
        return a + b

    @mcp.tool()
    def shout(text: str, times: Optional[int] = None) -> list[str]:
        return [text.upper()] * (times or 1)

    @mcp.tool()
    async def move(p: Point, dx: Annotated[int, Field(description="shift")] = 1) -> Point:
        return Point(x=p.x + dx, y=p.y)

    @mcp.tool()
    def pixel() -> Image:
        return Image(data=b"png-bytes", format="png")

    @mcp.tool()
    def broken(x: int) -> str:
        raise RuntimeError(f"broken {{x}}")

    @mcp.tool()
    async def chatty(ctx: Context) -> str:
        await ctx.info("working")
        return f"request {{ctx.request_id}}"

    @mcp.resource("config://app", description="App config")
    def config() -> dict:
        return {{"debug": False, "ratio": 0.5}}

    @mcp.resource("users://{{uid}}/profile")
    def profile(uid: int) -> str:
        return f"user {{uid + 1}}"

    @mcp.prompt()
    def review(code: str, language: str = "python") -> str:
        """Review code"""
        return f"Review this {{language}}: {{code}}"

    if __name__ == "__main__":
        mcp.run()
    '''
)

REQUESTS: list[dict[str, Any]] = [
    {"method": "tools/list"},
    {"method": "tools/call", "params": {"name": "add", "arguments": {"a": 1, "b": 2}}},
    {"method": "tools/call", "params": {"name": "add", "arguments": {"a": "40"}}},
    {"method": "tools/call", "params": {"name": "add", "arguments": {"a": "x"}}},
    {
        "method": "tools/call",
        "params": {"name": "shout", "arguments": {"text": "hi", "times": "2"}},
    },
    {"method": "tools/call", "params": {"name": "move", "arguments": {"p": '{"x": 1}', "dx": 5}}},
    {"method": "tools/call", "params": {"name": "pixel"}},
    {"method": "tools/call", "params": {"name": "broken", "arguments": {"x": 3}}},
    {"method": "tools/call", "params": {"name": "chatty", "arguments": {}}},
    {"method": "resources/list"},
    {"method": "resources/templates/list"},
    {"method": "resources/read", "params": {"uri": "config://app"}},
    {"method": "resources/read", "params": {"uri": "users://41/profile"}},
    {"method": "prompts/list"},
    {"method": "prompts/get", "params": {"name": "review", "arguments": {"code": "x = 1"}}},
]


def serve(tmp_path: Any, package: str) -> dict[int, Any]:
    script = tmp_path / f"server_{package}.py"
    # The SDK lets print() corrupt its stdout stream; ferromcp sends it to stderr.
    stray = (
        'print("stray output must not reach the protocol stream")' if package == "ferromcp" else ""
    )
    script.write_text(SERVER.format(package=package, stray=stray))
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "e2e", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    messages += [
        {"jsonrpc": "2.0", "id": i, **request} for i, request in enumerate(REQUESTS, start=1)
    ]
    env = subprocess_env()
    # Keep stdin open until every answer is in: a closed stdin ends the session.
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    answers: dict[int, Any] = {}
    notifications: list[Any] = []
    try:
        assert process.stdin is not None and process.stdout is not None
        for message in messages:
            process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        while len(answers) < len(messages) - 1:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else "server exited"
            reply = json.loads(line)
            if "id" in reply:
                answers[reply["id"]] = reply
            else:
                notifications.append(reply)
    finally:
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    answers[-1] = notifications
    return answers


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    try:
        import ferromcp._core  # noqa: F401
    except ImportError:
        pytest.fail("the Rust engine (ferromcp._core) is not built")
    tmp_path = tmp_path_factory.mktemp("e2e")
    return serve(tmp_path, "mcp.server.fastmcp"), serve(tmp_path, "ferromcp")


@pytest.mark.parametrize("index", range(1, len(REQUESTS) + 1), ids=[r["method"] for r in REQUESTS])
def test_same_answer_over_stdio(runs: tuple[dict, dict], index: int) -> None:
    sdk, ours = runs
    assert json.dumps(ours[index], sort_keys=False) == json.dumps(sdk[index], sort_keys=False)


def test_log_notification_and_clean_stdout(runs: tuple[dict, dict]) -> None:
    sdk, ours = runs
    assert {"method": "notifications/message", "params": {"level": "info", "data": "working"}} in [
        {k: v for k, v in n.items() if k != "jsonrpc"} for n in ours[-1]
    ]
    assert ours[0]["result"]["serverInfo"] == {"name": "e2e", "version": "0.1.0"}


CLIENT_REQUESTS_SERVER = textwrap.dedent(
    """
    from pydantic import BaseModel
    from ferromcp import FastMCP, Context

    mcp = FastMCP("asks")

    class Answer(BaseModel):
        name: str

    @mcp.tool()
    async def ask(question: str, ctx: Context) -> str:
        sampled = await ctx.session.create_message(
            messages=[{"role": "user", "content": question}], max_tokens=5
        )
        roots = await ctx.session.list_roots()
        answer = await ctx.elicit("Your name?", Answer)
        name = answer.data.name if answer.action == "accept" else "-"
        return f"{sampled.content.text}|{[str(r.uri) for r in roots.roots]}|{name}"

    if __name__ == "__main__":
        mcp.run()
    """
)


def test_server_to_client_requests_over_stdio(tmp_path: Any) -> None:
    try:
        import ferromcp._core  # noqa: F401
    except ImportError:
        pytest.fail("the Rust engine (ferromcp._core) is not built")
    script = tmp_path / "asks.py"
    script.write_text(CLIENT_REQUESTS_SERVER)
    env = subprocess_env()
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None

    def send(message: dict) -> None:
        process.stdin.write(json.dumps({"jsonrpc": "2.0", **message}) + "\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]

    capabilities = {"sampling": {}, "roots": {}, "elicitation": {}}
    client = {"name": "e2e", "version": "1"}
    send(
        {
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": capabilities,
                "clientInfo": client,
            },
        }
    )
    json.loads(process.stdout.readline())
    send({"method": "notifications/initialized"})
    send(
        {
            "id": 2,
            "method": "tools/call",
            "params": {"name": "ask", "arguments": {"question": "hi"}},
        }
    )
    asked = []
    replies = {
        "sampling/createMessage": {
            "role": "assistant",
            "content": {"type": "text", "text": "sampled"},
            "model": "m",
        },
        "roots/list": {"roots": [{"uri": "file:///root"}]},
        "elicitation/create": {"action": "accept", "content": {"name": "Zed"}},
    }
    try:
        while True:
            message = json.loads(process.stdout.readline())
            if message.get("method") in replies:
                asked.append(message["method"])
                send({"id": message["id"], "result": replies[message["method"]]})
            elif message.get("id") == 2:
                break
    finally:
        process.stdin.close()
        process.wait(timeout=20)
    assert asked == ["sampling/createMessage", "roots/list", "elicitation/create"]
    assert message["result"]["content"] == [
        {"type": "text", "text": "sampled|['file:///root']|Zed"}
    ]
