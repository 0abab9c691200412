"""Fixtures shared by the pure-Python API tests (test doubles live in ferro_fakes.py)."""

from __future__ import annotations

from typing import Any

import pytest
from ferro_fakes import RecorderServer


@pytest.fixture(autouse=True)
def recorder_core(monkeypatch: pytest.MonkeyPatch) -> list[RecorderServer]:
    """Every FastMCP created in a test gets a RecorderServer as its engine."""
    from ferromcp import _core_bridge

    created: list[RecorderServer] = []

    def create(name: str, version: str, **options: Any) -> RecorderServer:
        server = RecorderServer(name, version, **options)
        created.append(server)
        return server

    monkeypatch.setattr(_core_bridge, "create_core_server", create)
    return created
