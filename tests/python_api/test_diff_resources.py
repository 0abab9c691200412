# ruff: noqa: UP006, UP007, UP045
# (typing.Optional/Union/List/Dict are spelled out on purpose: they are cases under test)
"""Differential tests: resources and templates on the SDK's FastMCP vs ours."""

from __future__ import annotations

import asyncio
import importlib
import os
import tempfile
from typing import Optional

import pytest
from sdk_compare import Pair, wire

mcp_types = importlib.import_module("mcp.types")
from mcp.server.fastmcp import Context as SdkContext  # noqa: E402


def build() -> Pair:
    p = Pair()

    @p.resource("resource://greeting", description="A greeting", title="Greeting")
    def greeting() -> str:
        return "Hello, world!"

    @p.resource("data://config")
    def config() -> dict:
        """Configuration as JSON"""
        return {"debug": True, "ratio": 1e-05, "name": "ü"}

    @p.resource("data://numbers", mime_type="application/json")
    def numbers() -> list[int]:
        return [1, 2, 3]

    @p.resource("bin://blob")
    def blob() -> bytes:
        return b"\x00\x01binary"

    @p.resource("bin://typed", mime_type="image/png", name="typed-blob")
    def typed_blob() -> bytes:
        return b"\x89PNG"

    @p.resource("res://int")
    def an_int() -> int:
        return 42

    @p.resource("res://none")
    def a_none() -> None:
        return None

    @p.resource("res://async")
    async def async_resource() -> str:
        return "async text"

    @p.resource("res://fails")
    def failing() -> str:
        raise RuntimeError("disk on fire")

    @p.resource("res://async-fails")
    async def async_failing() -> str:
        raise KeyError("missing")

    @p.resource(
        "res://meta",
        meta={"k": [1]},
        annotations=mcp_types.Annotations(audience=["user"], priority=0.5),
        icons=[mcp_types.Icon(src="data:image/png;base64,AA==")],
    )
    def with_meta() -> str:
        return "m"

    @p.resource("http://example.com")
    def http_like() -> str:
        return "normalised uri"

    @p.resource("users://{user_id}/profile")
    def profile(user_id: int) -> dict:
        return {"id": user_id, "type": type(user_id).__name__}

    @p.resource("files://{folder}/{name}", description="A file", mime_type="text/markdown")
    def file_in(folder: str, name: str) -> str:
        return f"# {folder}/{name}"

    @p.resource("async://{x}")
    async def async_template(x: float) -> str:
        return f"x={x}"

    @p.resource("ctx://{item}")
    def template_with_context(item: str, ctx: SdkContext) -> str:
        return f"item={item}"

    @p.resource("tfail://{v}")
    def template_fails(v: str) -> str:
        raise ValueError(f"cannot {v}")

    @p.resource("tbytes://{v}")
    def template_bytes(v: str) -> bytes:
        return v.encode()

    @p.resource("topt://{flag}")
    def template_bool(flag: bool) -> Optional[str]:
        return "yes" if flag else None

    return p


@pytest.fixture
def pair() -> Pair:
    return build()


def test_resource_definitions(pair: Pair) -> None:
    assert wire(pair.our_resources()) == wire(pair.sdk_resources())


def test_template_definitions(pair: Pair) -> None:
    assert wire(pair.our_templates()) == wire(pair.sdk_templates())


@pytest.mark.parametrize(
    "uri",
    [
        "resource://greeting",
        "data://config",
        "data://numbers",
        "bin://blob",
        "bin://typed",
        "res://int",
        "res://none",
        "res://async",
        "res://fails",
        "res://async-fails",
        "res://meta",
        "http://example.com/",
        "users://123/profile",
        "users://abc/profile",
        "files://docs/readme",
        "async://2.5",
        "async://nan-ish",
        "ctx://thing",
        "tfail://now",
        "tbytes://raw",
        "topt://true",
        "topt://no",
        "topt://maybe",
    ],
)
def test_read(pair: Pair, uri: str) -> None:
    expected = pair.sdk_read(uri)
    actual = pair.our_read(uri)
    assert actual[0] == expected[0], actual
    assert wire(actual[1]) == wire(expected[1])


def test_direct_read_resource_matches_sdk(pair: Pair) -> None:
    for uri in ["resource://greeting", "bin://blob", "users://7/profile", "res://async"]:
        sdk = asyncio.run(pair.sdk.read_resource(uri))
        ours = asyncio.run(pair.ours.read_resource(uri))
        assert [(c.content, c.mime_type, c.meta) for c in ours] == [
            (c.content, c.mime_type, c.meta) for c in sdk
        ]


