"""Client arguments -> keyword arguments for the user's function, with the SDK's leniency.

Tools (`bind`): JSON text sent for a non-`str` parameter is parsed first, unknown keys are
ignored, then values are coerced like pydantic's lax mode. Prompts and resource templates
(`call_validated`) follow pydantic's `validate_call` instead: no JSON parsing, unknown keys
rejected. Plain signatures are handled here by hand; whenever a value is not certainly
handled the way pydantic would, pydantic decides (and supplies the exact error text).
"""

from __future__ import annotations

from ferromcp import _plain
from ferromcp._introspect import EMPTY, Signature

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_FAIL = _plain.FAIL
_JSON_SPACE = " \t\n\r"


class ArgumentError(Exception):
    """Arguments rejected; text shaped like pydantic's ValidationError (without pydantic)."""


def raised_inside(exc: BaseException, fn: Callable[..., Any]) -> bool:
    """Whether `exc` came out of `fn`'s own body (its frame is in the traceback), as opposed
    to the argument validation around the call."""
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    if code is None:
        return False
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return True
        tb = tb.tb_next
    return False


def preparse(text: str) -> Any:
    """What the SDK passes on for JSON text: parsed objects, arrays and null; else the text."""
    if text.lstrip(_JSON_SPACE)[:1] not in ("{", "[", "n"):
        return text  # anything else parses to str/int/float, which the SDK leaves as text
    import json

    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    if isinstance(parsed, str | int | float):
        return text
    return parsed


class Arguments:
    """Argument handling for one function (its Signature, minus the Context parameter)."""

    def __init__(self, signature: Signature) -> None:
        self.signature = signature
        self.params = signature.params
        self.plain = signature.plain
        self.coercible = signature.coercible
        self._model: type | None = None
        self._preparse_keys: dict[str, bool] | None = None
        self._validating_caller: Callable[..., Any] | None = None

    # --- schema ---

    def model(self) -> type:
        """The pydantic `{fn}Arguments` model (built on first use)."""
        if self._model is None:
            from ferromcp._pydantic_bridge import build_arg_model

            self._model = build_arg_model(self.signature.fn_name, self.params)
        return self._model

    def input_schema(self) -> dict:
        if not self.plain:
            from ferromcp._pydantic_bridge import arg_model_schema

            return arg_model_schema(self.model())
        properties: dict[str, Any] = {}
        required: list[str] = []
        for param in self.params:
            if param.annotation is EMPTY:
                field: dict[str, Any] = {"title": param.name, "type": "string"}
            else:
                field = dict(_plain.json_schema(param.spec))  # type: ignore[arg-type]
                field["title"] = _plain.field_title(param.name)
            if param.has_default:
                field["default"] = _plain.jsonable_default(param.default)
            else:
                required.append(param.name)
            properties[param.name] = dict(sorted(field.items()))
        schema: dict[str, Any] = {"properties": properties}
        if required:
            schema["required"] = required
        schema["title"] = f"{self.signature.fn_name}Arguments"
        schema["type"] = "object"
        return schema

    # --- tools ---

    def bind(self, arguments: dict) -> dict:
        """Keyword arguments for a tool call; raises with the SDK's message when invalid."""
        if self.coercible:
            kwargs: dict[str, Any] = {}
            for param in self.params:
                name = param.name
                if name in arguments:
                    value = arguments[name]
                    if param.preparse and type(value) is str:
                        value = preparse(value)
                    value = _plain.coerce(value, param.spec)  # type: ignore[arg-type]
                    if value is _FAIL:
                        return self._bind_slow(arguments)
                    kwargs[name] = value
                elif param.has_default:
                    kwargs[name] = param.default_value()
                else:
                    return self._bind_slow(arguments)
            return kwargs
        return self._bind_slow(arguments)

    def _bind_slow(self, arguments: dict) -> dict:
        try:
            model = self.model()
        except ImportError:
            raise ArgumentError(self._describe_failure(arguments, tool=True)) from None
        from ferromcp._pydantic_bridge import preparse_keys, validate_arguments

        if self._preparse_keys is None:
            self._preparse_keys = preparse_keys(model)
        keys = self._preparse_keys
        data = dict(arguments)
        for key, value in arguments.items():
            if keys.get(key) and type(value) is str:
                data[key] = preparse(value)
        return validate_arguments(model, data)

    # --- prompts and resource templates ---

    def call_validated(self, arguments: dict, extra: dict | None = None) -> Any:
        """Call the function the way pydantic's validate_call would (result may be awaitable).

        `extra` holds keyword arguments passed as they are (the Context).
        """
        fn = self.signature.fn
        if self.coercible:
            kwargs = self._bind_strict(arguments)
            if kwargs is not None:
                if extra:
                    kwargs.update(extra)
                return fn(**kwargs)
        try:
            from ferromcp._pydantic_bridge import validating_caller
        except ImportError:  # pragma: no cover - pydantic is a dependency
            raise ArgumentError(self._describe_failure(arguments, tool=False)) from None
        if self._validating_caller is None:
            self._validating_caller = validating_caller(fn)
        return self._validating_caller(**arguments, **(extra or {}))

    def _bind_strict(self, arguments: dict) -> dict | None:
        known = 0
        kwargs: dict[str, Any] = {}
        for param in self.params:
            name = param.name
            if name in arguments:
                known += 1
                value = _plain.coerce(arguments[name], param.spec)  # type: ignore[arg-type]
                if value is _FAIL:
                    return None
                kwargs[name] = value
            elif not param.has_default:
                return None
        if known != len(arguments):
            return None  # unknown keyword: validate_call reports it
        return kwargs

    # --- messages without pydantic ---

    def _describe_failure(self, arguments: dict, tool: bool) -> str:
        title = f"{self.signature.fn_name}Arguments" if tool else self.signature.fn_name
        for param in self.params:
            if param.name not in arguments:
                if param.has_default:
                    continue
                return _error_text(title, param.name, "Field required", "missing", arguments)
            value = arguments[param.name]
            if tool and param.preparse and type(value) is str:
                value = preparse(value)
            if param.spec is None or _plain.coerce(value, param.spec) is _FAIL:
                return _error_text(
                    title, param.name, "Input is not valid for this field", "value_error", value
                )
        return f"1 validation error for {title}"


def _error_text(title: str, location: str, message: str, error_type: str, value: Any) -> str:
    return (
        f"1 validation error for {title}\n{location}\n  {message} "
        f"[type={error_type}, input_value={value!r}, input_type={type(value).__name__}]"
    )
