"""The callables registered with the Rust engine: `handler(params, extra, handle)`.

Each returns the JSON-RPC result as plain data (a coroutine for async user functions).
Sync handlers run on the engine's worker threads, async ones on the server's event loop.
See the interface contract for `params`, `extra` and the `RequestHandle`.
"""

from __future__ import annotations

import inspect

from ferromcp._results import error_result
from ferromcp._uri import normalize_uri
from ferromcp.context import RequestContext, current_request
from ferromcp.exceptions import McpError, ResourceError, as_mcp_error
from ferromcp.resources.base import contents_entry
from ferromcp.tools.base import is_url_elicitation_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ferromcp.prompts.base import Prompt
    from ferromcp.resources.base import Resource
    from ferromcp.resources.templates import ResourceTemplate
    from ferromcp.server import FastMCP
    from ferromcp.tools.base import Tool


def _context(server: FastMCP, handle: Any) -> Any:
    from ferromcp.context import Context

    return Context(request_context=RequestContext.from_handle(handle, server), fastmcp=server)


def _tool_failure(name: str, exc: Exception) -> dict:
    if is_url_elicitation_error(exc):
        raise as_mcp_error(exc) from exc  # type: ignore[misc]
    return error_result(f"Error executing tool {name}: {exc}")


# --- tools ---------------------------------------------------------------------------------


def tool_handler(server: FastMCP, tool: Tool) -> tuple[Callable[..., Any], bool]:
    fn, name, output = tool.fn, tool.name, tool.output
    bind = tool.arguments.bind
    context_kwarg = tool.context_kwarg

    if tool.is_async:

        async def call_async_tool(params: dict, extra: Any, handle: Any) -> dict:
            token = current_request.set((handle, server))
            try:
                kwargs = bind(params.get("arguments") or {})
                if context_kwarg is not None:
                    kwargs[context_kwarg] = _context(server, handle)
                return output.to_wire(await fn(**kwargs))
            except Exception as exc:
                return _tool_failure(name, exc)
            finally:
                current_request.reset(token)

        return call_async_tool, True

    def call_tool(params: dict, extra: Any, handle: Any) -> dict:
        token = current_request.set((handle, server))
        try:
            kwargs = bind(params.get("arguments") or {})
            if context_kwarg is not None:
                kwargs[context_kwarg] = _context(server, handle)
            return output.to_wire(fn(**kwargs))
        except Exception as exc:
            return _tool_failure(name, exc)
        finally:
            current_request.reset(token)

    return call_tool, False


# --- resources -----------------------------------------------------------------------------


def _request_uri(params: dict, fallback: str) -> str:
    uri = params.get("uri", fallback)
    try:
        return normalize_uri(uri)
    except ValueError:
        return str(uri)


def resource_handler(server: FastMCP, resource: Resource) -> tuple[Callable[..., Any], bool]:
    read_sync = resource.read_sync

    def result(params: dict, content: str | bytes) -> dict:
        uri = _request_uri(params, resource.uri)
        return {"contents": [contents_entry(uri, content, resource.mime_type, resource.meta)]}

    if read_sync is None:

        async def read_async_resource(params: dict, extra: Any, handle: Any) -> dict:
            token = current_request.set((handle, server))
            try:
                content = await resource.read()
            except Exception as exc:
                raise _resource_failure(exc) from exc
            finally:
                current_request.reset(token)
            return result(params, content)

        return read_async_resource, True

    def read_resource(params: dict, extra: Any, handle: Any) -> dict:
        token = current_request.set((handle, server))
        try:
            content = read_sync()
        except Exception as exc:
            raise _resource_failure(exc) from exc
        finally:
            current_request.reset(token)
        return result(params, content)

    return read_resource, False


def _resource_failure(exc: Exception) -> Exception:
    return as_mcp_error(exc) or ResourceError(str(exc))


def _template_failure(exc: Exception) -> Exception:
    error = as_mcp_error(exc)
    if error is not None:
        return error
    # The SDK wraps the message twice (template, then resource manager).
    return ValueError(
        f"Error creating resource from template: Error creating resource from template: {exc}"
    )


def template_handler(
    server: FastMCP, template: ResourceTemplate
) -> tuple[Callable[..., Any], bool]:
    from ferromcp.resources.types import read_result

    def result(params: dict, value: Any) -> dict:
        uri = _request_uri(params, template.uri_template)
        try:
            content = read_result(value)
        except Exception as exc:
            raise ResourceError(f"Error reading resource {uri}: {exc}") from exc
        return {"contents": [contents_entry(uri, content, template.mime_type, template.meta)]}

    if template.is_async:

        async def read_async_template(params: dict, extra: Any, handle: Any) -> dict:
            token = current_request.set((handle, server))
            try:
                context = _context(server, handle) if template.context_kwarg else None
                value = template.call(dict(extra or {}), context)
                if inspect.isawaitable(value):
                    value = await value
            except Exception as exc:
                raise _template_failure(exc) from exc
            finally:
                current_request.reset(token)
            return result(params, value)

        return read_async_template, True

    def read_template(params: dict, extra: Any, handle: Any) -> dict:
        token = current_request.set((handle, server))
        try:
            context = _context(server, handle) if template.context_kwarg else None
            value = template.call(dict(extra or {}), context)
        except Exception as exc:
            raise _template_failure(exc) from exc
        finally:
            current_request.reset(token)
        return result(params, value)

    return read_template, False


