"""What the query page's editor and result views need from the server, once per app.

* the **terms** for completion: the predeclared prefixes, and the ontology's classes and
  properties with their English and Italian labels (from the vocabulary the pages already
  read, :func:`ecograph.serve.common.vocabulary_of`);
* the **coordinates** the server knows: every place with ``geo:lat``/``geo:long``, and every
  ecosystem at its territory's coordinates, so that a result whose column holds places or
  ecosystems can be drawn on a map without asking for coordinates in the query. A few hundred
  points at 1M triples, read by the ``geo:lat`` index in one query.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from ecograph.rdf.namespaces import ECO
from ecograph.rdf.namespaces import PREFIXES as NAMESPACE_PREFIXES
from ecograph.serve.common import PREFIXES, vocabulary_of
from ecograph.serve.state import state_of
from ecograph.serve.views.kept import kept

COORDINATES_QUERY = f"""{PREFIXES}
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT ?thing ?lat ?long WHERE {{
  {{ ?thing geo:lat ?lat ; geo:long ?long }}
  UNION
  {{ ?thing a eco:Ecosystem ; eco:territory ?place . ?place geo:lat ?lat ; geo:long ?long }}
}}"""


def _term(iri: URIRef, labels: dict[str, str], kind: str) -> dict[str, Any]:
    local = str(iri)[len(str(ECO)) :]
    return {
        "iri": str(iri),
        "curie": f"eco:{local}",
        "kind": kind,
        "label": {lang: text for lang, text in labels.items() if lang in {"en", "it"}},
    }


async def terms(app: Any) -> dict[str, Any]:
    """Prefixes, classes and properties for the editor's completion."""

    async def compute() -> dict[str, Any]:
        vocabulary = await vocabulary_of(app)
        ours = str(ECO)
        classes = sorted(c for c in vocabulary.classes if str(c).startswith(ours))
        properties = sorted(p for p in vocabulary.properties if str(p).startswith(ours))
        return {
            "prefixes": dict(sorted(NAMESPACE_PREFIXES.items())),
            "terms": [_term(c, dict(vocabulary.labels.get(c, {})), "class") for c in classes]
            + [_term(p, dict(vocabulary.labels.get(p, {})), "property") for p in properties],
        }

    return await kept(app, "query.terms", compute)


async def coordinates(app: Any) -> dict[str, list[float]]:
    """IRI → ``[lat, long]`` for every place and ecosystem the graph locates."""
    state = state_of(app)
    backend, settings = state.backend, state.settings

    async def compute() -> dict[str, list[float]]:
        result = await backend.select(COORDINATES_QUERY, timeout=settings.query_timeout)
        found: dict[str, list[float]] = {}
        for row in result.rows:
            try:
                point = [float(str(row["lat"])), float(str(row["long"]))]
            except (KeyError, ValueError):
                continue
            found.setdefault(str(row["thing"]), point)
        return found

    return await kept(app, "query.coordinates", compute)
