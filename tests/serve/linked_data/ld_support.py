"""What the linked-data tests share besides fixtures: the project root, a running server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph

from ecograph.settings import Settings
from live_server import serve  # the one way tests start a server  # noqa: F401
from paths import ROOT

HERE = Path(__file__).resolve().parent
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
