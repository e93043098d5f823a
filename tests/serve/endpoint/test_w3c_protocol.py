"""The W3C SPARQL 1.1 Protocol test suite, read from its manifest and run over real HTTP.

Each ``mf:ProtocolTest`` of ``/work/shared/w3c/sparql11-protocol/manifest.ttl`` becomes a case:
its requests are sent as written (method, path, headers, body in its declared encoding), with
the manifest's ``/sparql/`` path prefix mapped onto this server's ``/sparql``, and the responses
are checked against ``mf:expectedStatus``, ``mf:expectedFormat`` and ``mf:expectedBoolean``.

Two readings the manifest leaves to the implementation:

- The server is read-only, so a test whose first request is an update that the manifest
  expects to succeed must get 403 instead (and its follow-up ASK, which checks what the update
  did, is not sent). Updates the manifest expects to fail must fail, as written.
- The store under test holds the manifest's ``ut:graphData`` graphs (``data1.nt`` … named by
  their labels). Several query tests also name ``…/data0.rdf`` as their dataset without giving
  its data (their queries do not depend on it: ``ASK {}``, ``SELECT (1 AS ?value) {}``); since
  this server refuses dataset graphs it does not hold, the store gets a ``data0.rdf`` graph too,
  made the way the suite's other files are (the document typed ``foaf:Document``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname
from xml.etree import ElementTree

import pytest
from endpoint_support import FIXTURE_ROOT, Running, serve  # type: ignore[import-not-found]
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection
from rdflib.term import Node

from ecograph.serve.app import create_app
from ecograph.settings import Settings

SUITE = Path("/work/shared/w3c/sparql11-protocol")
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
PATH_PREFIX = "/sparql/"

pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="the W3C suite is not present")


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # expected status classes: 2, 3, 4, 5
    expected_format: str | None
    expected_boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        body = (self.body or b"").decode("utf-8", "replace")
        return content_type.startswith("application/sparql-update") or (
            content_type.startswith("application/x-www-form-urlencoded")
            and body.startswith("update=")
        )


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    graphs: tuple[tuple[str, Path], ...]
    requests: tuple[ProtocolRequest, ...]


def _file(iri: Node | None) -> Path:
    return Path(url2pathname(urlparse(str(iri)).path))


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []


def _request(graph: Graph, node: Node) -> ProtocolRequest:
    headers = {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for h in _list(graph, graph.value(node, HT.headers))
    }
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = frozenset(
        int(str(s).removeprefix(str(HTS.StatusCode))[0])
        for s in graph.objects(response, MF.expectedStatus)
    )
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return ProtocolRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        expected_format=None if expected_format is None else str(expected_format),
        expected_boolean=None if expected_boolean is None else str(expected_boolean) == "true",
    )


def read_manifest(path: Path = MANIFEST) -> list[ProtocolTest]:
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in _list(graph, graph.value(manifest, MF.entries)):
        graphs = tuple(
            (str(graph.value(data, RDFS.label)), _file(graph.value(data, UT.graph)))
            for data in graph.objects(test, UT.graphData)
        )
        action = graph.value(test, MF.action)
        requests = tuple(_request(graph, r) for r in _list(graph, graph.value(action, HT.requests)))
        name = str(test).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(test, MF.name)), graphs, requests))
    return tests


TESTS = read_manifest() if MANIFEST.exists() else []


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A server with ``--data`` one N-Quads file: each suite file in the graph it names."""
    dataset_file = tmp_path_factory.mktemp("w3c") / "protocol-suite.nq"
    lines: set[str] = {f"<{DATA0}> <{RDF.type}> <{FOAF_DOCUMENT}> <{DATA0}> ."}
    for test in TESTS:
        for name, data in test.graphs:
            for s, p, o in Graph().parse(data, format="nt"):
                lines.add(f"{s.n3()} {p.n3()} {o.n3()} <{name}> .")
    dataset_file.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")
    settings = Settings(root=FIXTURE_ROOT, data_files=(dataset_file,))
    for url in serve(create_app(settings)):
        yield Running(url, settings)


def _boolean(response: object) -> bool:
    assert hasattr(response, "headers") and hasattr(response, "content")
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/sparql-results+json":
        value = response.json()["boolean"]  # type: ignore[attr-defined]
        assert isinstance(value, bool)
        return value
    assert media_type == "application/sparql-results+xml", media_type
    ns = "{http://www.w3.org/2005/sparql-results#}"
    element = ElementTree.fromstring(response.content).find(f"{ns}boolean")
    assert element is not None
    return element.text == "true"


FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml"},
}


def test_the_manifest_is_read_whole() -> None:
    assert len(TESTS) == 34
    assert all(t.requests for t in TESTS)
    assert {t.name for t in TESTS if t.graphs} >= {"query_dataset_full", "query_multiple_dataset"}


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_protocol(test: ProtocolTest, w3c_server: Running) -> None:
    for request in test.requests:
        path = request.path.replace(PATH_PREFIX, "/sparql", 1)
        response = w3c_server.client.request(
            request.method, path, content=request.body, headers=request.headers
        )
        if request.is_update and request.statuses & {2, 3}:
            assert response.status_code == 403, f"{test.title}: {response.text}"
            assert "read-only" in response.text
            return  # the follow-up requests check what the refused update would have done
        assert response.status_code // 100 in request.statuses, (
            f"{test.title}: got {response.status_code}: {response.text}"
        )
        assert "Traceback" not in response.text
        if request.expected_format is not None:
            media_type = response.headers["content-type"].split(";")[0]
            assert media_type in FORMATS[request.expected_format], media_type
        if request.expected_boolean is not None:
            assert _boolean(response) is request.expected_boolean
        if request.expected_format == "RDF":
            assert isinstance(Graph().parse(data=response.text, format="turtle"), Graph)


def test_an_unknown_dataset_graph_is_refused_not_fetched(w3c_server: Running) -> None:
    """The strict side of the second reading above: without the data0 graph, 400."""
    response = w3c_server.get(
        "/sparql",
        params={
            "query": "ASK {}",
            "default-graph-uri": "http://kasei.us/2009/09/sparql/data/x.rdf",
        },
    )
    assert response.status_code == 400
    assert "never fetches" in response.text
