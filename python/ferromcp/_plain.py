"""Plain annotations handled without pydantic: classification, JSON Schema, lax coercion.

"Plain" means str/int/float/bool/None/Any, list and dict (bare or parametrised, dict keys
str), Literal of JSON scalars, and unions of those (Optional, `X | None`). For them this
module produces exactly the JSON Schema pydantic would, and coerces values the way
pydantic's lax mode does. Coercion is deliberately conservative: whenever a value is not
certainly handled the way pydantic would handle it, `coerce` says so (returns `FAIL`) and
the caller asks pydantic itself, which also produces the exact error text.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Spec kinds. A spec is a tuple (kind, argument).
ANY, STR, INT, FLOAT, BOOL, NONE, LIST, DICT, LITERAL, UNION = range(10)

ANY_SPEC = (ANY, None)
_SCALAR_SPECS = {str: (STR, None), int: (INT, None), float: (FLOAT, None), bool: (BOOL, None)}
_NONE_SPEC = (NONE, None)

FAIL = object()  # coerce() result when pydantic must decide


def classify(annotation: Any) -> tuple | None:
    """The spec of a plain annotation, or None when pydantic is needed."""
    try:
        spec = _SCALAR_SPECS.get(annotation)  # type: ignore[call-overload]
    except TypeError:  # unhashable annotation object
        return None
    if spec is not None:
        return spec
    if annotation is None or annotation is type(None):
        return _NONE_SPEC
    if annotation is list:
        return (LIST, None)
    if annotation is dict:
        return (DICT, None)
    import typing

    if annotation is typing.Any:
        return ANY_SPEC
    origin = typing.get_origin(annotation)
    if origin is None:
        return None
    args = typing.get_args(annotation)
    if origin is list:
        if not args:
            return (LIST, None)
        item = classify(args[0])
        return None if item is None else (LIST, None if item == ANY_SPEC else item)
    if origin is dict:
        if not args:
            return (DICT, None)
        if args[0] is not str:
            return None
        value = classify(args[1])
        return None if value is None else (DICT, None if value == ANY_SPEC else value)
    if origin is typing.Literal:
        if all(_is_literal_scalar(v) for v in args):
            return (LITERAL, tuple(args))
        return None
    import types

    if origin is typing.Union or origin is types.UnionType:
        members = []
        for arg in args:
            member = classify(arg)
            if member is None:
                return None
            members.append(member)
        return (UNION, tuple(members))
    return None


def _is_literal_scalar(value: Any) -> bool:
    cls = type(value)
    if cls is float:
        return math.isfinite(value)
    return cls is str or cls is int or cls is bool or value is None


# --- JSON Schema ----------------------------------------------------------------------------


def json_schema(spec: tuple) -> dict:
    """The JSON Schema pydantic generates for a spec (keys sorted as pydantic sorts them)."""
    kind, arg = spec
    if kind == ANY:
        return {}
    if kind == STR:
        return {"type": "string"}
    if kind == INT:
        return {"type": "integer"}
    if kind == FLOAT:
        return {"type": "number"}
    if kind == BOOL:
        return {"type": "boolean"}
    if kind == NONE:
        return {"type": "null"}
    if kind == LIST:
        return {"items": {} if arg is None else json_schema(arg), "type": "array"}
    if kind == DICT:
        return {"additionalProperties": True if arg is None else json_schema(arg), "type": "object"}
    if kind == LITERAL:
        return _literal_schema(arg)
    return _union_schema(arg)


def _literal_schema(values: tuple) -> dict:
    out: dict[str, Any] = {}
    if len(values) == 1:
        out["const"] = values[0]
    else:
        out["enum"] = list(values)
    kinds = {type(v) for v in values}
    type_name = None
    if kinds == {str}:
        type_name = "string"
    elif kinds == {int}:
        type_name = "integer"
    elif kinds == {float}:
        type_name = "number"
    elif kinds == {bool}:
        type_name = "boolean"
    elif kinds == {type(None)}:
        type_name = "null"
    if type_name is not None:
        out["type"] = type_name
    return out


def _union_schema(members: tuple) -> dict:
    # pydantic: the non-None members form a union, then None is added as "nullable".
    others = [m for m in members if m != _NONE_SPEC]
    nullable = len(others) < len(members)
    if not others:
        return {"type": "null"}
    inner = (
        json_schema(others[0])
        if len(others) == 1
        else _flattened_any_of([json_schema(m) for m in others])
    )
    if not nullable:
        return inner
    if inner == {"type": "null"}:
        return inner
    return _flattened_any_of([inner, {"type": "null"}])


def _flattened_any_of(schemas: list[dict]) -> dict:
    members: list[dict] = []
    for schema in schemas:
        if len(schema) == 1 and "anyOf" in schema:
            members.extend(schema["anyOf"])
        else:
            members.append(schema)
    unique: dict[Any, dict] = {}
    for member in members:
        unique[_hashable(member)] = member
    deduplicated = list(unique.values())
    if len(deduplicated) == 1:
        return deduplicated[0]
    return {"anyOf": deduplicated}


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def jsonable_default(value: Any) -> Any:
    """A default as pydantic shows it in a schema, or FAIL when pydantic must convert it."""
    cls = type(value)
    if cls is str or cls is int or cls is bool or value is None:
        return value
    if cls is float:
        return value if math.isfinite(value) else FAIL
    if cls is list or cls is tuple:
        out = []
        for item in value:
            converted = jsonable_default(item)
            if converted is FAIL:
                return FAIL
            out.append(converted)
        return out
    if cls is dict:
        result = {}
        for key, item in value.items():
            if type(key) is not str:
                return FAIL
            converted = jsonable_default(item)
            if converted is FAIL:
                return FAIL
            result[key] = converted
        return result
    return FAIL


def field_title(name: str) -> str:
    """pydantic's default title for a field name."""
    return name.title().replace("_", " ").strip()


