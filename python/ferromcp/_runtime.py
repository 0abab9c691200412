"""The asyncio half of the bridge: runs what the Rust engine queues for the loop.

The engine announces queued work by writing to a pipe the loop watches; one wake drains
the whole queue. Async handlers become tasks whose return value (or exception) goes back
through their request handle; cancelled tasks reply nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import sys
from typing import Any

_CALL, _CANCEL, _REPLY, _FINISHED, _DELIVER, _HTTP = 0, 1, 2, 3, 4, 5


class Runtime:
    """Feeds one `_core.Server`'s loop-bound work to the running asyncio loop."""

    def __init__(self, core: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.core = core
        self.loop = loop
        self.done: asyncio.Future[None] = loop.create_future()
        self._tasks: set[asyncio.Task[None]] = set()
        loop.add_reader(core.wake_fd, self._on_wake)
        # Sync handlers run on worker threads; give each call a copy of the serving
        # context, as asyncio gives each task one, so ContextVars set before serving
        # (at import, in the lifespan) are seen there too.
        serving = contextvars.copy_context()
        core.set_sync_runner(lambda handler, *args: serving.copy().run(handler, *args))

    def close(self) -> None:
        self.loop.remove_reader(self.core.wake_fd)
        self.core.set_sync_runner(None)
        for task in list(self._tasks):
            task.cancel()

    def _on_wake(self) -> None:
        for item in self.core._take_batch():
            kind = item[0]
            if kind == _CALL:
                _, handler, params, extra, handle = item
                task = self.loop.create_task(_run(handler, params, extra, handle))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                handle._set_task(task)
            elif kind == _CANCEL:
                item[1].cancel()
            elif kind == _REPLY:
                _, callback, ok, value = item
                try:
                    callback(ok, value)
                except Exception as exc:  # a broken callback must not stop the loop
                    print(f"ferromcp: reply callback failed: {exc!r}", file=sys.stderr)
            elif kind == _DELIVER:
                item[1](item[2])
            elif kind == _HTTP:
                _, handler, request, respond = item
                task = self.loop.create_task(handler(request, respond))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            elif kind == _FINISHED and not self.done.done():
                self.done.set_result(None)


async def _run(handler: Any, params: Any, extra: Any, handle: Any) -> None:
    try:
        result = await handler(params, extra, handle)
    except asyncio.CancelledError:
        # Cancelled by the client (no reply is sent) or by shutdown.
        return
    except BaseException as exc:  # noqa: BLE001 - every failure becomes an error reply
        handle.fail(exc)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return
    handle.respond(result)


# One runtime per engine and loop, shared by whatever serves on it (stdio, in-process
# sessions): the loop can watch a descriptor through one reader only.
_active: dict[tuple[int, int], tuple[Runtime, int]] = {}


def acquire(core: Any, loop: asyncio.AbstractEventLoop) -> Runtime:
    key = (id(core), id(loop))
    runtime, users = _active.get(key, (None, 0))
    if runtime is None:
        runtime = Runtime(core, loop)
    _active[key] = (runtime, users + 1)
    return runtime


def release(runtime: Runtime) -> None:
    key = (id(runtime.core), id(runtime.loop))
    _, users = _active[key]
    if users > 1:
        _active[key] = (runtime, users - 1)
    else:
        del _active[key]
        runtime.close()


async def serve_stdio(core: Any) -> None:
    """Serve `core` over this process's stdin/stdout until the client goes away."""
    loop = asyncio.get_running_loop()
    # Anything Python buffered for stdout must leave before the descriptor moves.
    sys.stdout.flush()
    runtime = acquire(core, loop)
    try:
        core.start_stdio()
        # From here descriptor 1 is stderr; make Python's own stdout say so too.
        sys.stdout = sys.stderr
        await runtime.done
    finally:
        core.close()
        release(runtime)


async def serve_http(core: Any, config: dict[str, Any]) -> None:
    """Serve `core` over HTTP until SIGINT/SIGTERM or cancellation, then shut down
    gracefully: stop accepting, let in-flight requests finish, close the streams."""
    import signal

    loop = asyncio.get_running_loop()
    runtime = acquire(core, loop)
    host, port = core.start_http(config)
    path = config.get("streamable_http_path", "/mcp")
    print(f"ferromcp: serving MCP on http://{host}:{port}{path}", file=sys.stderr)
    handled: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, core.stop_http)
            handled.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or no signal support: cancellation still stops us
    try:
        await asyncio.shield(runtime.done)
    except asyncio.CancelledError:
        core.stop_http()
        await asyncio.wait_for(asyncio.shield(runtime.done), timeout=30)
        raise
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
        release(runtime)
