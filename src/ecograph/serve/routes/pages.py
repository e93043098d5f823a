"""Pages for people: the home page, entity pages, the query page, the ontology and the shapes.

Pages are written from the same descriptions as the data formats (``api.entities``), in words:
property names come from the ontology's labels, in the reader's language with the Italian (or
English) alongside. Every asset is served by this app (``/static/…``), so the pages work
offline; every value goes through Jinja's autoescaping, and the one block that cannot (the
JSON-LD inside ``<script>``) is escaped for that context by ``jsonld.html_script_json``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from ecograph import __version__
from ecograph.errors import EcographError, ParameterError
from ecograph.ld import documents as jsonld
from ecograph.rdf.catalogue import Catalogue
from ecograph.rdf.namespaces import ECO, SCHEMA
from ecograph.rdf.namespaces import PREFIXES as NAMESPACE_PREFIXES
from ecograph.serve.common import (
    PREFIXES,
    BackendDep,
    LanguagesDep,
    SettingsDep,
    asserted,
    first_in,
    get_settings,
    iri_values,
    labels_of,
    local_href,
    site_base,
    texts_by_language,
    vocabulary,
)
from ecograph.serve.routes.search import LabelIndex
from ecograph.settings import Settings
from ecograph.store.backend import Backend

if TYPE_CHECKING:
    from ecograph.serve.routes.linked_data import CloseMatch, Dump

router = APIRouter(tags=["pages"], include_in_schema=False)

_environment = Environment(
    loader=PackageLoader("ecograph.serve", "templates"),
    autoescape=select_autoescape(("html",), default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

#: What each kind of IRI (``/id/{kind}/…``) holds, for the home page, in English and Italian.
KINDS: dict[str, tuple[str, str]] = {
    "org": ("Organisations", "Organizzazioni"),
    "person": ("People", "Persone"),
    "role": ("Roles", "Ruoli"),
    "place": ("Places", "Luoghi"),
    "mission": ("Missions", "Missioni"),
    "event": ("Events", "Eventi"),
    "project": ("Projects", "Progetti"),
    "agreement": ("Agreements", "Accordi"),
    "programme": ("Funding programmes", "Programmi di finanziamento"),
    "figure": ("Figures", "Cifre"),
    "designation": ("Designations", "Designazioni"),
    "source": ("Source articles", "Articoli fonte"),
    "evidence": ("Evidence quotes", "Citazioni"),
    "ecosystem": ("Innovation ecosystems", "Ecosistemi dell'innovazione"),
    "link": ("Cross-border links", "Collegamenti transfrontalieri"),
    "sector": ("Sectors", "Settori"),
    "policy": ("Policy frameworks", "Quadri politici"),
    "role-type": ("Role types", "Tipi di ruolo"),
    "status": ("Statuses", "Stati"),
    "kind": ("Counted kinds", "Tipi contati"),
    "fund": ("Funds", "Fondi"),
    "scheme": ("Concept schemes", "Schemi di concetti"),
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Shown apart from the facts: as the title, the names, the description, the sources.
_APART = {
    RDF.type,
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    DCTERMS.description,
    PROV.wasDerivedFrom,
    ECO.evidence,
}
_STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(css|js|svg)$")
_STATIC_TYPES = {"css": "text/css", "js": "text/javascript", "svg": "image/svg+xml"}


def render(template: str, request: Request, **values: Any) -> str:
    """A page, with what every template needs: the base for links and the version."""
    settings = get_settings(request)
    values.setdefault("base", site_base(request, settings))
    values.setdefault("version", __version__)
    values.setdefault("base_iri", settings.base_iri)
    return _environment.get_template(template).render(**values)


def page_response(html: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status_code)


# --------------------------------------------------------------------------------------------
# Values in words


@dataclass(frozen=True)
class ValueView:
    """One value as a page shows it: text, where it links, the language it is in."""

    text: str
    href: str | None = None
    lang: str | None = None
    kind: str = "text"
    note: str | None = None


@dataclass
class FactView:
    """A property with its values; ``label_alt`` is the label in the other project language."""

    label: str
    values: list[ValueView]
    label_alt: str | None = None
    definition: str | None = None
    iri: str = ""


def compact(iri: str) -> str:
    """``eco:Cluster`` for a vocabulary IRI, for display only."""
    for prefix, namespace in sorted(NAMESPACE_PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _slug_words(iri: str) -> str:
    tail = re.split(r"[#/]", iri.rstrip("/"))[-1]
    return tail.replace("-", " ") if tail else iri


def _date_words(value: Literal) -> str | None:
    """Dates as people write them; the exact value stays in the data formats."""
    lexical = str(value)
    datatype = value.datatype
    try:
        if datatype == XSD.date:
            day = date.fromisoformat(lexical[:10])
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        if datatype == XSD.dateTime:
            moment = datetime.fromisoformat(lexical)
            return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"
        if datatype == XSD.gYearMonth:
            year, month = lexical[:7].split("-")
            return f"{_MONTHS[int(month) - 1]} {year}"
        if datatype == XSD.gYear:
            return lexical[:4]
        if datatype == XSD.gMonthDay:
            month, day_ = lexical[2:7].split("-")
            return f"{int(day_)} {_MONTHS[int(month) - 1]} (year not given)"
        if datatype == XSD.gMonth:
            return f"{_MONTHS[int(lexical[2:4]) - 1]} (year not given)"
    except (ValueError, IndexError):
        return None
    return None


def literal_view(value: Literal, wanted: Sequence[str]) -> ValueView:
    words = _date_words(value)
    if words is not None:
        return ValueView(words, kind="date", note=str(value))
    if value.datatype == XSD.boolean:
        return ValueView("yes" if str(value) in {"true", "1"} else "no", kind="boolean")
    if value.datatype in (XSD.integer, XSD.decimal, XSD.int, XSD.double):
        return ValueView(str(value), kind="number")
    lang = value.language
    shown = lang if lang and lang != wanted[0] else None
    return ValueView(str(value), lang=shown, kind="text")


#: What names a node that has no name of its own: a role by its wording, a figure by the
#: article's words, an evidence node by its quote.
_STAND_IN_NAMES = (*jsonld.NAMING, ECO.roleLabel, ECO.figureLabel, ECO.quote)


def name_of(graph: Graph, node: Node, wanted: Sequence[str]) -> tuple[str, str | None]:
    """(name, its language) of a node in ``graph``, else its slug in words."""
    found = first_in(jsonld.literal_texts(graph, node, _STAND_IN_NAMES), wanted)
    if found is not None:
        language, text = found
        return text, language or None
    return _slug_words(str(node)), None


async def names_of(
    backend: Backend, iris: Iterable[str], settings: Settings, wanted: Sequence[str]
) -> dict[str, str]:
    """IRI → name in the reader's language, for IRIs that a page knows only by IRI."""
    labels = await labels_of(backend, iris, settings)
    result: dict[str, str] = {}
    for iri, texts in labels.items():
        found = first_in(texts, wanted)
        if found is not None:
            result[iri] = found[1]
    return result


