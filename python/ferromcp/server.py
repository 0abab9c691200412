"""FastMCP: the user-facing server, call-compatible with the official SDK v1's FastMCP.

Registrations are kept in Python managers (for the direct async API and for Context) and
mirrored into the Rust engine (`ferromcp._core.Server`), which serves the protocol.
"""

from __future__ import annotations

from contextlib import contextmanager

from ferromcp import _core_bridge
from ferromcp.context import Context, context_for
from ferromcp.exceptions import ResourceError
from ferromcp.prompts.base import Prompt
from ferromcp.prompts.manager import PromptManager
from ferromcp.resources.base import Resource
from ferromcp.resources.resource_manager import ResourceManager
from ferromcp.resources.templates import ResourceTemplate
from ferromcp.settings import UNSET, PublicSignature, Settings, TransportSecuritySettings
from ferromcp.tools.base import Tool
from ferromcp.tools.tool_manager import ToolManager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

__all__ = ["FastMCP", "Context", "MCPServer", "Settings", "TransportSecuritySettings"]

TRANSPORTS = ("stdio", "sse", "streamable-http", "http")

# Keywords of `run()` and the async run methods: the transport settings SDK v2's
# `MCPServer.run()` takes for "sse" and "streamable-http" (one Rust server serves both, so
# every transport takes all of them), plus fastmcp's `path` (the endpoint of the transport
# run) and `log_level`. They apply to that run only; over stdio only `log_level` matters.
RUN_KEYWORDS = (
    "host",
    "port",
    "path",
    "streamable_http_path",
    "sse_path",
    "message_path",
    "json_response",
    "stateless_http",
    "event_store",
    "retry_interval",
    "max_request_body_size",
    "session_idle_timeout",
    "max_sessions",
    "transport_security",
    "log_level",
)


def _version() -> str:
    from ferromcp import __version__

    return __version__


def _configure_logging(level: str) -> None:
    # As the SDK: the root logger writes to stderr at the configured level.
    from ferromcp.utilities.logging import configure_logging

    configure_logging(level)  # type: ignore[arg-type]


