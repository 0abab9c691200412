# ruff: noqa: UP006, UP007, UP035, UP045
# (typing.Optional/Union/List/Dict are spelled out on purpose: they are cases under test)
"""Schemas and coercion of single annotations, compared with the SDK's func_metadata (pydantic).

Plain annotations must come out of the hand-written path (no pydantic) and still be exact.
"""

from __future__ import annotations

import asyncio
import importlib
import typing
from typing import Any, Dict, List, Literal, Optional, Union

import pytest

func_metadata_module = importlib.import_module("mcp.server.fastmcp.utilities.func_metadata")
from ferromcp import _plain  # noqa: E402
from ferromcp._arguments import Arguments  # noqa: E402
from ferromcp._introspect import Signature  # noqa: E402
from ferromcp._results import Output  # noqa: E402
from sdk_compare import wire  # noqa: E402

_NO = object()


def make(annotation: Any, default: Any = _NO, returns: Any = _NO) -> Any:
    if default is _NO:

        def f(x):  # type: ignore[no-untyped-def]
            return x

    else:

        def f(x=default):  # type: ignore[no-untyped-def]
            return x

    f.__annotations__ = {"x": annotation}
    if returns is not _NO:
        f.__annotations__["return"] = returns
    return f


def sdk_meta(fn: Any) -> Any:
    return func_metadata_module.func_metadata(fn)


PLAIN = [
    int,
    str,
    float,
    bool,
    None,
    type(None),
    Any,
    list,
    dict,
    list,
    dict,
    List,
    Dict,
    list[int],
    list[str],
    List[float],
    list[list[int]],
    list[Any],
    dict[str, int],
    Dict[str, Any],
    dict[str, list[str]],
    dict[str, dict],
    Optional[int],
    int | None,
    None | int,
    Optional[str],
    Union[int, str],
    Union[int, str, None],
    Union[int, None, str],
    Union[str, int] | None,
    int | float,
    float | int,
    Union[bool, int],
    Optional[list[int]],
    list[Optional[str]],
    Optional[Any],
    Literal["a"],
    Literal["a", "b"],
    Literal[1, 2, 3],
    Literal[True],
    Literal[True, False],
    Literal[1.5],
    Literal[None],
    Literal["a", None],
    Literal["x", 1],
    Optional[Literal["q", "r"]],
    Union[Literal["a"], Literal["b"]],
    Union[list, dict],
    Optional[dict],
    Union[List[int], list[int]],
]

NOT_PLAIN = [
    tuple,
    tuple[int, str],
    set[int],
    bytes,
    dict[int, str],
    typing.Sequence[int],
    typing.Annotated[int, "meta"],
]


@pytest.mark.parametrize("annotation", PLAIN, ids=repr)
def test_plain_annotations_are_classified_plain(annotation: Any) -> None:
    assert _plain.classify(annotation) is not None


@pytest.mark.parametrize("annotation", NOT_PLAIN, ids=repr)
def test_other_annotations_go_to_pydantic(annotation: Any) -> None:
    assert _plain.classify(annotation) is None


DEFAULTS = [_NO, None, 0, 1, 2.5, "s", True, [], [1, "a"], {}, {"b": 1, "a": [None]}, (1, 2), -0.0]


@pytest.mark.parametrize("annotation", PLAIN + NOT_PLAIN, ids=repr)
@pytest.mark.parametrize("default", DEFAULTS, ids=repr)
def test_input_schema_matches_pydantic(annotation: Any, default: Any) -> None:
    fn = make(annotation, default)
    ours = Arguments(Signature(fn))
    if annotation in PLAIN and not isinstance(default, tuple):
        assert ours.plain, "plain signature must not need pydantic"
    expected = sdk_meta(fn).arg_model.model_json_schema(by_alias=True)
    assert wire(ours.input_schema()) == wire(expected)


def test_unannotated_parameters_schema() -> None:
    def f(a, b=3, c=None):  # type: ignore[no-untyped-def]
        return a

    ours = Arguments(Signature(f))
    assert ours.plain
    assert wire(ours.input_schema()) == wire(sdk_meta(f).arg_model.model_json_schema(by_alias=True))