@dataclass
class _Viewer:
    """Turns nodes and terms of a description into words and links for one reader."""

    request: Request
    settings: Settings
    graph: Graph
    vocabulary: jsonld.Vocabulary
    wanted: Sequence[str]

    def node(self, node: Node) -> ValueView:
        if isinstance(node, Literal):
            return literal_view(node, self.wanted)
        if isinstance(node, BNode):
            return ValueView("(unnamed node)")
        iri = str(node)
        if iri.startswith(str(ECO)) or node in self.vocabulary.classes:
            return ValueView(self.vocabulary.label(URIRef(iri), self.wanted), self.href(iri))
        text, lang = name_of(self.graph, node, self.wanted)
        if lang is None and not iri.startswith(self.settings.base_iri):
            text = compact(iri)  # an external IRI without a name: show what it is
        shown = lang if lang and lang != self.wanted[0] else None
        return ValueView(text, self.href(iri), lang=shown, kind="link")

    def href(self, iri: str) -> str:
        return local_href(iri, self.request, self.settings)

    def fact(self, predicate: URIRef, values: Iterable[Node]) -> FactView:
        views = sorted({self.node(v) for v in values}, key=lambda v: (v.text.lower(), v.href or ""))
        label = self.vocabulary.label(predicate, self.wanted)
        other = "it" if self.wanted[0] != "it" else "en"
        alternative = self.vocabulary.label_in(predicate, other)
        return FactView(
            label=label,
            values=views,
            label_alt=alternative if alternative and alternative != label else None,
            definition=self.vocabulary.definition(predicate, self.wanted),
            iri=str(predicate),
        )

    def kinds(self, node: Node) -> list[ValueView]:
        return sorted(
            (self.node(t) for t in self.graph.objects(node, RDF.type)), key=lambda v: v.text
        )