class FastMCP:
    """An MCP server: decorate functions with `tool()`, `resource(uri)`, `prompt()`; `run()`."""

    __signature__ = PublicSignature()

    def __init__(
        self,
        name: str | None = None,
        instructions: str | None = None,
        website_url: str | None = None,
        icons: list[Any] | None = None,
        auth_server_provider: Any = None,
        token_verifier: Any = None,
        event_store: Any = None,
        retry_interval: int | None = None,
        *,
        tools: list[Tool] | None = None,
        debug: bool = UNSET,
        log_level: str = UNSET,
        host: str = UNSET,
        port: int = UNSET,
        mount_path: str = UNSET,
        sse_path: str = UNSET,
        message_path: str = UNSET,
        streamable_http_path: str = UNSET,
        json_response: bool = UNSET,
        stateless_http: bool = UNSET,
        max_request_body_size: int = UNSET,
        session_idle_timeout: float | None = UNSET,
        max_sessions: int | None = UNSET,
        warn_on_duplicate_resources: bool = UNSET,
        warn_on_duplicate_tools: bool = UNSET,
        warn_on_duplicate_prompts: bool = UNSET,
        dependencies: Any = UNSET,
        lifespan: Callable[[FastMCP], Any] | None = UNSET,
        auth: Any = UNSET,
        transport_security: Any = UNSET,
        list_page_size: int | None = UNSET,
    ) -> None:
        passed = {
            "debug": debug,
            "log_level": log_level,
            "host": host,
            "port": port,
            "mount_path": mount_path,
            "sse_path": sse_path,
            "message_path": message_path,
            "streamable_http_path": streamable_http_path,
            "json_response": json_response,
            "stateless_http": stateless_http,
            "max_request_body_size": max_request_body_size,
            "session_idle_timeout": session_idle_timeout,
            "max_sessions": max_sessions,
            "warn_on_duplicate_resources": warn_on_duplicate_resources,
            "warn_on_duplicate_tools": warn_on_duplicate_tools,
            "warn_on_duplicate_prompts": warn_on_duplicate_prompts,
            "dependencies": dependencies,
            "lifespan": lifespan,
            "auth": auth,
            "transport_security": transport_security,
            "list_page_size": list_page_size,
        }
        self.settings = Settings(
            {key: value for key, value in passed.items() if value is not UNSET}
        )
        self._check_auth(auth_server_provider, token_verifier)
        self._auth_server_provider = auth_server_provider
        self._token_verifier = token_verifier
        if event_store is not None:
            _warn_event_store_ignored(stacklevel=3)
        self._event_store = event_store
        self._retry_interval = retry_interval
        self._custom_starlette_routes: list[CustomRoute] = []
        self.dependencies = self.settings.dependencies
        self._lifespan_context: Any = {}
        self._completion_fn: Callable[..., Any] | None = None

        from ferromcp.types import to_wire

        server_name = name or "FastMCP"
        self._core = _core_bridge.create_core_server(
            server_name,
            _version(),
            instructions=instructions,
            website_url=website_url,
            icons=to_wire(icons) if icons is not None else None,
        )
        from ferromcp.lowlevel import LowLevelServer

        self._mcp_server = LowLevelServer(
            self._core,
            owner=self,
            name=server_name,
            version=_version(),
            instructions=instructions,
            website_url=website_url,
            icons=icons,
            lifespan=self.settings.lifespan,
        )

        self._tool_manager = ToolManager(
            warn_on_duplicate_tools=self.settings.warn_on_duplicate_tools
        )
        self._tool_manager.on_add = self._publish_tool
        self._tool_manager.on_remove = self._core.remove_tool
        for tool in tools or ():
            self._add_tool_object(tool)
        self._resource_manager = ResourceManager(
            warn_on_duplicate_resources=self.settings.warn_on_duplicate_resources
        )
        self._resource_manager.on_add_resource = self._publish_resource
        self._resource_manager.on_add_template = self._publish_template
        self._prompt_manager = PromptManager(
            warn_on_duplicate_prompts=self.settings.warn_on_duplicate_prompts
        )
        self._prompt_manager.on_add = self._publish_prompt
        if self.settings.list_page_size is not None:
            self._apply_list_page_size()

        _configure_logging(self.settings.log_level)

    def __class_getitem__(cls, params: Any) -> Any:
        import types

        return types.GenericAlias(cls, params if isinstance(params, tuple) else (params,))

    def _check_auth(self, auth_server_provider: Any, token_verifier: Any) -> None:
        if self.settings.auth is not None:
            if auth_server_provider and token_verifier:
                raise ValueError("Cannot specify both auth_server_provider and token_verifier")
            if not auth_server_provider and not token_verifier:
                raise ValueError(
                    "Must specify either auth_server_provider or token_verifier "
                    "when auth is enabled"
                )
        elif auth_server_provider or token_verifier:
            raise ValueError(
                "Cannot specify auth_server_provider or token_verifier without auth settings"
            )

    def _add_tool_object(self, tool: Any) -> None:
        # `tools=[...]` entries: ours, or the SDK's Tool objects (rebuilt from their function).
        if not isinstance(tool, Tool):
            tool = Tool.from_function(
                tool.fn,
                name=tool.name,
                title=getattr(tool, "title", None),
                description=tool.description,
                annotations=getattr(tool, "annotations", None),
                icons=getattr(tool, "icons", None),
                meta=getattr(tool, "meta", None),
                structured_output=None
                if getattr(tool, "output_schema", None) is not None
                else False,
            )
        if self._tool_manager.get_tool(tool.name) is not None:
            # A later entry of the constructor list replaces an earlier one (SDK behaviour).
            if self.settings.warn_on_duplicate_tools:
                import logging

                logging.getLogger("ferromcp.tools").warning(f"Tool already exists: {tool.name}")
            self._tool_manager._tools.pop(tool.name)
        self._tool_manager.add(tool)

    # --- mirroring into the engine ---

    def _publish_tool(self, tool: Tool) -> None:
        from ferromcp._handlers import tool_handler

        handler, is_async = tool_handler(self, tool)
        self._core.add_tool(tool.definition(), handler, is_async)

    def _publish_resource(self, resource: Resource) -> None:
        from ferromcp._handlers import resource_handler

        handler, is_async = resource_handler(self, resource)
        self._core.add_resource(resource.definition(), handler, is_async)

    def _publish_template(self, template: ResourceTemplate) -> None:
        from ferromcp._handlers import template_handler

        handler, is_async = template_handler(self, template)
        self._core.add_template(template.definition(), handler, is_async)

    def _publish_prompt(self, prompt: Prompt) -> None:
        from ferromcp._handlers import prompt_handler

        handler, is_async = prompt_handler(self, prompt)
        self._core.add_prompt(prompt.definition(), handler, is_async)

    # --- identity ---

    @property
    def name(self) -> str:
        return self._mcp_server.name

    @property
    def instructions(self) -> str | None:
        return self._mcp_server.instructions

    @property
    def website_url(self) -> str | None:
        return self._mcp_server.website_url

    @property
    def icons(self) -> list[Any] | None:
        return self._mcp_server.icons

    @property
    def session_manager(self) -> Any:
        raise RuntimeError(
            "Session manager can only be accessed after calling streamable_http_app(). "
            "ferromcp's HTTP transport is not available yet."
        )

    # --- tools ---

    def add_tool(
        self,
        fn: Callable[..., Any],
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        annotations: Any = None,
        icons: list[Any] | None = None,
        meta: dict[str, Any] | None = None,
        structured_output: bool | None = None,
    ) -> None:
        """Register a function as a tool (a Context-annotated parameter receives the Context)."""
        self._tool_manager.add_tool(
            fn,
            name=name,
            title=title,
            description=description,
            annotations=annotations,
            icons=icons,
            meta=meta,
            structured_output=structured_output,
        )

    def remove_tool(self, name: str) -> None:
        """Unregister a tool; ToolError if there is none by that name."""
        self._tool_manager.remove_tool(name)

    def tool(
        self,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        annotations: Any = None,
        icons: list[Any] | None = None,
        meta: dict[str, Any] | None = None,
        structured_output: bool | None = None,
    ) -> Any:
        """Decorator registering a tool: `@mcp.tool()`, or bare `@mcp.tool` as fastmcp allows."""
        if callable(name):
            fn = name
            self.add_tool(fn)
            return fn

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.add_tool(
                fn,
                name=name,
                title=title,
                description=description,
                annotations=annotations,
                icons=icons,
                meta=meta,
                structured_output=structured_output,
            )
            return fn

        return decorator

    async def list_tools(self) -> list[Any]:
        from ferromcp import types

        return [
            types.Tool(
                name=tool.name,
                title=tool.title,
                description=tool.description,
                inputSchema=tool.parameters,
                outputSchema=tool.output_schema,
                annotations=tool.annotations,
                icons=tool.icons,
                meta=tool.meta,
            )
            for tool in self._tool_manager.list_tools()
        ]

    async def call_tool(self, name: str, arguments: dict[str, Any]) -> Any:
        """Call a tool: its content blocks, or (content, structured) when it has an outputSchema."""
        return await self._tool_manager.call_tool(
            name, arguments, context=self.get_context(), convert_result=True
        )

    def get_context(self) -> Context:
        """The Context of the request being handled (outside a request most of it raises)."""
        return context_for(self)

    # --- resources ---

    def add_resource(self, resource: Resource) -> None:
        """Register a resource object (ours, or one of the SDK's resource classes)."""
        if not isinstance(resource, Resource):
            from ferromcp.resources.base import ForeignResource

            resource = ForeignResource(resource)
        self._resource_manager.add_resource(resource)

    def resource(
        self,
        uri: str,
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        mime_type: str | None = None,
        icons: list[Any] | None = None,
        annotations: Any = None,
        meta: dict[str, Any] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a resource.

        It is a template when the URI has `{params}` or the function takes parameters.
        """
        if callable(uri):
            raise TypeError(
                "The @resource decorator was used incorrectly. "
                "Did you forget to call it? Use @resource('uri') instead of @resource"
            )

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            import inspect

            signature = inspect.signature(fn)
            if ("{" in uri and "}" in uri) or signature.parameters:
                import re

                from ferromcp._introspect import find_context_parameter

                context_param = find_context_parameter(fn)
                uri_params = set(re.findall(r"{(\w+)}", uri))
                func_params = {p for p in signature.parameters if p != context_param}
                if uri_params != func_params:
                    raise ValueError(
                        f"Mismatch between URI parameters {uri_params} "
                        f"and function parameters {func_params}"
                    )
                self._resource_manager.add_template(
                    fn,
                    uri_template=uri,
                    name=name,
                    title=title,
                    description=description,
                    mime_type=mime_type,
                    icons=icons,
                    annotations=annotations,
                    meta=meta,
                )
            else:
                from ferromcp.resources.types import FunctionResource

                self.add_resource(
                    FunctionResource.from_function(
                        fn,
                        uri=uri,
                        name=name,
                        title=title,
                        description=description,
                        mime_type=mime_type,
                        icons=icons,
                        annotations=annotations,
                        meta=meta,
                    )
                )
            return fn

        return decorator

    async def list_resources(self) -> list[Any]:
        from ferromcp import types

        return [
            types.Resource(
                uri=resource.uri,
                name=resource.name or "",
                title=resource.title,
                description=resource.description,
                mimeType=resource.mime_type,
                icons=resource.icons,
                annotations=resource.annotations,
                meta=resource.meta,
            )
            for resource in self._resource_manager.list_resources()
        ]

    async def list_resource_templates(self) -> list[Any]:
        from ferromcp import types

        return [
            types.ResourceTemplate(
                uriTemplate=template.uri_template,
                name=template.name,
                title=template.title,
                description=template.description,
                mimeType=template.mime_type,
                icons=template.icons,
                annotations=template.annotations,
                meta=template.meta,
            )
            for template in self._resource_manager.list_templates()
        ]

    async def read_resource(self, uri: Any) -> list[Any]:
        """Read a resource: a list of ReadResourceContents (`.content`, `.mime_type`, `.meta`)."""
        from ferromcp.types import ReadResourceContents

        resource = await self._resource_manager.get_resource(uri, context=self.get_context())
        try:
            content = await resource.read()
        except Exception as exc:
            raise ResourceError(str(exc)) from exc
        return [
            ReadResourceContents(content=content, mime_type=resource.mime_type, meta=resource.meta)
        ]

    # --- prompts ---

    def add_prompt(self, prompt: Prompt) -> None:
        """Register a Prompt object (ours, or the SDK's, rebuilt from its function)."""
        if not isinstance(prompt, Prompt):
            prompt = Prompt.from_function(
                prompt.fn,
                name=prompt.name,
                title=getattr(prompt, "title", None),
                description=prompt.description,
                icons=getattr(prompt, "icons", None),
            )
        self._prompt_manager.add_prompt(prompt)

    def prompt(
        self,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        icons: list[Any] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a prompt; the function's parameters are the prompt's arguments."""
        if callable(name):
            raise TypeError(
                "The @prompt decorator was used incorrectly. "
                "Did you forget to call it? Use @prompt() instead of @prompt"
            )

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.add_prompt(
                Prompt.from_function(
                    fn, name=name, title=title, description=description, icons=icons
                )
            )
            return fn

        return decorator

    async def list_prompts(self) -> list[Any]:
        from ferromcp import types

        return [
            types.Prompt(
                name=prompt.name,
                title=prompt.title,
                description=prompt.description,
                arguments=[
                    types.PromptArgument(
                        name=arg.name, description=arg.description, required=arg.required
                    )
                    for arg in prompt.arguments or ()
                ],
                icons=prompt.icons,
            )
            for prompt in self._prompt_manager.list_prompts()
        ]

    async def get_prompt(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        from ferromcp import types

        try:
            prompt = self._prompt_manager.get_prompt(name)
            if prompt is None:
                raise ValueError(f"Unknown prompt: {name}")
            messages = await prompt.render(arguments, context=self.get_context())
            return types.GetPromptResult(
                description=prompt.description,
                messages=[types.PromptMessage(role=m.role, content=m.content) for m in messages],
            )
        except Exception as exc:
            raise ValueError(str(exc)) from exc

    # --- completion ---

    def completion(self) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering the completion handler: `fn(ref, argument, context)`."""

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            from ferromcp._handlers import completion_handler

            self._completion_fn = fn
            handler, is_async = completion_handler(self, fn)
            self._core.set_completion(handler, is_async)
            return fn

        return decorator

    # --- HTTP routes (served once the HTTP transport exists) ---

    def custom_route(
        self,
        path: str,
        methods: list[str],
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator adding an HTTP route (`async def endpoint(request) -> response`)."""

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self._custom_starlette_routes.append(
                CustomRoute(path, fn, methods, name, include_in_schema)
            )
            return fn

        return decorator

    # --- running ---

    def run(
        self, transport: Any = "stdio", mount_path: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        """Serve until the client goes away: "stdio", "sse" or "streamable-http" (alias "http").

        Keyword arguments are transport settings for this run only, as SDK v2's
        `MCPServer.run()` takes them (`host`, `port`, `streamable_http_path`, `json_response`,
        ...; see RUN_KEYWORDS); they override `self.settings` until the run ends. Any other
        keyword is a TypeError.

        Called with a pair of message streams instead (the SDK's in-memory test helpers pass
        a server straight to `server.run(read, write, options)`), it returns the coroutine
        serving that one session, as the low-level server's `run` does.
        """
        if not isinstance(transport, str):
            return self._mcp_server.run(transport, mount_path, *args, **kwargs)
        if args:
            raise TypeError(
                f"run() takes at most 2 positional arguments ({2 + len(args)} given); "
                "pass transport settings as keywords"
            )
        _check_transport(transport)
        _check_run_keywords("run", kwargs)
        if kwargs.pop("event_store", None) is not None:
            _warn_event_store_ignored(stacklevel=3)
        import asyncio

        asyncio.run(self.run_async(transport, mount_path, **kwargs))

    async def run_async(
        self, transport: str = "stdio", mount_path: str | None = None, **kwargs: Any
    ) -> None:
        """`run()` for code already inside an event loop (fastmcp's name)."""
        _check_transport(transport)
        _check_run_keywords("run_async", kwargs)
        if transport == "stdio":
            if mount_path is not None:
                self.settings.mount_path = mount_path
            await self.run_stdio_async(**kwargs)
        elif transport == "sse":
            await self.run_sse_async(mount_path, **kwargs)
        else:
            if mount_path is not None:
                self.settings.mount_path = mount_path
            await self._serve_http(transport, kwargs)

    def create_initialization_options(self, *args: Any, **kwargs: Any) -> Any:
        return self._mcp_server.create_initialization_options(*args, **kwargs)

    def _lifespan(self) -> Any:
        lifespan = self.settings.lifespan
        if lifespan is not None:
            return lifespan(self)
        return _empty_lifespan()

    async def run_stdio_async(self, **kwargs: Any) -> None:
        """Serve over stdin/stdout with the Rust stdio transport.

        Takes the same keywords as `run()`; over stdio only `log_level` changes anything.
        """
        import sys

        from ferromcp import _runtime

        _check_run_keywords("run_stdio_async", kwargs)
        with self._settings_for_run("stdio", kwargs):
            self._apply_list_page_size()
            async with self._lifespan() as lifespan_context:
                # Handlers read it for ctx.request_context.lifespan_context.
                self._lifespan_context = lifespan_context
                saved_stdout = sys.stdout
                try:
                    # The runtime moves the real stdout to the engine and points sys.stdout at
                    # stderr, so a stray print() cannot corrupt the protocol stream.
                    await _runtime.serve_stdio(self._core)
                finally:
                    sys.stdout = saved_stdout
                    self._lifespan_context = {}

    async def run_sse_async(self, mount_path: str | None = None, **kwargs: Any) -> None:
        """Serve the legacy HTTP+SSE transport (and Streamable HTTP on the same port).

        `mount_path` is kept in `settings` (as SDK v1 does); keywords are as for `run()`.
        """
        _check_run_keywords("run_sse_async", kwargs)
        if mount_path is not None:
            self.settings.mount_path = mount_path
        await self._serve_http("sse", kwargs)

    async def run_streamable_http_async(self, **kwargs: Any) -> None:
        """Serve Streamable HTTP with the Rust HTTP server until SIGINT/SIGTERM.

        Keywords are transport settings for this run, as for `run()`.
        """
        _check_run_keywords("run_streamable_http_async", kwargs)
        await self._serve_http("streamable-http", kwargs)

    async def _serve_http(self, transport: str, keywords: dict[str, Any]) -> None:
        """Serve `transport` over the Rust HTTP server; `keywords` were checked by the caller."""
        from ferromcp import _runtime
        from ferromcp._routes import route_handler

        if keywords.get("event_store") is not None:
            _warn_event_store_ignored(stacklevel=4)
        self._refuse_unauthenticated_http(transport)
        for route in self._custom_starlette_routes:
            self._core.add_route(route.path, route.methods, route_handler(route.endpoint))

        with self._settings_for_run(transport, keywords):
            self._apply_list_page_size()
            async with self._lifespan() as lifespan_context:
                self._lifespan_context = lifespan_context
                try:
                    await _runtime.serve_http(self._core, self._http_config())
                finally:
                    self._lifespan_context = {}

    def _refuse_unauthenticated_http(self, transport: str) -> None:
        """HTTP with authentication configured: refuse, since ferromcp would not enforce it."""
        configured = [
            name
            for name, value in (
                ("auth", self.settings.auth),
                ("token_verifier", self._token_verifier),
                ("auth_server_provider", self._auth_server_provider),
            )
            if value is not None
        ]
        if configured:
            raise RuntimeError(
                f"ferromcp does not support MCP authentication/authorization, so it refuses to "
                f"start the {transport!r} transport unauthenticated: this server was given "
                f"{', '.join(f'{name}=' for name in configured)} which ferromcp cannot enforce. "
                "Remove those settings to serve without authentication on purpose (for example "
                "behind an authenticating reverse proxy), or keep this server on the official "
                "SDK. stdio is not affected."
            )

    def _apply_list_page_size(self) -> None:
        from ferromcp.settings import check_list_page_size

        size = check_list_page_size(self.settings.list_page_size)
        self._core.set_page_size(size or 0)

    @contextmanager
    def _settings_for_run(self, transport: str, keywords: dict[str, Any]) -> Iterator[None]:
        """`self.settings` (and the retry interval) with `keywords` applied, for one run."""
        keywords = {k: v for k, v in keywords.items() if k != "event_store"}
        if not keywords:
            yield
            return
        import copy

        from ferromcp.settings import LOCALHOSTS, localhost_protection, parse_log_level

        if "path" in keywords:
            target = "sse_path" if transport == "sse" else "streamable_http_path"
            if target in keywords:
                raise TypeError(f"got both 'path' and {target!r}; pass one of them")
            keywords[target] = keywords.pop("path")
        if "log_level" in keywords:
            try:
                keywords["log_level"] = parse_log_level(str(keywords["log_level"]))
            except ValueError as exc:
                raise ValueError(f"log_level {exc}, got {keywords['log_level']!r}") from None
        saved_settings, saved_retry = self.settings, self._retry_interval
        settings = copy.copy(saved_settings)
        retry = keywords.pop("retry_interval", saved_retry)
        for name, value in keywords.items():
            setattr(settings, name, value)
        if (
            "host" in keywords
            and "transport_security" not in keywords
            and settings.transport_security is settings._derived_transport_security
        ):
            # Nobody chose it: DNS-rebinding protection follows the host bound, as in the SDK.
            settings.transport_security = (
                localhost_protection() if settings.host in LOCALHOSTS else None
            )
        self.settings, self._retry_interval = settings, retry
        if settings.log_level != saved_settings.log_level:
            _configure_logging(settings.log_level)
        try:
            yield
        finally:
            self.settings, self._retry_interval = saved_settings, saved_retry
            if settings.log_level != saved_settings.log_level:
                _configure_logging(saved_settings.log_level)

    def _http_config(self) -> dict[str, Any]:
        """The settings the Rust HTTP server reads (keys as it names them)."""
        s = self.settings
        mount = (s.mount_path or "/").rstrip("/")
        config: dict[str, Any] = {
            "host": s.host,
            "port": s.port,
            "streamable_http_path": s.streamable_http_path,
            "sse_path": mount + s.sse_path,
            "message_path": mount + s.message_path,
            "json_response": s.json_response,
            "stateless_http": s.stateless_http,
            "max_request_body_size": s.max_request_body_size,
            "session_idle_timeout": s.session_idle_timeout or 0,
            "max_sessions": s.max_sessions or 0,
            "retry_interval": self._retry_interval,
        }
        security = s.transport_security
        if security is not None:
            config["dns_rebinding_protection"] = bool(
                getattr(security, "enable_dns_rebinding_protection", True)
            )
            config["allowed_hosts"] = list(getattr(security, "allowed_hosts", None) or [])
            config["allowed_origins"] = list(getattr(security, "allowed_origins", None) or [])
        return config

    def sse_app(self, mount_path: str | None = None) -> Any:
        _http_not_available("sse")

    def streamable_http_app(self) -> Any:
        _http_not_available("streamable-http")


MCPServer = FastMCP  # the SDK v2 name


class CustomRoute:
    """An HTTP route registered with `custom_route` (path, endpoint, methods, name)."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: list[str],
        name: str | None,
        include_in_schema: bool,
    ) -> None:
        self.path = path
        self.endpoint = endpoint
        self.methods = list(methods)
        self.name = name if name is not None else getattr(endpoint, "__name__", None)
        self.include_in_schema = include_in_schema

    def __repr__(self) -> str:
        return f"CustomRoute(path={self.path!r}, methods={self.methods!r}, name={self.name!r})"


def _check_transport(transport: str) -> None:
    if transport not in TRANSPORTS:
        raise ValueError(f"Unknown transport: {transport}")


def _check_run_keywords(method: str, keywords: dict[str, Any]) -> None:
    for name in keywords:
        if name not in RUN_KEYWORDS:
            raise TypeError(
                f"{method}() got an unexpected keyword argument {name!r} "
                f"(transport settings it takes: {', '.join(RUN_KEYWORDS)})"
            )


def _warn_event_store_ignored(stacklevel: int) -> None:
    import warnings

    warnings.warn(
        "ferromcp ignores event_store: Streamable HTTP resumability (Last-Event-ID replay) "
        "is served from ferromcp's own bounded in-memory event log, and the EventStore "
        "passed is never called (its events are not persisted or shared between processes).",
        UserWarning,
        stacklevel=stacklevel,
    )


def _http_not_available(transport: str) -> None:
    raise NotImplementedError(
        f"ferromcp serves {transport!r} from its own Rust HTTP server, not as an ASGI app: "
        f"use mcp.run(transport={transport!r})."
    )


def _empty_lifespan() -> Any:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan() -> Any:
        yield {}

    return lifespan()
