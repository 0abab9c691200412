"""Helpers users import from `ferromcp.utilities` (as from `mcp.server.fastmcp.utilities`)."""