# --------------------------------------------------------------------------------------------
# Entity pages


@dataclass
class QuoteView:
    text: str
    href: str


@dataclass
class SourceView:
    title: ValueView
    details: list[str] = field(default_factory=list)
    quotes: list[QuoteView] = field(default_factory=list)
    language: str | None = None


@dataclass
class LinkView:
    title: ValueView
    ecosystems: list[ValueView]
    countries: list[ValueView]
    evidence: list[ValueView]


def _sources(viewer: _Viewer, focus: URIRef) -> tuple[list[SourceView], list[QuoteView]]:
    """The entity's sources, each with the quotes taken from it; quotes of no known source
    come apart."""
    graph = viewer.graph
    sources: dict[Node, SourceView] = {}

    def source(node: Node) -> SourceView:
        if node not in sources:
            title = viewer.node(node)
            titles = (
                texts_by_language(graph, node, DCTERMS.title) if isinstance(node, URIRef) else {}
            )
            found = first_in(titles, viewer.wanted)
            if found is not None:
                title = ValueView(found[1], title.href, kind="link")
            details: list[str] = []
            for predicate in (DCTERMS.publisher, DCTERMS.issued):
                for value in graph.objects(node, predicate):
                    details.append(viewer.node(value).text)
            language = next((str(v) for v in graph.objects(node, DCTERMS.language)), None)
            sources[node] = SourceView(title, details, language=language)
        return sources[node]

    for node in graph.objects(focus, PROV.wasDerivedFrom):
        source(node)
    loose: list[QuoteView] = []
    for evidence in sorted(graph.objects(focus, ECO.evidence), key=str):
        href = viewer.href(str(evidence)) if isinstance(evidence, URIRef) else ""
        quotes = [str(q) for q in graph.objects(evidence, ECO.quote)] or [
            viewer.node(evidence).text
        ]
        origins = list(graph.objects(evidence, PROV.wasQuotedFrom))
        for text in quotes:
            if origins:
                for origin in origins:
                    source(origin).quotes.append(QuoteView(text, href))
            else:
                loose.append(QuoteView(text, href))
    ordered = sorted(sources.values(), key=lambda s: s.title.text.lower())
    return ordered, loose


def _links(viewer: _Viewer, links: Graph) -> list[LinkView]:
    link_viewer = _Viewer(viewer.request, viewer.settings, links, viewer.vocabulary, viewer.wanted)
    views: list[LinkView] = []
    for link in sorted(links.subjects(RDF.type, ECO.CrossBorderLink), key=str):

        def listed(predicate: URIRef, subject: Node = link) -> list[ValueView]:
            return sorted(
                (link_viewer.node(v) for v in links.objects(subject, predicate)),
                key=lambda v: v.text.lower(),
            )

        views.append(
            LinkView(
                title=link_viewer.node(link),
                ecosystems=listed(ECO.between),
                countries=listed(ECO.linkCountry),
                evidence=listed(ECO.evidencedBy),
            )
        )
    return views


