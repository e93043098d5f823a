"""The home page's statistics, computed from indexes, against the slow queries they replace.

The counts by kind come from each kind's class (``views.home.kinds``); the old query counted
the IRIs under ``/id/{kind}/`` that have a type. On the project graph both must agree for every
kind, so a kind whose class changes in the ontology (or a new kind of IRI) fails here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyoxigraph

from ecograph.serve.common import PREFIXES
from ecograph.serve.views import home
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend

BASE = "https://w3id.org/ecograph/"
T = TypeVar("T")


def _rows(store: pyoxigraph.Store, query: str) -> list[tuple[str, int]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return [(str(s[0].value), int(s[1].value)) for s in solutions]


def by_iri_prefix(store: pyoxigraph.Store) -> dict[str, int]:
    prefix = f"{BASE}id/"
    query = f"""{PREFIXES}
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?type .
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{prefix}"))
  BIND (STRBEFORE(STRAFTER(STR(?s), "{prefix}"), "/") AS ?kind)
  FILTER (?kind != "" && ?kind != "graph" && ?kind != "dataset")
}} GROUP BY ?kind"""
    return dict(_rows(store, query))


def run(store: pyoxigraph.Store, ask: Callable[[EmbeddedBackend], Awaitable[T]]) -> T:
    """``ask`` on a backend of its own event loop (a backend's workers belong to one loop)."""

    async def main() -> T:
        backend = EmbeddedBackend(store)
        try:
            return await ask(backend)
        finally:
            await backend.close()

    # In a thread of its own: Playwright's sync API (the browser tests) keeps an event loop
    # running in the main thread for the whole session.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def test_counts_by_class_equal_counts_by_iri(
    project_store: pyoxigraph.Store, settings: Settings
) -> None:
    expected = by_iri_prefix(project_store)
    found = run(project_store, lambda backend: home.kind_counts(backend, settings))
    known = {k.key for k in home.kinds(settings.base_iri)}
    assert set(expected) <= known, (
        f"kinds of IRI the home page does not count: {set(expected) - known}"
    )
    assert found == expected
    assert found["org"] > 0 and found["link"] > 0


def test_country_counts_equal_the_path_query(
    project_store: pyoxigraph.Store, settings: Settings
) -> None:
    old = f"""{PREFIXES}
SELECT ?country (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?link) AS ?links) WHERE {{
  ?country a eco:Country .
  {{ ?actor (eco:locatedIn|eco:inEcosystemOf)/eco:directlyWithin* ?country }}
  UNION {{ ?link eco:linkCountry ?country }}
}} GROUP BY ?country"""
    solutions = project_store.query(old, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    expected = {str(s[0].value): (int(s[1].value), int(s[2].value)) for s in solutions}
    found = run(project_store, lambda backend: home.country_counts(backend, settings))
    assert {c.iri: (c.actors, c.links) for c in found} == expected
    assert any(c.links for c in found)


def test_every_listing_query_lists_what_its_kind_counts(
    project_store: pyoxigraph.Store, settings: Settings
) -> None:
    counts = by_iri_prefix(project_store)
    for kind in home.kinds(settings.base_iri):
        solutions = project_store.query(home.listing_query(kind), use_default_graph_as_union=True)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        listed = {str(s["entity"].value) for s in solutions}
        assert len(listed) == min(counts.get(kind.key, 0), 500), kind.key
        assert all(i.startswith(f"{BASE}id/{kind.key}/") for i in listed), kind.key
