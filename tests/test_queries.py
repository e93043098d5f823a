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

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CATALOGUE = Catalogue.load(ROOT / "queries")
CASES = sorted(GOLDEN.glob("*.json"))


def test_catalogue_is_complete() -> None:
    assert len(CATALOGUE) >= 12
    for query in CATALOGUE:
        assert query.title and query.description, query.name
        assert query.form == "SELECT", query.name
        assert any(p.stem.split("--")[0] == query.name for p in CASES), (
            f"{query.name}: no golden file"
        )


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_query_matches_golden(case: Path, project_store: pyoxigraph.Store) -> None:
    expected = json.loads(case.read_text(encoding="utf-8"))
    query = CATALOGUE.get(case.stem.split("--")[0])
    result = run_named(project_store, query, expected["params"])
    actual = {
        "params": expected["params"],
        "variables": list(result.variables),
        "rows": canonical_rows(result.as_text_rows()),
    }
    assert actual["rows"], f"{case.stem}: a golden result must not be empty"
    assert actual == expected


def test_parameters_are_typed() -> None:
    query = CATALOGUE.get("actors-of-region-by-kind")
    with pytest.raises(ParameterError, match="must be an absolute IRI"):
        query.bind({"region": "not an iri"})
    with pytest.raises(ParameterError, match="has no parameter 'regio'"):
        query.bind({"regio": "https://w3id.org/ecograph/id/place/it-77"})
    planned = CATALOGUE.get("activities-planned-after")
    with pytest.raises(ParameterError, match="a date YYYY-MM-DD"):
        planned.bind({"after": "May 2024"})


def test_a_parameter_cannot_inject_sparql(project_store: pyoxigraph.Store) -> None:
    """A string value is bound as one literal: quotes and braces in it change nothing."""
    query = CATALOGUE.get("search-by-label")
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
