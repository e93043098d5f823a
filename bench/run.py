"""The benchmark, in one command: ``python -m bench.run [--scales 10k,100k,1m] [--repeat 3]``.

For each scale it generates the data (:mod:`bench.generate`, reused when already there), then
measures, each in its own process (:mod:`bench.measure`, :mod:`bench.tasks`):

- **build**: ecograph's pipeline per phase (parse, reason, derive, validate, publish) against the
  obvious path (rdflib parse, owlrl closure, pyshacl validation, rdflib serialisation);
- **queries**: every catalogue query on pyoxigraph (ecograph's engine) and on rdflib's engine;
- **pages**: each kind of page (home, entity, link, search, query, explore), cold and warm
  (:mod:`bench.pages`);
- **reconcile**: a batch of 1,000 reconciliation queries (names as curators type them) sent to
  ``POST /reconcile`` of ``ecograph serve --store``: seconds and queries per second
  (:mod:`bench.reconcile`);
- **http**: ``/sparql`` throughput and p50/p99 latency against ``oxigraph serve`` and
  ``rdflib-endpoint`` on the same data, the app's own trivial-route ceiling, entity JSON-LD at
  ``/id/…``, and the cold start of ``ecograph serve --store``.

Every figure is the median of ``--repeat`` runs (long runs are not repeated, see
:func:`bench.measure.repeat_task`) and is shown next to its peer from the same run as a ratio.
A peer that cannot finish under ``--cap`` seconds per phase is reported as "> cap", never
dropped. Results go to ``--out``: ``latest.md`` (the tables) and ``latest.json`` (every raw
number), rewritten after each section so a long run leaves what it measured.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import explore, fairness, generate, http, pages, reconcile, report
from bench.measure import Outcome, repeat_task, run_task, summarise, task_command

ROOT = Path(__file__).resolve().parent.parent
BUILD_PHASES = ("parse", "reason", "derive", "validate", "publish")
VALIDATE_STEPS = ("declared", "dangling", "quotes", "duplicates", "shacl")
PACKAGES = (
    "rdflib",
    "pyoxigraph",
    "oxigraph",
    "pyshacl",
    "owlrl",
    "fastapi",
    "uvicorn",
    "rdflib-endpoint",
)
ECO = "https://w3id.org/ecograph/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def machine() -> dict[str, Any]:
    """What the numbers were measured on: CPU, cores, RAM, Python, packages, commit."""
    cpu = platform.processor() or "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory_kb = int(line.split()[1])
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "packages": versions,
        "commit": commit or None,
    }


def ensure_data(data_dir: Path, scale: str, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated project for ``scale``; regenerated only when missing or different."""
    root = data_dir / scale
    target = generate.parse_scale(scale)
    manifest_path = root / "manifest.json"
    if manifest_path.is_file():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("target_triples") == target and manifest.get("seed") == seed:
            return root, manifest
    print(f"[{scale}] generating {target} triples into {root}", flush=True)
    return root, generate.generate(root, target, seed=seed)


# ------------------------------------------------------------------------------------ build


def _build_side(outcomes: Sequence[Outcome], cap: float) -> dict[str, Any]:
    """Per phase median of the ecograph build runs."""
    names = [
        "parse",
        "reason",
        "derive",
        "validate",
        "build",
        "publish",
        *(f"validate.{s}" for s in VALIDATE_STEPS),
    ]
    summary = summarise(outcomes, names)
    summary["cap"] = cap
    summary["extra"] = outcomes[-1].extra if outcomes else {}
    return summary


def measure_ecograph_build(root: Path, repeat: int, cap: float, budget: float) -> dict[str, Any]:
    """The build, step by step; a check that runs into the cap is skipped in a further run, so
    that the checks after it are measured too (and the capped one shows as "> cap")."""
    skip: list[str] = []
    runs = repeat_task(
        task_command("ecograph-build", "--root", str(root)), cap, repeat, budget=budget
    )
    summary = _build_side(runs, cap)
    capped_steps: list[str] = []
    while (capped := runs[-1].capped) and capped.startswith("validate.") and capped not in skip:
        capped_steps.append(capped)
        skip.append(capped)
        command = task_command("ecograph-build", "--root", str(root), "--skip", ",".join(skip))
        runs = [run_task(command, cap)]
        more = _build_side(runs, cap)
        for step in VALIDATE_STEPS:
            name = f"validate.{step}"
            if summary.get(name) is None and more.get(name) is not None:
                summary[name] = more[name]
        summary["peak_rss_kb"] = max(summary["peak_rss_kb"], more["peak_rss_kb"])
        summary["extra"] = more["extra"] or summary["extra"]
    summary["capped_steps"] = capped_steps
    steps = [summary[f"validate.{s}"] for s in VALIDATE_STEPS]
    complete = not capped_steps and all(s is not None for s in steps)
    # The checks run side by side: the phase is their wall time, not the sum of their seconds.
    if not complete:
        summary["validate"] = None
    elif summary.get("validate") is None:  # a build from before the checks ran side by side
        summary["validate"] = sum(s for s in steps if s is not None)
    summary["validate_partial"] = sum(s for s in steps if s is not None)
    if capped_steps or (summary["capped"] or "").startswith("validate"):
        summary["capped"] = "validate"
    return summary


