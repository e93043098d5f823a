"""Browser tests: the real app on a free port, driven in Debian's headless Chromium by Playwright.

What every browser test gets:

* ``site``: the base URL (``http://127.0.0.1:PORT/``) of the app from the app factory, over the
  real project graph on the embedded backend, served by uvicorn in a thread;
* ``page``: a fresh Playwright page that fails the test on any console error, any uncaught
  page error, and any request to a host other than the test server (such requests are also
  aborted, so a page that would need the network cannot pass by getting it).

The browser is Debian's ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright's own
browser downloads are never used. Without it these tests fail, saying so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph
import pytest
from playwright.sync_api import sync_playwright

from ecograph.serve.app import create_app
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend
from live_server import serve

CHROMIUM = os.environ.get("ECOGRAPH_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def site(
    root: Path, project_store: pyoxigraph.Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app over the project graph, on a free loopback port, for the browser tests."""
    settings = Settings(root=root, out_dir=tmp_path_factory.mktemp("browser-dist"))
    for url in serve(create_app(settings, EmbeddedBackend(project_store))):
        yield url + "/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (Debian's, never a downloaded one); closed
    after them, with the event loop Playwright runs, which would trouble later tests."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (Debian's package)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class PageProblems:
    """What went wrong in a page: console errors, page errors, requests to other hosts."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.console: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def check(self) -> None:
        problems = [f"console error: {m}" for m in self.console]
        problems += [f"page error: {m}" for m in self.errors]
        problems += [f"request to another host: {u}" for u in self.foreign]
        assert not problems, "\n".join(problems)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def page_problems(site: str) -> PageProblems:
    return PageProblems(_origin(site))


@pytest.fixture
def page(browser: Any, site: str, page_problems: PageProblems) -> Iterator[Any]:
    """A page that fails the test on a console error, a page error or a foreign request."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or _origin(url) == page_problems.origin:
            route.continue_()
        else:
            page_problems.foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    opened.on(
        "console",
        lambda message: (
            page_problems.console.append(message.text) if message.type == "error" else None
        ),
    )
    opened.on("pageerror", lambda error: page_problems.errors.append(str(error)))
    try:
        yield opened
    finally:
        context.close()
    page_problems.check()
