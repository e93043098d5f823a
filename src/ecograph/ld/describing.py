"""An entity's description read straight from an Oxigraph store's indexes.

The description is defined by :func:`describe_query`, the one SPARQL query
that any store can answer: the entity's asserted statements, the statements about it, and its
neighbours, named, or given in full when they have no name or are provenance. On Oxigraph that
query takes tens of milliseconds (its planner evaluates the union branches and the negated
``GRAPH`` filters over wide intermediate results), while the same triples are a few dozen index
lookups away. So the embedded backend's workers walk the indexes here instead; a test checks on
every entity of the project graph that both give the same triples.

"Asserted" means what the query's filter means: present in some graph, and absent from the
graph of entailments (:data:`ecograph.rdf.namespaces.INFERRED_GRAPH`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF

from ecograph.rdf.namespaces import ECO, INFERRED_GRAPH, sparql_prefixes
from ecograph.rdf.terms import WireTriple, oxigraph_to_wire

_TYPE = ox.NamedNode(str(RDF.type))
#: The predicates that name a thing (the query's ``rdfs:label|skos:prefLabel|dcterms:title``).
_NAMES = frozenset(
    ox.NamedNode(iri)
    for iri in (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://purl.org/dc/terms/title",
    )
)
#: What a named neighbour is described by: its names and its types.
_NAMING = _NAMES | {_TYPE}

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Subject, ox.NamedNode, Object]


PREFIXES = sparql_prefixes(("rdf", "rdfs", "skos", "dcterms", "prov", "eco"))
_NAMING_TEXT = "rdf:type, rdfs:label, skos:prefLabel, dcterms:title"


def asserted(s: str = "?s", p: str = "?p", o: str = "?o") -> str:
    """A filter that keeps a triple pattern's matches that are not only entailed."""
    return f"FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ {s} {p} {o} }} }}"


#: Neighbours described in full even when they have a name: where a fact comes from is part
#: of the fact (a source's title and date, an evidence node's verbatim quote and its
#: selectors, an inference's reason).
_PROVENANCE_CLASSES = (ECO.Source, ECO.Evidence, ECO.Inference)


def describe_query(iri: str) -> str:
    """The entity's statements, the statements about it, and its neighbours: named by their
    naming statements, or described in full when they have no name (a role's details) or when
    they are provenance (sources, evidence quotes, inferences), in which case what they point
    to is named too; the blank nodes the entity or such a neighbour points to (an evidence
    node's selectors, a source's checksum) are given in full, as they have no page of their
    own. One query, so that a document costs one round trip to the store."""
    node = URIRef(iri).n3()
    provenance = " ".join(c.n3() for c in _PROVENANCE_CLASSES)
    unnamed = "NOT EXISTS {{ {0} rdfs:label|skos:prefLabel|dcterms:title ?{1} }}"
    full = "EXISTS {{ VALUES ?{1}class {{ {2} }} {0} a ?{1}class }} || " + unnamed
    return f"""{PREFIXES}
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{
    VALUES ?s {{ {node} }} ?s ?p ?o .
  }} UNION {{
    VALUES ?o {{ {node} }} ?s ?p ?o .
  }} UNION {{
    VALUES ?e {{ {node} }}
    {{ ?e ?p0 ?s . FILTER (?p0 != rdf:type) {asserted("?e", "?p0", "?s")} }}
    UNION {{ ?s ?p1 ?e . {asserted("?s", "?p1", "?e")} }}
    FILTER (!isLiteral(?s) && ?s != ?e)
    ?s ?p ?o .
    FILTER (?p IN ({_NAMING_TEXT}) || {full.format("?s", "name", provenance)})
  }} UNION {{
    VALUES ?e {{ {node} }}
    {{ ?e ?p2 ?n . FILTER (?p2 != rdf:type) {asserted("?e", "?p2", "?n")} }}
    UNION {{ ?n ?p3 ?e . {asserted("?n", "?p3", "?e")} }}
    FILTER (!isLiteral(?n) && ?n != ?e)
    FILTER ({full.format("?n", "nname", provenance)})
    ?n ?q ?s .
    FILTER (isIRI(?s) && ?q != rdf:type && ?s != ?e)
    {asserted("?n", "?q", "?s")}
    ?s ?p ?o .
    FILTER (?p IN ({_NAMING_TEXT}))
  }} UNION {{
    VALUES ?e {{ {node} }}
    ?e ?r ?s .
    FILTER (isBlank(?s))
    {asserted("?e", "?r", "?s")}
    ?s ?p ?o .
  }} UNION {{
    VALUES ?e {{ {node} }}
    {{ ?e ?p4 ?m . FILTER (?p4 != rdf:type) {asserted("?e", "?p4", "?m")} }}
    UNION {{ ?m ?p5 ?e . {asserted("?m", "?p5", "?e")} }}
    FILTER (!isLiteral(?m) && ?m != ?e)
    FILTER ({full.format("?m", "mname", provenance)})
    ?m ?r ?s .
    FILTER (isBlank(?s))
    {asserted("?m", "?r", "?s")}
    ?s ?p ?o .
  }}
  {asserted()}
}}"""


