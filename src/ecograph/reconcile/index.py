"""The graph's names, types and classes, held in memory for reconciliation.

Built once per server from the label rows the search box already reads (one read of every label
for both) and two SPARQL queries through the backend, so it works on the embedded store and
behind ``--endpoint`` alike. Names are indexed by their folded words (an inverted index: a query
only looks at the names that share a word with it) and by their compact key (letters and digits
only, folded), which makes "kilometro-rosso", "KILOMETRO ROSSO" and "Kilometro Rosso" one name.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Literal, URIRef

from ecograph.rdf.namespaces import ECO, ECOID
from ecograph.rdf.terms import ntriples
from ecograph.rdf.text import keys
from ecograph.store.backend import Backend
from ecograph.store.results import SelectResult

#: Most rows read for the types of all entities (at 1M triples: ~600k with the inferred ones).
TYPES_MAX_ROWS = 5_000_000

#: The classes are bound (VALUES): looking each up is cheaper than filtering every type triple.
TYPES_QUERY = """
SELECT ?entity ?class WHERE {
  VALUES ?class { %s }
  ?entity a ?class .
}"""

CLASSES_QUERY = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label ?broader WHERE {{
  ?class a owl:Class .
  FILTER (STRSTARTS(STR(?class), "{ECO}"))
  OPTIONAL {{ ?class rdfs:label ?label }}
  OPTIONAL {{ ?class rdfs:subClassOf ?broader . FILTER (STRSTARTS(STR(?broader), "{ECO}")) }}
}}"""


