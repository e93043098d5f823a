"""The JSON-LD contract (docs/jsonld.md): the context, entity documents, no network.

Snapshots: ``snapshots/*.json`` hold the documents of two real entities. After a deliberate
change (to the contract or to those entities' data) rewrite them with
``ECOGRAPH_UPDATE_SNAPSHOTS=1 pytest tests/serve/linked_data/test_jsonld.py``, and review the diff.
"""

from __future__ import annotations

import difflib
import http.server
import json
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import pytest
from ld_support import ROOT, Running  # type: ignore[import-not-found]
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import ORG, RDF, XSD

from ecograph import __version__
from ecograph.errors import RemoteContextRefused
from ecograph.ld import documents as jsonld
from ecograph.rdf.namespaces import ECO, ECOID

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
BASE = "https://w3id.org/ecograph/"
CONTEXT_FILE = ROOT / "context" / "ecograph.context.jsonld"
#: Two real entities whose documents are the contract's worked examples.
SNAPSHOT_ENTITIES = {
    "cluster": "org/basilicata-creativa",
    "mission": "mission/basilicata-creativa-shanghai",
}


def context_document() -> Any:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def local_contexts() -> dict[str, Any]:
    return jsonld.project_contexts(BASE, context_document())


def ontology_graph() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


# --- the context ------------------------------------------------------------------------------


def test_context_file_is_generated_from_the_ontology() -> None:
    expected = jsonld.dumps_context(jsonld.build_context(ontology_graph(), BASE))
    assert CONTEXT_FILE.read_text(encoding="utf-8") == expected, (
        "context/ecograph.context.jsonld is out of date with the ontology: regenerate it with "
        "`python -m ecograph.ld.documents > context/ecograph.context.jsonld`"
    )


def test_context_is_versioned() -> None:
    document = context_document()
    assert document["@context"]["@version"] == 1.1
    assert document["owl:versionInfo"] == __version__ == jsonld.CONTEXT_VERSION
    assert document["id"] == f"{BASE}context/{__version__}.jsonld"
    ontology = ontology_graph()
    versions = {str(v) for v in ontology.objects(URIRef(f"{BASE}ontology"), URIRef(
        "http://www.w3.org/2002/07/owl#versionInfo"))}  # fmt: skip
    assert versions == {__version__}, "the context's version follows the ontology's"


def test_context_maps_every_term_of_the_ontology() -> None:
    context = jsonld.Context.from_document(context_document())
    ontology = ontology_graph()
    declared = {
        s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ECO))
        and len(str(s)) > len(str(ECO))
    }  # fmt: skip
    missing = sorted(str(t) for t in declared if str(t) not in context.by_iri)
    assert not missing, f"terms without a short name in the context: {missing}"


def test_context_term_shapes() -> None:
    terms = jsonld.Context.from_document(context_document()).terms
    assert terms["label"].is_language_map and not terms["label"].is_set
    assert terms["altLabel"].is_language_map and terms["altLabel"].is_set
    assert terms["locatedIn"].type == "@id" and terms["locatedIn"].is_set
    assert terms["startDate"].type == str(XSD.date)
    assert terms["objective"].is_language_map
    assert terms["Cluster"].iri == str(ECO.Cluster)


def test_context_served_at_stable_urls(project_server: Running) -> None:
    latest = project_server.get("/context.jsonld")
    versioned = project_server.get(f"/context/{__version__}.jsonld")
    for response in (latest, versioned):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/ld+json")
        assert response.content == CONTEXT_FILE.read_bytes()
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["etag"]
    missing = project_server.get("/context/9.9.9.jsonld")
    assert missing.status_code == 404
    assert missing.json()["current"].endswith(f"/context/{__version__}.jsonld")


# --- entity documents -------------------------------------------------------------------------


def fetch(server: Running, path: str, accept: str) -> Any:
    response = server.get(path, headers={"Accept": accept})
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response