def description(iri: str) -> Description:
    """What every format of an entity writes (see :func:`describe_query`)."""
    return Description(
        iri,
        describe_query(iri),
        str(INFERRED_GRAPH),
        frozenset(str(c) for c in _PROVENANCE_CLASSES),
    )


@dataclass(frozen=True)
class Description:
    """What :meth:`Backend.describe` gives the triples of. ``query`` defines them, as a
    CONSTRUCT that any store can run; ``inferred_graph`` (the graph of entailments, left out)
    and ``provenance_classes`` (neighbours of these classes are given in full) say the same to
    a backend that computes them another way."""

    iri: str
    query: str
    inferred_graph: str
    provenance_classes: frozenset[str]


class Describer:
    """Describes the entities of one store. A neighbour may have thousands of statements of
    which only its names and types are wanted, so those are looked up by predicate, and its
    other statements read only when it is described in full. What is learnt of neighbours is
    kept (up to ``keep`` of them): the store does not change, and the same places, sources and
    concepts are neighbours of many entities."""

    def __init__(
        self,
        store: ox.Store,
        *,
        inferred_graph: str,
        provenance_classes: frozenset[str],
        keep: int = 100_000,
    ) -> None:
        self._store = store
        self._inferred = ox.NamedNode(inferred_graph)
        self._provenance = frozenset(ox.NamedNode(c) for c in provenance_classes)
        self._keep = keep
        self._naming: dict[Subject, tuple[list[Triple], bool]] = {}

    def matches(
        self,
        subject: Subject | None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | None = None,
    ) -> dict[Triple, bool]:
        """Every triple that matches, in the store's order, with whether it is entailed."""
        seen: dict[Triple, bool] = {}
        for quad in self._store.quads_for_pattern(subject, predicate, obj, None):
            triple = cast(Triple, (quad.subject, quad.predicate, quad.object))
            seen[triple] = seen.get(triple, False) or quad.graph_name == self._inferred
        return seen

    def asserted(
        self,
        subject: Subject | None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | None = None,
    ) -> list[Triple]:
        return [t for t, entailed in self.matches(subject, predicate, obj).items() if not entailed]

    def naming(self, subject: Subject) -> tuple[list[Triple], bool]:
        """``subject``'s asserted names and types, and whether it is described in full: it
        is provenance (a source, an evidence quote) or has no name, entailed ones included."""
        known = self._naming.get(subject)
        if known is not None:
            return known
        triples: list[Triple] = []
        named = provenance = False
        for predicate in _NAMING:
            matches = self.matches(subject, predicate)
            if predicate == _TYPE:
                provenance = any(o in self._provenance for _, _, o in matches)
            else:
                named = named or bool(matches)
            triples += [t for t, entailed in matches.items() if not entailed]
        found = (triples, provenance or not named)
        if len(self._naming) >= self._keep:
            self._naming.clear()
        self._naming[subject] = found
        return found

    def describe(self, iri: str) -> list[WireTriple]:
        """The triples of :func:`describe_query` for ``iri``, without
        duplicates, in wire form."""
        return _describe(self, ox.NamedNode(iri))


def describe(
    store: ox.Store, iri: str, *, inferred_graph: str, provenance_classes: frozenset[str]
) -> list[WireTriple]:
    """:meth:`Describer.describe`, once."""
    describer = Describer(
        store, inferred_graph=inferred_graph, provenance_classes=provenance_classes
    )
    return describer.describe(iri)


def _describe(reader: Describer, entity: ox.NamedNode) -> list[WireTriple]:
    outgoing = reader.asserted(entity)
    incoming = reader.asserted(None, None, entity)
    found: dict[Triple, None] = dict.fromkeys(outgoing)
    found.update(dict.fromkeys(incoming))
    _blank_objects(reader, outgoing, found)
    for neighbour in _neighbours(entity, outgoing, incoming):
        naming, full = reader.naming(neighbour)
        if not full:
            found.update(dict.fromkeys(naming))
            continue
        triples = reader.asserted(neighbour)
        found.update(dict.fromkeys(triples))
        _blank_objects(reader, triples, found)
        for _, predicate, linked in triples:
            if predicate != _TYPE and isinstance(linked, ox.NamedNode) and linked != entity:
                found.update(dict.fromkeys(reader.naming(linked)[0]))
    return [(oxigraph_to_wire(s), oxigraph_to_wire(p), oxigraph_to_wire(o)) for s, p, o in found]


def _blank_objects(reader: Describer, triples: list[Triple], found: dict[Triple, None]) -> None:
    """The statements of the blank nodes ``triples`` point to (selectors, checksums)."""
    for _, _, linked in triples:
        if isinstance(linked, ox.BlankNode):
            found.update(dict.fromkeys(reader.asserted(linked)))


def _neighbours(
    entity: ox.NamedNode, outgoing: list[Triple], incoming: list[Triple]
) -> Iterator[Subject]:
    """What the entity links to (by anything but ``rdf:type``) and what links to it."""
    seen: set[Subject] = set()
    candidates = [o for _, p, o in outgoing if p != _TYPE] + [s for s, _, _ in incoming]
    for node in candidates:
        if isinstance(node, ox.Literal) or node == entity or node in seen:
            continue
        seen.add(node)
        yield node
