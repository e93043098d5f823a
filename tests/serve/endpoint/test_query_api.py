"""``/api/queries``: the catalogue of ``data/project/queries/`` as a REST API, on both backends.

The fixture catalogue covers every parameter type that changes a query's shape: an IRI, a date
used in a FILTER (so it must be bound before the filter runs), a required integer, a language
tag and a boolean.
"""

from __future__ import annotations

import csv
import io

import pytest
from endpoint_support import ECOID, Running  # type: ignore[import-not-found]


def values(response: object, name: str) -> list[str]:
    assert hasattr(response, "json")
    return [row[name]["value"] for row in response.json()["results"]["bindings"]]


def test_list(server: Running) -> None:
    response = server.get("/api/queries")
    assert response.status_code == 200
    queries = {q["name"]: q for q in response.json()["queries"]}
    assert set(queries) == {
        "events-after",
        "labels-in-language",
        "numbers-between",
        "participants-of-event",
    }
    numbers = queries["numbers-between"]
    assert numbers["title"] == "Numbers in a range"
    assert numbers["url"] == "/api/queries/numbers-between"
    assert numbers["view"] == "bar"  # its #+ view: header; the query page opens it so
    assert queries["events-after"]["view"] == "table"  # no header: the default
    assert numbers["parameters"] == [
        {
            "name": "low",
            "type": "integer",
            "required": True,
            "default": None,
            "description": "the smallest number",
        },
        {
            "name": "high",
            "type": "integer",
            "required": False,
            "default": "10",
            "description": "the largest number",
        },
    ]
    assert "SELECT ?number ?value" in numbers["query"]


def test_defaults_are_used(server: Running) -> None:
    response = server.get("/api/queries/participants-of-event")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert values(response, "organisation") == [f"{ECOID}org/unibas", f"{ECOID}org/zgc"]
    assert values(response, "label") == ["University of Basilicata", "Zhongguancun Science Park"]


def test_iri_parameter(server: Running) -> None:
    response = server.get(
        "/api/queries/participants-of-event", params={"event": f"{ECOID}event/fair-2023"}
    )
    assert values(response, "organisation") == [f"{ECOID}org/kilometro-rosso"]


def test_date_parameter_in_a_filter(server: Running) -> None:
    default = server.get("/api/queries/events-after")
    assert values(default, "event") == [f"{ECOID}event/forum-2024"]
    earlier = server.get("/api/queries/events-after", params={"after": "2023-01-01"})
    assert values(earlier, "event") == [f"{ECOID}event/fair-2023", f"{ECOID}event/forum-2024"]


def test_integer_parameters(server: Running) -> None:
    response = server.get("/api/queries/numbers-between", params={"low": "5", "high": "7"})
    assert values(response, "value") == ["5", "6", "7"]
    response = server.get("/api/queries/numbers-between", params={"low": "9"})
    assert values(response, "value") == ["9", "10"]


def test_language_and_boolean_parameters(server: Running) -> None:
    italian = server.get("/api/queries/labels-in-language")
    assert f"{ECOID}org/kilometro-rosso" in values(italian, "entity")
    with_acronym = server.get(
        "/api/queries/labels-in-language", params={"language": "en", "withAcronym": "true"}
    )
    assert values(with_acronym, "entity") == [f"{ECOID}org/unibas"]


def test_csv(server: Running) -> None:
    response = server.get(
        "/api/queries/numbers-between", params={"low": "1", "high": "2", "format": "csv"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [
        ["number", "value"],
        ["http://example.org/number/1", "1"],
        ["http://example.org/number/2", "2"],
    ]
    by_accept = server.get(
        "/api/queries/numbers-between", params={"low": "1"}, headers={"accept": "text/csv"}
    )
    assert by_accept.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "needs parameter 'low'"),
        ({"low": "five"}, "parameter 'low' must be an integer"),
        ({"low": "1", "high": "1.5"}, "parameter 'high' must be an integer"),
        ({"low": "1", "lowest": "0"}, "has no parameter 'lowest'"),
        ({"low": "1 } UNION { ?s ?p ?o"}, "parameter 'low' must be an integer"),
    ],
)
def test_bad_parameters_are_400(server: Running, params: dict[str, str], message: str) -> None:
    response = server.get("/api/queries/numbers-between", params=params)
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400
    assert message in problem["detail"]


@pytest.mark.parametrize(
    ("query", "params", "message"),
    [
        ("events-after", {"after": "2024-13-45"}, "must be a date"),
        ("participants-of-event", {"event": "not an iri"}, "must be an absolute IRI"),
        ("participants-of-event", {"event": "http://x/> } <y"}, "must be an absolute IRI"),
        ("labels-in-language", {"language": 'it"@en'}, "must be a language tag"),
        ("labels-in-language", {"withAcronym": "yes"}, "must be true or false"),
    ],
)
def test_ill_typed_values_are_400(
    server: Running, query: str, params: dict[str, str], message: str
) -> None:
    response = server.get(f"/api/queries/{query}", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_parameter_given_twice_is_400(server: Running) -> None:
    response = server.get("/api/queries/numbers-between?low=1&low=2")
    assert response.status_code == 400
    assert "more than once" in response.json()["detail"]


def test_unknown_query_is_404_and_lists_the_names(server: Running) -> None:
    response = server.get("/api/queries/no-such-query")
    assert response.status_code == 404
    assert "events-after" in response.json()["detail"]


def test_each_query_is_an_openapi_operation_with_typed_parameters(server: Running) -> None:
    spec = server.get("/openapi.json").json()
    paths = spec["paths"]
    for name in ("events-after", "labels-in-language", "numbers-between", "participants-of-event"):
        assert f"/api/queries/{name}" in paths, name
    operation = paths["/api/queries/numbers-between"]["get"]
    assert operation["summary"] == "Numbers in a range"
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["low"]["required"] is True
    assert parameters["low"]["schema"] == {"type": "integer"}
    assert parameters["high"]["schema"] == {"type": "integer", "default": "10"}
    after = paths["/api/queries/events-after"]["get"]["parameters"][0]
    assert after["schema"]["format"] == "date"
    event = paths["/api/queries/participants-of-event"]["get"]["parameters"][0]
    assert event["schema"]["format"] == "iri"
    assert "/api/queries/{name}" not in paths