VALUES: list[Any] = [
    1,
    0,
    -7,
    2**60,
    5.0,
    5.5,
    -0.0,
    True,
    False,
    "5",
    " 6 ",
    "+3",
    "05",
    "1_000",
    "5.0",
    "2.5",
    ".5",
    "1e3",
    "1E-2",
    "inf",
    "nan",
    "abc",
    "",
    "true",
    "False",
    "yes",
    "off",
    "t",
    "2",
    "null",
    "[1, 2]",
    '["a", null]',
    '{"a": 1}',
    " [3]",
    "[bad json",
    None,
    [1, 2],
    ["1", 2.0],
    [1.5],
    [],
    {"a": 1},
    {"a": "2"},
    {},
    "a",
    "b",
    "x",
    1.5,
]


def sdk_bind(fn: Any, arguments: dict) -> tuple[str, Any]:
    meta = sdk_meta(fn)
    try:
        return "ok", asyncio.run(meta.call_fn_with_arg_validation(fn, False, arguments, None))
    except Exception as exc:
        return "error", str(exc)


def our_bind(fn: Any, arguments: dict) -> tuple[str, Any]:
    binder = Arguments(Signature(fn))
    try:
        return "ok", fn(**binder.bind(arguments))
    except Exception as exc:
        return "error", str(exc)


@pytest.mark.parametrize("annotation", PLAIN + [tuple, set[int], dict[int, str]], ids=repr)
def test_coercion_matches_pydantic(annotation: Any) -> None:
    fn = make(annotation)
    for value in VALUES:
        expected = sdk_bind(fn, {"x": value})
        actual = our_bind(fn, {"x": value})
        assert actual[0] == expected[0], (value, actual, expected)
        if actual[0] == "ok":
            assert repr(actual[1]) == repr(expected[1]), (value, actual, expected)
            assert type(actual[1]) is type(expected[1]), (value, actual, expected)
        else:
            assert actual[1] == expected[1], value


def test_missing_and_extra_arguments_match_pydantic() -> None:
    def f(a: int, b: str = "x"):  # type: ignore[no-untyped-def]
        return (a, b)

    for arguments in [{}, {"b": "y"}, {"a": 1, "c": 3}, {"a": "1", "b": 2}]:
        assert our_bind(f, arguments) == sdk_bind(f, arguments)


COMMON_LAX = [
    (int, "5", 5),
    (int, 5.0, 5),
    (int, True, 1),
    (float, 3, 3.0),
    (float, "2.5", 2.5),
    (bool, "true", True),
    (bool, "0", False),
    (Optional[int], "7", 7),
    (list[int], "[1, 2]", [1, 2]),
    (list[int], ["1"], [1]),
    (dict[str, int], '{"a": "1"}', {"a": 1}),
    (Optional[str], "null", None),
    (Literal["a", "b"], "a", "a"),
    (Union[int, str], "5", "5"),
]


@pytest.mark.parametrize("annotation,value,expected", COMMON_LAX, ids=repr)
def test_common_lax_inputs_need_no_pydantic(
    monkeypatch: pytest.MonkeyPatch, annotation: Any, value: Any, expected: Any
) -> None:
    binder = Arguments(Signature(make(annotation)))

    def no_pydantic(arguments: dict) -> dict:
        raise AssertionError("fell back to pydantic")

    monkeypatch.setattr(binder, "_bind_slow", no_pydantic)
    assert binder.bind({"x": value}) == {"x": expected}


RETURNS = PLAIN + [
    tuple[int, str],
    bytes,
    set[int],
    typing.Sequence[str],
    dict[int, str],
]
RESULTS: list[Any] = [
    1,
    "5",
    2.5,
    3,
    True,
    None,
    "s",
    [1, "2"],
    {"a": 1},
    {"a": "x"},
    [[1]],
    "a",
    1e-05,
]


