"""The home, entity, link and search pages render in a real browser, with what they must show.

The ``page`` fixture fails on any console error, page error or request to another host.
"""

from __future__ import annotations

from typing import Any


def numbers(page: Any, selector: str) -> list[int]:
    return [int(t.replace(",", "")) for t in page.locator(selector).all_inner_texts()]


def test_home_counts_and_countries(page: Any, site: str) -> None:
    page.goto(site)
    kinds = page.locator("section[aria-labelledby='holds-h'] table.counts tbody th a")
    assert "Organisations" in kinds.all_inner_texts()
    counts = numbers(page, "section[aria-labelledby='holds-h'] td.num")
    assert counts and all(n > 0 for n in counts)
    countries = page.locator("section[aria-labelledby='countries-h'] tbody th a").all_inner_texts()
    assert "Italy" in countries
    assert sum(numbers(page, "section[aria-labelledby='countries-h'] td.num")) > 0
    # a count opens the query page with its listing, which runs and lists that many
    link = page.locator("a", has_text="Cross-border links").first
    expected = int(link.locator("xpath=../../td").inner_text().replace(",", ""))
    link.click()
    page.wait_for_function("document.getElementById('results').dataset.drawn === 'table'")
    assert page.locator("#results tbody tr").count() == min(expected, 500)


def test_home_in_italian(page: Any, site: str) -> None:
    page.goto(site + "?lang=it")
    assert "Organizzazioni" in page.locator("table.counts").first.inner_text()


def test_an_organisation_page_lists_its_links(page: Any, site: str) -> None:
    page.goto(site + "id/org/kilometro-rosso")
    assert page.locator("h1").inner_text() == "Kilometro Rosso"
    cards = page.locator("section.links li.card")
    assert cards.count() >= 1
    first = cards.first.inner_text()
    assert "between" in first and "activit" in first
    assert page.locator("section.facts dl dt").count() >= 1


def test_a_link_page_renders(page: Any, site: str) -> None:
    page.goto(site + "id/link/cn-bj--it-21")
    assert page.locator("h1").inner_text()
    assert page.locator("section.facts, section.pointing").count() >= 1


def test_search_finds_with_accents_ignored(page: Any, site: str) -> None:
    page.goto(site + "search?q=universita")
    hits = page.locator("ul.search-results li")
    assert hits.count() >= 1
    assert any("Università" in t or "Universit" in t for t in hits.all_inner_texts())
    page.fill("#search-q", "kilometro rosso")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search?q=kilometro+rosso")
    assert "Kilometro Rosso" in page.locator("ul.search-results li").first.inner_text()
