"""Every named query against its golden result, plus the catalogue's own rules.

A golden file ``tests/golden/{query}[--{case}].json`` holds the parameters it was run with and
the expected rows, checked by hand against the sources. ``scripts/update_golden.py`` rewrites
them for review with ``git diff``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from ecograph.errors import ParameterError, QueryError
from ecograph.rdf.catalogue import Catalogue, parse_query_file
from ecograph.store.running import canonical_rows, run_named

GOLDEN = "tests/golden/*.json"


@pytest.fixture(scope="session")
def catalogue(root: Path) -> Catalogue:
    return Catalogue.load(root / "queries")


def test_catalogue_is_complete(catalogue: Catalogue, root: Path) -> None:
    cases = sorted(root.glob(GOLDEN))
    assert len(catalogue) >= 12
    for query in catalogue:
        assert query.title and query.description, query.name
        assert query.form == "SELECT", query.name
        assert any(p.stem.split("--")[0] == query.name for p in cases), (
            f"{query.name}: no golden file"
        )


@pytest.mark.each_file(GOLDEN)
def test_query_matches_golden(
    path: Path, catalogue: Catalogue, project_store: pyoxigraph.Store
) -> None:
    case = path
    expected = json.loads(case.read_text(encoding="utf-8"))
    query = catalogue.get(case.stem.split("--")[0])
    result = run_named(project_store, query, expected["params"])
    actual = {
        "params": expected["params"],
        "variables": list(result.variables),
        "rows": canonical_rows(result.as_text_rows()),
    }
    assert actual["rows"], f"{case.stem}: a golden result must not be empty"
    assert actual == expected


def test_parameters_are_typed(catalogue: Catalogue) -> None:
    query = catalogue.get("actors-of-region-by-kind")
    with pytest.raises(ParameterError, match="must be an absolute IRI"):
        query.bind({"region": "not an iri"})
    with pytest.raises(ParameterError, match="has no parameter 'regio'"):
        query.bind({"regio": "https://w3id.org/ecograph/id/place/it-77"})
    planned = catalogue.get("activities-planned-after")
    with pytest.raises(ParameterError, match="a date YYYY-MM-DD"):
        planned.bind({"after": "May 2024"})


def test_a_parameter_cannot_inject_sparql(
    catalogue: Catalogue, project_store: pyoxigraph.Store
) -> None:
    """A string value is bound as one literal: quotes and braces in it change nothing."""
    query = catalogue.get("search-by-label")
    hostile = '") } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("'
    assert run_named(project_store, query, {"text": hostile}).rows == ()


def test_header_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad-query.rq"
    bad.write_text("#+ summary: x\n#+ params:\n#+   - name: a\n#+     type: colour\nSELECT * {}\n")
    with pytest.raises(QueryError, match=r"bad-query\.rq: param 'a' has unknown type 'colour'"):
        parse_query_file(bad)
    bad.write_text("SELECT * {}\n")
    with pytest.raises(QueryError, match=r"bad-query\.rq: no '#\+' header"):
        parse_query_file(bad)


def test_view_header_is_read_and_checked(catalogue: Catalogue, tmp_path: Path) -> None:
    """``#+ view:`` names the query page's first view; anything but a known view is an error
    that names the file."""
    good = tmp_path / "by-country.rq"
    good.write_text("#+ summary: x\n#+ view: bar\nSELECT * {}\n")
    assert parse_query_file(good).view == "bar"
    good.write_text("#+ summary: x\nSELECT * {}\n")
    assert parse_query_file(good).view is None
    bad = tmp_path / "bad-view.rq"
    bad.write_text("#+ summary: x\n#+ view: pie\nSELECT * {}\n")
    with pytest.raises(QueryError, match=r"bad-view\.rq: view 'pie' is not one of table, bar"):
        parse_query_file(bad)
    assert catalogue.get("ecosystems").view == "map"
