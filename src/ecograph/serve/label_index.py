"""The label index: every entity's names, folded for matching, read once per app.

Search and reconciliation share it; the pages ask it for names. On a store that cannot change
(the embedded one) it is read once, from the label file the build wrote beside the store when
that file belongs to this store, else from the store itself. Behind a remote endpoint, which may
change, it is read again on the first use after ``max_age`` seconds (the settings'
``cache_max_age``, as for the other values the server keeps: ``serve/views/kept.py``).
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rdflib import Literal, URIRef

from ecograph.errors import ParameterError
from ecograph.rdf import label_file
from ecograph.rdf.text import collapse
from ecograph.store.backend import Backend
from ecograph.store.results import SelectResult

MAX_LIMIT = 100
INDEX_MAX_ROWS = 1_000_000
LABELS_QUERY = label_file.LABELS_QUERY
KINDS_QUERY = """
SELECT ?entity ?kind WHERE {
  VALUES ?entity { %s }
  ?entity a ?kind .
  FILTER (STRSTARTS(STR(?kind), STR(eco:)))
  FILTER NOT EXISTS {
    ?entity a ?narrower . ?narrower rdfs:subClassOf+ ?kind . FILTER (?narrower != ?kind)
  }
}
"""


class Label(NamedTuple):
    """One label of an entity, with its folded form (``key``). A tuple: 190,000 are made at
    once at 1M triples, three times faster than frozen dataclasses."""

    entity: str
    text: str
    language: str
    key: str


@dataclass(frozen=True)
class Hit:
    entity: str
    rank: int
    label: Label


def _rank(key: str, query: str, words: list[str]) -> int | None:
    """0 exact, 1 prefix, 2 a word starts with it, 3 contains it, 4 contains all its words."""
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if f" {query}" in f" {key}":
        return 2
    if query in key:
        return 3
    if len(words) > 1 and all(w in key for w in words):
        return 4
    return None


def _labels_beside(store_dir: Path) -> tuple[Label, ...] | None:
    """The labels the build wrote beside the store (:mod:`ecograph.rdf.label_file`), if they
    are that store's."""
    rows = label_file.read(store_dir)
    if rows is None:
        return None
    return tuple(Label(entity, text, language, key) for entity, language, text, key in rows)


def _tables(
    labels: tuple[Label, ...],
) -> tuple[dict[str, dict[str, str]], str, list[int]]:
    """The names by entity and language (the first seen of each), every key one a line, and
    where each key starts in that text."""
    names: dict[str, dict[str, str]] = {}
    for label in labels:
        names.setdefault(label.entity, {}).setdefault(label.language, label.text)
    keys = "\n".join(label.key for label in labels) + "\n"
    starts = list(itertools.accumulate((len(label.key) + 1 for label in labels), initial=0))
    return names, keys, starts


class LabelIndex:
    """Every label of the graph, normalised; loaded on first use."""

    def __init__(
        self, backend: Backend, store_dir: Path | None = None, max_age: float = 3600.0
    ) -> None:
        self._backend = backend
        self._store_dir = store_dir
        self._max_age = max_age
        self._labels: tuple[Label, ...] | None = None
        self._read_at = 0.0
        self._names: dict[str, dict[str, str]] = {}
        self._lock = asyncio.Lock()
        # Every key, one a line, and where each starts: a search scans this one string in C
        # instead of 190,000 objects in Python (at 1M triples: ~10 ms instead of ~70).
        self._keys = ""
        self._starts: list[int] = []

    def _stale(self) -> bool:
        if self._labels is None:
            return True
        return not self._backend.immutable and time.monotonic() - self._read_at >= self._max_age

    async def labels(self) -> tuple[Label, ...]:
        async with self._lock:
            if self._stale():
                labels = await self._read()
                # a few tenths of a second at 1M: off the event loop, which serves meanwhile
                tables = await asyncio.to_thread(_tables, labels)
                # all at once: a search reads the labels and the tables in one turn of the loop
                self._labels, (self._names, self._keys, self._starts) = labels, tables
                self._read_at = time.monotonic()
            assert self._labels is not None
            return self._labels

    async def _read(self) -> tuple[Label, ...]:
        if self._store_dir is not None:
            beside = await asyncio.to_thread(_labels_beside, self._store_dir)
            if beside is not None:
                return beside
        result = await self._backend.query(LABELS_QUERY, max_rows=INDEX_MAX_ROWS)
        rows = result.rows if isinstance(result, SelectResult) else ()
        return tuple(
            Label(str(e), str(t), t.language or "", collapse(str(t)))
            for row in rows
            if isinstance(e := row.get("entity"), URIRef)
            and isinstance(t := row.get("label"), Literal)
        )

    def _containing(self, labels: tuple[Label, ...], probe: str) -> Iterator[Label]:
        """The labels whose key contains ``probe`` (which holds no line break), in order."""
        last = -1
        for match in re.finditer(re.escape(probe), self._keys):
            index = bisect.bisect_right(self._starts, match.start()) - 1
            if index != last:
                last = index
                yield labels[index]

    async def search(self, text: str, limit: int) -> list[Hit]:
        query = collapse(text)
        if not query:
            raise ParameterError("parameter 'q' needs at least one letter or digit")
        words = query.split()
        # Every rank needs the first word in the key: only the labels that contain it are
        # ranked, found by a scan of all the keys at once.
        labels = await self.labels()
        best: dict[str, Hit] = {}
        for label in self._containing(labels, words[0]):
            rank = _rank(label.key, query, words)
            if rank is None:
                continue
            current = best.get(label.entity)
            if current is None or (rank, len(label.key)) < (current.rank, len(current.label.key)):
                best[label.entity] = Hit(label.entity, rank, label)
        hits = sorted(best.values(), key=lambda h: (h.rank, len(h.label.key), h.label.key))
        return hits[:limit]

    async def names(self, entity: str) -> dict[str, str]:
        """The entity's labels by language (the first seen for each)."""
        await self.labels()
        return self._names.get(entity, {})
