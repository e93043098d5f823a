"""Servers for the linked-data and page tests: real uvicorn on a free port, real HTTP.

Two apps from the app factory, each on the embedded backend: one over the real project graph
(as ``ecograph serve`` serves it), one over the small graph of ``data/fixture.trig`` (laid out
in named graphs as the build lays out the project) for cases the project data cannot show.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from ld_support import ROOT, Running, fixture_store, serve  # type: ignore[import-not-found]

from ecograph.serve.app import create_app
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend


@pytest.fixture(scope="session")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build output to serve, with a secret beside it that no URL may reach."""
    top = tmp_path_factory.mktemp("served")
    dist = top / "dist"
    (dist / "reports").mkdir(parents=True)
    (dist / "ecograph.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (dist / "ecograph.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    (dist / "reports" / "validation-report.txt").write_text("conforms\n", encoding="utf-8")
    (dist / ".hidden").write_text("hidden\n", encoding="utf-8")
    (top / "secret.txt").write_text("SECRET\n", encoding="utf-8")
    (dist / "escape.txt").symlink_to(top / "secret.txt")
    return dist


@pytest.fixture(scope="session")
def project_server(project_store: pyoxigraph.Store, dist_dir: Path) -> Iterator[Running]:
    settings = Settings(root=ROOT, out_dir=dist_dir)
    app = create_app(settings, EmbeddedBackend(project_store))
    for url in serve(app):
        yield Running(url, settings)


@pytest.fixture(scope="session")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    store = fixture_store()
    settings = Settings(root=ROOT, out_dir=tmp_path_factory.mktemp("empty-dist"))
    app = create_app(settings, EmbeddedBackend(store))
    for url in serve(app):
        yield Running(url, settings)
