"""Finding and filling the Context parameter, importable as from
`mcp.server.fastmcp.utilities.context_injection` (used by code that builds tools itself)."""

from __future__ import annotations

from ferromcp._introspect import find_context_parameter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def inject_context(
    fn: Callable[..., Any],
    kwargs: dict[str, Any],
    context: Any | None,
    context_kwarg: str | None,
) -> dict[str, Any]:
    """`kwargs` plus the Context under `context_kwarg`, when there is both a name and a Context."""
    if context_kwarg is not None and context is not None:
        return {**kwargs, context_kwarg: context}
    return kwargs


__all__ = ["find_context_parameter", "inject_context"]
