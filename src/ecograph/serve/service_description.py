"""The SPARQL 1.1 Service Description that ``GET /sparql`` answers with when it has no query:
what a client needs to know before it asks (formats, dataset, limits), generated from the same
tables and settings the endpoint runs on, so that it cannot drift from them."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ecograph.rdf.namespaces import bind_prefixes
from ecograph.serve.result_formats import GRAPH_FORMATS, SOLUTION_FORMATS
from ecograph.settings import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


def service_description(endpoint: str, graphs: tuple[str, ...], settings: Settings) -> Graph:
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, DCTERMS.title, Literal("ecograph SPARQL endpoint", lang="en")))
    graph.add((service, RDFS.comment, Literal(_limits(settings), lang="en")))
    for w3c in dict.fromkeys(f.w3c for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)):
        graph.add((service, SD.resultFormat, URIRef(w3c)))
    # Blank nodes labelled by what they stand for, not at random: every replica (and every
    # request) writes the same bytes, so that caches and ETags agree (issue 12).
    dataset = BNode("dataset")
    default_graph = BNode("default-graph")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, RDFS.comment, Literal("the union of the named graphs", lang="en")))
    for index, name in enumerate(graphs):
        named = BNode(f"graph-{index}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph


def _limits(settings: Settings) -> str:
    return (
        f"Read-only: updates are refused (403), and so is any query that would reach the "
        f"network (SERVICE, or a FROM or dataset graph this store does not hold: 400). Each "
        f"query is stopped after {settings.query_timeout:g} s (504); results stop at "
        f"{settings.max_rows} rows, and a cut result carries the header "
        f"'X-Ecograph-Truncated: true'; queries are at most {settings.max_query_length} "
        f"characters long (413). The project's prefixes (eco:, ecoid:, rdfs:, skos:, ...) are "
        f"declared for every query." + _client_limits(settings)
    )


def _client_limits(settings: Settings) -> str:
    limits = []
    if settings.client_parallel_queries:
        limits.append(f"{settings.client_parallel_queries} queries at once")
    if settings.client_query_seconds:
        limits.append(f"{settings.client_query_seconds:g} s of query time in any minute")
    if not limits:
        return ""
    return f" Each client may run {' and '.join(limits)} (beyond: 429, with Retry-After)."
