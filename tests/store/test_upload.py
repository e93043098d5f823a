"""``ecograph load``'s reading of a dataset and its requests (the loading itself runs against
real engines in tests/serve/endpoint/test_conformance.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from ecograph.errors import BackendError, ConfigurationError, InputError
from ecograph.store import upload


def _triple(s: str, o: pyoxigraph.NamedNode | pyoxigraph.BlankNode) -> pyoxigraph.Triple:
    return pyoxigraph.Triple(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode("urn:p"), o)


def test_a_large_graph_goes_in_parts_its_blank_nodes_in_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(upload, "CHUNK_TRIPLES", 10)
    blank = pyoxigraph.BlankNode("b")
    triples = [_triple(f"urn:s{i}", pyoxigraph.NamedNode("urn:o")) for i in range(25)]
    triples += [
        _triple("urn:x", blank),
        pyoxigraph.Triple(blank, pyoxigraph.NamedNode("urn:q"), blank),
    ]
    parts = upload._parts(triples)
    assert [len(p) for p in parts] == [10, 10, 7]
    assert all(not upload._has_blank(t) for part in parts[1:] for t in part)
    assert sorted(map(str, (t for p in parts for t in p))) == sorted(map(str, triples))


def test_a_blank_node_in_two_graphs_is_refused(tmp_path: Path) -> None:
    dataset = tmp_path / "ecograph.nq"
    dataset.write_text("_:b <urn:p> <urn:o> <urn:g1> .\n_:b <urn:p> <urn:o> <urn:g2> .\n")
    with pytest.raises(InputError, match="blank node _:b is in two graphs"):
        upload.graphs_of(dataset)


def test_a_default_graph_triple_is_refused(tmp_path: Path) -> None:
    dataset = tmp_path / "ecograph.nq"
    dataset.write_text("<urn:s> <urn:p> <urn:o> .\n")
    with pytest.raises(InputError, match="outside any named graph"):
        upload.graphs_of(dataset)


def test_the_graph_store_of_known_engines() -> None:
    assert upload.graph_store_of("http://h:7878/query") == "http://h:7878/store"
    assert upload.graph_store_of("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud-auth"
    with pytest.raises(ConfigurationError, match="give it with --graph-store"):
        upload.graph_store_of("http://h/endpoint")
    with pytest.raises(ConfigurationError, match=r"no ecograph\.nq or ecograph\.trig"):
        upload.dataset_file(Path("/nonexistent"))


_DEADLOCK = (
    "<h1>HTTP/1.1 500 Request Failed</h1><h3>Error 40001</h3>"
    "<xmp>SR172: Transaction deadlocked</xmp>"
)


class _GraphStore:
    """A graph store and SPARQL endpoint in memory that answers the first ``refusals`` writes
    with ``refusal`` (status, body), as Virtuoso answers concurrent writes now and then."""

    def __init__(self, refusals: int, refusal: tuple[int, str] = (500, _DEADLOCK)) -> None:
        self.refusals = refusals
        self.refusal = refusal
        self.graphs: dict[str, set[str]] = {}
        self.writes = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sparql":
            rows = [
                {"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(len(t))}}
                for g, t in self.graphs.items()
            ]
            return httpx.Response(200, json={"head": {}, "results": {"bindings": rows}})
        self.writes += 1
        if self.writes <= self.refusals:
            return httpx.Response(self.refusal[0], text=self.refusal[1])
        graph = request.url.params["graph"]
        lines = {line for line in request.content.decode().splitlines() if line.strip()}
        if request.method == "PUT":
            self.graphs[graph] = lines
        else:
            self.graphs.setdefault(graph, set()).update(lines)
        return httpx.Response(201)


def _load(tmp_path: Path, store: _GraphStore) -> upload.Loaded:
    (tmp_path / "ecograph.nq").write_text(
        "".join(f"<urn:s{i}> <urn:p> <urn:o> <urn:g{i % 3}> .\n" for i in range(9))
    )
    return asyncio.run(
        upload.load(
            tmp_path,
            into="http://store/sparql",
            graph_store="http://store/graph",
            transport=httpx.MockTransport(store),
        )
    )


_LANGUAGE_RACE = (
    "<h1>HTTP/1.1 500 Request Failed</h1><h3>Error 23000</h3>"
    "<xmp>SR197: Non unique primary key on DB.DBA.RDF_LANGUAGE.</xmp>"
)


@pytest.mark.parametrize(
    "refusal",
    [(500, _DEADLOCK), (500, _LANGUAGE_RACE), (503, "busy")],
    ids=["deadlock", "language-race", "busy"],
)
def test_a_deadlocked_upload_is_sent_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: tuple[int, str]
) -> None:
    """Regression: CI's Virtuoso answered one of four parallel PUTs "SR172: Transaction
    deadlocked" and the whole load failed; here, on a fresh database, "SR197: Non unique
    primary key on DB.DBA.RDF_LANGUAGE" (two writes registering one language tag)."""
    monkeypatch.setattr(upload, "FIRST_PAUSE", 0.001)
    store = _GraphStore(refusals=4, refusal=refusal)
    loaded = _load(tmp_path, store)
    assert (loaded.graphs, loaded.triples) == (3, 9)
    assert {g: len(t) for g, t in store.graphs.items()} == {f"urn:g{i}": 3 for i in range(3)}
    assert store.writes == 3 + 4


def test_a_deadlock_that_does_not_clear_is_an_error_naming_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload, "FIRST_PAUSE", 0.001)
    with pytest.raises(BackendError, match=r"refused graph <urn:g\d> \(6 attempts\): 500 .*SR172"):
        _load(tmp_path, _GraphStore(refusals=1000))


@pytest.mark.parametrize(
    "refusal",
    [(400, "bad N-Triples at line 1"), (500, "23000 SR197: Non unique primary key on DB.DBA.T")],
    ids=["bad-request", "other-key"],
)
def test_a_refusal_that_is_not_transient_is_not_sent_again(
    tmp_path: Path, refusal: tuple[int, str]
) -> None:
    store = _GraphStore(refusals=1, refusal=refusal)
    status, text = refusal
    with pytest.raises(BackendError, match=rf"refused graph <urn:g\d>: {status} {text[:10]}"):
        _load(tmp_path, store)
    assert store.writes <= 3  # the other graphs may have gone; the refused one once
