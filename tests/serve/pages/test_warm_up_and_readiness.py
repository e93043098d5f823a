"""What the pages keep is computed when the server starts, before anyone asks: the first
visitor of the home page, the links or the explore views does not wait for it (at 1M triples
the explore index alone took 3.7 s on the first request, 20 s under load); and ``/readyz``
says "not ready" until it is done, so that a balancer sends no visitor before."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pyoxigraph
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ecograph.serve import app as app_module
from ecograph.serve.app import create_app
from ecograph.serve.state import state_of
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend


def test_the_explore_index_is_read_at_startup_and_served_as_read(
    root: Path, project_store: pyoxigraph.Store
) -> None:
    app = create_app(Settings(root=root), EmbeddedBackend(project_store))
    with TestClient(app) as client:
        state = state_of(app)
        deadline = time.monotonic() + 60
        while state.warming_up:
            assert time.monotonic() < deadline, f"still warming: {sorted(state.kept)}"
            time.sleep(0.05)
        kept = state.kept
        assert {"home.kinds", "home.countries", "links.table", "explore.index"} <= set(kept)
        read_at = kept["explore.index"].read_at
        assert read_at is not None
        response = client.get("/api/explore")
        assert response.status_code == 200
        assert response.json()["links"], "the project graph has cross-border links"
        assert kept["explore.index"].read_at == read_at


def test_a_replica_is_not_ready_while_it_warms_up(
    root: Path, project_store: pyoxigraph.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    async def slow_step(app: FastAPI) -> None:
        await asyncio.to_thread(release.wait, 30)

    monkeypatch.setattr(app_module, "WARM_UP", (slow_step,))
    app = create_app(Settings(root=root), EmbeddedBackend(project_store))
    with TestClient(app) as client:
        try:
            waiting = client.get("/readyz")
            assert waiting.status_code == 503
            assert "warming up" in waiting.text
            assert waiting.headers["Cache-Control"] == "no-store"
            assert client.get("/healthz").status_code == 200  # alive all the same
        finally:
            release.set()
        deadline = time.monotonic() + 30
        while (ready := client.get("/readyz")).status_code != 200:
            assert time.monotonic() < deadline, ready.text
            time.sleep(0.05)
        assert ready.text == "ready\n"


def test_an_empty_store_is_not_ready(root: Path) -> None:
    with TestClient(create_app(Settings(root=root), EmbeddedBackend(pyoxigraph.Store()))) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "the store is empty" in response.text
