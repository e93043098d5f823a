"""The properties a reconciliation query may filter on and data extension may fetch.

Four named ones — ``country`` (where the entity is, or whose ecosystem it belongs to),
``locatedIn`` (every place it is in, transitively), ``kind`` (its classes) and ``sources`` (the
articles it is derived from) — and any property of the graph given as ``eco:partOf`` or as a
full IRI. Values are read with one SPARQL query per batch (the entities in ``VALUES``), through
the backend, so the same code runs on the embedded store and on a remote endpoint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef

from ecograph.errors import ParameterError
from ecograph.rdf.namespaces import ECO, PREFIXES
from ecograph.rdf.terms import ntriples
from ecograph.rdf.text import compact
from ecograph.reconcile.index import NameIndex, entity_id
from ecograph.store.backend import Backend
from ecograph.store.results import SelectResult

#: Entities per query: a VALUES block of a few hundred IRIs stays well under any length limit.
CHUNK = 400


@dataclass(frozen=True)
class PropertyInfo:
    id: str
    name: str
    description: str
    pattern: str  # binds ?v for ?e; empty for kind, which the index answers
    type: str | None = None  # the type of the values, when they are entities


NAMED: dict[str, PropertyInfo] = {
    p.id: p
    for p in (
        PropertyInfo(
            "country",
            "country",
            "The country the entity is in, or whose ecosystem it belongs to",
            f"{{ ?e (<{ECO}locatedIn>|<{ECO}inEcosystemOf>)/<{ECO}within>* ?v . "
            f"?v a <{ECO}Country> }} UNION {{ ?e <{ECO}within> ?v . ?v a <{ECO}Country> }}",
            "Country",
        ),
        PropertyInfo(
            "locatedIn",
            "located in",
            "Every place the entity is located in: its city, province, region and country",
            f"{{ ?e <{ECO}locatedIn>/<{ECO}within>* ?v }} UNION {{ ?e <{ECO}within> ?v }}",
            "Place",
        ),
        PropertyInfo("kind", "kind", "The entity's classes in the ontology", ""),
        PropertyInfo(
            "sources",
            "sources",
            "The source articles the entity is derived from",
            "{ ?e <http://www.w3.org/ns/prov#wasDerivedFrom> ?v }",
            "Source",
        ),
    )
}


@dataclass(frozen=True)
class Value:
    """One value: an entity (``iri``) or a literal (``text``), and the keys it matches by."""

    iri: str | None
    text: str
    keys: frozenset[str]


def property_info(pid: str) -> PropertyInfo:
    """A named property, or any property given as ``prefix:name`` or a full IRI."""
    if pid in NAMED:
        return NAMED[pid]
    iri = pid
    prefix, sep, local = pid.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local
    if not iri.startswith(("http://", "https://")) or any(c in iri for c in '<>"{}|\\^` '):
        raise ParameterError(
            f"unknown property {pid!r}: use {', '.join(NAMED)}, a prefixed name such as "
            "eco:partOf, or a full IRI"
        )
    return PropertyInfo(pid, pid, f"The values of {iri}", f"{{ ?e {ntriples(URIRef(iri))} ?v }}")


def _values_query(entities: Iterable[str], infos: Iterable[PropertyInfo]) -> str:
    blocks = [
        f"{{ {info.pattern} BIND ({ntriples(Literal(info.id))} AS ?p) }}"
        for info in infos
        if info.pattern
    ]
    iris = " ".join(ntriples(URIRef(e)) for e in entities)
    return (
        f"SELECT DISTINCT ?e ?p ?v ?code WHERE {{\n  VALUES ?e {{ {iris} }}\n  "
        + "\n  UNION ".join(blocks)
        + f"\n  OPTIONAL {{ ?v <{ECO}iso3166Code> ?code }}\n}}"
    )


def _keys(index: NameIndex, iri: str) -> set[str]:
    keys = {iri}
    keys.update(index.names[n].compact for n in index.by_entity.get(iri, ()))
    return keys


async def fetch_values(
    backend: Backend, index: NameIndex, entities: Iterable[str], pids: Iterable[str]
) -> dict[str, dict[str, list[Value]]]:
    """entity -> property id -> values, for the named or given properties."""
    infos = [property_info(pid) for pid in dict.fromkeys(pids)]
    found: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    ordered = sorted(set(entities))
    if any(info.id == "kind" for info in infos):
        for entity in ordered:
            for type_id in sorted(index.all_types_of.get(entity, ())):
                info = index.types.get(type_id)
                keys = {f"{ECO}{type_id}", compact(type_id)}
                keys.update(compact(n) for n in (info.names.values() if info else ()))
                if type_id in index.types_of.get(entity, ()):
                    name = info.name() if info else type_id
                    found[entity]["kind"].append(Value(f"{ECO}{type_id}", name, frozenset(keys)))
                else:  # a super-class: matches, but is not listed
                    found[entity]["kind"].append(Value(None, "", frozenset(keys)))
    queried = [info for info in infos if info.pattern]
    for start in range(0, len(ordered), CHUNK) if queried else ():
        result = await backend.query(_values_query(ordered[start : start + CHUNK], queried))
        seen: set[tuple[str, str, str]] = set()
        for row in result.rows if isinstance(result, SelectResult) else ():
            entity, pid, value = str(row["e"]), str(row["p"]), row.get("v")
            if value is None or (entity, pid, str(value)) in seen:
                continue
            seen.add((entity, pid, str(value)))
            if isinstance(value, URIRef):
                keys = _keys(index, str(value))
                code = row.get("code")
                if code is not None:
                    keys.add(compact(str(code)))
                found[entity][pid].append(
                    Value(str(value), index.name_of(str(value)), frozenset(keys))
                )
            else:
                found[entity][pid].append(Value(None, str(value), frozenset({compact(str(value))})))
    return found


def as_keys(
    values: Mapping[str, Mapping[str, list[Value]]],
) -> dict[str, dict[str, frozenset[str]]]:
    """The matchable keys of each entity's values, for :mod:`ecograph.reconcile.matching`."""
    return {
        entity: {pid: frozenset().union(*(v.keys for v in vals)) for pid, vals in by_pid.items()}
        for entity, by_pid in values.items()
    }


def shown(value: Value) -> dict[str, str]:
    """A value as data extension shows it: an entity by id and name, a literal as text."""
    if value.iri is None:
        return {"str": value.text}
    if value.iri.startswith(str(ECO)):  # a class: by its type id
        return {"id": value.iri[len(ECO) :], "name": value.text}
    identifier = entity_id(value.iri)
    if identifier is None:  # an IRI outside the id space
        return {"id": value.iri, "name": value.text or value.iri}
    return {"id": identifier, "name": value.text}
