"""The FastMCP facade: constructor, settings, decorators, mirroring into the engine, running."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from typing import Any

import ferromcp
import pytest
from ferro_fakes import FakeHandle, RecorderServer, invoke
from ferromcp import Context, FastMCP, MCPServer
from ferromcp.exceptions import ToolError


def test_constructor_signature_matches_the_sdk() -> None:
    sdk = importlib.import_module("mcp.server.fastmcp")
    ours = inspect.signature(FastMCP)
    theirs = inspect.signature(sdk.FastMCP)
    # The SDK's parameters in its order, then ferromcp's own keyword-only settings.
    assert list(ours.parameters) == [*theirs.parameters, "list_page_size"]
    extra = ours.parameters["list_page_size"]
    assert (extra.kind, extra.default) == (inspect.Parameter.KEYWORD_ONLY, None)
    for name, parameter in theirs.parameters.items():
        assert ours.parameters[name].kind == parameter.kind, name
        assert repr(ours.parameters[name].default) == repr(parameter.default), name


def test_identity_is_passed_to_the_engine(recorder_core: list[RecorderServer]) -> None:
    icon = {"src": "https://example.com/icon.png", "mimeType": "image/png"}
    from ferromcp.types import Icon

    server = FastMCP(
        "named", instructions="Do things", website_url="https://example.com", icons=[Icon(**icon)]
    )
    core = recorder_core[-1]
    assert server._core is core
    assert (core.name, core.version) == ("named", ferromcp.__version__)
    assert core.options == {
        "instructions": "Do things",
        "website_url": "https://example.com",
        "icons": [icon],
    }
    assert (server.name, server.instructions, server.website_url) == (
        "named",
        "Do things",
        "https://example.com",
    )
    assert FastMCP().name == "FastMCP"
    assert ferromcp.__version__ == "0.1.0"
    assert MCPServer is FastMCP
    assert server._mcp_server.name == "named" and server._mcp_server.core is core


def test_identity_set_on_the_low_level_server(recorder_core: list[RecorderServer]) -> None:
    # Servers set what the FastMCP constructor does not take on `_mcp_server` (as in the SDK).
    server = FastMCP("named", instructions="old")
    core = recorder_core[-1]
    server._mcp_server.version = "2.7.0"
    assert (core.name, core.version) == ("named", "2.7.0")
    assert core.options["instructions"] == "old"
    server._mcp_server.instructions = "new"
    server._mcp_server.name = "renamed"
    assert (core.name, core.version, core.options["instructions"]) == ("renamed", "2.7.0", "new")
    assert (server.name, server.instructions, server._mcp_server.version) == (
        "renamed",
        "new",
        "2.7.0",
    )
    server._mcp_server.version = None  # back to the implementation's own, as the SDK does
    assert core.version == ferromcp.__version__


def test_settings_from_arguments_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASTMCP_PORT", "9000")
    monkeypatch.setenv("FASTMCP_LOG_LEVEL", "debug")
    monkeypatch.setenv("FASTMCP_DEBUG", "true")
    monkeypatch.setenv("FASTMCP_DEPENDENCIES", '["pandas"]')
    monkeypatch.setenv("FASTMCP_SESSION_IDLE_TIMEOUT", "none")
    server = FastMCP()
    assert server.settings.port == 9000
    assert server.settings.log_level == "DEBUG"
    assert server.settings.debug is True
    assert server.settings.dependencies == ["pandas"] == server.dependencies
    assert server.settings.session_idle_timeout is None
    explicit = FastMCP(port=8000, log_level="INFO", debug=False)
    assert (explicit.settings.port, explicit.settings.log_level, explicit.settings.debug) == (
        8000,
        "INFO",
        False,
    )


def test_settings_defaults_and_transport_security(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(__import__("os").environ):
        if key.startswith("FASTMCP_"):
            monkeypatch.delenv(key)
    server = FastMCP()
    s = server.settings
    assert (s.host, s.port, s.mount_path, s.sse_path, s.message_path, s.streamable_http_path) == (
        "127.0.0.1",
        8000,
        "/",
        "/sse",
        "/messages/",
        "/mcp",
    )
    assert (s.json_response, s.stateless_http, s.max_request_body_size) == (False, False, 4194304)
    assert s.transport_security.enable_dns_rebinding_protection is True
    assert s.transport_security.allowed_hosts == ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    assert FastMCP(host="0.0.0.0").settings.transport_security is None
    monkeypatch.setenv("FASTMCP_PORT", "not-a-number")
    with pytest.raises(ValueError, match="FASTMCP_PORT"):
        FastMCP()


def test_bare_tool_decorator_and_options(recorder_core: list[RecorderServer]) -> None:
    server = FastMCP()

    @server.tool
    def bare(x: int) -> int:
        return x

    @server.tool(name="other", title="Other", description="described", meta={"m": 1})
    def named(x: int) -> int:
        return x

    core = recorder_core[-1]
    assert list(core.tools) == ["bare", "other"]
    assert core.tools["other"].definition["title"] == "Other"
    assert core.tools["other"].definition["description"] == "described"
    assert core.tools["other"].definition["_meta"] == {"m": 1}
    assert bare(3) == 3  # the decorator returns the function


def test_remove_tool_mirrors_into_the_engine(recorder_core: list[RecorderServer]) -> None:
    server = FastMCP()
    server.add_tool(lambda: 1, name="one")
    core = recorder_core[-1]
    assert "one" in core.tools
    server.remove_tool("one")
    assert "one" not in core.tools
    assert ("remove_tool", "one") in core.log
    with pytest.raises(ToolError, match="Unknown tool: one"):
        server.remove_tool("one")


def test_lambda_needs_a_name() -> None:
    from ferromcp.prompts.base import Prompt
    from ferromcp.resources.templates import ResourceTemplate
    from ferromcp.resources.types import FunctionResource

    with pytest.raises(ValueError, match="You must provide a name for lambda functions"):
        FastMCP().add_tool(lambda: 1)
    for make in (
        lambda: Prompt.from_function(lambda: "hi"),
        lambda: FunctionResource.from_function(lambda: "x", uri="res://x"),
        lambda: ResourceTemplate.from_function(lambda k: k, uri_template="res://{k}"),
    ):
        with pytest.raises(ValueError, match="You must provide a name for lambda functions"):
            make()
    # A given name is used as is.
    assert Prompt.from_function(lambda: "hi", name="hello").name == "hello"


def test_duplicate_tool_keeps_the_first(
    caplog: pytest.LogCaptureFixture, recorder_core: list
) -> None:
    server = FastMCP()

    def first() -> str:
        return "first"

    def second() -> str:
        return "second"

    server.add_tool(first, name="dup")
    with caplog.at_level(logging.WARNING):
        server.add_tool(second, name="dup")
    assert "Tool already exists: dup" in caplog.text
    result = invoke(recorder_core[-1].tools["dup"], {"name": "dup", "arguments": {}}, True)
    assert result["content"][0]["text"] == "first"


def test_tools_constructor_argument() -> None:
    from ferromcp.tools import Tool

    def add(a: int, b: int) -> int:
        return a + b

    server = FastMCP(tools=[Tool.from_function(add, name="sum")])
    assert list(server._core.tools) == ["sum"]
    assert asyncio.run(server.call_tool("sum", {"a": 1, "b": 2}))[1] == {"result": 3}


def test_sdk_tool_objects_are_accepted_in_the_constructor() -> None:
    sdk_tools = importlib.import_module("mcp.server.fastmcp.tools")

    def mul(a: int, b: int) -> int:
        return a * b

    server = FastMCP(tools=[sdk_tools.Tool.from_function(mul, description="multiply")])
    assert server._core.tools["mul"].definition["description"] == "multiply"


def test_decorator_misuse_errors() -> None:
    server = FastMCP()
    with pytest.raises(TypeError, match="@resource"):
        server.resource(lambda: "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="@prompt"):
        server.prompt(lambda: "x")  # type: ignore[arg-type]


def test_completion_handler(recorder_core: list[RecorderServer]) -> None:
    from ferromcp.types import Completion, PromptReference, ResourceTemplateReference

    server = FastMCP()
    seen: list[Any] = []

    @server.completion()
    async def complete(ref: Any, argument: Any, context: Any) -> Any:
        seen.append((ref, argument, context))
        if isinstance(ref, PromptReference):
            return Completion(
                values=[v for v in ["red", "green"] if v.startswith(argument.value)], total=2
            )
        if isinstance(ref, ResourceTemplateReference) and context is not None:
            return {"values": [f"{context.arguments['a']}-x"], "hasMore": False}
        return None

    core = recorder_core[-1]
    handler = core.completion
    assert handler is not None and handler[1] is True
    prompt_params = {
        "ref": {"type": "ref/prompt", "name": "p"},
        "argument": {"name": "color", "value": "r"},
    }
    assert invoke(handler, prompt_params) == {"completion": {"values": ["red"], "total": 2}}
    template_params = {
        "ref": {"type": "ref/resource", "uri": "x://{a}/{b}"},
        "argument": {"name": "b", "value": ""},
        "context": {"arguments": {"a": "A"}},
    }
    assert invoke(handler, template_params) == {"completion": {"values": ["A-x"], "hasMore": False}}
    no_context = {
        "ref": {"type": "ref/resource", "uri": "x://{a}"},
        "argument": {"name": "a", "value": ""},
    }
    assert invoke(handler, no_context) == {"completion": {"values": []}}
    assert seen[0][0].name == "p" and seen[0][1].name == "color" and seen[0][2] is None
    assert seen[1][0].uri == "x://{a}/{b}"


def test_sync_completion_handler(recorder_core: list[RecorderServer]) -> None:
    server = FastMCP()

    @server.completion()
    def complete(ref: Any, argument: Any, context: Any) -> list:
        return None

    handler = recorder_core[-1].completion
    assert handler[1] is False
    assert invoke(
        handler,
        {"ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "a", "value": ""}},
    ) == {"completion": {"values": []}}


def test_low_level_method_handlers(recorder_core: list[RecorderServer]) -> None:
    """`mcp._mcp_server.set_logging_level()` etc. as the SDK's low-level server has them."""
    from mcp.shared.exceptions import McpError as SdkMcpError
    from mcp.types import ErrorData
    from pydantic import AnyUrl

    server = FastMCP()
    seen: list[Any] = []

    @server._mcp_server.set_logging_level()
    async def on_level(level: str) -> None:
        seen.append(("level", level, server.get_context().request_id))

    @server._mcp_server.subscribe_resource()
    def on_subscribe(uri: AnyUrl) -> None:  # sync: runs on a worker thread
        if uri.scheme == "secret":
            raise SdkMcpError(ErrorData(code=-32001, message="not for you"))
        seen.append(("subscribe", uri))

    core = recorder_core[-1]
    assert set(core.hooks) == {"logging/setLevel", "resources/subscribe"}
    assert core.hooks["logging/setLevel"][1] is True
    assert core.hooks["resources/subscribe"][1] is False
    assert invoke(core.hooks["logging/setLevel"], {"level": "debug"}, None, FakeHandle(7)) == {}
    assert invoke(core.hooks["resources/subscribe"], {"uri": "file:///a b"}) == {}
    assert seen[0] == ("level", "debug", "7")
    assert isinstance(seen[1][1], AnyUrl) and str(seen[1][1]) == "file:///a%20b"
    with pytest.raises(ferromcp.exceptions.McpError) as error:
        invoke(core.hooks["resources/subscribe"], {"uri": "secret://x"})
    assert (error.value.code, error.value.message) == (-32001, "not for you")
    with pytest.raises(ferromcp.exceptions.McpError) as error:
        invoke(core.hooks["resources/subscribe"], {"uri": "no scheme"})
    assert error.value.code == -32602
    # The returned function is the user's; completion() is FastMCP.completion().
    assert on_level.__name__ == "on_level"

    @server._mcp_server.completion()
    async def complete(ref: Any, argument: Any, context: Any) -> None:
        return None

    assert core.completion is not None and server._completion_fn is complete


