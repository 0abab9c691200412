"""The tool registry of one server."""

from __future__ import annotations

from ferromcp.exceptions import ToolError
from ferromcp.tools.base import Tool

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class ToolManager:
    """Tools by name, in registration order; `on_add`/`on_remove` mirror changes into the engine."""

    def __init__(
        self, warn_on_duplicate_tools: bool = True, *, tools: list[Tool] | None = None
    ) -> None:
        self._tools: dict[str, Tool] = {}
        self.warn_on_duplicate_tools = warn_on_duplicate_tools
        self.on_add: Callable[[Tool], None] | None = None
        self.on_remove: Callable[[str], None] | None = None
        for tool in tools or ():
            if warn_on_duplicate_tools and tool.name in self._tools:
                _warn(f"Tool already exists: {tool.name}")
            self._tools[tool.name] = tool

    def get_tool(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def list_tools(self) -> list[Tool]:
        return list(self._tools.values())

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
    ) -> Tool:
        tool = Tool.from_function(
            fn,
            name=name,
            title=title,
            description=description,
            annotations=annotations,
            icons=icons,
            meta=meta,
            structured_output=structured_output,
        )
        return self.add(tool)

    def add(self, tool: Tool) -> Tool:
        """Register a built Tool; a second tool with the same name is ignored (the first stays)."""
        existing = self._tools.get(tool.name)
        if existing is not None:
            if self.warn_on_duplicate_tools:
                _warn(f"Tool already exists: {tool.name}")
            return existing
        self._tools[tool.name] = tool
        if self.on_add is not None:
            self.on_add(tool)
        return tool

    def remove_tool(self, name: str) -> None:
        if name not in self._tools:
            raise ToolError(f"Unknown tool: {name}")
        del self._tools[name]
        if self.on_remove is not None:
            self.on_remove(name)

    async def call_tool(
        self,
        name: str,
        arguments: dict[str, Any],
        context: Any = None,
        convert_result: bool = False,
    ) -> Any:
        tool = self.get_tool(name)
        if tool is None:
            raise ToolError(f"Unknown tool: {name}")
        return await tool.run(arguments, context=context, convert_result=convert_result)


def _warn(message: str) -> None:
    import logging

    logging.getLogger("ferromcp.tools").warning(message)
