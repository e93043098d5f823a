"""Pages for people, over HTTP: what they show, that they escape, that they need no CDN."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from ld_support import ROOT, Running  # type: ignore[import-not-found]
from rdflib import URIRef
from rdflib.namespace import RDF

from ecograph.ld import documents as jsonld
from ecograph.rdf.catalogue import Catalogue
from ecograph.rdf.namespaces import ECOID, SCHEMA

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class _Page(HTMLParser):
    """The parts of a page the tests look at: assets, scripts, headings, text."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.links: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.h1: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.assets.append(values["src"] or "")
            self._in, self._attrs, self._buffer = "script", values, []
        elif tag == "link" and values.get("rel") in {"stylesheet", "icon"}:
            self.assets.append(values.get("href") or "")
        elif tag == "img":
            self.assets.append(values.get("src") or "")
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "h1":
            self._in, self._buffer = "h1", []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in == "script":
            self.scripts.append((self._attrs, "".join(self._buffer)))
            self._in = None
        elif tag == "h1" and self._in == "h1":
            self.h1.append(" ".join("".join(self._buffer).split()))
            self._in = None


def page(server: Running, path: str, **headers: str) -> tuple[_Page, str]:
    response = server.get(path, headers={"Accept": BROWSER, **headers})
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    parsed = _Page()
    parsed.feed(response.text)
    return parsed, html.unescape(response.text)


def schema_org(parsed: _Page) -> dict[str, object]:
    blocks = [body for attrs, body in parsed.scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    document: dict[str, object] = json.loads(blocks[0])
    return document


# --- the home page ----------------------------------------------------------------------------


def test_home_says_what_the_graph_holds(project_server: Running) -> None:
    parsed, text = page(project_server, "/")
    assert "What the graph holds" in text
    for kind in ("Organisations", "People", "Missions", "Cross-border links", "Source articles"):
        assert kind in text, kind
    assert "Italy" in text and "China" in text
    catalogue = Catalogue.load(project_server.settings.queries_dir)
    assert len(catalogue) > 5
    for query in catalogue:
        assert query.title in text, query.name
        assert any(link.endswith(f"/query?name={query.name}") for link in parsed.links)
    assert 'action="' in text and "/search" in text


def test_home_counts_open_queries_that_run(project_server: Running) -> None:
    parsed, _ = page(project_server, "/")
    listing = next(link for link in parsed.links if "/query?query=" in link)
    response = project_server.get(listing)
    assert response.status_code == 200
    assert "SELECT ?entity (COALESCE(SAMPLE(?named)" in html.unescape(response.text)


# --- assets: all local ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/id/org/kilometro-rosso", "/query", "/search?q=rosso", "/ontology", "/shapes",
     "/dumps", "/id/org/nothing-here"],
)  # fmt: skip
def test_pages_load_only_local_assets(project_server: Running, path: str) -> None:
    response = project_server.get(path, headers={"Accept": BROWSER})
    parsed = _Page()
    parsed.feed(response.text)
    assert parsed.assets, "every page has at least its stylesheet"
    origin = urlsplit(project_server.url).netloc
    for asset in parsed.assets:
        absolute = urljoin(project_server.url + path, asset)
        assert urlsplit(absolute).netloc == origin, f"{asset} is not served by the app"
        fetched = project_server.get(absolute)
        assert fetched.status_code == 200, asset


def test_static_assets(project_server: Running) -> None:
    css = project_server.get("/static/style.css")
    assert css.headers["content-type"].startswith("text/css")
    assert "http:" not in css.text and "https:" not in css.text, "no remote fonts or imports"
    js = project_server.get("/static/query.js")
    assert js.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in js.text, "results are written as text, never as HTML"
    assert (
        project_server.get("/static/favicon.svg")
        .headers["content-type"]
        .startswith("image/svg+xml")
    )
    cached = project_server.get("/static/style.css", headers={"If-None-Match": css.headers["etag"]})
    assert cached.status_code == 304


@pytest.mark.parametrize(
    "path", ["/static/nothing.css", "/static/..%2Fpages.py", "/static/style.css.bak"]
)
def test_unknown_static_assets(project_server: Running, path: str) -> None:
    assert project_server.get(path).status_code == 404


# --- entity pages -----------------------------------------------------------------------------


def test_entity_page_in_words(project_server: Running) -> None:
    parsed, text = page(project_server, "/id/org/kilometro-rosso")
    assert parsed.h1 == ["Kilometro Rosso"]
    assert "Science park" in text  # its class, by the ontology's label
    # facts with the ontology's labels, the Italian alongside, links to the linked entities
    assert "located in" in text and "ha sede in" in text
    assert any(urlsplit(link).path == "/id/place/bergamo" for link in parsed.links)
    # links in: the roles held in it, the agreement it is party to
    assert "Linked from" in text
    assert "Alberto Bombassei" in text
    assert any(urlsplit(link).path.startswith("/id/agreement/") for link in parsed.links)
    # sources with their details and the verbatim quotes
    assert "Sull'innovazione Nanchino si allea con Kilometro Rosso" in text
    assert "Class Editori" in text and "2 April 2019" in text
    assert "L'insegna del centro tecnologico di Bergamo" in text
    # derived cross-border links
    assert "Cross-border links" in text
    assert any(urlsplit(link).path.startswith("/id/link/") for link in parsed.links)
    # the data formats are one click away
    for extension in ("jsonld", "ttl", "nt"):
        assert any(link.endswith(f"/id/org/kilometro-rosso.{extension}") for link in parsed.links)


