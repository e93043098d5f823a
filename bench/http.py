"""The HTTP benchmark: servers started on the same data, and a load generator to measure them.

The load generator speaks HTTP/1.1 over raw asyncio streams with keep-alive instead of using
httpx: httpx spends ~0.3 ms of client CPU per request, which on a 2-core machine would make
the client, not the server, the bottleneck on cheap routes (the trivial-route ceiling and
lookups run at thousands of requests per second). A pre-built request and a minimal response
parser (Content-Length or chunked) cost a few microseconds. Only loopback is ever contacted,
and every run is bounded both in requests and in seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

HOST = "127.0.0.1"
SPARQL_JSON = "application/sparql-results+json"
BIN = Path(sys.executable).parent


@dataclass
class LoadResult:
    """Throughput and latency of one (server, request mix, concurrency) cell."""

    requests: int
    errors: int
    timeouts: int
    seconds: float
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class _Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, payload: bytes) -> tuple[int, int]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=1 << 22)
        reader, writer = self.reader, self.writer
        writer.write(payload)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length: int | None = None
        chunked = close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            key = name.strip().lower()
            if key == b"content-length":
                length = int(value)
            elif key == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif key == b"connection" and b"close" in value.lower():
                close = True
        size = 0
        if chunked:
            while True:
                line = await reader.readuntil(b"\r\n")
                chunk = int(line.split(b";")[0], 16)
                if chunk == 0:
                    await reader.readuntil(b"\r\n")
                    break
                await reader.readexactly(chunk + 2)
                size += chunk
        elif length is not None:
            await reader.readexactly(length)
            size = length
        else:
            size = len(await reader.read())
            close = True
        if close:
            self.close()
        return status, size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _payload(path: str, accept: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: {accept}\r\n"
        "User-Agent: ecograph-bench\r\n\r\n"
    ).encode()


async def _load(
    port: int,
    paths: Sequence[str],
    accept: str,
    clients: int,
    seconds: float,
    max_requests: int,
    timeout: float,
) -> LoadResult:
    payloads = itertools.cycle([_payload(p, accept) for p in paths])
    latencies: list[float] = []
    counters = {"errors": 0, "timeouts": 0, "bytes": 0, "issued": 0}
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        connection = _Connection(port)
        while time.perf_counter() < deadline and counters["issued"] < max_requests:
            counters["issued"] += 1
            payload = next(payloads)
            started = time.perf_counter()
            try:
                status, size = await asyncio.wait_for(connection.request(payload), timeout)
            except TimeoutError:
                counters["timeouts"] += 1
                connection.close()
                continue
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                counters["errors"] += 1
                connection.close()
                continue
            if status != 200:
                counters["errors"] += 1
                continue
            latencies.append(time.perf_counter() - started)
            counters["bytes"] += size
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def quantile(q: float) -> float | None:
        if not ordered:
            return None
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return LoadResult(
        requests=len(ordered),
        errors=counters["errors"],
        timeouts=counters["timeouts"],
        seconds=elapsed,
        rps=len(ordered) / elapsed if elapsed > 0 else 0.0,
        p50_ms=quantile(0.5),
        p99_ms=quantile(0.99),
        bytes=counters["bytes"],
    )


def load(
    port: int,
    paths: Sequence[str],
    *,
    accept: str = SPARQL_JSON,
    clients: int = 1,
    seconds: float = 5.0,
    max_requests: int = 20_000,
    timeout: float = 30.0,
    warmup: float = 0.5,
) -> LoadResult:
    """Send GETs for ``paths`` (round robin) from ``clients`` concurrent connections."""
    if warmup > 0:
        asyncio.run(_load(port, paths, accept, clients, warmup, 1_000, timeout))
    return asyncio.run(_load(port, paths, accept, clients, seconds, max_requests, timeout))


def sparql_path(endpoint: str, query: str) -> str:
    return f"{endpoint}?query={quote(query, safe='')}"


@dataclass
class Server:
    """A server process under test and how to ask it a SPARQL query."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    endpoint: str
    cold_start: float | None = None

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, accept: str, timeout: float) -> int:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        status: int = response.status
        return status


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], started: float, limit: float
) -> float:
    """Poll ``url`` until it answers 200; seconds since ``started`` (the process launch)."""
    while time.perf_counter() - started < limit:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            if _get(url, SPARQL_JSON, timeout=limit) == 200:
                return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.02)
    raise TimeoutError(f"no answer from {url} within {limit:.0f} s")


ASK = "ASK { ?s ?p ?o }"


#: The per-client limits off: the load generator is one client of many connections, and the
#: peers it is compared with have no such limits (bench/fairness.py measures them instead).
UNLIMITED = {"ECOGRAPH_CLIENT_PARALLEL_QUERIES": "0", "ECOGRAPH_CLIENT_QUERY_SECONDS": "0"}


def start_ecograph(root: Path, limit: float, log: Path, *, limits: bool = False) -> Server:
    """``ecograph serve --store`` on the persisted store of ``root/dist``; the per-client
    limits off unless ``limits``."""
    port = free_port()
    command = [
        str(BIN / "ecograph"),
        "--root",
        str(root),
        "serve",
        "--store",
        str(root / "dist" / "store"),
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    return _start(
        "ecograph", command, port, "/sparql", limit, log, env=None if limits else UNLIMITED
    )


def start_oxigraph(root: Path, limit: float, log: Path) -> Server:
    """``oxigraph serve-read-only`` (the PyPI ``oxigraph`` package) on the same store."""
    port = free_port()
    command = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(root / "dist" / "store"),
        "--bind",
        f"{HOST}:{port}",
        "--union-default-graph",
    ]
    return _start("oxigraph serve", command, port, "/query", limit, log)


def start_rdflib_endpoint(root: Path, limit: float, log: Path) -> Server:
    """``rdflib-endpoint serve`` on the published N-Triples dump (rdflib's memory store)."""
    port = free_port()
    command = [
        str(BIN / "rdflib-endpoint"),
        "serve",
        str(root / "dist" / "ecograph.nt"),
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    return _start("rdflib-endpoint", command, port, "/", limit, log)


def _start(
    name: str,
    command: list[str],
    port: int,
    endpoint: str,
    limit: float,
    log: Path,
    env: dict[str, str] | None = None,
) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    server = Server(name, process, port, endpoint)
    try:
        url = f"http://{HOST}:{port}{sparql_path(endpoint, ASK)}"
        server.cold_start = wait_until_answering(url, process, started, limit)
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        server.stop()


def median_cold_start(
    start: Any, root: Path, repeat: int, limit: float, log: Path
) -> tuple[float | None, list[float]]:
    """Start and stop the server ``repeat`` times; the median time to its first answer."""
    times = []
    for _ in range(repeat):
        server = start(root, limit, log)
        server.stop()
        if server.cold_start is not None:
            times.append(server.cold_start)
    return (statistics.median(times) if times else None), times
