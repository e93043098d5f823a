"""Content negotiation as a table: q-values, specificity, wildcards, explicit names."""

from __future__ import annotations

import pytest

from ecograph.serve.negotiation import (
    HTML,
    JSON,
    JSONLD,
    NTRIPLES,
    TURTLE,
    by_name,
    negotiate,
    parse_accept,
    split_extension,
    wants_html,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSONLD),
        ("", JSONLD),
        ("*/*", JSONLD),
        ("application/ld+json", JSONLD),
        ("text/turtle", TURTLE),
        ("application/n-triples", NTRIPLES),
        ("text/html", HTML),
        ("application/xhtml+xml", HTML),
        ("application/json", JSON),
        (BROWSER, HTML),
        ("text/turtle;q=0.5, application/n-triples;q=0.9", NTRIPLES),
        ("text/*;q=0.9, application/ld+json;q=0.1", TURTLE),
        ("text/*", TURTLE),  # equal q: the server's order decides between text/ types
        ("application/ld+json;q=0, */*;q=0.1", TURTLE),
        ("TEXT/Turtle", TURTLE),
        ("text/turtle;charset=utf-8;q=0.8, text/html;q=0.7", TURTLE),
        ("garbage, text/html", HTML),
        ("text/html;q=oops, text/turtle;q=0.5", TURTLE),
    ],
)
def test_negotiate(accept: str | None, expected: object) -> None:
    assert negotiate(accept) is expected


@pytest.mark.parametrize("accept", ["image/png", "application/ld+json;q=0", "text/csv"])
def test_nothing_acceptable(accept: str) -> None:
    assert negotiate(accept) is None


def test_exact_match_beats_wildcard_at_equal_q() -> None:
    assert negotiate("*/*, text/html") is HTML


def test_specific_range_sets_the_q() -> None:
    # text/html is refused outright even though text/* would take it
    assert negotiate("text/*;q=1, text/html;q=0", (HTML, TURTLE)) is TURTLE


def test_parse_accept_clamps_q() -> None:
    ranges = parse_accept("text/html;q=7, text/plain;q=-1")
    assert [r.q for r in ranges] == [1.0, 0.0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ttl", TURTLE), ("turtle", TURTLE), ("text/turtle", TURTLE), ("JSONLD", JSONLD),
     ("json-ld", JSONLD), ("nt", NTRIPLES), ("html", HTML), ("json", JSON), ("xml", None)],
)  # fmt: skip
def test_by_name(name: str, expected: object) -> None:
    assert by_name(name) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("kilometro-rosso.ttl", ("kilometro-rosso", TURTLE)),
     ("kilometro-rosso.jsonld", ("kilometro-rosso", JSONLD)),
     ("kilometro-rosso", ("kilometro-rosso", None)),
     ("x.y.nt", ("x.y", NTRIPLES)),
     ("kilometro-rosso.exe", ("kilometro-rosso.exe", None)),
     (".ttl", (".ttl", None))],
)  # fmt: skip
def test_split_extension(name: str, expected: tuple[str, object]) -> None:
    assert split_extension(name) == expected


def test_wants_html() -> None:
    assert wants_html(BROWSER)
    assert not wants_html("*/*")
    assert not wants_html(None)
    assert not wants_html("application/json")
