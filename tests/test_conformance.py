"""The official MCP conformance suite against ferromcp over Streamable HTTP.

Runs scripts/conformance.sh with this interpreter serving
tests/conformance/everything_server.py (flavour ferromcp), once per spec version the script
covers, and asserts that the suite ran and no check failed. Node 22 and the pinned suite
are installed under .ci/cache/ on first use (scripts/node_tools.sh), then reused offline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "conformance.sh"


def spec_versions() -> list[str]:
    """The versions scripts/conformance.sh runs by default (one source of truth)."""
    match = re.search(r"^DEFAULT_SPEC_VERSIONS=\(([^)]*)\)", SCRIPT.read_text(), re.MULTILINE)
    assert match, "DEFAULT_SPEC_VERSIONS not found in scripts/conformance.sh"
    return match.group(1).split()


@pytest.mark.timeout(900)
@pytest.mark.parametrize("spec_version", spec_versions())
def test_conformance_suite_passes(spec_version: str) -> None:
    proc = subprocess.run(
        [
            "bash",
            str(SCRIPT),
            "--flavour",
            "ferromcp",
            "--python",
            sys.executable,
            "--spec-version",
            spec_version,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=880,
    )
    output = proc.stdout + proc.stderr
    print(output)  # the result lines, shown by pytest when the test fails
    total = re.search(
        rf"\[ferromcp {re.escape(spec_version)}\] Total: (\d+) passed, (\d+) failed", output
    )
    assert total is not None, f"the suite printed no total:\n{output[-4000:]}"
    passed, failed = int(total.group(1)), int(total.group(2))
    assert failed == 0, f"{failed} conformance check(s) failed:\n{output[-6000:]}"
    assert passed > 0
    assert proc.returncode == 0, output[-4000:]
