"""``/api/search?q=``: entities by label, in any language, accents and case ignored.

Matching happens in Python over an index of every label, read once from the backend (the graph
is read-only while the server runs): both sides are folded by :func:`ecograph.rdf.text.collapse`
(NFKD, combining marks dropped, casefolded, apostrophes unified, spaces collapsed), so
"universita" finds "Università" and "STRASSE" finds "Straße". SPARQL has no accent folding,
and REGEX over the whole graph on every keystroke would cost far more than a scan of a few
thousand labels.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from rdflib import URIRef

from ecograph.rdf.terms import ntriples
from ecograph.serve.dependencies import BackendDep
from ecograph.serve.label_index import KINDS_QUERY, MAX_LIMIT
from ecograph.serve.state import state_of
from ecograph.store.results import SelectResult

router = APIRouter(tags=["search"])


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
    index = state_of(request.app).labels()
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
