"""Resources and prompts that raise, over real stdio: the JSON-RPC error each flavour puts
on the wire (tests/servers/errors_server.py run by the official SDK v1 and by ferromcp).

v1 answers every handler failure with code 0 and the exception's text (wrapped by its
resource/prompt layers); ferromcp answers -32603 (internal error) with the same text."""

from __future__ import annotations

from typing import Any

import pytest
from stdio_harness import FLAVOURS, connect, per_flavour

pytestmark = pytest.mark.timeout(60)

CASES: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "ResourceError",
        "resources/read",
        {"uri": "errors://resource-error"},
        "Error reading resource errors://resource-error: disk unplugged",
    ),
    (
        "async resource, RuntimeError",
        "resources/read",
        {"uri": "errors://runtime-error"},
        "Error reading resource errors://runtime-error: sensor offline",
    ),
    (
        "template function, KeyError",
        "resources/read",
        {"uri": "errors://items/nope"},
        # v1 wraps twice (ResourceTemplate.create_resource, then the resource manager).
        "Error creating resource from template: Error creating resource from template: 'nope'",
    ),
    (
        "prompt, ValueError",
        "prompts/get",
        {"name": "broken_prompt", "arguments": {"topic": "tides"}},
        "Error rendering prompt broken_prompt: cannot render tides",
    ),
    (
        "async prompt, RuntimeError",
        "prompts/get",
        {"name": "async_broken_prompt"},
        "Error rendering prompt async_broken_prompt: template store down",
    ),
]
EXPECTED_CODE = {"sdk": 0, "ferromcp": -32603}


@pytest.fixture(scope="module")
def replies(server_path) -> dict[str, dict[str, dict[str, Any]]]:
    """flavour -> case label -> the wire reply, plus "after" -> a working read afterwards."""

    async def run(flavour: str) -> dict[str, dict[str, Any]]:
        async with connect(server_path("errors_server", flavour)) as conn:
            got: dict[str, dict[str, Any]] = {}
            for label, method, params, _ in CASES:
                got[label] = await conn.wait_response(await conn.send_request(method, params))
            rid = await conn.send_request("resources/read", {"uri": "errors://items/ok"})
            got["after"] = await conn.wait_response(rid)
            assert conn.client_errors == []
            return got

    return per_flavour(run)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("label, method, params, message", CASES, ids=[c[0] for c in CASES])
def test_handler_error_on_the_wire(replies, flavour, label, method, params, message):
    reply = replies[flavour][label]
    assert "result" not in reply, reply
    assert isinstance(reply["id"], str) and reply["id"].startswith("raw-"), reply
    assert reply["error"]["code"] == EXPECTED_CODE[flavour], reply
    assert reply["error"]["message"] == message, reply


@pytest.mark.parametrize("label", [c[0] for c in CASES])
def test_ferromcp_text_is_v1_text(replies, label):
    ours, sdk = replies["ferromcp"][label]["error"], replies["sdk"][label]["error"]
    assert ours["message"] == sdk["message"]
    assert ours.get("data") == sdk.get("data")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_session_survives_the_failures(replies, flavour):
    result = replies[flavour]["after"]["result"]
    assert result["contents"] == [
        {"uri": "errors://items/ok", "mimeType": "text/plain", "text": "fine"}
    ]
