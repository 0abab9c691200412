"""Resources under URL schemes that normalisation changes (file, http, https).

A pattern seen in the wild: `@mcp.resource("file://notes.txt")`. The SDK keys resources by
the normalised URL (`file://notes.txt/`), lists that spelling, and normalises each request
the same way, so reading the URI exactly as the decorator spells it works too.
"""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP(name="links")


@mcp.resource("file://notes.txt", mime_type="text/plain")
def notes() -> str:
    """Notes kept in a file."""
    return "buy milk"


@mcp.resource("https://Example.COM:443/docs")
def docs() -> str:
    return "the docs"


@mcp.resource("https://example.com/users/{user_id}")
def user(user_id: int) -> dict:
    return {"id": user_id, "name": f"user {user_id}"}


if __name__ == "__main__":
    mcp.run()
