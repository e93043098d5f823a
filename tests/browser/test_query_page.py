"""The query page in a real browser: the editor, completion, result views, share link, downloads.

Every test runs in the shared ``page`` fixture, which fails on a console error, a page error or
a request to another host. The views are checked by what they drew (SVG bars, map points,
network nodes), not by the absence of an error.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


def drawn(page: Any, view: str) -> None:
    page.wait_for_function(
        "v => document.getElementById('results').dataset.drawn === v", arg=view, timeout=20_000
    )


def tab(page: Any, view: str) -> Any:
    return page.locator(f".result-tabs [data-view='{view}']")


def test_a_catalogue_query_opens_in_its_view_and_switches(page: Any, site: str) -> None:
    """``ecosystems`` says ``#+ view: map``: it opens as a map, then shows as a table and as
    a bar chart (a label column and the number of actors), and the network is not offered
    (one column of IRIs)."""
    page.goto(site + "query?name=ecosystems")
    drawn(page, "map")
    points = page.locator("#results svg.map circle.point").count()
    assert points >= 5
    assert page.locator("#results svg.map path.country").count() > 100
    assert tab(page, "map").get_attribute("aria-selected") == "true"
    assert tab(page, "network").is_disabled()
    tab(page, "table").click()
    drawn(page, "table")
    rows = page.locator("#results table.results tbody tr").count()
    assert rows == points
    tab(page, "bar").click()
    drawn(page, "bar")
    assert page.locator("#results svg.bar-chart rect.bar").count() == rows


def test_two_iri_columns_draw_a_network(page: Any, site: str) -> None:
    page.goto(site + "query")
    page.click("a[data-query-name='country-links']")
    drawn(page, "network")
    nodes = page.locator("#results svg.network circle.node").count()
    edges = page.locator("#results svg.network line.edge").count()
    assert nodes >= 3 and edges >= 2
    assert "Italy" in (page.locator("#results svg.network").text_content() or "")


def test_a_construct_query_draws_a_network_of_its_triples(page: Any, site: str) -> None:
    page.goto(site + "query")
    query = (
        "PREFIX eco: <https://w3id.org/ecograph/ontology#>\n"
        "CONSTRUCT { ?a eco:between ?b } WHERE { ?a a eco:CrossBorderLink ; eco:between ?b }"
    )
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)
    page.click("#run")
    drawn(page, "table")
    tab(page, "network").click()
    drawn(page, "network")
    assert page.locator("#results svg.network line.edge").count() >= 2


def test_a_view_the_result_cannot_take_falls_back_to_the_table(page: Any, site: str) -> None:
    page.goto(site + "query?query=" + "ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_function("document.getElementById('results').dataset.drawn === 'ask'")
    page.goto(site + "query?view=map&query=SELECT%20(1%20AS%20%3Fx)%20%7B%7D")
    drawn(page, "table")
    assert "map needs" in page.locator("#results .view-note").inner_text()


def complete(page: Any, text: str) -> list[str]:
    """Type ``text`` at the end of the editor and open completion; the hints shown."""
    page.evaluate(
        "() => { const cm = document.querySelector('.CodeMirror').CodeMirror;"
        " cm.setValue('SELECT * WHERE {\\n  ?s a '); cm.focus();"
        " cm.setCursor(cm.lineCount(), 0); }"
    )
    page.keyboard.type(text)
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    hints: list[str] = page.locator(".CodeMirror-hint").all_inner_texts()
    return hints


def test_completion_offers_prefixes_and_ontology_terms(page: Any, site: str) -> None:
    page.goto(site + "query")
    page.wait_for_function("() => fetch('api/terms').then(r => r.ok)")
    page.wait_for_timeout(300)
    hints = complete(page, "eco:Clus")
    assert any(h.startswith("eco:Cluster") and "Cluster" in h for h in hints), hints
    page.keyboard.press("Enter")
    text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert text.rstrip().endswith("?s a eco:Cluster")
    hints = complete(page, "sko")
    assert any(h.startswith("skos:") for h in hints), hints
    page.keyboard.press("Escape")
    page.evaluate(
        "() => { const cm = document.querySelector('.CodeMirror').CodeMirror;"
        " cm.setValue('PREFIX ge'); cm.focus(); cm.setCursor(0, 9); }"
    )
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    assert any(
        "geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>" in h
        for h in page.locator(".CodeMirror-hint").all_inner_texts()
    )


def test_the_share_link_reloads_the_same_query_and_view(page: Any, site: str) -> None:
    page.goto(site + "query?name=ecosystems")
    drawn(page, "map")
    tab(page, "bar").click()
    drawn(page, "bar")
    page.click("#share")
    link = page.input_value("#share-url")
    params = parse_qs(urlsplit(link).query)
    assert params["view"] == ["bar"]
    query = params["query"][0]
    assert "eco:Ecosystem" in query
    page.goto("about:blank")
    page.goto(link)
    drawn(page, "bar")
    assert tab(page, "bar").get_attribute("aria-selected") == "true"
    shown = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert shown == query


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
    ],
)
def test_downloads_answer(page: Any, site: str, name: str, media: str) -> None:
    page.goto(site + "query?name=ecosystems")
    drawn(page, "map")
    link = page.locator(f"#download-links a[data-format='{name}']")
    href = link.get_attribute("href")
    assert link.get_attribute("download")
    answer = page.request.get(href)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith(media)
    rows = page.locator("#results svg.map circle.point").count()
    body = answer.text()
    if name == "json":
        assert len(answer.json()["results"]["bindings"]) == rows
    else:
        assert len([line for line in body.splitlines() if line.strip()]) == rows + 1


def test_the_views_are_reached_by_keyboard(page: Any, site: str) -> None:
    page.goto(site + "query?name=ecosystems")
    drawn(page, "map")
    tab(page, "map").focus()
    page.keyboard.press("ArrowLeft")
    drawn(page, "bar")
    page.keyboard.press("ArrowLeft")
    drawn(page, "table")
    assert page.evaluate("document.activeElement.dataset.view") == "table"


def test_italian_labels(page: Any, site: str) -> None:
    page.goto(site + "query?lang=it&name=ecosystems")
    drawn(page, "map")
    assert page.locator("h1").inner_text() == "Interroga il grafo"
    assert tab(page, "bar").inner_text() == "Grafico a barre"
    assert re.search(r"\d+ righe", page.locator("#status").inner_text())
