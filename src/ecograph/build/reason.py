"""Materialise, once at build time, the OWL 2 RL entailments that queries rely on.

The ontology's axioms are compiled into lookup tables (super-classes, super-properties,
inverses, transitive and symmetric properties, domains and ranges) and applied to the instance
triples until nothing new follows, processing only the triples that the previous round added.
That is the subset of the OWL 2 RL rules (cax-sco, cax-eqc, prp-spo1, prp-eqp, prp-inv,
prp-trp, prp-symp, prp-dom, prp-rng) that this ontology uses; ``tests/build/test_reasoning.py``
checks the result against owlrl's full closure on the real data, so that a new kind of axiom
that this code ignores makes that test fail rather than silently drop entailments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ecograph.rdf.closure import closure
from ecograph.rdf.triples import Key, insert


@dataclass(frozen=True)
class Rules:
    """The ontology's axioms, compiled into the tables the rules consult.

    Terms are N-Triples strings (``<iri>``), the form of :data:`Key`.
    """

    super_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    super_properties: dict[str, frozenset[str]] = field(default_factory=dict)
    inverses: dict[str, frozenset[str]] = field(default_factory=dict)
    transitive: frozenset[str] = frozenset()
    symmetric: frozenset[str] = frozenset()
    domains: dict[str, frozenset[str]] = field(default_factory=dict)
    ranges: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, tbox: Graph) -> Rules:
        sub_class: dict[Node, set[Node]] = defaultdict(set)
        for c, d in tbox.subject_objects(RDFS.subClassOf):
            sub_class[c].add(d)
        for c, d in tbox.subject_objects(OWL.equivalentClass):
            sub_class[c].add(d)
            sub_class[d].add(c)
        sub_prop: dict[Node, set[Node]] = defaultdict(set)
        for p, q in tbox.subject_objects(RDFS.subPropertyOf):
            sub_prop[p].add(q)
        for p, q in tbox.subject_objects(OWL.equivalentProperty):
            sub_prop[p].add(q)
            sub_prop[q].add(p)
        inverses: dict[Node, set[Node]] = defaultdict(set)
        for p, q in tbox.subject_objects(OWL.inverseOf):
            inverses[p].add(q)
            inverses[q].add(p)
        domains: dict[Node, set[Node]] = defaultdict(set)
        for p, c in tbox.subject_objects(RDFS.domain):
            domains[p].add(c)
        ranges: dict[Node, set[Node]] = defaultdict(set)
        for p, c in tbox.subject_objects(RDFS.range):
            ranges[p].add(c)
        super_props = closure(sub_prop)

        def key(node: Node) -> str:
            return str(node.n3())

        def table(pairs: Iterable[tuple[Node, Iterable[Node]]]) -> dict[str, frozenset[str]]:
            return {key(a): frozenset(map(key, bs)) for a, bs in pairs}

        return cls(
            super_classes=table((c, s - {c}) for c, s in closure(sub_class).items() if len(s) > 1),
            super_properties=table((p, s - {p}) for p, s in super_props.items() if len(s) > 1),
            inverses=table(inverses.items()),
            transitive=frozenset(map(key, tbox.subjects(RDF.type, OWL.TransitiveProperty))),
            symmetric=frozenset(map(key, tbox.subjects(RDF.type, OWL.SymmetricProperty))),
            domains=table(domains.items()),
            ranges=table(ranges.items()),
        )


TYPE = f"<{RDF.type}>"


def _is_literal(term: str) -> bool:
    return term.startswith('"')


def materialise(triples: Iterable[Key], rules: Rules) -> set[Key]:
    """The triples that follow from ``triples`` under ``rules`` and are not among them."""
    known: set[Key] = set(triples)
    # Only transitive properties need joins, hence indexes only for them.
    forward: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    backward: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in known:
        if p in rules.transitive:
            forward[p][s].add(o)
            backward[p][o].add(s)
    inferred: set[Key] = set()
    delta = known
    while delta:
        found: set[Key] = set()
        for s, p, o in delta:
            for q in rules.super_properties.get(p, ()):
                found.add((s, q, o))
            if not _is_literal(o):
                for q in rules.inverses.get(p, ()):
                    found.add((o, q, s))
                if p in rules.symmetric:
                    found.add((o, p, s))
                for c in rules.ranges.get(p, ()):
                    found.add((o, TYPE, c))
            for c in rules.domains.get(p, ()):
                found.add((s, TYPE, c))
            if p == TYPE:
                for c in rules.super_classes.get(o, ()):
                    found.add((s, TYPE, c))
            if p in rules.transitive:
                for x in forward[p].get(o, ()):
                    found.add((s, p, x))
                for y in backward[p].get(s, ()):
                    found.add((y, p, o))
        delta = {t for t in found if t not in known and not _is_literal(t[0])}
        for s, p, o in delta:
            if p in rules.transitive:
                forward[p][s].add(o)
                backward[p][o].add(s)
        known |= delta
        inferred |= delta
    return inferred


def infer_into(store: pyoxigraph.Store, tbox: Graph, graph: str, *, bulk: bool = False) -> int:
    """Materialise the entailments of everything in ``store`` into its graph ``graph``.

    Only the triples a rule can read or write are taken out of the store (by predicate, one
    index range each), as N-Triples strings (:mod:`ecograph.rdf.triples`). Returns how many
    triples were inferred.
    """
    rules = Rules.from_graph(tbox)
    predicates = {TYPE, *rules.transitive, *rules.symmetric}
    for table in (rules.super_properties, rules.inverses):
        for p, qs in table.items():
            predicates |= {p, *qs}
    predicates |= set(rules.domains) | set(rules.ranges)
    known = [
        (str(quad.subject), predicate, str(quad.object))
        for predicate in predicates
        for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate[1:-1]), None, None)
    ]
    inferred = materialise(known, rules)
    insert(store, inferred, graph, bulk=bulk)
    return len(inferred)