@pytest.mark.parametrize("name", sorted(SNAPSHOT_ENTITIES))
def test_snapshot(project_server: Running, name: str) -> None:
    """The document of a real cluster and a real mission, compared as JSON values."""
    document = fetch(project_server, f"/id/{SNAPSHOT_ENTITIES[name]}", "application/ld+json").json()
    path = SNAPSHOTS / f"{name}.json"
    if os.environ.get("ECOGRAPH_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(jsonld.dumps(document), encoding="utf-8")
        if not os.environ.get("ECOGRAPH_UPDATE_SNAPSHOTS"):
            pytest.fail(f"wrote a new snapshot {path.name}: review it and run again")
    expected = json.loads(path.read_text(encoding="utf-8"))
    if document != expected:
        diff = difflib.unified_diff(
            jsonld.dumps(expected).splitlines(),
            jsonld.dumps(document).splitlines(),
            f"snapshots/{name}.json",
            f"/id/{SNAPSHOT_ENTITIES[name]}",
            lineterm="",
        )
        pytest.fail(
            f"the JSON-LD of {SNAPSHOT_ENTITIES[name]} differs from its snapshot; if the change "
            "is intended, rewrite the snapshot (see this module's docstring)\n"
            + "\n".join(list(diff)[:80])
        )


def _document_shape(document: dict[str, Any], context: jsonld.Context, where: str) -> list[str]:
    """Contract violations of one node object (and those it embeds)."""
    problems: list[str] = []
    for key, value in document.items():
        if key in {"@context", "id"}:
            continue
        if key == "type":
            if not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
                problems.append(f"{where}: type must be a list of names")
            continue
        if key == "@reverse":
            for reverse_key, nodes in value.items():
                problems += [f"{where}: @reverse {reverse_key} is not a term"] * (
                    reverse_key not in context.terms
                )
                for node in nodes:
                    problems += _document_shape(node, context, f"{where} <- {reverse_key}")
            continue
        term = context.terms.get(key)
        if term is None:
            prefix, _, local = key.partition(":")
            iri = dict((p, n) for n, p in context.prefixes).get(prefix, prefix + ":") + local
            if iri in context.by_iri:
                problems.append(f"{where}: a value of {key} misfits its term's declared range")
            continue
        if term.is_language_map:
            if not isinstance(value, dict) or not all(
                isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
                for v in value.values()
            ):
                problems.append(f"{where}: {key} must be a language map")
        elif term.type == "@id":
            if not isinstance(value, list):
                problems.append(f"{where}: links ({key}) are always lists")
                continue
            for node in value:
                if not isinstance(node, dict) or "id" not in node:
                    problems.append(f"{where}: {key} holds a node without an id")
                else:
                    problems += _document_shape(node, context, f"{where} -> {key}")
    return problems


@pytest.fixture(scope="module")
def real_entities(project_store: Any) -> list[str]:
    """Every entity IRI of the project graph that has a type."""
    query = f"""SELECT DISTINCT ?s WHERE {{
      ?s a ?t . FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ECOID}")) }} ORDER BY ?s"""
    return [r["s"].value for r in project_store.query(query, use_default_graph_as_union=True)]


def test_every_entity_document_expands_to_its_triples(
    project_server: Running, real_entities: list[str]
) -> None:
    """For every entity: the JSON-LD, read with the local context only, holds exactly the
    triples of the N-Triples; and it follows the contract's shape (every key a term: no value
    that misfits its property's declared range)."""
    contexts = local_contexts()
    context = jsonld.Context.from_document(context_document())
    assert len(real_entities) > 50

    def check(iri: str) -> list[str]:
        path = "/id/" + iri[len(str(ECOID)) :]
        document = fetch(project_server, path + ".jsonld", "*/*").json()
        triples = Graph().parse(data=fetch(project_server, path + ".nt", "*/*").text, format="nt")
        found = _document_shape(document, context, iri)
        expanded = jsonld.to_graph(document, contexts)
        if not isomorphic(expanded, triples):
            missing = to_isomorphic(triples) - to_isomorphic(expanded)
            extra = to_isomorphic(expanded) - to_isomorphic(triples)
            found.append(f"{iri}: {len(missing)} triples missing, {len(extra)} extra")
        return found

    with ThreadPoolExecutor(max_workers=4) as pool:
        problems = [p for found in pool.map(check, real_entities) for p in found]
    assert not problems, "\n".join(problems)


def test_language_maps_and_typed_dates(fixture_server: Running) -> None:
    document = fetch(fixture_server, "/id/mission/test-mission", "application/ld+json").json()
    assert document["label"] == {"en": "Test mission"}
    assert document["endDate"] == "2024-05-10", "xsd:date is the context's type for dates"
    assert document["startDate"] == {"@value": "2024-05", "@type": "xsd:gYearMonth"}
    graph = jsonld.to_graph(document, local_contexts())
    mission = URIRef(f"{ECOID}mission/test-mission")
    assert graph.value(mission, ECO.endDate) == Literal("2024-05-10", datatype=XSD.date)
    assert graph.value(mission, ECO.startDate) == Literal("2024-05", datatype=XSD.gYearMonth)

    cluster = fetch(fixture_server, "/id/org/test-cluster", "application/ld+json").json()
    assert cluster["label"]["it"] == "Cluster di prova"
    assert cluster["altLabel"] == {"en": ["TC"]}
    assert cluster["description"] == {"it": "Un cluster <i>di</i> prova"}


def test_linked_entities_carry_their_names(fixture_server: Running) -> None:
    document = fetch(fixture_server, "/id/org/test-cluster", "application/ld+json").json()
    assert document["@context"] == f"{BASE}context/{__version__}.jsonld"
    assert document["id"] == f"{ECOID}org/test-cluster"
    assert document["type"] == ["Cluster"]
    (city,) = document["locatedIn"]
    assert city == {
        "id": f"{ECOID}place/test-city",
        "type": ["City"],
        "label": {"en": "Test City", "it": "Città di prova"},
    }
    (sector,) = document["sector"]
    assert sector["prefLabel"] == {"en": "robotics", "it": "robotica"}
    # sources come with their details, evidence with its quote and where it is quoted from
    (source,) = document["wasDerivedFrom"]
    assert source["title"] == {"it": "Titolo <script>"}
    assert source["issued"] == "2019-04-02"
    (evidence,) = document["evidence"]
    assert evidence["quote"] == "«un cluster» & <quote>"
    assert evidence["wasQuotedFrom"][0]["title"] == {"it": "Titolo <script>"}
    # links in: the members, the unnamed role with its holder's name
    reverse = document["@reverse"]
    assert [m["label"] for m in reverse["memberOf"]] == [{"en": "Member Co"}]
    (role,) = reverse["inOrganisation"]
    assert role["roleLabel"] == {"it": "presidente"}
    assert role["holder"][0]["label"] == {"en": "Pat Tester"}
    assert "inOrganisation" not in role, "the link back to the entity is said once, in @reverse"
    (figure,) = reverse["figureAbout"]
    assert figure["value"] == 42 and figure["isLowerBound"] is True


def test_inferred_statements_are_left_out(fixture_server: Running) -> None:
    """The store holds eco:Organisation and org:memberOf as entailments; documents do not."""
    document = fetch(fixture_server, "/id/org/test-cluster", "application/ld+json").json()
    assert document["type"] == ["Cluster"]
    assert set(document["@reverse"]) == {
        "actor", "figureAbout", "inOrganisation", "memberOf", "participant"
    }  # fmt: skip
    turtle = fetch(fixture_server, "/id/org/test-cluster.ttl", "*/*").text
    graph = Graph().parse(data=turtle, format="turtle")
    cluster = URIRef(f"{ECOID}org/test-cluster")
    assert set(graph.objects(cluster, RDF.type)) == {ECO.Cluster}
    assert not set(graph.triples((None, ORG.memberOf, None)))


def test_json_is_the_same_document(fixture_server: Running) -> None:
    as_json = fetch(fixture_server, "/id/org/test-cluster", "application/json")
    as_jsonld = fetch(fixture_server, "/id/org/test-cluster", "application/ld+json")
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json() == as_jsonld.json()


# --- never the network ------------------------------------------------------------------------


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]]

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = json.dumps({"@context": {"name": "http://example.org/name"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture
def context_host() -> Iterator[tuple[str, list[str]]]:
    """A server that would answer for a remote context, counting every request it gets."""
    hits: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "shape",
    ["string", "list", "nested-node", "scoped-term", "import"],
)
def test_remote_context_is_refused_not_fetched(
    context_host: tuple[str, list[str]], shape: str
) -> None:
    url, hits = context_host
    remote = f"{url}context.jsonld"
    documents: dict[str, Any] = {
        "string": {"@context": remote, "@id": "urn:a", "name": "x"},
        "list": {"@context": [{"x": "urn:x"}, remote], "@id": "urn:a"},
        "nested-node": {"@id": "urn:a", "urn:p": {"@context": remote, "name": "y"}},
        "scoped-term": {"@context": {"p": {"@id": "urn:p", "@context": remote}}, "p": {}},
        "import": {"@context": {"@version": 1.1, "@import": remote}, "@id": "urn:a"},
    }
    with pytest.raises(RemoteContextRefused, match="never fetched"):
        jsonld.to_graph(documents[shape], local_contexts())
    assert hits == [], "the remote context was requested"


def test_project_context_resolves_locally(context_host: tuple[str, list[str]]) -> None:
    """A document naming the project's context (here published under the counting host) is
    read with the local copy: right triples, no request."""
    url, hits = context_host
    contexts = jsonld.project_contexts(url, context_document())
    document = {"@context": f"{url}context/{__version__}.jsonld", "id": "urn:x",
                "label": {"it": "ciao"}, "locatedIn": [{"id": "urn:y"}]}  # fmt: skip
    graph = jsonld.to_graph(document, contexts)
    assert (URIRef("urn:x"), ECO.locatedIn, URIRef("urn:y")) in graph
    assert len(graph) == 2
    assert hits == []


def test_ontology_jsonld_reads_locally(project_server: Running) -> None:
    """The ontology as JSON-LD embeds the context: it reads with no context map at all."""
    response = fetch(project_server, "/ontology", "application/ld+json")
    graph = jsonld.to_graph(response.content, {})
    turtle = Graph().parse(data=fetch(project_server, "/ontology.ttl", "*/*").text, format="turtle")
    assert isomorphic(graph, turtle)
