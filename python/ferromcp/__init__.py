"""ferromcp: Model Context Protocol servers with a Rust engine and the official SDK's FastMCP API.

    from ferromcp import FastMCP, Context, Image   # was: from mcp.server.fastmcp import ...

Names are loaded on first use, so `import ferromcp` itself stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

# name -> module it lives in (imported on first access)
_EXPORTS = {
    "FastMCP": "ferromcp.server",
    "MCPServer": "ferromcp.server",
    "Context": "ferromcp.context",
    "Image": "ferromcp.utilities.types",
    "Audio": "ferromcp.utilities.types",
    "Icon": "ferromcp.types",
    "Settings": "ferromcp.settings",
    "FastMCPError": "ferromcp.exceptions",
    "ToolError": "ferromcp.exceptions",
    "ResourceError": "ferromcp.exceptions",
    "McpError": "ferromcp.exceptions",
}

__all__ = ["FastMCP", "MCPServer", "Context", "Image", "Audio", "Icon", "__version__"]


def __getattr__(name: str) -> object:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'ferromcp' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
