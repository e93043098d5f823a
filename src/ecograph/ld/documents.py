"""JSON-LD for ecograph entities: the published context, entity documents, schema.org markup.

Three things live here, all pure functions over rdflib graphs so that the API, the build and
the tests share them:

- the context (``context/ecograph.context.jsonld``), generated from the ontology by
  :func:`build_context` so that every term of the ontology has a short name and a coercion that
  follows its declared range; the committed file is what is served and is versioned with the
  ontology;
- :func:`entity_document`, which writes one entity and its neighbourhood as a compacted,
  deterministic document whose shape is the contract described in ``docs/jsonld.md``;
- :func:`schema_org_document`, the schema.org view of an entity for HTML pages, mapped through
  the ontology's own ``rdfs:subClassOf``/``rdfs:subPropertyOf`` alignments.

Nothing here ever dereferences a URL: :func:`to_graph` resolves the project's context URLs to
the local file and refuses any other remote context, because a JSON-LD processor that follows
``@context`` links lets a document make the server reach the network.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ecograph import __version__
from ecograph.errors import ConfigurationError, RemoteContextRefused
from ecograph.ld.languages import pick_language
from ecograph.rdf.closure import closure
from ecograph.rdf.namespaces import ECO, GEO, PREFIXES, SCHEMA

JSON = Any
"""A JSON value as :mod:`json` reads and writes it."""

CONTEXT_VERSION = __version__
#: Where the context file lives inside the project folder.
CONTEXT_PATH = Path("context") / "ecograph.context.jsonld"
#: Vocabulary prefixes offered by the context. Instance namespaces (``ecoid:``, ``wd:``) are
#: left out on purpose: identifiers in documents stay full IRIs that a site can follow as is.
CONTEXT_PREFIXES = (
    "eco",
    "rdf",
    "rdfs",
    "owl",
    "xsd",
    "skos",
    "dcterms",
    "dcat",
    "foaf",
    "org",
    "prov",
    "schema",
    "geo",
    "void",
    "oa",
    "spdx",
)

_LINK = {"@type": "@id", "@container": "@set"}

#: Terms for the standard vocabularies the data uses next to ``eco:``; the ontology's own
#: terms are generated from its declarations. Text properties are language maps.
STANDARD_TERMS: dict[str, JSON] = {
    "label": {"@id": "rdfs:label", "@container": "@language"},
    "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
    "altLabel": {"@id": "skos:altLabel", "@container": ["@language", "@set"]},
    "title": {"@id": "dcterms:title", "@container": "@language"},
    "description": {"@id": "dcterms:description", "@container": "@language"},
    "comment": {"@id": "rdfs:comment", "@container": "@language"},
    "definition": {"@id": "skos:definition", "@container": "@language"},
    "editorialNote": {"@id": "skos:editorialNote", "@container": ["@language", "@set"]},
    "scopeNote": {"@id": "skos:scopeNote", "@container": ["@language", "@set"]},
    "notation": {"@id": "skos:notation"},
    "exactMatch": {"@id": "skos:exactMatch", **_LINK},
    "closeMatch": {"@id": "skos:closeMatch", **_LINK},
    "broader": {"@id": "skos:broader", **_LINK},
    "narrower": {"@id": "skos:narrower", **_LINK},
    "related": {"@id": "skos:related", **_LINK},
    "inScheme": {"@id": "skos:inScheme", **_LINK},
    "topConceptOf": {"@id": "skos:topConceptOf", **_LINK},
    "hasTopConcept": {"@id": "skos:hasTopConcept", **_LINK},
    "sameAs": {"@id": "owl:sameAs", **_LINK},
    "seeAlso": {"@id": "rdfs:seeAlso", **_LINK},
    "isDefinedBy": {"@id": "rdfs:isDefinedBy", **_LINK},
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", **_LINK},
    "wasQuotedFrom": {"@id": "prov:wasQuotedFrom", **_LINK},
    "wasAttributedTo": {"@id": "prov:wasAttributedTo", **_LINK},
    "relation": {"@id": "dcterms:relation", **_LINK},
    "subject": {"@id": "dcterms:subject", **_LINK},
    "source": {"@id": "dcterms:source"},
    "creator": {"@id": "dcterms:creator", **_LINK},
    "publisher": {"@id": "dcterms:publisher"},
    "issued": {"@id": "dcterms:issued", "@type": "xsd:date"},
    "modified": {"@id": "dcterms:modified", "@type": "xsd:date"},
    "language": {"@id": "dcterms:language", "@type": "xsd:language"},
    "identifier": {"@id": "dcterms:identifier"},
    "format": {"@id": "dcterms:format"},
    "license": {"@id": "dcterms:license", "@type": "@id"},
    "lat": {"@id": "geo:lat", "@type": "xsd:decimal"},
    "long": {"@id": "geo:long", "@type": "xsd:decimal"},
    "givenName": {"@id": "foaf:givenName"},
    "familyName": {"@id": "foaf:familyName"},
    "Agent": "foaf:Agent",
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    # W3C Web Annotation: where an evidence quote stands in its source text
    "hasSource": {"@id": "oa:hasSource", **_LINK},
    "hasSelector": {"@id": "oa:hasSelector", **_LINK},
    "exact": {"@id": "oa:exact"},
    "prefix": {"@id": "oa:prefix"},
    "suffix": {"@id": "oa:suffix"},
    "start": {"@id": "oa:start"},
    "end": {"@id": "oa:end"},
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector",
    # DCAT 3 and SPDX: a source text's media type and checksum
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"},
    "checksum": {"@id": "spdx:checksum", **_LINK},
    "algorithm": {"@id": "spdx:algorithm", "@type": "@id"},
    "checksumValue": {"@id": "spdx:checksumValue", "@type": "xsd:hexBinary"},
    "Checksum": "spdx:Checksum",
    # classic RDF reification: the fact an eco:Inference names ("subject" is dcterms:subject)
    "statementSubject": {"@id": "rdf:subject", **_LINK},
    "statementPredicate": {"@id": "rdf:predicate", **_LINK},
    "statementObject": {"@id": "rdf:object", "@container": "@set"},
}

#: Keys that come first in a node object, in this order; the rest follow alphabetically.
_LEADING_KEYS = ("id", "type", "label", "prefLabel", "altLabel", "title")
#: Predicates that name a thing: a neighbour is described by these alone when it has them.
NAMING = (RDFS.label, SKOS.prefLabel, DCTERMS.title)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def context_url(base_iri: str, version: str | None = CONTEXT_VERSION) -> str:
    """The context's IRI: versioned (``.../context/0.1.0.jsonld``), or the latest one."""
    return f"{base_iri}context/{version}.jsonld" if version else f"{base_iri}context.jsonld"


