"""Dereferencing over HTTP: negotiation, extensions, caching, 404s, ontology, shapes, dumps."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from ld_support import ROOT, Running, fixture_store, serve  # type: ignore[import-not-found]
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SH

from ecograph.ld import documents as jsonld
from ecograph.rdf.namespaces import ECO
from ecograph.serve.app import create_app
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend

ENTITY = "/id/org/test-cluster"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def vary(response: httpx.Response) -> set[str]:
    value = response.headers.get("vary", "")
    return {v.strip() for v in value.split(",") if v.strip()}


# --- content negotiation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/ld+json", "application/ld+json"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("text/html", "text/html"),
        ("application/json", "application/json"),
        (BROWSER, "text/html"),
        ("*/*", "application/ld+json"),
        ("text/turtle;q=0.4, application/n-triples;q=0.8", "application/n-triples"),
        ("text/*", "text/turtle"),
        ("application/ld+json;q=0, text/*;q=0.2", "text/turtle"),
    ],
)
def test_accept(fixture_server: Running, accept: str, expected: str) -> None:
    response = fixture_server.get(ENTITY, headers={"Accept": accept})
    assert response.status_code == 200
    assert media(response) == expected
    assert "Accept" in vary(response)
    extension = {"application/json": "json"}.get(expected) or {
        "application/ld+json": "jsonld", "text/turtle": "ttl",
        "application/n-triples": "nt", "text/html": "html",
    }[expected]  # fmt: skip
    assert response.headers["content-location"].endswith(f"{ENTITY}.{extension}")


def test_no_accept_header_gets_jsonld(fixture_server: Running) -> None:
    response = fixture_server.client.get(ENTITY, headers={"Accept": ""})
    assert media(response) == "application/ld+json"


@pytest.mark.parametrize(
    ("extension", "expected"),
    [("jsonld", "application/ld+json"), ("ttl", "text/turtle"), ("nt", "application/n-triples"),
     ("html", "text/html"), ("json", "application/json")],
)  # fmt: skip
def test_extension_wins_over_accept(fixture_server: Running, extension: str, expected: str) -> None:
    response = fixture_server.get(f"{ENTITY}.{extension}", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert media(response) == expected
    assert "Accept" not in vary(response), "an extension URL does not vary by Accept"
    assert "content-location" not in response.headers


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ttl", "text/turtle"), ("turtle", "text/turtle"), ("text/turtle", "text/turtle"),
     ("nt", "application/n-triples"), ("jsonld", "application/ld+json"), ("html", "text/html")],
)  # fmt: skip
def test_format_parameter_wins_over_accept(
    fixture_server: Running, value: str, expected: str
) -> None:
    response = fixture_server.get(ENTITY, params={"format": value}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert media(response) == expected


@pytest.mark.parametrize(
    ("path", "headers"),
    [(ENTITY, {"Accept": "image/png"}), (ENTITY + "?format=xml", {}),
     (ENTITY, {"Accept": "application/ld+json;q=0, text/turtle;q=0, text/html;q=0, "
               "application/n-triples;q=0, application/json;q=0"})],
)  # fmt: skip
def test_not_acceptable(fixture_server: Running, path: str, headers: dict[str, str]) -> None:
    response = fixture_server.get(path, headers=headers)
    assert response.status_code == 406
    body = response.json()
    assert "text/turtle" in body["available"]
    assert "?format=" in body["hint"]


def test_every_format_carries_the_same_triples(fixture_server: Running) -> None:
    contexts = jsonld.project_contexts(
        fixture_server.settings.base_iri,
        jsonld.load_context_document(fixture_server.settings.root),
    )
    turtle = Graph().parse(data=fixture_server.get(ENTITY + ".ttl").text, format="turtle")
    ntriples = Graph().parse(data=fixture_server.get(ENTITY + ".nt").text, format="nt")
    expanded = jsonld.to_graph(fixture_server.get(ENTITY + ".jsonld").json(), contexts)
    assert len(turtle) > 20
    assert isomorphic(turtle, ntriples)
    assert isomorphic(turtle, expanded)


def test_alternates_are_linked(fixture_server: Running) -> None:
    link = fixture_server.get(ENTITY).headers["link"]
    for extension in ("jsonld", "ttl", "nt", "html"):
        assert f"{ENTITY}.{extension}>" in link


def test_head(fixture_server: Running) -> None:
    response = fixture_server.client.head(ENTITY, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert media(response) == "text/turtle"
    assert response.content == b""


# --- caching ----------------------------------------------------------------------------------


def test_etag_and_304(fixture_server: Running) -> None:
    first = fixture_server.get(ENTITY + ".ttl")
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = fixture_server.get(ENTITY + ".ttl")
    assert again.headers["etag"] == etag, "an unchanged entity keeps its ETag"
    for condition in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = fixture_server.get(ENTITY + ".ttl", headers={"If-None-Match": condition})
        assert cached.status_code == 304, condition
        assert cached.content == b""
        assert cached.headers["etag"] == etag
        assert cached.headers["cache-control"] == first.headers["cache-control"]
    stale = fixture_server.get(ENTITY + ".ttl", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200
    assert stale.content == first.content


def test_each_representation_has_its_own_etag(fixture_server: Running) -> None:
    tags = {fixture_server.get(f"{ENTITY}.{x}").headers["etag"] for x in ("ttl", "nt", "jsonld")}
    assert len(tags) == 3


def test_cache_control_follows_settings(fixture_server: Running) -> None:
    response = fixture_server.get(ENTITY)
    max_age = fixture_server.settings.cache_max_age
    assert response.headers["cache-control"] == f"public, max-age={max_age}"


# --- not found --------------------------------------------------------------------------------


def test_404_json_helps(project_server: Running) -> None:
    response = project_server.get("/id/org/kilometro-rossa", headers={"Accept": "application/json"})
    assert response.status_code == 404
    body = response.json()
    assert body["iri"] == "https://w3id.org/ecograph/id/org/kilometro-rossa"
    assert "says nothing" in body["message"]
    assert body["search"].endswith("/api/search?q=kilometro+rossa")
    matches = {m["id"]: m for m in body["closeMatches"]}
    match = matches["https://w3id.org/ecograph/id/org/kilometro-rosso"]
    assert match["label"] == "Kilometro Rosso"
    assert urlsplit(match["href"]).path == "/id/org/kilometro-rosso"


def test_404_html_helps(project_server: Running) -> None:
    response = project_server.get("/id/org/kilometro-rossa", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert media(response) == "text/html"
    assert "https://w3id.org/ecograph/id/org/kilometro-rossa" in response.text
    assert "/id/org/kilometro-rosso" in response.text
    assert 'value="kilometro rossa"' in response.text


@pytest.mark.parametrize(
    "path",
    ["/id/org/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/id/org/a%20b", "/id/", "/id/org"],
)
def test_404_for_malformed_iris_is_escaped(fixture_server: Running, path: str) -> None:
    response = fixture_server.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert "<script>alert" not in response.text


# --- the ontology and the shapes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [("/ontology", "text/turtle", "turtle"), ("/ontology.ttl", "*/*", "turtle"),
     ("/ontology.nt", "*/*", "nt"), ("/ontology", "application/n-triples", "nt"),
     ("/ontology/0.1.0", "text/turtle", "turtle"), ("/ontology/0.1.0.nt", "*/*", "nt"),
     ("/ontology?format=ttl", "text/html", "turtle")],
)  # fmt: skip
def test_ontology_dereferences(project_server: Running, path: str, accept: str, fmt: str) -> None:
    response = project_server.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format=fmt)
    assert (ECO.Cluster, RDF.type, OWL.Class) in graph
    assert (URIRef("https://w3id.org/ecograph/ontology"), RDF.type, OWL.Ontology) in graph
    assert response.headers["etag"]


def test_ontology_page_anchors_every_term(project_server: Running) -> None:
    response = project_server.get("/ontology", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert media(response) == "text/html"
    text = response.text
    for term in ("Cluster", "SciencePark", "locatedIn", "CrossBorderLink", "evidence"):
        assert f'id="{term}"' in text, term
    assert "Organizzazione" in text, "Italian labels alongside"
    assert "schema:Organization" in text, "alignments shown"


def test_unknown_ontology_version(project_server: Running) -> None:
    assert project_server.get("/ontology/9.9.9").status_code == 404
    assert project_server.get("/ontology.exe").status_code == 406


@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [("/shapes", "text/turtle", "turtle"), ("/shapes.nt", "*/*", "nt"),
     ("/shapes", "application/n-triples", "nt")],
)  # fmt: skip
def test_shapes_dereference(project_server: Running, path: str, accept: str, fmt: str) -> None:
    response = project_server.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format=fmt)
    assert len(set(graph.subjects(RDF.type, SH.NodeShape))) > 10


def test_shapes_page(project_server: Running) -> None:
    response = project_server.get("/shapes.html")
    assert response.status_code == 200
    assert 'id="LabelShape"' in response.text
    assert "S05" in response.text
    assert "at least one rdfs:label" in response.text


def test_shapes_and_ontology_as_jsonld(project_server: Running) -> None:
    for path in ("/ontology.jsonld", "/shapes.jsonld"):
        response = project_server.get(path)
        assert media(response) == "application/ld+json"
        assert len(jsonld.to_graph(response.content, {})) > 100


# --- dumps ------------------------------------------------------------------------------------


def test_dumps_listing_json(project_server: Running) -> None:
    response = project_server.get("/dumps", headers={"Accept": "application/json"})
    assert response.status_code == 200
    names = {d["name"]: d for d in response.json()["dumps"]}
    assert set(names) == {"ecograph.ttl", "ecograph.nq", "reports/validation-report.txt"}
    assert names["ecograph.ttl"]["type"] == "text/turtle"
    assert names["ecograph.nq"]["url"].endswith("/dumps/ecograph.nq")


def test_dumps_listing_html(project_server: Running) -> None:
    response = project_server.get("/dumps", headers={"Accept": BROWSER})
    assert media(response) == "text/html"
    assert 'href="' in response.text and "dumps/ecograph.nq" in response.text
    assert ".hidden" not in response.text and "escape.txt" not in response.text


@pytest.mark.parametrize(
    ("name", "expected_type", "content"),
    [("ecograph.ttl", "text/turtle", b"<urn:a> <urn:b> <urn:c> .\n"),
     ("ecograph.nq", "application/n-quads", b"<urn:a> <urn:b> <urn:c> <urn:g> .\n"),
     ("reports/validation-report.txt", "text/plain", b"conforms\n")],
)  # fmt: skip
def test_dump_download(
    project_server: Running, name: str, expected_type: str, content: bytes
) -> None:
    response = project_server.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert media(response) == expected_type
    assert response.content == content
    assert "max-age" in response.headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    ["/dumps/%2e%2e/secret.txt", "/dumps/..%2Fsecret.txt", "/dumps/%2E%2E%2Fsecret.txt",
     "/dumps/reports/%2e%2e/%2e%2e/secret.txt", "/dumps/escape.txt", "/dumps/.hidden",
     "/dumps/%2Fetc%2Fpasswd", "/dumps//etc/passwd", "/dumps/reports", "/dumps/nothing.ttl"],
)  # fmt: skip
def test_dumps_stay_inside_dist(project_server: Running, path: str) -> None:
    response = project_server.get(path)
    assert response.status_code == 404
    assert b"SECRET" not in response.content and b"root:" not in response.content


def test_dumps_raw_dot_segments(project_server: Running) -> None:
    """A request line with literal ``..`` (clients normally remove them; attackers do not)."""
    url = urlsplit(project_server.url)
    assert url.hostname is not None and url.port is not None
    for target in ("/dumps/../secret.txt", "/dumps/reports/../../secret.txt"):
        with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
            conn.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
        assert b"SECRET" not in reply, target
        assert reply.split(b"\r\n", 1)[0].split()[1] == b"404", reply[:200]


# --- deployment: the public base --------------------------------------------------------------


def test_public_base_shapes_every_link(tmp_path: Path) -> None:
    """Behind a proxy, ``public_base`` is where links point; the IRIs in the data stay."""
    public = "https://ecograph.example.org/"
    settings = Settings(root=ROOT, out_dir=tmp_path, public_base=public)
    app = create_app(settings, EmbeddedBackend(fixture_store()))
    for url in serve(app):
        client = httpx.Client(base_url=url, timeout=30)
        page = client.get(ENTITY, headers={"Accept": BROWSER}).text
        assert f'href="{public}static/style.css"' in page
        assert f'href="{public}id/place/test-city"' in page
        assert f'href="{public}ontology#Cluster"' in page
        assert f"{public}id/org/test-cluster.ttl" in client.get(ENTITY).headers["link"]
        document = client.get(ENTITY + ".jsonld").json()
        assert document["id"] == "https://w3id.org/ecograph/id/org/test-cluster"
        missing = client.get("/id/org/nothing", headers={"Accept": "application/json"}).json()
        assert missing["search"].startswith(f"{public}api/search?q=")


def test_duplicate_operation_ids_of_get_and_head_routes(fixture_server: Running) -> None:
    """Regression: routes for GET and HEAD described two operations under one operation ID
    (FastAPI's "Duplicate Operation ID" warning), which breaks client generators."""
    spec = fixture_server.get("/openapi.json").json()
    ids = [
        operation["operationId"]
        for methods in spec["paths"].values()
        for operation in methods.values()
    ]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for path in ("/id/{path}", "/ontology", "/shapes", "/dumps"):
        assert "get" in spec["paths"][path] and "head" not in spec["paths"][path], path
    for path in (ENTITY, "/ontology", "/shapes", "/context.jsonld", "/dumps"):
        response = fixture_server.client.head(path)
        assert response.status_code == 200, path
        assert response.content == b"", path
