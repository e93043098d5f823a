"""The explore page in a real browser: each view draws, an arc opens its quotes, filters and the
URL work, keyboard and Italian too. The ``page`` fixture fails any test whose page logs a
console error or asks another host for anything."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph

from ecograph.rdf.namespaces import ECO

READY = "body[data-explore-ready='1']"
#: The screen position of the middle of an SVG path (where a click lands on the line itself,
#: not on what lies inside the curve).
MIDPOINT = """(path) => {
  const at = path.getPointAtLength(path.getTotalLength() / 2);
  const point = path.ownerSVGElement.createSVGPoint();
  point.x = at.x; point.y = at.y;
  const screen = point.matrixTransform(path.getScreenCTM());
  return [screen.x, screen.y];
}"""


def api(site: str, query: str = "") -> dict[str, Any]:
    with urllib.request.urlopen(f"{site}api/explore{query}", timeout=60) as response:
        found: dict[str, Any] = json.load(response)
        return found


def source_texts(root: Path) -> dict[str, str]:
    """Source IRI → its text, from ``data/sources.ttl`` (``eco:localFile``)."""
    graph = Graph().parse(root / "data" / "sources.ttl")
    texts = {}
    for source, local in graph.subject_objects(ECO.localFile):
        candidates = [root / str(local), root.parent / "shared" / str(local)]
        candidates.append(root.parent / "shared" / "sources" / Path(str(local)).name)
        found = next((c for c in candidates if c.is_file()), None)
        if found is not None:
            texts[str(source)] = found.read_text(encoding="utf-8")
    return texts


def open_explore(page: Any, site: str, query: str = "") -> None:
    page.goto(f"{site}explore{query}")
    page.wait_for_selector(READY)


def test_each_view_draws(page: Any, site: str) -> None:
    data = api(site)
    assert data["links"], "the project graph has cross-border links to draw"
    open_explore(page, site)
    assert page.locator("#map .country").count() > 150  # the basemap's countries
    assert page.locator("#map .arc").count() == len(data["links"])
    placed = [n for n in data["nodes"] if n["lat"] is not None]
    assert page.locator("#map .point").count() == len(placed) > 0
    prospective = [link for link in data["links"] if link["status"] == "prospective"]
    dashed = page.locator("#map .arc.prospective")
    assert dashed.count() == len(prospective) > 0
    assert dashed.first.evaluate("e => getComputedStyle(e).strokeDasharray") != "none"
    arc = page.locator("#map .arc").first
    x, y = arc.evaluate(MIDPOINT)
    page.mouse.move(x, y)  # hovering names the link
    assert page.locator("#map-hover").inner_text() == arc.get_attribute("aria-label")
    page.get_by_role("tab", name="Network").click()
    assert page.locator("#view-network").is_visible()
    assert page.locator("#network .edge").count() == len(data["links"])
    assert page.locator("#network .network-node").count() >= 2
    page.get_by_role("tab", name="Timeline").click()
    dated = [i for i in data["items"] if i["year"] is not None]
    undated = [i for i in data["items"] if i["year"] is None]
    assert page.locator("#timeline .timeline-item").count() == len(dated)
    assert page.locator("#undated-list .undated-item").count() == len(undated)
    # a day and month without a year is listed apart, said as such
    partial = page.locator("#undated-list .undated-item", has_text="Basilicata Creativa")
    assert "23 February (year not given)" in partial.inner_text()


def test_an_arc_clicked_shows_its_quotes_verbatim(page: Any, site: str, root: Path) -> None:
    texts = source_texts(root)
    assert texts, "the source texts are where data/sources.ttl says"
    open_explore(page, site)
    arc = page.locator("#map .arc").first
    x, y = arc.evaluate(MIDPOINT)
    page.mouse.click(x, y)
    page.wait_for_selector("#explore-panel blockquote")
    assert "link=" in page.url
    quotes = page.locator("#explore-panel figure.quote")
    assert quotes.count() > 0
    for n in range(quotes.count()):
        figure = quotes.nth(n)
        text = figure.locator("blockquote").inner_text()
        href = figure.locator("figcaption a").get_attribute("href") or ""
        source = "https://w3id.org/ecograph/" + href.split("/", 3)[3]
        assert source in texts, source
        assert text in texts[source], f"not verbatim in {source}: {text!r}"


def test_a_link_opens_from_the_keyboard(page: Any, site: str) -> None:
    open_explore(page, site)
    arc = page.locator("#map .arc").first
    arc.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#explore-panel blockquote")
    label = arc.get_attribute("aria-label") or ""
    heading = page.locator("#explore-panel h2").inner_text()
    assert heading and heading in label


def test_a_filter_draws_fewer_arcs_and_stays_in_the_url(page: Any, site: str) -> None:
    everything = api(site)
    spanish = api(site, "?country=ES")
    assert 0 < len(spanish["links"]) < len(everything["links"])
    open_explore(page, site)
    before = page.locator("#map .arc").count()
    with page.expect_response(lambda r: "api/explore?" in r.url and "country=ES" in r.url):
        page.select_option("#f-country", "ES")
    page.wait_for_function(
        "n => document.querySelectorAll('#map .arc').length < n", arg=before, timeout=20_000
    )
    assert page.locator("#map .arc").count() == len(spanish["links"])
    assert parse_qs(urlsplit(page.url).query)["country"] == ["ES"]


def test_a_shared_url_reloads_in_the_same_state(page: Any, site: str) -> None:
    data = api(site, "?country=IT")
    link = data["links"][0]["id"]
    open_explore(page, site, f"?country=IT&view=network&link={link}")

    def state() -> tuple[str, str, bool, str]:
        page.wait_for_selector("#explore-panel blockquote")
        return (
            page.locator("#f-country").input_value(),
            page.locator("#tab-network").get_attribute("aria-selected") or "",
            page.locator("#view-network").is_visible(),
            page.locator("#explore-panel h2").inner_text(),
        )

    first = state()
    assert first[:3] == ("IT", "true", True)
    assert page.locator("#network .edge").count() == len(data["links"])
    page.reload()
    page.wait_for_selector(READY)
    assert state() == first


def test_italian_labels(page: Any, site: str) -> None:
    open_explore(page, site, "?lang=it")
    assert page.get_by_role("tab", name="Mappa").is_visible()
    assert page.get_by_role("tab", name="Cronologia").count() == 1
    assert "collegamenti" in page.locator("#explore-summary").inner_text()


@pytest.mark.parametrize("path", ["", "query", "search?q=matera"])
def test_every_page_links_to_explore(page: Any, site: str, path: str) -> None:
    page.goto(f"{site}{path}")
    assert page.locator("header.site nav a[href$='explore']").count() == 1


@pytest.mark.parametrize(
    ("path", "points"),
    [
        ("id/place/matera", 1),  # a place with its own coordinates
        ("id/place/rioni-sassi", 1),  # a district without: drawn at the enclosing city
        ("id/org/kilometro-rosso", 1),  # an organisation, at the place it is located in
        ("id/source/000-116f35e501ef4f54", 0),  # no place: no map
    ],
)
def test_entity_pages_map_their_place(page: Any, site: str, path: str, points: int) -> None:
    page.goto(f"{site}{path}")
    page.wait_for_selector("#entity-map[data-drawn]", state="attached")
    section = page.locator("#entity-map")
    assert section.get_attribute("data-drawn") == str(points)
    assert section.is_visible() == (points > 0)
    assert section.locator(".point").count() == points
    if points:
        assert section.locator(".country").count() > 150