def test_custom_routes_are_stored() -> None:
    server = FastMCP()

    @server.custom_route("/health", methods=["GET"])
    async def health(request: Any) -> Any:
        return "ok"

    route = server._custom_starlette_routes[0]
    assert (route.path, route.methods, route.name, route.endpoint) == (
        "/health",
        ["GET"],
        "health",
        health,
    )


def test_run_rejects_unknown_transports_and_offers_no_asgi_app() -> None:
    server = FastMCP()
    with pytest.raises(ValueError, match="Unknown transport: carrier-pigeon"):
        server.run("carrier-pigeon")  # type: ignore[arg-type]
    # HTTP is served by the engine's own server, not as an ASGI app to mount elsewhere.
    with pytest.raises(NotImplementedError, match="Rust HTTP server"):
        server.streamable_http_app()
    with pytest.raises(NotImplementedError, match="Rust HTTP server"):
        server.sse_app()
    with pytest.raises(RuntimeError):
        server.session_manager  # noqa: B018


def test_generic_subscripts() -> None:
    from ferromcp import Context
    from ferromcp.context import ServerSession

    assert FastMCP[dict].__origin__ is FastMCP  # type: ignore[attr-defined]
    assert Context[ServerSession, None].__origin__ is Context  # type: ignore[attr-defined]


