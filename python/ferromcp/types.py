"""Light mirrors of the `mcp.types` objects that FastMCP code reads and returns.

They are plain classes, not pydantic models: keyword construction, attribute access,
`model_dump()` / `model_validate()` for code written against the SDK, and `to_wire()`,
which gives the JSON-ready dict the SDK would send (aliases applied, `None` fields left out).
Each class lists its fields in the SDK's order so dumps come out in the same key order.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_MISSING = object()

LOGGING_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")


class _ModelMeta(type):
    """`isinstance(x, ferromcp.types.TextContent)` also holds for an `mcp.types.TextContent`."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if type.__instancecheck__(cls, instance):
            return True
        return any(
            c.__name__ == cls.__name__ and c.__module__ == "mcp.types"
            for c in type(instance).__mro__
        )


def is_model(value: Any) -> bool:
    """True for instances of the classes below (not for their mcp.types equivalents)."""
    return isinstance(type(value), _ModelMeta)


class Model(metaclass=_ModelMeta):
    """Base: fields in wire order, optional defaults, extra keywords kept (like `extra="allow"`)."""

    _fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}
    # field -> function turning a wire value into the attribute value (used by model_validate)
    _parsers: dict[str, Callable[[Any], Any]] = {}

    def __init__(self, **data: Any) -> None:
        for name in self._fields:
            if name in data:
                value = data.pop(name)
            elif name == "meta" and "_meta" in data:
                value = data.pop("_meta")
            else:
                value = self._defaults.get(name, _MISSING)
                if value is _MISSING:
                    raise TypeError(f"{type(self).__name__}() missing required field {name!r}")
                if type(value) is list:
                    value = list(value)
            self.__dict__[name] = value
        self.__dict__["_extra"] = tuple(data)
        self.__dict__.update(data)

    @classmethod
    def model_validate(cls, data: Any) -> Any:
        """Build from a wire dict (or return an instance unchanged); nested objects parsed too."""
        if type.__instancecheck__(cls, data):
            return data
        if not isinstance(data, dict):
            data = to_wire(data)
            if not isinstance(data, dict):
                raise TypeError(f"{cls.__name__} expects a dict, got {type(data).__name__}")
        parsers = cls._parsers
        kwargs = {}
        for key, value in data.items():
            name = "meta" if key == "_meta" and "meta" in cls._fields else key
            parse = parsers.get(name)
            kwargs[name] = parse(value) if parse is not None and value is not None else value
        return cls(**kwargs)

    def model_dump(
        self, *, by_alias: bool = False, exclude_none: bool = False, mode: str = "python"
    ) -> dict:
        out: dict[str, Any] = {}
        for name in self._fields + self._extra:
            value = self.__dict__[name]
            if value is None and exclude_none:
                continue
            key = "_meta" if by_alias and name == "meta" else name
            out[key] = _dump(value, by_alias, exclude_none, mode)
        return out

    def to_wire(self) -> dict:
        """The dict the SDK sends for this object: aliases, no `None` fields."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> Any:
        data = {name: self.__dict__[name] for name in self._fields + self._extra}
        if update:
            data.update(update)
        return type(self)(**data)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.model_dump() == other.model_dump()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self._fields + self._extra)
        return f"{type(self).__name__}({parts})"


def _dump(value: Any, by_alias: bool, exclude_none: bool, mode: str) -> Any:
    if is_model(value):
        return value.model_dump(by_alias=by_alias, exclude_none=exclude_none, mode=mode)
    if isinstance(value, list | tuple):
        return [_dump(item, by_alias, exclude_none, mode) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item, by_alias, exclude_none, mode) for key, item in value.items()}
    if hasattr(type(value), "model_dump"):
        return value.model_dump(by_alias=by_alias, exclude_none=exclude_none, mode=mode)
    return value


def to_wire(value: Any) -> Any:
    """JSON-ready data for one of our objects, an SDK (pydantic) object, or containers of them."""
    if is_model(value):
        return value.to_wire()
    if isinstance(value, dict):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if hasattr(type(value), "model_dump"):
        return value.model_dump(by_alias=True, exclude_none=True, mode="json")
    return value


def full_dict(value: Any) -> Any:
    """Every field, `None` included, by alias: what `pydantic_core.to_json` shows for a model."""
    if is_model(value):
        return value.model_dump(by_alias=True)
    return value


def for_user(cls: type[Model], data: Any) -> Any:
    """An object handed to user code: `mcp.types`' own class when the program imported it.

    Code migrated from the SDK often keeps `isinstance(ref, mcp.types.PromptReference)`;
    when `mcp.types` is already loaded (never imported here), its class is used.
    """
    import sys

    sdk = sys.modules.get("mcp.types")
    if sdk is not None:
        sdk_cls = getattr(sdk, cls.__name__, None)
        if sdk_cls is not None and hasattr(sdk_cls, "model_validate"):
            try:
                return sdk_cls.model_validate(to_wire(data))
            except Exception:
                pass
    return cls.model_validate(data)


# --- shared pieces -------------------------------------------------------------------------


class Annotations(Model):
    _fields = ("audience", "priority")
    _defaults = {"audience": None, "priority": None}


class Icon(Model):
    _fields = ("src", "mimeType", "sizes")
    _defaults = {"mimeType": None, "sizes": None}


class ErrorData(Model):
    _fields = ("code", "message", "data")
    _defaults = {"data": None}


class Namespace(Model):
    """Attribute access over an arbitrary JSON object (nested objects too)."""

    def __init__(self, **data: Any) -> None:
        super().__init__(**{key: _namespace(value) for key, value in data.items()})

    def __getattr__(self, name: str) -> Any:
        # Unset optional members read as None, like the SDK's optional fields.
        if name.startswith("__"):
            raise AttributeError(name)
        return None


def _namespace(value: Any) -> Any:
    if isinstance(value, dict):
        return Namespace(**value)
    return value


# --- content blocks ------------------------------------------------------------------------


class TextContent(Model):
    _fields = ("type", "text", "annotations", "meta")
    _defaults = {"type": "text", "annotations": None, "meta": None}


class ImageContent(Model):
    _fields = ("type", "data", "mimeType", "annotations", "meta")
    _defaults = {"type": "image", "annotations": None, "meta": None}


class AudioContent(Model):
    _fields = ("type", "data", "mimeType", "annotations", "meta")
    _defaults = {"type": "audio", "annotations": None, "meta": None}


class ToolUseContent(Model):
    _fields = ("type", "name", "id", "input", "meta")
    _defaults = {"type": "tool_use", "meta": None}


class ResourceContents(Model):
    _fields = ("uri", "mimeType", "meta")
    _defaults = {"mimeType": None, "meta": None}


class TextResourceContents(Model):
    _fields = ("uri", "mimeType", "meta", "text")
    _defaults = {"mimeType": None, "meta": None}


class BlobResourceContents(Model):
    _fields = ("uri", "mimeType", "meta", "blob")
    _defaults = {"mimeType": None, "meta": None}


def parse_resource_contents(data: Any) -> Any:
    if isinstance(data, dict):
        cls = BlobResourceContents if "blob" in data else TextResourceContents
        return cls.model_validate(data)
    return data


class EmbeddedResource(Model):
    _fields = ("type", "resource", "annotations", "meta")
    _defaults = {"type": "resource", "annotations": None, "meta": None}
    _parsers = {"resource": parse_resource_contents}


class ResourceLink(Model):
    _fields = (
        "name",
        "title",
        "uri",
        "description",
        "mimeType",
        "size",
        "icons",
        "annotations",
        "meta",
        "type",
    )
    _defaults = {
        "title": None,
        "description": None,
        "mimeType": None,
        "size": None,
        "icons": None,
        "annotations": None,
        "meta": None,
        "type": "resource_link",
    }


_CONTENT_CLASSES: dict[str, type[Model]] = {}


def parse_content(data: Any) -> Any:
    """A content block object from its wire dict (unknown types become a Namespace)."""
    if not isinstance(data, dict):
        return data
    cls = _CONTENT_CLASSES.get(data.get("type"))  # type: ignore[arg-type]
    if cls is None:
        return Namespace(**data)
    return cls.model_validate(data)


def parse_content_or_list(data: Any) -> Any:
    if isinstance(data, list):
        return [parse_content(item) for item in data]
    return parse_content(data)


class ToolResultContent(Model):
    _fields = ("type", "toolUseId", "content", "structuredContent", "isError", "meta")
    _defaults = {
        "type": "tool_result",
        "content": [],
        "structuredContent": None,
        "isError": None,
        "meta": None,
    }
    _parsers = {"content": parse_content_or_list}


_CONTENT_CLASSES.update(
    {
        "text": TextContent,
        "image": ImageContent,
        "audio": AudioContent,
        "resource": EmbeddedResource,
        "resource_link": ResourceLink,
        "tool_use": ToolUseContent,
        "tool_result": ToolResultContent,
    }
)

# Class names whose instances count as content blocks in tool results (ours or mcp.types').
CONTENT_BLOCK_NAMES = frozenset(
    {"TextContent", "ImageContent", "AudioContent", "ResourceLink", "EmbeddedResource"}
)


def is_content_block(value: Any) -> bool:
    """True for a tool-result content block from ferromcp.types or mcp.types."""
    cls = type(value)
    if cls.__name__ not in CONTENT_BLOCK_NAMES:
        return False
    module = cls.__module__
    return module == __name__ or module == "mcp.types"


# --- definitions (what the */list methods return) ------------------------------------------


class ToolAnnotations(Model):
    _fields = ("title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")
    _defaults = dict.fromkeys(_fields)


class Tool(Model):
    _fields = (
        "name",
        "title",
        "description",
        "inputSchema",
        "outputSchema",
        "icons",
        "annotations",
        "meta",
        "execution",
    )
    _defaults = {
        "title": None,
        "description": None,
        "outputSchema": None,
        "icons": None,
        "annotations": None,
        "meta": None,
        "execution": None,
    }


class Resource(Model):
    _fields = (
        "name",
        "title",
        "uri",
        "description",
        "mimeType",
        "size",
        "icons",
        "annotations",
        "meta",
    )
    _defaults = {
        "title": None,
        "description": None,
        "mimeType": None,
        "size": None,
        "icons": None,
        "annotations": None,
        "meta": None,
    }


class ResourceTemplate(Model):
    _fields = (
        "name",
        "title",
        "uriTemplate",
        "description",
        "mimeType",
        "icons",
        "annotations",
        "meta",
    )
    _defaults = {
        "title": None,
        "description": None,
        "mimeType": None,
        "icons": None,
        "annotations": None,
        "meta": None,
    }


class PromptArgument(Model):
    _fields = ("name", "description", "required")
    _defaults = {"description": None, "required": None}


class Prompt(Model):
    _fields = ("name", "title", "description", "arguments", "icons", "meta")
    _defaults = {"title": None, "description": None, "arguments": None, "icons": None, "meta": None}


# --- results -------------------------------------------------------------------------------


class PromptMessage(Model):
    _fields = ("role", "content")
    _parsers = {"content": parse_content}


class GetPromptResult(Model):
    _fields = ("meta", "description", "messages")
    _defaults = {"meta": None, "description": None}
    _parsers = {"messages": lambda items: [PromptMessage.model_validate(item) for item in items]}


class CallToolResult(Model):
    _fields = ("meta", "content", "structuredContent", "isError")
    _defaults = {"meta": None, "structuredContent": None, "isError": False}
    _parsers = {"content": lambda items: [parse_content(item) for item in items]}


class ReadResourceResult(Model):
    _fields = ("meta", "contents")
    _defaults = {"meta": None}
    _parsers = {"contents": lambda items: [parse_resource_contents(item) for item in items]}


class ReadResourceContents:
    """One piece of a resource read: raw `content` (str or bytes) and its `mime_type`."""

    __slots__ = ("content", "mime_type", "meta")

    def __init__(
        self, content: str | bytes, mime_type: str | None = None, meta: dict | None = None
    ) -> None:
        self.content = content
        self.mime_type = mime_type
        self.meta = meta

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReadResourceContents):
            return NotImplemented
        return (self.content, self.mime_type, self.meta) == (
            other.content,
            other.mime_type,
            other.meta,
        )

    def __repr__(self) -> str:
        return (
            f"ReadResourceContents(content={self.content!r}, "
            f"mime_type={self.mime_type!r}, meta={self.meta!r})"
        )


# --- sampling, roots, elicitation (server -> client requests) ------------------------------


class SamplingMessage(Model):
    _fields = ("role", "content", "meta")
    _defaults = {"meta": None}
    _parsers = {"content": parse_content_or_list}

    @property
    def content_as_list(self) -> list:
        return self.content if isinstance(self.content, list) else [self.content]


class ModelHint(Model):
    _fields = ("name",)
    _defaults = {"name": None}


class ModelPreferences(Model):
    _fields = ("hints", "costPriority", "speedPriority", "intelligencePriority")
    _defaults = dict.fromkeys(_fields)


class ToolChoice(Model):
    _fields = ("mode",)
    _defaults = {"mode": None}


class CreateMessageResult(Model):
    _fields = ("meta", "role", "content", "model", "stopReason")
    _defaults = {"meta": None, "stopReason": None}
    _parsers = {"content": parse_content_or_list}

    @property
    def content_as_list(self) -> list:
        return self.content if isinstance(self.content, list) else [self.content]


class CreateMessageResultWithTools(CreateMessageResult):
    pass


class Root(Model):
    _fields = ("uri", "name", "meta")
    _defaults = {"name": None, "meta": None}


class ListRootsResult(Model):
    _fields = ("meta", "roots")
    _defaults = {"meta": None}
    _parsers = {"roots": lambda items: [Root.model_validate(item) for item in items]}


class ElicitResult(Model):
    _fields = ("meta", "action", "content")
    _defaults = {"meta": None, "content": None}


class ElicitRequestURLParams(Model):
    _fields = ("mode", "message", "url", "elicitationId")
    _defaults = {"mode": "url"}


class EmptyResult(Model):
    _fields = ("meta",)
    _defaults = {"meta": None}


# --- completion ----------------------------------------------------------------------------


class Completion(Model):
    _fields = ("values", "total", "hasMore")
    _defaults = {"total": None, "hasMore": None}


class CompletionArgument(Model):
    _fields = ("name", "value")


class CompletionContext(Model):
    _fields = ("arguments",)
    _defaults = {"arguments": None}


class PromptReference(Model):
    _fields = ("type", "name")
    _defaults = {"type": "ref/prompt"}


class ResourceTemplateReference(Model):
    _fields = ("type", "uri")
    _defaults = {"type": "ref/resource"}


ResourceReference = ResourceTemplateReference


def parse_reference(data: Any) -> Any:
    if isinstance(data, dict) and data.get("type") == "ref/prompt":
        return for_user(PromptReference, data)
    if isinstance(data, dict):
        return for_user(ResourceTemplateReference, data)
    return data


# --- initialization (what the client told us) ----------------------------------------------


class Implementation(Model):
    _fields = ("name", "title", "version", "websiteUrl", "icons")
    _defaults = {"title": None, "websiteUrl": None, "icons": None}


class ClientCapabilities(Model):
    _fields = ("experimental", "sampling", "elicitation", "roots", "tasks")
    _defaults = dict.fromkeys(_fields)
    _parsers = {
        "sampling": _namespace,
        "elicitation": _namespace,
        "roots": _namespace,
        "tasks": _namespace,
    }


class InitializeRequestParams(Model):
    _fields = ("meta", "protocolVersion", "capabilities", "clientInfo")
    _defaults = {"meta": None, "protocolVersion": None, "capabilities": None, "clientInfo": None}
    _parsers = {
        "capabilities": ClientCapabilities.model_validate,
        "clientInfo": Implementation.model_validate,
    }


__all__ = [
    "LOGGING_LEVELS",
    "Annotations",
    "AudioContent",
    "BlobResourceContents",
    "CallToolResult",
    "ClientCapabilities",
    "Completion",
    "CompletionArgument",
    "CompletionContext",
    "CreateMessageResult",
    "CreateMessageResultWithTools",
    "ElicitRequestURLParams",
    "ElicitResult",
    "EmbeddedResource",
    "EmptyResult",
    "ErrorData",
    "GetPromptResult",
    "Icon",
    "ImageContent",
    "Implementation",
    "InitializeRequestParams",
    "ListRootsResult",
    "Model",
    "ModelHint",
    "ModelPreferences",
    "Namespace",
    "Prompt",
    "PromptArgument",
    "PromptMessage",
    "PromptReference",
    "ReadResourceContents",
    "ReadResourceResult",
    "Resource",
    "ResourceContents",
    "ResourceLink",
    "ResourceReference",
    "ResourceTemplate",
    "ResourceTemplateReference",
    "Root",
    "SamplingMessage",
    "TextContent",
    "TextResourceContents",
    "Tool",
    "ToolAnnotations",
    "ToolChoice",
    "ToolResultContent",
    "ToolUseContent",
    "is_content_block",
    "parse_content",
    "to_wire",
]
