"""A registered tool: its definition (what tools/list shows) and how to call it."""

from __future__ import annotations

from ferromcp._arguments import Arguments
from ferromcp._introspect import Signature, function_name
from ferromcp._results import Output
from ferromcp.exceptions import URL_ELICITATION_REQUIRED, ToolError, as_mcp_error
from ferromcp.types import to_wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_logger = None


def _log() -> Any:
    global _logger
    if _logger is None:
        import logging

        _logger = logging.getLogger("ferromcp.tools")
    return _logger


def _name_warnings(name: str) -> list[str]:
    # SEP-986 naming rules; a bad name is registered anyway, with warnings, as in the SDK.
    if not name:
        return ["Tool name cannot be empty"]
    if len(name) > 128:
        return [f"Tool name exceeds maximum length of 128 characters (current: {len(name)})"]
    warnings = []
    if " " in name:
        warnings.append("Tool name contains spaces, which may cause parsing issues")
    if "," in name:
        warnings.append("Tool name contains commas, which may cause parsing issues")
    if name.startswith("-") or name.endswith("-"):
        warnings.append(
            "Tool name starts or ends with a dash, which may cause parsing issues in some contexts"
        )
    if name.startswith(".") or name.endswith("."):
        warnings.append(
            "Tool name starts or ends with a dot, which may cause parsing issues in some contexts"
        )
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
    invalid = list(dict.fromkeys(ch for ch in name if ch not in allowed))
    if invalid:
        warnings.append(
            f"Tool name contains invalid characters: {', '.join(repr(c) for c in invalid)}"
        )
        warnings.append(
            "Allowed characters are: A-Z, a-z, 0-9, underscore (_), dash (-), and dot (.)"
        )
    return warnings


def warn_about_tool_name(name: str) -> None:
    warnings = _name_warnings(name)
    if warnings:
        log = _log()
        log.warning(f'Tool name validation warning for "{name}":')
        for warning in warnings:
            log.warning(f"  - {warning}")
        log.warning("Tool registration will proceed, but this may cause compatibility issues.")


class Tool:
    """One tool: the user's function, its schemas and metadata."""

    def __init__(
        self,
        *,
        fn: Callable[..., Any],
        name: str,
        title: str | None,
        description: str,
        arguments: Arguments,
        output: Output,
        annotations: Any = None,
        icons: list[Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.fn = fn
        self.name = name
        self.title = title
        self.description = description
        self.annotations = annotations
        self.icons = icons
        self.meta = meta
        self.arguments = arguments
        self.output = output
        self.is_async = arguments.signature.is_async
        self.context_kwarg = arguments.signature.context_kwarg
        self.parameters = arguments.input_schema()

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        context_kwarg: str | None = None,
        annotations: Any = None,
        icons: list[Any] | None = None,
        meta: dict[str, Any] | None = None,
        structured_output: bool | None = None,
    ) -> Tool:
        tool_name = name or function_name(fn)
        warn_about_tool_name(tool_name)
        if tool_name == "<lambda>":
            raise ValueError("You must provide a name for lambda functions")
        signature = Signature(fn, context_kwarg=context_kwarg)
        return cls(
            fn=fn,
            name=tool_name,
            title=title,
            description=description or getattr(fn, "__doc__", None) or "",
            arguments=Arguments(signature),
            output=Output(signature, structured_output),
            annotations=annotations,
            icons=icons,
            meta=meta,
        )

    @property
    def output_schema(self) -> dict | None:
        return self.output.schema

    def definition(self) -> dict:
        """The Tool object as tools/list shows it."""
        out: dict[str, Any] = {"name": self.name}
        if self.title is not None:
            out["title"] = self.title
        out["description"] = self.description
        out["inputSchema"] = self.parameters
        if self.output.schema is not None:
            out["outputSchema"] = self.output.schema
        if self.icons is not None:
            out["icons"] = to_wire(self.icons)
        if self.annotations is not None:
            out["annotations"] = to_wire(self.annotations)
        if self.meta is not None:
            out["_meta"] = self.meta
        return out

    def bind(self, arguments: dict, context: Any) -> dict:
        kwargs = self.arguments.bind(arguments)
        if self.context_kwarg is not None:
            kwargs[self.context_kwarg] = context
        return kwargs

    async def run(
        self, arguments: dict[str, Any], context: Any = None, convert_result: bool = False
    ) -> Any:
        """Call the tool (SDK semantics: failures raise ToolError "Error executing tool ...")."""
        try:
            kwargs = self.bind(arguments, context)
            result = self.fn(**kwargs)
            if self.is_async:
                result = await result
            return self.output.to_python(result) if convert_result else result
        except Exception as exc:
            if is_url_elicitation_error(exc):
                raise
            raise ToolError(f"Error executing tool {self.name}: {exc}") from exc

    def __repr__(self) -> str:
        return f"Tool(name={self.name!r}, description={self.description!r})"


def is_url_elicitation_error(exc: BaseException) -> bool:
    """The one error a tool lets through as a JSON-RPC error (-32042), as in the SDK."""
    error = as_mcp_error(exc)
    return error is not None and error.code == URL_ELICITATION_REQUIRED
