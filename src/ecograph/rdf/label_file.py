"""The labels of a persisted store, written beside it by the build, so that search starts at once.

Search matches in Python over every label of the graph (``serve/routes/search.py``). Reading
them from a persisted store costs what Oxigraph pays to decode each IRI and string from RocksDB:
about 4 s for the 190,000 labels of the benchmark's 1M triples, which the first search after a
start would wait for. The build reads them from its in-memory store in a fraction of that and
writes them, folded for matching, to ``<store>-labels.tsv`` next to the store folder; the server
reads that file (0.2–0.3 s at 1M) when it belongs to the store it opened, and asks the store
otherwise.

"Belongs": the file's first line carries the store folder's fingerprint (the names and sizes of
its data files and manifest, which opening the store read-only never changes); a store opened
for writing since, or replaced by another, no longer matches, and the file is ignored.

Format, UTF-8: ``# ecograph labels 1 <fingerprint>`` then one line per label,
``entity \\t language \\t text \\t folded text``, with ``\\``, tab and line breaks escaped.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Every label of the graph that search matches on.
LABELS_QUERY = """
SELECT ?entity ?label WHERE {
  VALUES ?property {
    rdfs:label skos:prefLabel skos:altLabel foaf:name schema:name dcterms:title eco:acronym
  }
  ?entity ?property ?label .
  FILTER (isIRI(?entity) && isLiteral(?label))
}
"""
_HEADER = "# ecograph labels 1 "
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def beside(store_dir: Path) -> Path:
    """Where the labels of the store at ``store_dir`` are written: ``<store_dir>-labels.tsv``."""
    return store_dir.with_name(store_dir.name + "-labels.tsv")


#: The files of a RocksDB folder that only a write changes (its data tables, its manifest and
#: the pointer to it); the info log and the lock change when a reader opens it.
_STATE_FILES = re.compile(r"^(\d+\.sst|CURRENT|MANIFEST-\d+|IDENTITY)$")


def fingerprint(store_dir: Path) -> str:
    """The names and sizes of the store folder's data files, hashed."""
    entries = sorted(
        f"{entry.name}\t{entry.stat().st_size}"
        for entry in os.scandir(store_dir)
        if entry.is_file(follow_symlinks=False) and _STATE_FILES.match(entry.name)
    )
    return hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()[:32]


def write(path: Path, store_dir: Path, labels: Iterable[tuple[str, str, str, str]]) -> None:
    """``(entity, language, text, folded)`` rows, for the store at ``store_dir``."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_HEADER + fingerprint(store_dir) + "\n")
        for row in labels:
            out.write("\t".join(value.translate(_ESCAPES) for value in row) + "\n")


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        out.append(_UNESCAPES.get(next(chars, ""), "") if char == "\\" else char)
    return "".join(out)


def read(store_dir: Path) -> Iterator[tuple[str, str, str, str]] | None:
    """The rows written for the store at ``store_dir``, or ``None`` when there is no file or
    it belongs to another state of the store."""
    path = beside(store_dir)
    try:
        handle = path.open(encoding="utf-8", newline="\n")
    except OSError:
        return None
    with handle:
        header = handle.readline().rstrip("\n")
        if not store_dir.is_dir() or header != _HEADER + fingerprint(store_dir):
            return None
        rows = handle.read().split("\n")

    def parsed() -> Iterator[tuple[str, str, str, str]]:
        for line in rows:
            parts = line.split("\t")
            if len(parts) != 4:
                continue
            if "\\" in line:
                parts = [_unescape(part) for part in parts]
            yield parts[0], parts[1], parts[2], parts[3]

    return parsed()