class LabelRow(Protocol):
    """One label as the search index reads it."""

    @property
    def entity(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def language(self) -> str: ...


@dataclass(frozen=True)
class IndexedName:
    entity: str
    text: str
    language: str
    key: str  # words joined by one space
    compact: str
    words: int


@dataclass(frozen=True)
class TypeInfo:
    """A class of the ontology as a reconciliation type: ``id`` is its local name."""

    id: str
    iri: str
    names: Mapping[str, str]  # language -> label
    broader: tuple[str, ...]  # ids of the direct super-classes

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names.get("en") or self.id


def entity_id(iri: str) -> str | None:
    """The reconciliation id of an instance IRI: its path after ``id/`` (``org/x``)."""
    return iri[len(ECOID) :] if iri.startswith(str(ECOID)) and len(iri) > len(ECOID) else None


def entity_iri(identifier: str) -> str:
    """The IRI of a reconciliation id, or of an IRI given as it is."""
    return identifier if identifier.startswith(("http://", "https://")) else f"{ECOID}{identifier}"


@dataclass
class NameIndex:
    """Every name of the graph's entities, their types, and the ontology's classes."""

    names: list[IndexedName] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_compact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_entity: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    types_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # most specific
    all_types_of: dict[str, frozenset[str]] = field(default_factory=dict)
    types: dict[str, TypeInfo] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        labels: Iterable[LabelRow],
        entity_types: Iterable[tuple[str, str]],
        classes: Iterable[tuple[str, str | None, str | None, str | None]],
    ) -> NameIndex:
        """``entity_types``: (entity IRI, class IRI); ``classes``: (class IRI, label, label
        language, broader class IRI), one row per label and super-class."""
        index = cls()
        names: dict[str, dict[str, str]] = defaultdict(dict)
        broader: dict[str, set[str]] = defaultdict(set)
        for iri, label, language, parent in classes:
            local = iri[len(ECO) :]
            if label is not None:
                names[local].setdefault(language or "", label)
            if parent is not None:
                broader[local].add(parent[len(ECO) :])
            else:
                broader.setdefault(local, set())
        for local in broader.keys() | names.keys():
            index.types[local] = TypeInfo(
                local, f"{ECO}{local}", dict(names[local]), tuple(sorted(broader[local]))
            )
        ancestors = {t: index.ancestors(t) for t in index.types}
        asserted: dict[str, set[str]] = defaultdict(set)
        for entity, klass in entity_types:
            asserted[entity].add(klass[len(ECO) :])
        # Entities share a handful of type sets: each is worked out once.
        worked: dict[frozenset[str], tuple[frozenset[str], tuple[str, ...]]] = {}
        for entity, kinds in asserted.items():
            kind_set = frozenset(kinds)
            if kind_set not in worked:
                closure = frozenset(kinds.union(*(ancestors.get(k, set()) for k in kinds)))
                implied = set().union(*(ancestors.get(k, set()) - {k} for k in kinds))
                worked[kind_set] = (closure, tuple(sorted(kinds - implied)))
            index.all_types_of[entity], index.types_of[entity] = worked[kind_set]
        prefix = str(ECOID)
        indexed, by_word, by_compact = index.names, index.by_word, index.by_compact
        by_entity = index.by_entity
        for row in labels:
            entity = row.entity
            if not entity.startswith(prefix) or len(entity) == len(prefix):
                continue
            key, compacted = keys(row.text)
            if not key:
                continue
            number = len(indexed)
            indexed.append(
                IndexedName(entity, row.text, row.language, key, compacted, key.count(" ") + 1)
            )
            for word in set(key.split()):
                by_word[word].append(number)
            by_compact[compacted].append(number)
            by_entity[entity].append(number)
        return index

    def ancestors(self, type_id: str) -> set[str]:
        """The type and all its super-classes."""
        seen: set[str] = set()
        todo = [type_id]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            info = self.types.get(current)
            todo += list(info.broader) if info else []
        return seen

    def is_a(self, entity: str, type_id: str) -> bool:
        """The entity is of the type or of one of its sub-classes."""
        return type_id in self.all_types_of.get(entity, frozenset())

    def name_of(self, entity: str, language: str = "en") -> str:
        """A display name: in ``language``, else English, Italian, any."""
        found = [self.names[i] for i in self.by_entity.get(entity, [])]
        for wanted in (language, "en", "it", ""):
            for name in found:
                if name.language == wanted:
                    return name.text
        return found[0].text if found else (entity_id(entity) or entity)

    def type_id(self, given: str) -> str | None:
        """A type as a query may give it: ``Cluster``, ``eco:Cluster`` or the class IRI."""
        local = given.removeprefix("eco:").removeprefix(str(ECO))
        return local if local in self.types else None

    def default_types(self) -> list[TypeInfo]:
        """Classes with no super-class of the ontology (Organisation, Person, Place...) that
        some entity has."""
        used = set().union(*self.all_types_of.values()) if self.all_types_of else set()
        roots = [t for t in self.types.values() if not t.broader and t.id in used]
        return sorted(roots, key=lambda t: t.id)


async def load_index(backend: Backend, labels: Iterable[LabelRow]) -> NameIndex:
    """Read types and classes through the backend and index them with ``labels``."""
    classes = await backend.query(CLASSES_QUERY, max_rows=100_000)
    rows = []
    for row in classes.rows if isinstance(classes, SelectResult) else ():
        label = row.get("label")
        parent = row.get("broader")
        rows.append(
            (
                str(row["class"]),
                str(label) if isinstance(label, Literal) else None,
                label.language if isinstance(label, Literal) else None,
                str(parent) if isinstance(parent, URIRef) else None,
            )
        )
    known = sorted({iri for iri, *_ in rows})
    pairs: list[tuple[str, str]] = []
    if known:
        values = " ".join(ntriples(URIRef(iri)) for iri in known)
        types = await backend.query(TYPES_QUERY % values, max_rows=TYPES_MAX_ROWS)
        pairs = [
            (str(row["entity"]), str(row["class"]))
            for row in (types.rows if isinstance(types, SelectResult) else ())
            if isinstance(row.get("entity"), URIRef) and str(row["entity"]).startswith(str(ECOID))
        ]
    # Seconds of Python at a million triples: in a thread, so the server answers meanwhile.
    return await asyncio.to_thread(NameIndex.build, list(labels), pairs, rows)
