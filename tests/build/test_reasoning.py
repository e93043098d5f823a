"""The materialised closure: equal to owlrl's on the real data, and right rule by rule."""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node, _toPythonMapping

from ecograph.build.pipeline import Build
from ecograph.build.reason import Rules, materialise
from ecograph.rdf.namespaces import ECOID

EX = "http://example.org/"
UNINFORMATIVE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


def _instance_triples(graph: Graph) -> set[tuple[object, object, object]]:
    """What queries see of a closure: statements about the instances of the id space."""
    return {
        (s, p, o)
        for s, p, o in graph
        if isinstance(s, URIRef)
        and str(s).startswith(str(ECOID))
        and p != OWL.sameAs
        and not (p == RDF.type and o in UNINFORMATIVE_TYPES)
    }


def test_closure_equals_owlrl_on_the_project_data(project_build: Build) -> None:
    asserted = Graph()
    for source in (*project_build.ontology, *project_build.data):
        asserted += project_build.graph(source.graph_name)
    reference = Graph()
    reference += asserted
    converters = dict(_toPythonMapping)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(reference)
    finally:  # owlrl leaves its own converters in rdflib's global table
        _toPythonMapping.clear()
        _toPythonMapping.update(converters)
    ours = _instance_triples(asserted + project_build.inferred)
    theirs = _instance_triples(reference)
    missing, extra = theirs - ours, ours - theirs
    assert not missing, (
        f"{len(missing)} entailments owlrl finds are missing, e.g. {sorted(missing)[:5]}"
    )
    assert not extra, f"{len(extra)} triples owlrl does not entail, e.g. {sorted(extra)[:5]}"
    assert len(project_build.inferred) > 500, "the closure should add a good deal to the data"


def _tbox(turtle: str) -> Rules:
    graph = Graph()
    graph.parse(
        data=f"@prefix ex: <{EX}> . @prefix owl: <{OWL}> . @prefix rdfs: <{RDFS}> .\n{turtle}",
        format="turtle",
    )
    return Rules.from_graph(graph)


def keys(triples: Iterable[tuple[Node, Node, Node]]) -> set[tuple[str, str, str]]:
    """Triples in the reasoner's own form: N-Triples strings."""
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in triples}


def u(name: str) -> URIRef:
    return URIRef(EX + name)


@pytest.mark.parametrize(
    ("axioms", "data", "expected", "not_expected"),
    [
        pytest.param(
            "ex:Cluster rdfs:subClassOf ex:Org . ex:Org rdfs:subClassOf ex:Agent .",
            [(u("c"), RDF.type, u("Cluster"))],
            {(u("c"), RDF.type, u("Org")), (u("c"), RDF.type, u("Agent"))},
            {(u("c"), RDF.type, u("Cluster2"))},
            id="subclass-chain",
        ),
        pytest.param(
            "ex:leader rdfs:subPropertyOf ex:participant .",
            [(u("m"), u("leader"), u("p"))],
            {(u("m"), u("participant"), u("p"))},
            {(u("p"), u("participant"), u("m"))},
            id="subproperty",
        ),
        pytest.param(
            "ex:fundedBy owl:inverseOf ex:funded .",
            [(u("a"), u("fundedBy"), u("prog"))],
            {(u("prog"), u("funded"), u("a"))},
            {(u("a"), u("funded"), u("prog"))},
            id="inverse",
        ),
        pytest.param(
            "ex:within a owl:TransitiveProperty .",
            [(u("city"), u("within"), u("region")), (u("region"), u("within"), u("country"))],
            {(u("city"), u("within"), u("country"))},
            {(u("country"), u("within"), u("city"))},
            id="transitive",
        ),
        pytest.param(
            "ex:holder rdfs:domain ex:Role ; rdfs:range ex:Person .",
            [(u("r"), u("holder"), u("x")), (u("r"), u("label"), Literal("x"))],
            {(u("r"), RDF.type, u("Role")), (u("x"), RDF.type, u("Person"))},
            {(u("x"), RDF.type, u("Role"))},
            id="domain-range",
        ),
        pytest.param(
            "ex:directlyWithin rdfs:subPropertyOf ex:within . ex:within a owl:TransitiveProperty .",
            [(u("d"), u("directlyWithin"), u("c")), (u("c"), u("directlyWithin"), u("r"))],
            {(u("d"), u("within"), u("r"))},
            {(u("d"), u("directlyWithin"), u("r"))},
            id="subproperty-of-transitive",
        ),
        pytest.param(
            "ex:A owl:equivalentClass ex:B .",
            [(u("x"), RDF.type, u("B"))],
            {(u("x"), RDF.type, u("A"))},
            set(),
            id="equivalent-class",
        ),
    ],
)
def test_rule(axioms: str, data: list, expected: set, not_expected: set) -> None:  # type: ignore[type-arg]
    data, expected, not_expected = keys(data), keys(expected), keys(not_expected)
    inferred = materialise(data, _tbox(axioms))
    assert expected <= inferred, f"under-inference: missing {expected - inferred}"
    assert not (not_expected & inferred), f"wrong inference: {not_expected & inferred}"
    assert not (set(data) & inferred), "asserted triples must not be returned as inferred"


def test_no_literal_is_given_a_type() -> None:
    inferred = materialise(
        keys([(u("r"), u("name"), Literal("x"))]), _tbox("ex:name rdfs:range ex:Name .")
    )
    assert inferred == set()
