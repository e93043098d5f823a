"""What the linked-data routes and the pages share: request state, languages, local links.

The app factory puts the backend and the settings on ``app.state``; everything here reads them
from the request, never from module globals, so that two apps (two tests) never share a graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ecograph.ld.describing import asserted
from ecograph.ld.documents import Vocabulary
from ecograph.ld.languages import FALLBACK_LANGUAGES
from ecograph.rdf.namespaces import ECO, sparql_prefixes
from ecograph.serve.state import state_of
from ecograph.serve.views.kept import kept
from ecograph.settings import Settings
from ecograph.store.backend import Backend

PREFIXES = sparql_prefixes(("rdf", "rdfs", "owl", "skos", "dcterms", "prov", "eco"))
_STATE_VOCABULARY = "ecograph_pages_vocabulary"
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def get_backend(request: Request) -> Backend:
    return state_of(request.app).backend


def request_settings(request: Request) -> Settings:
    return state_of(request.app).settings


# The dependencies are coroutines although they do not wait for anything: FastAPI runs a plain
# function dependency in a worker thread, and the hand-off costs more than the lookup.


async def _backend(request: Request) -> Backend:
    return get_backend(request)


async def _settings(request: Request) -> Settings:
    return request_settings(request)


BackendDep = Annotated[Backend, Depends(_backend)]
SettingsDep = Annotated[Settings, Depends(_settings)]


def languages(request: Request) -> tuple[str, ...]:
    """The reader's languages, best first: ``?lang=`` then ``Accept-Language``, then the
    defaults, so that a label is always found in some language."""
    wanted: list[tuple[float, int, str]] = []
    explicit = request.query_params.get("lang", "").strip().lower()
    if _LANGUAGE.match(explicit):
        wanted.append((2.0, 0, explicit))
    header = request.headers.get("accept-language", "")
    for index, entry in enumerate(header.split(",")):
        tag, _, params = entry.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if not _LANGUAGE.match(primary):
            continue
        q = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                q = float(value)
            except ValueError:
                q = 0.0
        if q > 0:
            wanted.append((q, -index - 1, primary))
    ordered = [lang for _, _, lang in sorted(wanted, reverse=True)]
    result: list[str] = []
    for lang in (*ordered, *FALLBACK_LANGUAGES):
        if lang not in result:
            result.append(lang)
    return tuple(result)


async def _languages(request: Request) -> tuple[str, ...]:
    return languages(request)


LanguagesDep = Annotated[tuple[str, ...], Depends(_languages)]


def site_base(request: Request, settings: Settings) -> str:
    """Where this server's paths start, with a trailing slash: the configured public base, else
    the request's own origin (and root path, behind a proxy that sets one)."""
    base = settings.public_base or str(request.base_url)
    return base if base.endswith("/") else base + "/"


def local_href(iri: str, request: Request, settings: Settings) -> str:
    """Where a page links for ``iri``: this server's copy of anything under the canonical
    base and of the ontology's terms, the IRI itself for the rest of the web."""
    if iri.startswith(str(ECO)):
        return f"{site_base(request, settings)}ontology#{iri[len(str(ECO)) :]}"
    if iri.startswith(settings.base_iri):
        return site_base(request, settings) + iri[len(settings.base_iri) :]
    return iri


def iri_values(iris: Iterable[str]) -> str:
    """A ``VALUES`` body of IRIs that are known to be safe (they come from the store)."""
    return " ".join(URIRef(i).n3() for i in sorted(set(iris)) if _SAFE_IRI.match(i))


_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def safe_iri(iri: str) -> bool:
    """Whether ``iri`` can be written between ``<`` and ``>`` in a query as it is."""
    return _SAFE_IRI.match(iri) is not None


async def vocabulary(request: Request) -> Vocabulary:
    """The ontology's labels and alignments, read from the store once per app."""
    return await vocabulary_of(request.app)


async def vocabulary_of(app: Any) -> Vocabulary:
    """:func:`vocabulary` for an app (whose state holds the backend and the settings), read
    once (see :mod:`ecograph.serve.views.kept`)."""
    return await kept(app, _STATE_VOCABULARY, lambda: _read_vocabulary(app))


async def _read_vocabulary(app: Any) -> Vocabulary:
    state = state_of(app)
    backend, settings = state.backend, state.settings
    # The terms first, by their kinds (a hundred or so, from the index), then what is said of
    # them: filtering every typed triple of the graph by its subject's text took 10 s at 1M.
    # (As a sub-select, or with the kinds in VALUES, Oxigraph's planner went back to that.)
    kinds = " UNION ".join(
        f"{{ ?term a {kind} }}"
        for kind in (
            "owl:Class",
            "rdfs:Class",
            "owl:ObjectProperty",
            "owl:DatatypeProperty",
            "owl:AnnotationProperty",
            "rdf:Property",
        )
    )
    query = f"""{PREFIXES}
CONSTRUCT {{ ?term ?p ?o }} WHERE {{
  {kinds}
  FILTER (isIRI(?term) && STRSTARTS(STR(?term), "{ECO}"))
  ?term ?p ?o .
  FILTER (?p IN (rdf:type, rdfs:label, skos:definition, rdfs:comment, rdfs:subClassOf,
                 rdfs:subPropertyOf))
  {asserted("?term", "?p", "?o")}
}}"""
    graph = await backend.construct(query, timeout=settings.query_timeout)
    return Vocabulary.from_graph(graph)


VocabularyDep = Annotated[Vocabulary, Depends(vocabulary)]


async def labels_of(
    backend: Backend, iris: Iterable[str], settings: Settings
) -> dict[str, dict[str, str]]:
    """Language → label of each of ``iris`` (``rdfs:label``, else ``skos:prefLabel``)."""
    values = iri_values(iris)
    if not values:
        return {}
    query = f"""{PREFIXES}
SELECT ?s ?label WHERE {{
  VALUES ?s {{ {values} }}
  {{ ?s rdfs:label ?label }} UNION {{ ?s skos:prefLabel ?label }}
}}"""
    result = await backend.select(query, timeout=settings.query_timeout)
    found: dict[str, dict[str, str]] = {}
    for row in result.rows:
        label = row.get("label")
        if isinstance(label, Literal):
            found.setdefault(str(row["s"]), {}).setdefault(label.language or "", str(label))
    return found


def texts_by_language(graph: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    """Language → text of ``node``'s values of ``predicate``, one per language."""
    texts: dict[str, str] = {}
    for value in sorted(graph.objects(node, predicate), key=str):
        if isinstance(value, Literal):
            texts.setdefault(value.language or "", str(value))
    return texts
