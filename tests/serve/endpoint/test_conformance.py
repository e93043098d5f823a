"""One conformance suite, three engines behind the same API (issue 12).

The project graph served by ecograph on the embedded Oxigraph store, and behind
``--endpoint`` on two real engines loaded from the build's ``dist/`` by ``ecograph load``
(Graph Store Protocol): ``oxigraph serve`` and Virtuoso Open Source. On each: every catalogue
query gives its golden result (tests/golden); every entity's N-Triples are the embedded
store's, and its JSON-LD, read with the local context only, holds the same triples as the
embedded store's. The Virtuoso cases are marked ``virtuoso`` and skipped, saying why, where
``virtuoso-t`` is not installed. What the engines answered differently, and how it was
fixed, is in docs/deploy.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from endpoint_support import OXIGRAPH, ROOT, Running, run_oxigraph, serve  # type: ignore[import-not-found]
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ecograph.build.pipeline import Build
from ecograph.build.publish import publish
from ecograph.ld import documents as jsonld
from ecograph.rdf.namespaces import ECOID
from ecograph.serve.app import create_app
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend
from ecograph.store.running import canonical_rows

sys.path.insert(0, str(ROOT / "deploy"))
import virtuoso  # type: ignore[import-not-found]

GOLDEN = sorted((ROOT / "tests" / "golden").glob("*.json"))
ECOGRAPH = Path(sys.executable).with_name("ecograph")
Triple = tuple[Node, Node, Node]
ENGINES = ["embedded", "oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]


@pytest.fixture(scope="module")
def dist(project_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("conformance") / "dist"
    publish(project_build, out)
    return out


def _load(dist: Path, into: str, graph_store: str, **env: str) -> str:
    """``ecograph load`` as a user runs it; its output."""
    result = subprocess.run(
        [str(ECOGRAPH), "load", str(dist), "--into", into, "--graph-store", graph_store],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _oxigraph(folder: Path) -> Iterator[str]:
    """A writable ``oxigraph serve`` (the Graph Store Protocol at /store), union default graph,
    its own 30 s time limit."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph command (PyPI package 'oxigraph') is not installed")
    yield from run_oxigraph(["serve", "--location", str(folder)], timeout_s=30)


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest,
    project_store: pyoxigraph.Store,
    dist: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Running]:
    """ecograph serving the project graph from one engine."""
    name = request.param
    if name == "embedded":
        settings = Settings(root=ROOT)
        for url in serve(create_app(settings, EmbeddedBackend(project_store))):
            yield Running(url, settings)
        return
    folder = tmp_path_factory.mktemp(name)
    if name == "oxigraph":
        for base in _oxigraph(folder / "store"):
            printed = _load(dist, f"{base}/query", f"{base}/store")
            assert "the counts at" in printed, printed
            settings = Settings(root=ROOT, endpoint=f"{base}/query")
            for url in serve(create_app(settings)):
                yield Running(url, settings)
        return
    if virtuoso.installed() is None:
        pytest.skip("Virtuoso is not installed here (apt-get install virtuoso-opensource)")
    with virtuoso.running(folder / "db", timeout=30, buffers_mib=256) as server:
        user, password = virtuoso.DBA
        _load(
            dist,
            server.sparql,
            server.graph_store,
            ECOGRAPH_GRAPH_STORE_USER=user,
            ECOGRAPH_GRAPH_STORE_PASSWORD=password,
        )
        settings = Settings(root=ROOT, endpoint=server.sparql, endpoint_timeout_parameter="timeout")
        for url in serve(create_app(settings)):
            yield Running(url, settings)


#: Entities compared per kind (the path segment after id/): every kind, not every entity, as
#: each takes three requests and two parses per engine (test_jsonld.py reads them all once).
PER_KIND = 8


@pytest.fixture(scope="module")
def entities(project_store: pyoxigraph.Store) -> list[str]:
    query = f"""SELECT DISTINCT ?s WHERE {{
      ?s a ?t . FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ECOID}")) }} ORDER BY ?s"""
    found = [r["s"].value for r in project_store.query(query, use_default_graph_as_union=True)]  # type: ignore[union-attr]
    by_kind: dict[str, list[str]] = {}
    for iri in found:
        by_kind.setdefault(iri[len(str(ECOID)) :].split("/")[0], []).append(iri)
    return [iri for iris in by_kind.values() for iri in iris[:PER_KIND]]