# --------------------------------------------------------------------------------------------
# The context


def _local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _ranges(ontology: Graph, prop: URIRef) -> set[Node]:
    """Declared ranges, ``rdfs:range`` or the non-entailing ``schema:rangeIncludes`` that the
    ontology uses where a range does not hold for every use, with ``owl:unionOf`` opened."""
    found: set[Node] = set()
    values = [*ontology.objects(prop, RDFS.range), *ontology.objects(prop, SCHEMA.rangeIncludes)]
    for value in values:
        if isinstance(value, BNode):
            for members in ontology.objects(value, OWL.unionOf):
                found.update(Collection(ontology, members))
        else:
            found.add(value)
    return found


def _term_definition(ontology: Graph, prop: URIRef) -> JSON:
    """A property's term: links are ``@id`` sets, text is a language map, dates are typed."""
    compact = f"eco:{_local_name(prop)}"
    ranges = _ranges(ontology, prop)
    datatypes = {r for r in ranges if isinstance(r, URIRef) and str(r).startswith(str(XSD))}
    is_object = (prop, RDF.type, OWL.ObjectProperty) in ontology or (
        (prop, RDF.type, OWL.DatatypeProperty) not in ontology
        and any(
            isinstance(r, URIRef) and not str(r).startswith((str(XSD), str(RDF), str(RDFS)))
            for r in ranges
        )
    )
    if is_object:
        return {"@id": compact, **_LINK}
    if RDF.langString in ranges:
        return {"@id": compact, "@container": "@language"}
    if XSD.date in datatypes:
        return {"@id": compact, "@type": "xsd:date"}
    if datatypes == {XSD.decimal}:
        return {"@id": compact, "@type": "xsd:decimal"}
    return compact


