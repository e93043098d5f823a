"""Every namespace of the project, declared once so that code, dumps and queries agree."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/ecograph/"
ECO = Namespace(f"{BASE}ontology#")
ECOID = Namespace(f"{BASE}id/")
ESHAPE = Namespace(f"{BASE}shapes#")
ONTOLOGY_IRI = f"{BASE}ontology"
SHAPES_IRI = f"{BASE}shapes"
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
WD = Namespace("http://www.wikidata.org/entity/")
GN = Namespace("https://www.geonames.org/ontology#")
#: W3C Web Annotation: the selectors that anchor a quote in its source text.
OA = Namespace("http://www.w3.org/ns/oa#")
#: SPDX, as DCAT 3 uses it: the checksum of a source's text file.
SPDX = Namespace("http://spdx.org/rdf/terms#")

#: Prefixes bound on every graph the project writes, and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "eco": str(ECO),
    "ecoid": str(ECOID),
    "eshape": str(ESHAPE),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "sh": str(SH),
    "void": str(VOID),
    "geo": str(GEO),
    "wd": str(WD),
    "oa": str(OA),
    "spdx": str(SPDX),
}


#: The named graph of what reasoning entailed. Documents and pages leave it out: it restates,
#: in more general terms, what the data says (every super-class, every super-property), which
#: would bury the statements a reader wants; it stays queryable at ``/sparql``.
INFERRED_GRAPH = f"{ECOID}graph/inferred"
#: The named graph of what the build derived (ecosystems, cross-border links).
DERIVED_GRAPH = f"{ECOID}graph/derived"

#: ``rdf:type`` as SPARQL and N-Triples write it, for query text and triple keys.
RDF_TYPE = f"<{RDF.type}>"


def sparql_prefixes(names: Iterable[str] | None = None) -> str:
    """``PREFIX`` lines for query text: the project's prefixes (or those ``names``)."""
    chosen = PREFIXES if names is None else {name: PREFIXES[name] for name in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())


def graph_iri(kind: str, name: str = "") -> str:
    """Name of a graph in the built dataset, e.g. ``graph_iri("data", "sources")``."""
    return f"{ECOID}graph/{kind}" + (f"/{name}" if name else "")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes so that every serialisation reads the same."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def short(iri: str) -> str:
    """A prefixed name for people to read (``ecoid:org/kilometro-rosso``), else ``<iri>``.

    Unlike rdflib's ``normalizeUri`` this accepts slashes in the local part, which every
    instance IRI of the project has; the result is for messages, not for Turtle.
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"
