"""Tool return values -> MCP content blocks and structured content, as SDK v1 converts them.

`Output` holds what one tool's return annotation implies: the outputSchema, whether values
are wrapped as {"result": ...}, and how to validate them. Plain annotations are handled by
hand; the rest (models, TypedDicts, dataclasses, Annotated...) through pydantic.
"""

from __future__ import annotations

from ferromcp import _plain
from ferromcp._introspect import EMPTY, Signature, strip_annotated
from ferromcp._jsonout import to_json_text
from ferromcp.exceptions import InvalidSignature
from ferromcp.types import is_content_block, parse_content, to_wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FAIL = _plain.FAIL

# How structured content is derived from a return value.
_NONE, _WRAPPED, _ROOT = 0, 1, 2


# type -> whether it is a CallToolResult: asked for every result, answered once per type.
_CALL_TOOL_RESULT_TYPES: dict[type, bool] = {}


def is_call_tool_result(value: Any) -> bool:
    tp = type(value)
    known = _CALL_TOOL_RESULT_TYPES.get(tp)
    if known is None:
        known = _CALL_TOOL_RESULT_TYPES[tp] = _is_call_tool_result_class(tp)
    return known


def _is_call_tool_result_class(tp: Any) -> bool:
    return isinstance(tp, type) and any(
        cls.__name__ == "CallToolResult" and cls.__module__ in ("ferromcp.types", "mcp.types")
        for cls in tp.__mro__
    )


def _is_helper(value: Any, name: str, method: str) -> bool:
    # Our Image/Audio, or the SDK's (mcp.server.fastmcp.utilities.types).
    return type(value).__name__ == name and hasattr(value, method)


def content_blocks(result: Any, wire: bool = True) -> list:
    """The content list for a return value: wire dicts, or objects for the direct Python API."""
    if result is None:
        return []
    if wire:  # the common cases first: a str, or a JSON scalar shown as text
        cls = type(result)
        if cls is str:
            return [{"type": "text", "text": result}]
        if cls is int or cls is float or cls is bool:
            return [{"type": "text", "text": to_json_text(result)}]
    if is_content_block(result):
        return [to_wire(result) if wire else result]
    if _is_helper(result, "Image", "to_image_content"):
        block = result.to_image_content()
        return [to_wire(block) if wire else block]
    if _is_helper(result, "Audio", "to_audio_content"):
        block = result.to_audio_content()
        return [to_wire(block) if wire else block]
    if isinstance(result, list | tuple):
        out: list = []
        for item in result:
            out.extend(content_blocks(item, wire))
        return out
    if not isinstance(result, str):
        result = to_json_text(result)
    text = {"type": "text", "text": result}
    return [text if wire else parse_content(text)]


