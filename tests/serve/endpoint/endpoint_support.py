"""What the endpoint tests share besides fixtures: paths, a uvicorn server on a free loopback
port, and an ``oxigraph serve`` process for the remote backend."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI

from ecograph.settings import Settings
from live_server import free_socket, serve  # noqa: F401  (the one way tests start a server)
from paths import ROOT

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
FIXTURE_ROOT = DATA / "project"  # a project folder holding only queries/
DATA_FILES = (DATA / "organisations.ttl", DATA / "events.trig", DATA / "numbers.nt")
ECOID = "https://w3id.org/ecograph/id/"
OXIGRAPH = shutil.which("oxigraph", path=str(ROOT / ".venv" / "bin"))


MAX_ROWS = 50


def fixture_settings(**changes: object) -> Settings:
    """Settings over the fixture files (``--data``), with a row cap of 50 so that truncation
    shows on small data."""
    values: dict[str, object] = {
        "root": FIXTURE_ROOT,
        "data_files": DATA_FILES,
        "max_rows": MAX_ROWS,
        "query_timeout": 30.0,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


@dataclass
class Running:
    """A server started for the tests, and a client to talk to it."""

    url: str
    settings: Settings
    app: FastAPI | None = None
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.client.get(path, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        return self.client.post(path, **kwargs)  # type: ignore[arg-type]

    def sparql(self, query: str, **params: str) -> httpx.Response:
        return self.get("/sparql", params={"query": query, **params})


def eventually(condition: Callable[[], bool], what: str, patience: float = 30.0) -> None:
    """Wait for ``condition``; fail (saying ``what`` never happened) after ``patience`` s."""
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.02)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def oxigraph_serve(nquads: Path, location: Path, *, timeout_s: int = 10) -> Iterator[str]:
    """A real ``oxigraph serve-read-only`` over ``nquads``, its default graph the union;
    yields its query URL."""
    if OXIGRAPH is None:
        raise RuntimeError("the oxigraph command (PyPI package 'oxigraph') is not installed")
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(location), "--file", str(nquads)],
        check=True,
        capture_output=True,
    )
    for base in run_oxigraph(["serve-read-only", "--location", str(location)], timeout_s):
        yield f"{base}/query"


def run_oxigraph(command: list[str], timeout_s: int) -> Iterator[str]:
    """``oxigraph COMMAND…`` on a free loopback port, its default graph the union and its own
    time limit; yields its base URL once it answers, stops it afterwards."""
    assert OXIGRAPH is not None, "the oxigraph command (PyPI package 'oxigraph') is not installed"
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()  # oxigraph binds it itself; the port stays free in between on a quiet loopback
    options = ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    options += ["--timeout-s", str(timeout_s)]
    process = subprocess.Popen(
        [OXIGRAPH, *command, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
