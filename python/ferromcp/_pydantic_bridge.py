"""Everything that needs pydantic, imported only when a signature or a value needs it.

The models built here are shaped the way the SDK shapes them (names, aliases, JSON Schema
generator settings), so schemas, coerced values and error texts come out identical.
"""

from __future__ import annotations

import functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ferromcp._introspect import Param


@functools.cache
def _arg_model_base() -> type:
    from pydantic import BaseModel, ConfigDict

    class ArgModelBase(BaseModel):
        """Arguments of one function; fields keep their pydantic values one level deep."""

        model_config = ConfigDict(arbitrary_types_allowed=True)

        def model_dump_one_level(self) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for field_name, field_info in type(self).model_fields.items():
                out[field_info.alias or field_name] = getattr(self, field_name)
            return out

    return ArgModelBase


def _shadows_base_model(name: str) -> bool:
    from pydantic import BaseModel

    return hasattr(BaseModel, name) and callable(getattr(BaseModel, name))


def build_arg_model(fn_name: str, params: list[Param]) -> type:
    """The `{fn}Arguments` model for a function's parameters, as the SDK builds it."""
    import inspect
    from typing import Annotated
    from typing import Any as AnyType

    from pydantic import Field, WithJsonSchema, create_model

    fields: dict[str, Any] = {}
    for param in params:
        annotation = (
            param.annotation if param.annotation is not inspect.Parameter.empty else AnyType
        )
        metadata: list[Any] = []
        if param.annotation is inspect.Parameter.empty:
            metadata.append(WithJsonSchema({"title": param.name, "type": "string"}))
        field_name = param.name
        field_kwargs: dict[str, Any] = {}
        if _shadows_base_model(field_name):
            field_kwargs["alias"] = field_name
            field_name = f"field_{field_name}"
        typed = Annotated[(annotation, *metadata, Field(**field_kwargs))]  # type: ignore[valid-type]
        fields[field_name] = (typed, param.default) if param.has_default else typed
    return create_model(f"{fn_name}Arguments", __base__=_arg_model_base(), **fields)


def arg_model_schema(model: type) -> dict:
    return model.model_json_schema(by_alias=True)  # type: ignore[attr-defined]


def validate_arguments(model: type, data: dict) -> dict:
    """Validated keyword arguments (keyed by parameter name); raises pydantic's ValidationError."""
    return model.model_validate(data).model_dump_one_level()  # type: ignore[attr-defined]


def preparse_keys(model: type) -> dict[str, bool]:
    """For each accepted key (name and alias): whether JSON text sent for it gets parsed."""
    out: dict[str, bool] = {}
    for field_name, info in model.model_fields.items():  # type: ignore[attr-defined]
        parse = info.annotation is not str
        out[field_name] = parse
        if info.alias:
            out[info.alias] = parse
    return out


# --- output models -------------------------------------------------------------------------


@functools.cache
def _strict_schema_generator() -> type:
    from pydantic.json_schema import GenerateJsonSchema

    class StrictJsonSchema(GenerateJsonSchema):
        """Turns schema warnings into errors, so unserialisable return types get no schema."""

        def emit_warning(self, kind: Any, detail: str) -> None:
            raise ValueError(f"JSON schema warning: {kind} - {detail}")

    return StrictJsonSchema


def _inline_root_ref(schema: dict) -> dict:
    # A self-referencing model's schema is a bare $ref at the root; outputSchema needs an object.
    ref = schema.get("$ref")
    prefix = "#/$defs/"
    if not isinstance(ref, str) or not ref.startswith(prefix):
        return schema
    definition = schema["$defs"][ref[len(prefix) :]]
    siblings = {key: value for key, value in schema.items() if key != "$ref"}
    return {**definition, **siblings}