@pytest.mark.parametrize("uri", ["res://fails", "nothing://here", "tfail://x", "users://x/profile"])
def test_direct_read_errors_match_sdk(pair: Pair, uri: str) -> None:
    with pytest.raises(Exception) as sdk_error:
        asyncio.run(pair.sdk.read_resource(uri))
    with pytest.raises(Exception) as our_error:
        asyncio.run(pair.ours.read_resource(uri))
    assert type(our_error.value).__name__ == type(sdk_error.value).__name__
    assert str(our_error.value) == str(sdk_error.value)


def test_mismatched_template_parameters_raise_like_sdk() -> None:
    p = Pair()

    def fn(a: str, b: str) -> str:
        return a + b

    with pytest.raises(ValueError) as sdk_error:
        p.sdk.resource("x://{a}")(fn)
    with pytest.raises(ValueError) as our_error:
        p.ours.resource("x://{a}")(fn)
    assert str(our_error.value) == str(sdk_error.value)
    assert "Mismatch between URI parameters" in str(our_error.value)


def test_function_with_only_context_becomes_template() -> None:
    p = Pair()

    @p.resource("ctx://only")
    def only_context(ctx: SdkContext) -> str:
        return "x"

    assert wire(p.our_templates()) == wire(p.sdk_templates())
    assert p.our_resources() == p.sdk_resources() == []


def test_file_and_directory_resources() -> None:
    from ferromcp.resources import DirectoryResource, FileResource, TextResource
    from mcp.server.fastmcp.resources import DirectoryResource as SdkDirectory
    from mcp.server.fastmcp.resources import FileResource as SdkFile
    from mcp.server.fastmcp.resources import TextResource as SdkText

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "notes.txt")
        with open(path, "w") as f:
            f.write("file text ✓")
        with open(os.path.join(folder, "b.bin"), "wb") as f:
            f.write(b"\x00\x01")
        p = Pair()
        p.sdk.add_resource(SdkFile(uri=f"file://{path}", path=path, name="notes"))
        p.ours.add_resource(FileResource(uri=f"file://{path}", path=path, name="notes"))
        p.sdk.add_resource(
            SdkFile(
                uri="file:///bin", path=os.path.join(folder, "b.bin"), mime_type="application/x"
            )
        )
        p.ours.add_resource(
            FileResource(
                uri="file:///bin", path=os.path.join(folder, "b.bin"), mime_type="application/x"
            )
        )
        p.sdk.add_resource(SdkDirectory(uri="dir://listing", path=folder, name="listing"))
        p.ours.add_resource(DirectoryResource(uri="dir://listing", path=folder, name="listing"))
        p.sdk.add_resource(
            SdkText(uri="text://fixed", text="fixed text", name="fixed", description="d")
        )
        p.ours.add_resource(
            TextResource(uri="text://fixed", text="fixed text", name="fixed", description="d")
        )
        assert wire(p.our_resources()) == wire(p.sdk_resources())
        for uri in [f"file://{path}", "file:///bin", "text://fixed"]:
            assert wire(p.our_read(uri)) == wire(p.sdk_read(uri))
        ours = p.our_read("dir://listing")[1]
        sdk = p.sdk_read("dir://listing")[1]
        # Directory order depends on the file system; compare the listed names.
        import json

        assert sorted(json.loads(ours["contents"][0]["text"])["files"]) == sorted(
            json.loads(sdk["contents"][0]["text"])["files"]
        )


def test_invalid_mime_type_is_rejected() -> None:
    import ferromcp

    server = ferromcp.FastMCP()
    with pytest.raises(ValueError):

        @server.resource("res://x", mime_type="not a mime type")
        def bad() -> str:
            return ""


def test_duplicate_resource_keeps_first(caplog: pytest.LogCaptureFixture) -> None:
    p = Pair()

    @p.resource("dup://x", description="first")
    def first() -> str:
        return "1"

    @p.resource("dup://x", description="second")
    def second() -> str:
        return "2"

    assert wire(p.our_resources()) == wire(p.sdk_resources())
    assert wire(p.our_read("dup://x")) == wire(p.sdk_read("dup://x"))


def test_sdk_resource_and_prompt_objects_are_accepted() -> None:
    from mcp.server.fastmcp.prompts import Prompt as SdkPrompt
    from mcp.server.fastmcp.resources import TextResource as SdkText

    p = Pair()
    resource = SdkText(uri="text://sdk", text="from the sdk", name="sdk", description="d")
    p.sdk.add_resource(resource)
    p.ours.add_resource(resource)

    def greet(name: str) -> str:
        """Greets."""
        return f"hello {name}"

    p.sdk.add_prompt(SdkPrompt.from_function(greet))
    p.ours.add_prompt(SdkPrompt.from_function(greet))
    assert wire(p.our_resources()) == wire(p.sdk_resources())
    assert wire(p.our_read("text://sdk")) == wire(p.sdk_read("text://sdk"))
    assert wire(p.our_prompts()) == wire(p.sdk_prompts())
    assert wire(p.our_get_prompt("greet", {"name": "x"})) == wire(
        p.sdk_get_prompt("greet", {"name": "x"})
    )
