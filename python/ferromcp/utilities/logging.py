"""Logging helpers, importable as from `mcp.server.fastmcp.utilities.logging`.

Servers call `configure_logging(level)` and `get_logger(__name__)` at import time. Log
records go to stderr; on stdio the protocol stream is never touched.
"""

from __future__ import annotations

import logging

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal


def get_logger(name: str) -> logging.Logger:
    """The standard library logger called `name`."""
    return logging.getLogger(name)


def configure_logging(
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO",
) -> None:
    """Root logging to stderr at `level` (the same set-up FastMCP() makes)."""
    logging.basicConfig(level=level, format="%(message)s", handlers=[logging.StreamHandler()])


__all__ = ["configure_logging", "get_logger"]
