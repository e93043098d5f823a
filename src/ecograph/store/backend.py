"""Where SPARQL queries run: the embedded Oxigraph store or a remote SPARQL 1.1 endpoint.

This module is the seam between the stateless API and the store behind it. The interface is
fixed here; the implementations live in :mod:`ecograph.store.embedded` (an Oxigraph store, queries
run in killable worker processes) and :mod:`ecograph.store.remote` (any SPARQL 1.1 endpoint over
HTTP), and :func:`ecograph.store.opening.open_backend` picks one from the settings.

:meth:`Backend.query` is the general entry point the SPARQL endpoint uses (any query form, a
protocol dataset, a row cap it reports); ``select``/``ask``/``construct`` are the typed
shortcuts the rest of the API uses.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Node

from ecograph.errors import BackendError, QueryError
from ecograph.ld.describing import Description
from ecograph.store.results import (
    AskResult,
    GraphResult,
    QueryResult,
    SelectResult,
    Writers,
    Written,
    to_wire,
)
from ecograph.store.writers import write


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a request names (SPARQL 1.1 Protocol ``default-graph-uri`` and
    ``named-graph-uri``): the default graph is the merge of ``default_graphs`` (empty if none),
    and only ``named_graphs`` can be reached by ``GRAPH``."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Backend(ABC):
    """A read-only SPARQL store. Every method is safe to await from the event loop."""

    @abstractmethod
    async def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> SelectResult:
        """Run a SELECT; ``bindings`` are bound as RDF terms, never pasted into the text."""

    @abstractmethod
    async def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK."""

    @abstractmethod
    async def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE and return its triples."""

    async def query(
        self,
        query: str,
        *,
        dataset: QueryDataset | None = None,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a query of any form, checked for safety (no update, no network access).

        Without ``dataset`` the default graph is the union of all graphs. At most ``max_rows``
        rows (or triples) come back, default the configured cap, with ``truncated`` set when
        there were more. ``base_iri`` resolves relative IRIs of the query.
        """
        raise BackendError(f"{type(self).__name__} does not run arbitrary queries")

    async def written(
        self,
        query: str,
        *,
        writers: Writers,
        dataset: QueryDataset | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> Written:
        """Run a query as :meth:`query` does and write its result with the writer ``writers``
        names for its kind. Here the result is written in a thread of this process; the
        embedded backend writes in its query workers, under the query's time limit."""
        result = await self.query(
            query, dataset=dataset, timeout=timeout, max_rows=max_rows, base_iri=base_iri
        )
        return await asyncio.to_thread(write, to_wire(result), writers)

    @property
    def immutable(self) -> bool:
        """Whether the graph stays the same while the server runs, so that what is computed
        from it may be kept: a remote store may change behind the server."""
        return False

    async def describe(self, description: Description, *, timeout: float | None = None) -> Graph:
        """The triples of an entity's description (see :class:`Description`)."""
        return await self.construct(description.query, timeout=timeout)

    async def document(
        self,
        description: Description,
        write: Callable[[Graph], bytes],
        *,
        timeout: float | None = None,
    ) -> bytes | None:
        """An entity's description written by ``write`` (a picklable callable: the embedded
        backend runs it in the query worker that read the description); ``None`` when the
        graph says nothing about the entity."""
        graph = await self.describe(description, timeout=timeout)
        if len(graph) == 0:
            return None
        return await asyncio.to_thread(write, graph)

    async def graphs(self) -> tuple[str, ...]:
        """Names of the store's named graphs, sorted."""
        result = await self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return tuple(sorted(str(row["g"]) for row in result.rows if "g" in row))

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the backend holds."""


class QueryRunner(Backend):
    """A backend whose typed shortcuts are :meth:`query` with the form checked."""

    async def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> SelectResult:
        result = await self.query(query, bindings=bindings, timeout=timeout)
        if not isinstance(result, SelectResult):
            raise QueryError("a SELECT query was expected")
        return result

    async def ask(self, query: str, *, timeout: float | None = None) -> bool:
        result = await self.query(query, timeout=timeout)
        if not isinstance(result, AskResult):
            raise QueryError("an ASK query was expected")
        return result.value

    async def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        result = await self.query(query, timeout=timeout)
        if not isinstance(result, GraphResult):
            raise QueryError("a CONSTRUCT or DESCRIBE query was expected")
        return result.graph()

    @abstractmethod
    async def query(
        self,
        query: str,
        *,
        dataset: QueryDataset | None = None,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """See :meth:`Backend.query`."""