# --- prompts -------------------------------------------------------------------------------


def prompt_failure(exc: Exception) -> McpError:
    """Prompt errors as JSON-RPC errors: bad arguments -32602, failures in the function -32603."""
    error = as_mcp_error(exc)
    if error is not None:
        return error
    invalid = getattr(exc, "invalid_arguments", False)
    return McpError(-32602 if invalid else -32603, str(exc))


def prompt_handler(server: FastMCP, prompt: Prompt) -> tuple[Callable[..., Any], bool]:
    def result(messages: list[dict]) -> dict:
        out: dict[str, Any] = {}
        if prompt.description is not None:
            out["description"] = prompt.description
        out["messages"] = messages
        return out

    if prompt.is_async:

        async def get_async_prompt(params: dict, extra: Any, handle: Any) -> dict:
            token = current_request.set((handle, server))
            try:
                context = _context(server, handle) if prompt.context_kwarg else None
                value = prompt.start(params.get("arguments"), context)
                if inspect.isawaitable(value):
                    try:
                        value = await value
                    except Exception as exc:
                        raise prompt.render_error(exc) from exc
                return result(prompt.finish(value))
            except Exception as exc:
                raise prompt_failure(exc) from exc
            finally:
                current_request.reset(token)

        return get_async_prompt, True

    def get_prompt(params: dict, extra: Any, handle: Any) -> dict:
        token = current_request.set((handle, server))
        try:
            context = _context(server, handle) if prompt.context_kwarg else None
            return result(prompt.finish(prompt.start(params.get("arguments"), context)))
        except Exception as exc:
            raise prompt_failure(exc) from exc
        finally:
            current_request.reset(token)

    return get_prompt, False


# --- completion ----------------------------------------------------------------------------


def completion_arguments(params: dict) -> tuple[Any, Any, Any]:
    """(ref, argument, context) objects for a completion/complete request."""
    from ferromcp.types import CompletionArgument, CompletionContext, for_user, parse_reference

    ref = parse_reference(params.get("ref"))
    argument = for_user(CompletionArgument, params.get("argument") or {})
    context = params.get("context")
    return ref, argument, (for_user(CompletionContext, context) if context is not None else None)


def completion_result(completion: Any) -> dict:
    from ferromcp.types import to_wire

    if completion is None:
        return {"completion": {"values": []}}
    data = to_wire(completion)
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if value is not None}
    return {"completion": data}


def completion_handler(server: FastMCP, fn: Callable[..., Any]) -> tuple[Callable[..., Any], bool]:
    from ferromcp._introspect import is_async_callable

    if is_async_callable(fn):

        async def complete_async(params: dict, extra: Any, handle: Any) -> dict:
            token = current_request.set((handle, server))
            try:
                return completion_result(await fn(*completion_arguments(params)))
            finally:
                current_request.reset(token)

        return complete_async, True

    def complete(params: dict, extra: Any, handle: Any) -> dict:
        token = current_request.set((handle, server))
        try:
            value = fn(*completion_arguments(params))
            if inspect.isawaitable(value):
                raise TypeError("completion handler returned an awaitable from a sync function")
            return completion_result(value)
        finally:
            current_request.reset(token)

    return complete, False


# --- low-level method hooks ---------------------------------------------------------------


def _subscription_uri(params: dict) -> tuple[Any]:
    # The SDK hands the low-level handler the URI as pydantic's AnyUrl.
    from pydantic import AnyUrl, ValidationError

    try:
        return (AnyUrl(params.get("uri")),)
    except ValidationError:
        raise McpError(-32602, "Invalid request parameters", "") from None


HOOK_ARGUMENTS: dict[str, Callable[[dict], tuple]] = {
    "logging/setLevel": lambda params: (params.get("level"),),
    "resources/subscribe": _subscription_uri,
    "resources/unsubscribe": _subscription_uri,
}


def hook_handler(
    server: FastMCP, method: str, fn: Callable[..., Any]
) -> tuple[Callable[..., Any], bool]:
    """A user function told about a request the engine already handled; replies `{}`."""
    from ferromcp._introspect import is_async_callable

    arguments = HOOK_ARGUMENTS[method]

    def failure(exc: Exception) -> Exception:
        return as_mcp_error(exc) or exc

    if is_async_callable(fn):

        async def run_async_hook(params: dict, extra: Any, handle: Any) -> dict:
            token = current_request.set((handle, server))
            try:
                await fn(*arguments(params))
                return {}
            except Exception as exc:
                raise failure(exc) from exc
            finally:
                current_request.reset(token)

        return run_async_hook, True

    def run_hook(params: dict, extra: Any, handle: Any) -> dict:
        token = current_request.set((handle, server))
        try:
            value = fn(*arguments(params))
            if inspect.isawaitable(value):
                raise TypeError(f"{method} handler returned an awaitable from a sync function")
            return {}
        except Exception as exc:
            raise failure(exc) from exc
        finally:
            current_request.reset(token)

    return run_hook, False


__all__ = [
    "completion_handler",
    "hook_handler",
    "prompt_handler",
    "resource_handler",
    "template_handler",
    "tool_handler",
]
