"""The reconciliation preview card (what OpenRefine shows when a curator hovers over a
candidate), in a real browser: it renders in the manifest's viewport without errors or any
request elsewhere, names the entity and links to its page."""

from __future__ import annotations

from typing import Any


def test_the_preview_card_fits_and_links_to_the_entity(page: Any, site: str) -> None:
    manifest = page.request.get(site + "reconcile").json()
    width, height = manifest["preview"]["width"], manifest["preview"]["height"]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site + "reconcile/preview?id=org/politecnico-di-torino")
    assert page.locator("h1").inner_text() == "Politecnico di Torino"
    assert "University" in page.locator("p").inner_text()
    assert "Italy" in page.locator("dl").inner_text()
    scroll = page.evaluate("[document.body.scrollWidth, document.body.scrollHeight]")
    assert scroll[0] <= width and scroll[1] <= height, scroll
    with page.context.expect_page() as opened:  # the card opens the entity beside the client
        page.locator("h1 a").click()
    entity = opened.value
    entity.wait_for_load_state()
    assert entity.url == site + "id/org/politecnico-di-torino"
    assert "Politecnico di Torino" in entity.locator("h1").first.inner_text()
