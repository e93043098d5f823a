"""Behind ``--endpoint`` the graph may change while ecograph serves it: what the server keeps
from it (the label index that search and reconciliation share, the reconciliation index) is
read again after ``cache_max_age`` seconds. Regression: both were read once per server, so an
organisation added to the endpoint's graph was never found by search or by OpenRefine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import OXIGRAPH, ROOT, run_oxigraph, serve  # type: ignore[import-not-found]

from ecograph.serve.app import create_app
from ecograph.settings import Settings

PREFIXES = """PREFIX eco: <https://w3id.org/ecograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _insert(base: str, iri: str, name: str) -> None:
    update = f"""{PREFIXES}INSERT DATA {{ GRAPH <urn:test> {{
  <{iri}> a eco:Organisation, eco:Cluster ; rdfs:label "{name}"@en . }} }}"""
    assert httpx.post(f"{base}/update", data={"update": update}).is_success


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[str]:
    """A writable ``oxigraph serve`` holding one cluster."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph command (PyPI package 'oxigraph') is not installed")
    for base in run_oxigraph(["serve", "--location", str(tmp_path / "store")], timeout_s=30):
        _insert(base, "https://w3id.org/ecograph/id/org/alpha-cluster", "Alpha Cluster")
        yield base


def _found(url: str, name: str) -> tuple[list[str], list[str]]:
    """The IRIs search finds for ``name``, and the ids reconciliation proposes (``org/…``)."""
    hits = httpx.get(f"{url}/api/search", params={"q": name}, timeout=30)
    assert hits.status_code == 200, hits.text
    queries = json.dumps({"q0": {"query": name}})
    batch = httpx.post(f"{url}/reconcile", data={"queries": queries}, timeout=30)
    assert batch.status_code == 200, batch.text
    return (
        [h["iri"] for h in hits.json()["results"]],
        [c["id"] for c in batch.json()["q0"]["result"]],
    )


@pytest.mark.parametrize("max_age", [0, 3600])
def test_an_entity_added_behind_the_endpoint_is_found_after_max_age(
    endpoint: str, max_age: int
) -> None:
    settings = Settings(root=ROOT, endpoint=f"{endpoint}/query", cache_max_age=max_age)
    beta = "https://w3id.org/ecograph/id/org/beta-cluster"
    for url in serve(create_app(settings)):
        assert _found(url, "Alpha Cluster")[0] == ["https://w3id.org/ecograph/id/org/alpha-cluster"]
        searched, proposed = _found(url, "Beta Cluster")
        assert searched == [] and "org/beta-cluster" not in proposed
        _insert(endpoint, beta, "Beta Cluster")
        searched, proposed = _found(url, "Beta Cluster")
        if max_age == 0:
            assert searched == [beta]
            assert proposed[0] == "org/beta-cluster"
        else:  # kept for an hour, as the settings say
            assert searched == [] and "org/beta-cluster" not in proposed
