"""Opening backends from the settings, and what the API answers when the backend fails."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph
import pytest
from endpoint_support import (  # type: ignore[import-not-found]
    DATA,
    DATA_FILES,
    Running,
    eventually,
    fixture_settings,
    serve,
)
from fastapi import FastAPI
from rdflib import URIRef

from ecograph.errors import ConfigurationError, InputError, QueryError
from ecograph.serve.app import create_app
from ecograph.serve.state import state_of
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend, load_data_files
from ecograph.store.opening import open_backend
from ecograph.store.results import AskResult, SelectResult


def test_each_file_is_a_named_graph_and_quad_files_keep_theirs() -> None:
    store = load_data_files(DATA_FILES)
    assert {g.value for g in store.named_graphs()} == {
        (DATA / "organisations.ttl").as_uri(),
        (DATA / "events.trig").as_uri(),
        (DATA / "numbers.nt").as_uri(),
        "https://w3id.org/ecograph/id/graph/data/events",
    }
    assert bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }")) is True
    assert bool(store.query("ASK { ?s ?p ?o }")) is False  # the store's own default graph


def test_a_broken_file_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x\n')
    with pytest.raises(InputError) as caught:
        load_data_files([broken])
    assert caught.value.location.file == broken and caught.value.location.line == 2


def test_an_unknown_extension_is_a_configuration_error(tmp_path: Path) -> None:
    other = tmp_path / "data.csv"
    other.write_text("a,b\n")
    with pytest.raises(ConfigurationError, match="unknown RDF file extension"):
        load_data_files([other])


@pytest.mark.parametrize(
    "changes",
    [
        {"endpoint": "http://127.0.0.1:9/sparql"},
        {"store_path": Path("/nonexistent")},
    ],
)
def test_conflicting_sources_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        asyncio.run(open_backend(fixture_settings(**changes)))


def test_a_missing_store_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="no Oxigraph store"):
        asyncio.run(open_backend(fixture_settings(data_files=(), store_path=Path("/nonexistent"))))


def test_without_a_graph_or_a_way_to_build_one_nothing_is_served() -> None:
    """The store layer never builds the project itself: the command line hands it the build."""
    with pytest.raises(ConfigurationError, match="nothing to serve"):
        asyncio.run(open_backend(fixture_settings(data_files=())))


def test_the_given_project_store_is_served() -> None:
    made: list[bool] = []

    def project_store() -> pyoxigraph.Store:
        made.append(True)
        store = pyoxigraph.Store()
        store.add(pyoxigraph.Quad(*(pyoxigraph.NamedNode(f"urn:x:{n}") for n in "spo")))
        return store

    backend = asyncio.run(_open_and_ask(fixture_settings(data_files=()), project_store))
    assert made == [True]
    assert backend


async def _open_and_ask(settings: Settings, project_store: Callable[[], pyoxigraph.Store]) -> bool:
    backend = await open_backend(settings, project_store)
    try:
        return await backend.ask("ASK { <urn:x:s> <urn:x:p> <urn:x:o> }")
    finally:
        await backend.close()


def test_a_persisted_store_is_opened_read_only_by_each_worker(tmp_path: Path) -> None:
    import pyoxigraph

    location = tmp_path / "store"
    persisted = pyoxigraph.Store(str(location))
    persisted.extend(load_data_files(DATA_FILES))
    persisted.flush()
    del persisted

    async def run() -> tuple[bool, SelectResult, tuple[str, ...]]:
        backend = await open_backend(fixture_settings(data_files=(), store_path=location))
        try:
            ask = await backend.query("ASK { ?s a eco:University }")
            select = await backend.select("SELECT ?s WHERE { ?s a eco:City } ORDER BY ?s")
            return isinstance(ask, AskResult) and ask.value, select, await backend.graphs()
        finally:
            await backend.close()

    asked, cities, graphs = asyncio.run(run())
    assert asked
    assert [str(r["s"]) for r in cities.rows] == [
        "https://w3id.org/ecograph/id/place/bergamo",
        "https://w3id.org/ecograph/id/place/potenza",
    ]
    assert len(graphs) == 4


def test_the_typed_shortcuts_and_bindings() -> None:
    async def run() -> None:
        backend = EmbeddedBackend(load_data_files(DATA_FILES), workers=1)
        try:
            result = await backend.select(
                "SELECT ?label WHERE { ?org rdfs:label ?label FILTER(lang(?label) = 'en') }",
                bindings={"org": URIRef("https://w3id.org/ecograph/id/org/unibas")},
            )
            assert [str(r["label"]) for r in result.rows] == ["University of Basilicata"]
            assert await backend.ask("ASK { ?s a eco:Forum }") is True
            graph = await backend.construct("CONSTRUCT WHERE { ?s a eco:Fair }")
            assert len(graph) == 1
            with pytest.raises(QueryError, match="a SELECT query was expected"):
                await backend.select("ASK {}")
        finally:
            await backend.close()

    asyncio.run(run())


# The API's answers when things go wrong on the server's side


@pytest.fixture(scope="module")
def fragile_server() -> Iterator[Running]:
    settings = fixture_settings(query_workers=1)
    app = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a secret detail that must not reach the client")

    for url in serve(app):
        yield Running(url, settings, app)


def test_an_unexpected_error_is_a_plain_500(fragile_server: Running) -> None:
    response = fragile_server.get("/boom")
    assert response.status_code == 500
    assert "failed to answer" in response.text
    assert "secret" not in response.text and "Traceback" not in response.text


def test_a_dead_worker_is_a_502_and_is_replaced(fragile_server: Running) -> None:
    app = fragile_server.app
    assert isinstance(app, FastAPI)
    backend = state_of(app).backend
    assert isinstance(backend, EmbeddedBackend)
    (pid,) = backend.pool.pids
    os.kill(pid, signal.SIGKILL)
    response = fragile_server.sparql("ASK {}")
    assert response.status_code == 502
    assert "worker died" in response.text
    eventually(lambda: len(backend.pool.pids) == 1, "a replacement worker")
    assert pid not in backend.pool.pids
    assert fragile_server.sparql("ASK {}").json()["boolean"] is True


def test_errors_are_pages_for_browsers(fragile_server: Running) -> None:
    response = fragile_server.get(
        "/sparql", params={"query": "ASK {"}, headers={"accept": "text/html,*/*;q=0.8"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>400 Bad Request</h1>" in response.text
    assert "&lt;" not in response.text or "syntax error" in response.text
