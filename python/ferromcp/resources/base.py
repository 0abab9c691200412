"""Base class of concrete resources and the contents objects a read produces."""

from __future__ import annotations

from ferromcp._uri import normalize_uri
from ferromcp.types import to_wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_MIME_PATTERN = None


def check_mime_type(mime_type: str) -> str:
    """The SDK's pattern for a resource's mime_type; ValueError when it does not match."""
    global _MIME_PATTERN
    if _MIME_PATTERN is None:
        import re

        _MIME_PATTERN = re.compile(
            r"^[a-zA-Z0-9]+/[a-zA-Z0-9\-+.]+(;\s*[a-zA-Z0-9\-_.]+=[a-zA-Z0-9\-_.]+)*$"
        )
    if not isinstance(mime_type, str) or not _MIME_PATTERN.match(mime_type):
        raise ValueError(
            f"mime_type {mime_type!r} should match the pattern of a MIME type (type/subtype)"
        )
    return mime_type


class Resource:
    """A resource with a fixed URI. Subclasses implement `async read() -> str | bytes`."""

    default_mime_type = "text/plain"

    def __init__(
        self,
        *,
        uri: Any,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        mime_type: str | None = None,
        icons: list[Any] | None = None,
        annotations: Any = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.uri = normalize_uri(str(uri))
        self.name = name or self.uri
        self.title = title
        self.description = description
        self.mime_type = check_mime_type(self.default_mime_type if mime_type is None else mime_type)
        self.icons = icons
        self.annotations = annotations
        self.meta = meta

    async def read(self) -> str | bytes:
        raise NotImplementedError

    # A resource whose content can be produced without awaiting overrides this;
    # the engine then reads it on a worker thread instead of the event loop.
    read_sync = None

    def definition(self) -> dict:
        """The Resource object as resources/list shows it."""
        out: dict[str, Any] = {"name": self.name or ""}
        if self.title is not None:
            out["title"] = self.title
        out["uri"] = self.uri
        if self.description is not None:
            out["description"] = self.description
        out["mimeType"] = self.mime_type
        if self.icons is not None:
            out["icons"] = to_wire(self.icons)
        if self.annotations is not None:
            out["annotations"] = to_wire(self.annotations)
        if self.meta is not None:
            out["_meta"] = self.meta
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(uri={self.uri!r}, name={self.name!r})"


class ForeignResource(Resource):
    """A resource object from the SDK (`mcp.server.fastmcp.resources`), served as ours."""

    def __init__(self, resource: Any) -> None:
        # The SDK object has validated and normalised its fields already.
        self.uri = str(resource.uri)
        self.name = resource.name
        self.title = getattr(resource, "title", None)
        self.description = resource.description
        self.mime_type = resource.mime_type
        self.icons = getattr(resource, "icons", None)
        self.annotations = getattr(resource, "annotations", None)
        self.meta = getattr(resource, "meta", None)
        self._resource = resource

    async def read(self) -> str | bytes:
        return await self._resource.read()


def contents_entry(
    uri: str, content: str | bytes, mime_type: str | None, meta: dict | None
) -> dict:
    """One item of resources/read `contents`."""
    out: dict[str, Any] = {"uri": uri}
    if isinstance(content, str):
        out["mimeType"] = mime_type or "text/plain"
        if meta is not None:
            out["_meta"] = meta
        out["text"] = content
        return out
    import base64

    out["mimeType"] = mime_type or "application/octet-stream"
    if meta is not None:
        out["_meta"] = meta
    out["blob"] = base64.b64encode(content).decode()
    return out