def test_lazy_exports() -> None:
    from ferromcp import Audio, Icon, Image
    from ferromcp.prompts.base import AssistantMessage, Message, UserMessage

    assert Image.__module__ == "ferromcp.utilities.types"
    assert Audio.__module__ == "ferromcp.utilities.types"
    assert Icon(src="x").to_wire() == {"src": "x"}
    assert UserMessage("hi").role == "user" and AssistantMessage("hi").role == "assistant"
    assert Message(role="assistant", content="x").content.text == "x"
    with pytest.raises(AttributeError):
        ferromcp.DoesNotExist  # type: ignore[attr-defined] # noqa: B018


# Module paths server code imports from `mcp.server.fastmcp...` and the names it takes
# from them; after the one-line migration each must import from `ferromcp...`.
SDK_IMPORT_PATHS = {
    "": ["Context", "FastMCP", "Image", "Audio", "Icon"],
    ".server": ["Context", "FastMCP", "Settings", "TransportSecuritySettings"],
    ".exceptions": ["FastMCPError", "ResourceError", "ToolError", "ValidationError"],
    ".prompts": ["Prompt", "PromptManager"],
    ".prompts.base": ["AssistantMessage", "Message", "Prompt", "PromptArgument", "UserMessage"],
    ".prompts.manager": ["PromptManager"],
    ".resources": ["FunctionResource", "Resource", "ResourceTemplate", "TextResource"],
    ".resources.types": ["BinaryResource", "DirectoryResource", "FileResource", "HttpResource"],
    ".resources.templates": ["ResourceTemplate"],
    ".resources.resource_manager": ["ResourceManager"],
    ".tools": ["Tool", "ToolManager"],
    ".tools.base": ["Tool"],
    ".tools.tool_manager": ["ToolManager"],
    ".utilities.types": ["Audio", "Image"],
    ".utilities.logging": ["configure_logging", "get_logger"],
    ".utilities.context_injection": ["find_context_parameter", "inject_context"],
}


