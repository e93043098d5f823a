"""The checks and rewrites a query goes through before it runs, tested without a server:
refusals on the parsed query (not its text), dataset graphs, parameter binding, term syntax."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import BNode, Literal, URIRef

from ecograph.errors import (
    QueryError,
    QuerySyntaxError,
    QueryTooLarge,
    RemoteAccessRefused,
    UpdateRefused,
)
from ecograph.rdf.sparql_text import bind_values, declare_prefixes
from ecograph.rdf.terms import ntriples, oxigraph_to_wire, rdflib_to_wire, wire_to_rdflib
from ecograph.store.safety import (
    QueryInfo,
    analyse,
    check_graphs,
    describe_engine_error,
    needs_analysis,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER = URIRef(XSD + "integer")

REFUSED = [
    ("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", RemoteAccessRefused),
    ("ASK { sErViCe <http://example.org/sparql> { ?s ?p ?o } }", RemoteAccessRefused),
    ("ASK { SERVIC\\u0045 <http://example.org/sparql> { } }", RemoteAccessRefused),
    ("ASK { { ?s ?p ?o } UNION { SERVICE SILENT ?x { ?s ?p ?o } } }", RemoteAccessRefused),
    ("ASK { FILTER EXISTS { SERVICE <http://e.org/> { ?s ?p ?o } } }", RemoteAccessRefused),
    ("SELECT * { { SELECT ?s { SERVICE <http://e.org/> { ?s ?p ?o } } } }", RemoteAccessRefused),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", UpdateRefused),
    ("LOAD <http://example.org/data.ttl>", UpdateRefused),
    ("load <http://example.org/data.ttl> INTO GRAPH <http://g>", UpdateRefused),
    ("DELETE WHERE { ?s ?p ?o }", UpdateRefused),
    ("CLEAR ALL", UpdateRefused),
    ("ASK {", QuerySyntaxError),
    ("SELECT * WHERE { ?s ?p ?o } GARBAGE", QuerySyntaxError),
    ("SELECT * FROM undeclared:x WHERE { }", QuerySyntaxError),
]


@pytest.mark.parametrize(("query", "error"), REFUSED)
def test_refused(query: str, error: type[QueryError]) -> None:
    with pytest.raises(error):
        analyse(query)


@pytest.mark.parametrize(
    "query",
    [
        'ASK { ?s ?p "SERVICE <http://example.org/> { }" }',
        "ASK { ?s ?p 'LOAD <http://example.org/>' }",
        'ASK { ?s ?p """multi\nline SERVICE <http://e.org/> { }""" }',
        "# SERVICE <http://example.org/> { }\nASK { }",
        "ASK { <http://example.org/SERVICE> ?p ?o }",
        "PREFIX service: <http://example.org/> ASK { service:x ?p ?o }",
        "ASK { ?service ?load ?from }",
        "SELECT ?x WHERE { BIND(STR(<http://example.org/FROM>) AS ?x) }",
    ],
)
def test_keywords_that_are_not_keywords_pass(query: str) -> None:
    assert analyse(query).form in {"ASK", "SELECT"}


def test_deeply_nested_queries_are_refused_before_any_parser_sees_them() -> None:
    """Oxigraph's parser crashes (stack overflow) on a few thousand nested brackets."""
    for opening, closing in (("{", "}"), ("(", ")")):
        query = "SELECT * WHERE { FILTER " + opening * 3000 + "1" + closing * 3000 + " }"
        with pytest.raises(QueryTooLarge, match="3001 levels deep"):
            analyse(query)
    hidden = "SELECT * WHERE { " + "\\u007B" * 200 + "\\u007D" * 200 + " }"
    with pytest.raises(QueryTooLarge, match="201 levels deep"):
        analyse(hidden)


def test_forms_and_dataset_clauses() -> None:
    info = analyse(
        "BASE <http://example.org/base/> PREFIX ex: <http://example.org/> "
        "CONSTRUCT { ?s ?p ?o } FROM ex:g1 FROM <relative> FROM NAMED eco:g2 WHERE { ?s ?p ?o }",
    )
    assert info.form == "CONSTRUCT"
    assert info.from_graphs == ("http://example.org/g1", "http://example.org/base/relative")
    assert info.from_named_graphs == ("https://w3id.org/ecograph/ontology#g2",)
    assert analyse("DESCRIBE <http://example.org/x>").form == "DESCRIBE"
    relative = analyse("ASK FROM <rel> {}", base_iri="http://h/sparql")
    assert relative == QueryInfo("ASK", ("http://h/rel",), ())


def test_graphs_must_be_in_the_store() -> None:
    info = analyse("SELECT * FROM <http://g/1> FROM NAMED <http://g/2> {}")
    check_graphs(info, ["http://g/1"], {"http://g/1", "http://g/2"})
    with pytest.raises(RemoteAccessRefused, match="FROM NAMED <http://g/2>"):
        check_graphs(info, [], {"http://g/1"})
    with pytest.raises(RemoteAccessRefused, match="dataset graph <http://g/3>"):
        check_graphs(info, ["http://g/3"], {"http://g/1", "http://g/2"})


