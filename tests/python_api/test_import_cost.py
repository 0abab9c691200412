"""ferromcp never imports the official `mcp` package; pydantic only when a signature needs it."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap

from ferro_fakes import subprocess_env

# A stand-in engine module for the subprocess, so these checks do not need the compiled extension.
_FAKE_CORE = textwrap.dedent(
    """
    import sys, types
    core = types.ModuleType("ferromcp._core")
    class Server:
        def __init__(self, *a, **k): self.tools = {}
        def add_tool(self, d, h, a): self.tools[d["name"]] = (d, h, a)
        def set_completion(self, h, a): self.set_completion_args = (h, a)
        def __getattr__(self, name): return lambda *a, **k: None
    core.Server = Server
    sys.modules["ferromcp._core"] = core
    """
)


def run(code: str) -> dict:
    env = subprocess_env()
    script = _FAKE_CORE + textwrap.dedent(code) + "\nimport sys, json\nprint(json.dumps(RESULT))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_ferromcp_imports_neither_mcp_nor_pydantic() -> None:
    result = run(
        """
        import ferromcp
        heavy = ("mcp", "pydantic", "pydantic_core", "asyncio")
        RESULT = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
        """
    )
    assert result == []


def test_plain_tool_registration_and_call_do_not_import_pydantic() -> None:
    result = run(
        """
        from typing import Literal, Optional
        from ferromcp import FastMCP, Context

        mcp = FastMCP("cheap")

        @mcp.tool()
        def add(a: int, b: float = 1.5, tags: list[str] = [], mode: Literal["x", "y"] = "x",
                note: Optional[str] = None, ctx: Context = None) -> dict[str, float]:
            "Adds."
            return {"sum": a + b}

        @mcp.resource("res://{name}")
        def res(name: str) -> str:
            return name

        @mcp.prompt()
        def p(topic: str, n: int = 1) -> str:
            return topic * n

        class Handle:
            request_id = 1
            meta = headers = client_params = None

        definition, handler, is_async = mcp._core.tools["add"]
        arguments = {"a": "2", "b": 3, "tags": '["t"]'}
        result = handler({"name": "add", "arguments": arguments}, False, Handle())
        RESULT = {
            "pydantic": sorted(m for m in sys.modules if m.split(".")[0].startswith("pydantic")),
            "mcp": [m for m in sys.modules if m.split(".")[0] == "mcp"],
            "result": result,
            "schema": definition["inputSchema"],
        }
        """
    )
    assert result["pydantic"] == []
    assert result["mcp"] == []
    assert result["result"] == {
        "content": [{"type": "text", "text": '{\n  "sum": 5.0\n}'}],
        "structuredContent": {"sum": 5.0},
        "isError": False,
    }
    assert result["schema"]["properties"]["mode"] == {
        "default": "x",
        "enum": ["x", "y"],
        "title": "Mode",
        "type": "string",
    }


def test_model_signature_imports_pydantic_lazily() -> None:
    result = run(
        """
        from ferromcp import FastMCP
        mcp = FastMCP("models")
        before = "pydantic" in sys.modules
        from pydantic import BaseModel
        class M(BaseModel):
            x: int
        @mcp.tool()
        def use(m: M) -> M:
            return m
        schema = mcp._core.tools["use"][0]["inputSchema"]
        RESULT = {"before": before, "has_defs": "$defs" in schema}
        """
    )
    assert result == {"before": False, "has_defs": True}


def test_objects_for_user_code_are_ours_without_mcp_and_isinstance_is_symmetric() -> None:
    result = run(
        """
        from ferromcp import FastMCP
        from ferromcp.types import PromptReference

        mcp = FastMCP("c")
        seen = []

        @mcp.completion()
        def complete(ref, argument, context):
            is_ours = isinstance(ref, PromptReference)
            seen.append((type(ref).__module__, is_ours, argument.value))
            return {"values": ["a"]}

        handler, is_async = mcp._core.set_completion_args
        ref = {"type": "ref/prompt", "name": "p"}
        out = handler({"ref": ref, "argument": {"name": "x", "value": "v"}}, None, None)
        RESULT = {"seen": seen, "out": out, "mcp": [m for m in sys.modules if m.startswith("mcp")]}
        """
    )
    assert result == {
        "seen": [["ferromcp.types", True, "v"]],
        "out": {"completion": {"values": ["a"]}},
        "mcp": [],
    }


def test_isinstance_accepts_the_sdk_equivalents() -> None:

    mcp_types = importlib.import_module("mcp.types")
    from ferromcp import types

    assert isinstance(mcp_types.TextContent(type="text", text="x"), types.TextContent)
    assert isinstance(mcp_types.PromptReference(type="ref/prompt", name="p"), types.PromptReference)
    assert not isinstance(mcp_types.TextContent(type="text", text="x"), types.ImageContent)
    assert isinstance(types.TextContent(text="x"), types.TextContent)
    assert not types.is_model(mcp_types.TextContent(type="text", text="x"))