def entity_page(
    request: Request,
    settings: Settings,
    graph: Graph,
    focus: URIRef,
    vocabulary: jsonld.Vocabulary,
    links: Graph,
    wanted: Sequence[str],
    alternates: Mapping[str, str],
) -> str:
    """The entity in words: what it is, its facts, what points to it, where it comes from."""
    viewer = _Viewer(request, settings, graph, vocabulary, wanted)
    title, title_lang = name_of(graph, focus, wanted)
    names = [
        literal_view(v, wanted)
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for v in sorted(graph.objects(focus, p), key=str)
        if isinstance(v, Literal) and str(v) != title
    ]
    descriptions = texts_by_language(graph, focus, DCTERMS.description)
    description = first_in(descriptions, wanted)
    outgoing: dict[URIRef, list[Node]] = defaultdict(list)
    for predicate, value in graph.predicate_objects(focus):
        if isinstance(predicate, URIRef) and predicate not in _APART:
            outgoing[predicate].append(value)
    incoming: dict[URIRef, list[Node]] = defaultdict(list)
    for subject, predicate in graph.subject_predicates(focus):
        if isinstance(predicate, URIRef) and subject != focus:
            incoming[predicate].append(subject)
    facts = sorted((viewer.fact(p, v) for p, v in outgoing.items()), key=lambda f: f.label)
    pointing = sorted((viewer.fact(p, v) for p, v in incoming.items()), key=lambda f: f.label)
    sources, loose_quotes = _sources(viewer, focus)
    href = local_href(str(focus), request, settings)
    schema = jsonld.schema_org_document(graph, focus, vocabulary, url=href)
    return render(
        "entity.html",
        request,
        iri=str(focus),
        title=title,
        title_lang=title_lang if title_lang and title_lang != wanted[0] else None,
        lang=wanted[0],
        names=names,
        kinds=viewer.kinds(focus),
        description=(
            ValueView(description[1], lang=description[0] if description[0] != wanted[0] else None)
            if description
            else None
        ),
        facts=facts,
        pointing=pointing,
        sources=sources,
        loose_quotes=loose_quotes,
        links=_links(viewer, links),
        alternates=[(media, link) for media, link in alternates.items()],
        schema_json=Markup(jsonld.html_script_json(schema)),
        href=href,
    )


def not_found_page(request: Request, iri: str, words: str, matches: Sequence[CloseMatch]) -> str:
    return render("not_found.html", request, iri=iri, words=words, matches=matches)


def dumps_page(request: Request, files: Sequence[Dump]) -> str:
    return render("dumps.html", request, files=files)


# --------------------------------------------------------------------------------------------
# The ontology and the shapes as pages


@dataclass
class TermView:
    """A class or property of the ontology, as its section of the ontology page."""

    anchor: str
    iri: str
    label: str
    label_alt: str | None
    definition: str | None
    definition_alt: str | None
    facts: list[FactView]


def ontology_page(
    request: Request,
    settings: Settings,
    graph: Graph,
    iri: str,
    wanted: Sequence[str],
    alternates: Mapping[str, str],
) -> str:
    """Every class and property with its labels, definitions, hierarchy and alignments; each
    has the anchor of its fragment, so ``…/ontology#Cluster`` lands on it."""
    vocabulary = jsonld.Vocabulary.from_graph(graph)
    viewer = _Viewer(request, settings, graph, vocabulary, wanted)
    other = "it" if wanted[0] != "it" else "en"
    shown = (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        SCHEMA.domainIncludes,
        SCHEMA.rangeIncludes,
        OWL.inverseOf,
        OWL.equivalentClass,
        OWL.disjointWith,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.scopeNote,
        SKOS.example,
    )

    def term(node: URIRef) -> TermView:
        facts = []
        for predicate in shown:
            values = [v for v in graph.objects(node, predicate) if not isinstance(v, BNode)]
            values += [
                member
                for v in graph.objects(node, predicate)
                if isinstance(v, BNode)
                for union in graph.objects(v, OWL.unionOf)
                for member in graph.items(union)
            ]
            if predicate in (SKOS.scopeNote, SKOS.example):
                values = [
                    v
                    for v in values
                    if not isinstance(v, Literal) or v.language in (None, "", wanted[0])
                ]
            if values:
                facts.append(viewer.fact(predicate, values))
        for kind in graph.objects(node, RDF.type):
            if kind in (
                OWL.ObjectProperty,
                OWL.DatatypeProperty,
                OWL.TransitiveProperty,
                OWL.SymmetricProperty,
                OWL.FunctionalProperty,
            ):
                facts.insert(0, FactView("kind", [ValueView(compact(str(kind)))]))
        local = str(node)[len(str(ECO)) :]
        definition = vocabulary.definition(node, wanted)
        definition_alt = (vocabulary.definitions.get(node) or {}).get(other)
        return TermView(
            anchor=local,
            iri=str(node),
            label=vocabulary.label(node, wanted),
            label_alt=vocabulary.label_in(node, other),
            definition=definition,
            definition_alt=definition_alt if definition_alt != definition else None,
            facts=facts,
        )

    ours = [n for n in vocabulary.classes if str(n).startswith(str(ECO))]
    classes = sorted((term(c) for c in ours), key=lambda t: t.anchor.lower())
    properties = sorted(
        (term(p) for p in vocabulary.properties if str(p).startswith(str(ECO))),
        key=lambda t: t.anchor.lower(),
    )
    header = URIRef(iri)
    titles = texts_by_language(graph, header, DCTERMS.title)
    descriptions = texts_by_language(graph, header, DCTERMS.description)
    return render(
        "ontology.html",
        request,
        iri=iri,
        title=(first_in(titles, wanted) or ("", "ecograph ontology"))[1],
        description=(first_in(descriptions, wanted) or ("", ""))[1],
        version_info=next((str(v) for v in graph.objects(header, OWL.versionInfo)), ""),
        version_iri=next((str(v) for v in graph.objects(header, OWL.versionIRI)), ""),
        namespace=str(ECO),
        classes=classes,
        properties=properties,
        alternates=list(alternates.items()),
    )


