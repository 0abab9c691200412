"""The Context object tools, resources and prompts receive, and the request data behind it.

`Context` mirrors the SDK's FastMCP Context; its async methods wrap the Rust `RequestHandle`
of the request being handled, through `ferromcp.session.ServerSession`.
"""

from __future__ import annotations

import contextvars

from ferromcp.session import ServerSession
from ferromcp.types import LOGGING_LEVELS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ferromcp.server import FastMCP

_OUTSIDE = "Context is not available outside of a request"

# The request being handled in this thread / task: (handle, server), or None.
current_request: contextvars.ContextVar[tuple | None] = contextvars.ContextVar(
    "ferromcp_request", default=None
)


class Meta:
    """The request's `params._meta`: `.progressToken` plus any other key as an attribute."""

    def __init__(self, data: dict | None = None, **extra: Any) -> None:
        values = dict(data or {}, **extra)
        self.progressToken = values.pop("progressToken", None)
        self.__dict__.update(values)

    def model_dump(self, **_: Any) -> dict:
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return f"Meta({self.__dict__!r})"


class Headers(dict):
    """HTTP headers with case-insensitive lookup (`request.headers["Authorization"]`)."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__((key.lower(), value) for key, value in headers.items())

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


class HttpRequest:
    """The HTTP request behind an MCP request (what `request_context.request` shows)."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = Headers(headers)

    def __repr__(self) -> str:
        return f"HttpRequest(headers={dict(self.headers)!r})"


class RequestContext:
    """Per-request data: id, `_meta`, session, lifespan context, HTTP request."""

    def __init__(
        self,
        request_id: Any,
        meta: Any,
        session: Any,
        lifespan_context: Any,
        experimental: Any = None,
        request: Any = None,
        close_sse_stream: Any = None,
        close_standalone_sse_stream: Any = None,
    ) -> None:
        self.request_id = request_id
        self.meta = meta
        self.session = session
        self.lifespan_context = lifespan_context
        self.experimental = experimental
        self.request = request
        self.close_sse_stream = close_sse_stream
        self.close_standalone_sse_stream = close_standalone_sse_stream

    @classmethod
    def from_handle(cls, handle: Any, server: FastMCP | None) -> RequestContext:
        meta = getattr(handle, "meta", None)
        headers = getattr(handle, "headers", None)
        return cls(
            request_id=handle.request_id,
            meta=Meta(meta) if meta is not None else None,
            session=ServerSession(handle, server._core if server is not None else None),
            lifespan_context=server._lifespan_context if server is not None else {},
            request=HttpRequest(headers) if headers is not None else None,
            close_sse_stream=_stream_closer(handle, "close_stream"),
            close_standalone_sse_stream=_stream_closer(handle, "close_standalone_stream"),
        )

    def __repr__(self) -> str:
        return f"RequestContext(request_id={self.request_id!r}, meta={self.meta!r})"


def _stream_closer(handle: Any, method: str) -> Any:
    """`close_sse_stream` callbacks exist where streams can be resumed: HTTP, 2025-11-25+."""
    if getattr(handle, "headers", None) is None or not hasattr(handle, method):
        return None
    if (getattr(handle, "protocol_version", None) or "") < "2025-11-25":
        return None

    async def close() -> None:
        getattr(handle, method)()

    return close


# --- Context -------------------------------------------------------------------------------


