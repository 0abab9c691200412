"""Creating the Rust engine's server object (`ferromcp._core.Server`).

Kept in one function so nothing imports the extension module before a server is made,
and so tests can substitute a recorder for it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def create_core_server(
    name: str,
    version: str,
    *,
    title: str | None = None,
    instructions: str | None = None,
    website_url: str | None = None,
    icons: list[dict] | None = None,
) -> Any:
    from ferromcp import _core

    server = _core.Server(
        name,
        version,
        title=title,
        instructions=instructions,
        website_url=website_url,
        icons=icons,
    )
    # Resources are registered under their normalised URI (as the SDK keys them); requests
    # spelled otherwise are normalised the same way before the engine looks them up.
    server.set_uri_canonicalizer(canonical_uri)
    return server


def canonical_uri(uri: str) -> str | None:
    """The registry spelling of a requested resource URI; None when it is no valid URL."""
    from ferromcp._uri import normalize_uri

    try:
        return normalize_uri(uri)
    except ValueError:
        return None
