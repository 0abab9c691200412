"""Run a server file from tests/servers/ in one of two flavours and talk to it over stdio.

- "sdk": the file as written, served by the official SDK v1 (`mcp.server.fastmcp`).
- "ferromcp": the same file with only the FastMCP import lines rewritten to `ferromcp`.

`connect()` starts the process with the official client (`mcp.client.stdio.stdio_client` +
`mcp.ClientSession`). Every message the server writes is recorded as wire JSON (the dicts
the client parsed out of each line, before any typed model sees them), so tests can assert
on exactly what went over the pipe. `Connection.request()` sends raw JSON-RPC requests with
string ids through the same transport; their answers bypass `ClientSession`, which keeps
handling server->client requests (sampling, elicitation, roots) with recording callbacks.
`client_session()` is that recording session over any official client transport's streams
(http_harness.py uses it over Streamable HTTP and legacy SSE).

`RawServer` is a plain `subprocess.Popen` line client for byte-level protocol tests.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.context import RequestContext
from mcp.shared.message import SessionMessage

SERVERS_DIR = Path(__file__).parent / "servers"
SERVER_FILES = sorted(p.stem for p in SERVERS_DIR.glob("*_server.py"))
FLAVOURS = ("sdk", "ferromcp")


def per_flavour(run: Callable[[str], Awaitable[Any]]) -> dict[str, Any]:
    """Run `run(flavour)` for both flavours side by side; flavour -> what it returned."""
    out: dict[str, Any] = {}

    async def one(flavour: str) -> None:
        out[flavour] = await run(flavour)

    async def both() -> None:
        async with anyio.create_task_group() as tg:
            for flavour in FLAVOURS:
                tg.start_soon(one, flavour)

    anyio.run(both)
    return out


# Only these import lines change; `mcp.types`, `mcp.server.session` etc. stay, as users keep them.
_FASTMCP_IMPORT = re.compile(r"^(\s*(?:from|import)\s+)mcp\.server\.fastmcp\b", re.MULTILINE)


def ferromcp_source(source: str) -> str:
    """The user's one-line migration: `mcp.server.fastmcp[.x]` -> `ferromcp[.x]` in imports."""
    rewritten = _FASTMCP_IMPORT.sub(r"\1ferromcp", source)
    assert "mcp.server.fastmcp" not in rewritten, "an import form the rewrite does not know"
    return rewritten


def server_script(name: str, flavour: str, work_dir: Path) -> Path:
    """Path of the runnable file for `name` (a stem in tests/servers/) in `flavour`."""
    original = SERVERS_DIR / f"{name}.py"
    if flavour == "sdk":
        return original
    if flavour != "ferromcp":
        raise ValueError(f"unknown flavour {flavour!r}")
    target = work_dir / f"{name}.py"
    if not target.exists():
        target.write_text(ferromcp_source(original.read_text()))
    return target


# --- wire recording ------------------------------------------------------------------


def wire_dict(message: types.JSONRPCMessage) -> dict[str, Any]:
    """The JSON object as received. `result`/`params` are the client's raw dicts."""
    root = message.root
    out: dict[str, Any] = {"jsonrpc": root.jsonrpc}
    if isinstance(root, types.JSONRPCRequest | types.JSONRPCNotification):
        out["method"] = root.method
        if root.params is not None:
            out["params"] = root.params
    if isinstance(root, types.JSONRPCRequest | types.JSONRPCResponse):
        out["id"] = root.id
    if isinstance(root, types.JSONRPCResponse):
        out["result"] = root.result
    if isinstance(root, types.JSONRPCError):
        if root.id is not None:
            out["id"] = root.id
        out["error"] = root.error.model_dump(exclude_unset=True)
    return out


class RpcError(Exception):
    """A JSON-RPC error answer to a raw request."""

    def __init__(self, error: dict[str, Any]):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error
        self.code = error.get("code")
        self.message = error.get("message")
        self.data = error.get("data")


DEFAULT_ROOTS = [types.Root(uri="file:///work/project", name="project")]


def default_elicitation_reply(
    params: types.ElicitRequestParams,
) -> types.ElicitResult | types.ErrorData:
    """Accept, unless the message asks otherwise with a [decline]/[cancel]/[invalid]/[error] tag."""
    if isinstance(params, types.ElicitRequestURLParams):
        return types.ElicitResult(action="accept")
    if "[decline]" in params.message:
        return types.ElicitResult(action="decline")
    if "[cancel]" in params.message:
        return types.ElicitResult(action="cancel")
    if "[invalid]" in params.message:
        return types.ElicitResult(action="accept", content={"confirm": True, "seats": "many"})
    if "[error]" in params.message:
        return types.ErrorData(code=-32600, message="Elicitation not available right now")
    return types.ElicitResult(
        action="accept", content={"confirm": True, "seats": 4, "notes": "window"}
    )