def build_output_model(
    fn_name: str, original: Any, type_expr: Any
) -> tuple[type | None, dict | None, bool]:
    """(model, schema, wrap) for a return annotation, following the SDK's rules."""
    import types
    import typing

    import pydantic_core
    from pydantic import BaseModel, PydanticUserError
    from typing_extensions import is_typeddict

    model: Any = None
    wrap = False
    if type_expr is None:
        model, wrap = _wrapped_model(fn_name, original), True
    elif isinstance(type_expr, types.GenericAlias):
        args = typing.get_args(type_expr)
        if typing.get_origin(type_expr) is dict and len(args) == 2 and args[0] is str:
            model = _dict_root_model(fn_name, type_expr)
        else:
            model, wrap = _wrapped_model(fn_name, original), True
    elif isinstance(type_expr, type):
        if issubclass(type_expr, BaseModel):
            model = type_expr
        elif is_typeddict(type_expr):
            model = _typeddict_model(type_expr)
        elif type_expr in (str, int, float, bool, bytes, type(None)):
            model, wrap = _wrapped_model(fn_name, original), True
        else:
            hints = typing.get_type_hints(type_expr)
            if hints:
                model = _class_model(type_expr, hints)
    else:
        model, wrap = _wrapped_model(fn_name, original), True

    if model is None:
        return None, None, False
    try:
        schema = model.model_json_schema(schema_generator=_strict_schema_generator())
    except (
        PydanticUserError,
        TypeError,
        ValueError,
        pydantic_core.SchemaError,
        pydantic_core.ValidationError,
    ):
        return None, None, False
    return model, _inline_root_ref(schema), wrap


def _wrapped_model(fn_name: str, annotation: Any) -> type:
    from pydantic import create_model

    return create_model(f"{fn_name}Output", result=annotation)


def _dict_root_model(fn_name: str, annotation: Any) -> type:
    from pydantic import RootModel

    class DictModel(RootModel[annotation]):  # type: ignore[valid-type]
        pass

    DictModel.__name__ = f"{fn_name}DictOutput"
    DictModel.__qualname__ = f"{fn_name}DictOutput"
    return DictModel


def _typeddict_model(td: type) -> type:
    import typing

    from pydantic import create_model

    hints = typing.get_type_hints(td)
    required = getattr(td, "__required_keys__", set(hints))
    fields = {name: (tp if name in required else (tp, None)) for name, tp in hints.items()}
    return create_model(td.__name__, **fields)  # type: ignore[call-overload]


_NO_DEFAULT = object()


def _class_model(cls: type, hints: dict[str, Any]) -> type:
    from pydantic import ConfigDict, create_model

    fields: dict[str, Any] = {}
    for name, tp in hints.items():
        if name.startswith("_"):
            continue
        default = getattr(cls, name, _NO_DEFAULT)
        fields[name] = tp if default is _NO_DEFAULT else (tp, default)
    return create_model(cls.__name__, __config__=ConfigDict(from_attributes=True), **fields)  # type: ignore[call-overload]


def validate_output(model: type, value: Any) -> Any:
    """The structured content for `value`: validated by the output model, dumped as JSON data."""
    return model.model_validate(value).model_dump(mode="json", by_alias=True)  # type: ignore[attr-defined]


def check_output(model: type, value: Any) -> None:
    model.model_validate(value)  # type: ignore[attr-defined]


# --- validate_call (prompts, resource templates) -------------------------------------------


def validating_caller(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` wrapped by pydantic's validate_call (arbitrary classes, e.g. our Context, allowed)."""
    from pydantic import ConfigDict, validate_call

    return validate_call(fn, config=ConfigDict(arbitrary_types_allowed=True))


# --- URIs ----------------------------------------------------------------------------------


@functools.cache
def _url_adapter() -> Any:
    from typing import Annotated

    from pydantic import AnyUrl, TypeAdapter, UrlConstraints

    return TypeAdapter(Annotated[AnyUrl, UrlConstraints(host_required=False)])


def normalize_url(uri: str) -> str:
    """The URI as pydantic's AnyUrl spells it; raises pydantic's ValidationError when invalid."""
    return str(_url_adapter().validate_python(uri))


def json_schema_of(model: type) -> dict:
    return model.model_json_schema()  # type: ignore[attr-defined]
