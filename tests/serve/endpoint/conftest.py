"""Servers for the SPARQL endpoint and query API tests, each a real uvicorn on a free port.

- ``embedded``: ``--data`` the three fixture files (one named graph each), the app factory's own
  backend, with a row cap of 50 so that truncation shows on small data;
- ``remote``: the same data in a real ``oxigraph serve``, behind ``--endpoint``;
- ``project``: the real project graph, as ``ecograph serve`` serves it;
- ``project_remote``: the real project graph in a real ``oxigraph serve``, behind
  ``--endpoint`` (the reconciliation tests run on both, as ``reconciling``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
import pytest
from endpoint_support import (  # type: ignore[import-not-found]
    DATA_FILES,
    ROOT,
    Running,
    fixture_settings,
    oxigraph_serve,
    serve,
)

from ecograph.serve.app import create_app
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend, load_data_files


@pytest.fixture(scope="session")
def embedded_server() -> Iterator[Running]:
    settings = fixture_settings()
    app = create_app(settings)
    for url in serve(app):
        yield Running(url, settings, app)


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server loaded with exactly the quads ``--data`` builds."""
    folder = tmp_path_factory.mktemp("oxigraph")
    dump = folder / "data.nq"
    load_data_files(DATA_FILES).dump(str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    yield from oxigraph_serve(dump, folder / "store")


@pytest.fixture(scope="session")
def remote_server(oxigraph_endpoint: str) -> Iterator[Running]:
    settings = fixture_settings(data_files=(), endpoint=oxigraph_endpoint)
    app = create_app(settings)
    for url in serve(app):
        yield Running(url, settings, app)


@pytest.fixture(params=["embedded", "remote"])
def server(request: pytest.FixtureRequest) -> Running:
    """Each test that takes ``server`` runs against both backends."""
    running: Running = request.getfixturevalue(f"{request.param}_server")
    return running


@pytest.fixture(scope="session")
def project_server(project_store: pyoxigraph.Store) -> Iterator[Running]:
    settings = Settings(root=ROOT)
    app = create_app(settings, EmbeddedBackend(project_store))
    for url in serve(app):
        yield Running(url, settings, app)


@pytest.fixture(scope="session")
def project_remote_server(
    project_store: pyoxigraph.Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("project-oxigraph")
    dump = folder / "project.nq"
    project_store.dump(str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    for endpoint in oxigraph_serve(dump, folder / "store"):
        settings = Settings(root=ROOT, endpoint=endpoint)
        for url in serve(create_app(settings)):
            yield Running(url, settings)


@pytest.fixture(params=["project", "project_remote"])
def reconciling(request: pytest.FixtureRequest) -> Running:
    """The project graph on the embedded store and behind ``--endpoint``."""
    running: Running = request.getfixturevalue(f"{request.param}_server")
    return running
