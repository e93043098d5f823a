"""``ecograph mentions`` and ``ecograph add-source``: what the command line calls.

``mentions`` reads a text (a file, or a source of the graph) and the graph's names;
``add-source`` checks everything first — the text, the facts given, that no source has these
bytes already, that no file it would write exists — and only then writes the text, the
description and the new article together (:func:`ecograph.curate.writing.write_together`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ecograph.curate.article import render
from ecograph.curate.graph import graph_names, project_store, source_text
from ecograph.curate.mentions import Mention, NameTable, Unknown, find_mentions, unknown_names
from ecograph.curate.sources import (
    SOURCES_FILE,
    NewSource,
    SourceFacts,
    check_facts,
    describe,
    files_numbered,
    known_checksums,
    next_number,
    slugify,
    with_prefixes,
)
from ecograph.curate.writing import write_together
from ecograph.errors import InputError, SourceLocation
from ecograph.settings import Settings


@dataclass(frozen=True)
class Found:
    """What ``mentions`` found in one text."""

    path: Path
    mentions: list[Mention]
    unknowns: list[Unknown]

    def as_json(self) -> str:
        return json.dumps(
            {
                "text": str(self.path),
                "positions": "Unicode code points, end exclusive",
                "mentions": [asdict(m) for m in self.mentions],
                "unknown": [asdict(u) for u in self.unknowns],
            },
            indent=2,
            ensure_ascii=False,
        )

    def as_table(self) -> str:
        rows = [("start", "end", "kind", "iri", "text")]
        rows += [(str(m.start), str(m.end), m.kind, m.iri, m.text) for m in self.mentions]
        lines = [f"{len(self.mentions)} mentions of the graph's entities in {self.path}", ""]
        lines += _table(rows)
        lines += ["", f"{len(self.unknowns)} names the graph does not hold yet", ""]
        lines += _table(
            [("start", "end", "why", "text")]
            + [(str(u.start), str(u.end), u.why, u.text) for u in self.unknowns]
        )
        return "\n".join(lines)


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


def find_in(text: str, table: NameTable) -> tuple[list[Mention], list[Unknown]]:
    mentions = find_mentions(text, table)
    return mentions, unknown_names(text, mentions)


def mentions(settings: Settings, source: str) -> Found:
    """The entities that ``source`` (a file or a source of the graph) names, and the rest."""
    store = project_store(settings)
    path, text = source_text(settings, store, source)
    found, unknowns = find_in(text, NameTable(graph_names(store)))
    return Found(path, found, unknowns)


@dataclass(frozen=True)
class Added:
    source: NewSource
    written: list[Path]
    found: Found


def _read_new_text(path: Path) -> tuple[bytes, str]:
    if not path.is_file():
        raise InputError(SourceLocation(path), "no such file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            SourceLocation(path), f"not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    if not text.strip():
        raise InputError(SourceLocation(path), "the text is empty")
    return data, text


def add_source(
    settings: Settings,
    path: Path,
    facts: SourceFacts,
    *,
    slug: str | None = None,
    number: str | None = None,
) -> Added:
    """Copy the text among the sources, describe it and start its article; all or nothing."""
    root = settings.root
    check_facts(facts, path)
    data, text = _read_new_text(path)
    digest = hashlib.sha256(data).hexdigest()
    where = known_checksums(root).get(digest)
    if where is not None:
        raise InputError(
            SourceLocation(path), f"this text is already a source (same SHA-256 as {where})"
        )
    if number is None:
        number = next_number(root)
    else:
        taken = files_numbered(root, number)
        if taken:
            raise InputError(
                SourceLocation(taken[0]), f"already exists: NNN {number} is taken; nothing written"
            )
    new = NewSource(number, digest, slugify(slug or facts.title))
    for target in (new.text_path, new.article_path):
        if (root / target).exists():
            raise InputError(SourceLocation(root / target), "already exists: nothing written")
    sources_file = root / SOURCES_FILE
    if not sources_file.is_file():
        raise InputError(SourceLocation(sources_file), "no such file: not an ecograph project?")

    store = project_store(settings)
    found, unknowns = find_in(text, NameTable(graph_names(store)))
    described = with_prefixes(sources_file.read_text("utf-8")).rstrip("\n") + "\n"
    described += describe(new, facts, path.name)
    article = render(new, facts, text, found, unknowns)
    files = {
        root / new.text_path: data,
        sources_file: described.encode("utf-8"),
        root / new.article_path: article.encode("utf-8"),
    }
    write_together(files)
    return Added(new, list(files), Found(root / new.text_path, found, unknowns))
