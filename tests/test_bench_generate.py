"""The benchmark's data generator: reproducible byte for byte, and valid against the shapes.

Functional only: how fast anything runs is measured by ``bench/run.py``, never asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.generate import generate

from ecograph.build.pipeline import build
from ecograph.settings import Settings

TRIPLES = 1_500  # a tiny scale factor: a dozen articles, every kind of node


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "tiny"
    generate(out, TRIPLES, seed=7)
    return out


def test_same_seed_same_bytes(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, TRIPLES, seed=7)
    assert _files(again) == _files(generated)


def test_other_seed_other_data(generated: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate(other, TRIPLES, seed=8)
    ours = (generated / "data" / "synthetic.ttl").read_bytes()
    assert (other / "data" / "synthetic.ttl").read_bytes() != ours


def test_reaches_the_target_with_every_kind_of_node(generated: Path) -> None:
    import json

    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triples"] >= TRIPLES
    kinds = set(manifest["entities"])
    for cls in ("Company", "Cluster", "Person", "Role", "Evidence", "Source", "Region", "City"):
        assert f"eco:{cls}" in kinds
    assert kinds & {"eco:Mission", "eco:DelegationVisit"}
    assert len(list((generated / "data" / "sources").glob("*.txt"))) == manifest["articles"]


def test_valid_against_the_shapes_and_quotes_verbatim(generated: Path) -> None:
    result = build(Settings(root=generated))
    assert result.report.conforms, result.report.render()
    assert not result.report.warnings, result.report.render()
    assert len(result.derived) > 0  # ecosystems and cross-border links were derived


def test_n_triples_output_is_the_same_graph(generated: Path, tmp_path: Path) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    nt = tmp_path / "nt"
    generate(nt, TRIPLES, seed=7, fmt="nt")
    turtle = Graph().parse(generated / "data" / "synthetic.ttl", format="turtle")
    ntriples = Graph().parse(nt / "data" / "synthetic.nt", format="nt")
    assert isomorphic(turtle, ntriples)
