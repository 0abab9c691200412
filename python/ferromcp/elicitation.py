"""Elicitation: asking the user for input through the client (form mode and URL mode).

Results mirror the SDK's: `.action` is "accept", "decline" or "cancel"; an accepted form
carries `.data`, the reply validated into the pydantic model that described the form.
"""

from __future__ import annotations

import types
import typing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Result:
    action: str = ""

    def model_dump(self, **_: Any) -> dict:
        return {"action": self.action}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.model_dump() == other.model_dump()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(action={self.action!r})"


class AcceptedElicitation(_Result):
    """The user submitted the form; `data` is an instance of the requested model."""

    action = "accept"

    def __init__(self, data: Any = None, action: str = "accept") -> None:
        self.data = data

    def __class_getitem__(cls, params: Any) -> Any:
        return types.GenericAlias(cls, params if isinstance(params, tuple) else (params,))

    def model_dump(self, **kwargs: Any) -> dict:
        data = self.data.model_dump(**kwargs) if hasattr(self.data, "model_dump") else self.data
        return {"action": self.action, "data": data}

    def __repr__(self) -> str:
        return f"AcceptedElicitation(action='accept', data={self.data!r})"


class DeclinedElicitation(_Result):
    action = "decline"

    def __init__(self, action: str = "decline") -> None:
        pass


class CancelledElicitation(_Result):
    action = "cancel"

    def __init__(self, action: str = "cancel") -> None:
        pass


class AcceptedUrlElicitation(_Result):
    action = "accept"

    def __init__(self, action: str = "accept") -> None:
        pass


ElicitationResult = AcceptedElicitation | DeclinedElicitation | CancelledElicitation
UrlElicitationResult = AcceptedUrlElicitation | DeclinedElicitation | CancelledElicitation

_PRIMITIVES = (str, int, float, bool)


def _is_string_sequence(annotation: Any) -> bool:
    import collections.abc

    origin = typing.get_origin(annotation)
    if origin:
        try:
            if issubclass(origin, collections.abc.Sequence):
                args = typing.get_args(annotation)
                return len(args) == 1 and args[0] is str
        except TypeError:
            pass
    return False


def _is_primitive_field(annotation: Any) -> bool:
    if annotation in _PRIMITIVES:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return all(
            arg is types.NoneType or arg in _PRIMITIVES or _is_string_sequence(arg)
            for arg in typing.get_args(annotation)
        )
    return False


def validate_elicitation_schema(schema: Any) -> None:
    """Only primitive fields (and lists of strings, optionally Optional) may be elicited."""
    for field_name, field_info in schema.model_fields.items():
        annotation = field_info.annotation
        if annotation is None or annotation is types.NoneType:
            continue
        if _is_primitive_field(annotation) or _is_string_sequence(annotation):
            continue
        raise TypeError(
            f"Elicitation schema field '{field_name}' must be a primitive type "
            f"{_PRIMITIVES}, a sequence of strings (list[str], etc.), "
            f"or Optional of these types. Nested models and complex types are not allowed."
        )


async def elicit_with_validation(
    session: Any, message: str, schema: Any, related_request_id: Any = None
) -> Any:
    """Form-mode elicitation: send the model's JSON Schema, validate an accepted reply into it."""
    validate_elicitation_schema(schema)
    result = await session.elicit_form(message, schema.model_json_schema(), related_request_id)
    if result.action == "accept" and result.content is not None:
        return AcceptedElicitation(data=schema.model_validate(result.content))
    if result.action == "decline":
        return DeclinedElicitation()
    if result.action == "cancel":
        return CancelledElicitation()
    raise ValueError(f"Unexpected elicitation action: {result.action}")


async def elicit_url(
    session: Any, message: str, url: str, elicitation_id: str, related_request_id: Any = None
) -> Any:
    """URL-mode elicitation: the reply only says whether the user agreed to go to the URL."""
    result = await session.elicit_url(message, url, elicitation_id, related_request_id)
    if result.action == "accept":
        return AcceptedUrlElicitation()
    if result.action == "decline":
        return DeclinedElicitation()
    if result.action == "cancel":
        return CancelledElicitation()
    raise ValueError(f"Unexpected elicitation action: {result.action}")


__all__ = [
    "AcceptedElicitation",
    "AcceptedUrlElicitation",
    "CancelledElicitation",
    "DeclinedElicitation",
    "ElicitationResult",
    "UrlElicitationResult",
    "elicit_url",
    "elicit_with_validation",
]
