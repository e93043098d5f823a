"""Derived ecosystems and cross-border links, on a small made-up graph with the real ontology."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ecograph.build.derive import derive_into
from ecograph.build.reason import infer_into
from ecograph.rdf.namespaces import ECO, ECOID
from ecograph.rdf.terms import oxigraph_to_rdflib
from ecograph.settings import Settings

PREFIXES = """
@prefix eco: <https://w3id.org/ecograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix place: <https://w3id.org/ecograph/id/place/> .
@prefix o: <https://w3id.org/ecograph/id/org/> .
@prefix act: <https://w3id.org/ecograph/id/mission/> .
"""
WORLD = """
place:aa a eco:Country ; rdfs:label "A"@en .
place:bb a eco:Country ; rdfs:label "B"@en .
place:aa-1 a eco:Region ; eco:directlyWithin place:aa ; rdfs:label "A one"@en .
place:aa-2 a eco:Region ; eco:directlyWithin place:aa ; rdfs:label "A two"@en .
place:bb-1 a eco:Region ; eco:directlyWithin place:bb ; rdfs:label "B one"@en .
place:acity a eco:City ; eco:directlyWithin place:aa-1 .
o:x a eco:Cluster ; eco:locatedIn place:acity .
o:y a eco:Company ; eco:locatedIn place:bb-1 .
o:z a eco:University ; eco:inEcosystemOf place:aa-2 .
o:nowhere a eco:Company .
"""


@pytest.fixture(scope="module")
def tbox() -> Graph:
    graph = Graph()
    for path in Settings().ontology_files:
        graph.parse(path)
    return graph


def _derive(tbox: Graph, facts: str) -> Graph:
    store = pyoxigraph.Store()
    store.load(
        (PREFIXES + WORLD + facts).encode(),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("urn:x:data"),
    )
    store.load(
        tbox.serialize(format="nt", encoding="utf-8"),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
        to_graph=pyoxigraph.NamedNode("urn:x:ontology"),
    )
    infer_into(store, tbox, "urn:x:inferred")
    derive_into(store, "urn:x:derived")
    derived = Graph()
    for quad in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode("urn:x:derived")):
        derived.add(
            tuple(oxigraph_to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object))
        )  # type: ignore[arg-type]
    return derived


def links(derived: Graph) -> dict[str, set[str]]:
    return {
        str(link).rsplit("/", 1)[-1]: {
            str(e).rsplit("/", 1)[-1] for e in derived.objects(link, ECO.evidencedBy)
        }
        for link in derived.subjects(RDF.type, ECO.CrossBorderLink)
    }


def test_a_mission_between_two_countries_makes_a_link(tbox: Graph) -> None:
    derived = _derive(tbox, "act:m a eco:Mission ; eco:delegationMember o:x ; eco:host o:y .")
    assert links(derived) == {"aa-1--bb-1": {"m"}}
    link = ECOID["link/aa-1--bb-1"]
    assert set(derived.objects(link, ECO.linkCountry)) == {ECOID["place/aa"], ECOID["place/bb"]}
    assert set(derived.objects(link, ECO.between)) == {
        ECOID["ecosystem/aa-1"],
        ECOID["ecosystem/bb-1"],
    }


def test_a_city_counts_for_its_region_through_the_transitive_closure(tbox: Graph) -> None:
    derived = _derive(
        tbox, "act:m a eco:Mission ; eco:participant o:x ; eco:destination place:bb-1 ."
    )
    assert (ECOID["ecosystem/aa-1"], ECO.actor, URIRef(f"{ECOID}org/x")) in derived
    assert links(derived) == {"aa-1--bb-1": {"m"}}


def test_no_link_within_one_country(tbox: Graph) -> None:
    derived = _derive(tbox, "act:m a eco:Mission ; eco:participant o:x , o:z .")
    assert links(derived) == {}
    assert (ECOID["ecosystem/aa-2"], ECO.actor, URIRef(f"{ECOID}org/z")) in derived


def test_an_actor_without_a_place_joins_no_ecosystem_and_no_link(tbox: Graph) -> None:
    derived = _derive(tbox, "act:m a eco:Mission ; eco:participant o:nowhere ; eco:metWith o:y .")
    assert links(derived) == {}
    assert (None, ECO.actor, URIRef(f"{ECOID}org/nowhere")) not in derived


def test_an_agreement_is_evidence_and_evidence_accumulates(tbox: Graph) -> None:
    facts = """
    act:m a eco:Mission ; eco:participant o:x ; eco:metWith o:y .
    <https://w3id.org/ecograph/id/agreement/l> a eco:LetterOfIntent ; eco:party o:x , o:y .
    """
    assert links(_derive(tbox, facts)) == {"aa-1--bb-1": {"m", "l"}}


def test_a_three_region_project_links_every_cross_border_pair(tbox: Graph) -> None:
    facts = """
    <https://w3id.org/ecograph/id/project/p> a eco:Project ;
        eco:partnerRegion place:aa-1 , place:aa-2 , place:bb-1 .
    """
    assert set(links(_derive(tbox, facts))) == {"aa-1--bb-1", "aa-2--bb-1"}


def prospective(derived: Graph) -> dict[str, set[str]]:
    return {
        str(link).rsplit("/", 1)[-1]: {
            str(e).rsplit("/", 1)[-1] for e in derived.objects(link, ECO.evidencedBy)
        }
        for link in derived.subjects(RDF.type, ECO.ProspectiveLink)
    }


def test_apulia_a_fair_venue_alone_links_no_region(tbox: Graph) -> None:
    """Issue 10: the 2Ins mission's companies came from three countries and showed at a fair in
    Bari; no actor of Apulia took part, so Apulia (here aa-2, the venue's region) joins no link."""
    facts = """
    place:bcity a eco:City ; eco:directlyWithin place:aa-2 .
    o:fair-ground a eco:Organisation ; eco:locatedIn place:bcity .
    act:m a eco:Mission ; eco:origin place:aa-1 , place:bb-1 ;
        eco:venue place:bcity , o:fair-ground .
    <https://w3id.org/ecograph/id/agreement/l> a eco:LetterOfIntent ;
        eco:party o:x , o:y ; eco:signedAt place:bcity .
    """
    derived = _derive(tbox, facts)
    assert links(derived) == {"aa-1--bb-1": {"m", "l"}}
    assert not [link for link in links(derived) if "aa-2" in link]


def test_china_piedmont_a_trip_under_consideration_makes_only_a_prospective_link(
    tbox: Graph,
) -> None:
    """Issue 10: the Piedmont delegation that "si considererà di partecipare" to a forum in
    China makes a prospective link, kept apart from the links of what happened."""
    facts = """
    act:zgc a eco:Mission ; eco:origin place:aa-1 ; eco:destination place:bb ;
        eco:status <https://w3id.org/ecograph/id/status/under-consideration> .
    act:visit a eco:Mission ; eco:origin place:bb-1 ; eco:host o:x ;
        eco:status <https://w3id.org/ecograph/id/status/completed> .
    act:plan a eco:Mission ; eco:participant o:x ; eco:metWith o:y ;
        eco:status <https://w3id.org/ecograph/id/status/planned> .
    """
    derived = _derive(tbox, facts)
    assert links(derived) == {"aa-1--bb-1": {"visit"}}
    assert prospective(derived) == {"aa-1--bb": {"zgc"}, "aa-1--bb-1": {"plan"}}
    assert (ECOID["prospective-link/aa-1--bb"], RDF.type, ECO.CrossBorderLink) not in derived
    for link in (ECOID["link/aa-1--bb-1"], ECOID["prospective-link/aa-1--bb"]):
        assert (link, RDF.type, ECO.EcosystemLink) in derived


def test_a_country_is_dropped_where_a_region_of_it_joins_the_same_activity(tbox: Graph) -> None:
    """Links at the most specific territory: Italy adds nothing to Piedmont in one activity."""
    facts = """
    o:gov a eco:NationalGovernment ; eco:locatedIn place:bb .
    act:m a eco:Mission ; eco:participant o:x , o:gov , o:y .
    """
    assert links(_derive(tbox, facts)) == {"aa-1--bb-1": {"m"}}


def test_a_funder_joins_its_territory(tbox: Graph) -> None:
    facts = "act:m a eco:Mission ; eco:participant o:x ; eco:funder o:y ."
    assert links(_derive(tbox, facts)) == {"aa-1--bb-1": {"m"}}
