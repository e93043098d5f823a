"""Running one measurement in a child process, under a time cap, and reading what it reports.

Why a child process per measurement: ``ru_maxrss`` is a high-water mark of a whole process, so
peak memory is only meaningful if the process ran that measurement alone; and a peer that cannot
finish (owlrl or pyshacl at 1M triples) must be stopped at the cap without losing the phases it
did finish. The child (:mod:`bench.tasks`) reports each phase as it ends, the parent enforces a
per-phase cap, and ``os.wait4`` gives the peak RSS of exactly that child, killed or not.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.tasks import MARK

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Outcome:
    """What one child process reported: phase durations (a name may repeat), memory, status."""

    phases: dict[str, list[float]] = field(default_factory=dict)
    rss_kb: dict[str, int] = field(default_factory=dict)
    peak_rss_kb: int = 0
    wall: float = 0.0
    capped: str | None = None  # the phase that was running when the cap stopped the process
    error: str | None = None
    skipped: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def total(self, name: str) -> float | None:
        """All time spent in phases called ``name`` (a step may run several times)."""
        values = self.phases.get(name)
        return sum(values) if values else None

    def to_json(self) -> dict[str, Any]:
        return {
            "phases": self.phases,
            "rss_kb": self.rss_kb,
            "peak_rss_kb": self.peak_rss_kb,
            "wall": self.wall,
            "capped": self.capped,
            "error": self.error,
            "skipped": self.skipped,
            "extra": self.extra,
        }


def task_command(task: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "bench.tasks", task, *args]


def run_task(command: Sequence[str], cap: float, env: dict[str, str] | None = None) -> Outcome:
    """Run ``command`` (a :mod:`bench.tasks` invocation); kill it if one phase exceeds ``cap``."""
    outcome = Outcome()
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its own process group: the cap kills its workers too
        )

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith(MARK):
                    events.put(json.loads(line[len(MARK) :]))
            events.put(None)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        current: str | None = "startup"
        phase_started = time.perf_counter()
        while True:
            remaining = cap - (time.perf_counter() - phase_started)
            if remaining <= 0:
                outcome.capped = current or "between phases"
                _kill_group(process.pid)
                break
            try:
                event = events.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if event is None:
                break
            if "start" in event:
                current, phase_started = event["start"], time.perf_counter()
            elif "phase" in event:
                outcome.phases.setdefault(event["phase"], []).append(event["seconds"])
                outcome.rss_kb[event["phase"]] = event["rss_kb"]
                current, phase_started = None, time.perf_counter()
            elif "extra" in event:
                outcome.extra.update(event["extra"])
            elif "skipped" in event:
                outcome.skipped.append(event["skipped"])
            elif "capped" in event:  # the task stopped a step itself and went on
                outcome.extra.setdefault("capped", []).append(event["capped"])
                current, phase_started = None, time.perf_counter()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        outcome.wall = time.perf_counter() - started
        outcome.peak_rss_kb = usage.ru_maxrss
        reader.join(timeout=5)
        if outcome.capped is None and process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            outcome.error = " / ".join(tail) or f"exit status {process.returncode}"
    return outcome


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def repeat_task(
    command: Sequence[str],
    cap: float,
    repeat: int,
    *,
    budget: float = 60.0,
    env: dict[str, str] | None = None,
) -> list[Outcome]:
    """Run a measurement up to ``repeat`` times; stop repeating once one run took ``budget`` s.

    A build that takes minutes is not repeated three times: its spread is small next to its
    length, and the session's time is better spent on the next scale.
    """
    outcomes = []
    for _ in range(max(1, repeat)):
        outcome = run_task(command, cap, env)
        outcomes.append(outcome)
        if outcome.capped or outcome.error or outcome.wall > budget:
            break
    return outcomes


def summarise(outcomes: Sequence[Outcome], names: Sequence[str]) -> dict[str, Any]:
    """Per phase: the median over runs of the time spent in it, or the cap it ran into."""
    summary: dict[str, Any] = {"runs": len(outcomes)}
    for name in names:
        values = [t for o in outcomes if (t := o.total(name)) is not None]
        summary[name] = median(values)
    summary["peak_rss_kb"] = max((o.peak_rss_kb for o in outcomes), default=0)
    summary["capped"] = next((o.capped for o in outcomes if o.capped), None)
    summary["error"] = next((o.error for o in outcomes if o.error), None)
    return summary