def measure_build(root: Path, repeat: int, cap: float, budget: float) -> dict[str, Any]:
    """ecograph's build and publish, and the obvious path, on one generated project."""
    args = ("--root", str(root))
    ecograph = measure_ecograph_build(root, repeat, cap, budget)
    ecograph["quads"] = (ecograph.get("extra") or {}).get("quads")

    peer_runs = repeat_task(task_command("peer-build", *args), cap, repeat, budget=budget)
    peer = summarise(peer_runs, ["parse", "reason", "validate", "publish"])
    peer["cap"] = cap
    peer["extra"] = peer_runs[-1].extra
    peer["notes"] = []
    capped = peer["capped"]
    if capped in {"reason", "validate"}:
        # Measure what the cap kept the peer from reaching, skipping what cannot finish.
        skip = "reason" if capped == "reason" else "reason,validate"
        fallback = run_task(task_command("peer-build", *args, "--skip", skip), cap)
        peer["fallback"] = fallback.to_json()
        for name in ("validate", "publish"):
            if peer.get(name) is None and fallback.total(name) is not None:
                peer[name] = fallback.total(name)
                peer["notes"].append(
                    f"{name} measured in a second run skipping {skip}, on the asserted graph"
                )
        peer["fallback_capped"] = fallback.capped
        peer["peak_rss_kb"] = max(peer["peak_rss_kb"], fallback.peak_rss_kb)
        if fallback.capped == "validate" and peer.get("publish") is None:
            # Neither owlrl nor pyshacl finished: publish the asserted graph alone.
            last = run_task(task_command("peer-build", *args, "--skip", "reason,validate"), cap)
            if last.total("publish") is not None:
                peer["publish"] = last.total("publish")
                peer["notes"].append(
                    "publish measured in a third run skipping reason,validate, on the asserted"
                    " graph"
                )
            peer["peak_rss_kb"] = max(peer["peak_rss_kb"], last.peak_rss_kb)
    return {"ecograph": ecograph, "peer": peer}


# ------------------------------------------------------------------------------------ queries


def measure_queries(
    root: Path, repeat: int, cap: float, query_cap: float, budget: float
) -> dict[str, Any]:
    """Every catalogue query on pyoxigraph and on rdflib. A query past ``query_cap`` is stopped
    inside the task (the loaded graph survives); should that fail, the task is killed at
    ``cap`` and resumed with the queries left."""
    names = sorted(p.stem for p in (root / "queries").glob("*.rq"))
    engines: dict[str, Any] = {}
    for engine in ("oxigraph", "rdflib"):
        results: dict[str, Any] = {}
        remaining = list(names)
        load_times: list[float] = []
        peak = 0
        while remaining:
            command = task_command(
                "queries",
                "--root",
                str(root),
                "--engine",
                engine,
                "--repeat",
                str(repeat),
                "--budget",
                str(budget),
                "--cap",
                str(query_cap),
                "--only",
                ",".join(remaining),
            )
            outcome = run_task(command, cap)
            peak = max(peak, outcome.peak_rss_kb)
            if outcome.capped == "load":
                break
            load_times += outcome.phases.get("load", [])
            for name in list(remaining):
                times = outcome.phases.get(f"query:{name}")
                if times and f"rows:{name}" in outcome.extra:
                    results[name] = {
                        "seconds": statistics.median(times),
                        "runs": len(times),
                        "rows": outcome.extra[f"rows:{name}"],
                    }
                    remaining.remove(name)
            for phase_name in outcome.extra.get("capped", []):
                name = phase_name.split(":", 1)[1]
                if name in remaining:
                    results[name] = {"seconds": None, "capped": query_cap}
                    remaining.remove(name)
            capped = outcome.capped or ""
            if capped.startswith("query:"):
                name = capped.split(":", 1)[1]
                results[name] = {"seconds": None, "capped": cap}
                remaining.remove(name)
            elif outcome.capped or outcome.error:
                for name in remaining:
                    results[name] = {"seconds": None, "error": outcome.error or outcome.capped}
                break
        engines[engine] = {
            "queries": results,
            "load_seconds": statistics.median(load_times) if load_times else None,
            "peak_rss_kb": peak,
        }
    return engines