@pytest.mark.parametrize("path", sorted(SDK_IMPORT_PATHS))
def test_sdk_import_paths_exist(path: str) -> None:
    sdk = importlib.import_module(f"mcp.server.fastmcp{path}")
    ours = importlib.import_module(f"ferromcp{path}")
    for name in SDK_IMPORT_PATHS[path]:
        assert hasattr(sdk, name), f"the SDK has no {path}.{name} (fix the list)"
        assert hasattr(ours, name), f"ferromcp{path} lacks {name}"


def test_logging_and_context_injection_helpers() -> None:
    from ferromcp.utilities.context_injection import find_context_parameter, inject_context
    from ferromcp.utilities.logging import configure_logging, get_logger

    assert get_logger("svc.db") is logging.getLogger("svc.db")
    configure_logging("DEBUG")  # basicConfig: a no-op when the root logger is set up already

    def tool(query: str, ctx: Context | None = None) -> str:
        return query

    assert find_context_parameter(tool) == "ctx"
    assert inject_context(tool, {"query": "q"}, "C", "ctx") == {"query": "q", "ctx": "C"}
    assert inject_context(tool, {"query": "q"}, None, "ctx") == {"query": "q"}


def test_image_and_audio_mime_types(tmp_path: Any) -> None:
    from ferromcp import Audio, Image

    cases = {
        "a.png": "image/png",
        "a.JPG": "image/jpeg",
        "a.jpeg": "image/jpeg",
        "a.gif": "image/gif",
        "a.webp": "image/webp",
        "a.bmp": "application/octet-stream",
    }
    for name, mime in cases.items():
        path = tmp_path / name
        path.write_bytes(b"img")
        assert Image(path=path).to_image_content().mimeType == mime
    assert Image(data=b"x").to_image_content().mimeType == "image/png"
    assert Image(data=b"x", format="JPEG").to_image_content().mimeType == "image/jpeg"
    audio = {
        "a.wav": "audio/wav",
        "a.mp3": "audio/mpeg",
        "a.ogg": "audio/ogg",
        "a.flac": "audio/flac",
    }
    audio |= {"a.aac": "audio/aac", "a.m4a": "audio/mp4", "a.xyz": "application/octet-stream"}
    for name, mime in audio.items():
        path = tmp_path / name
        path.write_bytes(b"snd")
        content = Audio(path=str(path)).to_audio_content()
        assert (content.mimeType, content.data) == (mime, "c25k")
    assert Audio(data=b"x").to_audio_content().mimeType == "audio/wav"
    with pytest.raises(ValueError):
        Image()
    with pytest.raises(ValueError):
        Image(path="a.png", data=b"x")
    with pytest.raises(ValueError):
        Audio()


