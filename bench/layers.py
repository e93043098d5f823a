"""Where one ``/sparql`` request spends its time, layer by layer: ``python -m bench.layers``.

The HTTP table of :mod:`bench.run` says how far ecograph's endpoint is from ``oxigraph serve``;
this says why. The same requests as the HTTP mix are timed, in process and one at a time:

1. ``engine``: ``Store.query`` on the persisted store and every row read (what Oxigraph does);
2. ``safety check``: :func:`ecograph.store.safety.analyse`, rdflib's parse of the query, for
   the texts :func:`~ecograph.store.safety.needs_analysis` sends to it;
3. ``backend``: :class:`~ecograph.store.embedded.EmbeddedBackend` ``query`` — the worker
   process round trip, the rows as wire terms and back as rdflib terms;
4. ``HTTP``: one client against ``ecograph serve`` (the rest: routing, negotiation, writing the
   results, uvicorn), next to ``oxigraph serve`` on the same store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import http
from bench.generate import ROOT


def _median_ms(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(root: Path, repeat: int, seconds: float) -> dict[str, Any]:
    import pyoxigraph

    from bench.run import _http_requests
    from ecograph.rdf.namespaces import PREFIXES
    from ecograph.store.embedded import EmbeddedBackend
    from ecograph.store.safety import analyse, needs_analysis

    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    requests = _http_requests(root, manifest)
    kinds = ("lookup", "join", "aggregate", "path")
    store = pyoxigraph.Store.read_only(str(root / "dist" / "store"))
    result: dict[str, Any] = {}
    for kind in kinds:
        text = requests[kind][0]

        def engine(text: str = text) -> None:
            solutions = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            for solution in solutions:
                for value in solution:
                    del value

        def check(text: str = text) -> None:
            analyse(text)

        result[kind] = {
            "engine_ms": _median_ms(engine, repeat),
            "analysed": needs_analysis(text),
            "safety_check_ms": _median_ms(check, repeat),
        }

    async def backend_times() -> dict[str, float]:
        backend = EmbeddedBackend(path=root / "dist" / "store", workers=1)
        await backend.start()
        found = {}
        try:
            for kind in kinds:
                text = requests[kind][0]
                await backend.query(text)
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    await backend.query(text)
                    times.append(time.perf_counter() - started)
                found[kind] = statistics.median(times) * 1000
        finally:
            await backend.close()
        return found

    for kind, value in asyncio.run(backend_times()).items():
        result[kind]["backend_ms"] = value
    log = ROOT / "bench" / "results" / "servers.log"
    for name, start in (("ecograph", http.start_ecograph), ("oxigraph", http.start_oxigraph)):
        server = start(root, 120, log)
        with http.running(server):
            for kind in kinds:
                path = http.sparql_path(server.endpoint, requests[kind][0])
                cell = http.load(server.port, [path], clients=1, seconds=seconds)
                result[kind][f"http_{name}_ms"] = cell.p50_ms
    return result


def render(result: dict[str, Any]) -> str:
    lines = [
        "| request | engine | safety check (if run) | backend (workers) | HTTP ecograph "
        "| HTTP oxigraph serve |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind, row in result.items():
        check = f"{row['safety_check_ms']:.2f} ms" + ("" if row["analysed"] else " (skipped)")
        lines.append(
            f"| {kind} | {row['engine_ms']:.2f} ms | {check} | {row['backend_ms']:.2f} ms | "
            f"{row['http_ecograph_ms']:.2f} ms | {row['http_oxigraph_ms']:.2f} ms |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    result = measure(args.data / args.scale, args.repeat, args.seconds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"layers-{args.scale}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