# ------------------------------------------------------------------------------------ http


def _http_requests(root: Path, manifest: dict[str, Any]) -> dict[str, list[str]]:
    """SPARQL texts of the HTTP mix, with IRIs taken from the generated data."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(root / "dist" / "store"))
    solutions = store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s <{ECO}memberOf> ?c }} ORDER BY ?s LIMIT 200",
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    orgs = [str(solution["s"].value) for solution in solutions]
    del store
    params = manifest.get("query_params", {})
    region = params.get("actors-of-region-by-kind", {}).get("region")
    return {
        "lookup": [f"SELECT ?p ?o WHERE {{ <{org}> ?p ?o }}" for org in orgs],
        "join": [
            f"SELECT DISTINCT ?other ?label WHERE {{ ?activity <{ECO}participant> <{org}> ; "
            f"<{ECO}participant> ?other . ?other <{RDFS}label> ?label }}"
            for org in orgs
        ],
        "aggregate": [
            f"SELECT ?ecosystem (COUNT(?actor) AS ?actors) WHERE {{ ?ecosystem <{ECO}actor> "
            "?actor } GROUP BY ?ecosystem ORDER BY DESC(?actors) LIMIT 20"
        ],
        "path": [
            f"SELECT (COUNT(DISTINCT ?org) AS ?n) WHERE {{ ?org <{ECO}locatedIn>/"
            f"<{ECO}directlyWithin>* <{region}> }}"
        ],
        "entities": [org[len("https://w3id.org/ecograph") :] for org in orgs],
    }


def measure_http(
    root: Path,
    manifest: dict[str, Any],
    repeat: int,
    clients: Sequence[int],
    seconds: float,
    cap: float,
    timeout: float,
    log: Path,
) -> dict[str, Any]:
    requests = _http_requests(root, manifest)
    result: dict[str, Any] = {"clients": list(clients), "seconds": seconds, "servers": {}}
    result["cold_start"] = measure_cold_start(root, repeat, cap, log)
    starters = {
        "ecograph": http.start_ecograph,
        "oxigraph serve": http.start_oxigraph,
        "rdflib-endpoint": http.start_rdflib_endpoint,
    }
    for name, start in starters.items():
        cells: dict[str, Any] = {}
        try:
            server = start(root, cap, log)
        except (RuntimeError, TimeoutError) as exc:
            result["servers"][name] = {"error": str(exc)}
            continue
        with http.running(server):
            result["cold_start"][name + " (first start)"] = server.cold_start
            if name == "ecograph":  # before any other explore request: its first is cold
                print("    ecograph /api/explore", flush=True)
                result["explore"] = explore.measure(server.port, timeout=max(timeout, cap))
            for kind in ("lookup", "join", "aggregate", "path"):
                paths = [http.sparql_path(server.endpoint, q) for q in requests[kind]]
                for n in clients:
                    print(f"    {name} {kind} x{n}", flush=True)
                    cells[f"{kind}/{n}"] = http.load(
                        server.port, paths, clients=n, seconds=seconds, timeout=timeout
                    ).to_json()
            if name == "ecograph":
                for n in clients:
                    cells[f"trivial/{n}"] = http.load(
                        server.port, ["/api/queries"], accept="application/json", clients=n,
                        seconds=seconds,
                    ).to_json()  # fmt: skip
                    cells[f"entity/{n}"] = http.load(
                        server.port, requests["entities"], accept="application/ld+json",
                        clients=n, seconds=seconds, timeout=timeout,
                    ).to_json()  # fmt: skip
        result["servers"][name] = cells
    return result


def measure_cold_start(root: Path, repeat: int, cap: float, log: Path) -> dict[str, Any]:
    """Median seconds from ``ecograph serve --store`` to its first answer."""
    try:
        cold, runs = http.median_cold_start(http.start_ecograph, root, repeat, cap, log)
    except (RuntimeError, TimeoutError) as exc:
        return {"ecograph": None, "error": str(exc)}
    return {"ecograph": cold, "ecograph_runs": runs}


# ------------------------------------------------------------------------------------ main


def save(results: dict[str, Any], out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    markdown = report.render(results)
    (out / "latest.md").write_text(markdown, encoding="utf-8")
    return markdown


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", default="10k,100k,1m", help="e.g. 10k,100k,1m (or 10m)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds a phase may take")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="no repeat after a run this long"
    )
    parser.add_argument("--query-cap", type=float, default=60.0, help="seconds per query")
    parser.add_argument("--http-timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--sections", default="build,queries,http,pages,reconcile,fairness")
    parser.add_argument("--http-scales", default="100k,1m", help="scales of the HTTP section")
    parser.add_argument("--http-seconds", type=float, default=5.0, help="per load cell")
    parser.add_argument("--clients", default="1,8", help="concurrent clients per load cell")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")
    parser.add_argument(
        "--merge", action="store_true", help="add to the results in --out instead of replacing"
    )
    args = parser.parse_args(argv)
    scales = [s.strip().lower() for s in args.scales.split(",") if s.strip()]
    sections = {s.strip() for s in args.sections.split(",")}
    http_scales = {s.strip().lower() for s in args.http_scales.split(",")}
    clients = [int(c) for c in args.clients.split(",")]
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "scales": scales,
            "repeat": args.repeat,
            "cap": args.cap,
            "budget": args.budget,
            "http_seconds": args.http_seconds,
            "http_timeout": args.http_timeout,
            "query_cap": args.query_cap,
            "clients": clients,
            "seed": args.seed,
        },
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "scales": {},
    }
    previous = args.out / "latest.json"
    if args.merge and previous.is_file():
        kept = json.loads(previous.read_text(encoding="utf-8"))
        kept.setdefault("scales", {})
        results = {**kept, "merged": results["settings"]}
    log = args.out / "servers.log"
    for scale in scales:
        root, manifest = ensure_data(args.data, scale, args.seed)
        entry: dict[str, Any] = results["scales"].get(scale, {})
        entry.update(
            triples=manifest["triples"],
            articles=manifest["articles"],
            entities=sum(manifest["entities"].values()),
        )
        results["scales"][scale] = entry
        if "build" in sections:
            print(f"[{scale}] build", flush=True)
            entry["build"] = measure_build(root, args.repeat, args.cap, args.budget)
            save(results, args.out)
        elif not (root / "dist" / "store").exists():
            print(f"[{scale}] publishing the graph the queries run on", flush=True)
            run_task(task_command("ecograph-build", "--root", str(root)), args.cap)
        if "queries" in sections:
            print(f"[{scale}] queries", flush=True)
            entry["queries"] = measure_queries(
                root, args.repeat, args.cap, args.query_cap, args.budget / 2
            )
            save(results, args.out)
        if "http" in sections:
            if scale in http_scales:
                print(f"[{scale}] http", flush=True)
                entry["http"] = measure_http(
                    root,
                    manifest,
                    args.repeat,
                    clients,
                    args.http_seconds,
                    args.cap,
                    args.http_timeout,
                    log,
                )
            else:
                print(f"[{scale}] cold start", flush=True)
                entry["http"] = {"cold_start": measure_cold_start(root, args.repeat, args.cap, log)}
            save(results, args.out)
        if "pages" in sections and scale in http_scales:
            print(f"[{scale}] pages", flush=True)
            entry["pages"] = pages.measure_pages(
                root, args.http_seconds, args.cap, args.http_timeout, log
            )
            save(results, args.out)
        if "reconcile" in sections and scale in http_scales:
            print(f"[{scale}] reconcile", flush=True)
            entry["reconcile"] = reconcile.measure_reconcile(root, args.repeat, args.cap, log)
            save(results, args.out)
        if "fairness" in sections and scale in http_scales:
            print(f"[{scale}] fairness", flush=True)
            entities = _http_requests(root, manifest)["entities"]
            entry["fairness"] = fairness.measure_fairness(
                root, entities, max(args.http_seconds, 10.0), args.cap, log
            )
            save(results, args.out)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    markdown = save(results, args.out)
    if args.readme:
        report.write_readme(ROOT / "README.md", results)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