@dataclass
class Connection:
    session: ClientSession
    write: Any
    stderr_file: Any
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Every message from the server, in arrival order, as wire dicts."""
    arrival: list[float] = field(default_factory=list)
    """monotonic() arrival time of each entry of `messages`."""
    client_errors: list[Exception] = field(default_factory=list)
    """Lines the official client could not parse, and session-level errors."""
    logs: list[types.LoggingMessageNotificationParams] = field(default_factory=list)
    sampling_requests: list[types.CreateMessageRequestParams] = field(default_factory=list)
    elicitation_requests: list[types.ElicitRequestParams] = field(default_factory=list)
    roots_requests: int = 0
    elicitation_reply: Callable[
        [types.ElicitRequestParams], types.ElicitResult | types.ErrorData
    ] = default_elicitation_reply
    roots: list[types.Root] = field(default_factory=lambda: list(DEFAULT_ROOTS))
    closed: bool = False
    """True once the server's stdout ended."""
    get_session_id: Callable[[], str | None] | None = None
    """Streamable HTTP: the Mcp-Session-Id the client holds."""
    _pending: dict[str, Any] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    # -- raw requests ---------------------------------------------------------------

    async def send_request(self, method: str, params: dict[str, Any] | None = None) -> str:
        """Send a request without waiting; returns its (string) id."""
        rid = f"raw-{next(self._ids)}"
        self._pending[rid] = anyio.Event()
        if self.closed:
            self._pending[rid].set()
        msg = types.JSONRPCRequest(jsonrpc="2.0", id=rid, method=method, params=params)
        await self.write.send(SessionMessage(types.JSONRPCMessage(msg)))
        return rid

    async def wait_response(self, rid: str, timeout: float = 15) -> dict[str, Any]:
        """The wire reply to `rid` ({"result": ...} or {"error": ...} plus envelope)."""
        with anyio.fail_after(timeout):
            await self._pending[rid].wait()
        reply = self.response_to(rid)
        if reply is None:
            raise ConnectionError(f"server closed stdout before answering {rid}")
        return reply

    def response_to(self, rid: str) -> dict[str, Any] | None:
        for m in self.messages:
            if m.get("id") == rid and "method" not in m:
                return m
        return None

    async def request(
        self, method: str, params: dict[str, Any] | None = None, timeout: float = 15
    ) -> dict[str, Any]:
        """Raw request -> the result dict; a JSON-RPC error raises RpcError."""
        reply = await self.wait_response(await self.send_request(method, params), timeout)
        if "error" in reply:
            raise RpcError(reply["error"])
        return reply["result"]

    async def call(self, tool: str, arguments: dict[str, Any] | None = None, **kw) -> dict:
        params: dict[str, Any] = {"name": tool}
        if arguments is not None:
            params["arguments"] = arguments
        return await self.request("tools/call", params, **kw)

    async def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        msg = types.JSONRPCNotification(jsonrpc="2.0", method=method, params=params)
        await self.write.send(SessionMessage(types.JSONRPCMessage(msg)))

    # -- what arrived ---------------------------------------------------------------

    def notifications(self, method: str | None = None) -> list[dict[str, Any]]:
        """Params of server notifications (all, or of one method), in arrival order."""
        return [
            m.get("params", {})
            for m in self.messages
            if "method" in m and "id" not in m and (method is None or m["method"] == method)
        ]

    def messages_between(self, start: int, rid: str) -> list[dict[str, Any]]:
        """Messages after index `start` and before the reply to `rid`."""
        out = []
        for m in self.messages[start:]:
            if m.get("id") == rid and "method" not in m:
                break
            out.append(m)
        return out

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        with anyio.fail_after(timeout):
            while not predicate():
                await anyio.sleep(0.02)

    def stderr(self) -> str:
        self.stderr_file.flush()
        self.stderr_file.seek(0)
        return self.stderr_file.read()


@asynccontextmanager
async def connect(script: Path, *, initialize: bool = True) -> AsyncIterator[Connection]:
    """Start `script` with the official stdio client; yields an (initialized) Connection."""
    async with surfacing_failures(_connect_stdio(script, initialize)) as conn:
        yield conn


@asynccontextmanager
async def _connect_stdio(script: Path, initialize: bool) -> AsyncIterator[Connection]:
    params = StdioServerParameters(
        command=sys.executable, args=[str(script)], cwd=str(script.parent), env=child_env()
    )
    with tempfile.TemporaryFile("w+") as errlog:
        async with stdio_client(params, errlog=errlog) as (server_read, write):
            async with client_session(server_read, write, errlog, initialize=initialize) as conn:
                yield conn


@asynccontextmanager
async def surfacing_failures(opened: Any) -> AsyncIterator[Connection]:
    """Enter `opened` (a connection's context manager) and re-raise the test's own failure
    outside its task groups, so pytest shows it instead of nested ExceptionGroups."""
    failure: list[BaseException] = []
    async with opened as conn:
        try:
            yield conn
        except BaseException as exc:
            if isinstance(exc, anyio.get_cancelled_exc_class() | KeyboardInterrupt | GeneratorExit):
                raise
            failure.append(exc)
    if failure:
        raise failure[0]