class Context:
    """What a tool, resource or prompt function gets in its Context-annotated parameter.

    `Context[ServerSession, LifespanType]` may be written in annotations; any parameter name works.
    """

    def __init__(
        self,
        *,
        request_context: RequestContext | None = None,
        fastmcp: FastMCP | None = None,
        **_: Any,
    ):
        self._request_context = request_context
        self._fastmcp = fastmcp

    def __class_getitem__(cls, params: Any) -> Any:
        import types

        return types.GenericAlias(cls, params if isinstance(params, tuple) else (params,))

    @property
    def fastmcp(self) -> FastMCP:
        if self._fastmcp is None:
            raise ValueError(_OUTSIDE)
        return self._fastmcp

    @property
    def request_context(self) -> RequestContext:
        if self._request_context is None:
            raise ValueError(_OUTSIDE)
        return self._request_context

    @property
    def _handle(self) -> Any:
        return self.request_context.session._handle

    @property
    def request_id(self) -> str:
        return str(self.request_context.request_id)

    @property
    def client_id(self) -> str | None:
        meta = self.request_context.meta
        return getattr(meta, "client_id", None) if meta else None

    @property
    def session(self) -> ServerSession:
        return self.request_context.session

    async def report_progress(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> None:
        """Send a progress notification (nothing happens when the request has no progressToken)."""
        self._handle.progress(progress, total, message)

    async def read_resource(self, uri: Any) -> Any:
        """Read one of this server's resources: a list of ReadResourceContents."""
        if self._fastmcp is None:
            raise ValueError(_OUTSIDE)
        return await self._fastmcp.read_resource(uri)

    async def log(
        self, *args: Any, logger_name: str | None = None, extra: Any = None, **kwargs: Any
    ) -> None:
        """Send a log message to the client.

        SDK order `log(level, message)`; the fastmcp order `log(message, level="info")` works too.
        """
        level, message = _level_and_message(args, kwargs)
        data = message if extra is None else {"msg": message, "extra": extra}
        from ferromcp.types import to_wire

        self._handle.log(level, to_wire(data), logger_name)

    async def debug(self, message: Any, **extra: Any) -> None:
        await self.log("debug", message, **extra)

    async def info(self, message: Any, **extra: Any) -> None:
        await self.log("info", message, **extra)

    async def warning(self, message: Any, **extra: Any) -> None:
        await self.log("warning", message, **extra)

    async def error(self, message: Any, **extra: Any) -> None:
        await self.log("error", message, **extra)

    async def elicit(self, message: str, schema: Any) -> Any:
        """Ask the user for structured input described by a pydantic model (form mode)."""
        from ferromcp.elicitation import elicit_with_validation

        return await elicit_with_validation(self.session, message, schema, self.request_id)

    async def elicit_url(self, message: str, url: str, elicitation_id: str) -> Any:
        """Direct the user to a URL for an out-of-band interaction (URL mode)."""
        from ferromcp.elicitation import elicit_url

        return await elicit_url(self.session, message, url, elicitation_id, self.request_id)

    async def close_sse_stream(self) -> None:
        callback = self._request_context.close_sse_stream if self._request_context else None
        if callback is not None:
            await callback()

    async def close_standalone_sse_stream(self) -> None:
        callback = (
            self._request_context.close_standalone_sse_stream if self._request_context else None
        )
        if callback is not None:
            await callback()

    def __repr__(self) -> str:
        return f"Context(request_context={self._request_context!r})"


def _level_and_message(args: tuple, kwargs: dict) -> tuple[str, Any]:
    level = kwargs.pop("level", None)
    has_message = "message" in kwargs
    message = kwargs.pop("message", None)
    if kwargs:
        raise TypeError(f"log() got an unexpected keyword argument {next(iter(kwargs))!r}")
    if len(args) > 2:
        raise TypeError(f"log() takes at most 2 positional arguments ({len(args)} given)")
    if len(args) == 2:
        if level is not None or has_message:
            raise TypeError("log() got multiple values for level or message")
        first, second = args
        if first not in LOGGING_LEVELS and second in LOGGING_LEVELS:
            return second, first  # fastmcp order
        return first, second
    if len(args) == 1:
        if has_message:
            return args[0], message  # log("info", message=...)
        return (level or "info"), args[0]  # fastmcp: log(message) / log(message, level=...)
    if not has_message:
        raise TypeError("log() missing required argument: 'message'")
    return (level or "info"), message


def context_for(server: FastMCP | None) -> Context:
    """A Context for the request being handled now (or one without a request)."""
    current = current_request.get()
    if current is None:
        return Context(request_context=None, fastmcp=server)
    handle, owner = current
    return Context(
        request_context=RequestContext.from_handle(handle, owner), fastmcp=server or owner
    )
