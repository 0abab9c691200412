# ruff: noqa: UP006, UP007, UP045
# (typing.Optional/Union/List/Dict are spelled out on purpose: they are cases under test)
"""Differential tests: prompts on the SDK's FastMCP vs ours (prompts/list and prompts/get)."""

from __future__ import annotations

import asyncio
import importlib
from typing import Annotated, Literal, Optional

import pytest
from sdk_compare import Pair, wire

mcp_types = importlib.import_module("mcp.types")
from mcp.server.fastmcp import Context as SdkContext  # noqa: E402
from mcp.server.fastmcp.prompts.base import AssistantMessage as SdkAssistant  # noqa: E402
from mcp.server.fastmcp.prompts.base import Message as SdkMessage  # noqa: E402
from mcp.server.fastmcp.prompts.base import UserMessage as SdkUser  # noqa: E402
from pydantic import BaseModel, Field  # noqa: E402


class Reminder(BaseModel):
    when: int


def build() -> Pair:
    p = Pair()

    @p.prompt()
    def simple() -> str:
        """A simple prompt"""
        return "Hello"

    @p.prompt(title="With args", description="Overrides the docstring")
    def with_args(name: str, count: int = 1, style: Literal["short", "long"] = "short") -> str:
        """Docstring ignored"""
        return f"{name} x{count} ({style})"

    @p.prompt()
    def described(
        topic: Annotated[str, Field(description="The topic")],
        depth: Annotated[int, Field(description="How deep")] = 2,
    ) -> str:
        return f"{topic}:{depth}"

    @p.prompt()
    def sdk_messages(code: str) -> list:
        return [
            SdkUser(f"Review:\n{code}"),
            SdkAssistant("Sure."),
            SdkMessage(
                role="user", content=mcp_types.TextContent(type="text", text="t", _meta={"m": 1})
            ),
        ]

    @p.prompt()
    def dict_messages() -> list:
        return [
            {"role": "user", "content": "plain text"},
            {
                "role": "assistant",
                "content": {"type": "text", "text": "block", "annotations": None},
            },
            {"content": "no role"},
            {"role": "user", "content": {"type": "image", "data": "AAA", "mimeType": "image/png"}},
            {
                "role": "user",
                "content": {
                    "type": "resource",
                    "resource": {"uri": "file:///x.txt", "text": "t", "mimeType": None},
                },
            },
        ]

    @p.prompt()
    def bad_dict() -> list:
        return [{"role": "system", "content": "nope"}]

    @p.prompt()
    def bad_content() -> list:
        return [{"role": "user", "content": 42}]

    @p.prompt()
    def content_block() -> mcp_types.TextContent:
        return mcp_types.TextContent(type="text", text="bare block")

    @p.prompt()
    def number() -> int:
        return 42

    @p.prompt()
    def mixed() -> tuple:
        return ("first", {"role": "assistant", "content": "second"}, 3.5, None)

    @p.prompt()
    def fails(x: str) -> str:
        raise RuntimeError(f"broken {x}")

    @p.prompt()
    async def async_prompt(x: str, ctx: SdkContext) -> str:
        return f"async {x}"

    @p.prompt()
    async def async_fails() -> str:
        raise ValueError("async broken")

    @p.prompt()
    def optional_arg(a: Optional[int] = None, b: bool = False) -> str:
        return f"{a}/{b}"

    @p.prompt()
    def list_arg(items: list[int]) -> str:
        return str(items)

    @p.prompt(name="custom-name")
    def renamed() -> str:
        return "renamed"

    @p.prompt()
    def embedded(uri: str) -> list:
        return [
            SdkUser(
                mcp_types.EmbeddedResource(
                    type="resource",
                    resource=mcp_types.TextResourceContents(
                        uri=uri, text="body", mimeType="text/plain"
                    ),
                )
            )
        ]

    # A validation error raised by the function's own body (a model it builds from a valid
    # argument) is the function failing, not the client's arguments being wrong.
    @p.prompt()
    def builds_model(when: str) -> str:
        return f"at {Reminder(when=when).when}"

    @p.prompt()
    async def async_builds_model(when: str) -> str:
        return f"at {Reminder(when=when).when}"

    @p.prompt()
    async def async_typed(days: int) -> str:
        return f"{days} days"

    return p


@pytest.fixture
def pair() -> Pair:
    return build()


def test_prompt_definitions(pair: Pair) -> None:
    assert wire(pair.our_prompts()) == wire(pair.sdk_prompts())


GETS = [
    ("simple", None),
    ("simple", {}),
    ("with_args", {"name": "Ann"}),
    ("with_args", {"name": "Ann", "count": "3", "style": "long"}),
    ("with_args", {}),
    ("with_args", {"name": "Ann", "count": "x"}),
    ("with_args", {"name": "Ann", "style": "medium"}),
    ("with_args", {"name": "Ann", "unknown": "v"}),
    ("described", {"topic": "t"}),
    ("sdk_messages", {"code": "print(1)"}),
    ("dict_messages", None),
    ("bad_dict", None),
    ("bad_content", None),
    ("content_block", None),
    ("number", None),
    ("mixed", None),
    ("fails", {"x": "y"}),
    ("async_prompt", {"x": "1"}),
    ("async_fails", None),
    ("optional_arg", {}),
    ("optional_arg", {"a": "5", "b": "yes"}),
    ("optional_arg", {"a": "null"}),
    ("list_arg", {"items": "[1, 2]"}),
    ("custom-name", None),
    ("embedded", {"uri": "file:///doc.md"}),
    ("embedded", {"uri": "not a uri"}),
    ("builds_model", {"when": "5"}),
    ("builds_model", {"when": "soon"}),
    ("async_builds_model", {"when": "soon"}),
    ("async_typed", {"days": "x"}),
]


