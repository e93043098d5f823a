"""Content negotiation for the linked-data routes: one table, q-values, explicit overrides.

The SPARQL endpoint negotiates result formats of its own; this module covers documents about
things (entities, the ontology, the shapes, the dumps listing), where a URL may also name its
format outright by an extension (``/id/org/x.ttl``) or a ``format`` parameter, which then wins
over ``Accept`` so that a link can pin a representation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One representation a document can take."""

    key: str
    media_type: str
    extension: str
    rdflib_format: str | None
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """Textual types are UTF-8 everywhere in ecograph; say so rather than let clients guess."""
        return f"{self.media_type}; charset=utf-8"


JSONLD = Format("jsonld", "application/ld+json", "jsonld", "json-ld", ("json-ld",))
JSON = Format("json", "application/json", "json", "json-ld")
TURTLE = Format("ttl", "text/turtle", "ttl", "turtle", ("turtle",))
NTRIPLES = Format("nt", "application/n-triples", "nt", "nt", ("ntriples", "n-triples"))
HTML = Format("html", "text/html", "html", None)

#: In the server's order of preference: it breaks ties between equally acceptable formats, and
#: its first entry answers ``Accept: */*`` (what curl and most HTTP libraries send).
DOCUMENT_FORMATS: tuple[Format, ...] = (JSONLD, TURTLE, NTRIPLES, HTML, JSON)
#: Media types that ask for a format without being its own name.
_EXTRA_MEDIA_TYPES: dict[str, Format] = {
    "application/xhtml+xml": HTML,
    "application/x-turtle": TURTLE,
}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How closely this range names ``media_type``: 2 exactly, 1 by type, 0 by ``*/*``;
        -1 when it does not match at all."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped, not fatal,
    because a client with a sloppy header should still get something useful."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for entry in header.split(","):
        parts = [p.strip() for p in entry.split(";")]
        main, slash, sub = parts[0].lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
        ranges.append(MediaRange(main, sub, q))
    return ranges


def negotiate(accept: str | None, offered: Sequence[Format] = DOCUMENT_FORMATS) -> Format | None:
    """The offered format the client prefers, or ``None`` when it accepts none of them.

    For each format the most specific matching range sets its q (RFC 9110 §12.5.1); the highest
    q wins, then the more specific match (an exact ``text/html`` beats ``*/*``), then the
    server's order.
    """
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: Format | None = None
    candidates: list[tuple[str, Format]] = [(f.media_type, f) for f in offered]
    candidates += [(m, f) for m, f in _EXTRA_MEDIA_TYPES.items() if f in offered]
    for index, (media_type, fmt) in enumerate(candidates):
        matches = [(r.specificity(media_type), r.q) for r in ranges]
        matches = [m for m in matches if m[0] >= 0]
        if not matches:
            continue
        specificity, q = max(matches)
        if q <= 0:
            continue
        score = (q, specificity, -index)
        if best is None or score > best:
            best, chosen = score, fmt
    return chosen


def by_name(name: str, offered: Sequence[Format] = DOCUMENT_FORMATS) -> Format | None:
    """The format a ``format=`` value or an extension names: a key, an alias or a media type."""
    wanted = name.strip().lower()
    for fmt in offered:
        if wanted in {fmt.key, fmt.extension, fmt.media_type, *fmt.aliases}:
            return fmt
    extra = _EXTRA_MEDIA_TYPES.get(wanted)
    return extra if extra in offered else None


def split_extension(
    name: str, offered: Sequence[Format] = DOCUMENT_FORMATS
) -> tuple[str, Format | None]:
    """``("x", TURTLE)`` for ``"x.ttl"``; ``("x", None)`` when no known extension ends it."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem:
        for fmt in offered:
            if extension == fmt.extension:
                return stem, fmt
    return name, None


def wants_html(accept: str | None) -> bool:
    """Whether an error body should be a page: browsers say so, API clients do not."""
    return negotiate(accept, (JSON, HTML)) is HTML
