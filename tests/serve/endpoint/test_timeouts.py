"""Time limits: a slow query is really stopped (its process killed), its client gets a clear
504, and other requests are answered while it runs. Functional checks only: which answer came
while what was still running, which process is gone; never how fast.

The slow query is a five-way cross product of every triple of the fixture (about 10^10
combinations): it cannot finish within its one-second limit on any machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import httpx
import pytest
from endpoint_support import (  # type: ignore[import-not-found]
    Running,
    alive,
    eventually,
    fixture_settings,
    serve,
)

from ecograph.serve.app import create_app
from ecograph.serve.state import state_of
from ecograph.store.embedded import EmbeddedBackend
from ecograph.store.remote import RemoteBackend

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?p ?o }"


@pytest.fixture(scope="module")
def slow_embedded() -> Iterator[Running]:
    # three workers: /sparql may hold two of them, one being kept for the other routes
    settings = fixture_settings(query_timeout=1.0, query_workers=3)
    app = create_app(settings)
    for url in serve(app):
        yield Running(url, settings, app)


@pytest.fixture(scope="module")
def slow_remote(oxigraph_endpoint: str) -> Iterator[Running]:
    settings = fixture_settings(data_files=(), endpoint=oxigraph_endpoint, query_timeout=1.0)
    app = create_app(settings)
    for url in serve(app):
        yield Running(url, settings, app)


def backend_of(server: Running) -> EmbeddedBackend | RemoteBackend:
    assert server.app is not None
    backend = state_of(server.app).backend
    assert isinstance(backend, EmbeddedBackend | RemoteBackend)
    return backend


def run_slow_query_beside(server: Running, other: Callable[[], httpx.Response]) -> None:
    """Send the slow query; once it runs, ``other`` must be answered before it ends."""
    with ThreadPoolExecutor(1) as pool, httpx.Client(base_url=server.url, timeout=60) as client:
        slow = pool.submit(client.get, "/sparql", params={"query": SLOW})
        backend = backend_of(server)
        if isinstance(backend, EmbeddedBackend):
            eventually(lambda: bool(backend.pool.busy_pids), "the slow query started")
        else:
            eventually(lambda: backend.in_flight > 0, "the slow query was sent")
        answered = other()
        assert answered.status_code == 200, answered.text
        assert not slow.done(), "the other request was answered only after the slow one ended"
        response = slow.result()
    assert response.status_code == 504
    assert "time limit (1 s)" in response.text
    assert "Traceback" not in response.text


def test_embedded_query_is_stopped_and_its_process_killed(slow_embedded: Running) -> None:
    pool = backend_of(slow_embedded).pool
    assert isinstance(backend_of(slow_embedded), EmbeddedBackend)
    before = pool.pids
    with ThreadPoolExecutor(1) as executor:
        slow = executor.submit(slow_embedded.sparql, SLOW)
        eventually(lambda: bool(pool.busy_pids), "the slow query started")
        (running,) = pool.busy_pids
        assert alive(running)
        response = slow.result()
    assert response.status_code == 504
    assert "was stopped" in response.text
    eventually(lambda: not alive(running), f"worker {running} killed")
    eventually(lambda: len(pool.pids) == 3, "a replacement worker")
    assert pool.pids != before
    assert slow_embedded.sparql("ASK { ?s ?p ?o }").json()["boolean"] is True


def test_other_queries_are_answered_while_a_slow_one_runs(slow_embedded: Running) -> None:
    run_slow_query_beside(slow_embedded, partial(slow_embedded.sparql, "ASK { ?s ?p ?o }"))


def test_the_event_loop_stays_free() -> None:
    """With one worker, busy with the slow query, a request that needs no worker is answered."""
    settings = fixture_settings(query_timeout=1.0, query_workers=1)
    app = create_app(settings)
    for url in serve(app):
        server = Running(url, settings, app)
        run_slow_query_beside(server, partial(server.get, "/api/queries"))


def test_remote_query_is_abandoned_and_others_answered(slow_remote: Running) -> None:
    run_slow_query_beside(slow_remote, partial(slow_remote.sparql, "ASK { ?s ?p ?o }"))
    assert slow_remote.sparql("ASK { ?s ?p ?o }").json()["boolean"] is True