def build_context(ontology: Graph, base_iri: str = "https://w3id.org/ecograph/") -> JSON:
    """The context document for ``ontology``: what ``context/ecograph.context.jsonld`` holds.

    Regenerate the file with ``python -m ecograph.ld.documents > context/ecograph.context.jsonld``
    after an ontology change; a test fails while the two disagree.
    """
    context: dict[str, JSON] = {"@version": 1.1, "id": "@id", "type": "@type"}
    context.update({prefix: PREFIXES[prefix] for prefix in CONTEXT_PREFIXES})
    context.update(STANDARD_TERMS)
    declared: dict[str, URIRef] = {}
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    properties = {
        p for t in _PROPERTY_TYPES for p in ontology.subjects(RDF.type, t) if isinstance(p, URIRef)
    }
    for iri in sorted(classes | properties):
        if not str(iri).startswith(str(ECO)):
            continue
        term = _local_name(iri)
        if term in context or term in declared:
            raise ConfigurationError(f"the context term {term!r} of {iri} is already taken")
        declared[term] = iri
    for term, iri in declared.items():
        context[term] = f"eco:{term}" if iri in classes else _term_definition(ontology, iri)
    return {
        "@context": context,
        "id": context_url(base_iri),
        "owl:versionInfo": CONTEXT_VERSION,
        "dcterms:title": {"@value": "The ecograph JSON-LD context", "@language": "en"},
    }


@lru_cache(maxsize=4)
def _read_json(path: Path, mtime_ns: int) -> JSON:
    del mtime_ns  # part of the cache key only: an edited file is read again
    return json.loads(path.read_text(encoding="utf-8"))