@dataclass
class ShapeView:
    """A node shape and its property shapes, as one section of the shapes page."""

    anchor: str
    iri: str
    identifier: str
    label: str
    comment: str
    message: str
    targets: list[FactView]
    constraints: list[FactView]


_CONSTRAINTS = (
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH.pattern,
    SH["in"],
    SH.hasValue,
    SH.uniqueLang,
    SH.languageIn,
    SH.node,
    SH.minInclusive,
    SH.maxInclusive,
    SH.severity,
)


def shapes_page(
    request: Request,
    settings: Settings,
    graph: Graph,
    iri: str,
    wanted: Sequence[str],
    alternates: Mapping[str, str],
) -> str:
    """Each rule in words: what it targets, what it requires, the message a curator sees."""
    vocabulary = jsonld.Vocabulary()
    viewer = _Viewer(request, settings, graph, vocabulary, wanted)

    def text(node: Node, predicate: URIRef) -> str:
        return (first_in(texts_by_language(graph, node, predicate), wanted) or ("", ""))[1]

    def values_of(node: Node, predicate: URIRef) -> list[ValueView]:
        views: list[ValueView] = []
        for value in graph.objects(node, predicate):
            if isinstance(value, BNode) and (value, RDF.first, None) in graph:
                views += [ValueView(compact(str(v))) for v in graph.items(value)]
            elif isinstance(value, BNode):
                views.append(
                    ValueView(
                        "SPARQL-based"
                        if (value, SH.select, None) in graph
                        else "(structured value)"
                    )
                )
            elif isinstance(value, URIRef):
                views.append(ValueView(compact(str(value)), viewer.href(str(value))))
            elif isinstance(value, Literal):
                views.append(literal_view(value, wanted))
        return views

    shapes: list[ShapeView] = []
    for node in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(node, URIRef):
            continue
        targets = [
            FactView(compact(str(p)).removeprefix("sh:"), values_of(node, p))
            for p in (
                SH.targetClass,
                SH.targetSubjectsOf,
                SH.targetObjectsOf,
                SH.targetNode,
                SH.target,
            )
            if (node, p, None) in graph
        ]
        constraints: list[FactView] = []
        for prop in sorted(graph.objects(node, SH.property), key=str):
            parts = [
                f"{compact(str(p)).removeprefix('sh:')} "
                + ", ".join(v.text for v in values_of(prop, p))
                for p in _CONSTRAINTS
                if (prop, p, None) in graph
            ]
            constraints.append(
                FactView(
                    label="; ".join(parts) or compact(str(prop)),
                    values=[ValueView(text(prop, SH.message))] if text(prop, SH.message) else [],
                    iri=str(prop),
                )
            )
        shapes.append(
            ShapeView(
                anchor=str(node).rsplit("#", 1)[-1],
                iri=str(node),
                identifier=next((str(v) for v in graph.objects(node, DCTERMS.identifier)), ""),
                label=text(node, RDFS.label) or compact(str(node)),
                comment=text(node, RDFS.comment),
                message=text(node, SH.message),
                targets=targets,
                constraints=constraints,
            )
        )
    shapes.sort(key=lambda s: (s.identifier or "~", s.anchor))
    header = URIRef(iri)
    return render(
        "shapes.html",
        request,
        iri=iri,
        title=text(header, DCTERMS.title) or "ecograph SHACL shapes",
        description=text(header, DCTERMS.description),
        shapes=shapes,
        alternates=list(alternates.items()),
    )


