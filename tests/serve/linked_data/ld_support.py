"""What the linked-data tests share besides fixtures: the project root, a running server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import uvicorn
from fastapi import FastAPI

from ecograph.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FIXTURE_DATA = HERE / "data" / "fixture.trig"


def fixture_store() -> pyoxigraph.Store:
    """``data/fixture.trig`` with the real ontology in its own graph, as a build lays them out."""
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURE_DATA), format=pyoxigraph.RdfFormat.TRIG)
    store.load(
        path=str(ROOT / "ontology" / "ecograph.owl.ttl"),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("https://w3id.org/ecograph/id/graph/ontology/ecograph.owl"),
    )
    return store


class Running:
    """A server started for a test session, and a client to talk to it."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self.settings = settings
        self.client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.client.get(path, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        return self.client.post(path, **kwargs)  # type: ignore[arg-type]


def serve(app: FastAPI) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
