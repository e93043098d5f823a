"""Light requests with and without a hostile client (issue 12): the fairness row.

``ecograph serve --store`` with its default limits. Two polite clients (127.0.0.3 and
127.0.0.4) send light requests one after the other: an ``ASK`` on ``/sparql`` and an entity's
JSON-LD, in turn. First alone ("calm"); then while a hostile client (127.0.0.2) keeps eight
heavy queries in flight (a three-way cartesian product, which runs until the time limit),
ignoring ``Retry-After``. The row: the polite requests' p50 and p95 in both phases, their
errors, and how the hostile client was answered (429s, 504s).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from statistics import quantiles
from typing import Any

import httpx

from bench import http

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "ASK { ?s a <https://w3id.org/ecograph/ontology#Cluster> }"
HOSTILE_IN_FLIGHT = 8


def _client(port: int, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=f"http://{http.HOST}:{port}",
        transport=httpx.AsyncHTTPTransport(local_address=address),
        timeout=120,
    )


async def _polite(
    port: int, address: str, paths: list[str], until: float
) -> list[tuple[float, int]]:
    timings: list[tuple[float, int]] = []
    async with _client(port, address) as client:
        index = 0
        while time.monotonic() < until:
            path = paths[index % len(paths)]
            index += 1
            accept = "application/ld+json" if path.startswith("/id/") else "*/*"
            started = time.monotonic()
            try:
                status = (await client.get(path, headers={"Accept": accept})).status_code
            except httpx.HTTPError:
                status = 0
            timings.append((time.monotonic() - started, status))
    return timings


async def _hostile(port: int, until: float) -> Counter[int]:
    answers: Counter[int] = Counter()
    async with _client(port, "127.0.0.2") as client:

        async def keep_sending() -> None:
            while time.monotonic() < until:
                try:
                    response = await client.get("/sparql", params={"query": HEAVY})
                    answers[response.status_code] += 1
                    if response.status_code == 429:
                        await asyncio.sleep(0.05)
                except httpx.HTTPError:
                    answers[0] += 1

        await asyncio.gather(*(keep_sending() for _ in range(HOSTILE_IN_FLIGHT)))
    return answers


def _summary(timings: list[tuple[float, int]]) -> dict[str, Any]:
    seconds = sorted(t for t, _ in timings)
    cut = quantiles(seconds, n=20) if len(seconds) > 1 else [seconds[0]] * 19 if seconds else []
    return {
        "requests": len(seconds),
        "errors": sum(1 for _, status in timings if status != 200),
        "p50_ms": round(cut[9] * 1000, 1) if cut else None,
        "p95_ms": round(cut[18] * 1000, 1) if cut else None,
        "max_ms": round(seconds[-1] * 1000, 1) if seconds else None,
    }


async def _phases(port: int, paths: list[str], seconds: float) -> dict[str, Any]:
    light = [p for entity in paths for p in (http.sparql_path("/sparql", LIGHT), entity)]
    until = time.monotonic() + seconds
    calm = await asyncio.gather(
        _polite(port, "127.0.0.3", light, until), _polite(port, "127.0.0.4", light[::-1], until)
    )
    until = time.monotonic() + seconds + 2
    hostile = asyncio.create_task(_hostile(port, until))
    await asyncio.sleep(2)  # the heavy queries run before the polite clients start
    loaded = await asyncio.gather(
        _polite(port, "127.0.0.3", light, until), _polite(port, "127.0.0.4", light[::-1], until)
    )
    answers = await hostile
    return {
        "calm": _summary([t for timings in calm for t in timings]),
        "hostile": _summary([t for timings in loaded for t in timings]),
        "hostile_answers": {str(k): v for k, v in sorted(answers.items())},
    }


def measure_fairness(
    root: Path, entities: list[str], seconds: float, cap: float, log: Path
) -> dict[str, Any]:
    """The fairness row at one scale; ``entities`` are paths of entity documents."""
    try:
        server = http.start_ecograph(root, cap, log, limits=True)  # what is measured
    except (RuntimeError, TimeoutError) as exc:
        return {"error": str(exc)}
    with http.running(server):
        return asyncio.run(_phases(server.port, entities[:20], seconds))
