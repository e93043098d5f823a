"""What each measurement runs, in a process of its own: ``python -m bench.tasks TASK ...``.

One process per measurement, so that peak memory (``ru_maxrss``) belongs to that measurement
alone and a run past its time cap can be killed without losing the phases it finished. The
process reports on stdout, one ``@@``-prefixed JSON event per line (see :func:`emit`): the
start and the end of every phase, with wall seconds and the peak RSS so far.

The ecograph build is measured by running :func:`ecograph.build.pipeline.build` itself with its
steps wrapped by timers (rather than re-implementing it here), so the numbers stay those of
the real pipeline as it evolves; a step it no longer calls simply stops being reported.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MARK = "@@"
_EMITTING = threading.Lock()


def emit(**event: Any) -> None:
    """One event for the parent process, flushed at once (the parent may kill us any time);
    one write per line under a lock, since the build's checks run on several threads."""
    line = MARK + json.dumps(event, default=str) + "\n"
    with _EMITTING:
        sys.stdout.write(line)
        sys.stdout.flush()


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@contextmanager
def phase(name: str) -> Iterator[None]:
    emit(start=name)
    started = time.perf_counter()
    yield
    emit(phase=name, seconds=time.perf_counter() - started, rss_kb=peak_rss_kb())


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with phase(name):
            return function(*args, **kwargs)

    return wrapper


# Steps of ecograph.build.pipeline.build → the phase they are reported under. The checks run side by
# side within ``validate`` (see ecograph.build.parallel): their own seconds overlap, and the
# validate phase is the wall time of all of them.
BUILD_STEPS: dict[str, str] = {
    "parse_files": "parse",
    "load_file": "parse",
    "check_literals": "parse",
    "infer_into": "reason",
    "derive_into": "derive",
    "validate": "validate",
    "check_declared": "validate.declared",
    "check_dangling": "validate.dangling",
    "check_evidence": "validate.quotes",  # the source texts, their checksums and every quote
    "check_duplicates": "validate.duplicates",
    "check_shacl": "validate.shacl",
}


def _settings(root: Path) -> Any:
    from ecograph.settings import Settings

    return Settings(root=root)


def task_ecograph_build(root: Path, skip: Sequence[str], out: Path) -> None:
    """``ecograph build --store`` on the generated project, step by step, into ``out``.

    The published store is what the query and HTTP benchmarks then open.
    """
    from ecograph.build import pipeline as building
    from ecograph.build.publish import publish

    for attribute, name in BUILD_STEPS.items():
        if hasattr(building, attribute):
            original = getattr(building, attribute)
            if name in skip:
                setattr(building, attribute, lambda *a, **k: [])
                emit(skipped=name)
            else:
                setattr(building, attribute, _timed(name, original))
    with phase("build"):
        result = building.build(_settings(root))
    with phase("publish"):
        publish(result, out, with_store=True)
    emit(
        extra={
            "conforms": result.report.conforms,
            "errors": len(result.report.errors),
            "warnings": len(result.report.warnings),
            "inferred": result.counts["inferred"],
            "derived": result.counts["derived"],
            "quads": len(result.store),
        }
    )


def task_peer_build(root: Path, skip: Sequence[str], out: Path) -> None:
    """The obvious path: rdflib parse, owlrl closure, pyshacl validation, rdflib serialise."""
    import owlrl
    import pyshacl
    from rdflib import Graph

    settings = _settings(root)
    graph = Graph()
    shapes = Graph()
    with phase("parse"):
        for path in (*settings.ontology_files, *settings.data_paths):
            graph.parse(path, format="turtle" if path.suffix == ".ttl" else "nt")
        for path in settings.shapes_files:
            shapes.parse(path, format="turtle")
    asserted = len(graph)
    if "reason" not in skip:
        with phase("reason"):
            owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    else:
        emit(skipped="reason")
    if "validate" not in skip:
        with phase("validate"):
            conforms, _, _ = pyshacl.validate(
                graph,
                shacl_graph=shapes,
                inference="none",
                advanced=True,
                allow_warnings=True,
            )
        emit(extra={"conforms": bool(conforms)})
    out.mkdir(parents=True, exist_ok=True)
    with phase("publish"):
        graph.serialize(out / "peer.ttl", format="turtle", encoding="utf-8")
        graph.serialize(out / "peer.nt", format="nt", encoding="utf-8")
    emit(extra={"asserted": asserted, "closure": len(graph)})


class QueryCapped(Exception):
    """A query ran past its time cap (raised from SIGALRM inside rdflib's Python evaluation)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a pure-Python evaluation after ``seconds``, so the process (and the graph it
    took minutes to load) survives a query that cannot finish; 0 means no limit."""
    if seconds <= 0:
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise QueryCapped

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def task_queries(
    dist: Path,
    engine: str,
    repeat: int,
    budget: float,
    cap: float,
    only: Sequence[str],
    params: Path,
) -> None:
    """Every catalogue query on one engine over the published graph, ``repeat`` times unless
    the repetitions of one query already took ``budget`` seconds."""
    from ecograph.rdf.catalogue import Catalogue

    manifest = json.loads(params.read_text(encoding="utf-8")) if params.is_file() else {}
    bindings: dict[str, dict[str, str]] = manifest.get("query_params", {})
    catalogue = Catalogue.load(dist.parent / "queries")
    run: Callable[[str], int]
    with phase("load"):
        if engine == "oxigraph":
            import pyoxigraph

            from ecograph.store.running import run_select

            store = pyoxigraph.Store.read_only(str(dist / "store"))

            def run(text: str) -> int:
                return len(run_select(store, text).rows)

        else:
            from rdflib import Graph

            graph = Graph()
            graph.parse(dist / "ecograph.nt", format="nt")

            def run(text: str) -> int:
                return len(list(graph.query(text)))

    for query in catalogue:
        if only and query.name not in only:
            continue
        text = query.render(query.bind(bindings.get(query.name, {})))
        rows: int | None = None
        started = time.perf_counter()
        for _ in range(repeat):
            try:
                with _time_limit(cap), phase(f"query:{query.name}"):
                    rows = run(text)
            except QueryCapped:
                if rows is None:
                    emit(capped=f"query:{query.name}")
                break
            if time.perf_counter() - started > budget:
                break
        if rows is not None:
            emit(extra={f"rows:{query.name}": rows})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one benchmark measurement (see bench/run.py)")
    parser.add_argument("task", choices=("ecograph-build", "peer-build", "queries"))
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip", default="", help="comma-separated phases not to run")
    parser.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per query")
    parser.add_argument("--cap", type=float, default=0.0, help="stop a query after this")
    parser.add_argument("--only", default="", help="comma-separated query names")
    args = parser.parse_args(argv)
    skip = [s for s in args.skip.split(",") if s]
    root = args.root.resolve()
    emit(pid=os.getpid(), python=sys.version.split()[0])
    if args.task == "ecograph-build":
        task_ecograph_build(root, skip, (args.out or root / "dist").resolve())
    elif args.task == "peer-build":
        scratch = Path(tempfile.mkdtemp(prefix="peer-", dir=root))
        try:
            task_peer_build(root, skip, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    else:
        only = [s for s in args.only.split(",") if s]
        task_queries(
            (args.out or root / "dist").resolve(),
            args.engine,
            args.repeat,
            args.budget,
            args.cap,
            only,
            root / "manifest.json",
        )
    emit(done=True, rss_kb=peak_rss_kb())
    return 0


if __name__ == "__main__":
    sys.exit(main())
