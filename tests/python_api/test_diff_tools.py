# ruff: noqa: UP006, UP007, UP035, UP045, B006
# (typing.Optional/Union/List/Dict are spelled out on purpose: they are cases under test)
"""Differential tests: tools on the SDK's FastMCP vs ours (definitions and tools/call results)."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import enum
import importlib
import uuid
from typing import Annotated, Any, Dict, List, Literal, Optional, Union

import pytest
from sdk_compare import Pair, wire

pydantic = importlib.import_module("pydantic")
mcp_types = importlib.import_module("mcp.types")
from ferromcp import Audio, Image  # noqa: E402
from mcp.server.fastmcp import Context as SdkContext  # noqa: E402
from mcp.server.fastmcp.utilities.types import Audio as SdkAudio  # noqa: E402
from mcp.server.fastmcp.utilities.types import Image as SdkImage  # noqa: E402
from pydantic import BaseModel, Field  # noqa: E402
from typing_extensions import TypedDict  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\nfake"


# --- the tools ------------------------------------------------------------------------------


def add(a: int, b: int = 2) -> int:
    """Add two numbers"""
    return a + b


def echo(text: str) -> str:
    """
    Echo the text back.

        Indented line kept as is.
    """
    return text


def scale(x: float, factor: float = 1.5) -> float:
    return x * factor


def flip(flag: bool) -> bool:
    return not flag


def optionals(
    a: Optional[int] = None, b: str | None = None, c: Union[int, None] = 3
) -> Optional[str]:
    if a is None and b is None:
        return None
    return f"{a}-{b}-{c}"


def lists(items: list[int], names: List[str] = [], raw: list = None) -> list[int]:  # noqa: B006
    return [i * 2 for i in items]


def dicts(
    d: dict[str, int], extra: dict = {}, nested: Dict[str, List[int]] | None = None
) -> dict[str, int]:  # noqa: B006
    return {k: v + 1 for k, v in d.items()}


def literals(
    mode: Literal["fast", "slow"] = "fast", level: Literal[1, 2, 3] = 1, on: Literal[True] = True
) -> str:
    return f"{mode}:{level}:{on}"


def untyped(x, y=3):
    return f"{x!r}/{y!r}"


def anything(x: Any, y: Optional[Any] = None) -> Any:
    return {"x": x, "y": y}


def either(x: int | str, y: int | float = 0) -> int | str:
    return x


class Point(BaseModel):
    x: int
    y: int = 0


def move(p: Point, dx: int = 1) -> Point:
    return Point(x=p.x + dx, y=p.y)


def search(
    query: Annotated[str, Field(description="What to look for")],
    limit: Annotated[int, Field(ge=1, le=100, description="Max results")] = 10,
) -> list[str]:
    return [f"{query}{i}" for i in range(min(limit, 3))]


def field_default(x: int = Field(5, description="An x")) -> int:
    return x * 2


class PairBase(TypedDict):
    a: int


class Pair2(PairBase, total=False):
    b: str


def typed_dict_out(a: int) -> Pair2:
    return {"a": a, "b": "bee"} if a else {"a": a}


@dataclasses.dataclass
class DC:
    x: int
    label: str = "d"


def dataclass_out(x: int) -> DC:
    return DC(x=x)


def image_out() -> Image:
    return Image(data=PNG, format="png")


def sdk_image_out() -> SdkImage:
    return SdkImage(data=PNG)


def audio_out() -> Audio:
    return Audio(data=b"RIFFxxxx", format="wav")


def sdk_audio_out() -> SdkAudio:
    return SdkAudio(data=b"RIFF")


def content_out() -> mcp_types.TextContent:
    return mcp_types.TextContent(type="text", text="from a block", _meta={"k": 1})


def mixed_list():
    return [
        "a",
        1,
        {"k": "v", "n": [1, 2]},
        None,
        SdkImage(data=PNG),
        mcp_types.ImageContent(type="image", data="AAA", mimeType="image/gif"),
        [2.5, "x"],
    ]


def bare_dict() -> dict:
    return {"z": 1, "a": [1, 2, {"q": None}], "é": "ü"}


def none_out() -> None:
    return None


def unstructured(a: int) -> int:
    return a


def structured_dict(a: int) -> dict[str, int]:
    return {"a": a}


def fails(a: int) -> int:
    raise ValueError(f"bad value {a}")


class CustomError(Exception):
    pass


def fails_custom() -> str:
    raise CustomError("custom failure")


async def async_add(a: int, b: int) -> int:
    return a + b


def with_context(x: int, ctx: SdkContext) -> int:
    return x


def with_sdk_context(x: int, ctx: SdkContext) -> int:
    return x


async def async_with_context(x: int, context: Optional[SdkContext] = None) -> str:
    return f"x={x}"


def wrong_type() -> int:
    return "abc"  # type: ignore[return-value]


def lax_output() -> int:
    return "5"  # type: ignore[return-value]


def int_as_float() -> float:
    return 3


def nested_lists(n: int) -> list[list[int]]:
    return [[i] * i for i in range(n)]


def any_dict_out() -> dict[str, Any]:
    return {"t": (1, 2), "f": 1e-05, "big": 10**20, "s": "ü", "none": None}


def typing_dict_out() -> Dict[str, int]:
    return {"a": 1}


def tuple_out() -> tuple[int, str]:
    return (1, "x")


def floats_out() -> list[float]:
    return [1e-05, 2.5e-07, 1e16, 0.1, -0.0, 3.0]


def unicode_text(s: str) -> str:
    return s + " ✓ 日本"


def optional_model(flag: bool) -> Optional[Point]:
    return Point(x=1) if flag else None


class Tree(BaseModel):
    name: str
    children: list[Tree] = []


def tree_out() -> Tree:
    return Tree(name="root", children=[Tree(name="leaf")])


def shadowing(copy: int, json: str = "j", schema: bool = False) -> str:
    return f"{copy}{json}{schema}"


def mutable_default(items: list[int] = [1, 2]) -> list[int]:  # noqa: B006
    items.append(9)
    return items


def call_tool_result() -> mcp_types.CallToolResult:
    return mcp_types.CallToolResult(
        content=[mcp_types.TextContent(type="text", text="raw")], isError=False
    )


def annotated_call_tool_result() -> Annotated[mcp_types.CallToolResult, Point]:
    return mcp_types.CallToolResult(
        content=[mcp_types.TextContent(type="text", text="p")], structuredContent={"x": 1, "y": 2}
    )


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


def enum_param(color: Color = Color.RED) -> str:
    return color.value


def none_default_int(x: int = None) -> str:  # type: ignore[assignment]
    return repr(x)


def bytes_param(data: bytes = b"x") -> str:
    return repr(data)


def bare_list_out() -> list:
    return [1, "a"]


def typing_list_out() -> list:
    return [1, "a"]


def any_out() -> Any:
    return {"a": 1}


def literal_out(x: str) -> Literal["x", "y"]:
    return x  # type: ignore[return-value]


def no_annotation_return(x: int):
    return x


def set_param(tags: set[str]) -> int:
    return len(tags)


def big_numbers(x: int) -> dict:
    return {"x": x, "f": x / 3, "big": 10**30}


def str_enum_out() -> str:
    class S(str, enum.Enum):
        A = "a"

    return S.A


# (function, registration options, argument dicts to call it with)
CASES: list[tuple[Any, dict, list[Any]]] = [
    (
        add,
        {},
        [
            {"a": 1, "b": 2},
            {"a": 1},
            {"a": "5"},
            {"a": " 7 ", "b": "-3"},
            {"a": 5.0},
            {"a": 5.5},
            {"a": True},
            {"a": "x"},
            {},
            {"a": 1, "zzz": "ignored"},
            {"a": None},
            {"a": "1_000"},
            {"a": "5.0"},
            {"a": [1]},
        ],
    ),
    (
        echo,
        {},
        [{"text": "hi"}, {"text": 5}, {"text": "[1, 2]"}, {"text": "null"}, {}, {"text": None}],
    ),
    (
        scale,
        {},
        [
            {"x": 2},
            {"x": 2.5, "factor": "2"},
            {"x": "1e3"},
            {"x": "abc"},
            {"x": True},
            {"x": "inf"},
        ],
    ),
    (
        flip,
        {},
        [
            {"flag": True},
            {"flag": "true"},
            {"flag": "no"},
            {"flag": 0},
            {"flag": 2},
            {"flag": "maybe"},
        ],
    ),
    (
        optionals,
        {},
        [
            {},
            {"a": 1},
            {"a": "2", "b": "x"},
            {"b": "null"},
            {"a": "null"},
            {"c": None},
            {"a": "z"},
            {"b": 3},
        ],
    ),
    (
        lists,
        {},
        [
            {"items": [1, 2]},
            {"items": "[1, 2, 3]"},
            {"items": ["1", 2.0]},
            {"items": [1.5]},
            {"items": "nope"},
            {"items": [], "names": '["a"]', "raw": "[1]"},
            {"items": [1], "names": [1]},
            {"items": " [4] "},
        ],
    ),
    (
        dicts,
        {},
        [
            {"d": {"a": 1}},
            {"d": '{"a": "2"}'},
            {"d": {"a": "x"}},
            {"d": {}, "extra": '{"q": 1}', "nested": '{"k": [1]}'},
            {"d": []},
        ],
    ),
    (
        literals,
        {},
        [
            {},
            {"mode": "slow"},
            {"mode": "other"},
            {"level": 2},
            {"level": "2"},
            {"level": 2.0},
            {"on": 1},
        ],
    ),
    (untyped, {}, [{"x": 1}, {"x": "[1, 2]"}, {"x": "text", "y": {"a": 1}}, {"x": "null"}, {}]),
    (anything, {}, [{"x": 1}, {"x": "[1]"}, {"x": {"a": [1, None]}, "y": "s"}]),
    (
        either,
        {},
        [
            {"x": 1},
            {"x": "a"},
            {"x": "5"},
            {"x": 5.0},
            {"x": True},
            {"x": 1, "y": 2.5},
            {"x": 1, "y": "3"},
        ],
    ),
    (
        move,
        {},
        [
            {"p": {"x": 1}},
            {"p": '{"x": 1, "y": 2}'},
            {"p": {"x": "3"}, "dx": "2"},
            {"p": {"y": 1}},
            {"p": "bad"},
            {},
        ],
    ),
    (
        search,
        {},
        [{"query": "a"}, {"query": "a", "limit": "2"}, {"query": "a", "limit": 0}, {"limit": 5}],
    ),
    (field_default, {}, [{}, {"x": 3}, {"x": "4"}, {"x": "y"}]),
    (typed_dict_out, {}, [{"a": 1}, {"a": 0}]),
    (dataclass_out, {}, [{"x": 2}]),
    (sdk_image_out, {}, [{}]),
    (sdk_audio_out, {}, [{}]),
    (content_out, {}, [{}]),
    (mixed_list, {}, [{}]),
    (bare_dict, {}, [{}]),
    (none_out, {}, [{}]),
    (unstructured, {"structured_output": False}, [{"a": 3}]),
    (structured_dict, {"structured_output": True}, [{"a": 3}]),
    (fails, {}, [{"a": 1}, {"a": "q"}]),
    (fails_custom, {}, [{}]),
    (async_add, {}, [{"a": 1, "b": 2}, {"a": "1", "b": "x"}]),
    (with_context, {}, [{"x": 1}, {"x": "2", "ctx": "ignored"}]),
    (with_sdk_context, {}, [{"x": 1}]),
    (async_with_context, {}, [{"x": 1}]),
    (wrong_type, {}, [{}]),
    (lax_output, {}, [{}]),
    (int_as_float, {}, [{}]),
    (nested_lists, {}, [{"n": 3}]),
    (any_dict_out, {}, [{}]),
    (typing_dict_out, {}, [{}]),
    (tuple_out, {}, [{}]),
    (floats_out, {}, [{}]),
    (unicode_text, {}, [{"s": "é"}]),
    (optional_model, {}, [{"flag": True}, {"flag": False}]),
    (tree_out, {}, [{}]),
    (shadowing, {}, [{"copy": 1}, {"copy": "2", "json": "x", "schema": "true"}]),
    (mutable_default, {}, [{}, {}, {"items": [5]}]),
    (call_tool_result, {}, [{}]),
    (annotated_call_tool_result, {}, [{}]),
    (enum_param, {}, [{}, {"color": "blue"}, {"color": "green"}]),
    (none_default_int, {}, [{}, {"x": 4}]),
    (bytes_param, {}, [{}, {"data": "abc"}]),
    (bare_list_out, {}, [{}]),
    (typing_list_out, {}, [{}]),
    (any_out, {}, [{}]),
    (literal_out, {}, [{"x": "x"}, {"x": "z"}]),
    (no_annotation_return, {}, [{"x": 4}]),
    (set_param, {}, [{"tags": ["a", "b", "a"]}, {"tags": '["x"]'}]),
    (big_numbers, {}, [{"x": 7}]),
    (str_enum_out, {}, [{}]),
    (add, {"name": "renamed", "title": "Adder", "description": "Custom description"}, [{"a": 1}]),
    (
        add,
        {
            "name": "annotated",
            "annotations": mcp_types.ToolAnnotations(
                title="T", readOnlyHint=True, openWorldHint=False
            ),
            "icons": [
                mcp_types.Icon(
                    src="https://example.com/i.png", mimeType="image/png", sizes=["48x48"]
                )
            ],
            "meta": {"owner": "me", "nested": {"a": [1]}},
        },
        [{"a": 1}],
    ),
]


# --- more pydantic-shaped signatures ---------------------------------------------------


class Address(BaseModel):
    street: str
    zip_code: str = Field(alias="zipCode", description="Postal code")


class Person(BaseModel):
    name: str = Field(min_length=1)
    age: Optional[int] = None
    tags: list[str] = []
    address: Optional[Address] = None
    color: Color = Color.RED


def register_person(person: Person, notify: bool = False) -> Person:
    """Registers a person."""
    return person


def people(group: list[Person]) -> dict[str, int]:
    return {p.name: p.age or 0 for p in group}


def dated(day: datetime.date, at: Optional[datetime.datetime] = None) -> datetime.date:
    return day


def uuid_param(ident: uuid.UUID) -> str:
    return str(ident)


def constrained(
    n: Annotated[int, Field(gt=0, lt=10)],
    s: Annotated[str, Field(max_length=3, pattern="^[a-z]+$")] = "abc",
) -> int:
    return n


def embedded_out() -> list:
    return [
        mcp_types.EmbeddedResource(
            type="resource",
            resource=mcp_types.TextResourceContents(
                uri="file:///a.txt", text="body", mimeType="text/plain"
            ),
        ),
        mcp_types.ResourceLink(type="resource_link", uri="https://example.com/x", name="x"),
    ]


async def async_fails(x: int) -> int:
    raise RuntimeError(f"async failure {x}")


def model_dict_out() -> dict[str, Point]:
    return {"a": Point(x=1)}


def model_list_out() -> list[Point]:
    return [Point(x=1), Point(x=2, y=3)]


def union_model_out(flag: bool) -> Union[Point, str]:
    return Point(x=1) if flag else "text"


def dict_any_out() -> dict[str, Any]:
    return {"when": datetime.date(2024, 1, 2), "p": Point(x=1)}


EXTRA_CASES: list[tuple[Any, dict, list[Any]]] = [
    (
        register_person,
        {},
        [
            {"person": {"name": "Ann"}},
            {"person": {"name": "Ann", "age": "30", "address": {"street": "s", "zipCode": "123"}}},
            {"person": '{"name": "Bo", "tags": ["x"], "color": "blue"}'},
            {"person": {"name": ""}},
            {"person": {"name": "Ann", "address": {"street": "s", "zip_code": "1"}}},
            {"person": {"name": "Ann", "color": "green"}, "notify": "yes"},
        ],
    ),
    (
        people,
        {},
        [{"group": [{"name": "a", "age": 1}, {"name": "b"}]}, {"group": '[{"name": "c"}]'}],
    ),
    (
        dated,
        {},
        [
            {"day": "2024-02-03"},
            {"day": "2024-02-30"},
            {"day": "2024-02-03", "at": "2024-01-01T10:00:00Z"},
        ],
    ),
    (uuid_param, {}, [{"ident": "12345678-1234-5678-1234-567812345678"}, {"ident": "nope"}]),
    (constrained, {}, [{"n": 5}, {"n": 0}, {"n": "3", "s": "ab"}, {"n": 1, "s": "ABCD"}]),
    (embedded_out, {}, [{}]),
    (async_fails, {}, [{"x": 1}]),
    (model_dict_out, {}, [{}]),
    (model_list_out, {}, [{}]),
    (union_model_out, {}, [{"flag": True}, {"flag": False}]),
    (dict_any_out, {}, [{}]),
]
CASES.extend(EXTRA_CASES)


def _case_id(case: tuple) -> str:
    fn, options, _ = case
    return options.get("name", fn.__name__)


@pytest.fixture(scope="module")
def pair() -> Pair:
    # One pair for all cases; the recorder fixture is function-scoped, so patch by hand here.
    from ferro_fakes import RecorderServer
    from ferromcp import _core_bridge

    original = _core_bridge.create_core_server
    _core_bridge.create_core_server = lambda name, version, **kw: RecorderServer(
        name, version, **kw
    )
    try:
        p = Pair()
        for fn, options, _ in CASES:
            p.tool(fn, **options)
        return p
    finally:
        _core_bridge.create_core_server = original


def test_tool_list_order_and_count(pair: Pair) -> None:
    assert [t["name"] for t in pair.sdk_tools()] == [t["name"] for t in pair.our_tools()]
    assert len(pair.our_tools()) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_tool_definition(pair: Pair, case: tuple) -> None:
    name = _case_id(case)
    sdk = next(t for t in pair.sdk_tools() if t["name"] == name)
    ours = pair.core.tools[name].definition
    assert wire(ours) == wire(sdk)


CALLS = [(case, i) for case in CASES for i in range(len(case[2]))]


@pytest.mark.parametrize("case,index", CALLS, ids=[f"{_case_id(c)}-{i}" for c, i in CALLS])
def test_tool_call(pair: Pair, case: tuple, index: int) -> None:
    name = _case_id(case)
    arguments = case[2][index]
    expected = pair.sdk_call(name, arguments)
    assert wire(pair.our_call(name, arguments)) == wire(expected)


@pytest.mark.parametrize("case", CASES[:14], ids=_case_id)
def test_result_does_not_depend_on_validity_flag(pair: Pair, case: tuple) -> None:
    # Whatever the engine's validator says, the outcome is the SDK's.
    name = _case_id(case)
    for arguments in case[2]:
        assert wire(pair.our_call(name, arguments, extra=True)) == wire(
            pair.our_call(name, arguments, extra=False)
        )


@pytest.mark.parametrize(
    "ours,theirs",
    [
        (image_out, lambda: SdkImage(data=PNG, format="png")),
        (audio_out, lambda: SdkAudio(data=b"RIFFxxxx", format="wav")),
        (
            lambda: [Image(data=b"1"), Audio(data=b"2")],
            lambda: [SdkImage(data=b"1"), SdkAudio(data=b"2")],
        ),
    ],
)
def test_our_image_and_audio_match_the_sdk_helpers(ours: Any, theirs: Any) -> None:
    from ferro_fakes import RecorderServer

    p = Pair()
    p.ours.add_tool(ours, name="media", structured_output=False)
    p.sdk.add_tool(theirs, name="media", structured_output=False)
    assert isinstance(p.core, RecorderServer)
    assert wire(p.our_call("media", {})) == wire(p.sdk_call("media", {}))


def test_image_content_is_base64_png(pair: Pair) -> None:
    p = Pair()
    p.ours.add_tool(image_out)
    result = p.our_call("image_out", {})
    assert result == {
        "content": [
            {"type": "image", "data": base64.b64encode(PNG).decode(), "mimeType": "image/png"}
        ],
        "isError": False,
    }


def test_direct_call_tool_matches_sdk(pair: Pair) -> None:
    import asyncio

    from sdk_compare import dump

    for name, arguments in [
        ("add", {"a": 2}),
        ("echo", {"text": "x"}),
        ("bare_dict", {}),
        ("mixed_list", {}),
    ]:
        sdk_result = asyncio.run(pair.sdk.call_tool(name, arguments))
        our_result = asyncio.run(pair.ours.call_tool(name, arguments))
        if isinstance(sdk_result, tuple):
            assert isinstance(our_result, tuple)
            assert [dump(c) for c in sdk_result[0]] == [
                c.to_wire() if hasattr(c, "to_wire") else dump(c) for c in our_result[0]
            ]
            assert sdk_result[1] == our_result[1]
        else:
            assert [dump(c) for c in sdk_result] == [
                c.to_wire() if hasattr(c, "to_wire") else dump(c) for c in our_result
            ]


def test_direct_call_tool_errors_match_sdk(pair: Pair) -> None:
    import asyncio

    from ferromcp.exceptions import ToolError
    from mcp.server.fastmcp.exceptions import ToolError as SdkToolError

    for name, arguments in [("fails", {"a": 1}), ("add", {}), ("missing-tool", {})]:
        with pytest.raises(SdkToolError) as sdk_error:
            asyncio.run(pair.sdk.call_tool(name, arguments))
        with pytest.raises(ToolError) as our_error:
            asyncio.run(pair.ours.call_tool(name, arguments))
        assert str(our_error.value) == str(sdk_error.value)
