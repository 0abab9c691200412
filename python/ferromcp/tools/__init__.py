"""Tools: `Tool` (one registered function) and `ToolManager` (the registry)."""

from ferromcp.tools.base import Tool
from ferromcp.tools.tool_manager import ToolManager

__all__ = ["Tool", "ToolManager"]
