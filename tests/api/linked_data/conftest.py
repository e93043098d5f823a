"""Servers for the linked-data and page tests: real uvicorn on a free port, real HTTP.

Two apps: one over the real project graph (as ``ecograph serve`` serves it), one over the
small graph of ``data/fixture.trig`` for cases the project data cannot show.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from ld_support import ROOT, Running, make_app, serve  # type: ignore[import-not-found]
from store_backend import StoreBackend  # type: ignore[import-not-found]

from ecograph.settings import Settings

HERE = Path(__file__).resolve().parent


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
    app = make_app(settings, StoreBackend(project_store))
    for url in serve(app):
        yield Running(url, settings)


@pytest.fixture(scope="session")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    store = pyoxigraph.Store()
    store.load(path=str(HERE / "data" / "fixture.trig"), format=pyoxigraph.RdfFormat.TRIG)
    store.load(
        path=str(ROOT / "ontology" / "ecograph.owl.ttl"),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("https://w3id.org/ecograph/id/graph/ontology/ecograph.owl"),
    )
    settings = Settings(root=ROOT, out_dir=tmp_path_factory.mktemp("empty-dist"))
    app = make_app(settings, StoreBackend(store))
    for url in serve(app):
        yield Running(url, settings)


# DEV-ONLY (remove before handing over)
import os as _os  # noqa: E402

if _os.environ.get("DEV_STORE_NQ"):

    @pytest.fixture(scope="session")
    def project_store() -> pyoxigraph.Store:
        store = pyoxigraph.Store()
        store.load(path=_os.environ["DEV_STORE_NQ"], format=pyoxigraph.RdfFormat.N_QUADS)
        return store
