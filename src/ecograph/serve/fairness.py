"""Fair shares of the query workers, so that no single client can take the service from the
others (issue 12; numbers in docs/serving.md, "Many clients at once").

Two things, both in the server process, before a query reaches a worker:

- **Per-client limits**, as public endpoints have them (the Wikidata Query Service's
  parallel-query limit and query-time budget): at most ``client_parallel_queries`` queries of
  one client running at once (``/sparql`` and the catalogue API), and at most
  ``client_query_seconds`` seconds of query time in any minute. Past either: 429 with
  ``Retry-After`` and a message naming the limit (:class:`~ecograph.errors.ClientLimitReached`).
  The client is the peer address or, when the peer is a trusted proxy (``trusted_proxies``),
  the first address of ``X-Forwarded-For`` that is not a trusted proxy, read from the right:
  the entries to the left of it were written by the client and may be forged.
- **Capacity kept for the other routes**: ``/sparql`` holds at most ``sparql_workers`` of the
  query workers at once (all but ``reserved_workers``), so entity documents, search, the
  catalogue API and pages always find a worker free, whatever ``/sparql`` is asked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.requests import Request

from ecograph.errors import ClientLimitReached, QueryTimeout
from ecograph.settings import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
#: The window of the query-time budget, in seconds.
WINDOW = 60.0
#: Clients remembered before the idle ones are forgotten.
_SWEEP_ABOVE = 10_000


def _networks(entries: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def client_address(peer: str | None, forwarded: Sequence[str], trusted: Sequence[Network]) -> str:
    """Who a request comes from: ``peer`` (the socket's address), unless it is a trusted proxy;
    then the first ``X-Forwarded-For`` entry from the right that is not a trusted proxy (the
    leftmost, when all of them are). ``forwarded`` holds the header's values, in order."""
    if peer is None:
        return "unknown"
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


@dataclass
class _Client:
    running: int = 0
    spent: deque[tuple[float, float]] = field(default_factory=deque)  # (ended, seconds)
    #: The seconds in ``spent``, kept as they come and go: summing them at every request
    #: cost a millisecond per request at a thousand requests a minute.
    used: float = 0.0

    def charge(self, ended: float, seconds: float) -> None:
        self.spent.append((ended, seconds))
        self.used += seconds

    def forget_before(self, moment: float) -> None:
        while self.spent and self.spent[0][0] <= moment:
            self.used -= self.spent.popleft()[1]
        if not self.spent:
            self.used = 0.0  # no rounding left over

    @property
    def idle(self) -> bool:
        return self.running == 0 and not self.spent


class Fairness:
    """The limits of one app (kept in its :class:`~ecograph.serve.state.AppState`); safe on
    its event loop only."""

    def __init__(self, settings: Settings) -> None:
        self.parallel = settings.client_parallel_queries
        self.budget = settings.client_query_seconds
        self.sparql_workers = settings.sparql_workers
        self._trusted = _networks(settings.trusted_proxies)
        self._sparql = asyncio.Semaphore(self.sparql_workers)
        self._clients: dict[str, _Client] = {}

    def client_of(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.getlist("x-forwarded-for"), self._trusted)

    @asynccontextmanager
    async def query(
        self, request: Request, *, sparql: bool, timeout: float
    ) -> AsyncIterator[float]:
        """Admit one query of the client that sent ``request``, or raise
        :class:`ClientLimitReached`; for ``/sparql``, wait for a worker of its share too. Yields
        the seconds left of ``timeout``; the time from then on is charged to the client."""
        name = self.client_of(request)
        client = self._admit(name)
        client.running += 1
        started: float | None = None
        try:
            if not sparql:
                started = time.monotonic()
                yield timeout
                return
            began = time.monotonic()
            try:
                async with asyncio.timeout(timeout):
                    await self._sparql.acquire()
            except TimeoutError:
                raise QueryTimeout(
                    f"the {self.sparql_workers} query workers of /sparql stayed busy for the "
                    f"whole time limit ({timeout:g} s); try again later"
                ) from None
            try:
                started = time.monotonic()
                waited = started - began
                # the time limit covers the wait (the message then names what was left of it)
                yield timeout if waited < 0.01 else max(0.01, round(timeout - waited, 2))
            finally:
                self._sparql.release()
        finally:
            client.running -= 1
            if started is not None:
                ended = time.monotonic()
                client.charge(ended, ended - started)
            if client.idle:
                self._clients.pop(name, None)

    def _admit(self, name: str) -> _Client:
        now = time.monotonic()
        if len(self._clients) > _SWEEP_ABOVE:
            self._sweep(now)
        client = self._clients.setdefault(name, _Client())
        client.forget_before(now - WINDOW)
        if self.parallel and client.running >= self.parallel:
            raise ClientLimitReached(
                f"too many parallel queries: the limit is {self.parallel} running at once per "
                f"client ({name}); wait for one to finish",
                retry_after=1,
            )
        if self.budget:
            used = client.used
            if used >= self.budget:
                raise ClientLimitReached(
                    f"query time limit reached: the limit is {self.budget:g} s of query time per "
                    f"client ({name}) in any minute, and {used:.1f} s were used",
                    retry_after=self._seconds_until_under(client, used, now),
                )
        return client

    def _seconds_until_under(self, client: _Client, used: float, now: float) -> int:
        """Seconds until enough of the client's spent time is a minute old to run again."""
        for ended, seconds in client.spent:
            used -= seconds
            if used < self.budget:
                return int(ended + WINDOW - now) + 1
        return int(WINDOW)

    def _sweep(self, now: float) -> None:
        for name in list(self._clients):
            client = self._clients[name]
            client.forget_before(now - WINDOW)
            if client.idle:
                del self._clients[name]

    def running(self, name: str) -> int:
        """Queries of client ``name`` running now (for tests and diagnostics)."""
        client = self._clients.get(name)
        return client.running if client else 0
