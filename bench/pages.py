"""The pages benchmark: each kind of page (home, entity, link, search, query, explore), cold, warm.

**Cold** is the first request for the page on a freshly started ``ecograph serve --store``, sent
the moment the server first answers (an ``ASK`` at ``/sparql``): nothing the page needs is
computed yet, and the server's start-up warm-up (``serve/views/kept.py``) is still running
beside it, so this is the worst case a first visitor meets. Each kind gets a server of its own.
With it, the CPU seconds the server and its workers spent while that request was in flight
(the warm-up's included).
**Warm** is then a load cell of one client on that server (requests/s, p50 and p99), cycling
through several pages of the kind (entities and links from the generated data, several search
words), so that a warm entity page is not simply the same page again; with the CPU time the
server and its workers spent per request, which other work on the machine changes far less
than latency.
"""

from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph

from bench import http

ECO = "https://w3id.org/ecograph/ontology#"
BASE = "https://w3id.org/ecograph"
HTML = "text/html,application/xhtml+xml"
KINDS = ("home", "entity", "link", "search", "query", "explore")
SEARCHES = ("univ", "park", "innovation", "centre", "rosso", "agency", "milano", "tech")


def _iris(store: pyoxigraph.Store, query: str) -> list[str]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return [str(s[0].value) for s in solutions]


def page_paths(root: Path) -> dict[str, list[str]]:
    """Paths of each kind of page, taken from the generated data: organisations that take
    part in activities (their pages list links), links, search words, catalogue queries."""
    store = pyoxigraph.Store.read_only(str(root / "dist" / "store"))
    orgs = _iris(
        store,
        f"SELECT DISTINCT ?s WHERE {{ ?a <{ECO}participant> ?s . ?s <{ECO}memberOf> ?c }}"
        " ORDER BY ?s LIMIT 20",
    )
    links = _iris(store, f"SELECT ?s WHERE {{ ?s a <{ECO}CrossBorderLink> }} ORDER BY ?s LIMIT 20")
    del store
    return {
        "home": ["/"],
        "entity": [iri[len(BASE) :] for iri in orgs],
        "link": [iri[len(BASE) :] for iri in links],
        "search": [f"/search?q={word}" for word in SEARCHES],
        "query": ["/query", "/query?name=ecosystems", "/query?name=cross-border-links"],
        "explore": ["/explore"],
    }


def _get(port: int, path: str, timeout: float) -> tuple[float, int]:
    request = urllib.request.Request(f"http://{http.HOST}:{port}{path}", headers={"Accept": HTML})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        status: int = response.status
    return time.perf_counter() - started, status


def group_cpu_seconds(group: int) -> float:
    """User and system CPU seconds of every live process in the process group ``group`` (the
    server and its query workers): steadier than latency on a machine that other work shares."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure_pages(
    root: Path, seconds: float, cap: float, timeout: float, log: Path
) -> dict[str, Any]:
    """Per kind of page: the cold first request, and a warm load cell."""
    paths = page_paths(root)
    result: dict[str, Any] = {"cold": {}, "warm": {}, "paths": paths}
    for kind in KINDS:
        print(f"    pages {kind}", flush=True)
        try:
            server = http.start_ecograph(root, cap, log)
        except (RuntimeError, TimeoutError) as exc:
            result["cold"][kind] = {"error": str(exc)}
            continue
        with http.running(server):
            try:
                before = group_cpu_seconds(server.process.pid)
                took, status = _get(server.port, paths[kind][0], timeout)
                used = group_cpu_seconds(server.process.pid) - before
                result["cold"][kind] = {"seconds": took, "status": status, "cpu_seconds": used}
            except OSError as exc:
                result["cold"][kind] = {"error": str(exc)}
            http.load(server.port, paths[kind], accept=HTML, clients=1, seconds=0.5)
            before = group_cpu_seconds(server.process.pid)
            cell = http.load(
                server.port, paths[kind], accept=HTML, clients=1, seconds=seconds,
                timeout=timeout, warmup=0,
            ).to_json()  # fmt: skip
            used = group_cpu_seconds(server.process.pid) - before
            cell["cpu_ms_per_request"] = (
                1000 * used / cell["requests"] if cell["requests"] else None
            )
            result["warm"][kind] = cell
    return result
