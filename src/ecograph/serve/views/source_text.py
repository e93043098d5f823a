"""The source texts as the pages show them: a quote in its sentence, a span of the text marked.

The texts are files of the repository (``eco:localFile``, relative to the project folder), read
once and kept while unchanged. A page shows a quote in its sentence only where the text at the
quote's position selector still is the quote: a text edited since the build is never used to
put words around a quote that it no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ecograph.rdf.anchoring import sentence_around
from ecograph.settings import Settings


@dataclass(frozen=True)
class Passage:
    """The words around a quote, the quote, and where it is in the text."""

    before: str
    quote: str
    after: str
    start: int
    end: int


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_text(settings: Settings, local: str) -> str | None:
    """The text of a source's ``eco:localFile``, or ``None`` where there is none to read."""
    path = settings.source_path(local)
    if path is None or not path.is_file():
        return None
    return _read(path, path.stat().st_mtime_ns)


def passage(text: str, start: int, end: int, quote: str) -> Passage | None:
    """The sentence holding ``text[start:end]``, cut around it; ``None`` if that is not the
    quote (the text changed, or the selector is wrong: the build reports it)."""
    if not 0 <= start < end <= len(text) or text[start:end] != quote:
        return None
    left, right = sentence_around(text, start, end)
    return Passage(text[left:start], quote, text[end:right], start, end)


def span(value: str | None, length: int) -> tuple[int, int] | None:
    """An RFC 5147 ``char=start,end`` range (``start,end`` given as the query's value),
    checked against a text of ``length`` code points."""
    if not value:
        return None
    value = value.removeprefix("char=")
    first, _, second = value.partition(",")
    if not (first.isdigit() and second.isdigit()):
        return None
    start, end = int(first), int(second)
    return (start, end) if start < end <= length else None
