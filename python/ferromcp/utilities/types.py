"""Image and Audio: return them from a tool to send an image or audio content block."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from ferromcp.types import AudioContent, ImageContent

_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
_AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".flac": "audio/flac",
    ".aac": "audio/aac",
    ".m4a": "audio/mp4",
}


def _as_path(path: str | os.PathLike | None) -> Path | None:
    if not path:
        return None
    from pathlib import Path

    return Path(path)


def _mime_type(
    kind: str, format: str | None, path: Path | None, by_suffix: dict, default: str
) -> str:
    """`format` wins, then the file suffix, then the kind's default for raw bytes."""
    if format:
        return f"{kind}/{format.lower()}"
    if path:
        return by_suffix.get(path.suffix.lower(), "application/octet-stream")
    return default


def _base64_of(path: Path | None, data: bytes | None, what: str) -> str:
    import base64

    if path is not None:
        with open(path, "rb") as file:
            return base64.b64encode(file.read()).decode()
    if data is not None:
        return base64.b64encode(data).decode()
    raise ValueError(f"No {what} data available")


class Image:
    """An image from a file path or raw bytes; MIME type from `format` or the file suffix."""

    def __init__(
        self, path: str | Path | None = None, data: bytes | None = None, format: str | None = None
    ) -> None:
        if path is None and data is None:
            raise ValueError("Either path or data must be provided")
        if path is not None and data is not None:
            raise ValueError("Only one of path or data can be provided")
        self.path = _as_path(path)
        self.data = data
        self._format = format
        self._mime_type = self._get_mime_type()

    def _get_mime_type(self) -> str:
        return _mime_type("image", self._format, self.path, _IMAGE_TYPES, "image/png")

    def to_image_content(self) -> ImageContent:
        from ferromcp.types import ImageContent

        return ImageContent(
            type="image", data=_base64_of(self.path, self.data, "image"), mimeType=self._mime_type
        )


class Audio:
    """Audio from a file path or raw bytes; MIME type from `format` or the file suffix."""

    def __init__(
        self, path: str | Path | None = None, data: bytes | None = None, format: str | None = None
    ) -> None:
        if not bool(path) ^ bool(data):
            raise ValueError("Either path or data can be provided")
        self.path = _as_path(path)
        self.data = data
        self._format = format
        self._mime_type = self._get_mime_type()

    def _get_mime_type(self) -> str:
        return _mime_type("audio", self._format, self.path, _AUDIO_TYPES, "audio/wav")

    def to_audio_content(self) -> AudioContent:
        from ferromcp.types import AudioContent

        return AudioContent(
            type="audio", data=_base64_of(self.path, self.data, "audio"), mimeType=self._mime_type
        )


__all__ = ["Image", "Audio"]
