"""Prompt messages and registered prompts (rendering a function's result into messages)."""

from __future__ import annotations

import inspect

from ferromcp._arguments import Arguments
from ferromcp._introspect import Signature, registered_name
from ferromcp._jsonout import to_json_text
from ferromcp._uri import normalize_uri
from ferromcp.types import TextContent, is_content_block, to_wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_ROLES = ("user", "assistant")


class Message:
    """One prompt message: a role and a content block (a str becomes text content)."""

    role: str = "user"

    def __init__(self, content: Any = None, **kwargs: Any) -> None:
        if "content" in kwargs:
            content = kwargs.pop("content")
        role = kwargs.pop("role", type(self).role)
        if role not in _ROLES:
            raise ValueError(f"Input should be 'user' or 'assistant', got {role!r}")
        self.role = role
        self.content = (
            TextContent(type="text", text=content) if isinstance(content, str) else content
        )

    def model_dump(self, **kwargs: Any) -> dict:
        content = self.content
        if hasattr(content, "model_dump"):
            content = content.model_dump(**kwargs)
        return {"role": self.role, "content": content}

    def to_wire(self) -> dict:
        return {"role": self.role, "content": to_wire(self.content)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.to_wire() == other.to_wire()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(role={self.role!r}, content={self.content!r})"


class UserMessage(Message):
    role = "user"


class AssistantMessage(Message):
    role = "assistant"


class PromptArgument:
    """An argument of a prompt, derived from a function parameter."""

    def __init__(self, name: str, description: str | None = None, required: bool = False) -> None:
        self.name = name
        self.description = description
        self.required = required

    def definition(self) -> dict:
        out: dict[str, Any] = {"name": self.name}
        if self.description is not None:
            out["description"] = self.description
        out["required"] = self.required
        return out

    def __repr__(self) -> str:
        return f"PromptArgument(name={self.name!r}, required={self.required!r})"


class PromptRenderError(ValueError):
    """A prompt could not be rendered; `invalid_arguments` tells the cause was the arguments."""

    def __init__(self, message: str, invalid_arguments: bool = False) -> None:
        super().__init__(message)
        self.invalid_arguments = invalid_arguments


class Prompt:
    """A prompt template backed by a function whose parameters are the prompt's arguments."""

    def __init__(
        self,
        *,
        name: str,
        title: str | None = None,
        description: str | None = None,
        arguments: list[PromptArgument] | None = None,
        fn: Callable[..., Any],
        icons: list[Any] | None = None,
        context_kwarg: str | None = None,
        binder: Arguments | None = None,
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.fn = fn
        self.icons = icons
        self._binder = binder or Arguments(Signature(fn, context_kwarg=context_kwarg))
        self.context_kwarg = self._binder.signature.context_kwarg
        self.is_async = self._binder.signature.is_async

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        icons: list[Any] | None = None,
        context_kwarg: str | None = None,
    ) -> Prompt:
        prompt_name = registered_name(fn, name)
        binder = Arguments(Signature(fn, context_kwarg=context_kwarg))
        schema = binder.input_schema()
        required = schema.get("required", [])
        arguments = [
            PromptArgument(name=key, description=prop.get("description"), required=key in required)
            for key, prop in schema.get("properties", {}).items()
        ]
        return cls(
            name=prompt_name,
            title=title,
            description=description or getattr(fn, "__doc__", None) or "",
            arguments=arguments,
            fn=fn,
            icons=icons,
            binder=binder,
        )

    def definition(self) -> dict:
        """The Prompt object as prompts/list shows it."""
        out: dict[str, Any] = {"name": self.name}
        if self.title is not None:
            out["title"] = self.title
        if self.description is not None:
            out["description"] = self.description
        out["arguments"] = [argument.definition() for argument in self.arguments or ()]
        if self.icons is not None:
            out["icons"] = to_wire(self.icons)
        return out

    def check_arguments(self, arguments: dict | None) -> None:
        if self.arguments:
            required = {arg.name for arg in self.arguments if arg.required}
            missing = required - set(arguments or {})
            if missing:
                raise PromptRenderError(
                    f"Missing required arguments: {missing}", invalid_arguments=True
                )

    def start(self, arguments: dict | None, context: Any) -> Any:
        """Call the function, validated like pydantic's validate_call (result may be awaitable)."""
        self.check_arguments(arguments)
        extra = (
            {self.context_kwarg: context}
            if self.context_kwarg is not None and context is not None
            else None
        )
        try:
            return self._binder.call_validated(arguments or {}, extra)
        except Exception as exc:
            raise self.render_error(exc) from exc

    def render_error(self, exc: Exception) -> PromptRenderError:
        """The SDK's wrapping of an exception raised while calling (or awaiting) the function.

        Only a validation error of the arguments counts as invalid arguments, not one the
        function's own body raised (e.g. from a model it builds).
        """
        from ferromcp._arguments import raised_inside

        return PromptRenderError(
            f"Error rendering prompt {self.name}: {exc}",
            _is_validation_error(exc) and not raised_inside(exc, self.fn),
        )

    def finish(self, result: Any) -> list[dict]:
        """The function's result as wire messages."""
        try:
            return messages_from_result(result)
        except Exception as exc:
            raise PromptRenderError(f"Error rendering prompt {self.name}: {exc}") from exc

    async def render(self, arguments: dict | None = None, context: Any = None) -> list[Message]:
        """Render to Message objects (SDK API)."""
        result = self.start(arguments, context)
        if inspect.iscoroutine(result):
            try:
                result = await result
            except Exception as exc:
                raise self.render_error(exc) from exc
        return [_message_object(message) for message in self.finish(result)]

    def __repr__(self) -> str:
        return f"Prompt(name={self.name!r})"


def _is_validation_error(exc: BaseException) -> bool:
    from ferromcp._arguments import ArgumentError

    return isinstance(exc, ArgumentError) or (
        type(exc).__name__ == "ValidationError" and type(exc).__module__.startswith("pydantic")
    )


def _message_object(wire: dict) -> Message:
    from ferromcp.types import parse_content

    return Message(role=wire["role"], content=parse_content(wire["content"]))


# --- converting a prompt function's result ------------------------------------------------


def messages_from_result(result: Any) -> list[dict]:
    if not isinstance(result, list | tuple):
        result = [result]
    messages = []
    for item in result:
        try:
            messages.append(_message(item))
        except Exception:
            raise ValueError(f"Could not convert prompt result to message: {item}") from None
    return messages


def _is_message(value: Any) -> bool:
    if isinstance(value, Message):
        return True
    cls = type(value)
    return cls.__module__ == "mcp.server.fastmcp.prompts.base" and cls.__name__ in (
        "Message",
        "UserMessage",
        "AssistantMessage",
    )


def _message(item: Any) -> dict:
    if _is_message(item):
        return {"role": item.role, "content": _content(item.content)}
    if isinstance(item, dict):
        role = item.get("role", "user")
        if role not in _ROLES or "content" not in item:
            raise ValueError("invalid message")
        return {"role": role, "content": _content(item["content"])}
    if isinstance(item, str):
        return {"role": "user", "content": {"type": "text", "text": item}}
    return {"role": "user", "content": {"type": "text", "text": to_json_text(item)}}


def _content(content: Any) -> dict:
    if isinstance(content, str):
        return {"type": "text", "text": content}
    if is_content_block(content):
        return to_wire(content)
    if isinstance(content, dict):
        return _content_from_dict(content)
    raise ValueError("invalid content")


_REQUIRED_STRINGS = {
    "text": ("text",),
    "image": ("data", "mimeType"),
    "audio": ("data", "mimeType"),
    "resource_link": ("name", "uri"),
    "resource": (),
}


def _content_from_dict(data: dict) -> dict:
    kind = data.get("type")
    required = _REQUIRED_STRINGS.get(kind)  # type: ignore[arg-type]
    if required is None:
        raise ValueError("unknown content type")
    for key in required:
        if not isinstance(data.get(key), str):
            raise ValueError(f"content field {key} must be a string")
    out = {key: value for key, value in data.items() if value is not None}
    if kind == "resource_link":
        out["uri"] = normalize_uri(out["uri"])
    if kind == "resource":
        resource = data.get("resource")
        if not isinstance(resource, dict) or not isinstance(resource.get("uri"), str):
            raise ValueError("embedded resource needs a uri")
        if not isinstance(resource.get("text", resource.get("blob")), str):
            raise ValueError("embedded resource needs text or blob")
        resource = {key: value for key, value in resource.items() if value is not None}
        resource["uri"] = normalize_uri(resource["uri"])
        out["resource"] = resource
    return out
