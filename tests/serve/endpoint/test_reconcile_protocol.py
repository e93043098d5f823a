"""The reconciliation service's protocol, over HTTP on both backends: the manifest, batches by
GET and POST (0.2) and as JSON (1.0-draft), types with their sub-classes, properties, suggest,
preview, data extension, the batch limit, CORS, JSONP and clear 400s."""

from __future__ import annotations

import json
from typing import Any

import pytest
from endpoint_support import Running  # type: ignore[import-not-found]

ORIGIN = "https://openrefine.example"


def batch(reconciling: Running, queries: dict[str, Any], method: str = "GET") -> dict[str, Any]:
    encoded = {"queries": json.dumps(queries)}
    response = (
        reconciling.get("/reconcile", params=encoded)
        if method == "GET"
        else reconciling.post("/reconcile", data=encoded)
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def top(result: dict[str, Any], key: str = "q0") -> dict[str, Any]:
    candidates = result[key]["result"]
    assert candidates, f"no candidate for {key}"
    first: dict[str, Any] = candidates[0]
    return first


def test_manifest(reconciling: Running) -> None:
    manifest = reconciling.get("/reconcile").json()
    assert "0.2" in manifest["versions"]
    assert manifest["name"] == "ecograph"
    assert manifest["identifierSpace"] == "https://w3id.org/ecograph/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/ecograph/ontology#"
    assert manifest["view"]["url"] == f"{reconciling.url}/id/{{{{id}}}}"
    assert manifest["preview"]["url"] == f"{reconciling.url}/reconcile/preview?id={{{{id}}}}"
    defaults = {t["id"]: t["name"] for t in manifest["defaultTypes"]}
    assert {"Organisation", "Person", "Place", "Activity"} <= defaults.keys()
    for kind in ("entity", "type", "property"):
        assert manifest["suggest"][kind]["service_path"] == f"/suggest/{kind}"
    assert manifest["extend"]["propose_properties"]["service_path"] == "/extend/propose"
    assert manifest["batchSize"] == 1000


def test_manifest_as_jsonp(reconciling: Running) -> None:
    response = reconciling.get("/reconcile", params={"callback": "jsonp42"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith("jsonp42({") and response.text.endswith("});")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_batch_in_curators_spelling(reconciling: Running, method: str) -> None:
    result = batch(
        reconciling,
        {
            "a": {"query": "kilometro-rosso"},
            "b": {"query": "UNIVERSITA DEGLI STUDI DELLA BASILICATA", "limit": 2},
            "c": {"query": "clust er innovate"},
        },
        method,
    )
    assert [top(result, k)["id"] for k in "abc"] == [
        "org/kilometro-rosso",
        "org/universita-degli-studi-della-basilicata",
        "org/clust-er-innovate",
    ]
    first = top(result, "a")
    assert first["match"] is True and first["score"] == 100
    assert first["name"] == "Kilometro Rosso"
    assert first["type"] == [{"id": "SciencePark", "name": "Science park"}]
    features = {f["id"]: f["value"] for f in first["features"]}
    assert features == {"name_exact": True, "name_similarity": 100.0}
    assert len(result["b"]["result"]) <= 2


def test_a_near_miss_is_a_candidate_but_not_a_match(reconciling: Running) -> None:
    first = top(batch(reconciling, {"q0": {"query": "kilometro rossi"}}))
    assert first["id"] == "org/kilometro-rosso"
    assert first["match"] is False and 80 < first["score"] < 100


def test_a_type_filters_with_its_sub_classes(reconciling: Running) -> None:
    """The Politecnico di Torino is an eco:University, a sub-class of Organisation."""
    result = batch(
        reconciling,
        {
            "org": {"query": "politecnico di torino", "type": "Organisation"},
            "uni": {"query": "politecnico di torino", "type": ["University"]},
            "person": {"query": "politecnico di torino", "type": "Person"},
        },
    )
    assert top(result, "org")["id"] == top(result, "uni")["id"] == "org/politecnico-di-torino"
    assert all(c["id"].startswith("person/") for c in result["person"]["result"])
    types = {f["id"]: f["value"] for f in top(result, "org")["features"]}
    assert types["type_match"] is True


@pytest.mark.parametrize("country", ["Italia", "italy", "IT", "place/it"])
def test_a_property_agrees_by_name_code_or_id(reconciling: Running, country: str) -> None:
    query = {"query": "politecnico-di-torino", "properties": [{"pid": "country", "v": country}]}
    first = top(batch(reconciling, {"q0": query}))
    assert first["id"] == "org/politecnico-di-torino" and first["match"] is True
    assert {"id": "property:country", "name": "country matches", "value": True} in first["features"]


def test_a_property_that_disagrees_costs_the_match(reconciling: Running) -> None:
    query = {"query": "tecnalia", "properties": [{"pid": "country", "v": "Italia"}]}
    first = top(batch(reconciling, {"q0": query}))
    assert first["id"] == "org/tecnalia"
    assert first["match"] is False and first["score"] == 80


def test_a_city_as_located_in(reconciling: Running) -> None:
    query = {"query": "politecnico di torino", "properties": [{"pid": "locatedIn", "v": "Turin"}]}
    assert top(batch(reconciling, {"q0": query}))["match"] is True


def test_a_1_0_draft_batch_as_json(reconciling: Running) -> None:
    body = {
        "queries": [
            {"conditions": [{"matchType": "name", "propertyValue": "tecnalia"}], "limit": 1},
            {
                "type": "Organisation",
                "conditions": [
                    {"matchType": "name", "propertyValue": "tecnalia"},
                    {
                        "matchType": "property",
                        "propertyId": "country",
                        "propertyValue": "Italia",
                        "required": True,
                    },
                ],
            },
        ]
    }
    for path in ("/reconcile/reconcile", "/reconcile/match"):
        response = reconciling.post(path, json=body)
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [c["id"] for c in results[0]["candidates"]] == ["org/tecnalia"]
        assert "org/tecnalia" not in [c["id"] for c in results[1]["candidates"]]


def test_suggest_entities_types_and_properties(reconciling: Running) -> None:
    entities = reconciling.get("/reconcile/suggest/entity", params={"prefix": "kilometro"}).json()
    assert entities["result"][0]["id"] == "org/kilometro-rosso"
    assert {"id": "SciencePark", "name": "Science park"} in entities["result"][0]["notable"]
    typed = reconciling.get(
        "/reconcile/suggest/entity", params={"prefix": "torino", "type": "University"}
    ).json()
    assert [r["id"] for r in typed["result"]] == ["org/politecnico-di-torino"]
    types = reconciling.get("/reconcile/suggest/type", params={"prefix": "univ"}).json()
    assert types["result"][0] == {"id": "University", "name": "University"}
    properties = reconciling.get("/reconcile/suggest/property", params={"prefix": "coun"}).json()
    assert properties["result"][0]["id"] == "country"
    empty = reconciling.get("/reconcile/suggest/entity", params={"prefix": ""}).json()
    assert empty == {"result": []}


def test_preview_is_a_small_html_card(reconciling: Running) -> None:
    response = reconciling.get("/reconcile/preview", params={"id": "org/politecnico-di-torino"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text and "Politecnico di Torino" in response.text
    assert (
        "Italy" in response.text
        and f"{reconciling.url}/id/org/politecnico-di-torino" in response.text
    )
    missing = reconciling.get("/reconcile/preview", params={"id": "org/nobody-at-all"})
    assert missing.status_code == 404


def test_extend_with_country_located_in_kind_and_sources(reconciling: Running) -> None:
    proposed = reconciling.get("/reconcile/extend/propose", params={"type": "Organisation"}).json()
    assert [p["id"] for p in proposed["properties"]] == ["country", "locatedIn", "kind", "sources"]
    untyped = reconciling.get("/reconcile/extend/propose", params={"limit": 2}).json()
    assert [p["id"] for p in untyped["properties"]] == ["country", "locatedIn"]
    unknown = reconciling.get("/reconcile/extend/propose", params={"type": "Spaceship"})
    assert unknown.status_code == 400 and "unknown type" in unknown.text
    request = {
        "ids": ["org/politecnico-di-torino", "org/tecnalia"],
        "properties": [{"id": "country"}, {"id": "locatedIn"}, {"id": "kind"}, {"id": "sources"}],
    }
    old = reconciling.post("/reconcile", data={"extend": json.dumps(request)}).json()
    assert [m["id"] for m in old["meta"]] == ["country", "locatedIn", "kind", "sources"]
    rows = old["rows"]
    assert rows["org/politecnico-di-torino"]["country"] == [{"id": "place/it", "name": "Italy"}]
    assert {"id": "place/turin", "name": "Turin"} in rows["org/politecnico-di-torino"]["locatedIn"]
    assert rows["org/tecnalia"]["kind"] == [
        {"id": "ResearchInstitute", "name": "Research institute"}
    ]
    assert rows["org/tecnalia"]["sources"][0]["id"].startswith("source/004-")
    new = reconciling.post("/reconcile/extend", json=request).json()
    assert new["rows"][1]["id"] == "org/tecnalia"
    assert new["rows"][1]["properties"][0] == {
        "id": "country",
        "values": [{"id": "place/es", "name": "Spain"}],
    }


def test_a_batch_over_the_size_is_413(reconciling: Running) -> None:
    queries = {f"q{i}": {"query": "tecnalia"} for i in range(1001)}
    response = reconciling.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 413
    assert "batch size of 1000" in response.text


def test_cors(reconciling: Running) -> None:
    response = reconciling.get("/reconcile", headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = reconciling.client.options(
        "/reconcile/reconcile",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"queries": "{not json"}, "not JSON"),
        ({"queries": "[1, 2]"}, "JSON object of keyed queries"),
        ({"queries": "{}"}, "no query"),
        ({"queries": '{"q0": {"query": ""}}'}, "needs a name"),
        ({"queries": '{"q0": {"query": "x", "limit": -1}}'}, "positive integer"),
        ({"queries": '{"q0": {"query": "x", "type": 3}}'}, "type must be"),
        ({"queries": '{"q0": {"query": "x", "properties": [{"v": "it"}]}}'}, "needs a 'pid'"),
        (
            {"queries": '{"q0": {"query": "x", "properties": [{"pid": "no such", "v": "1"}]}}'},
            "unknown property",
        ),
        ({"queries": '{"q0": {"query": "x", "type": "Spaceship"}}'}, "unknown type 'Spaceship'"),
        ({"extend": '{"ids": "org/x"}'}, "ids must be a list"),
        ({"callback": "alert(1)"}, "callback must be"),
    ],
)
def test_bad_input_is_a_clear_400(reconciling: Running, params: dict[str, str], says: str) -> None:
    response = reconciling.get("/reconcile", params=params)
    assert response.status_code == 400, response.text
    assert says in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("path", "body", "says"),
    [
        ("/reconcile/reconcile", {"queries": {}}, '{"queries": [ ... ]}'),
        ("/reconcile/reconcile", {"queries": [{"conditions": []}]}, 'matchType \\"name\\"'),
        (
            "/reconcile/reconcile",
            {"queries": [{"conditions": [{"matchType": "fuzzy", "propertyValue": "x"}]}]},
            "matchType must be",
        ),
        ("/reconcile/extend", {"ids": ["org/tecnalia"], "properties": []}, "non-empty list"),
    ],
)
def test_bad_json_bodies_are_clear_400s(
    reconciling: Running, path: str, body: dict[str, Any], says: str
) -> None:
    response = reconciling.post(path, json=body)
    assert response.status_code == 400, response.text
    assert says.replace('\\"', '"') in response.text or says in response.text


def test_a_body_of_another_media_type_is_415(reconciling: Running) -> None:
    response = reconciling.post(
        "/reconcile/reconcile", content=b"queries", headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 415


@pytest.mark.parametrize("given", ["org/tecnalia", "https://w3id.org/ecograph/id/org/tecnalia"])
def test_an_id_or_iri_as_the_name_finds_its_entity(reconciling: Running, given: str) -> None:
    first = top(batch(reconciling, {"q0": {"query": given}}))
    assert first["id"] == "org/tecnalia" and first["match"] is True
