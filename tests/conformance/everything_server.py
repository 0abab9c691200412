"""The "everything" server the official MCP conformance suite tests against.

`@modelcontextprotocol/conformance server --url ...` calls fixtures by exact name: the
tools, resources, prompts and completion below, each shaped as its scenario checks them.
Written only with the FastMCP API of the official Python SDK v1 (plus `mcp.types` objects
where users return them), so the same file runs under either implementation:

    python everything_server.py --flavour ferromcp --port 8123   # ferromcp
    python everything_server.py --flavour sdk --port 8123        # mcp.server.fastmcp (SDK v1)

The flavour can also come from EVERYTHING_FLAVOUR. The server speaks Streamable HTTP on
http://<host>:<port>/mcp. `scripts/conformance.sh` starts it and runs the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import struct
import sys
import wave
import zlib

FLAVOURS = ("ferromcp", "sdk")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--flavour",
        choices=FLAVOURS,
        default=os.environ.get("EVERYTHING_FLAVOUR", "ferromcp"),
        help="ferromcp, or the official SDK v1 (mcp.server.fastmcp) for reference runs",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3001)
    return parser.parse_args(argv)


ARGS = parse_args(sys.argv[1:] if __name__ == "__main__" else [])

# The one line a user changes when moving to ferromcp (plus the submodules they import).
if ARGS.flavour == "sdk":
    from mcp.server.fastmcp import Audio, Context, FastMCP, Image
    from mcp.server.fastmcp.prompts.base import UserMessage
    from mcp.server.fastmcp.tools import Tool
else:
    from ferromcp import Audio, Context, FastMCP, Image
    from ferromcp.prompts.base import UserMessage
    from ferromcp.tools import Tool

from mcp.server.streamable_http import EventCallback, EventMessage, EventStore  # noqa: E402
from mcp.types import (  # noqa: E402
    Completion,
    CompletionArgument,
    CompletionContext,
    EmbeddedResource,
    JSONRPCMessage,
    PromptReference,
    ResourceTemplateReference,
    SamplingMessage,
    TextContent,
    TextResourceContents,
)
from pydantic import BaseModel, Field  # noqa: E402

# --- test media, made here rather than pasted in ------------------------------------------


def _png_pixel() -> bytes:
    """A valid 1x1 RGB PNG (one red pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit, truecolour
    idat = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _wav_blip() -> bytes:
    """A valid mono 8 kHz 16-bit WAV with a few milliseconds of silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 40)
    return buffer.getvalue()


PNG = _png_pixel()
WAV = _wav_blip()


# --- SSE resumability (SEP-1699): the SDK v1's EventStore interface, kept in memory ------


class InMemoryEventStore(EventStore):
    """Every event of every stream, so a client reconnecting with Last-Event-ID is replayed."""

    def __init__(self) -> None:
        self._events: list[tuple[str, str, JSONRPCMessage | None]] = []

    async def store_event(self, stream_id: str, message: JSONRPCMessage | None) -> str:
        event_id = str(len(self._events) + 1)
        self._events.append((stream_id, event_id, message))
        return event_id

    async def replay_events_after(
        self, last_event_id: str, send_callback: EventCallback
    ) -> str | None:
        stream = next((s for s, e, _ in self._events if e == last_event_id), None)
        if stream is None:
            return None
        after = int(last_event_id)
        for stream_id, event_id, message in self._events:
            if stream_id == stream and int(event_id) > after and message is not None:
                await send_callback(EventMessage(message, event_id))
        return stream


# --- json_schema_2020_12_tool: an inputSchema no signature produces (SEP-1613 / SEP-2106) -

JSON_SCHEMA_2020_12 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {
        "address": {
            "$anchor": "addressDef",
            "type": "object",
            "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
        }
    },
    "properties": {
        "name": {"type": "string"},
        "address": {"$ref": "#/$defs/address"},
        "contactMethod": {"type": "string", "enum": ["phone", "email"]},
        "phone": {"type": "string"},
        "email": {"type": "string"},
    },
    "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
    "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
    "then": {"required": ["phone"]},
    "else": {"required": ["email"]},
    "additionalProperties": False,
}


def json_schema_2020_12_tool(
    name: str | None = None,
    address: dict | None = None,
    contactMethod: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> str:
    """Tool with JSON Schema 2020-12 features"""
    contact = phone if contactMethod == "phone" else email
    return f"Contact {name or 'someone'} at {contact}"


# A Tool built from the function, then given the hand-written schema, passed to the
# constructor: the SDK v1's public way to publish a schema verbatim.
schema_tool = Tool.from_function(json_schema_2020_12_tool)
schema_tool.parameters = JSON_SCHEMA_2020_12

mcp = FastMCP(
    "everything-server",
    instructions="Fixtures for the MCP conformance suite.",
    host=ARGS.host,
    port=ARGS.port,
    tools=[schema_tool],
    event_store=InMemoryEventStore(),
    retry_interval=100,
)


# --- tools ----------------------------------------------------------------------------


@mcp.tool()
def test_simple_text() -> str:
    """Returns one text block"""
    return "This is a simple text response for testing."


@mcp.tool()
def test_image_content() -> Image:
    """Returns one image block (image/png)"""
    return Image(data=PNG, format="png")


@mcp.tool()
def test_audio_content() -> Audio:
    """Returns one audio block (audio/wav)"""
    return Audio(data=WAV, format="wav")


@mcp.tool()
def test_embedded_resource():
    """Returns one embedded text resource"""
    return EmbeddedResource(
        type="resource",
        resource=TextResourceContents(
            uri="test://embedded-resource",
            mimeType="text/plain",
            text="This is an embedded resource content.",
        ),
    )


@mcp.tool()
def test_multiple_content_types():
    """Returns text, image and embedded resource blocks together"""
    return [
        "Multiple content types test:",
        Image(data=PNG, format="png"),
        EmbeddedResource(
            type="resource",
            resource=TextResourceContents(
                uri="test://mixed-content-resource",
                mimeType="application/json",
                text=json.dumps({"test": "data", "value": 123}),
            ),
        ),
    ]


@mcp.tool()
async def test_tool_with_logging(ctx: Context) -> str:
    """Sends three info log notifications while it runs"""
    await ctx.info("Tool execution started")
    await asyncio.sleep(0.05)
    await ctx.info("Tool processing data")
    await asyncio.sleep(0.05)
    await ctx.info("Tool execution completed")
    return "Tool with logging executed successfully"


@mcp.tool()
async def test_tool_with_progress(ctx: Context) -> str:
    """Reports progress 0, 50 and 100 of 100"""
    for step in (0, 50, 100):
        if step:
            await asyncio.sleep(0.05)
        await ctx.report_progress(step, 100, f"Completed step {step} of 100")
    return "Progress reported: 0, 50, 100 of 100"


@mcp.tool()
def test_error_handling() -> str:
    """Always fails, so the result carries isError"""
    raise RuntimeError("This tool intentionally returns an error for testing")


@mcp.tool()
async def test_sampling(prompt: str, ctx: Context) -> str:
    """Asks the client's LLM to complete the prompt (sampling/createMessage)"""
    result = await ctx.session.create_message(
        messages=[SamplingMessage(role="user", content=TextContent(type="text", text=prompt))],
        max_tokens=100,
    )
    content = result.content
    text = content.text if getattr(content, "type", None) == "text" else "(non-text reply)"
    return f"LLM response: {text}"


class ContactDetails(BaseModel):
    username: str = Field(description="User's response")
    email: str = Field(description="User's email address")


@mcp.tool()
async def test_elicitation(message: str, ctx: Context) -> str:
    """Asks the user for a username and email address (elicitation/create)"""
    result = await ctx.elicit(message, schema=ContactDetails)
    content = result.data.model_dump() if result.action == "accept" else {}
    return f"User response: action={result.action}, content={json.dumps(content)}"


class DefaultsForm(BaseModel):
    """Every primitive type with a default (SEP-1034)."""

    name: str = Field(default="John Doe", description="User name")
    age: int = Field(default=30, description="User age")
    score: float = Field(default=95.5, description="User score")
    status: str = Field(
        default="active",
        description="User status",
        json_schema_extra={"enum": ["active", "inactive", "pending"]},
    )
    verified: bool = Field(default=True, description="Verification status")


@mcp.tool()
async def test_elicitation_sep1034_defaults(ctx: Context) -> str:
    """Elicits a form whose fields all carry defaults (SEP-1034)"""
    result = await ctx.elicit("Please review your profile (defaults applied)", schema=DefaultsForm)
    content = result.data.model_dump() if result.action == "accept" else {}
    return f"Elicitation completed: action={result.action}, content={json.dumps(content)}"


def _titled(values: list[str], titles: list[str]) -> list[dict]:
    return [{"const": v, "title": t} for v, t in zip(values, titles, strict=True)]


class EnumForm(BaseModel):
    """The five enum shapes of SEP-1330."""

    untitledSingle: str = Field(
        description="Untitled single-select",
        json_schema_extra={"enum": ["option1", "option2", "option3"]},
    )
    titledSingle: str = Field(
        description="Titled single-select",
        json_schema_extra={
            "oneOf": _titled(
                ["value1", "value2", "value3"], ["First Option", "Second Option", "Third Option"]
            )
        },
    )
    legacyEnum: str = Field(
        description="Legacy titled enum",
        json_schema_extra={
            "enum": ["opt1", "opt2", "opt3"],
            "enumNames": ["Option One", "Option Two", "Option Three"],
        },
    )
    untitledMulti: list[str] = Field(
        description="Untitled multi-select",
        json_schema_extra={"items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
    )
    titledMulti: list[str] = Field(
        description="Titled multi-select",
        json_schema_extra={
            "items": {
                "anyOf": _titled(
                    ["value1", "value2", "value3"],
                    ["First Choice", "Second Choice", "Third Choice"],
                )
            }
        },
    )


@mcp.tool()
async def test_elicitation_sep1330_enums(ctx: Context) -> str:
    """Elicits a form with every enum variant (SEP-1330)"""
    result = await ctx.elicit("Please pick from each kind of list", schema=EnumForm)
    content = result.data.model_dump() if result.action == "accept" else {}
    return f"Elicitation completed: action={result.action}, content={json.dumps(content)}"


@mcp.tool()
async def test_reconnection(ctx: Context) -> str:
    """Closes its SSE stream mid-call; the result arrives after the client resumes (SEP-1699)"""
    await ctx.info("Before disconnect")
    await ctx.close_sse_stream()
    await asyncio.sleep(0.2)  # time for the client to reconnect with Last-Event-ID
    await ctx.info("After reconnect")
    return "Reconnection test completed"


WATCHED = {"text": "Watched resource content, version 1", "version": 1}


@mcp.tool()
async def test_update_watched_resource(ctx: Context) -> str:
    """Changes test://watched-resource and notifies its subscribers"""
    WATCHED["version"] += 1
    WATCHED["text"] = f"Watched resource content, version {WATCHED['version']}"
    await ctx.session.send_resource_updated("test://watched-resource")
    return f"test://watched-resource is now version {WATCHED['version']}"


# --- resources ------------------------------------------------------------------------


@mcp.resource("test://static-text", mime_type="text/plain")
def static_text() -> str:
    """A static text resource"""
    return "This is the content of the static text resource."


@mcp.resource("test://static-binary", mime_type="image/png")
def static_binary() -> bytes:
    """A static binary resource (a PNG image)"""
    return PNG


@mcp.resource("test://template/{id}/data", mime_type="application/json")
def template_data(id: str) -> str:
    """Data for one id, substituted from the URI"""
    return json.dumps({"id": id, "templateTest": True, "data": f"Data for ID: {id}"})


@mcp.resource("test://watched-resource", mime_type="text/plain")
def watched_resource() -> str:
    """A resource to subscribe to; test_update_watched_resource changes it"""
    return WATCHED["text"]


# --- prompts --------------------------------------------------------------------------


@mcp.prompt()
def test_simple_prompt() -> str:
    """A prompt without arguments"""
    return "This is a simple prompt for testing."


@mcp.prompt()
def test_prompt_with_arguments(arg1: str, arg2: str) -> str:
    """A prompt with two required arguments"""
    return f"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"


@mcp.prompt()
def test_prompt_with_embedded_resource(resourceUri: str) -> list[UserMessage]:
    """A prompt embedding the resource it is given"""
    return [
        UserMessage(
            content=EmbeddedResource(
                type="resource",
                resource=TextResourceContents(
                    uri=resourceUri,
                    mimeType="text/plain",
                    text="Embedded resource content for testing.",
                ),
            )
        ),
        UserMessage("Please process the embedded resource above."),
    ]


@mcp.prompt()
def test_prompt_with_image() -> list[UserMessage]:
    """A prompt with an image"""
    return [
        UserMessage(content=Image(data=PNG, format="png").to_image_content()),
        UserMessage("Please analyze the image above."),
    ]


# --- completion -----------------------------------------------------------------------

SUGGESTIONS = {
    ("test_prompt_with_arguments", "arg1"): ["paris", "park", "party", "test", "testing"],
    ("test_prompt_with_arguments", "arg2"): ["red", "green", "blue"],
    ("test://template/{id}/data", "id"): ["1", "12", "123"],
}


@mcp.completion()
async def complete(
    ref: PromptReference | ResourceTemplateReference,
    argument: CompletionArgument,
    context: CompletionContext | None,
) -> Completion:
    key = ref.name if isinstance(ref, PromptReference) else ref.uri
    values = [v for v in SUGGESTIONS.get((key, argument.name), []) if v.startswith(argument.value)]
    return Completion(values=values, total=len(values), hasMore=False)


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