@pytest.fixture(scope="module")
def embedded_triples(dist: Path, project_store: pyoxigraph.Store) -> Iterator[Running]:
    """The embedded store's server, as the reference for the others' documents."""
    settings = Settings(root=ROOT)
    for url in serve(create_app(settings, EmbeddedBackend(project_store))):
        yield Running(url, settings)


def _triples(graph: Graph) -> Counter[tuple[str, str, str]]:
    """A graph's triples with blank nodes unlabelled, counted: equal for isomorphic graphs,
    and computed in linear time (rdflib's isomorphism test takes minutes on the evidence
    selectors' many alike blank nodes)."""
    return Counter(_key(triple) for triple in graph)


@pytest.mark.parametrize("case", GOLDEN, ids=lambda p: p.stem)
def test_catalogue_query_gives_its_golden_result(
    engine: Running, case: Path, request: pytest.FixtureRequest
) -> None:
    expected = json.loads(case.read_text(encoding="utf-8"))
    name = case.stem.split("--")[0]
    response = engine.get(
        f"/api/queries/{name}",
        params=expected["params"],
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text[:1000]
    results = response.json()
    rows = [
        {k: ("_:" if v["type"] == "bnode" else "") + v["value"] for k, v in row.items()}
        for row in results["results"]["bindings"]
    ]
    assert results["head"]["vars"] == expected["variables"]
    assert canonical_rows(rows) == expected["rows"]


def _virtuoso_collision(endpoint: str, store: pyoxigraph.Store, triple: Triple) -> bool:
    """Whether a triple ``s p <iri>`` is Virtuoso's integer/IRI collision: an ``xsd:integer``
    literal whose value is the number of an IRI's internal id matches that IRI as an object
    (``?s ?p <iri>``). Seen on about one fresh load in four of the project graph:
    ``_:b oa:end <…/org/distretti-culturali>``, where the selector's ``oa:end`` is 549 and 549
    is the IRI's id (docs/deploy.md). True only when the embedded store has exactly that: the
    subject (any blank node, for a blank one) with that predicate and that integer."""
    subject, predicate, obj = triple
    if not isinstance(obj, URIRef):
        return False
    number = _virtuoso_iri_id(endpoint, obj)
    node = "?s" if isinstance(subject, BNode) else subject.n3()
    blank = "FILTER (isBlank(?s))" if isinstance(subject, BNode) else ""
    found = store.query(
        f"ASK {{ {node} {predicate.n3()} {number} {blank} }}", use_default_graph_as_union=True
    )
    return bool(found)


def _virtuoso_iri_id(endpoint: str, iri: URIRef) -> int:
    """The number of Virtuoso's internal id of ``iri`` (its built-in functions, by SPARQL)."""
    answer = httpx.post(
        endpoint,
        data={"query": f"SELECT (bif:iri_id_num(bif:iri_to_id({iri.n3()})) AS ?n) WHERE {{}}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def _collided(
    answer: Graph, extra: Counter[tuple[str, str, str]], endpoint: str, store: pyoxigraph.Store
) -> Counter[tuple[str, str, str]]:
    """Of the ``extra`` triples of a Virtuoso ``answer``, those its integer/IRI collision put
    there: the colliding triple, and what the document then says of its subject, which reads
    as a neighbour pointing to the entity (named, or described in full when it has no name:
    a selector's blank node)."""
    colliding = {
        s
        for s, p, o in answer
        if _key((s, p, o)) in extra and _virtuoso_collision(endpoint, store, (s, p, o))
    }
    found = Counter(_key(t) for t in answer if t[0] in colliding)
    return found & extra


def _key(triple: Triple) -> tuple[str, str, str]:
    return tuple("_:" if isinstance(t, BNode) else t.n3() for t in triple)  # type: ignore[return-value]


def test_entity_documents_are_the_embedded_stores(
    engine: Running,
    embedded_triples: Running,
    entities: list[str],
    project_store: pyoxigraph.Store,
    request: pytest.FixtureRequest,
) -> None:
    """Every entity's N-Triples equal the embedded store's, and so does what its JSON-LD holds,
    read with the local context only (that the JSON-LD holds exactly the N-Triples is
    test_jsonld.py's, on the embedded store). On Virtuoso, a triple that is exactly its
    integer/IRI collision (:func:`_virtuoso_collision`) is set aside, and only that."""
    on_virtuoso = request.node.callspec.params["engine"] == "virtuoso"
    contexts = jsonld.project_contexts(
        "https://w3id.org/ecograph/",
        json.loads((ROOT / "context" / "ecograph.context.jsonld").read_text(encoding="utf-8")),
    )
    assert len(entities) > 40
    pair = (engine, embedded_triples)

    def check(iri: str) -> list[str]:
        path = "/id/" + iri[len(str(ECOID)) :]
        answers = [server.get(path + suffix) for suffix in (".nt", ".jsonld") for server in pair]
        if any(r.status_code != 200 for r in answers):
            return [f"{iri}: {[r.status_code for r in answers]}"]
        answer = Graph().parse(data=answers[0].text, format="nt")
        mine, reference = (
            _triples(answer),
            _triples(Graph().parse(data=answers[1].text, format="nt")),
        )
        found = []
        collided: Counter[tuple[str, str, str]] = Counter()
        if on_virtuoso and mine - reference:
            endpoint = engine.settings.endpoint or ""
            collided = _collided(answer, mine - reference, endpoint, project_store)
        mine -= collided
        if mine != reference:
            missing, extra = reference - mine, mine - reference
            found.append(
                f"{iri}: {sum(missing.values())} triples missing, {sum(extra.values())} extra: "
                f"missing {sorted(map(str, missing))[:3]}, extra {sorted(map(str, extra))[:3]}"
            )
        mine, reference = (_triples(jsonld.to_graph(r.json(), contexts)) for r in answers[2:])
        if mine - collided != reference:
            found.append(f"{iri}: its JSON-LD does not expand to the embedded store's triples")
        return found

    with ThreadPoolExecutor(max_workers=4) as pool:
        problems = [p for found in pool.map(check, entities) for p in found]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.virtuoso
@pytest.mark.parametrize("engine", ["virtuoso"], indirect=True)
def test_virtuoso_integer_iri_collision_is_recognised_and_only_it(engine: Running) -> None:
    """:func:`_virtuoso_collision` knows a statement ``s p <iri>`` for Virtuoso's bug only when
    the embedded store has ``s p N`` with N the IRI's internal id, not N + 1. (The bug itself
    is not made here: an integer put into Virtuoso at the id of an IRI collided with it in one
    fresh database and not in another.)"""
    endpoint = engine.settings.endpoint or ""
    iri = URIRef(f"{ECOID}org/kilometro-rosso")
    number = _virtuoso_iri_id(endpoint, iri)
    end = URIRef("http://www.w3.org/ns/oa#end")
    store = pyoxigraph.Store()
    for subject, value in (("urn:x", number), ("urn:y", number + 1)):
        store.add(
            pyoxigraph.Quad(
                pyoxigraph.NamedNode(subject),
                pyoxigraph.NamedNode(str(end)),
                pyoxigraph.Literal(value),
            )
        )
    blank = pyoxigraph.BlankNode()
    store.add(pyoxigraph.Quad(blank, pyoxigraph.NamedNode(str(end)), pyoxigraph.Literal(number)))
    assert _virtuoso_collision(endpoint, store, (URIRef("urn:x"), end, iri))
    assert _virtuoso_collision(endpoint, store, (BNode(), end, iri))
    assert not _virtuoso_collision(endpoint, store, (URIRef("urn:y"), end, iri))
    assert not _virtuoso_collision(endpoint, store, (URIRef("urn:x"), RDF.type, iri))
    assert not _virtuoso_collision(endpoint, store, (URIRef("urn:x"), end, Literal(number)))
