"""The embedded backend reads entity descriptions from the store's indexes
(:mod:`ecograph.ld.describing`); they must be exactly the triples of the query that defines them
(:func:`ecograph.ld.describing.describe_query`), which remote stores run."""

from __future__ import annotations

import pyoxigraph
import pytest
from ld_support import fixture_store  # type: ignore[import-not-found]

from ecograph.ld.describing import _PROVENANCE_CLASSES, describe, describe_query
from ecograph.rdf.namespaces import INFERRED_GRAPH
from ecograph.rdf.terms import WireTerm, oxigraph_to_wire

WireTriples = set[tuple[WireTerm, WireTerm, WireTerm]]


def _subjects(store: pyoxigraph.Store) -> list[str]:
    solutions = store.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER (isIRI(?s)) } ORDER BY ?s",
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return [solution["s"].value for solution in solutions]


def _by_query(store: pyoxigraph.Store, iri: str) -> WireTriples:
    triples = store.query(describe_query(iri), use_default_graph_as_union=True)
    assert isinstance(triples, pyoxigraph.QueryTriples)
    return {
        (oxigraph_to_wire(t.subject), oxigraph_to_wire(t.predicate), oxigraph_to_wire(t.object))
        for t in triples
    }


def _by_indexes(store: pyoxigraph.Store, iri: str) -> WireTriples:
    found = describe(
        store,
        iri,
        inferred_graph=str(INFERRED_GRAPH),
        provenance_classes=frozenset(str(c) for c in _PROVENANCE_CLASSES),
    )
    assert len(found) == len(set(found)), "a triple is given twice"
    return set(found)


@pytest.mark.parametrize("which", ["project", "fixture"])
def test_every_description_is_the_query_s(which: str, request: pytest.FixtureRequest) -> None:
    store = request.getfixturevalue("project_store") if which == "project" else fixture_store()
    subjects = _subjects(store)
    assert len(subjects) > 20
    differ = [iri for iri in subjects if _by_indexes(store, iri) != _by_query(store, iri)]
    assert not differ, f"{len(differ)} of {len(subjects)} differ, e.g. {differ[:3]}"


def test_an_unknown_iri_has_no_description() -> None:
    store = fixture_store()
    assert _by_indexes(store, "https://w3id.org/ecograph/id/org/nothing-here") == set()
