"""Concrete resource kinds: text, bytes, a function, a file, an HTTP URL, a directory listing."""

from __future__ import annotations

import inspect

from ferromcp._jsonout import to_json_text
from ferromcp.resources.base import Resource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any


class TextResource(Resource):
    def __init__(self, *, text: str, **fields: Any) -> None:
        super().__init__(**fields)
        self.text = text

    async def read(self) -> str:
        return self.text

    def read_sync(self) -> str:
        return self.text


class BinaryResource(Resource):
    def __init__(self, *, data: bytes, **fields: Any) -> None:
        super().__init__(**fields)
        self.data = data

    async def read(self) -> bytes:
        return self.data

    def read_sync(self) -> bytes:
        return self.data


def read_result(result: Any) -> str | bytes:
    """str and bytes as they are; anything else as indent-2 JSON text."""
    if isinstance(result, bytes | str):
        return result
    return to_json_text(result)


class FunctionResource(Resource):
    """Content produced by calling a function (sync or async) when the resource is read."""

    def __init__(self, *, fn: Callable[[], Any], **fields: Any) -> None:
        super().__init__(**fields)
        self.fn = fn
        from ferromcp._introspect import is_async_callable

        if is_async_callable(fn):
            self.read_sync = None  # type: ignore[assignment]

    async def read(self) -> str | bytes:
        try:
            result = self.fn()
            if inspect.iscoroutine(result):
                result = await result
            if isinstance(result, Resource):
                return await result.read()
            return read_result(result)
        except Exception as exc:
            raise ValueError(f"Error reading resource {self.uri}: {exc}") from exc

    def read_sync(self) -> str | bytes:  # type: ignore[override]
        try:
            result = self.fn()
            if isinstance(result, Resource):
                return _read_nested(result)
            return read_result(result)
        except Exception as exc:
            raise ValueError(f"Error reading resource {self.uri}: {exc}") from exc

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        uri: str,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        mime_type: str | None = None,
        icons: list[Any] | None = None,
        annotations: Any = None,
        meta: dict[str, Any] | None = None,
    ) -> FunctionResource:
        from ferromcp._introspect import registered_name

        resource_name = registered_name(fn, name)
        return cls(
            uri=uri,
            name=resource_name,
            title=title,
            description=description or getattr(fn, "__doc__", None) or "",
            mime_type=mime_type or "text/plain",
            fn=fn,
            icons=icons,
            annotations=annotations,
            meta=meta,
        )


def _read_nested(resource: Resource) -> str | bytes:
    if resource.read_sync is not None:
        return resource.read_sync()
    import asyncio

    return asyncio.run(resource.read())


def _absolute(path: Any) -> Path:
    from pathlib import Path

    path = Path(path)
    if not path.is_absolute():
        raise ValueError("Path must be absolute")
    return path


class FileResource(Resource):
    """A file's content: text, or bytes when `is_binary` or the MIME type is not text/*."""

    def __init__(self, *, path: Any, is_binary: bool = False, **fields: Any) -> None:
        super().__init__(**fields)
        self.path = _absolute(path)
        self.is_binary = bool(is_binary) or not self.mime_type.startswith("text/")

    async def read(self) -> str | bytes:
        return self.read_sync()

    def read_sync(self) -> str | bytes:
        try:
            return self.path.read_bytes() if self.is_binary else self.path.read_text()
        except Exception as exc:
            raise ValueError(f"Error reading file {self.path}: {exc}") from exc


class HttpResource(Resource):
    """The text of a GET request to `url` (needs httpx)."""

    default_mime_type = "application/json"

    def __init__(self, *, url: str, **fields: Any) -> None:
        super().__init__(**fields)
        self.url = url

    async def read(self) -> str | bytes:
        import httpx

        async with httpx.AsyncClient() as client:
            response = await client.get(self.url)
            response.raise_for_status()
            return response.text


class DirectoryResource(Resource):
    """A JSON listing of the files under a directory (optionally recursive, glob-filtered)."""

    default_mime_type = "application/json"

    def __init__(
        self, *, path: Any, recursive: bool = False, pattern: str | None = None, **fields: Any
    ) -> None:
        super().__init__(**fields)
        self.path = _absolute(path)
        self.recursive = recursive
        self.pattern = pattern

    def list_files(self) -> list[Path]:
        if not self.path.exists():
            raise FileNotFoundError(f"Directory not found: {self.path}")
        if not self.path.is_dir():
            raise NotADirectoryError(f"Not a directory: {self.path}")
        try:
            pattern = self.pattern or "*"
            return list(self.path.rglob(pattern) if self.recursive else self.path.glob(pattern))
        except Exception as exc:
            raise ValueError(f"Error listing directory {self.path}: {exc}") from exc

    async def read(self) -> str:
        return self.read_sync()

    def read_sync(self) -> str:
        import json

        try:
            files = [str(f.relative_to(self.path)) for f in self.list_files() if f.is_file()]
            return json.dumps({"files": files}, indent=2)
        except Exception as exc:
            raise ValueError(f"Error reading directory {self.path}: {exc}") from exc
