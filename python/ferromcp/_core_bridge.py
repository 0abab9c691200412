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

    return _core.Server(
        name,
        version,
        title=title,
        instructions=instructions,
        website_url=website_url,
        icons=icons,
    )