def load_context_document(root: Path) -> JSON:
    """The committed context document of the project at ``root``, read once per change."""
    path = root / CONTEXT_PATH
    try:
        return _read_json(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise ConfigurationError(f"no JSON-LD context at {path}") from None


def load_context(root: Path) -> Context:
    """The committed context of the project at ``root``, read for compaction once per change:
    every entity document is compacted with it."""
    path = root / CONTEXT_PATH
    try:
        return _read_context(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise ConfigurationError(f"no JSON-LD context at {path}") from None


@lru_cache(maxsize=4)
def _read_context(path: Path, mtime_ns: int) -> Context:
    return Context.from_document(_read_json(path, mtime_ns))


@dataclass(frozen=True)
class Term:
    """A term of the context, with its IRI expanded."""

    name: str
    iri: str
    type: str | None = None
    container: frozenset[str] = frozenset()

    @property
    def is_language_map(self) -> bool:
        return "@language" in self.container

    @property
    def is_set(self) -> bool:
        return "@set" in self.container


@dataclass(frozen=True)
class Context:
    """A context read for compaction: terms by IRI and the prefixes for compact IRIs."""

    terms: Mapping[str, Term]
    by_iri: Mapping[str, Term]
    prefixes: tuple[tuple[str, str], ...]

    @classmethod
    def from_document(cls, document: JSON) -> Context:
        raw: Mapping[str, JSON] = document.get("@context", document)
        prefixes = {
            name: value
            for name, value in raw.items()
            if isinstance(value, str) and not name.startswith("@") and value.endswith(("/", "#"))
        }

        def expand(value: str) -> str:
            prefix, colon, rest = value.partition(":")
            if colon and prefix in prefixes and not rest.startswith("//"):
                return prefixes[prefix] + rest
            return value

        terms: dict[str, Term] = {}
        for name, value in raw.items():
            if name.startswith("@") or name in prefixes:
                continue
            if isinstance(value, str):
                if not value.startswith("@"):
                    terms[name] = Term(name, expand(value))
            elif isinstance(value, dict) and "@id" in value and "@reverse" not in value:
                container = value.get("@container", ())
                containers = [container] if isinstance(container, str) else list(container)
                coerced = value.get("@type")
                terms[name] = Term(
                    name,
                    expand(value["@id"]),
                    expand(coerced) if isinstance(coerced, str) else None,
                    frozenset(containers),
                )
        by_iri: dict[str, Term] = {}
        for term in sorted(terms.values(), key=lambda t: (len(t.name), t.name)):
            by_iri.setdefault(term.iri, term)
        ordered = sorted(((iri, name) for name, iri in prefixes.items()), key=lambda p: -len(p[0]))
        return cls(terms, by_iri, tuple(ordered))

    def compact_iri(self, iri: str) -> str:
        """``prefix:local`` for an IRI under one of the context's prefixes, else the IRI."""
        for namespace, prefix in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def vocab_name(self, iri: str) -> str:
        """The shortest name for a class or property: its term, else a compact IRI."""
        term = self.by_iri.get(iri)
        return term.name if term is not None else self.compact_iri(iri)


# --------------------------------------------------------------------------------------------
# Entity documents


def _canonical_integer(lexical: str) -> bool:
    return re.fullmatch(r"-?(0|[1-9][0-9]*)", lexical) is not None


def _literal(value: Literal, term: Term | None, context: Context) -> JSON:
    """A literal as the term lets it be written: a bare JSON value only when expanding it
    against the term gives the same literal back, else an explicit value object."""
    lexical = str(value)
    if value.language:
        return {"@value": lexical, "@language": value.language}
    datatype = str(value.datatype or XSD.string)
    if term is not None and term.type is not None:
        if term.type == datatype:
            return lexical
        if datatype == str(XSD.string):
            return {"@value": lexical}
        return {"@value": lexical, "@type": context.compact_iri(datatype)}
    if datatype == str(XSD.string):
        return lexical
    if datatype == str(XSD.integer) and _canonical_integer(lexical):
        return int(lexical)
    if datatype == str(XSD.boolean) and lexical in {"true", "false"}:
        return lexical == "true"
    return {"@value": lexical, "@type": context.compact_iri(datatype)}


def _sort_key(value: JSON) -> tuple[str, str]:
    if isinstance(value, dict):
        if "id" in value:
            return ("0", value["id"])
        return ("1", json.dumps(value, sort_keys=True, ensure_ascii=False))
    return ("2", json.dumps(value, sort_keys=True, ensure_ascii=False))


def _ordered(node: dict[str, JSON]) -> dict[str, JSON]:
    leading = [k for k in _LEADING_KEYS if k in node]
    rest = sorted((k for k in node if k not in _LEADING_KEYS and k != "@reverse"), key=str.lower)
    ordered = {k: node[k] for k in (*leading, *rest)}
    if "@reverse" in node:
        ordered["@reverse"] = node["@reverse"]
    return ordered


@dataclass
class _Writer:
    """Writes the nested node objects of one entity document."""

    graph: Graph
    focus: URIRef
    context: Context

    def types(self, node: Node) -> list[str]:
        names = {self.context.vocab_name(str(t)) for t in self.graph.objects(node, RDF.type)}
        return sorted(names)

    def node(self, node: Node, depth: int) -> dict[str, JSON]:
        """``node`` with its statements: all of them for the entity and its neighbours, only
        the naming ones further out, where a node is there to be named, not described."""
        result: dict[str, JSON] = {}
        if isinstance(node, URIRef):
            result["id"] = str(node)
        elif isinstance(node, BNode):
            result["id"] = self.blank_label(node)
        types = self.types(node)
        if types:
            result["type"] = types
        by_predicate: dict[URIRef, list[Node]] = defaultdict(list)
        for predicate, value in self.graph.predicate_objects(node):
            if predicate == RDF.type or not isinstance(predicate, URIRef):
                continue
            if depth > 0 and value == self.focus:
                continue  # said once, in the entity's own "@reverse"
            if depth > 1 and predicate not in NAMING and not isinstance(node, BNode):
                continue  # a blank node (a selector, a checksum) is there to be described
            by_predicate[predicate].append(value)
        for predicate, values in by_predicate.items():
            self.add_values(result, predicate, values, depth)
        return _ordered(result)

    def blank_label(self, node: BNode) -> str:
        """A label for a blank node (a selector, a checksum) that is the same in every document
        and build: from what points to it and what it says. With it, a blank node written twice
        (an evidence node listed under two properties) stays one node when read back."""
        said = sorted(f"{p.n3()} {o.n3()}" for p, o in self.graph.predicate_objects(node))
        said += sorted(f"^{s.n3()} {p.n3()}" for s, p in self.graph.subject_predicates(node))
        return "_:b" + hashlib.sha256("\n".join(said).encode("utf-8")).hexdigest()[:16]

    def reference(self, value: Node, depth: int) -> dict[str, JSON]:
        if value == self.focus or (isinstance(value, BNode) and depth > 1):
            return {"id": str(value)} if isinstance(value, URIRef) else {}
        return self.node(value, depth + 1)

    def add_values(
        self, target: dict[str, JSON], predicate: URIRef, values: list[Node], depth: int
    ) -> None:
        term = self.context.by_iri.get(str(predicate))
        fitting: list[JSON] = []
        language_map: dict[str, list[str]] = defaultdict(list)
        misfits: list[JSON] = []
        for value in values:
            if isinstance(value, Literal):
                if term is not None and term.is_language_map:
                    if value.language:
                        language_map[value.language].append(str(value))
                    elif value.datatype in (None, XSD.string):
                        language_map["@none"].append(str(value))
                    else:
                        misfits.append(_literal(value, None, self.context))
                elif term is not None and term.type == "@id":
                    misfits.append(_literal(value, None, self.context))
                else:
                    fitting.append(_literal(value, term, self.context))
            elif term is not None and (term.is_language_map or term.type not in (None, "@id")):
                misfits.append(self.reference(value, depth))
            else:
                fitting.append(self.reference(value, depth))
        if term is not None and language_map:
            target[term.name] = {
                lang: sorted(texts) if term.is_set or len(texts) > 1 else texts[0]
                for lang, texts in sorted(language_map.items())
            }
        if fitting:
            key = term.name if term is not None else self.context.compact_iri(str(predicate))
            as_list = (
                (term is not None and term.is_set)
                or len(fitting) > 1
                or any(isinstance(v, dict) and "@value" not in v for v in fitting)
            )
            fitting.sort(key=_sort_key)
            target[key] = fitting if as_list else fitting[0]
        if misfits:
            misfits.sort(key=_sort_key)
            target[self.context.compact_iri(str(predicate))] = misfits

    def reverse(self) -> dict[str, JSON]:
        by_predicate: dict[URIRef, list[dict[str, JSON]]] = defaultdict(list)
        for subject, predicate in self.graph.subject_predicates(self.focus):
            if isinstance(predicate, URIRef) and subject != self.focus:
                by_predicate[predicate].append(self.node(subject, 1))
        result: dict[str, JSON] = {}
        for predicate, nodes in by_predicate.items():
            nodes.sort(key=_sort_key)
            result[self.context.vocab_name(str(predicate))] = nodes
        return {k: result[k] for k in sorted(result, key=str.lower)}


def entity_document(
    graph: Graph, focus: URIRef, context: Context, context_ref: JSON
) -> dict[str, JSON]:
    """The JSON-LD document of ``focus``: the contract of ``docs/jsonld.md``.

    ``graph`` is the entity's description (its statements, the statements about it, and its
    neighbours' names, as ``api.entities.describe`` gathers it); everything in it is written,
    nothing else, so the document expands back to exactly ``graph``. ``context_ref`` is the
    context's URL, or the context itself to embed it.
    """
    writer = _Writer(graph, focus, context)
    body = writer.node(focus, 0)
    reverse = writer.reverse()
    if reverse:
        body["@reverse"] = reverse
    return {"@context": context_ref, **body}


# --------------------------------------------------------------------------------------------
# Reading JSON-LD without the network


def _resolve_contexts(value: JSON, local: Mapping[str, JSON], inside_context: bool) -> JSON:
    """A copy of ``value`` in which every context reference is replaced by the local context
    it names; any other reference raises, so no JSON-LD processor ever gets to fetch it."""
    if isinstance(value, list):
        return [_resolve_contexts(item, local, inside_context) for item in value]
    if not isinstance(value, dict):
        return value
    resolved: dict[str, JSON] = {}
    for key, item in value.items():
        if key == "@context" or (inside_context and key == "@import"):
            resolved[key] = _resolve_reference(item, local)
        else:
            resolved[key] = _resolve_contexts(item, local, inside_context)
    return resolved


def _resolve_reference(reference: JSON, local: Mapping[str, JSON]) -> JSON:
    if isinstance(reference, str):
        if reference not in local:
            raise RemoteContextRefused(
                f"the JSON-LD context {reference!r} is not one of ecograph's own"
                f" ({', '.join(sorted(local)) or 'none'}); remote contexts are never fetched"
            )
        found = local[reference]
        return _resolve_reference(found.get("@context", found), local)
    if isinstance(reference, list):
        return [_resolve_reference(item, local) for item in reference]
    return _resolve_contexts(reference, local, inside_context=True)


def to_graph(
    document: JSON | str | bytes, local_contexts: Mapping[str, JSON], base: str | None = None
) -> Graph:
    """The triples of a JSON-LD document, whose contexts must all be given in
    ``local_contexts`` (URL → context document): ``RemoteContextRefused`` otherwise."""
    data = json.loads(document) if isinstance(document, str | bytes) else document
    resolved = _resolve_contexts(data, local_contexts, inside_context=False)
    graph = Graph()
    graph.parse(data=json.dumps(resolved), format="json-ld", base=base)
    return graph


def project_contexts(base_iri: str, context_document: JSON) -> dict[str, JSON]:
    """The URLs under which the project's context is published, each to the local copy."""
    return {context_url(base_iri, None): context_document, context_url(base_iri): context_document}


# --------------------------------------------------------------------------------------------
# Vocabulary: labels, definitions and alignments of the ontology's terms


#: Names of the standard properties the pages show, where the ontology does not name them.
STANDARD_LABELS: dict[URIRef, dict[str, str]] = {
    RDFS.label: {"en": "name", "it": "nome"},
    SKOS.prefLabel: {"en": "name", "it": "nome"},
    SKOS.altLabel: {"en": "also called", "it": "detto anche"},
    SKOS.definition: {"en": "definition", "it": "definizione"},
    SKOS.editorialNote: {"en": "editorial note", "it": "nota redazionale"},
    SKOS.exactMatch: {"en": "same as", "it": "corrisponde a"},
    SKOS.closeMatch: {"en": "close to", "it": "simile a"},
    SKOS.broader: {"en": "broader concept", "it": "concetto più ampio"},
    SKOS.narrower: {"en": "narrower concept", "it": "concetto più specifico"},
    SKOS.inScheme: {"en": "in scheme", "it": "nello schema"},
    SKOS.topConceptOf: {"en": "top concept of", "it": "concetto principale di"},
    SKOS.hasTopConcept: {"en": "top concept", "it": "concetto principale"},
    DCTERMS.description: {"en": "description", "it": "descrizione"},
    DCTERMS.title: {"en": "title", "it": "titolo"},
    DCTERMS.publisher: {"en": "publisher", "it": "editore"},
    DCTERMS.creator: {"en": "author", "it": "autore"},
    DCTERMS.issued: {"en": "published", "it": "pubblicato"},
    DCTERMS.language: {"en": "language", "it": "lingua"},
    DCTERMS.identifier: {"en": "identifier", "it": "identificativo"},
    DCTERMS.format: {"en": "format", "it": "formato"},
    PROV.wasDerivedFrom: {"en": "source", "it": "fonte"},
    PROV.wasQuotedFrom: {"en": "quoted from", "it": "citato da"},
    PROV.wasAttributedTo: {"en": "said by", "it": "attribuito a"},
    DCTERMS.relation: {"en": "related to", "it": "collegato a"},
    DCTERMS.subject: {"en": "about", "it": "riguarda"},
    DCTERMS.source: {"en": "taken from", "it": "tratto da"},
    FOAF.givenName: {"en": "given name", "it": "nome"},
    FOAF.familyName: {"en": "family name", "it": "cognome"},
    RDF.type: {"en": "kind", "it": "tipo"},
    GEO.lat: {"en": "latitude", "it": "latitudine"},
    GEO.long: {"en": "longitude", "it": "longitudine"},
    OWL.sameAs: {"en": "same as", "it": "uguale a"},
    RDFS.isDefinedBy: {"en": "defined by", "it": "definito da"},
    RDFS.seeAlso: {"en": "see also", "it": "vedi anche"},
}

#: schema.org properties for the standard (non-``eco:``) properties of the data.
STANDARD_SCHEMA_PROPERTIES: dict[URIRef, URIRef] = {
    RDFS.label: SCHEMA.name,
    SKOS.prefLabel: SCHEMA.name,
    DCTERMS.title: SCHEMA.name,
    SKOS.altLabel: SCHEMA.alternateName,
    DCTERMS.description: SCHEMA.description,
    SKOS.definition: SCHEMA.description,
    SKOS.exactMatch: SCHEMA.sameAs,
    OWL.sameAs: SCHEMA.sameAs,
    PROV.wasDerivedFrom: SCHEMA.isBasedOn,
    DCTERMS.issued: SCHEMA.datePublished,
    DCTERMS.publisher: SCHEMA.publisher,
    DCTERMS.creator: SCHEMA.author,
    DCTERMS.identifier: SCHEMA.identifier,
    DCTERMS.language: SCHEMA.inLanguage,
    GEO.lat: SCHEMA.latitude,
    GEO.long: SCHEMA.longitude,
    FOAF.givenName: SCHEMA.givenName,
    FOAF.familyName: SCHEMA.familyName,
    DCTERMS.subject: SCHEMA.about,
}
_SCHEMA_CLASSES_FOR_STANDARD: dict[URIRef, URIRef] = {
    FOAF.Person: SCHEMA.Person,
    FOAF.Organization: SCHEMA.Organization,
    SKOS.Concept: SCHEMA.DefinedTerm,
    SKOS.ConceptScheme: SCHEMA.DefinedTermSet,
}


def humanise(name: str) -> str:
    """``"inEcosystemOf"`` → ``"in ecosystem of"``: a readable fallback for unnamed terms."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[-_]", " ", name).split()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


@dataclass(frozen=True)
class Vocabulary:
    """What the pages and the schema.org mapping need to know about the ontology's terms."""

    labels: Mapping[URIRef, Mapping[str, str]] = field(default_factory=dict)
    definitions: Mapping[URIRef, Mapping[str, str]] = field(default_factory=dict)
    super_classes: Mapping[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    super_properties: Mapping[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    properties: frozenset[URIRef] = frozenset()
    classes: frozenset[URIRef] = frozenset()

    @classmethod
    def from_graph(cls, ontology: Graph) -> Vocabulary:
        labels: dict[URIRef, dict[str, str]] = defaultdict(dict)
        definitions: dict[URIRef, dict[str, str]] = defaultdict(dict)
        for subject, value in ontology.subject_objects(RDFS.label):
            if isinstance(subject, URIRef) and isinstance(value, Literal):
                labels[subject].setdefault(value.language or "", str(value))
        for predicate in (SKOS.definition, RDFS.comment):
            for subject, value in ontology.subject_objects(predicate):
                if isinstance(subject, URIRef) and isinstance(value, Literal):
                    definitions[subject].setdefault(value.language or "", str(value))
        sub_class: dict[URIRef, set[URIRef]] = defaultdict(set)
        for c, d in ontology.subject_objects(RDFS.subClassOf):
            if isinstance(c, URIRef) and isinstance(d, URIRef):
                sub_class[c].add(d)
        sub_property: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, q in ontology.subject_objects(RDFS.subPropertyOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                sub_property[p].add(q)
        classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
        properties = {
            p
            for t in _PROPERTY_TYPES
            for p in ontology.subjects(RDF.type, t)
            if isinstance(p, URIRef)
        }
        return cls(
            labels=dict(labels),
            definitions=dict(definitions),
            super_classes=closure(sub_class),
            super_properties=closure(sub_property),
            properties=frozenset(properties),
            classes=frozenset(classes),
        )

    def label(self, iri: URIRef, languages: Sequence[str] = ("en",)) -> str:
        """The term's label in the first of ``languages`` that has one, else any label, else
        its local name in words."""
        found = self.labels.get(iri) or STANDARD_LABELS.get(iri) or {}
        return pick_language(found, languages) or humanise(_local_name(iri))

    def label_in(self, iri: URIRef, language: str) -> str | None:
        """The term's label in exactly ``language``, or ``None``."""
        return (self.labels.get(iri) or STANDARD_LABELS.get(iri) or {}).get(language)

    def definition(self, iri: URIRef, languages: Sequence[str] = ("en",)) -> str | None:
        return pick_language(self.definitions.get(iri) or {}, languages)

    def schema_classes(self, types: Iterable[Node]) -> list[URIRef]:
        """schema.org classes of a thing with ``types``, through the ontology's alignments."""
        found: set[URIRef] = set()
        for cls in types:
            if not isinstance(cls, URIRef):
                continue
            if cls in _SCHEMA_CLASSES_FOR_STANDARD:
                found.add(_SCHEMA_CLASSES_FOR_STANDARD[cls])
            for ancestor in self.super_classes.get(cls, frozenset({cls})):
                if str(ancestor).startswith(str(SCHEMA)):
                    found.add(ancestor)
        return sorted(found)

    def schema_properties(self, predicate: URIRef) -> list[URIRef]:
        """schema.org properties that ``predicate`` is aligned to (itself if it is one)."""
        if predicate in STANDARD_SCHEMA_PROPERTIES:
            return [STANDARD_SCHEMA_PROPERTIES[predicate]]
        ancestors = self.super_properties.get(predicate, frozenset({predicate}))
        return sorted(a for a in ancestors if str(a).startswith(str(SCHEMA)))


def literal_texts(
    graph: Graph, node: Node, predicates: Iterable[URIRef] = NAMING
) -> dict[str, str]:
    """Language → text for ``node``'s first naming predicate that has any value."""
    for predicate in predicates:
        texts: dict[str, str] = {}
        for value in sorted(graph.objects(node, predicate), key=str):
            if isinstance(value, Literal):
                texts.setdefault(value.language or "", str(value))
        if texts:
            return texts
    return {}


# --------------------------------------------------------------------------------------------
# schema.org


def _schema_name(iri: URIRef) -> str:
    return str(iri)[len(str(SCHEMA)) :]


def _schema_literal(value: Literal) -> JSON:
    if value.language:
        return {"@value": str(value), "@language": value.language}
    return str(value)


def schema_org_document(
    graph: Graph, focus: URIRef, vocabulary: Vocabulary, url: str | None = None
) -> dict[str, JSON]:
    """The schema.org view of ``focus`` for a page's ``<script type="application/ld+json">``.

    Only statements whose property the ontology aligns to schema.org are kept, so the result
    is plain schema.org that search engines and other sites read without ecograph's context;
    linked things come with their schema.org type and name. The context is inline (``@vocab``)
    so that reading it needs no request either.
    """
    document: dict[str, JSON] = {"@context": {"@vocab": str(SCHEMA)}, "@id": str(focus)}
    types = vocabulary.schema_classes(graph.objects(focus, RDF.type))
    document["@type"] = [_schema_name(t) for t in types] or ["Thing"]
    if url:
        document["url"] = url
    values: dict[str, list[JSON]] = defaultdict(list)
    for predicate, value in sorted(graph.predicate_objects(focus)):
        if predicate == RDF.type or not isinstance(predicate, URIRef):
            continue
        for schema_property in vocabulary.schema_properties(predicate):
            key = _schema_name(schema_property)
            if isinstance(value, Literal):
                item: JSON = _schema_literal(value)
            elif isinstance(value, URIRef):
                item = {"@id": str(value)}
                linked_types = vocabulary.schema_classes(graph.objects(value, RDF.type))
                if linked_types:
                    item["@type"] = [_schema_name(t) for t in linked_types]
                names = literal_texts(graph, value)
                if names:
                    item["name"] = [
                        {"@value": text, "@language": lang} if lang else text
                        for lang, text in sorted(names.items())
                    ]
            else:
                continue
            if item not in values[key]:
                values[key].append(item)
    for key in sorted(values):
        items = values[key]
        document[key] = items[0] if len(items) == 1 else items
    return document


def html_script_json(document: JSON) -> str:
    """JSON that can sit inside ``<script>``: no ``</script>``, ``<!--`` or ``&`` can appear,
    whatever the labels in the data say."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dumps(document: JSON) -> str:
    """The one serialisation of JSON documents, so that equal documents give equal ETags."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def dumps_context(document: JSON) -> str:
    """The context file's layout: one term per line, so that a diff shows one term's change."""
    lines = ["{", '  "@context": {']
    inner = document["@context"]
    entries = [
        f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in inner.items()
    ]
    lines.append(",\n".join(entries))
    rest = [
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in document.items()
        if key != "@context"
    ]
    lines.append("  }" + ("," if rest else ""))
    lines.append(",\n".join(rest))
    lines.append("}")
    return "\n".join(line for line in lines if line) + "\n"


def main() -> None:
    """Print the context built from the project's ontology (to regenerate the committed file)."""
    from ecograph.settings import Settings

    settings = Settings()
    ontology = Graph()
    for path in settings.ontology_files:
        ontology.parse(path, format="turtle")
    print(dumps_context(build_context(ontology, settings.base_iri)), end="")


if __name__ == "__main__":
    main()