@pytest.mark.parametrize("name,arguments", GETS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(GETS)])
def test_get_prompt(pair: Pair, name: str, arguments: dict | None) -> None:
    expected = pair.sdk_get_prompt(name, arguments)
    actual = pair.our_get_prompt(name, arguments)
    assert actual[0] == expected[0], actual
    assert wire(actual[1]) == wire(expected[1])


def test_prompt_error_codes(pair: Pair) -> None:
    from ferromcp.exceptions import McpError

    def code(name: str, arguments: dict | None) -> int:
        with pytest.raises(McpError) as error:
            from ferro_fakes import invoke

            invoke(pair.core.prompts[name], {"name": name, "arguments": arguments})
        return error.value.code

    assert code("with_args", {}) == -32602  # missing argument
    assert code("with_args", {"name": "a", "count": "x"}) == -32602  # invalid argument
    assert code("fails", {"x": "1"}) == -32603  # the function itself failed
    assert code("async_fails", None) == -32603
    assert code("async_typed", {"days": "x"}) == -32602  # invalid argument, async function
    # pydantic ValidationErrors from the function's body: the function failed.
    assert code("builds_model", {"when": "soon"}) == -32603
    assert code("async_builds_model", {"when": "soon"}) == -32603
    assert code("embedded", {"uri": "not a uri"}) == -32603


def test_direct_get_prompt_matches_sdk(pair: Pair) -> None:
    for name, arguments in [
        ("simple", None),
        ("with_args", {"name": "B", "count": "2"}),
        ("dict_messages", None),
    ]:
        sdk = asyncio.run(pair.sdk.get_prompt(name, arguments)).model_dump(
            by_alias=True, exclude_none=True, mode="json"
        )
        ours = asyncio.run(pair.ours.get_prompt(name, arguments)).to_wire()
        assert wire(ours) == wire(sdk)
    for name, arguments in [("missing", None), ("with_args", {}), ("fails", {"x": "z"})]:
        with pytest.raises(ValueError) as sdk_error:
            asyncio.run(pair.sdk.get_prompt(name, arguments))
        with pytest.raises(ValueError) as our_error:
            asyncio.run(pair.ours.get_prompt(name, arguments))
        assert str(our_error.value) == str(sdk_error.value)


def test_our_message_classes_render_like_the_sdk() -> None:
    from ferromcp.prompts.base import AssistantMessage, Message, UserMessage

    p = Pair()
    p.ours.prompt(name="m")(
        lambda: [UserMessage("u"), AssistantMessage("a"), Message(role="user", content="x")]
    )
    p.sdk.prompt(name="m")(
        lambda: [SdkUser("u"), SdkAssistant("a"), SdkMessage(role="user", content="x")]
    )
    assert wire(p.our_get_prompt("m", None)) == wire(p.sdk_get_prompt("m", None))


def test_completion_matches_sdk() -> None:
    from ferro_fakes import invoke
    from sdk_compare import dump

    async def complete(ref, argument, context):  # type: ignore[no-untyped-def]
        # Written against mcp.types, as migrated servers are.
        if isinstance(ref, mcp_types.PromptReference):
            values = [v for v in ["python", "pytest", "rust"] if v.startswith(argument.value)]
            return mcp_types.Completion(values=values, total=len(values), hasMore=False)
        if isinstance(ref, mcp_types.ResourceTemplateReference) and context and context.arguments:
            return mcp_types.Completion(
                values=[f"{context.arguments.get('owner')}/{argument.value}"]
            )
        return None

    p = Pair()
    p.sdk.completion()(complete)
    p.ours.completion()(complete)
    sdk_handler = p.sdk._mcp_server.request_handlers[mcp_types.CompleteRequest]
    requests = [
        {
            "ref": {"type": "ref/prompt", "name": "review"},
            "argument": {"name": "lang", "value": "py"},
        },
        {
            "ref": {"type": "ref/resource", "uri": "repo://{owner}/{name}"},
            "argument": {"name": "name", "value": "x"},
            "context": {"arguments": {"owner": "me"}},
        },
        {
            "ref": {"type": "ref/resource", "uri": "repo://{owner}"},
            "argument": {"name": "owner", "value": ""},
        },
    ]
    for params in requests:
        request = mcp_types.CompleteRequest(
            method="completion/complete",
            params=mcp_types.CompleteRequestParams.model_validate(params),
        )
        expected = dump(asyncio.run(sdk_handler(request)).root)
        assert wire(invoke(p.core.completion, params)) == wire(expected)
