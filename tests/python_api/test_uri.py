"""Resource URIs are stored as pydantic's AnyUrl spells them; common ones without pydantic."""

from __future__ import annotations

import importlib

import pytest

pydantic = importlib.import_module("pydantic")

from ferromcp._uri import is_unchanged_by_normalisation, normalize_uri  # noqa: E402

URIS = [
    "resource://my-resource",
    "config://app",
    "test://static-text",
    "users://Alice/profile",
    "memo://insights",
    "res://x?y=1&z=2",
    "res://x/a/b/c.txt",
    "dir://",
    "foo://bar/",
    "a://b/~/x_y-z.(1)",
    "a://b!$&'()*+,;=/p",
    "x:y",
    "urn:isbn:123",
    "mailto:a@b.c",
    "file:///tmp/x.txt",
    "file://host/x",
    "http://example.com",
    "HTTP://Example.COM/A?b#c",
    "https://example.com:443",
    "http://example.com:80/",
    "res://h:80/p",
    "weird://ä/é",
    "a://b/../c",
    "a://b/./c",
    "a://b/%7e",
    "a://B@C",
    "a://[::1]/x",
    'a://b"c',
    "RES://upper",
    "res://x#frag",
    "data://a b",
    "noscheme",
    "",
    "a b://x",
    "a://b\\c",
]


@pytest.mark.parametrize("uri", URIS)
def test_normalisation_matches_anyurl(uri: str) -> None:
    from typing import Annotated

    from pydantic import AnyUrl, TypeAdapter, UrlConstraints

    adapter = TypeAdapter(Annotated[AnyUrl, UrlConstraints(host_required=False)])
    try:
        expected = str(adapter.validate_python(uri))
    except ValueError:
        with pytest.raises(ValueError):
            normalize_uri(uri)
        return
    assert normalize_uri(uri) == expected


@pytest.mark.parametrize(
    "uri", ["resource://greeting", "users://42/profile", "config://app", "res://a?b=c"]
)
def test_common_uris_need_no_pydantic(uri: str) -> None:
    assert is_unchanged_by_normalisation(uri)
