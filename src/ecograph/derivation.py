"""Derive regional innovation ecosystems and the cross-border links between them.

Links are never written by hand: they follow from the activities and agreements whose actors
or places lie in territories of two different countries, and they carry those activities as
evidence, so that a link disappears when its evidence does. The input is the graph *after*
reasoning: ``eco:within`` is then transitive and sub-properties (``eco:delegationMember``,
``eco:host``, …) are already present as their super-properties.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from ecograph.namespaces import ECO, ECOID

#: Properties by which an activity or agreement involves an agent (its territory counts).
AGENT_LINKS = (
    ECO.participant,
    ECO.delegationMember,
    ECO.leader,
    ECO.metWith,
    ECO.host,
    ECO.visited,
    ECO.organiser,
    ECO.partner,
    ECO.party,
)
#: Properties by which an activity or agreement involves a place directly.
PLACE_LINKS = (ECO.origin, ECO.destination, ECO.venue, ECO.partnerRegion, ECO.signedAt)
EVIDENCE_CLASSES = (ECO.Activity, ECO.Agreement)


@dataclass
class Geography:
    """Answers 'which territory, which country' for places, from the reasoned graph."""

    graph: Graph
    _territory: dict[Node, Node | None] = field(default_factory=dict)

    def is_a(self, node: Node, cls: URIRef) -> bool:
        return (node, RDF.type, cls) in self.graph

    def territory_of_place(self, place: Node) -> Node | None:
        """The first-level region holding ``place`` or, where there is none, its country."""
        if place not in self._territory:
            self._territory[place] = self._find_territory(place)
        return self._territory[place]

    def _find_territory(self, place: Node) -> Node | None:
        candidates = [place, *self.graph.objects(place, ECO.within)]
        for candidate in candidates:
            if self.is_a(candidate, ECO.Region):
                return candidate
        for candidate in candidates:
            if self.is_a(candidate, ECO.Country):
                return candidate
        return None

    def country_of(self, territory: Node) -> Node | None:
        if self.is_a(territory, ECO.Country):
            return territory
        for parent in self.graph.objects(territory, ECO.within):
            if self.is_a(parent, ECO.Country):
                return parent
        return None

    def territories_of(self, node: Node) -> set[Node]:
        """Territories of a place, or of an agent: where it is, or whose ecosystem it joins."""
        if self.is_a(node, ECO.Place):
            places = [node]
        else:
            places = [*self.graph.objects(node, ECO.locatedIn)]
            places += self.graph.objects(node, ECO.inEcosystemOf)
        return {t for t in map(self.territory_of_place, places) if t is not None}


def _slug(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _label(graph: Graph, node: Node, lang: str) -> str:
    labels = {
        lbl.language: str(lbl)
        for lbl in graph.objects(node, RDFS.label)
        if isinstance(lbl, Literal)
    }
    return (
        labels.get(lang)
        or labels.get("en")
        or labels.get("it")
        or next(iter(labels.values()), _slug(node))
    )


def ecosystem_iri(territory: Node) -> URIRef:
    return ECOID[f"ecosystem/{_slug(territory)}"]


def link_iri(a: Node, b: Node) -> URIRef:
    first, second = sorted((_slug(a), _slug(b)))
    return ECOID[f"link/{first}--{second}"]


def derive(graph: Graph) -> Graph:
    """Ecosystems with their actors, and cross-border links with their evidence."""
    geo = Geography(graph)
    out = Graph()
    actors: dict[Node, set[Node]] = defaultdict(set)
    for agent in set(graph.subjects(ECO.locatedIn, None)) | set(
        graph.subjects(ECO.inEcosystemOf, None)
    ):
        if geo.is_a(agent, ECO.Place):
            continue
        for territory in geo.territories_of(agent):
            actors[territory].add(agent)

    evidence: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    items = {s for cls in EVIDENCE_CLASSES for s in graph.subjects(RDF.type, cls)}
    for item in sorted(items, key=str):
        territories: set[Node] = set()
        for prop in AGENT_LINKS + PLACE_LINKS:
            for value in graph.objects(item, prop):
                territories |= geo.territories_of(value)
        for a in territories:
            for b in territories:
                ca, cb = geo.country_of(a), geo.country_of(b)
                if str(a) < str(b) and ca is not None and cb is not None and ca != cb:
                    evidence[(a, b)].add(item)

    ecosystems = set(actors) | {t for pair in evidence for t in pair}
    for territory in ecosystems:
        eco = ecosystem_iri(territory)
        out.add((eco, RDF.type, ECO.Ecosystem))
        out.add((eco, ECO.territory, territory))
        out.add(
            (
                eco,
                RDFS.label,
                Literal(f"Innovation ecosystem of {_label(graph, territory, 'en')}", lang="en"),
            )
        )
        out.add(
            (
                eco,
                RDFS.label,
                Literal(
                    f"Ecosistema dell'innovazione: {_label(graph, territory, 'it')}", lang="it"
                ),
            )
        )
        for actor in actors.get(territory, ()):
            out.add((eco, ECO.actor, actor))

    for (a, b), items_ in evidence.items():
        link = link_iri(a, b)
        out.add((link, RDF.type, ECO.CrossBorderLink))
        for territory in (a, b):
            out.add((link, ECO.between, ecosystem_iri(territory)))
            country = geo.country_of(territory)
            if country is not None:
                out.add((link, ECO.linkCountry, country))
        names = {
            lang: f"{_label(graph, a, lang)} – {_label(graph, b, lang)}" for lang in ("en", "it")
        }
        for lang, name in names.items():
            out.add((link, RDFS.label, Literal(name, lang=lang)))
        for item in items_:
            out.add((link, ECO.evidencedBy, item))
            for source in graph.objects(item, PROV.wasDerivedFrom):
                out.add((link, PROV.wasDerivedFrom, source))
    return out