# --------------------------------------------------------------------------------------------
# Home, query and search pages


@dataclass
class KindCount:
    kind: str
    label: str
    label_alt: str
    count: int
    query: str


@dataclass
class CountryView:
    name: ValueView
    actors: int
    links: int


async def _kind_counts(
    backend: Backend, settings: Settings, wanted: Sequence[str]
) -> list[KindCount]:
    prefix = f"{settings.base_iri}id/"
    query = f"""{PREFIXES}
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?type .
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{prefix}"))
  BIND (STRBEFORE(STRAFTER(STR(?s), "{prefix}"), "/") AS ?kind)
  FILTER (?kind != "" && ?kind != "graph" && ?kind != "dataset")
}} GROUP BY ?kind ORDER BY DESC(?n) ?kind"""
    result = await backend.select(query, timeout=settings.query_timeout)
    counts = []
    for row in result.rows:
        kind = str(row.get("kind", ""))
        english, italian = KINDS.get(kind, (kind.replace("-", " ").capitalize(), ""))
        label, alt = (italian, english) if wanted[0] == "it" and italian else (english, italian)
        listing = (
            f"{PREFIXES}SELECT ?entity ?label WHERE {{\n  ?entity a ?type .\n"
            f'  FILTER (STRSTARTS(STR(?entity), "{prefix}{kind}/"))\n'
            "  OPTIONAL { ?entity rdfs:label ?label }\n} ORDER BY ?entity LIMIT 500"
        )
        value = row.get("n")
        counts.append(KindCount(kind, label, alt, int(str(value)) if value else 0, listing))
    order = list(KINDS)
    return sorted(counts, key=lambda k: order.index(k.kind) if k.kind in order else len(order))


async def _countries(
    request: Request, backend: Backend, settings: Settings, wanted: Sequence[str]
) -> list[CountryView]:
    query = f"""{PREFIXES}
SELECT ?country (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?link) AS ?links) WHERE {{
  ?country a eco:Country .
  {{ ?actor (eco:locatedIn|eco:inEcosystemOf)/eco:directlyWithin* ?country }}
  UNION {{ ?link eco:linkCountry ?country }}
}} GROUP BY ?country"""
    result = await backend.select(query, timeout=settings.query_timeout)
    rows = [
        (str(r["country"]), int(str(r.get("actors", 0))), int(str(r.get("links", 0))))
        for r in result.rows
        if "country" in r
    ]
    names = await names_of(backend, (c for c, _, _ in rows), settings, wanted)
    views = [
        CountryView(ValueView(names.get(c, _slug_words(c)), local_href(c, request, settings)), a, n)
        for c, a, n in rows
    ]
    return sorted(views, key=lambda v: (-v.actors, -v.links, v.name.text))


@dataclass
class CatalogueEntry:
    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    params: list[str]
    text: str


def catalogue_entries(request: Request) -> tuple[list[CatalogueEntry], str | None]:
    """The named queries, runnable as they stand at ``/sparql``: parameters get their
    defaults in an inline ``VALUES`` block that the analyst can edit."""
    catalogue = getattr(request.app.state, "catalogue", None)
    if not isinstance(catalogue, Catalogue):
        try:
            catalogue = Catalogue.load(get_settings(request).queries_dir)
        except (EcographError, OSError) as exc:
            return [], str(exc)
    entries = []
    for query in catalogue:
        try:
            defaults = {p.name: p.default for p in query.params if p.default is not None}
            text = query.render(query.bind(defaults))
        except EcographError:
            text = query.text
        entries.append(
            CatalogueEntry(
                name=query.name,
                title=query.title,
                description=query.description,
                tags=query.tags,
                params=[f"{p.name} ({p.type})" for p in query.params],
                text=text,
            )
        )
    return entries, None


@router.get("/", response_class=HTMLResponse, summary="Home page")
async def home(
    request: Request, backend: BackendDep, settings: SettingsDep, wanted: LanguagesDep
) -> HTMLResponse:
    """What the graph holds, where to start, how to query it."""
    kinds = await _kind_counts(backend, settings, wanted)
    countries = await _countries(request, backend, settings, wanted)
    entries, problem = catalogue_entries(request)
    return page_response(
        render(
            "home.html",
            request,
            kinds=kinds,
            total=sum(k.count for k in kinds),
            countries=countries,
            catalogue=entries,
            catalogue_problem=problem,
            lang=wanted[0],
        )
    )


