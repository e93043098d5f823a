"""Pages for people: the home page, entity pages, the query page, the ontology and the shapes.

Pages are written from the same descriptions as the data formats (``api.entities``), in words:
property names come from the ontology's labels, in the reader's language with the Italian (or
English) alongside. Every asset is served by this app (``/static/…``), so the pages work
offline; every value goes through Jinja's autoescaping, and the one block that cannot (the
JSON-LD inside ``<script>``) is escaped for that context by ``jsonld.html_script_json``.
"""

from __future__ import annotations

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
from ecograph.ld.describing import asserted
from ecograph.ld.languages import first_in
from ecograph.rdf.namespaces import ECO, OA, SCHEMA
from ecograph.rdf.namespaces import PREFIXES as NAMESPACE_PREFIXES
from ecograph.serve.common import (
    PREFIXES,
    BackendDep,
    LanguagesDep,
    SettingsDep,
    get_backend,
    iri_values,
    labels_of,
    local_href,
    request_settings,
    site_base,
    texts_by_language,
    vocabulary,
)
from ecograph.serve.conditional import cached
from ecograph.serve.state import state_of
from ecograph.serve.views import home as home_views
from ecograph.serve.views.links import EntityLinks
from ecograph.serve.views.source_text import passage, read_text
from ecograph.settings import Settings
from ecograph.store.backend import Backend

if TYPE_CHECKING:
    from ecograph.serve.views.records import CloseMatch, Dump

router = APIRouter(tags=["pages"], include_in_schema=False)

