"""Materialise, once at build time, the OWL 2 RL entailments that queries rely on.

The ontology's axioms are compiled into lookup tables (super-classes, super-properties,
inverses, transitive and symmetric properties, domains and ranges) and applied to the instance
triples until nothing new follows, processing only the triples that the previous round added.
That is the subset of the OWL 2 RL rules (cax-sco, cax-eqc, prp-spo1, prp-eqp, prp-inv,
prp-trp, prp-symp, prp-dom, prp-rng) that this ontology uses; ``tests/test_reasoning.py``
checks the result against owlrl's full closure on the real data, so that a new kind of axiom
that this code ignores makes that test fail rather than silently drop entailments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def _closure(edges: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
    """Reflexive-transitive closure of a small relation (the TBox has hundreds of edges)."""
    result: dict[Node, frozenset[Node]] = {}
    for start in list(edges):
        seen = {start}
        stack = [start]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        result[start] = frozenset(seen)
    return result


@dataclass(frozen=True)
class Rules:
    """The ontology's axioms, compiled into the tables the rules consult."""

    super_classes: dict[Node, frozenset[Node]] = field(default_factory=dict)
    super_properties: dict[Node, frozenset[Node]] = field(default_factory=dict)
    inverses: dict[Node, frozenset[Node]] = field(default_factory=dict)
    transitive: frozenset[Node] = frozenset()
    symmetric: frozenset[Node] = frozenset()
    domains: dict[Node, frozenset[Node]] = field(default_factory=dict)
    ranges: dict[Node, frozenset[Node]] = field(default_factory=dict)

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
        super_props = _closure(sub_prop)
        return cls(
            super_classes={c: s - {c} for c, s in _closure(sub_class).items() if len(s) > 1},
            super_properties={p: s - {p} for p, s in super_props.items() if len(s) > 1},
            inverses={p: frozenset(q) for p, q in inverses.items()},
            transitive=frozenset(tbox.subjects(RDF.type, OWL.TransitiveProperty)),
            symmetric=frozenset(tbox.subjects(RDF.type, OWL.SymmetricProperty)),
            domains={p: frozenset(c) for p, c in domains.items()},
            ranges={p: frozenset(c) for p, c in ranges.items()},
        )


def _is_resource(node: Node) -> bool:
    return isinstance(node, URIRef | BNode)


def materialise(triples: Iterable[Triple], rules: Rules) -> set[Triple]:
    """The triples that follow from ``triples`` under ``rules`` and are not among them."""
    known: set[Triple] = set(triples)
    # Only transitive properties need joins, hence indexes only for them.
    forward: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    backward: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in known:
        if p in rules.transitive:
            forward[p][s].add(o)
            backward[p][o].add(s)
    inferred: set[Triple] = set()
    delta = known
    while delta:
        found: set[Triple] = set()
        for s, p, o in delta:
            for q in rules.super_properties.get(p, ()):
                found.add((s, q, o))
            if _is_resource(o):
                for q in rules.inverses.get(p, ()):
                    found.add((o, q, s))
                if p in rules.symmetric:
                    found.add((o, p, s))
                for c in rules.ranges.get(p, ()):
                    found.add((o, RDF.type, c))
            for c in rules.domains.get(p, ()):
                found.add((s, RDF.type, c))
            if p == RDF.type:
                for c in rules.super_classes.get(o, ()):
                    found.add((s, RDF.type, c))
            if p in rules.transitive:
                for x in forward[p].get(o, ()):
                    found.add((s, p, x))
                for y in backward[p].get(s, ()):
                    found.add((y, p, o))
        delta = {t for t in found if t not in known and not isinstance(t[0], Literal)}
        for s, p, o in delta:
            if p in rules.transitive:
                forward[p][s].add(o)
                backward[p][o].add(s)
        known |= delta
        inferred |= delta
    return inferred


def infer(data: Graph, tbox: Graph) -> Graph:
    """A graph of the entailments of ``data`` (which need not include ``tbox``)."""
    result = Graph()
    for triple in materialise(data, Rules.from_graph(tbox)):
        result.add(triple)
    return result
