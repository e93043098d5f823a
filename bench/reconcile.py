"""Reconciliation at scale: batches of 1,000 names against ``ecograph serve --store``.

The names are organisations of the generated graph, spelt as curators type them in a
spreadsheet (lower case, no accents, a hyphen for a space in every other one), sent as one
0.2 batch (``POST /reconcile``, form field ``queries``) as OpenRefine sends them. The first
batch also builds the server's name index; the next ones show the steady cost. A batch counts
as right when the top candidate of each query is the organisation it was made from.
"""

from __future__ import annotations

import json
import statistics
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench import http
from ecograph.rdf.text import fold

ECO = "https://w3id.org/ecograph/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ECOID = "https://w3id.org/ecograph/id/"
BATCH = 1000


def curator_spelling(name: str, hyphens: bool) -> str:
    """As curators type: "Università di Bèrgamo" → "universita di bergamo" (or hyphens)."""
    plain = fold(name)  # what a curator's keyboard gives: lower case, no accents
    return "-".join(plain.split()) if hyphens else " ".join(plain.split())


def names(root: Path, count: int = BATCH) -> list[tuple[str, str]]:
    """(entity id, name) of the first ``count`` organisations (by IRI) whose name, accents and
    case aside, no other entity bears."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(root / "dist" / "store"))
    solutions = store.query(
        f"SELECT ?s ?label ?org WHERE {{ ?s <{RDFS}label> ?label . "
        f"OPTIONAL {{ ?s a ?org . FILTER (?org = <{ECO}Organisation>) }} }}",
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    bearers: dict[str, set[str]] = {}
    organisations: dict[str, str] = {}
    for row in solutions:
        entity, label = str(row["s"].value), str(row["label"].value)
        bearers.setdefault(curator_spelling(label, hyphens=False), set()).add(entity)
        if row["org"] is not None and entity.startswith(ECOID):
            organisations.setdefault(entity, label)
    del store
    unique = [
        (entity[len(ECOID) :], label)
        for entity, label in sorted(organisations.items())
        if len(bearers[curator_spelling(label, hyphens=False)]) == 1
    ]
    return unique[:count]


def _post(port: int, queries: dict[str, Any], timeout: float) -> tuple[float, dict[str, Any]]:
    body = urllib.parse.urlencode({"queries": json.dumps(queries)}).encode("utf-8")
    request = urllib.request.Request(
        f"http://{http.HOST}:{port}/reconcile",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: dict[str, Any] = json.loads(response.read())
    return time.perf_counter() - started, data


def measure_reconcile(root: Path, repeat: int, cap: float, log: Path) -> dict[str, Any]:
    """Seconds per batch of :data:`BATCH` queries (first, then the median of ``repeat``),
    queries per second, and how many top candidates were right."""
    chosen = names(root)
    queries = {
        f"q{i}": {"query": curator_spelling(name, hyphens=i % 2 == 0), "limit": 3}
        for i, (_, name) in enumerate(chosen)
    }
    try:
        server = http.start_ecograph(root, cap, log)
    except (RuntimeError, TimeoutError) as exc:
        return {"error": str(exc)}
    with http.running(server):
        first, data = _post(server.port, queries, cap)
        runs = [_post(server.port, queries, cap)[0] for _ in range(max(repeat, 1))]
    right = sum(
        1
        for i, (identifier, _) in enumerate(chosen)
        if (data[f"q{i}"]["result"] or [{}])[0].get("id") == identifier
    )
    matched = sum(
        1
        for i, (identifier, _) in enumerate(chosen)
        if any(c.get("match") and c["id"] == identifier for c in data[f"q{i}"]["result"])
    )
    batch = statistics.median(runs)
    return {
        "queries": len(chosen),
        "first_batch": first,
        "batch": batch,
        "runs": runs,
        "qps": len(chosen) / batch if batch else None,
        "top_right": right,
        "matched": matched,
    }
