"""The SPARQL 1.1 Protocol at ``/sparql``, over real HTTP, on both backends (``server`` is
the embedded store and a real ``oxigraph serve`` behind ``--endpoint`` in turn)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from endpoint_support import DATA, ECOID, Running  # type: ignore[import-not-found]
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ecograph.serve.result_formats import MAX_ROWS_HEADER, TRUNCATED_HEADER

ORGS = (DATA / "organisations.ttl").as_uri()
EVENTS_FILE = (DATA / "events.trig").as_uri()
EVENTS = f"{ECOID}graph/data/events"
UNIBAS = f"{ECOID}org/unibas"
AWKWARD = f"{ECOID}org/awkward"
AWKWARD_LABEL = 'Tab\there, "quotes", a comma, <angle> & ampersand,\nand a new line'
LABELS = f"SELECT ?label WHERE {{ <{AWKWARD}> rdfs:label ?label }}"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


def bindings(response: object) -> list[dict[str, dict[str, str]]]:
    assert hasattr(response, "json")
    rows: list[dict[str, dict[str, str]]] = response.json()["results"]["bindings"]
    return rows


# The three ways of sending a query


def test_get(server: Running) -> None:
    response = server.sparql(f"SELECT ?label WHERE {{ <{UNIBAS}> rdfs:label ?label }}")
    assert response.status_code == 200
    labels = {(b["label"]["value"], b["label"]["xml:lang"]) for b in bindings(response)}
    assert labels == {
        ("Università degli Studi della Basilicata", "it"),
        ("University of Basilicata", "en"),
    }


def test_post_form(server: Running) -> None:
    body = "query=" + quote(f'ASK {{ <{UNIBAS}> eco:acronym "UNIBAS" }}')
    response = server.post("/sparql", content=body, headers=FORM)
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


def test_post_direct(server: Running) -> None:
    response = server.post("/sparql", content=f"ASK {{ <{UNIBAS}> ?p ?o }}", headers=DIRECT)
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_post_direct_with_charset_utf8(server: Running) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-8"}
    response = server.post(
        "/sparql", content='ASK { ?s ?p "Große Straße GmbH"@de }', headers=headers
    )
    assert response.json()["boolean"] is True


def test_project_prefixes_are_declared(server: Running) -> None:
    response = server.sparql("SELECT ?org WHERE { ?org a eco:University }")
    assert [b["org"]["value"] for b in bindings(response)] == [UNIBAS]


def test_relative_iris_resolve_against_the_endpoint(server: Running) -> None:
    response = server.sparql("CONSTRUCT { <s> <p> 1 } WHERE {}", format="nt")
    assert response.status_code == 200
    assert response.text.startswith("<http")


# Dataset


def test_default_graph_is_the_union(server: Running) -> None:
    response = server.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert bindings(response)[0]["n"]["value"] == "4"
    response = server.sparql(f"ASK {{ <{ECOID}event/forum-2024> eco:participant <{UNIBAS}> }}")
    assert response.json()["boolean"] is True


def test_default_graph_uri_limits_the_default_graph(server: Running) -> None:
    query = "SELECT DISTINCT ?s WHERE { ?s a eco:Forum }"
    only_orgs = server.get("/sparql", params={"query": query, "default-graph-uri": ORGS})
    assert bindings(only_orgs) == []
    events = server.get("/sparql", params={"query": query, "default-graph-uri": EVENTS})
    assert [b["s"]["value"] for b in bindings(events)] == [f"{ECOID}event/forum-2024"]


def test_named_graph_uri_limits_graph_and_empties_the_default_graph(server: Running) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = server.get("/sparql", params={"query": query, "named-graph-uri": EVENTS_FILE})
    assert [b["g"]["value"] for b in bindings(response)] == [EVENTS_FILE]
    response = server.get(
        "/sparql", params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": EVENTS_FILE}
    )
    assert response.json()["boolean"] is False


def test_quad_files_keep_their_graphs_and_default_triples_go_to_the_file_graph(
    server: Running,
) -> None:
    query = (
        f"ASK {{ GRAPH <{EVENTS}> {{ ?e a eco:Forum }} "
        f"GRAPH <{EVENTS_FILE}> {{ ?m a eco:Meeting }} }}"
    )
    assert server.sparql(query).json()["boolean"] is True


def test_from_a_graph_of_the_store_is_allowed(server: Running) -> None:
    response = server.sparql(f"SELECT ?s FROM <{EVENTS}> WHERE {{ ?s a eco:Fair }}")
    assert [b["s"]["value"] for b in bindings(response)] == [f"{ECOID}event/fair-2023"]


# Formats: SELECT and ASK


def test_select_json_xml_csv_tsv_agree(server: Running) -> None:
    json_rows = bindings(server.sparql(LABELS, format="json"))
    assert json_rows == [{"label": {"type": "literal", "value": AWKWARD_LABEL, "xml:lang": "en"}}]

    xml = server.sparql(LABELS, format="xml")
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    from xml.etree import ElementTree

    root = ElementTree.fromstring(xml.content)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literal = root.find(f"{ns}results/{ns}result/{ns}binding/{ns}literal")
    assert literal is not None and literal.text == AWKWARD_LABEL
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"

    response = server.sparql(LABELS, format="csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text, newline="")))
    assert rows == [["label"], [AWKWARD_LABEL]]

    tsv = server.sparql(LABELS, format="tsv")
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    header, row = tsv.text.rstrip("\n").split("\n")
    assert header == "?label"
    assert row == '"Tab\\there, \\"quotes\\", a comma, <angle> & ampersand,\\nand a new line"@en'


def test_unbound_values_and_typed_literals(server: Running) -> None:
    query = (
        f"SELECT ?staff ?none WHERE {{ <{UNIBAS}> eco:staff ?staff OPTIONAL {{ ?x ?y ?none }} }}"
    )
    (row,) = bindings(server.sparql(query + " LIMIT 1"))
    assert "none" not in row or row["none"]  # unbound: absent
    staff = bindings(server.sparql(f"SELECT ?staff WHERE {{ <{UNIBAS}> eco:staff ?staff }}"))
    # typed as stored (Oxigraph keeps integers in canonical form: "0700" is stored as 700)
    assert staff == [
        {
            "staff": {
                "type": "literal",
                "value": "700",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
        }
    ]
    tsv = server.sparql("SELECT ?a ?b WHERE { BIND(1 AS ?a) }", format="tsv")
    assert tsv.text.split("\n")[1] == '"1"^^<http://www.w3.org/2001/XMLSchema#integer>\t'


@pytest.mark.parametrize(
    ("fmt", "media_type", "body"),
    [
        ("json", "application/sparql-results+json", '"boolean": true'),
        ("xml", "application/sparql-results+xml", "<boolean>true</boolean>"),
        ("csv", "text/csv", "_askResult\r\ntrue"),
        ("tsv", "text/tab-separated-values", "?_askResult\ntrue"),
    ],
)
def test_ask_formats(server: Running, fmt: str, media_type: str, body: str) -> None:
    response = server.sparql("ASK { ?s a eco:Forum }", format=fmt)
    assert response.headers["content-type"].startswith(media_type)
    assert body in response.text


# Formats: CONSTRUCT and DESCRIBE

CONSTRUCT = f"CONSTRUCT {{ <{AWKWARD}> ?p ?o }} WHERE {{ <{AWKWARD}> ?p ?o }}"


def expected_awkward() -> Graph:
    graph = Graph()
    for kind in ("Company", "Organisation"):
        graph.add((URIRef(AWKWARD), RDF.type, URIRef(f"https://w3id.org/ecograph/ontology#{kind}")))
    graph.add((URIRef(AWKWARD), RDFS.label, Literal(AWKWARD_LABEL, lang="en")))
    return graph


@pytest.mark.parametrize(
    ("fmt", "media_type", "rdflib_format"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("nq", "application/n-quads", "nquads"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdf", "application/rdf+xml", "xml"),
    ],
)
def test_graph_formats(server: Running, fmt: str, media_type: str, rdflib_format: str) -> None:
    response = server.sparql(CONSTRUCT, format=fmt)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = Graph()
    graph.parse(data=response.text, format=rdflib_format)
    assert isomorphic(graph, expected_awkward())


def test_describe(server: Running) -> None:
    response = server.sparql(f"DESCRIBE <{UNIBAS}>", format="nt")
    graph = Graph().parse(data=response.text, format="nt")
    assert (
        URIRef(UNIBAS),
        URIRef("https://w3id.org/ecograph/ontology#acronym"),
        Literal("UNIBAS"),
    ) in graph


# Content negotiation


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*", "text/csv"),
        ("application/json", "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
        ("application/sparql-results+json;q=0, text/csv;q=0.1", "text/csv"),
    ],
)
def test_select_negotiation(server: Running, accept: str | None, expected: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = server.get(
        "/sparql", params={"query": "SELECT * { ?s a eco:City }"}, headers=headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples, text/turtle;q=0.9", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-quads", "application/n-quads"),
    ],
)
def test_graph_negotiation(server: Running, accept: str | None, expected: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = server.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.headers["content-type"].split(";")[0] == expected


def test_format_parameter_wins_over_accept(server: Running) -> None:
    response = server.get(
        "/sparql",
        params={"query": "SELECT * { ?s a eco:City }", "format": "text/csv"},
        headers={"accept": "application/sparql-results+xml"},
    )
    assert response.headers["content-type"].startswith("text/csv")


def test_unacceptable_accept_is_406(server: Running) -> None:
    response = server.get(
        "/sparql", params={"query": "SELECT * {}"}, headers={"accept": "image/png"}
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_format_of_another_kind_is_406_and_unknown_format_400(server: Running) -> None:
    assert server.sparql(CONSTRUCT, format="csv").status_code == 406
    response = server.sparql("SELECT * {}", format="yaml")
    assert response.status_code == 400
    assert "unknown format 'yaml'" in response.text


# Limits


def test_results_over_the_cap_are_truncated_and_say_so(server: Running) -> None:
    response = server.sparql("SELECT ?n WHERE { ?n <http://example.org/value> ?v }")
    assert len(bindings(response)) == server.settings.max_rows == 50
    assert response.headers[TRUNCATED_HEADER] == "true"
    assert response.headers[MAX_ROWS_HEADER] == "50"
    whole = server.sparql("SELECT ?n WHERE { ?n <http://example.org/value> ?v } LIMIT 50")
    assert TRUNCATED_HEADER not in whole.headers


def test_graphs_over_the_cap_are_truncated(server: Running) -> None:
    query = "CONSTRUCT WHERE { ?n <http://example.org/value> ?v }"
    response = server.sparql(query, format="nt")
    assert len(response.text.strip().splitlines()) == 50
    assert response.headers[TRUNCATED_HEADER] == "true"


def test_query_over_the_length_limit_is_413(server: Running) -> None:
    long_query = "ASK {}" + " " * server.settings.max_query_length
    response = server.post("/sparql", content=long_query, headers=DIRECT)
    assert response.status_code == 413
    assert "characters long" in response.text


# Malformed requests


def test_two_queries_are_400(server: Running) -> None:
    response = server.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400
    assert "more than one query" in response.text
    response = server.post("/sparql?query=ASK%20%7B%7D", content="ASK {}", headers=DIRECT)
    assert response.status_code == 400


def test_missing_query_with_other_parameters_is_400(server: Running) -> None:
    response = server.get("/sparql", params={"default-graph-uri": ORGS})
    assert response.status_code == 400
    assert "query parameter is missing" in response.text
    assert server.post("/sparql", content="", headers=FORM).status_code == 400
    assert server.post("/sparql", content="  ", headers=DIRECT).status_code == 400


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/json", "multipart/form-data; boundary=x"]
)
def test_wrong_or_missing_media_type_is_415(server: Running, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = server.post("/sparql", content="query=ASK%20%7B%7D", headers=headers)
    assert response.status_code == 415


def test_bad_encoding_is_400(server: Running) -> None:
    utf16 = {"content-type": "application/sparql-query; charset=UTF-16"}
    assert (
        server.post("/sparql", content="ASK {}".encode("utf-16"), headers=utf16).status_code == 400
    )
    latin1 = 'ASK { ?s ?p "Università" }'.encode("latin-1")
    assert server.post("/sparql", content=latin1, headers=DIRECT).status_code == 400
    assert server.get("/sparql?query=ASK%20%7B%20%22%E0%22%20%7D").status_code == 400
    assert server.post("/sparql", content=b"query=ASK%20%7B%E0%7D", headers=FORM).status_code == 400


def test_syntax_error_is_400_with_a_readable_message(server: Running) -> None:
    response = server.sparql("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert response.status_code == 400
    assert "syntax error at line 3, column" in response.text
    assert "\n  }\n  " in response.text  # the offending line, and a caret under it
    assert "Traceback" not in response.text
    problem = server.get(
        "/sparql", params={"query": "ASK {"}, headers={"accept": "application/json"}
    ).json()
    assert problem["status"] == 400 and "syntax error" in problem["detail"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(server: Running, method: str) -> None:
    response = server.client.request(method, "/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


# Read-only, and never reaching the network


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/sparql", "params": {"update": "CLEAR ALL"}},
        {"method": "POST", "url": "/sparql", "content": "update=CLEAR%20ALL", "headers": FORM},
        {
            "method": "POST",
            "url": "/sparql",
            "content": "CLEAR ALL",
            "headers": {"content-type": "application/sparql-update"},
        },
        {
            "method": "POST",
            "url": "/sparql",
            "content": "INSERT DATA { <a:b> <a:c> <a:d> }",
            "headers": DIRECT,
        },
        {"method": "GET", "url": "/sparql", "params": {"query": "LOAD <http://example.org/x>"}},
        {"method": "GET", "url": "/sparql", "params": {"query": "ASK {}", "using-graph-uri": ORGS}},
    ],
    ids=["get-update", "form-update", "sparql-update", "update-as-query", "load", "using-graph"],
)
def test_updates_are_403(server: Running, request_kwargs: dict[str, object]) -> None:
    response = server.client.request(**request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert "read-only" in response.text
    assert server.sparql(f"ASK {{ <{UNIBAS}> ?p ?o }}").json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SeRvIcE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { OPTIONAL { SERVICE SILENT ?endpoint { ?s ?p ?o } } }",
        "SELECT * WHERE { SERVIC\\u0045 <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
    ids=[
        "service",
        "mixed-case",
        "silent-variable",
        "unicode-escape",
        "prefixed",
        "from",
        "from-named",
    ],
)
def test_network_access_is_400(server: Running, query: str) -> None:
    response = server.sparql(query)
    assert response.status_code == 400
    assert "never" in response.text


def test_dataset_graphs_the_store_lacks_are_400(server: Running) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        response = server.get(
            "/sparql", params={"query": "ASK {}", name: "http://example.org/elsewhere.ttl"}
        )
        assert response.status_code == 400
        assert "names no graph of this store" in response.text


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?x WHERE { BIND("SERVICE <http://example.org/> { }" AS ?x) }',
        "SELECT ?x WHERE { BIND('LOAD <http://example.org/>' AS ?x) }",
        "# SERVICE <http://example.org/sparql> { ?s ?p ?o }\nSELECT ?x WHERE { BIND(1 AS ?x) }",
        "SELECT ?x WHERE { BIND(<http://example.org/SERVICE/FROM> AS ?x) }",
        "SELECT ?service ?from WHERE { BIND(1 AS ?service) BIND(2 AS ?from) }",
        'SELECT ?x WHERE { BIND("""FROM <http://example.org/>\nSERVICE""" AS ?x) }',
    ],
    ids=["string", "single-quoted", "comment", "iri", "variables", "long-string"],
)
def test_keywords_in_strings_comments_and_iris_are_harmless(server: Running, query: str) -> None:
    response = server.sparql(query)
    assert response.status_code == 200, response.text
    assert len(bindings(response)) == 1


# Service description


def test_service_description(server: Running) -> None:
    response = server.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server.url + "/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert names == {ORGS, EVENTS_FILE, EVENTS, (DATA / "numbers.nt").as_uri()}
    formats = {str(o) for o in graph.objects(endpoint, URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats


def test_service_description_by_accept(server: Running) -> None:
    response = server.get("/sparql", headers={"accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert json.loads(response.text)


# CORS


def test_cors_preflight(server: Running) -> None:
    response = server.client.options(
        "/sparql",
        headers={
            "origin": "https://analyst.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_headers_are_exposed(server: Running) -> None:
    response = server.get(
        "/sparql",
        params={"query": "SELECT ?n WHERE { ?n <http://example.org/value> ?v }"},
        headers={"origin": "https://analyst.example"},
    )
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = response.headers["access-control-expose-headers"].lower()
    assert TRUNCATED_HEADER.lower() in exposed and "etag" in exposed
    refused = server.get(
        "/sparql", params={"update": "CLEAR ALL"}, headers={"origin": "https://x.example"}
    )
    assert refused.headers["access-control-allow-origin"] == "*"