class Output:
    """Structured-output rules for one tool."""

    def __init__(self, signature: Signature, structured_output: bool | None) -> None:
        self.schema: dict | None = None
        self._mode = _NONE
        self._spec: tuple | None = None
        self._model: Any = None
        self._model_args: tuple | None = None  # (fn_name, original, type_expr) for pydantic
        self._validator: Any = None  # outputSchema check for pydantic-made content (built lazily)
        if structured_output is False:
            return
        fn_name = signature.fn_name
        annotation = signature.return_annotation
        if annotation is EMPTY and structured_output is True:
            raise InvalidSignature(
                f"Function {fn_name}: return annotation required for structured output"
            )
        type_expr, metadata = strip_annotated(annotation)
        _reject_call_tool_result_union(fn_name, type_expr)
        if _is_call_tool_result_class(type_expr):
            if not metadata:
                return
            original = _reannotate(metadata)
            type_expr = metadata[0]
            metadata = metadata[1:]
        else:
            original = annotation
        handled = not metadata and self._plain_schema(fn_name, original, type_expr)
        if not handled:
            from ferromcp._pydantic_bridge import build_output_model

            model, schema, wrap = build_output_model(fn_name, original, type_expr)
            if model is not None:
                self._model, self.schema = model, schema
                self._mode = _WRAPPED if wrap else _ROOT
        if self.schema is None and structured_output is True:
            raise InvalidSignature(
                f"Function {fn_name}: return type {type_expr} "
                "is not serializable for structured output"
            )
        self._model_args = (fn_name, original, type_expr)

    def _plain_schema(self, fn_name: str, original: Any, type_expr: Any) -> bool:
        """Set the schema by hand when the annotation is plain; False if pydantic must do it."""
        if type_expr is EMPTY:
            return True  # no annotation: no structured output
        spec = _plain.classify(original)
        if spec is None:
            return False
        import types
        import typing

        if type_expr is None:
            mode = _WRAPPED
        elif isinstance(type_expr, types.GenericAlias):
            args = typing.get_args(type_expr)
            is_str_dict = typing.get_origin(type_expr) is dict and len(args) == 2 and args[0] is str
            mode = _ROOT if is_str_dict else _WRAPPED
        elif isinstance(type_expr, type):
            if type_expr not in (str, int, float, bool, type(None)):
                return True  # bare list/dict/Any: a class without fields, no structured output
            mode = _WRAPPED
        else:
            mode = _WRAPPED
        self._spec, self._mode = spec, mode
        if mode == _ROOT:
            self.schema = dict(
                sorted({**_plain.json_schema(spec), "title": f"{fn_name}DictOutput"}.items())
            )
        else:
            result_schema = dict(sorted({**_plain.json_schema(spec), "title": "Result"}.items()))
            self.schema = {
                "properties": {"result": result_schema},
                "required": ["result"],
                "title": f"{fn_name}Output",
                "type": "object",
            }
        return True

    def _pydantic_model(self) -> Any:
        if self._model is None:
            from ferromcp._pydantic_bridge import build_output_model

            self._model = build_output_model(*self._model_args)[0]  # type: ignore[misc]
        return self._model

    def structured(self, result: Any) -> Any:
        """The structuredContent for a return value (None when the tool has no outputSchema)."""
        return self._structured(result)[0]

    def _structured(self, result: Any) -> tuple[Any, bool]:
        """(structured content, whether pydantic produced it)."""
        mode = self._mode
        if mode == _NONE:
            return None, False
        spec = self._spec
        if spec is not None:
            value = _plain.coerce(result, spec)
            if value is not _FAIL and _plain.is_json_data(value):
                return ({"result": value} if mode == _WRAPPED else value), False
        from ferromcp._pydantic_bridge import validate_output

        value = validate_output(
            self._pydantic_model(), {"result": result} if mode == _WRAPPED else result
        )
        return value, True

    def to_wire(self, result: Any) -> dict:
        """The tools/call result object for a return value (raises if output validation fails)."""
        if is_call_tool_result(result):
            self._check_call_tool_result(result)
            return to_wire(result)
        content = content_blocks(result)
        structured, from_pydantic = self._structured(result)
        if structured is None:
            return {"content": content, "isError": False}
        if from_pydantic:
            # The SDK checks structured content against the outputSchema before sending it.
            # Values coerced by hand conform by construction; pydantic's dumps may not
            # (e.g. an optional TypedDict key dumped as null).
            if self._validator is None:
                self._validator = schema_validator(self.schema)  # type: ignore[arg-type]
            problem = self._validator(structured)
            if problem is not None:
                return error_result(f"Output validation error: {problem}")
        return {"content": content, "structuredContent": structured, "isError": False}

    def to_python(self, result: Any) -> Any:
        """What the SDK's `FastMCP.call_tool` returns: content list, or (content, structured)."""
        if is_call_tool_result(result):
            self._check_call_tool_result(result)
            return result
        content = content_blocks(result, wire=False)
        if self._mode == _NONE:
            return content
        return content, self.structured(result)

    def _check_call_tool_result(self, result: Any) -> None:
        if self.schema is not None:
            from ferromcp._pydantic_bridge import check_output

            check_output(self._pydantic_model(), result.structuredContent)


def _reannotate(metadata: tuple) -> Any:
    if len(metadata) == 1:
        return metadata[0]
    from typing import Annotated

    return Annotated[(metadata[0], *metadata[1:])]  # type: ignore[valid-type]


def _reject_call_tool_result_union(fn_name: str, type_expr: Any) -> None:
    import types
    import typing

    origin = typing.get_origin(type_expr)
    if origin is typing.Union or origin is types.UnionType:
        args = [arg for arg in typing.get_args(type_expr) if arg is not type(None)]
        if any(_is_call_tool_result_class(arg) for arg in args):
            raise InvalidSignature(
                f"Function {fn_name}: CallToolResult cannot be used in Union or Optional types. "
                "To return empty results, use: CallToolResult(content=[])"
            )


def schema_validator(schema: dict) -> Any:
    """A function giving the message `jsonschema.validate` would raise, or None if valid.

    Uses the `jsonschema` package (as the SDK does) when it is installed; without it the
    check is skipped.
    """
    try:
        from jsonschema import exceptions, validators
    except ImportError:
        return lambda instance: None
    validator = validators.validator_for(schema)(schema)

    def violation(instance: Any) -> str | None:
        error = exceptions.best_match(validator.iter_errors(instance))
        return None if error is None else error.message

    return violation


def error_result(message: str) -> dict:
    return {"content": [{"type": "text", "text": message}], "isError": True}
