"""Every named query against its golden result, plus the catalogue's own rules.

A golden file ``tests/golden/{query}[--{case}].json`` holds the parameters it was run with and
the expected rows. To write a missing one after checking the result by hand against the
sources: ``ECOGRAPH_WRITE_GOLDEN=1 pytest tests/test_queries.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph
import pytest

from ecograph.errors import ParameterError, QueryError
from ecograph.queries import Catalogue, parse_query_file
from ecograph.running import run_named

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CATALOGUE = Catalogue.load(ROOT / "queries")
CASES = sorted(GOLDEN.glob("*.json"))
SEPARATOR = " | "


def _rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows with GROUP_CONCAT lists sorted: SPARQL leaves the order inside a group undefined."""
    return [
        {k: SEPARATOR.join(sorted(v.split(SEPARATOR))) if SEPARATOR in v else v for k, v in r.items()}
        for r in rows
    ]


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
        "rows": _rows(result.as_text_rows()),
    }
    assert actual["rows"], f"{case.stem}: a golden result must not be empty"
    assert actual == expected


def test_missing_golden_files_can_be_written(project_store: pyoxigraph.Store) -> None:
    """Writes golden files for queries that lack one, only when asked to (never in CI)."""
    if not os.environ.get("ECOGRAPH_WRITE_GOLDEN"):
        pytest.skip("set ECOGRAPH_WRITE_GOLDEN=1 to write missing golden files")
    for query in CATALOGUE:
        path = GOLDEN / f"{query.name}.json"
        if not path.exists():
            result = run_named(project_store, query, {})
            body = {
                "params": {},
                "variables": list(result.variables),
                "rows": _rows(result.as_text_rows()),
            }
            path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


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