def test_mcp_error_shapes() -> None:
    from ferromcp.exceptions import McpError
    from ferromcp.types import ErrorData

    error = McpError(-32002, "Resource not found", {"uri": "x://y"})
    assert (error.code, error.message, error.data, str(error)) == (
        -32002,
        "Resource not found",
        {"uri": "x://y"},
        "Resource not found",
    )
    sdk_style = McpError(ErrorData(code=-32600, message="bad"))
    assert (sdk_style.code, sdk_style.message, sdk_style.data) == (-32600, "bad", None)
    assert sdk_style.error.code == -32600


def test_direct_listing_api() -> None:
    server = FastMCP()

    @server.tool(title="T")
    def t(x: int) -> int:
        """doc"""
        return x

    @server.resource("r://x", title="R")
    def r() -> str:
        return "x"

    @server.resource("r://{y}")
    def rt(y: str) -> str:
        return y

    @server.prompt()
    def p(a: str, b: int = 1) -> str:
        return a

    tools = asyncio.run(server.list_tools())
    assert (tools[0].name, tools[0].title, tools[0].description, tools[0].inputSchema["title"]) == (
        "t",
        "T",
        "doc",
        "tArguments",
    )
    assert tools[0].outputSchema["title"] == "tOutput"
    resources = asyncio.run(server.list_resources())
    assert (resources[0].uri, resources[0].name, resources[0].title, resources[0].mimeType) == (
        "r://x",
        "r",
        "R",
        "text/plain",
    )
    templates = asyncio.run(server.list_resource_templates())
    assert (templates[0].uriTemplate, templates[0].name) == ("r://{y}", "rt")
    prompts = asyncio.run(server.list_prompts())
    assert [(a.name, a.required) for a in prompts[0].arguments] == [("a", True), ("b", False)]
    content = asyncio.run(server.call_tool("t", {"x": "4"}))
    assert content[0][0].text == "4" and content[1] == {"result": 4}


