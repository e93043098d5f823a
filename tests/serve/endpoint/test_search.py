"""``/api/search``: entities by label in any language, accents and case ignored."""

from __future__ import annotations

import pytest
from endpoint_support import ECOID, Running  # type: ignore[import-not-found]

from ecograph.rdf.text import collapse

ECO = "https://w3id.org/ecograph/ontology#"


def iris(response: object) -> list[str]:
    assert hasattr(response, "json")
    return [hit["iri"] for hit in response.json()["results"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Università", "universita"),
        ("UNIVERSITÀ", "universita"),
        ("Große Straße", "grosse strasse"),
        ("  Kilometro\tRosso ", "kilometro rosso"),
        ("ﬁera", "fiera"),  # a compatibility ligature
        ("中关村", "中关村"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert collapse(text) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("universita", f"{ECOID}org/unibas"),
        ("UNIVERSITÀ DEGLI", f"{ECOID}org/unibas"),
        ("basilicata", f"{ECOID}org/unibas"),
        ("grosse strasse", f"{ECOID}org/grosse-strasse"),
        ("GROẞE", f"{ECOID}org/grosse-strasse"),
        ("中关村", f"{ECOID}org/zgc"),
        ("zgc", f"{ECOID}org/zgc"),
        ("unibas", f"{ECOID}org/unibas"),
        ("innovazione", f"{ECOID}event/forum-2024"),
    ],
)
def test_finds_by_any_label_in_any_language(server: Running, q: str, expected: str) -> None:
    response = server.get("/api/search", params={"q": q})
    assert response.status_code == 200
    assert expected in iris(response)


def test_result_shape_and_kind(server: Running) -> None:
    response = server.get("/api/search", params={"q": "università"})
    (hit,) = response.json()["results"]
    assert hit == {
        "iri": f"{ECOID}org/unibas",
        "label": "University of Basilicata",
        "matched": "Università degli Studi della Basilicata",
        "matchedLanguage": "it",
        "kinds": [f"{ECO}University"],
    }
    italian = server.get("/api/search", params={"q": "basilicata", "lang": "it"})
    assert italian.json()["results"][0]["label"] == "Università degli Studi della Basilicata"


def test_best_matches_first(server: Running) -> None:
    response = server.get("/api/search", params={"q": "potenza"})
    assert iris(response)[0] == f"{ECOID}place/potenza"
    words = server.get("/api/search", params={"q": "park science"})  # every word, any order
    assert set(iris(words)) == {f"{ECOID}org/zgc", f"{ECO}SciencePark"}


def test_limit(server: Running) -> None:
    everything = iris(server.get("/api/search", params={"q": "a"}))
    assert len(everything) > 3
    assert iris(server.get("/api/search", params={"q": "a", "limit": 2})) == everything[:2]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "   "}, {"q": "a", "limit": "0"}, {"q": "a", "limit": "1000"}],
)
def test_bad_requests_are_400(server: Running, params: dict[str, str]) -> None:
    response = server.get("/api/search", params=params)
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_nothing_found(server: Running) -> None:
    response = server.get("/api/search", params={"q": "no such thing anywhere"})
    assert response.status_code == 200
    assert response.json() == {"query": "no such thing anywhere", "results": []}
