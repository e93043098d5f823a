"""Replicas built from the same data give the same answers: same bytes, same ETags (issue 12).

Two real ``ecograph serve --store`` processes, side by side, each on a copy of its own of one
built store (as two machines behind a balancer would be): every response of a set that covers
entity documents (JSON-LD, Turtle, HTML), ``/sparql`` results, the catalogue API, search and
the JSON-LD context must be byte for byte the same, with the same ``ETag``, whichever replica
answers; and both answer ``/healthz`` and ``/readyz``. A cache in front of them, or a client
that revalidates, never sees a change that is not one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import ROOT, free_socket  # type: ignore[import-not-found]

from ecograph.build.pipeline import Build
from ecograph.build.publish import publish

ECOGRAPH = Path(sys.executable).with_name("ecograph")

#: (path, Accept) of the responses compared.
REQUESTS: list[tuple[str, str]] = [
    ("/id/org/kilometro-rosso", "application/ld+json"),
    ("/id/org/kilometro-rosso", "text/turtle"),
    ("/id/org/kilometro-rosso", "text/html"),
    ("/id/link/cn-js--it-25.ttl", "*/*"),
    ("/id/place/it-21", "application/ld+json"),
    ("/id/place/it-21", "application/n-triples"),
    (
        "/sparql?query=SELECT ?c ?l WHERE { ?c a eco:Cluster ; rdfs:label ?l } ORDER BY ?c ?l",
        "application/sparql-results+json",
    ),
    ("/sparql?query=CONSTRUCT WHERE { ?e eco:territory ?t }", "text/turtle"),
    (
        "/sparql?query=DESCRIBE <https://w3id.org/ecograph/id/org/kilometro-rosso>",
        "application/ld+json",
    ),
    ("/sparql", "text/turtle"),
    ("/api/queries", "application/json"),
    (
        "/api/queries/actors-of-region-by-kind?region=https://w3id.org/ecograph/id/place/it-21",
        "text/csv",
    ),
    ("/api/queries/cross-border-links", "application/json"),
    ("/api/search?q=universita", "application/json"),
    ("/context.jsonld", "application/ld+json"),
    ("/ontology", "text/turtle"),
]


def _start(store: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    argv = [str(ECOGRAPH), "serve", "--store", str(store), "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ)
        )
    return process, f"http://127.0.0.1:{port}"


def _ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the replica did not get ready: {log.read_text()[-2000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def replicas(project_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    folder = tmp_path_factory.mktemp("replicas")
    publish(project_build, folder / "dist", with_store=True)
    started: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for number in (1, 2):
            copy = folder / f"store-{number}"
            shutil.copytree(folder / "dist" / "store", copy)
            log = folder / f"replica-{number}.log"
            process, url = _start(copy, log)
            started.append((process, url, log))
        for process, url, log in started:
            _ready(process, url, log)
        yield [url for _, url, _ in started]
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_both_replicas_are_healthy_and_ready(replicas: list[str]) -> None:
    for url in replicas:
        assert httpx.get(f"{url}/healthz").text == "ok\n"
        ready = httpx.get(f"{url}/readyz")
        assert (ready.status_code, ready.text) == (200, "ready\n")
        assert ready.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("path", "accept"), REQUESTS, ids=[f"{p} {a}" for p, a in REQUESTS])
def test_replicas_answer_byte_for_byte_alike(replicas: list[str], path: str, accept: str) -> None:
    # the Host a balancer passes on, the same to every replica (links are built from it)
    headers = {"Accept": accept, "Host": "ecograph.example.org"}
    answers = [httpx.get(url + path, headers=headers, timeout=60) for url in replicas]
    first, second = answers
    assert first.status_code == second.status_code == 200, (first.text[:500], second.text[:500])
    assert first.headers.get("content-type") == second.headers.get("content-type")
    assert first.headers.get("etag") == second.headers.get("etag")
    if first.content != second.content:
        lines = zip(first.text.splitlines(), second.text.splitlines(), strict=False)
        differing = next(((a, b) for a, b in lines if a != b), ("(lengths)", ""))
        pytest.fail(
            f"the replicas' bodies differ; first difference:\n{differing[0]}\n{differing[1]}"
        )
    if path.startswith("/id/") or path.startswith("/context"):
        assert first.headers.get("etag"), "documents carry an ETag"
