"""Test doubles: a recorder standing in for the Rust `_core.Server`, a fake RequestHandle.

The recorder keeps every definition and handler the facade registers, so tests can read
what tools/list would show and call handlers exactly as the engine does
(`handler(params, extra, handle)`), without the compiled extension.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import os
import sys
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Test the installed ferromcp when there is one (CI installs the wheel); else the source tree.
if importlib.util.find_spec("ferromcp") is None:
    sys.path.insert(0, os.path.join(ROOT, "python"))

import ferromcp  # noqa: E402

# Where `import ferromcp` finds the package; subprocesses get it on PYTHONPATH.
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(ferromcp.__file__)))


def subprocess_env() -> dict[str, str]:
    """Environment for a child Python that must import the same ferromcp as the tests."""
    paths = [PACKAGE_PARENT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths))


class Registered:
    def __init__(self, definition: dict, handler: Any, is_async: bool) -> None:
        self.definition = definition
        self.handler = handler
        self.is_async = is_async


class RecorderServer:
    """Pure-Python stand-in for `ferromcp._core.Server` that records registrations."""

    def __init__(self, name: str, version: str, **options: Any) -> None:
        self.name = name
        self.version = version
        self.options = options
        self.tools: dict[str, Registered] = {}
        self.resources: dict[str, Registered] = {}
        self.templates: dict[str, Registered] = {}
        self.prompts: dict[str, Registered] = {}
        self.completion: tuple[Any, bool] | None = None
        self.hooks: dict[str, tuple[Any, bool]] = {}
        self.log: list[tuple] = []

    def add_tool(self, definition: dict, handler: Any, is_async: bool) -> None:
        self.log.append(("add_tool", definition["name"]))
        self.tools[definition["name"]] = Registered(definition, handler, is_async)

    def remove_tool(self, name: str) -> bool:
        self.log.append(("remove_tool", name))
        return self.tools.pop(name, None) is not None

    def add_resource(self, definition: dict, handler: Any, is_async: bool) -> None:
        self.resources[definition["uri"]] = Registered(definition, handler, is_async)

    def remove_resource(self, uri: str) -> bool:
        return self.resources.pop(uri, None) is not None

    def add_template(self, definition: dict, handler: Any, is_async: bool) -> None:
        self.templates[definition["uriTemplate"]] = Registered(definition, handler, is_async)

    def add_prompt(self, definition: dict, handler: Any, is_async: bool) -> None:
        self.prompts[definition["name"]] = Registered(definition, handler, is_async)

    def remove_prompt(self, name: str) -> bool:
        return self.prompts.pop(name, None) is not None

    def set_completion(self, handler: Any, is_async: bool = True) -> None:
        self.completion = (handler, is_async)

    def set_info(self, name: str, version: str, **options: Any) -> None:
        self.name = name
        self.version = version
        self.options = options

    def set_hook(self, method: str, handler: Any, is_async: bool = True) -> None:
        if handler is None:
            self.hooks.pop(method, None)
        else:
            self.hooks[method] = (handler, is_async)

    def notify_resource_updated(self, uri: str) -> None:
        self.log.append(("notify_resource_updated", uri))

    def start_stdio(self, *args: Any, **kwargs: Any) -> None:  # pragma: no cover - not used here
        raise RuntimeError("the recorder does not serve")


class FakeHandle:
    """Records what a handler sends through its RequestHandle; answers requests from `replies`."""

    def __init__(
        self,
        request_id: Any = 1,
        meta: dict | None = None,
        client_params: dict | None = None,
        headers: dict | None = None,
        replies: dict | None = None,
    ) -> None:
        self.request_id = request_id
        self.meta = meta
        self.progress_token = (meta or {}).get("progressToken")
        self.session_id = None
        self.client_params = client_params
        self.protocol_version = "2025-06-18"
        self.headers = headers
        self.cancelled = False
        self.sent: list[tuple] = []
        self.replies = replies or {}

    def log(self, level: str, data: Any, logger: str | None = None) -> None:
        self.sent.append(("log", level, data, logger))

    def progress(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> None:
        if self.progress_token is not None:
            self.sent.append(("progress", progress, total, message))

    def notify(self, method: str, params: dict | None = None) -> None:
        self.sent.append(("notify", method, params))

    def request(self, method: str, params: dict | None, callback: Any) -> None:
        self.sent.append(("request", method, params))
        ok, value = self.replies.get(method, (False, (-32601, "Method not found", None)))
        # Reply from another thread, as the engine does.
        import threading

        threading.Thread(target=callback, args=(ok, value)).start()


def invoke(
    registered: Any, params: dict, extra: Any = None, handle: FakeHandle | None = None
) -> Any:
    """Call a registered handler like the engine: sync directly, async on an event loop."""
    handler, is_async = (
        (registered.handler, registered.is_async)
        if isinstance(registered, Registered)
        else registered
    )
    handle = handle or FakeHandle()
    result = handler(params, extra, handle)
    if is_async:
        assert inspect.iscoroutine(result), "async handler must return a coroutine"
        return asyncio.run(result)
    assert not inspect.iscoroutine(result), "sync handler returned a coroutine"
    return result
