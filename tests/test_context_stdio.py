"""Context members over real stdio with the official client, under both flavours
(tests/servers/session_server.py): `ctx.client_id` and `ctx.request_context.meta` from the
`_meta` a client sends on tools/call, list-changed notifications sent through
`ctx.session`, and prompt icons in prompts/list."""

from __future__ import annotations

import json

import pytest
from stdio_harness import FLAVOURS, connect, per_flavour

pytestmark = pytest.mark.timeout(60)

META = {"client_id": "client-7", "progressToken": "tok-1", "trace": {"span": 3}}


@pytest.fixture(scope="module")
def seen(server_path) -> dict[str, dict]:
    """flavour -> what the official client got for each step."""

    async def run(flavour: str) -> dict:
        got: dict = {}
        async with connect(server_path("session_server", flavour)) as conn:
            session = conn.session
            got["client_id"] = await session.call_tool("client_id", {}, meta={"client_id": "c-42"})
            got["client_id: no meta"] = await session.call_tool("client_id", {})
            got["meta"] = await session.call_tool("request_meta", {}, meta=META)
            got["meta: none"] = await session.call_tool("request_meta", {})
            start = len(conn.messages)
            got["announce"] = await session.call_tool("announce_list_changes", {})
            await conn.wait_until(lambda: len(conn.notifications()) >= 2)
            got["announced"] = [
                {k: v for k, v in m.items() if k != "jsonrpc"}
                for m in conn.messages[start:]
                if "method" in m
            ]
            got["prompts"] = await session.list_prompts()
            got["prompts: wire"] = next(
                m["result"]["prompts"]
                for m in reversed(conn.messages)
                if "prompts" in m.get("result", {})
            )
            got["client_errors"] = list(conn.client_errors)
        return got

    return per_flavour(run)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_client_id_comes_from_meta(seen, flavour):
    assert seen[flavour]["client_id"].structuredContent == {"result": "client_id='c-42'"}
    assert seen[flavour]["client_id: no meta"].structuredContent == {"result": "client_id=None"}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_request_meta_shows_what_the_client_sent(seen, flavour):
    # A plain `dict` return is unstructured: JSON text.
    assert json.loads(seen[flavour]["meta"].content[0].text) == META
    assert seen[flavour]["meta"].isError is False
    # Without `_meta` the official client sends none, and the tool sees None.
    assert json.loads(seen[flavour]["meta: none"].content[0].text) == {"meta": None}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_list_changed_notifications_reach_the_client(seen, flavour):
    assert seen[flavour]["announce"].structuredContent == {"result": "announced"}
    assert seen[flavour]["announced"] == [
        {"method": "notifications/resources/list_changed"},
        {"method": "notifications/prompts/list_changed"},
    ]
    assert seen[flavour]["client_errors"] == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_prompt_icons_are_listed(seen, flavour):
    prompts = {p.name: p for p in seen[flavour]["prompts"].prompts}
    icons = prompts["iconic"].icons
    assert [(i.src, i.mimeType, i.sizes) for i in icons] == [
        ("https://example.com/prompt.png", "image/png", ["48x48"]),
        ("data:image/svg+xml;base64,PHN2Zy8+", "image/svg+xml", None),
    ]
    assert prompts["plain"].icons is None
    wire = {p["name"]: p for p in seen[flavour]["prompts: wire"]}
    assert wire["iconic"]["icons"] == [
        {"src": "https://example.com/prompt.png", "mimeType": "image/png", "sizes": ["48x48"]},
        {"src": "data:image/svg+xml;base64,PHN2Zy8+", "mimeType": "image/svg+xml"},
    ]
    assert "icons" not in wire["plain"]


def test_flavours_agree(seen):
    def wire(got: dict) -> dict:
        return {
            key: value.model_dump(mode="json") if hasattr(value, "model_dump") else value
            for key, value in got.items()
        }

    assert wire(seen["ferromcp"]) == wire(seen["sdk"])