@asynccontextmanager
async def client_session(
    server_read: Any, write: Any, log_file: Any, *, initialize: bool = True
) -> AsyncIterator[Connection]:
    """A recording `ClientSession` over any official client transport's stream pair
    (stdio here; Streamable HTTP and legacy SSE in http_harness.py). `log_file` is what
    `Connection.stderr()` reads: the server's output."""
    forward_send, forward_recv = anyio.create_memory_object_stream[SessionMessage | Exception](256)
    conn_box: list[Connection] = []

    async def pump() -> None:
        # Record everything; answers to our raw (string-id) requests stop here.
        async with forward_send:
            async for item in server_read:
                conn = conn_box[0]
                if isinstance(item, Exception):
                    conn.client_errors.append(item)
                    await forward_send.send(item)
                    continue
                wire = wire_dict(item.message)
                conn.messages.append(wire)
                conn.arrival.append(time.monotonic())
                rid = wire.get("id")
                if "method" not in wire and isinstance(rid, str) and rid in conn._pending:
                    conn._pending[rid].set()
                    continue
                await forward_send.send(item)
        # The server closed its output: nothing more will answer.
        conn = conn_box[0]
        conn.closed = True
        for event in conn._pending.values():
            event.set()

    async def on_sampling(
        ctx: RequestContext, p: types.CreateMessageRequestParams
    ) -> types.CreateMessageResult | types.ErrorData:
        conn_box[0].sampling_requests.append(p)
        texts = [m.content.text for m in p.messages if m.content.type == "text"]
        if any("[reject]" in t for t in texts):
            return types.ErrorData(code=-1, message="User rejected sampling")
        return types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=f"short version of {texts!r}"),
            model="test-model",
            stopReason="endTurn",
        )

    async def on_elicitation(
        ctx: RequestContext, p: types.ElicitRequestParams
    ) -> types.ElicitResult | types.ErrorData:
        conn_box[0].elicitation_requests.append(p)
        return conn_box[0].elicitation_reply(p)

    async def on_roots(ctx: RequestContext) -> types.ListRootsResult:
        conn_box[0].roots_requests += 1
        return types.ListRootsResult(roots=conn_box[0].roots)

    async def on_log(p: types.LoggingMessageNotificationParams) -> None:
        conn_box[0].logs.append(p)

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception):
            conn_box[0].client_errors.append(message)

    async with anyio.create_task_group() as tg:
        session = ClientSession(
            forward_recv,
            write,
            sampling_callback=on_sampling,
            elicitation_callback=on_elicitation,
            list_roots_callback=on_roots,
            logging_callback=on_log,
            message_handler=on_message,
        )
        conn = Connection(session=session, write=write, stderr_file=log_file)
        conn_box.append(conn)
        tg.start_soon(pump)
        async with session:
            if initialize:
                with anyio.fail_after(20):
                    await session.initialize()
            yield conn
        tg.cancel_scope.cancel()


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("HOME", "PATH", "LANG", "TMPDIR")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


# --- raw byte-level client -----------------------------------------------------------


class RawServer:
    """A server process driven line by line; a reader thread collects stdout lines."""

    def __init__(self, script: Path):
        self.proc = subprocess.Popen(
            [sys.executable, str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(script.parent),
            env=child_env(),
        )
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.stderr_chunks: list[bytes] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._ids = itertools.count(1000)

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for chunk in iter(lambda: self.proc.stderr.read1(4096), b""):
            self.stderr_chunks.append(chunk)

    def write_line(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(data.rstrip(b"\n") + b"\n")
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        self.write_line(json.dumps(message))

    def read(self, timeout: float = 10) -> Any:
        """The next stdout line, parsed. Every line must be JSON."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no output within {timeout}s; stderr: {self.stderr()}") from None
        if line is None:
            raise AssertionError(f"stdout closed; stderr: {self.stderr()}")
        return json.loads(line)

    def read_reply(self, rid: Any, timeout: float = 10) -> dict[str, Any]:
        """Skip notifications until the reply with id `rid`."""
        deadline = time.monotonic() + timeout
        while True:
            msg = self.read(max(0.05, deadline - time.monotonic()))
            if isinstance(msg, dict) and "method" in msg:
                continue
            assert isinstance(msg, dict) and msg.get("id") == rid, f"expected reply to {rid}: {msg}"
            return msg

    def request(self, method: str, params: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
        rid = next(self._ids)
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.read_reply(rid, **kw)

    def initialize(self, version: str = "2025-06-18", capabilities: dict | None = None) -> dict:
        reply = self.request(
            "initialize",
            {
                "protocolVersion": version,
                "capabilities": capabilities or {},
                "clientInfo": {"name": "raw-test", "version": "0"},
            },
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return reply

    def no_output(self, within: float) -> bool:
        try:
            line = self.lines.get(timeout=within)
        except queue.Empty:
            return True
        self.lines.put(line)
        return False

    def stderr(self) -> str:
        return b"".join(self.stderr_chunks).decode(errors="replace")

    def close_stdin(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=3)
