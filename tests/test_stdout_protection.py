"""Writes to stdout behind the protocol's back must not corrupt the stdio stream: bytes a
tool writes to file descriptor 1, and what child processes that inherit it print, go to
stderr, and every line on stdout stays a JSON-RPC message (tests/servers/stdout_server.py,
ferromcp flavour; under v1 these lines corrupt the stream)."""

from __future__ import annotations

import time

import anyio
import pytest
from stdio_harness import connect

pytestmark = pytest.mark.timeout(60)


def wait_for_stderr(server, text: str, timeout: float = 5) -> str:
    deadline = time.monotonic() + timeout
    while text not in server.stderr():
        assert time.monotonic() < deadline, f"{text!r} not on stderr: {server.stderr()!r}"
        time.sleep(0.02)
    return server.stderr()


@pytest.mark.parametrize(
    "tool, marker, answer",
    [
        ("fd_write", "junk-from-fd-1", "wrote to fd 1"),
        ("child_write", "junk-from-a-child", "child wrote"),
        ("shell_write", "junk-from-a-shell", "shell exited 0"),
    ],
)
def test_stdout_writes_go_to_stderr(raw_server, tool, marker, answer):
    server = raw_server("stdout_server")
    server.initialize()
    for round_ in range(2):
        reply = server.request("tools/call", {"name": tool, "arguments": {"text": marker}})
        assert reply["result"]["structuredContent"] == {"result": answer}, reply
        # The next call still works; RawServer.read parses every stdout line as JSON, so
        # a stray line would fail here.
        reply = server.request("tools/call", {"name": "echo", "arguments": {"text": f"r{round_}"}})
        assert reply["result"]["structuredContent"] == {"result": f"r{round_}"}, reply
        assert server.no_output(0.2), "unexpected output on stdout"
        assert wait_for_stderr(server, marker).count(marker) >= round_ + 1
    server.close_stdin()
    assert server.proc.wait(timeout=10) == 0, server.stderr()
    # Nothing was left on stdout: the stream ended after the last reply.
    assert server.lines.get(timeout=5) is None


def test_official_client_sees_only_protocol_messages(server_path):
    async def main() -> None:
        async with connect(server_path("stdout_server")) as conn:
            for tool in ("fd_write", "child_write", "shell_write"):
                result = await conn.call(tool, {"text": f"noise-{tool}"})
                assert result["isError"] is False, result
            result = await conn.call("echo", {"text": "still fine"})
            assert result["structuredContent"] == {"result": "still fine"}
            assert conn.client_errors == []
            # Every message the client parsed is JSON-RPC from the server (a reply or the
            # initialize result); none came from the junk.
            assert all(m.get("jsonrpc") == "2.0" for m in conn.messages)
            for tool in ("fd_write", "child_write", "shell_write"):
                await conn.wait_until(lambda t=tool: f"noise-{t}" in conn.stderr())

    anyio.run(main)
