"""A quote checked in its place (issue 10), in a real browser: from an entity page's quote to
the source text with the quote marked, by the link and by an RFC 5147 ``#char=`` fragment."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_a_quote_leads_to_its_place_in_the_source(page: Any, site: str, root: Path) -> None:
    page.goto(site + "id/org/mediateca-provinciale-di-matera")
    quote = page.locator("section.sources blockquote.in-sentence mark").first
    words = quote.inner_text()
    assert "Mediateca provinciale di Matera" in words
    context = page.locator("section.sources blockquote.in-sentence .context").all_inner_texts()
    assert any("assistendo alle testimonianze" in c for c in context)
    page.locator("section.sources a.source-place").first.click()
    page.wait_for_selector("mark#quote")
    assert page.locator("mark#quote").inner_text() == words
    text = (root / "data" / "sources" / "001_b5b1edfc24631e54.txt").read_text(encoding="utf-8")
    assert page.locator("pre.source-body").inner_text().strip() == text.strip()


def test_an_rfc_5147_fragment_marks_the_span(page: Any, site: str, root: Path) -> None:
    text = (root / "data" / "sources" / "004_23e507947b13cc3a.txt").read_text(encoding="utf-8")
    quote = "Basque Cybersecurity Center"
    start = text.index(quote)
    page.goto(site + f"sources/004_23e507947b13cc3a#char={start},{start + len(quote)}")
    page.wait_for_selector("mark#quote")
    assert page.locator("mark#quote").inner_text() == quote
