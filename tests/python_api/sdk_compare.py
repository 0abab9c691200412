"""Helpers for differential tests: the same functions on the SDK's FastMCP and on ours.

SDK side: results come from the SDK's own low-level request handlers, dumped the way the SDK
puts them on the wire (`model_dump(by_alias=True, exclude_none=True, mode="json")`).
Our side: the handlers recorded by the stand-in engine, called as the Rust engine calls them.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import math
from collections.abc import Callable
from typing import Any

mcp_types = importlib.import_module("mcp.types")
jsonschema = importlib.import_module("jsonschema")

from ferro_fakes import FakeHandle, invoke  # noqa: E402


def wire(value: Any) -> str:
    """Order-sensitive JSON text (key order is compared too), as the engine writes it:
    non-finite floats become null, like pydantic's JSON mode in the SDK."""
    return json.dumps(_finite(value), ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def dump(model: Any) -> Any:
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")


class Pair:
    """One SDK FastMCP and one ferromcp FastMCP with the same registrations."""

    def __init__(self, **kwargs: Any) -> None:
        import ferromcp
        from mcp.server.fastmcp import FastMCP as SdkFastMCP

        self.sdk = SdkFastMCP("pair", **kwargs)
        self.ours = ferromcp.FastMCP("pair", **kwargs)
        self.core = self.ours._core

    # --- registration on both ---

    def tool(self, fn: Callable[..., Any] | None = None, **options: Any) -> Any:
        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            self.sdk.add_tool(f, **options)
            self.ours.add_tool(f, **options)
            return f

        return register(fn) if fn is not None else register

    def resource(
        self, uri: str, **options: Any
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            self.sdk.resource(uri, **options)(f)
            self.ours.resource(uri, **options)(f)
            return f

        return register

    def prompt(self, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(f: Callable[..., Any]) -> Callable[..., Any]:
            self.sdk.prompt(**options)(f)
            self.ours.prompt(**options)(f)
            return f

        return register

    # --- tools ---

    def sdk_tools(self) -> list[dict]:
        return [dump(tool) for tool in asyncio.run(self.sdk.list_tools())]

    def our_tools(self) -> list[dict]:
        return [registered.definition for registered in self.core.tools.values()]

    def sdk_call(self, name: str, arguments: Any) -> dict:
        handler = self.sdk._mcp_server.request_handlers[mcp_types.CallToolRequest]
        request = mcp_types.CallToolRequest(
            method="tools/call",
            params=mcp_types.CallToolRequestParams(name=name, arguments=arguments),
        )
        return dump(asyncio.run(handler(request)).root)

    def our_call(
        self, name: str, arguments: Any, extra: bool | None = None, handle: FakeHandle | None = None
    ) -> Any:
        registered = self.core.tools[name]
        arguments = arguments or {}
        if extra is None:
            extra = schema_valid(registered.definition["inputSchema"], arguments)
        return invoke(registered, {"name": name, "arguments": arguments}, extra, handle)

    # --- resources ---

    def sdk_resources(self) -> list[dict]:
        return [dump(r) for r in asyncio.run(self.sdk.list_resources())]

    def our_resources(self) -> list[dict]:
        return [registered.definition for registered in self.core.resources.values()]

    def sdk_templates(self) -> list[dict]:
        return [dump(t) for t in asyncio.run(self.sdk.list_resource_templates())]

    def our_templates(self) -> list[dict]:
        return [registered.definition for registered in self.core.templates.values()]

    def sdk_read(self, uri: str) -> tuple[str, Any]:
        handler = self.sdk._mcp_server.request_handlers[mcp_types.ReadResourceRequest]
        request = mcp_types.ReadResourceRequest(
            method="resources/read", params=mcp_types.ReadResourceRequestParams(uri=uri)
        )
        try:
            return "ok", dump(asyncio.run(handler(request)).root)
        except Exception as exc:
            return "error", str(exc)

    def our_read(self, uri: str, handle: FakeHandle | None = None) -> tuple[str, Any]:
        """Route like the engine: exact concrete URI first, then templates (vars as `extra`)."""
        from ferromcp._uri import normalize_uri

        key = normalize_uri(uri)
        resource, template, params = self.ours._resource_manager.find(key)
        try:
            if resource is not None:
                return "ok", invoke(self.core.resources[resource.uri], {"uri": uri}, None, handle)
            assert template is not None, f"no resource for {uri}"
            return "ok", invoke(
                self.core.templates[template.uri_template], {"uri": uri}, params, handle
            )
        except Exception as exc:
            return "error", str(exc)

    # --- prompts ---

    def sdk_prompts(self) -> list[dict]:
        return [dump(p) for p in asyncio.run(self.sdk.list_prompts())]

    def our_prompts(self) -> list[dict]:
        return [registered.definition for registered in self.core.prompts.values()]

    def sdk_get_prompt(self, name: str, arguments: dict | None) -> tuple[str, Any]:
        handler = self.sdk._mcp_server.request_handlers[mcp_types.GetPromptRequest]
        request = mcp_types.GetPromptRequest(
            method="prompts/get",
            params=mcp_types.GetPromptRequestParams(name=name, arguments=arguments),
        )
        try:
            return "ok", dump(asyncio.run(handler(request)).root)
        except Exception as exc:
            return "error", str(exc)

    def our_get_prompt(
        self, name: str, arguments: dict | None, handle: FakeHandle | None = None
    ) -> tuple[str, Any]:
        params: dict[str, Any] = {"name": name}
        if arguments is not None:
            params["arguments"] = arguments
        try:
            return "ok", invoke(self.core.prompts[name], params, None, handle)
        except Exception as exc:
            return "error", str(exc)


def schema_valid(schema: dict, arguments: Any) -> bool:
    """What the engine's compiled validator answers (the `extra` flag of tools/call)."""
    try:
        jsonschema.validate(arguments, schema, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError:
        return False
    return True