# Binding parameters in the text (remote endpoints) and the WHERE group it needs

BINDINGS = {"region": URIRef("http://example.org/r"), "text": Literal('a "} # x', lang="en")}
BLOCK = ' VALUES (?region ?text) { (<http://example.org/r> "a \\"} # x"@en) } '


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE {"),
        ("SELECT ?x { ?x ?p ?o }", "SELECT ?x {"),
        (
            "PREFIX e: <http://e/> # { not here\nSELECT ?where WHERE { ?where e:where ?o }",
            "PREFIX e: <http://e/> # { not here\nSELECT ?where WHERE {",
        ),
        (
            'SELECT ("{" AS ?b) (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?x ?p ?o }',
            'SELECT ("{" AS ?b) (EXISTS { ?a ?b ?c } AS ?e) WHERE {',
        ),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {"),
        ("ASK { ?s ?p ?o }", "ASK {"),
    ],
)
def test_values_open_the_where_group(query: str, where: str) -> None:
    bound = bind_values(query, BINDINGS)
    assert bound == where + BLOCK + query[len(where) :]
    analyse(bound)  # still a valid query


def test_bound_values_join_before_filters() -> None:
    store = pyoxigraph.Store()
    for i in range(5):
        store.add(
            pyoxigraph.Quad(
                pyoxigraph.NamedNode(f"http://e/{i}"),
                pyoxigraph.NamedNode("http://e/v"),
                pyoxigraph.Literal(str(i), datatype=pyoxigraph.NamedNode(INTEGER)),
            )
        )
    query = "SELECT ?s WHERE { ?s <http://e/v> ?v FILTER (?v >= ?low) } ORDER BY ?s"
    bound = bind_values(query, {"low": Literal(3)})
    assert [r["s"].value for r in store.query(bound)] == ["http://e/3", "http://e/4"]  # type: ignore[union-attr]


def test_nothing_to_bind_leaves_the_text_alone() -> None:
    assert bind_values("DESCRIBE <http://x>", {}) == "DESCRIBE <http://x>"
    with pytest.raises(QueryError):
        bind_values("DESCRIBE <http://x>", {"x": URIRef("http://y")})


def test_declared_prefixes_keep_line_numbers_and_yield_to_the_querys_own() -> None:
    text = declare_prefixes("PREFIX eco: <urn:mine#>\nASK {}", {"eco": "urn:e#", "ex": "urn:x#"})
    assert text == "PREFIX eco: <urn:e#> PREFIX ex: <urn:x#>\nPREFIX eco: <urn:mine#>\nASK {}"
    store = pyoxigraph.Store()
    assert bool(store.query(text.replace("ASK {}", "ASK { FILTER(STR(eco:a) = 'urn:mine#a') }")))


@pytest.mark.parametrize(
    ("text", "analysed"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * WHERE { ?s ?p 'from here' }", True),  # the word anywhere: parse it
        ("SELECT * WHERE { SeRvIcE <http://e.org/> {} }", True),
        ("SELECT * WHERE { \\u0053ERVICE <http://e.org/> {} }", True),
        ("SELECT * WHERE { " + "{" * 101 + "}" * 101 + " }", True),
    ],
)
def test_which_texts_need_the_parse(text: str, analysed: bool) -> None:
    assert needs_analysis(text) is analysed


def test_engine_errors_are_located() -> None:
    message = describe_engine_error(
        "error at 2:3: expected one of " + "x, " * 100, "ASK {\n  ?s\n}"
    )
    assert message.startswith("SPARQL syntax error at line 2, column 3: expected one of x, x")
    assert message.endswith("\n    ?s\n    ^")
    assert len(message) < 250


# Terms


@pytest.mark.parametrize(
    ("term", "written"),
    [
        (URIRef("http://example.org/a b>"), "<http://example.org/a\\u0020b\\u003E>"),
        (Literal('say "hi"\n\tthen\\'), '"say \\"hi\\"\\n\\tthen\\\\"'),
        (Literal("ciao", lang="it"), '"ciao"@it'),
        (Literal("1", datatype=INTEGER), '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (Literal("plain", datatype=URIRef(XSD + "string")), '"plain"'),
        (BNode("b1"), "_:b1"),
    ],
)
def test_ntriples(term: URIRef | Literal | BNode, written: str) -> None:
    assert ntriples(term) == written


def test_wire_round_trips() -> None:
    for term in (
        URIRef("http://e/x"),
        BNode("n1"),
        Literal("x"),
        Literal("x", lang="en"),
        Literal("2024-01-01", datatype=URIRef(XSD + "date")),
    ):
        assert wire_to_rdflib(rdflib_to_wire(term)) == term
    typed_string = pyoxigraph.Literal("s", datatype=pyoxigraph.NamedNode(XSD + "string"))
    assert wire_to_rdflib(oxigraph_to_wire(typed_string)) == Literal("s")
