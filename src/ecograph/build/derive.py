"""Derive regional innovation ecosystems and the cross-border links between them.

Links are never written by hand: they follow from the activities and agreements whose actors
or places lie in territories of two different countries, and they carry those activities as
evidence, so that a link disappears when its evidence does. What happened makes cross-border
links, what is only planned or under consideration prospective links (docs/model.md). The
input is the graph *after* reasoning: ``eco:within`` is then transitive and sub-properties
(``eco:delegationMember``, ``eco:host``, …) are already present as their super-properties.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph

from ecograph.rdf.namespaces import ECO, ECOID, RDF_TYPE
from ecograph.rdf.triples import Key, insert, select, term_of
from ecograph.rdf.vocabulary import EVIDENCE_CLASSES, LINK_JOINING, PROSPECTIVE_STATUSES

_RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_DERIVED_FROM = "<http://www.w3.org/ns/prov#wasDerivedFrom>"


def _eco(local: str) -> str:
    return f"<{ECO}{local}>"


@dataclass
class Geography:
    """Answers 'which territory, which country' for places, from the reasoned graph.

    Nodes are N-Triples strings (:mod:`ecograph.rdf.triples`); the facts it needs (types of
    places, ``eco:within``, seats) are read once, so each answer is a dictionary lookup.
    """

    types: dict[str, set[str]]
    within: dict[str, list[str]]
    seats: dict[str, list[str]]
    _territory: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def read(cls, store: pyoxigraph.Store) -> Geography:
        types: dict[str, set[str]] = defaultdict(set)
        for row in select(
            store,
            f"SELECT DISTINCT ?s ?c WHERE {{ ?s {RDF_TYPE} ?c "
            f"VALUES ?c {{ {_eco('Place')} {_eco('Region')} {_eco('Country')} }} }}",
        ):
            types[str(row["s"])].add(str(row["c"]))
        within: dict[str, list[str]] = defaultdict(list)
        for row in select(
            store, f"SELECT DISTINCT ?s ?o WHERE {{ ?s {_eco('within')} ?o }} ORDER BY ?s ?o"
        ):
            within[str(row["s"])].append(str(row["o"]))
        seats: dict[str, list[str]] = defaultdict(list)
        for row in select(
            store,
            f"SELECT DISTINCT ?a ?p WHERE {{ ?a {_eco('locatedIn')}|{_eco('inEcosystemOf')} ?p }}"
            " ORDER BY ?a ?p",
        ):
            seats[str(row["a"])].append(str(row["p"]))
        return cls(types=types, within=within, seats=seats)

    def is_a(self, node: str, cls: str) -> bool:
        return _eco(cls) in self.types.get(node, ())

    def territory_of_place(self, place: str) -> str | None:
        """The first-level region holding ``place`` or, where there is none, its country."""
        if place not in self._territory:
            self._territory[place] = self._find_territory(place)
        return self._territory[place]

    def _find_territory(self, place: str) -> str | None:
        candidates: list[str] = [place, *self.within.get(place, [])]
        for cls in ("Region", "Country"):
            for candidate in candidates:
                if self.is_a(candidate, cls):
                    return candidate
        return None

    def country_of(self, territory: str) -> str | None:
        if self.is_a(territory, "Country"):
            return territory
        for parent in self.within.get(territory, []):
            if self.is_a(parent, "Country"):
                return parent
        return None

    def territories_of(self, node: str) -> set[str]:
        """Territories of a place, or of an agent: where it is, or whose ecosystem it joins."""
        places = [node] if self.is_a(node, "Place") else self.seats.get(node, [])
        return {t for t in map(self.territory_of_place, places) if t is not None}


def _slug(node: str) -> str:
    return node.strip("<>").rstrip("/").rsplit("/", 1)[-1]


def ecosystem_iri(territory: str) -> str:
    return f"<{ECOID}ecosystem/{_slug(territory)}>"


def link_iri(a: str, b: str, kind: str = "link") -> str:
    """``link/{a}--{b}`` (or ``prospective-link/…``), the two territory slugs sorted."""
    first, second = sorted((_slug(a), _slug(b)))
    return f"<{ECOID}{kind}/{first}--{second}>"


def _labels(store: pyoxigraph.Store, nodes: set[str]) -> dict[str, dict[str | None, str]]:
    """Labels by language (``None`` for a plain one) of the territories that get a name."""
    labels: dict[str, dict[str | None, str]] = defaultdict(dict)
    for node in nodes:
        for quad in store.quads_for_pattern(
            pyoxigraph.NamedNode(node[1:-1]), pyoxigraph.NamedNode(_RDFS_LABEL[1:-1]), None
        ):
            if isinstance(quad.object, pyoxigraph.Literal):
                labels[node].setdefault(quad.object.language, quad.object.value)
    return labels


_LINK_CLASSES = {"link": "CrossBorderLink", "prospective-link": "ProspectiveLink"}
_LINK_SUFFIX = {
    "link": {"en": "", "it": ""},
    "prospective-link": {"en": " (prospective)", "it": " (prospettico)"},
}


def _prospective(store: pyoxigraph.Store, classes: str) -> set[str]:
    """The activities and agreements that have not happened: planned, under consideration."""
    statuses = " ".join(f"<{ECOID}status/{s}>" for s in PROSPECTIVE_STATUSES)
    return {
        str(row["item"])
        for row in select(
            store,
            f"SELECT DISTINCT ?item WHERE {{ ?item {RDF_TYPE} ?c VALUES ?c {{ {classes} }} "
            f"?item {_eco('status')} ?s VALUES ?s {{ {statuses} }} }}",
        )
    }


def _most_specific(geo: Geography, territories: set[str]) -> set[str]:
    """The territories without the countries of which another one is a region: within one
    activity, "Italy" says nothing that "Piedmont" does not."""
    regions_of = {geo.country_of(t) for t in territories if not geo.is_a(t, "Country")}
    return {t for t in territories if not (geo.is_a(t, "Country") and t in regions_of)}


def derive_into(store: pyoxigraph.Store, graph: str, *, bulk: bool = False) -> int:
    """Add ecosystems with their actors, and the links between them with their evidence, to
    the named graph ``graph`` of ``store`` (which holds the reasoned data); returns how many
    triples that made.

    An activity or agreement joins the territories of what it involves through
    :data:`~ecograph.rdf.vocabulary.LINK_JOINING` (never a venue alone), at the most specific
    territory; what is only planned or under consideration makes prospective links, apart.
    """
    geo = Geography.read(store)
    actors: dict[str, set[str]] = defaultdict(set)
    for agent in geo.seats:
        if geo.is_a(agent, "Place"):
            continue
        for territory in geo.territories_of(agent):
            actors[territory].add(agent)

    links = " ".join(_eco(p) for p in LINK_JOINING)
    classes = " ".join(_eco(c) for c in EVIDENCE_CLASSES)
    involved: dict[str, set[str]] = defaultdict(set)
    for row in select(
        store,
        f"SELECT DISTINCT ?item ?v WHERE {{ ?item {RDF_TYPE} ?c VALUES ?c {{ {classes} }} "
        f"?item ?p ?v VALUES ?p {{ {links} }} FILTER (!isLiteral(?v)) }}",
    ):
        involved[str(row["item"])].add(str(row["v"]))
    prospective = _prospective(store, classes)
    evidence: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for item, values in involved.items():
        territories = _most_specific(geo, {t for v in values for t in geo.territories_of(v)})
        kind = "prospective-link" if item in prospective else "link"
        for a in territories:
            for b in territories:
                ca, cb = geo.country_of(a), geo.country_of(b)
                if a < b and ca is not None and cb is not None and ca != cb:
                    evidence[(a, b, kind)].add(item)
    sources: dict[str, set[str]] = defaultdict(set)
    for item in {i for items in evidence.values() for i in items}:
        for quad in store.quads_for_pattern(
            term_of(item), pyoxigraph.NamedNode(_DERIVED_FROM[1:-1]), None
        ):
            sources[item].add(str(quad.object))

    ecosystems = set(actors) | {t for (a, b, _) in evidence for t in (a, b)}
    labels = _labels(store, ecosystems)

    def label(node: str, lang: str) -> str:
        found = labels.get(node, {})
        return (
            found.get(lang)
            or found.get("en")
            or found.get("it")
            or next(iter(found.values()), _slug(node))
        )

    def text(value: str, lang: str) -> str:
        return str(pyoxigraph.Literal(value, language=lang))

    out: set[Key] = set()
    for territory in ecosystems:
        eco = ecosystem_iri(territory)
        out.add((eco, RDF_TYPE, _eco("Ecosystem")))
        out.add((eco, _eco("territory"), territory))
        out.add((eco, _RDFS_LABEL, text(f"Innovation ecosystem of {label(territory, 'en')}", "en")))
        italian = f"Ecosistema dell'innovazione: {label(territory, 'it')}"
        out.add((eco, _RDFS_LABEL, text(italian, "it")))
        out |= {(eco, _eco("actor"), actor) for actor in actors.get(territory, ())}

    for (a, b, kind), items in evidence.items():
        link = link_iri(a, b, kind)
        out.add((link, RDF_TYPE, _eco("EcosystemLink")))
        out.add((link, RDF_TYPE, _eco(_LINK_CLASSES[kind])))
        for territory in (a, b):
            out.add((link, _eco("between"), ecosystem_iri(territory)))
            country = geo.country_of(territory)
            if country is not None:
                out.add((link, _eco("linkCountry"), country))
        for lang in ("en", "it"):
            name = f"{label(a, lang)} – {label(b, lang)}{_LINK_SUFFIX[kind][lang]}"
            out.add((link, _RDFS_LABEL, text(name, lang)))
        for item in items:
            out.add((link, _eco("evidencedBy"), item))
            out |= {(link, _DERIVED_FROM, source) for source in sources[item]}
    insert(store, out, graph, bulk=bulk)
    return len(out)