# --- coercion (lax mode) -------------------------------------------------------------------

_TRUE_STRINGS = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE_STRINGS = frozenset({"0", "off", "f", "false", "n", "no"})
_ASCII_SPACE = " \t\n\r"
_MAX_SAFE_INT = 2**53


def coerce(value: Any, spec: tuple) -> Any:
    """`value` validated as pydantic's lax mode would, or FAIL if unsure or invalid."""
    kind, arg = spec
    cls = type(value)
    if kind == STR:
        return value if cls is str else FAIL
    if kind == INT:
        if cls is int:
            return value
        if cls is bool:
            return int(value)
        if cls is float:
            if value.is_integer() and abs(value) < _MAX_SAFE_INT:
                return int(value)
            return FAIL
        if cls is str:
            return _int_from_str(value)
        return FAIL
    if kind == FLOAT:
        if cls is float:
            return value if math.isfinite(value) else FAIL
        if cls is int:
            return float(value) if abs(value) <= _MAX_SAFE_INT else FAIL
        if cls is bool:
            return float(value)
        if cls is str:
            return _float_from_str(value)
        return FAIL
    if kind == BOOL:
        if cls is bool:
            return value
        if cls is int or cls is float:
            if value == 0:
                return False
            if value == 1:
                return True
            return FAIL
        if cls is str and value.isascii():
            lowered = value.lower()
            if lowered in _TRUE_STRINGS:
                return True
            if lowered in _FALSE_STRINGS:
                return False
        return FAIL
    if kind == NONE:
        return None if value is None else FAIL
    if kind == ANY:
        return value
    if kind == LIST:
        if cls is not list:
            return FAIL
        if arg is None:
            return value
        out = []
        for item in value:
            converted = coerce(item, arg)
            if converted is FAIL:
                return FAIL
            out.append(converted)
        return out
    if kind == DICT:
        if cls is not dict:
            return FAIL
        if arg is None:
            return value
        result = {}
        for key, item in value.items():
            converted = coerce(item, arg)
            if converted is FAIL or type(key) is not str:
                return FAIL
            result[key] = converted
        return result
    if kind == LITERAL:
        for expected in arg:
            if type(expected) is cls and expected == value:
                return expected
        return FAIL
    return _coerce_union(value, arg)


def _coerce_union(value: Any, members: tuple) -> Any:
    # pydantic's smart union: an exact type match wins; Optional[X] with a non-None value is X.
    if value is None:
        return None if _NONE_SPEC in members else FAIL
    others = [m for m in members if m != _NONE_SPEC]
    if len(others) == 1:
        return coerce(value, others[0])
    cls = type(value)
    for kind, arg in others:
        if (kind, arg) == ANY_SPEC:
            return FAIL
        if (
            (cls is str and kind == STR)
            or (cls is int and kind == INT)
            or (cls is float and kind == FLOAT)
        ):
            return coerce(value, (kind, arg))
        if cls is bool and kind == BOOL:
            return value
    return FAIL


def _int_from_str(text: str) -> Any:
    stripped = text.strip(_ASCII_SPACE)
    body = stripped[1:] if stripped[:1] in ("+", "-") else stripped
    if 0 < len(body) <= 18 and body.isascii() and body.isdigit():
        return int(stripped)
    return FAIL


def _float_from_str(text: str) -> Any:
    stripped = text.strip(_ASCII_SPACE)
    if not stripped.isascii() or not stripped:
        return FAIL
    body = stripped[1:] if stripped[0] in "+-" else stripped
    mantissa, has_exponent, exponent = body.lower().partition("e")
    if has_exponent:
        exp_digits = exponent[1:] if exponent[:1] in ("+", "-") else exponent
        if not exp_digits.isdigit():
            return FAIL
    whole, _, fraction = mantissa.partition(".")
    if (
        not (whole or fraction)
        or (whole and not whole.isdigit())
        or (fraction and not fraction.isdigit())
    ):
        return FAIL
    result = float(stripped)
    return result if math.isfinite(result) else FAIL


def is_exact(value: Any, spec: tuple) -> bool:
    """True when `value` already is what pydantic would return for it (no conversion at all)."""
    kind, arg = spec
    cls = type(value)
    if kind == STR:
        return cls is str
    if kind == INT:
        return cls is int
    if kind == FLOAT:
        return cls is float and math.isfinite(value)
    if kind == BOOL:
        return cls is bool
    if kind == NONE:
        return value is None
    if kind == ANY:
        return True
    if kind == LIST:
        return cls is list and (arg is None or all(is_exact(item, arg) for item in value))
    if kind == DICT:
        return cls is dict and (
            arg is None or all(type(k) is str and is_exact(v, arg) for k, v in value.items())
        )
    if kind == LITERAL:
        return any(type(expected) is cls and expected == value for expected in arg)
    if value is None:
        return _NONE_SPEC in arg
    others = [m for m in arg if m != _NONE_SPEC]
    if len(others) == 1:
        return is_exact(value, others[0])
    return False


def is_json_data(value: Any) -> bool:
    """True for JSON-ready data that pydantic's JSON-mode dump leaves unchanged."""
    cls = type(value)
    if cls is str or cls is int or cls is bool or value is None:
        return True
    if cls is float:
        return math.isfinite(value)
    if cls is list:
        return all(is_json_data(item) for item in value)
    if cls is dict:
        return all(type(k) is str and is_json_data(v) for k, v in value.items())
    return False
