"""A prompt library server in the README's style (`from ... prompts import base`)."""

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.prompts import base
from mcp.types import ImageContent, TextContent

mcp = FastMCP(name="prompt-library", instructions="Prompts for code review and debugging.")


@mcp.prompt()
def review_code(code: str) -> str:
    """Ask for a code review."""
    return f"Please review this code:\n\n{code}"


@mcp.prompt(title="Debug Assistant")
def debug_error(error: str) -> list[base.Message]:
    return [
        base.UserMessage("I'm seeing this error:"),
        base.UserMessage(error),
        base.AssistantMessage("I'll help debug that. What have you tried so far?"),
    ]


@mcp.prompt(name="translate", title="Translator", description="Translate text to a language")
def translate_prompt(text: str, language: str = "French", formal: bool = False) -> str:
    tone = "formal" if formal else "casual"
    return f"Translate into {language} ({tone}): {text}"


@mcp.prompt()
async def plan_trip(destination: str, days: int = 3) -> list[dict]:
    """An async prompt returning role/content dicts."""
    return [
        {
            "role": "user",
            "content": {"type": "text", "text": f"Plan {days} days in {destination}."},
        },
        {"role": "assistant", "content": {"type": "text", "text": "Happy to help. Budget?"}},
    ]


@mcp.prompt()
def describe_image() -> list[base.Message]:
    """A prompt with an image and a text block (no arguments)."""
    pixel = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4"
        "nGMQaPgAAAIkAYFvkeRkAAAAAElFTkSuQmCC"
    )
    return [
        base.UserMessage(content=ImageContent(type="image", data=pixel, mimeType="image/png")),
        base.UserMessage(content=TextContent(type="text", text="What colour is this pixel?")),
    ]


@mcp.prompt()
def broken_prompt(topic: str) -> str:
    """Raises while rendering."""
    raise ValueError(f"cannot render {topic}")


if __name__ == "__main__":
    mcp.run()