def test_entity_page_embeds_schema_org(project_server: Running) -> None:
    parsed, _ = page(project_server, "/id/org/kilometro-rosso")
    document = schema_org(parsed)
    graph = jsonld.to_graph(document, {})  # an inline @vocab context: nothing to fetch
    entity = URIRef(f"{ECOID}org/kilometro-rosso")
    types = set(graph.objects(entity, RDF.type))
    assert SCHEMA.Organization in types
    assert all(str(t).startswith(str(SCHEMA)) for t in graph.objects(None, RDF.type))
    for predicate in set(graph.predicates()):
        assert predicate == RDF.type or str(predicate).startswith(str(SCHEMA)), predicate
    assert "Kilometro Rosso" in {str(n) for n in graph.objects(entity, SCHEMA.name)}
    bergamo = URIRef(f"{ECOID}place/bergamo")
    assert (entity, SCHEMA.location, bergamo) in graph
    assert (bergamo, RDF.type, SCHEMA.Place) in graph
    assert "Bergamo" in {str(n) for n in graph.objects(bergamo, SCHEMA.name)}
    assert document["url"] == f"{project_server.url}/id/org/kilometro-rosso"


@pytest.mark.parametrize(
    ("headers", "query", "title"),
    [({"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}, "", "Governo cinese"),
     ({"Accept-Language": "en-GB,en;q=0.9"}, "", "Government of China"),
     ({"Accept-Language": "en"}, "?lang=it", "Governo cinese"),
     ({}, "", "Government of China")],
)  # fmt: skip
def test_labels_in_the_readers_language(
    project_server: Running, headers: dict[str, str], query: str, title: str
) -> None:
    parsed, _ = page(project_server, "/id/org/government-of-china" + query, **headers)
    assert parsed.h1 == [title]


def test_page_labels_follow_italian_readers(project_server: Running) -> None:
    _, text = page(project_server, "/id/org/kilometro-rosso", **{"Accept-Language": "it"})
    assert "ha sede in" in text and "located in" in text  # Italian first, English alongside


def test_hostile_labels_are_escaped(fixture_server: Running) -> None:
    response = fixture_server.get("/id/org/test-cluster", headers={"Accept": BROWSER})
    body = response.text
    assert "<script>alert" not in body and "<b>co</b>" not in body and "<i>di</i>" not in body
    assert "&lt;quote&gt;" in body
    parsed = _Page()
    parsed.feed(body)
    # the one inline script is the JSON-LD; the page's code comes as files from this server
    inline = [attrs.get("type") for attrs, _ in parsed.scripts if not attrs.get("src")]
    assert inline == ["application/ld+json"]
    files = [(attrs.get("src") or "", text) for attrs, text in parsed.scripts if attrs.get("src")]
    assert all(src.startswith(fixture_server.url) and not text.strip() for src, text in files)
    names = schema_org(parsed)["name"]
    assert {"@value": "Cluster </script><script>alert('x')</script> & <b>co</b>",
            "@language": "en"} in names  # type: ignore[operator]  # fmt: skip


def test_unnamed_neighbours_are_named_by_what_they_say(fixture_server: Running) -> None:
    """A role without a label shows its wording; a figure its words from the article."""
    _, text = page(fixture_server, "/id/org/test-cluster")
    assert "presidente" in text
    assert "oltre 42 imprese" in text


def test_dates_in_words(fixture_server: Running) -> None:
    _, text = page(fixture_server, "/id/mission/test-mission")
    assert "May 2024" in text and "10 May 2024" in text
    assert '<time datetime="2024-05-10"' in fixture_server.get("/id/mission/test-mission.html").text


# --- the query page ---------------------------------------------------------------------------


def test_query_page(project_server: Running) -> None:
    parsed, text = page(project_server, "/query")
    assert "<textarea" in project_server.get("/query").text
    assert "SELECT" in text
    assert any(asset.endswith("/static/query.js") for asset in parsed.assets)
    (catalogue_json,) = [b for a, b in parsed.scripts if a.get("id") == "catalogue-data"]
    catalogue = json.loads(catalogue_json)
    assert "cross-border-links" in catalogue


def test_catalogue_queries_on_the_page_run_at_the_endpoint(project_server: Running) -> None:
    """What a click puts in the editor runs as it is (parameters bound to their defaults)."""
    parsed, _ = page(project_server, "/query")
    (catalogue_json,) = [b for a, b in parsed.scripts if a.get("id") == "catalogue-data"]
    for name, entry in json.loads(catalogue_json).items():
        assert entry["view"] in {"table", "bar", "map", "network"}, name
        response = project_server.post(
            "/sparql",
            data={"query": entry["text"]},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200, (name, response.text[:300])
        assert "head" in response.json()


def test_query_page_starts_from_a_named_query(project_server: Running) -> None:
    catalogue = Catalogue.load(project_server.settings.queries_dir)
    wanted = catalogue.get("cross-border-links")
    _, text = page(project_server, "/query?name=cross-border-links")
    assert wanted.text.strip().splitlines()[-1] in text
    assert 'class="selected"' in project_server.get("/query?name=cross-border-links").text


def test_query_page_escapes_the_query(project_server: Running) -> None:
    hostile = "</textarea><script>alert(1)</script>"
    response = project_server.get("/query", params={"query": hostile}, headers={"Accept": BROWSER})
    assert "<script>alert(1)" not in response.text
    assert "&lt;/textarea&gt;" in response.text


# --- search -----------------------------------------------------------------------------------


def test_search_page_ignores_accents_and_case(project_server: Running) -> None:
    parsed, text = page(project_server, "/search?q=UNIVERSITA DEGLI")
    assert "Università degli Studi della Basilicata" in text
    assert any(
        urlsplit(link).path == "/id/org/universita-degli-studi-della-basilicata"
        for link in parsed.links
    )


def test_search_page_without_results(project_server: Running) -> None:
    _, text = page(project_server, "/search?q=zzzzqqq")
    assert "Nothing found" in text
    _, empty = page(project_server, "/search")
    assert "Nothing found" not in empty


# --- evidence anyone can check (issue 10) -----------------------------------------------------


def test_a_quote_is_shown_in_its_sentence_with_a_link_to_its_place(project_server: Running) -> None:
    parsed, text = page(project_server, "/id/org/mediateca-provinciale-di-matera")
    quote = "presso la Mediateca provinciale di Matera"
    assert quote in text
    assert "assistendo alle testimonianze di alcuni importanti attori" in text  # its sentence
    places = [link for link in parsed.links if urlsplit(link).path.startswith("/sources/")]
    assert places, "no link to the quote's place in the source"
    place = urlsplit(places[0])
    assert place.path == "/sources/001_b5b1edfc24631e54"
    start, end = (int(n) for n in place.query.removeprefix("char=").split(","))
    source = project_server.get(place.path + ".txt")
    assert source.status_code == 200
    assert source.headers["content-type"].startswith("text/plain")
    assert quote in source.text[start:end]
    marked = project_server.get(f"{place.path}?{place.query}", headers={"Accept": BROWSER})
    assert marked.status_code == 200
    assert f'<mark id="quote">{source.text[start:end]}</mark>'.replace("'", "&#39;") in marked.text


def test_the_source_text_is_the_repository_s_bytes(project_server: Running) -> None:
    response = project_server.get("/sources/004_23e507947b13cc3a.txt")
    assert response.status_code == 200
    expected = (ROOT / "data" / "sources" / "004_23e507947b13cc3a.txt").read_bytes()
    assert response.content == expected


@pytest.mark.parametrize(
    "path",
    ["/sources/999_0123456789abcdef.txt", "/sources/..%2Fsources.ttl", "/sources/a%20b.txt",
     "/sources/004_23e507947b13cc3a?char=9,x"],
)  # fmt: skip
def test_unknown_or_bad_source_requests_do_not_fail(project_server: Running, path: str) -> None:
    response = project_server.get(path, headers={"Accept": BROWSER})
    assert response.status_code in {200, 404}
    assert "Traceback" not in response.text
    if path.endswith("?char=9,x"):
        assert "<mark" not in response.text  # an unreadable range marks nothing


def test_an_inferred_fact_is_shown_with_its_reason(project_server: Running) -> None:
    _, text = page(project_server, "/id/org/mediateca-provinciale-di-matera")
    assert "Inferred, not stated" in text
    assert "modeller's inference" in text
    assert "is read from 'provinciale'" in text
    _, located = page(project_server, "/id/org/kilometro-rosso")
    assert "Inferred, not stated" in located and "photo caption" in located
    _, stated = page(project_server, "/id/org/basque-cybersecurity-center")
    assert "Inferred, not stated" not in stated  # every fact of it is stated by its source


def test_prospective_links_are_shown_as_such(project_server: Running) -> None:
    """China–Piedmont (issue 10): the trip to a forum in China is only under consideration."""
    parsed, text = page(project_server, "/id/org/cim4-0")
    assert "prospective" in text and "only planned or under consideration" in text
    assert any(urlsplit(link).path == "/id/prospective-link/cn-bj--it-21" for link in parsed.links)
    assert any(urlsplit(link).path == "/id/link/cn-bj--it-21" for link in parsed.links)
    document = project_server.get(
        "/id/prospective-link/cn--it-21", headers={"Accept": "application/ld+json"}
    ).json()
    assert "ProspectiveLink" in document["type"]
    evidence = [e["id"].rsplit("/", 1)[-1] for e in document["evidencedBy"]]
    assert evidence == ["piedmont-delegation-zgc-forum-2024"]
