"""Exceptions raised by ferromcp, named and shaped like the official SDK's FastMCP ones."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class FastMCPError(Exception):
    """Base class of the errors FastMCP raises."""


class ValidationError(FastMCPError):
    """Parameters or return values failed validation."""


class ResourceError(FastMCPError):
    """A resource could not be found or read."""


class ToolError(FastMCPError):
    """A tool could not be found or failed while running."""


class InvalidSignature(Exception):
    """A function's signature cannot be turned into a tool, resource or prompt."""


class McpError(Exception):
    """An error answered as a JSON-RPC error object (`code`, `message`, `data`).

    The Rust engine turns any raised instance into that error reply. It also is what
    server->client requests raise when the client answers with an error.
    `McpError(ErrorData(...))` (the SDK's spelling) is accepted too.
    """

    def __init__(self, code: Any, message: str | None = None, data: Any = None) -> None:
        if message is None and hasattr(code, "code") and hasattr(code, "message"):
            # SDK style: McpError(ErrorData(code=..., message=..., data=...))
            code, message, data = code.code, code.message, getattr(code, "data", None)
        self.code = int(code)
        self.message = "" if message is None else str(message)
        self.data = data
        super().__init__(self.message)

    @property
    def error(self) -> Any:
        """The error as an `ErrorData`-like object, for code written against the SDK."""
        from ferromcp.types import ErrorData

        return ErrorData(code=self.code, message=self.message, data=self.data)

    def __repr__(self) -> str:
        return f"McpError(code={self.code}, message={self.message!r}, data={self.data!r})"


URL_ELICITATION_REQUIRED = -32042


class UrlElicitationRequiredError(McpError):
    """Raised by a tool that needs URL-mode elicitations completed first (code -32042)."""

    def __init__(self, elicitations: list[Any], message: str | None = None) -> None:
        from ferromcp.types import to_wire

        if message is None:
            message = f"URL elicitation{'s' if len(elicitations) > 1 else ''} required"
        self._elicitations = list(elicitations)
        super().__init__(
            URL_ELICITATION_REQUIRED,
            message,
            {"elicitations": [_url_elicitation_dict(to_wire(e)) for e in self._elicitations]},
        )

    @property
    def elicitations(self) -> list[Any]:
        return self._elicitations


def _url_elicitation_dict(params: Any) -> Any:
    # ElicitRequestURLParams always carries mode "url" first, as the SDK dumps it.
    if isinstance(params, dict) and "mode" not in params:
        return {"mode": "url", **params}
    return params


def as_mcp_error(exc: BaseException) -> McpError | None:
    """The JSON-RPC error an exception stands for, if it is an MCP error of ours or the SDK's."""
    if isinstance(exc, McpError):
        return exc
    error = getattr(exc, "error", None)
    if error is not None and type(exc).__module__.startswith("mcp."):
        code = getattr(error, "code", None)
        if isinstance(code, int):
            return McpError(code, getattr(error, "message", str(exc)), getattr(error, "data", None))
    return None


__all__ = [
    "FastMCPError",
    "ValidationError",
    "ResourceError",
    "ToolError",
    "InvalidSignature",
    "McpError",
    "UrlElicitationRequiredError",
    "URL_ELICITATION_REQUIRED",
]
