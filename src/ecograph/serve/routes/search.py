"""``/api/search?q=``: entities by label, in any language, accents and case ignored.

Matching happens in Python over an index of every label, read once from the backend (the graph
is read-only while the server runs): both sides are normalised with NFKD, combining marks
dropped, and casefolded, so "universita" finds "Università" and "STRASSE" finds "Straße". SPARQL
has no accent folding, and REGEX over the whole graph on every keystroke would cost far more
than a scan of a few thousand labels.
"""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from rdflib import Literal, URIRef

from ecograph.errors import ParameterError
from ecograph.rdf.terms import ntriples
from ecograph.serve.dependencies import BackendDep
from ecograph.store.backend import Backend, SelectResult

router = APIRouter(tags=["search"])

MAX_LIMIT = 100
INDEX_MAX_ROWS = 1_000_000
LABELS_QUERY = """
SELECT ?entity ?label WHERE {
  VALUES ?property {
    rdfs:label skos:prefLabel skos:altLabel foaf:name schema:name dcterms:title eco:acronym
  }
  ?entity ?property ?label .
  FILTER (isIRI(?entity) && isLiteral(?label))
}
"""
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


def normalise(text: str) -> str:
    """Accent- and case-insensitive form: NFKD, combining marks dropped, casefolded, spaces
    collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class Label:
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


class LabelIndex:
    """Every label of the graph, normalised; loaded on first use."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._labels: tuple[Label, ...] | None = None
        self._names: dict[str, dict[str, str]] = {}
        self._lock = asyncio.Lock()

    async def labels(self) -> tuple[Label, ...]:
        async with self._lock:
            if self._labels is None:
                result = await self._backend.query(LABELS_QUERY, max_rows=INDEX_MAX_ROWS)
                rows = result.rows if isinstance(result, SelectResult) else ()
                self._labels = tuple(
                    Label(str(e), str(t), t.language or "", normalise(str(t)))
                    for row in rows
                    if isinstance(e := row.get("entity"), URIRef)
                    and isinstance(t := row.get("label"), Literal)
                )
                for label in self._labels:
                    self._names.setdefault(label.entity, {}).setdefault(label.language, label.text)
        return self._labels

    async def search(self, text: str, limit: int) -> list[Hit]:
        query = normalise(text)
        if not query:
            raise ParameterError("parameter 'q' needs at least one letter or digit")
        words = query.split()
        best: dict[str, Hit] = {}
        for label in await self.labels():
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


def _index(request: Request, backend: Backend) -> LabelIndex:
    index = getattr(request.app.state, "label_index", None)
    if not isinstance(index, LabelIndex):
        index = request.app.state.label_index = LabelIndex(backend)
    return index


@router.get("/api/search", summary="Find entities by label")
async def search(
    request: Request,
    backend: BackendDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="text to find")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="most results")] = 20,
    lang: Annotated[str, Query(max_length=20, description="preferred label language")] = "en",
) -> dict[str, Any]:
    """Entities whose label (``rdfs:label``, ``skos:prefLabel``/``altLabel``, names, titles,
    acronyms) contains ``q``, in any language, ignoring accents and case; best matches first
    (exact, then prefix, then word start, then anywhere)."""
    index = _index(request, backend)
    hits = await index.search(q, limit)
    kinds: dict[str, list[str]] = {h.entity: [] for h in hits}
    if hits:
        values = " ".join(ntriples(URIRef(h.entity)) for h in hits)
        result = await backend.query(KINDS_QUERY % values, max_rows=MAX_LIMIT * 20)
        for row in result.rows if isinstance(result, SelectResult) else ():
            kinds[str(row["entity"])].append(str(row["kind"]))
    results = []
    for hit in hits:
        names = await index.names(hit.entity)
        display = names.get(lang) or names.get("en") or names.get("it") or hit.label.text
        results.append(
            {
                "iri": hit.entity,
                "label": display,
                "matched": hit.label.text,
                "matchedLanguage": hit.label.language or None,
                "kinds": sorted(kinds[hit.entity]),
            }
        )
    return {"query": q, "results": results}
