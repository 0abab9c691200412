"""A meeting scheduler with richer types: dates, enums, UUIDs, decimals, unions, constraints,
parameter names that clash with pydantic, audio and mcp.types content blocks."""

import io
import wave
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Annotated
from uuid import UUID

from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.prompts.base import AssistantMessage, UserMessage
from mcp.server.fastmcp.utilities.types import Audio
from mcp.types import EmbeddedResource, ResourceLink, TextContent, TextResourceContents
from pydantic import BaseModel, Field

mcp = FastMCP("scheduler", instructions="Schedules meetings.")

MEETING_ID = UUID("12345678-1234-5678-1234-567812345678")


class Priority(str, Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Attendee(BaseModel):
    email: str
    optional: bool = False


class Meeting(BaseModel):
    id: UUID
    title: str
    start: datetime
    duration: timedelta
    priority: Priority
    attendees: list[Attendee] = Field(default_factory=list)
    budget: Decimal | None = None


@mcp.tool()
def schedule(
    title: str,
    day: date,
    hour: Annotated[int, Field(ge=0, le=23, description="Hour of day (UTC)")] = 9,
    priority: Priority = Priority.NORMAL,
    attendees: list[Attendee] | None = None,
    budget: Decimal | None = None,
) -> Meeting:
    """Schedule a 30-minute meeting."""
    start = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)
    return Meeting(
        id=MEETING_ID,
        title=title,
        start=start,
        duration=timedelta(minutes=30),
        priority=priority,
        attendees=attendees or [],
        budget=budget,
    )


@mcp.tool()
def next_weekday(day: date) -> date:
    """The next Monday-to-Friday day after `day`."""
    nxt = day + timedelta(days=1)
    while nxt.weekday() >= 5:
        nxt += timedelta(days=1)
    return nxt


@mcp.tool()
def lookup(key: int | str) -> str:
    """A union parameter."""
    return f"{type(key).__name__}:{key}"


@mcp.tool()
def set_label(
    label: Annotated[str, Field(min_length=2, max_length=10, pattern=r"^[a-z-]+$")],
) -> str:
    """A constrained string."""
    return f"label={label}"


@mcp.tool()
def min_max(numbers: list[int]) -> tuple[int, int]:
    """A tuple return."""
    return min(numbers), max(numbers)


@mcp.tool()
def squares(n: int) -> list[int]:
    """A list of non-strings."""
    return [i * i for i in range(n)]


@mcp.tool()
def find_room(name: str) -> str | None:
    """Returns None when there is no such room."""
    return {"blue": "Blue room, 2nd floor"}.get(name)


@mcp.tool()
def check_payload(json: str, schema: dict | None = None, copy: bool = False) -> str:
    """Parameters named like pydantic BaseModel attributes."""
    return f"json={json} schema={schema} copy={copy}"


@mcp.tool()
def tags(items: list[str] = Field(default_factory=list), unique: bool = True) -> list[str]:  # noqa: B008
    """A default_factory default."""
    return sorted(set(items)) if unique else items


@mcp.tool()
async def chime(ctx: Context, times: int = 1) -> Audio:
    """Context first; returns a short WAV."""
    await ctx.debug(f"chiming {times}x")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes([128, 200, 128, 56]) * times)
    return Audio(data=buf.getvalue(), format="wav")


@mcp.tool()
def attach_agenda(title: str) -> list:
    """Returns mcp.types content blocks: text, embedded resource, resource link."""
    return [
        TextContent(type="text", text=f"Agenda for {title}"),
        EmbeddedResource(
            type="resource",
            resource=TextResourceContents(
                uri=f"agenda://{title}", mimeType="text/markdown", text=f"# {title}\n- intro"
            ),
        ),
        ResourceLink(type="resource_link", uri="agenda://latest", name="latest agenda"),
    ]


@mcp.resource("agenda://{title}", mime_type="text/markdown")
def agenda(title: str) -> str:
    return f"# {title}\n- intro"


@mcp.resource("agenda://{title}/attachment")
def agenda_attachment(title: str) -> bytes:
    """Bytes from a template."""
    return f"attachment of {title}".encode()


@mcp.prompt()
async def prepare(title: str, ctx: Context) -> UserMessage:
    """A prompt that takes a Context and returns a single message."""
    await ctx.info(f"preparing {title}")
    return UserMessage(f"Prepare the meeting {title!r}.")


@mcp.prompt()
def recap(title: str) -> list:
    """Mixed: a plain string, an assistant message and an embedded resource."""
    return [
        f"Recap {title}.",
        AssistantMessage("Here is the agenda:"),
        UserMessage(
            content=EmbeddedResource(
                type="resource",
                resource=TextResourceContents(uri=f"agenda://{title}", text=f"# {title}"),
            )
        ),
    ]


if __name__ == "__main__":
    mcp.run()
