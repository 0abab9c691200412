"""`FastMCP._mcp_server`: the low-level server object of the SDK, as far as ferromcp has one.

In ferromcp the protocol engine is Rust (`core`); this object carries the identity the
engine announces and gives access to the current request, like the SDK's low-level server.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _IdentityField:
    """An attribute of the server's identity: stored, and sent to the engine when set."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        return self if obj is None else obj._identity[self.key]

    def __set__(self, obj: Any, value: Any) -> None:
        obj._identity[self.key] = value
        obj._publish_identity()


class LowLevelServer:
    def __init__(
        self,
        core: Any,
        *,
        owner: Any = None,
        name: str,
        version: str,
        instructions: str | None,
        website_url: str | None,
        icons: list[Any] | None,
        lifespan: Any,
    ) -> None:
        self.core = core
        self._owner = owner
        self._identity: dict[str, Any] = {
            "name": name,
            "version": version,
            "instructions": instructions,
            "website_url": website_url,
            "icons": icons,
        }
        self.lifespan = lifespan

    # The identity `initialize` announces. Servers set these after construction (FastMCP
    # has no constructor argument for the version, for one), so each change goes to the
    # engine; as in the SDK, an empty version means the implementation's own.
    name = _IdentityField()
    version = _IdentityField()
    instructions = _IdentityField()
    website_url = _IdentityField()
    icons = _IdentityField()

    def _publish_identity(self) -> None:
        from ferromcp import __version__
        from ferromcp.types import to_wire

        identity = self._identity
        icons = identity["icons"]
        self.core.set_info(
            str(identity["name"]),
            str(identity["version"] or __version__),
            instructions=identity["instructions"],
            website_url=identity["website_url"],
            icons=to_wire(icons) if icons is not None else None,
        )

    # --- serving in-process (the SDK's `create_connected_server_and_client_session`) ------

    def create_initialization_options(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """What the SDK's helpers pass back to `run`; the engine builds `initialize` itself."""
        return {"server_name": self.name, "server_version": self.version}

    async def run(
        self,
        read_stream: Any,
        write_stream: Any,
        initialization_options: Any = None,
        raise_exceptions: bool = False,
        stateless: bool = False,
    ) -> None:
        """Serve one session over the SDK's memory streams of `SessionMessage`s."""
        if self._owner is None:
            raise RuntimeError("this low-level server has no FastMCP to serve")
        from ferromcp._memory import run_session

        await run_session(self._owner, read_stream, write_stream)

    @property
    def request_context(self) -> Any:
        """The current request's context; LookupError outside a request (as in the SDK)."""
        from ferromcp.context import RequestContext, current_request

        current = current_request.get()
        if current is None:
            raise LookupError("no request is being handled")
        handle, server = current
        return RequestContext.from_handle(handle, server)

    # --- the SDK's low-level handler decorators that FastMCP servers use --------------------
    # The engine itself answers logging/setLevel and resources/(un)subscribe (log filtering,
    # subscriptions); a function registered here is told about each request afterwards,
    # as the SDK's handler would be, and an exception it raises becomes the error reply.

    def set_logging_level(self) -> Any:
        """Decorator: `async def fn(level: str)` runs on each logging/setLevel request."""
        return self._hook("logging/setLevel")

    def subscribe_resource(self) -> Any:
        """Decorator: `async def fn(uri: AnyUrl)` runs on each resources/subscribe request."""
        return self._hook("resources/subscribe")

    def unsubscribe_resource(self) -> Any:
        """Decorator: `async def fn(uri: AnyUrl)` runs on each resources/unsubscribe request."""
        return self._hook("resources/unsubscribe")

    def completion(self) -> Any:
        """Decorator registering the completion handler (as `FastMCP.completion()`)."""
        if self._owner is None:
            raise RuntimeError("this low-level server has no FastMCP to register with")
        return self._owner.completion()

    def _hook(self, method: str) -> Any:
        def decorator(fn: Any) -> Any:
            from ferromcp._handlers import hook_handler

            handler, is_async = hook_handler(self._owner, method, fn)
            self.core.set_hook(method, handler, is_async)
            return fn

        return decorator

    def __repr__(self) -> str:
        return f"LowLevelServer(name={self.name!r}, version={self.version!r})"