@pytest.mark.parametrize("annotation", RETURNS, ids=repr)
def test_output_schema_and_structured_content_match_sdk(annotation: Any) -> None:
    fn = make(int, returns=annotation)
    meta = sdk_meta(fn)
    output = Output(Signature(fn), None)
    assert wire(output.schema) == wire(meta.output_schema)
    for result in RESULTS:
        try:
            expected = ("ok", meta.convert_result(result))
        except Exception as exc:
            expected = ("error", str(exc))
        try:
            actual = ("ok", output.to_python(result))
        except Exception as exc:
            actual = ("error", str(exc))
        assert actual[0] == expected[0], (result, actual, expected)
        if actual[0] == "error":
            assert actual[1] == expected[1]
            continue
        sdk_value, our_value = expected[1], actual[1]
        if isinstance(sdk_value, tuple):
            assert isinstance(our_value, tuple)
            assert wire(our_value[1]) == wire(sdk_value[1]), result
            sdk_value, our_value = sdk_value[0], our_value[0]
        assert [c.to_wire() for c in our_value] == [
            c.model_dump(by_alias=True, exclude_none=True, mode="json") for c in sdk_value
        ]


def test_structured_output_true_needs_a_serialisable_annotation() -> None:
    from ferromcp.exceptions import InvalidSignature

    class Opaque:
        pass

    def no_return(x: int):  # type: ignore[no-untyped-def]
        return x

    def opaque() -> Opaque:
        return Opaque()

    for fn in (no_return, opaque):
        with pytest.raises(Exception) as sdk_error:
            func_metadata_module.func_metadata(fn, structured_output=True)
        with pytest.raises(InvalidSignature) as our_error:
            Output(Signature(fn), True)
        assert str(our_error.value) == str(sdk_error.value)


def test_underscore_parameter_is_rejected_like_sdk() -> None:
    from ferromcp.exceptions import InvalidSignature

    def f(_private: int) -> int:
        return _private

    with pytest.raises(Exception) as sdk_error:
        func_metadata_module.func_metadata(f)
    with pytest.raises(InvalidSignature) as our_error:
        Signature(f)
    assert str(our_error.value) == str(sdk_error.value)


def test_unresolvable_annotation_is_rejected_like_sdk() -> None:
    from ferromcp.exceptions import InvalidSignature

    def f(x: UndefinedName) -> int:  # type: ignore[name-defined] # noqa: F821
        return 1

    f.__annotations__ = {"x": "UndefinedName"}
    with pytest.raises(Exception) as sdk_error:
        func_metadata_module.func_metadata(f)
    with pytest.raises(InvalidSignature) as our_error:
        Signature(f)
    assert str(our_error.value) == str(sdk_error.value)


def _described() -> list[Any]:
    from typing import Annotated

    from pydantic import Field

    return [
        Annotated[int, Field(description="an int")],
        Annotated[Optional[str], Field(title="T", description="d", examples=["x"])],
        Annotated[list[int], Field(description="ints", json_schema_extra={"x-kind": 1})],
        Annotated[Literal["a", "b"], Field(description="choice")],
    ]


def _constrained() -> list[Any]:
    from typing import Annotated

    from pydantic import Field

    return [
        Annotated[int, Field(ge=1)],
        Annotated[str, Field(max_length=2)],
        Annotated[int, Field(alias="other")],
        Annotated[int, Field(strict=True)],
        Annotated[int, Field(description="d"), "extra metadata"],
    ]


def test_descriptive_fields_coerce_by_hand_and_match_pydantic() -> None:
    for annotation in _described():
        fn = make(annotation)
        signature = Signature(fn)
        assert signature.coercible and not signature.plain, annotation
        assert wire(Arguments(signature).input_schema()) == wire(
            sdk_meta(fn).arg_model.model_json_schema(by_alias=True)
        )
        for value in VALUES:
            assert our_bind(fn, {"x": value}) == sdk_bind(fn, {"x": value}), (annotation, value)


def test_constrained_fields_are_validated_by_pydantic() -> None:
    for annotation in _constrained():
        fn = make(annotation)
        assert not Signature(fn).coercible, annotation
        for value in [0, 1, "5", "abc", None, 2.0]:
            assert our_bind(fn, {"x": value}) == sdk_bind(fn, {"x": value}), (annotation, value)
        assert our_bind(fn, {"other": 3}) == sdk_bind(fn, {"other": 3})


def test_field_as_default_is_validated_by_pydantic() -> None:
    from pydantic import Field

    fn = make(int, Field(5, description="five"))
    assert not Signature(fn).coercible
    for arguments in [{}, {"x": "3"}, {"x": "q"}]:
        assert our_bind(fn, arguments) == sdk_bind(fn, arguments)
