"""JSON text exactly as `pydantic_core.to_json(value, fallback=str, indent=2)` writes it.

The SDK turns non-string tool and resource results into text that way. Plain data
(str/int/float/bool/None, lists, tuples, str-keyed dicts) is written here with the stdlib;
anything else (models, dataclasses, datetimes, enums...) goes to pydantic_core itself.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _NotPlain(Exception):
    pass


def float_text(value: float) -> str:
    """A float as pydantic_core (Rust) prints it: like repr, except small exponents."""
    text = repr(value)
    if "e-" not in text:
        if text in ("inf", "-inf", "nan"):
            return {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}[text]
        return text
    mantissa, exponent = text.split("e-")
    power = int(exponent)
    if power == 5:
        # Rust writes 1e-5 .. 9.99e-5 in positional notation.
        sign = "-" if mantissa.startswith("-") else ""
        digits = mantissa.lstrip("-").replace(".", "")
        return f"{sign}0.0000{digits}"
    return f"{mantissa}e-{power}"


def to_json_text(value: Any) -> str:
    """Indent-2 JSON text of a tool/resource result value (never called for `str` values)."""
    cls = type(value)
    if cls is int:
        return repr(value)
    if cls is bool:
        return "true" if value else "false"
    if cls is float:
        return float_text(value)
    if value is None:
        return "null"
    if cls is list or cls is tuple or cls is dict:
        try:
            return _encode(value, 0)
        except (_NotPlain, RecursionError):
            pass
    return pydantic_json(value)


_encode_string = None


def _encode(value: Any, depth: int) -> str:
    # Exact types only: subclasses (enums, named tuples...) are left to pydantic_core.
    global _encode_string
    cls = type(value)
    if cls is str:
        if _encode_string is None:
            from json.encoder import encode_basestring

            _encode_string = encode_basestring
        return _encode_string(value)
    if cls is float:
        return float_text(value)
    if cls is int:
        return repr(value)
    if cls is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    inner = "\n" + "  " * (depth + 1)
    if cls is list or cls is tuple:
        if not value:
            return "[]"
        items = [_encode(item, depth + 1) for item in value]
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * depth + "]"
    if cls is dict:
        if not value:
            return "{}"
        items = [
            _encode(_key_text(key), 0) + ": " + _encode(item, depth + 1)
            for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * depth + "}"
    raise _NotPlain


def _key_text(key: Any) -> str:
    cls = type(key)
    if cls is str:
        return key
    if cls is bool:
        return "true" if key else "false"
    if cls is int:
        return repr(key)
    if cls is float:
        return repr(key)  # keys use Python's spelling, unlike values
    if key is None:
        return "None"
    raise _NotPlain


def pydantic_json(value: Any) -> str:
    """The real thing, for values the stdlib cannot reproduce."""
    try:
        import pydantic_core
    except ImportError:  # pragma: no cover - pydantic is a dependency; keep working without it
        import json

        return json.dumps(_jsonable(value), indent=2, ensure_ascii=False, default=str)
    if _contains_model(value):
        value = _models_to_dicts(value)
    return pydantic_core.to_json(value, fallback=str, indent=2).decode()


def _contains_model(value: Any) -> bool:
    from ferromcp.types import is_model

    if is_model(value):
        return True
    if type(value) in (list, tuple):
        return any(_contains_model(item) for item in value)
    if type(value) is dict:
        return any(_contains_model(item) for item in value.values())
    return False


def _models_to_dicts(value: Any) -> Any:
    # Our light types stand in for pydantic models: show every field, None included.
    from ferromcp.types import is_model

    if is_model(value):
        return {
            key: _models_to_dicts(item) for key, item in value.model_dump(by_alias=True).items()
        }
    if type(value) in (list, tuple):
        return [_models_to_dicts(item) for item in value]
    if type(value) is dict:
        return {key: _models_to_dicts(item) for key, item in value.items()}
    return value


def _jsonable(value: Any) -> Any:  # pragma: no cover - only without pydantic_core
    from ferromcp.types import is_model

    if is_model(value):
        return value.model_dump(by_alias=True)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value
