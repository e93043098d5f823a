"""The build's checks and published files run side by side (ecograph.build.parallel): the same
results as one after the other, in the same order, and no job left running after a failure."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_checks import HEADER

from ecograph.build import pipeline as building
from ecograph.build.parallel import run_all
from ecograph.settings import Settings


def _sleeper(value: int, seconds: float) -> Callable[[], int]:
    def job() -> int:
        time.sleep(seconds)
        return value

    return job


def test_results_come_in_the_order_of_the_jobs_not_of_their_ending() -> None:
    jobs = [_sleeper(i, 0.05 * (5 - i)) for i in range(5)]
    assert run_all(jobs, threads=3) == [0, 1, 2, 3, 4]


def test_a_failure_is_raised_only_once_every_started_job_has_ended() -> None:
    started: list[int] = []
    ended: list[int] = []
    lock = threading.Lock()

    def job(i: int) -> Callable[[], int]:
        def run() -> int:
            with lock:
                started.append(i)
            if i == 1:
                raise ValueError("job 1 failed")
            time.sleep(0.1)
            with lock:
                ended.append(i)
            return i

        return run

    with pytest.raises(ValueError, match="job 1 failed"):
        run_all([job(i) for i in range(20)], threads=2)
    assert sorted(ended) == sorted(i for i in started if i != 1)
    assert len(started) < 20  # the jobs not yet started were dropped


def test_the_report_is_the_same_on_one_thread_and_on_several(
    root: Path, schema: building.Schema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(building, "THREADS_FROM", 0)  # the project is below it
    path = tmp_path / "example.ttl"
    path.write_text(
        HEADER
        + """
o:x a eco:Cluster ; rdfs:label "X"@en ; eco:locatedInn place:it-77 ;
    eco:memberOf o:nowhere ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
o:y a eco:Cluster ; rdfs:label "x"@en ; eco:locatedIn place:it-77 ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
""",
        encoding="utf-8",
    )
    results = [
        building.build(Settings(root=root, build_threads=n), [path], schema=schema) for n in (1, 4)
    ]
    assert [result.threads for result in results] == [1, 4]
    reports = [json.loads(result.report.to_json()) for result in results]
    checks = {problem["check"] for problem in reports[0]["problems"]}
    assert {"declared-terms", "duplicate", "shacl"} <= checks, checks
    assert reports[0] == reports[1]


def test_a_small_graph_is_checked_on_one_thread(root: Path, schema: building.Schema) -> None:
    """Threads cost more than they save on small graphs (see ``building.THREADS_FROM``)."""
    small = building.build(Settings(root=root, build_threads=4), schema=schema)
    assert len(small.store) < building.THREADS_FROM
    assert small.threads == 1
