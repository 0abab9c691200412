"""Reading a user function: its parameters, its Context parameter, whether it is async.

One `Signature` per registered function; tools, resource templates and prompts all start here.
"""

from __future__ import annotations

import inspect
import typing

from ferromcp import _plain
from ferromcp.exceptions import InvalidSignature

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

EMPTY = inspect.Parameter.empty

# Class names that stand for an injected Context, from ferromcp and the packages users migrate from.
_CONTEXT_MODULES = ("ferromcp.context", "mcp.server.fastmcp.server", "fastmcp.server.context")


def function_name(fn: Any) -> str:
    """The name the SDK derives titles from (`fn.__name__`), tolerant of partials and callables."""
    name = getattr(fn, "__name__", None)
    if isinstance(name, str):
        return name
    inner = getattr(fn, "func", None)  # functools.partial
    if inner is not None:
        return function_name(inner)
    return type(fn).__name__


def registered_name(fn: Any, name: str | None) -> str:
    """The name a resource, template or prompt is registered under: the given one, else the
    function's; a lambda must be given one."""
    resolved = name or function_name(fn)
    if resolved == "<lambda>":
        raise ValueError("You must provide a name for lambda functions")
    return resolved


def is_async_callable(fn: Any) -> bool:
    import functools

    while isinstance(fn, functools.partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    # A callable object with `async def __call__`.
    return callable(fn) and inspect.iscoroutinefunction(type(fn).__call__)


def _is_context_class(tp: Any) -> bool:
    if not isinstance(tp, type):
        return False
    for cls in tp.__mro__:
        if cls.__name__ == "Context" and cls.__module__ in _CONTEXT_MODULES:
            return True
    return False


def _mentions_context(tp: Any) -> bool:
    # Context[...] (a generic alias of our Context) counts as the class itself.
    return _is_context_class(tp) or _is_context_class(typing.get_origin(tp))


def find_context_parameter(fn: Callable[..., Any]) -> str | None:
    """The name of the parameter annotated with Context (also Optional[Context], Context[...])."""
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        return None
    for name, annotation in hints.items():
        if _mentions_context(annotation):
            return name
        if typing.get_origin(annotation) is not None:
            if any(_mentions_context(arg) for arg in typing.get_args(annotation)):
                return name
    return None


class Param:
    """One parameter that receives a client-supplied value."""

    __slots__ = (
        "name",
        "annotation",
        "has_default",
        "default",
        "copy_default",
        "spec",
        "schema_by_hand",
        "preparse",
    )

    def __init__(self, parameter: inspect.Parameter) -> None:
        self.name = parameter.name
        self.annotation = parameter.annotation
        self.has_default = parameter.default is not EMPTY
        self.default = parameter.default
        self.copy_default = self.has_default and not _is_hashable(parameter.default)
        # `spec`: how values are coerced by hand (None: pydantic validates).
        # `schema_by_hand`: the JSON Schema needs no pydantic either.
        if self.annotation is EMPTY:
            self.spec: tuple | None = _plain.ANY_SPEC
            self.schema_by_hand = True
        else:
            self.spec = _plain.classify(self.annotation)
            self.schema_by_hand = self.spec is not None
            if self.spec is None:
                self.spec = _descriptive_field_spec(self.annotation)
        if self.has_default and _is_field_info(self.default):
            self.spec, self.schema_by_hand = None, False  # `x: int = Field(...)`
        # The SDK parses JSON text sent for any parameter not annotated exactly `str`.
        self.preparse = strip_annotated(self.annotation)[0] is not str

    def default_value(self) -> Any:
        if self.copy_default:
            import copy

            return copy.deepcopy(self.default)
        return self.default


# Field(...) settings that only describe the parameter; they change the schema, not validation.
_DESCRIPTIVE_FIELD_SETTINGS = frozenset({"title", "description", "examples", "json_schema_extra"})


def _is_field_info(value: Any) -> bool:
    cls = type(value)
    return cls.__name__ == "FieldInfo" and cls.__module__ == "pydantic.fields"


def _descriptive_field_spec(annotation: Any) -> tuple | None:
    """The coercion spec of `Annotated[plain, Field(description=...)]` (None otherwise)."""
    base, metadata = strip_annotated(annotation)
    if len(metadata) != 1 or not _is_field_info(metadata[0]):
        return None
    field = metadata[0]
    settings = getattr(field, "_attributes_set", None)
    if not isinstance(settings, dict) or not set(settings) <= _DESCRIPTIVE_FIELD_SETTINGS:
        return None
    if getattr(field, "metadata", None):
        return None
    return _plain.classify(base)


def _is_hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def strip_annotated(annotation: Any) -> tuple[Any, tuple]:
    """(type, metadata) of `Annotated[type, *metadata]`; (annotation, ()) otherwise."""
    if typing.get_origin(annotation) is typing.Annotated:
        return annotation.__origin__, tuple(annotation.__metadata__)
    return annotation, ()


class Signature:
    """What registration needs to know about a function."""

    def __init__(self, fn: Callable[..., Any], *, context_kwarg: str | None = None) -> None:
        self.fn = fn
        self.fn_name = function_name(fn)
        try:
            sig = inspect.signature(fn, eval_str=True)
        except NameError as exc:
            raise InvalidSignature(
                f"Unable to evaluate type annotations for callable {self.fn_name!r}"
            ) from exc
        self.context_kwarg = (
            context_kwarg if context_kwarg is not None else find_context_parameter(fn)
        )
        self.params: list[Param] = []
        for parameter in sig.parameters.values():
            if parameter.name.startswith("_"):
                raise InvalidSignature(
                    f"Parameter {parameter.name} of {self.fn_name} cannot start with '_'"
                )
            if parameter.name == self.context_kwarg:
                continue
            self.params.append(Param(parameter))
        self.return_annotation = sig.return_annotation
        self.is_async = is_async_callable(fn)
        # plain: the schema needs no pydantic; coercible: nor do the argument values.
        self.plain = all(p.schema_by_hand and _plain_default(p) for p in self.params)
        self.coercible = all(p.spec is not None for p in self.params)


def _plain_default(param: Param) -> bool:
    return not param.has_default or _plain.jsonable_default(param.default) is not _plain.FAIL
