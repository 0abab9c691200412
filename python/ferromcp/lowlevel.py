"""`FastMCP._mcp_server`: the low-level server object of the SDK, as far as ferromcp has one.

In ferromcp the protocol engine is Rust (`core`); this object carries the identity the
engine announces and gives access to the current request, like the SDK's low-level server.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class LowLevelServer:
    def __init__(
        self,
        core: Any,
        *,
        name: str,
        version: str,
        instructions: str | None,
        website_url: str | None,
        icons: list[Any] | None,
        lifespan: Any,
    ) -> None:
        self.core = core
        self.name = name
        self.version = version
        self.instructions = instructions
        self.website_url = website_url
        self.icons = icons
        self.lifespan = lifespan

    @property
    def request_context(self) -> Any:
        """The current request's context; LookupError outside a request (as in the SDK)."""
        from ferromcp.context import RequestContext, current_request

        current = current_request.get()
        if current is None:
            raise LookupError("no request is being handled")
        handle, server = current
        return RequestContext.from_handle(handle, server)

    def __repr__(self) -> str:
        return f"LowLevelServer(name={self.name!r}, version={self.version!r})"
