"""Shared fixtures for the stdio end-to-end suites (see stdio_harness.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from stdio_harness import RawServer, server_script


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    # The official client runs on anyio; asyncio is what users run it on.
    return "asyncio"


@pytest.fixture(scope="session")
def rewritten_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the ferromcp flavour of each server file is written (once per run)."""
    return tmp_path_factory.mktemp("ferromcp_servers")


@pytest.fixture(scope="session")
def server_path(rewritten_dir: Path) -> Callable[[str, str], Path]:
    """server_path("tools_server", "ferromcp") -> runnable file of that flavour."""

    def make(name: str, flavour: str = "ferromcp") -> Path:
        return server_script(name, flavour, rewritten_dir)

    return make


@pytest.fixture
def raw_server(server_path: Callable[[str, str], Path]) -> Iterator[Callable[..., RawServer]]:
    """Start ferromcp-flavour servers as plain subprocesses; all are stopped afterwards."""
    started: list[RawServer] = []

    def start(name: str = "tools_server", flavour: str = "ferromcp") -> RawServer:
        server = RawServer(server_path(name, flavour))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