def test_call_tool_result_in_a_union_is_rejected_like_the_sdk() -> None:
    mcp_types = importlib.import_module("mcp.types")
    from ferromcp.exceptions import InvalidSignature
    from mcp.server.fastmcp import FastMCP as SdkFastMCP

    def maybe():  # type: ignore[no-untyped-def]
        return None

    maybe.__annotations__ = {"return": mcp_types.CallToolResult | None}

    with pytest.raises(Exception) as sdk_error:
        SdkFastMCP().add_tool(maybe)
    with pytest.raises(InvalidSignature) as our_error:
        FastMCP().add_tool(maybe)
    assert str(our_error.value) == str(sdk_error.value)
    assert "CallToolResult cannot be used in Union or Optional types" in str(our_error.value)


def test_questionable_tool_names_are_registered_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = FastMCP()
    with caplog.at_level(logging.WARNING):
        server.add_tool(lambda: 1, name="has space")
    assert "has space" in server._core.tools
    assert 'Tool name validation warning for "has space"' in caplog.text


def test_log_level_is_checked() -> None:
    with pytest.raises(ValueError, match="log_level"):
        FastMCP(log_level="LOUD")  # type: ignore[arg-type]


def test_log_argument_errors() -> None:
    server = FastMCP()
    errors: list[str] = []

    @server.tool()
    async def bad_logs(ctx: Context) -> str:
        for call in (
            lambda: ctx.log(),
            lambda: ctx.log("info", "a", "b"),
            lambda: ctx.log("x", colour=1),
        ):
            try:
                await call()
            except TypeError as exc:
                errors.append(type(exc).__name__)
        return "done"

    invoke(
        server._core.tools["bad_logs"], {"name": "bad_logs", "arguments": {}}, True, FakeHandle()
    )
    assert errors == ["TypeError", "TypeError", "TypeError"]


# --- list_page_size ---------------------------------------------------------------------


