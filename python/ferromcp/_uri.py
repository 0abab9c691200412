"""Resource URIs spelled the way the SDK stores them (pydantic's AnyUrl normalisation).

Most URIs (custom scheme, plain characters) come out of AnyUrl unchanged; those are
recognised here without pydantic. Anything else is handed to pydantic.
"""

from __future__ import annotations

_SIMPLE = None
# Schemes the URL standard treats specially (host lower-cased, default ports dropped, ...).
_SPECIAL_SCHEMES = ("http:", "https:", "ws:", "wss:", "ftp:", "file:")


def _simple_pattern():  # type: ignore[no-untyped-def]
    global _SIMPLE
    if _SIMPLE is None:
        import re

        unreserved = r"A-Za-z0-9\-._~!$&'()*+,;="
        _SIMPLE = re.compile(
            rf"[a-z][a-z0-9+.\-]*://[{unreserved}]*(/[{unreserved}:@/]*)?(\?[{unreserved}:@/?]*)?"
        )
    return _SIMPLE


def is_unchanged_by_normalisation(uri: str) -> bool:
    if uri.startswith(_SPECIAL_SCHEMES) or "/." in uri:
        return False
    return _simple_pattern().fullmatch(uri) is not None


def normalize_uri(uri: str) -> str:
    """`str(AnyUrl(uri))`; raises ValueError for a URI pydantic rejects."""
    uri = str(uri)
    if is_unchanged_by_normalisation(uri):
        return uri
    try:
        from ferromcp._pydantic_bridge import normalize_url
    except ImportError:  # pragma: no cover - pydantic is a dependency
        return uri
    return normalize_url(uri)
