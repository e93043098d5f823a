"""Running the build's independent, read-only steps side by side.

Oxigraph evaluates a query and writes a dump without holding the GIL, so the checks of a build
and the files of a publication, which only read the store, overlap on as many cores as there
are; the Python work around them is small. Threads rather than processes: the store is in
memory and shared, and a process would have to rebuild it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def run_all(jobs: Sequence[Callable[[], T]], threads: int) -> list[T]:
    """Every job's result, in the jobs' order.

    The first failure is raised once every job already started has ended, and the jobs not
    yet started are dropped: a caller that cleans up after an error (``publishing`` removes
    its staging folder) never races a job still writing.
    """
    if threads <= 1 or len(jobs) <= 1:
        return [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures: list[Future[T]] = [pool.submit(job) for job in jobs]
        try:
            return [future.result() for future in futures]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
