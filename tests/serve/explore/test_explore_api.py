"""``/api/explore`` and its companions on the project graph: what the explore views draw."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from ecograph.rdf.namespaces import ECO
from ecograph.serve.app import create_app
from ecograph.serve.explore_data import year_of
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend

ID = "https://w3id.org/ecograph/id/"


@pytest.fixture(scope="module")
def client(root: Path, project_store: pyoxigraph.Store) -> Iterator[TestClient]:
    app = create_app(Settings(root=root), EmbeddedBackend(project_store))
    with TestClient(app) as running:
        yield running


def explore(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/explore", params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_every_link_of_the_graph_is_drawn_between_placed_ecosystems(
    client: TestClient, project_store: pyoxigraph.Store
) -> None:
    query = """PREFIX eco: <https://w3id.org/ecograph/ontology#>
SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a eco:EcosystemLink }"""
    expected = int(
        next(iter(project_store.query(query, use_default_graph_as_union=True)))["n"].value
    )
    data = explore(client)
    assert data["totals"]["links"] == len(data["links"]) == expected > 0
    nodes = {n["id"]: n for n in data["nodes"]}
    for link in data["links"]:
        assert link["status"] in ("actual", "prospective")
        assert link["evidence"] == sum(link["kinds"].values()) > 0
        assert set(link["kinds"]) <= {"agreement", "mission", "project", "event", "activity"}
        for end in link["between"]:
            assert nodes[end]["located"] == "own", f"{end} has no coordinates of its own"
    assert [n["links"] for n in data["nodes"] if n["actors"] == 0 and not n["links"]] == []


def test_regions_with_actors_have_their_own_coordinates(client: TestClient) -> None:
    for node in explore(client)["nodes"]:
        if node["actors"]:
            assert node["located"] == "own", node["id"]
            assert -90 <= node["lat"] <= 90 and -180 <= node["long"] <= 180


def test_filters_narrow_the_links(client: TestClient) -> None:
    everything = explore(client)
    spain = explore(client, country="ES")
    assert 0 < len(spain["links"]) < len(everything["links"])
    codes = {n["id"]: n["country_code"] for n in everything["nodes"]}
    assert all("ES" in {codes[e] for e in link["between"]} for link in spain["links"])
    basilicata = explore(client, region="it-77")
    assert all(f"{ID}ecosystem/it-77" in link["between"] for link in basilicata["links"])
    agreements = explore(client, kind="agreement")
    assert agreements["links"]
    assert all(set(link["kinds"]) == {"agreement"} for link in agreements["links"])
    sector = explore(client, sector="design")
    assert 0 < len(sector["items"]) < len(everything["items"])
    assert all(f"{ID}sector/design" in item["sectors"] for item in sector["items"])
    for status in ("actual", "prospective"):
        links = explore(client, status=status)["links"]
        assert links, f"the project graph has {status} links"
        assert all(link["status"] == status for link in links)
    planned = {"planned", "under-consideration"}
    prospective = explore(client, status="prospective")["items"]
    assert prospective and all(item["status"] in planned for item in prospective)


def test_a_date_without_a_year_is_not_placed_on_a_year(client: TestClient) -> None:
    items = {i["iri"]: i for i in explore(client)["items"]}
    mission = items[f"{ID}mission/basilicata-creativa-shanghai"]
    assert mission["dates"][0] == {
        "property": "startDate",
        "value": "--02-23",
        "datatype": "gMonthDay",
    }
    assert mission["year"] is None
    # a year range keeps only items with a year in it: none of the undated ones
    ranged = explore(client, **{"from": 1900, "to": 2100})
    assert all(i["year"] is not None for i in ranged["items"])
    assert year_of([{"value": "--02-23", "datatype": "gMonthDay"}]) is None
    assert year_of([{"value": "2019-05", "datatype": "gYearMonth"}]) == 2019
    assert (
        year_of(
            [{"value": "2021", "datatype": "gYear"}, {"value": "2019-03-01", "datatype": "date"}]
        )
        == 2019
    )


def test_country_level_sums_links_over_country_pairs(client: TestClient) -> None:
    regions = explore(client)
    countries = explore(client, level="country")
    assert {n["level"] for n in countries["nodes"]} == {"country"}
    assert all(n["lat"] is not None for n in countries["nodes"])
    pairs = {(tuple(sorted(link["countries"])), link["status"]) for link in regions["links"]}
    assert len(countries["links"]) == len(pairs)
    total = sum(link["evidence"] for link in countries["links"])
    assert 0 < total <= sum(link["evidence"] for link in regions["links"])


def test_a_link_gives_its_quotes_verbatim_with_their_source(client: TestClient, root: Path) -> None:
    graph = Graph().parse(root / "data" / "sources.ttl")
    files = {str(s): str(f) for s, f in graph.subject_objects(ECO.localFile)}
    link = explore(client)["links"][0]
    response = client.get("/api/explore/link", params={"iri": link["id"]})
    assert response.status_code == 200
    detail = response.json()
    quotes = [q for item in detail["items"] for q in item["quotes"]]
    assert quotes
    for quote in quotes:
        local = files[quote["source"]]
        candidates = [root / local, root.parent / "shared" / local]
        candidates.append(root.parent / "shared" / "sources" / Path(local).name)
        text = next(c for c in candidates if c.is_file()).read_text(encoding="utf-8")
        assert quote["text"] in text


def test_a_country_pair_opens_like_a_link(client: TestClient) -> None:
    pair = explore(client, level="country")["links"][0]
    detail = client.get("/api/explore/link", params={"iri": pair["id"]}).json()
    assert len(detail["items"]) == pair["evidence"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"kind": "meeting"}, "kind must be one of"),
        ({"status": "maybe"}, "status must be actual or prospective"),
        ({"from": 2020, "to": 2010}, "after"),
        ({"level": "city"}, "level must be region or country"),
        ({"limit": 0}, "limit"),
    ],
)
def test_a_bad_filter_is_a_400_that_says_why(
    client: TestClient, params: dict[str, Any], words: str
) -> None:
    response = client.get("/api/explore", params=params)
    assert response.status_code == 400
    assert words in response.text
    assert "Traceback" not in response.text


def test_unknown_link_and_ecosystem_are_400s(client: TestClient) -> None:
    assert client.get("/api/explore/link", params={"iri": f"{ID}link/xx--yy"}).status_code == 400
    assert client.get("/api/explore/node", params={"iri": f"{ID}ecosystem/xx"}).status_code == 400
    assert client.get("/api/explore/places", params={"iri": "urn:x:y"}).status_code == 400


def test_an_ecosystem_gives_its_actors(client: TestClient) -> None:
    detail = client.get("/api/explore/node", params={"iri": f"{ID}ecosystem/it-77"}).json()
    assert f"{ID}org/basilicata-creativa" in {a["iri"] for a in detail["actors"]}


def test_etag_cors_and_openapi(client: TestClient) -> None:
    first = client.get("/api/explore", headers={"Origin": "http://example.org"})
    assert first.headers["access-control-allow-origin"] == "*"
    etag = first.headers["etag"]
    again = client.get("/api/explore", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/api/explore", params={"country": "IT"}).headers["etag"] != etag
    operation = client.get("/openapi.json").json()["paths"]["/api/explore"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"country", "region", "sector", "kind", "status", "from", "to", "level"} <= names


def test_the_page_is_served_and_linked_from_the_navigation(client: TestClient) -> None:
    page = client.get("/explore")
    assert page.status_code == 200
    sources = re.findall(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(s.startswith("http://testserver/") for s in sources), sources  # none elsewhere
    assert "/static/vendor/d3/dist/d3.min.js" in page.text
    assert 'href="http://testserver/explore"' in client.get("/").text


def test_country_and_region_together_give_the_regions_links_to_that_country(
    client: TestClient,
) -> None:
    found = explore(client, country="CN", region="it-77")
    assert found["links"]
    for link in found["links"]:
        assert f"{ID}ecosystem/it-77" in link["between"]
        assert f"{ID}place/cn" in link["countries"]