@pytest.fixture
def page_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page sizes the facade gives the engine (the recorder has no set_page_size)."""
    given: list[int] = []
    monkeypatch.setattr(
        RecorderServer, "set_page_size", lambda self, n: given.append(n), raising=False
    )
    return given


def test_list_page_size_setting(monkeypatch: pytest.MonkeyPatch, page_sizes: list[int]) -> None:
    monkeypatch.delenv("FASTMCP_LIST_PAGE_SIZE", raising=False)
    # Default as the SDK: no paging, and the engine is left at "everything in one page".
    assert FastMCP().settings.list_page_size is None
    assert page_sizes == []
    assert FastMCP(list_page_size=25).settings.list_page_size == 25
    assert page_sizes == [25]
    monkeypatch.setenv("FASTMCP_LIST_PAGE_SIZE", "10")
    assert FastMCP().settings.list_page_size == 10
    assert FastMCP(list_page_size=None).settings.list_page_size is None  # explicit wins
    monkeypatch.setenv("FASTMCP_LIST_PAGE_SIZE", "none")
    assert FastMCP().settings.list_page_size is None
    for bad in ("0", "-3", "many"):
        monkeypatch.setenv("FASTMCP_LIST_PAGE_SIZE", bad)
        with pytest.raises(ValueError, match="FASTMCP_LIST_PAGE_SIZE"):
            FastMCP()
    monkeypatch.delenv("FASTMCP_LIST_PAGE_SIZE")
    for bad_value in (0, -1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="list_page_size"):
            FastMCP(list_page_size=bad_value)  # type: ignore[arg-type]
    assert "list_page_size" in FastMCP().settings.model_dump()


# --- run(transport, **settings) -----------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, page_sizes: list[int]) -> list[dict[str, Any]]:
    """Runs that would have served: what the engine got, and `settings` while serving."""
    from ferromcp import _runtime

    runs: list[dict[str, Any]] = []
    current: list[FastMCP] = []

    async def serve_http(core: Any, config: dict[str, Any]) -> None:
        runs.append({"transport": "http", "config": config, "settings": current[-1].settings})

    async def serve_stdio(core: Any) -> None:
        runs.append({"transport": "stdio", "settings": current[-1].settings})

    monkeypatch.setattr(_runtime, "serve_http", serve_http)
    monkeypatch.setattr(_runtime, "serve_stdio", serve_stdio)
    monkeypatch.setattr(RecorderServer, "add_route", lambda *a: None, raising=False)
    original_init = FastMCP.__init__

    def init(self: FastMCP, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        current.append(self)

    monkeypatch.setattr(FastMCP, "__init__", init)
    return runs


def test_run_keywords_apply_to_that_run_only(served: list[dict[str, Any]]) -> None:
    server = FastMCP(port=8000)
    before = server.settings
    server.run(
        "streamable-http",
        host="0.0.0.0",
        port=9123,
        path="/custom",
        json_response=True,
        stateless_http=True,
        retry_interval=250,
        max_sessions=5,
        log_level="debug",
    )
    config = served[-1]["config"]
    assert (config["host"], config["port"], config["streamable_http_path"]) == (
        "0.0.0.0",
        9123,
        "/custom",
    )
    assert (config["json_response"], config["stateless_http"], config["max_sessions"]) == (
        True,
        True,
        5,
    )
    assert config["retry_interval"] == 250
    # The loopback-only Host check came from the default host; binding 0.0.0.0 drops it.
    assert "dns_rebinding_protection" not in config
    assert served[-1]["settings"].log_level == "DEBUG"
    # Afterwards the server's own settings are as they were.
    assert server.settings is before
    assert (before.host, before.port, before.streamable_http_path, before.log_level) == (
        "127.0.0.1",
        8000,
        "/mcp",
        "INFO",
    )
    assert server._retry_interval is None


def test_run_path_means_the_endpoint_of_the_transport(served: list[dict[str, Any]]) -> None:
    server = FastMCP()
    server.run("sse", path="/events", port=0)
    assert served[-1]["config"]["sse_path"] == "/events"
    assert served[-1]["config"]["streamable_http_path"] == "/mcp"
    server.run("http", path="/api", port=0)
    assert served[-1]["config"]["streamable_http_path"] == "/api"
    with pytest.raises(TypeError, match="'path' and 'streamable_http_path'"):
        server.run("streamable-http", path="/a", streamable_http_path="/b")


def test_async_run_methods_take_the_same_keywords(served: list[dict[str, Any]]) -> None:
    server = FastMCP()
    asyncio.run(server.run_streamable_http_async(port=7001, streamable_http_path="/s"))
    assert (served[-1]["config"]["port"], served[-1]["config"]["streamable_http_path"]) == (
        7001,
        "/s",
    )
    asyncio.run(server.run_sse_async(port=7002, sse_path="/events"))
    assert (served[-1]["config"]["port"], served[-1]["config"]["sse_path"]) == (7002, "/events")
    asyncio.run(server.run_async("http", port=7003))
    assert served[-1]["config"]["port"] == 7003
    asyncio.run(server.run_stdio_async(log_level="WARNING"))
    assert served[-1]["transport"] == "stdio"
    assert served[-1]["settings"].log_level == "WARNING"
    assert server.settings.port == 8000 and server.settings.log_level == "INFO"


def test_run_transport_security_chosen_by_the_caller_is_kept(
    served: list[dict[str, Any]],
) -> None:
    from ferromcp.server import TransportSecuritySettings

    chosen = TransportSecuritySettings(allowed_hosts=["example.com"])
    FastMCP(transport_security=chosen).run("streamable-http", host="0.0.0.0")
    assert served[-1]["config"]["allowed_hosts"] == ["example.com"]
    # And the default protection stays for a loopback host.
    FastMCP().run("streamable-http", host="localhost")
    assert served[-1]["config"]["dns_rebinding_protection"] is True


@pytest.mark.parametrize(
    "start",
    [
        lambda s: s.run("streamable-http", colour="blue"),
        lambda s: s.run("stdio", colour="blue"),
        lambda s: asyncio.run(s.run_async("sse", colour="blue")),
        lambda s: asyncio.run(s.run_stdio_async(colour="blue")),
        lambda s: asyncio.run(s.run_sse_async(colour="blue")),
        lambda s: asyncio.run(s.run_streamable_http_async(colour="blue")),
    ],
)
def test_run_rejects_unknown_keywords(served: list[dict[str, Any]], start: Any) -> None:
    server = FastMCP()
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        start(server)
    assert served == []


def test_run_checks_the_log_level(served: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="log_level must be one of .*'loud'"):
        FastMCP().run("stdio", log_level="loud")
    assert served == []


def test_run_rejects_extra_positional_arguments(served: list[dict[str, Any]]) -> None:
    with pytest.raises(TypeError, match="positional"):
        FastMCP().run("stdio", None, "extra")
    assert served == []


# --- auth: refused over HTTP, since ferromcp would not enforce it ----------------------------


class _Verifier:
    async def verify_token(self, token: str) -> Any:
        return None


def _auth_settings() -> Any:
    import warnings

    auth = importlib.import_module("mcp.server.auth.settings")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # newer SDKs nag about a field
        return auth.AuthSettings(
            issuer_url="https://auth.example.com",
            resource_server_url="https://mcp.example.com",
            required_scopes=["user"],
        )


HTTP_STARTS = {
    "run streamable-http": lambda s: s.run("streamable-http"),
    "run http": lambda s: s.run("http"),
    "run sse": lambda s: s.run("sse"),
    "run_async": lambda s: asyncio.run(s.run_async("http", port=0)),
    "run_sse_async": lambda s: asyncio.run(s.run_sse_async()),
    "run_streamable_http_async": lambda s: asyncio.run(s.run_streamable_http_async()),
}


@pytest.mark.parametrize("start", list(HTTP_STARTS.values()), ids=list(HTTP_STARTS))
@pytest.mark.parametrize("configured", ["token_verifier", "auth_server_provider"])
def test_http_with_auth_refuses_to_start(
    served: list[dict[str, Any]], start: Any, configured: str
) -> None:
    server = FastMCP(auth=_auth_settings(), **{configured: _Verifier()})
    with pytest.raises(RuntimeError, match="does not support MCP authentication") as error:
        start(server)
    message = str(error.value)
    assert "refuses to start" in message and "unauthenticated" in message
    assert f"{configured}=" in message and "auth=" in message
    assert served == []


def test_stdio_with_auth_is_served(served: list[dict[str, Any]]) -> None:
    # As the SDK, which only uses auth over HTTP.
    server = FastMCP(auth=_auth_settings(), token_verifier=_Verifier())
    server.run("stdio")
    asyncio.run(server.run_stdio_async())
    assert [run["transport"] for run in served] == ["stdio", "stdio"]


# --- event_store: ignored, with a warning ---------------------------------------------------


def test_event_store_is_ignored_with_one_warning() -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FastMCP()
        FastMCP(event_store=None)
    assert caught == []
    with pytest.warns(UserWarning, match="ignores event_store") as record:
        FastMCP("resumable", event_store=object())
    assert len(record) == 1
    assert record[0].filename == __file__  # points at the constructor call
    assert "in-memory event log" in str(record[0].message)


def test_event_store_run_keyword_warns_too(served: list[dict[str, Any]]) -> None:
    server = FastMCP()
    with pytest.warns(UserWarning, match="ignores event_store") as record:
        server.run("streamable-http", event_store=object(), port=0)
    assert len(record) == 1 and record[0].filename == __file__
    assert served[-1]["config"]["port"] == 0