DEFAULT_QUERY = f"""{PREFIXES}
SELECT ?link ?label (COUNT(DISTINCT ?evidence) AS ?evidences) WHERE {{
  ?link a eco:CrossBorderLink ; rdfs:label ?label ; eco:evidencedBy ?evidence .
  FILTER (lang(?label) = "en")
}}
GROUP BY ?link ?label
ORDER BY DESC(?evidences)
"""


@router.get("/query", response_class=HTMLResponse, summary="Query page")
async def query_page(
    request: Request,
    query: Annotated[str | None, Query(description="SPARQL to start from")] = None,
    name: Annotated[str | None, Query(description="a catalogue query to start from")] = None,
) -> HTMLResponse:
    """Write SPARQL, see a table; the catalogue's queries are one click away."""
    entries, problem = catalogue_entries(request)
    text = query
    if text is None and name is not None:
        text = next((e.text for e in entries if e.name == name), None)
    catalogue_json = {e.name: e.text for e in entries}
    return page_response(
        render(
            "query.html",
            request,
            query=text or DEFAULT_QUERY,
            catalogue=entries,
            catalogue_problem=problem,
            selected=name,
            catalogue_json=Markup(jsonld.html_script_json(catalogue_json)),
        )
    )


@dataclass
class SearchHit:
    name: ValueView
    matched: str | None
    kinds: list[ValueView]


async def _search(
    request: Request, backend: Backend, settings: Settings, q: str, wanted: Sequence[str]
) -> tuple[list[SearchHit], str | None]:
    """The hits of the API's label index (``/api/search``), so that both always agree."""
    index = getattr(request.app.state, "label_index", None)
    if not isinstance(index, LabelIndex):
        return [], "search is not available on this server"
    try:
        hits = await index.search(q, SEARCH_LIMIT)
    except ParameterError as exc:
        return [], str(exc)
    kinds: dict[str, list[str]] = defaultdict(list)
    values = iri_values(h.entity for h in hits)
    if values:
        query = f"""{PREFIXES}
SELECT ?s ?type WHERE {{
  VALUES ?s {{ {values} }} ?s a ?type . {asserted("?s", "rdf:type", "?type")}
}}"""
        result = await backend.select(query, timeout=settings.query_timeout)
        for row in result.rows:
            kinds[str(row["s"])].append(str(row["type"]))
    vocab = await vocabulary(request)
    found = []
    for hit in hits:
        names = await index.names(hit.entity)
        name = first_in(names, wanted)
        text, lang = (name[1], name[0] or None) if name else (hit.label.text, None)
        href = local_href(hit.entity, request, settings)
        found.append(
            SearchHit(
                name=ValueView(text, href, lang=lang if lang != wanted[0] else None, kind="link"),
                matched=hit.label.text if hit.label.text != text else None,
                kinds=[
                    ValueView(vocab.label(URIRef(k), wanted), local_href(k, request, settings))
                    for k in sorted(kinds.get(hit.entity, []))
                ],
            )
        )
    return found, None


SEARCH_LIMIT = 50


@router.get("/search", response_class=HTMLResponse, summary="Search page")
async def search_page(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    wanted: LanguagesDep,
    q: Annotated[str, Query(max_length=200, description="text to find in names")] = "",
) -> HTMLResponse:
    """Entities by name, in any language, accents and case ignored (``/api/search``'s index)."""
    hits, problem = (
        await _search(request, backend, settings, q, wanted) if q.strip() else ([], None)
    )
    return page_response(
        render("search.html", request, q=q, hits=hits, problem=problem, lang=wanted[0])
    )


@router.get("/static/{name}", summary="A static asset")
async def static(name: str, request: Request) -> Response:
    """The pages' CSS and JavaScript, from the package: no CDN, the pages work offline."""
    if not _STATIC_NAME.match(name):
        return Response("not found", status_code=404, media_type="text/plain")
    resource = resources.files("ecograph.serve") / "static" / name
    if not resource.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    body = resource.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    settings = get_settings(request)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={settings.cache_max_age}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    media = _STATIC_TYPES[name.rsplit(".", 1)[-1]]
    return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)
