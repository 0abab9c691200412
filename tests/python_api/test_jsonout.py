"""Result text must equal pydantic_core.to_json(value, fallback=str, indent=2) byte for byte."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import importlib
import uuid
from collections import OrderedDict, namedtuple

import pytest

pydantic_core = importlib.import_module("pydantic_core")
from ferromcp._jsonout import float_text, to_json_text  # noqa: E402
from pydantic import BaseModel  # noqa: E402


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Model(BaseModel):
    name: str
    when: datetime.date


@dataclasses.dataclass
class DC:
    a: int
    b: list[float]


class Opaque:
    def __str__(self) -> str:
        return "<opaque>"


NT = namedtuple("NT", "x y")

VALUES = [
    0,
    -1,
    10**30,
    True,
    False,
    None,
    0.1,
    1.0,
    -0.0,
    1e16,
    1e-05,
    2.5e-05,
    1.2345678901234568e-05,
    -3e-05,
    1e-07,
    5e-324,
    1.7976931348623157e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    [],
    {},
    [1, [2, [3, []]], {}],
    {"a": 1, "b": [1.5, None, True], "c": {"d": 'é\n\t"\\ \u2028 \x01'}},
    {"k": 1e-05, "nested": [{"x": 2.5e-06}]},
    "e-0 inside a string",
    ["e-05", 1e-05],
    {1: "int key", False: "bool key"},
    {None: "none key"},
    {1.5: "float key", 1e-05: "small"},
    {float("inf"): 1, 1e16: 2},
    (1, "tuple"),
    OrderedDict([("z", 1), ("a", 2)]),
    NT(1, 2),
    Color.RED,
    Level.HIGH,
    {"enum": Color.RED},
    datetime.datetime(2024, 1, 2, 3, 4, 5),
    datetime.date(2024, 1, 2),
    decimal.Decimal("1.50"),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    b"bytes",
    {1, 2},
    frozenset(),
    Model(name="m", when=datetime.date(2020, 5, 6)),
    [Model(name="n", when=datetime.date(2021, 1, 1))],
    DC(1, [0.5]),
    Opaque(),
    {"opaque": Opaque()},
    "ü日本",
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_json_text_matches_pydantic_core(value: object) -> None:
    assert to_json_text(value) == pydantic_core.to_json(value, fallback=str, indent=2).decode()


@pytest.mark.parametrize("exponent", range(-320, 310, 7))
@pytest.mark.parametrize("mantissa", [1.0, 2.5, 9.999, 1.2345678901234567])
def test_float_spelling_matches_rust(exponent: int, mantissa: float) -> None:
    value = mantissa * 10.0**exponent
    assert float_text(value) == pydantic_core.to_json(value).decode()
    assert float_text(-value) == pydantic_core.to_json(-value).decode()