_environment = Environment(
    loader=PackageLoader("ecograph.serve", "templates"),
    autoescape=select_autoescape(("html",), default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

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
#: What an inference uses to name the fact it is about: shown as "Inferred", not as links in.
_REIFYING = {RDF.subject, RDF.object}
_STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(css|js|svg)$")
_STATIC_TYPES = {"css": "text/css", "js": "text/javascript", "svg": "image/svg+xml"}


async def load_templates(app: Any) -> None:
    """Compile every page template (a start-up step: the first visitor of each kind of page
    would otherwise wait for Jinja to compile it and the macros it imports)."""
    del app  # the templates are the package's, the same for every app
    for name in _environment.list_templates(extensions=["html"]):
        _environment.get_template(name)


def render(template: str, request: Request, **values: Any) -> str:
    """A page, with what every template needs: the base for links and the version."""
    settings = request_settings(request)
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
    """A quote: its words, the evidence node's page, and — where the source's text is here and
    still holds it — the sentence around it and the link to its place in the text."""

    text: str
    href: str
    before: str = ""
    after: str = ""
    place: str | None = None


@dataclass
class InferenceView:
    """A fact of the entity that its source does not state in so many words, and why."""

    fact: str
    value: ValueView
    basis: str
    reason: str
    reason_lang: str | None
    href: str | None


@dataclass
class SourceView:
    title: ValueView
    details: list[str] = field(default_factory=list)
    quotes: list[QuoteView] = field(default_factory=list)
    language: str | None = None


@dataclass
class LinkView:
    """A cross-border link on an entity's page: its ecosystems and countries, how much
    evidence it has, and the evidence that concerns the entity."""

    title: ValueView
    ecosystems: list[ValueView]
    countries: list[ValueView]
    evidence: list[ValueView]
    evidence_count: int = 0
    prospective: bool = False


@dataclass
class LinksView:
    links: list[LinkView]
    total: int


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
                    source(origin).quotes.append(_quote(viewer, evidence, origin, text, href))
            else:
                loose.append(QuoteView(text, href))
    ordered = sorted(sources.values(), key=lambda s: s.title.text.lower())
    return ordered, loose


def _quote(viewer: _Viewer, evidence: Node, origin: Node, text: str, href: str) -> QuoteView:
    """The quote in its sentence, linked to its place in the source's text (RFC 5147
    ``char=start,end``, as its position selector gives it)."""
    graph = viewer.graph
    local = graph.value(origin, ECO.localFile)
    identifier = graph.value(origin, DCTERMS.identifier)
    for selector in graph.objects(evidence, OA.hasSelector):
        start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if not (isinstance(start, Literal) and isinstance(end, Literal)) or local is None:
            continue
        source_text = read_text(viewer.settings, str(local))
        found = None
        if source_text is not None and str(start).isdigit() and str(end).isdigit():
            found = passage(source_text, int(str(start)), int(str(end)), text)
        if found is None or identifier is None:
            continue
        base = site_base(viewer.request, viewer.settings)
        place = f"{base}sources/{identifier}?char={found.start},{found.end}#quote"
        return QuoteView(text, href, found.before, found.after, place)
    return QuoteView(text, href)


def _inferences(viewer: _Viewer, focus: URIRef) -> list[InferenceView]:
    """The inferences that name a fact of ``focus`` (classic reification: ``rdf:subject``)."""
    graph = viewer.graph
    found = []
    for inference in graph.subjects(RDF.subject, focus):
        predicate = graph.value(inference, RDF.predicate)
        value = graph.value(inference, RDF.object)
        if not isinstance(predicate, URIRef) or value is None:
            continue
        reasons = texts_by_language(graph, inference, ECO.reason)
        reason = first_in(reasons, viewer.wanted)
        basis = graph.value(inference, ECO.basis)
        found.append(
            InferenceView(
                fact=viewer.vocabulary.label(predicate, viewer.wanted),
                value=viewer.node(value),
                basis=viewer.node(basis).text if basis is not None else "",
                reason=reason[1] if reason else "",
                reason_lang=reason[0] if reason and reason[0] != viewer.wanted[0] else None,
                href=viewer.href(str(inference)) if isinstance(inference, URIRef) else None,
            )
        )
    return sorted(found, key=lambda i: (i.fact, i.value.text))


async def link_views(request: Request, found: EntityLinks, wanted: Sequence[str]) -> LinksView:
    """The entity's links in words: every IRI named in the reader's language."""
    backend, settings = get_backend(request), request_settings(request)
    iris = {
        iri
        for link in found.links
        for iri in (link.iri, *link.ecosystems, *link.countries, *link.concerning)
    }
    names = await names_of(backend, iris, settings, wanted)

    def view(iri: str) -> ValueView:
        return ValueView(
            names.get(iri, _slug_words(iri)), local_href(iri, request, settings), kind="link"
        )

    def listed(iris: Sequence[str]) -> list[ValueView]:
        return sorted((view(i) for i in iris), key=lambda v: v.text.lower())

    views = [
        LinkView(
            title=view(link.iri),
            ecosystems=listed(link.ecosystems),
            countries=listed(link.countries),
            evidence=listed(link.concerning),
            evidence_count=link.evidence_count,
            prospective=link.prospective,
        )
        for link in found.links
    ]
    return LinksView(views, found.total)


def entity_page(
    request: Request,
    settings: Settings,
    graph: Graph,
    focus: URIRef,
    vocabulary: jsonld.Vocabulary,
    links: LinksView,
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
        if isinstance(predicate, URIRef) and subject != focus and predicate not in _REIFYING:
            incoming[predicate].append(subject)
    facts = sorted((viewer.fact(p, v) for p, v in outgoing.items()), key=lambda f: f.label)
    pointing = sorted((viewer.fact(p, v) for p, v in incoming.items()), key=lambda f: f.label)
    sources, loose_quotes = _sources(viewer, focus)
    inferences = _inferences(viewer, focus)
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
        inferences=inferences,
        links=links.links,
        links_total=links.total,
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


async def _kind_counts(request: Request, wanted: Sequence[str]) -> list[KindCount]:
    """The kinds that have members, with their counts (kept: see ``views.kept``)."""
    settings = request_settings(request)
    counts = await home_views.kept_kind_counts(request.app)
    views = []
    for kind in home_views.kinds(settings.base_iri):
        if kind.key not in counts:
            continue
        label, alt = (
            (kind.italian, kind.english) if wanted[0] == "it" else (kind.english, kind.italian)
        )
        views.append(
            KindCount(
                kind.key, label, alt, counts[kind.key], home_views.listing_query(kind, wanted[0])
            )
        )
    return views


async def _countries(request: Request, wanted: Sequence[str]) -> list[CountryView]:
    backend, settings = get_backend(request), request_settings(request)
    rows = await home_views.kept_country_counts(request.app)
    names = await names_of(backend, (c.iri for c in rows), settings, wanted)
    views = [
        CountryView(
            ValueView(names.get(c.iri, _slug_words(c.iri)), local_href(c.iri, request, settings)),
            c.actors,
            c.links,
        )
        for c in rows
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
    view: str = "table"


def catalogue_entries(request: Request) -> tuple[list[CatalogueEntry], str | None]:
    """The named queries, runnable as they stand at ``/sparql``: parameters get their
    defaults in an inline ``VALUES`` block that the analyst can edit."""
    catalogue = state_of(request.app).catalogue
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
                view=query.view or "table",
            )
        )
    return entries, None


@router.get("/", response_class=HTMLResponse, summary="Home page")
async def home(request: Request, wanted: LanguagesDep) -> HTMLResponse:
    """What the graph holds, where to start, how to query it."""
    kinds = await _kind_counts(request, wanted)
    countries = await _countries(request, wanted)
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


#: The query page's result views, by key, in English and Italian.
VIEW_NAMES = {
    "table": ("Table", "Tabella"),
    "bar": ("Bar chart", "Grafico a barre"),
    "map": ("Map", "Mappa"),
    "network": ("Network", "Rete"),
}
#: What the query page's script says, in English and Italian (it writes no other words).
QUERY_PAGE_WORDS = {
    "running": ("Running…", "In esecuzione…"),
    "rows": ("rows", "righe"),
    "row": ("row", "riga"),
    "triples": ("triples", "triple"),
    "in": ("in", "in"),
    "answer": ("Answer", "Risposta"),
    "unreachable": ("The server could not be reached.", "Il server non risponde."),
    "error": ("Error", "Errore"),
    "copied": ("Link copied.", "Link copiato."),
    "copy": ("Copy the link:", "Copia il link:"),
    "unavailable": (
        "This view needs other columns (see the query page's help).",
        "Questa vista richiede altre colonne.",
    ),
    "no-bar": (
        "A bar chart needs a label column and a number column.",
        "Un grafico a barre richiede una colonna di etichette e una di numeri.",
    ),
    "no-map": (
        "A map needs geo:lat and geo:long columns, or a column of places or ecosystems.",
        "Una mappa richiede colonne geo:lat e geo:long, o una colonna di luoghi o ecosistemi.",
    ),
    "no-network": (
        "A network needs a CONSTRUCT query, or two columns of IRIs.",
        "Una rete richiede una CONSTRUCT, o due colonne di IRI.",
    ),
    "shown": ("shown", "mostrati"),
    "of": ("of", "di"),
    "points": ("points on the map", "punti sulla mappa"),
    "nodes": ("nodes", "nodi"),
    "edges": ("edges", "archi"),
    "bars": ("bars", "barre"),
    "class": ("class", "classe"),
    "property": ("property", "proprietà"),
}


@router.get("/query", response_class=HTMLResponse, summary="Query page")
async def query_page(
    request: Request,
    wanted: LanguagesDep,
    query: Annotated[str | None, Query(description="SPARQL to start from")] = None,
    name: Annotated[str | None, Query(description="a catalogue query to start from")] = None,
) -> HTMLResponse:
    """Write SPARQL (highlighted, with completion of prefixes and ontology terms), see the
    answer as a table, a bar chart, a map or a network; the catalogue's queries are one click
    away, each opening in its own view (``#+ view:``). The URL keeps the query and the view
    (``?query=…&view=map``), so a result can be shared."""
    entries, problem = catalogue_entries(request)
    text = query
    if text is None and name is not None:
        text = next((e.text for e in entries if e.name == name), None)
    catalogue_json = {e.name: {"text": e.text, "view": e.view} for e in entries}
    italian = wanted[0] == "it"
    words = {key: pair[1 if italian else 0] for key, pair in QUERY_PAGE_WORDS.items()}
    return page_response(
        render(
            "query.html",
            request,
            query=text or DEFAULT_QUERY,
            catalogue=entries,
            catalogue_problem=problem,
            selected=name,
            catalogue_json=Markup(jsonld.html_script_json(catalogue_json)),
            words_json=Markup(jsonld.html_script_json(words)),
            views=list(VIEW_NAMES),
            view_names={k: v[1 if italian else 0] for k, v in VIEW_NAMES.items()},
            lang=wanted[0],
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
    index = state_of(request.app).labels()
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
    media = _STATIC_TYPES[name.rsplit(".", 1)[-1]]
    max_age = request_settings(request).cache_max_age
    return cached(request, resource.read_bytes(), f"{media}; charset=utf-8", max_age=max_age)
