"""examples/demo_client.py (what scripts/demo.sh runs) against the example server: it
exits 0 when every answer is the expected one, and 1, naming the mismatch, when not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from stdio_harness import child_env

pytestmark = pytest.mark.timeout(120)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEMO = EXAMPLES / "demo_client.py"
SERVER = EXAMPLES / "weather_server.py"


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DEMO), *args],
        cwd=EXAMPLES,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=100,
    )


def test_demo_passes_against_the_example_server():
    done = run_demo()
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "MISMATCH" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("connected to weather ")
    assert 'add({"a": 2, "b": 3}) -> ok: {"result": 5}' in lines
    assert "weather://paris/current -> paris: 14.5 C" in lines
    assert lines[-1] == "all answers as expected"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    source = SERVER.read_text()
    assert old in source
    path = tmp_path / "weather_server.py"
    path.write_text(source.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    "old, new, mismatch",
    [
        ("return a + b", "return a + b + 1", 'MISMATCH add({"a": 2, "b": 3}): got {\'result\': 6}'),
        ('f"{city}: {', 'f"{city} = {', "MISMATCH weather://paris/current: got 'paris = 14.5 C'"),
        ("Plan a {days}-day", "Plan {days} days of", "MISMATCH plan_trip: got 'Plan 3 days of"),
        ('await ctx.info(f"looking up {city}")', "pass", "MISMATCH survey logs: got []"),
        ("@mcp.prompt()", "@mcp.prompt(name='trip')", "MISMATCH prompts: got ['trip']"),
    ],
    ids=["tool", "resource", "prompt", "log", "prompt name"],
)
def test_demo_fails_on_a_wrong_answer(tmp_path, old, new, mismatch):
    done = run_demo(str(variant(tmp_path, old, new)))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert mismatch in done.stderr, done.stderr
    assert "FAILED: " in done.stderr
    assert "all answers as expected" not in done.stdout


def test_demo_fails_when_the_server_does_not_answer(tmp_path):
    done = run_demo(str(variant(tmp_path, "mcp.run(", "raise SystemExit(3) or mcp.run(")))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "FAILED: " in done.stderr
