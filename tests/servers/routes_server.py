"""Plain HTTP routes next to MCP, the way SDK v1 servers add health checks and webhooks."""

from mcp.server.fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

mcp = FastMCP("routes")


@mcp.tool()
def ping_tool() -> str:
    """A tool, so the server is a real MCP server too"""
    return "pong"


@mcp.custom_route("/healthz", methods=["GET"])
async def healthz(request: Request) -> Response:
    return PlainTextResponse("OK")


@mcp.custom_route("/echo", methods=["POST"])
async def echo(request: Request) -> Response:
    payload = await request.json()
    return JSONResponse(
        {
            "got": payload,
            "tenant": request.headers.get("x-tenant"),
            "q": request.query_params.get("q"),
            "method": request.method,
        },
        status_code=201,
        headers={"x-handled-by": "echo"},
    )


@mcp.custom_route("/boom", methods=["GET"])
async def boom(request: Request) -> Response:
    raise RuntimeError("route failed")


if __name__ == "__main__":
    mcp.run()
