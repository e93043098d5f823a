"""``ecograph load``'s reading of a dataset and its requests (the loading itself runs against
real engines in tests/serve/endpoint/test_conformance.py)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from ecograph.errors import ConfigurationError, InputError
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
