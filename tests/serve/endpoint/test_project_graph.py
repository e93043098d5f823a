"""The endpoint and the query API over the real project graph, as ``ecograph serve`` serves it:
every catalogue query runs over HTTP (and matches its golden result where one exists), the
service description names the build's graphs, search finds real entities."""

from __future__ import annotations

import csv
import io
import json
from functools import partial

import pytest
from endpoint_support import ECOID, ROOT, Running, serve  # type: ignore[import-not-found]

from ecograph.build.pipeline import build_store
from ecograph.rdf.catalogue import Catalogue
from ecograph.rdf.namespaces import graph_iri
from ecograph.serve.app import create_app
from ecograph.settings import Settings

CATALOGUE = Catalogue.load(ROOT / "queries")
GOLDEN = ROOT / "tests" / "golden"
SEPARATOR = " | "


def _sorted_lists(row: dict[str, str]) -> dict[str, str]:
    """GROUP_CONCAT leaves the order inside a group undefined (as the golden tests do)."""
    return {
        k: SEPARATOR.join(sorted(v.split(SEPARATOR))) if SEPARATOR in v else v
        for k, v in row.items()
    }


@pytest.mark.parametrize("query", list(CATALOGUE), ids=lambda q: q.name)
def test_every_catalogue_query_runs_over_http(project_server: Running, query: object) -> None:
    name = getattr(query, "name", "")
    golden = GOLDEN / f"{name}.json"
    expected = json.loads(golden.read_text(encoding="utf-8")) if golden.exists() else None
    params = expected["params"] if expected else {}
    response = project_server.get(f"/api/queries/{name}", params={**params, "format": "csv"})
    assert response.status_code == 200, response.text
    reader = csv.DictReader(io.StringIO(response.text))
    rows = [_sorted_lists({k: v for k, v in row.items() if v}) for row in reader]
    if expected is not None:
        assert list(reader.fieldnames or []) == expected["variables"]
        # SPARQL's CSV writes an unbound value and an empty string alike (an empty
        # GROUP_CONCAT is ""): compared as CSV can tell them, i.e. both left out.
        assert rows == [{k: v for k, v in row.items() if v} for row in expected["rows"]]


def test_service_description_names_the_build_graphs(project_server: Running) -> None:
    response = project_server.get("/sparql", headers={"accept": "application/n-triples"})
    names = {
        line.split()[2].strip("<>")
        for line in response.text.splitlines()
        if "sparql-service-description#name>" in line
    }
    assert {graph_iri("inferred"), graph_iri("derived")} <= names
    assert any(n.startswith(graph_iri("data") + "/articles/") for n in names)
    assert any(n.startswith(graph_iri("ontology")) for n in names)


def test_sparql_over_the_union_of_the_build(project_server: Running) -> None:
    query = "SELECT (COUNT(?link) AS ?n) WHERE { ?link a eco:CrossBorderLink }"
    response = project_server.sparql(query)
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("universita di pechino", f"{ECOID}org/peking-university"),
        ("CITTA DI TORINO", f"{ECOID}org/citta-di-torino"),
        ("kilometro", f"{ECOID}org/kilometro-rosso"),
    ],
)
def test_search_finds_real_entities(project_server: Running, q: str, expected: str) -> None:
    response = project_server.get("/api/search", params={"q": q})
    assert expected in [hit["iri"] for hit in response.json()["results"]]


def test_the_default_backend_is_the_project_build() -> None:
    """No backend given, no --data, --store or --endpoint: the lifespan builds the project
    graph with the build that ``ecograph serve`` hands it, as from a fresh clone."""
    settings = Settings(root=ROOT)
    for url in serve(create_app(settings, project_store=partial(build_store, settings))):
        server = Running(url, settings)
        response = server.sparql("ASK { ?cluster a eco:Cluster }")
        assert response.json()["boolean"] is True
