"""The embedded backend: an Oxigraph store queried in killable worker processes.

Parameters are bound by :func:`ecograph.rdf.sparql_text.bind_values`, as on a remote store:
Oxigraph's own substitution refuses a variable that the SELECT does not project, which the
catalogue's parameters usually are not.

Each query is checked (:mod:`ecograph.store.safety`) and run inside a worker, under one time
limit: the check may parse with rdflib, which can itself be slow on a crafted query, so it must
be stoppable too. The worker materialises at most ``max_rows + 1`` rows (Oxigraph evaluates lazily,
so the cap also bounds the work) and sends them back in the compact wire form of
:mod:`ecograph.rdf.terms`; or, for the SPARQL endpoint, writes them in the format the client asked
for, so that the server process only relays bytes (it serves every request on one core, while
the workers run on all of them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph
from rdflib import Graph
from rdflib.term import Node

from ecograph.errors import (
    BackendError,
    ConfigurationError,
    InputError,
    QueryError,
    QuerySyntaxError,
    SourceLocation,
    UpdateRefused,
)
from ecograph.ld import describing
from ecograph.ld.describing import Description
from ecograph.rdf.formats import RDF_FILES
from ecograph.rdf.namespaces import PREFIXES
from ecograph.rdf.sparql_text import bind_values
from ecograph.rdf.terms import WireTerm, WireTriple, oxigraph_to_wire, wire_to_rdflib
from ecograph.store.backend import QueryDataset, QueryRunner
from ecograph.store.results import (
    AskResult,
    GraphResult,
    QueryResult,
    SelectResult,
    WireAsk,
    WireGraph,
    WireResult,
    WireRow,
    WireSolutions,
    Writers,
    Written,
)
from ecograph.store.safety import (
    UNPARSED,
    UPDATE_MESSAGE,
    QueryInfo,
    analyse,
    check_graphs,
    describe_engine_error,
    is_update,
    needs_analysis,
)
from ecograph.store.workers import WorkerPool
from ecograph.store.writers import write

T = TypeVar("T")


@dataclass(frozen=True)
class QueryRequest:
    """One query, as sent to a worker; with ``writers``, the worker writes the result."""

    text: str
    dataset: QueryDataset | None
    max_rows: int
    base_iri: str | None
    writers: Writers | None = None


@dataclass(frozen=True)
class Document:
    """An entity's document as a worker wrote it (``None``: the entity has no statements)."""

    body: bytes | None


@dataclass(frozen=True)
class GraphNamesRequest:
    """Ask a worker for the store's named graphs."""


@dataclass(frozen=True)
class DescribeRequest:
    """Ask a worker for an entity's description (:mod:`ecograph.ld.describing`), as triples or,
    with ``write``, as the document it writes (``None`` for an entity without statements)."""

    iri: str
    inferred_graph: str
    provenance_classes: frozenset[str]
    write: Callable[[Graph], bytes] | None = None


@lru_cache(maxsize=256)
def _analysis(text: str, base_iri: str | None) -> QueryInfo:
    """Catalogue and page queries repeat: parse each text once per worker."""
    return analyse(text, base_iri=base_iri)


class StoreWorker:
    """What each worker process runs: the checks, then the query, on its copy of the store."""

    def __init__(self, store: pyoxigraph.Store | None = None, path: Path | None = None) -> None:
        if (store is None) == (path is None):
            raise ConfigurationError("a store worker needs an in-memory store or a store path")
        if path is not None:
            require_persisted(path)
        self._store = store
        self._path = path
        self._graphs: frozenset[str] | None = None
        self._describers: dict[tuple[str, frozenset[str]], describing.Describer] = {}

    def open(self) -> None:
        """Open the persisted store; runs in the worker, as RocksDB must not cross a fork."""
        if self._path is not None:
            self._store = open_persisted(self._path)

    def __call__(self, request: Any) -> object:
        if isinstance(request, GraphNamesRequest):
            return tuple(sorted(self.graph_names()))
        if isinstance(request, QueryRequest):
            return self._query(request)
        if isinstance(request, DescribeRequest):
            triples = self._describer(request).describe(request.iri)
            if request.write is None:
                return WireGraph(triples)
            return Document(request.write(description_graph(triples)) if triples else None)
        raise BackendError(f"unknown worker request {type(request).__name__}")

    def _describer(self, request: DescribeRequest) -> describing.Describer:
        key = (request.inferred_graph, request.provenance_classes)
        describer = self._describers.get(key)
        if describer is None:
            describer = describing.Describer(
                self.store,
                inferred_graph=request.inferred_graph,
                provenance_classes=request.provenance_classes,
            )
            self._describers[key] = describer
        return describer

    def graph_names(self) -> frozenset[str]:
        if self._graphs is None:
            self._graphs = frozenset(
                g.value for g in self.store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)
            )
        return self._graphs

    @property
    def store(self) -> pyoxigraph.Store:
        if self._store is None:
            raise BackendError("the store is not open")
        return self._store

    def _query(self, request: QueryRequest) -> WireResult | Written:
        info = (
            _analysis(request.text, request.base_iri) if needs_analysis(request.text) else UNPARSED
        )
        dataset = request.dataset
        requested = (*dataset.default_graphs, *dataset.named_graphs) if dataset else ()
        check_graphs(info, requested, self.graph_names())
        options: dict[str, Any] = {"use_default_graph_as_union": True}
        if dataset is not None:
            options = {
                "default_graph": [pyoxigraph.NamedNode(g) for g in dataset.default_graphs],
                "named_graphs": [pyoxigraph.NamedNode(g) for g in dataset.named_graphs],
            }
        try:
            result = self.store.query(
                request.text,
                base_iri=request.base_iri,
                prefixes=PREFIXES,
                **options,
            )
            materialised = _materialise(result, request.max_rows)
        except SyntaxError as exc:
            if is_update(request.text):
                raise UpdateRefused(UPDATE_MESSAGE) from None
            raise QuerySyntaxError(describe_engine_error(str(exc), request.text)) from None
        except (ValueError, TypeError) as exc:
            raise QueryError(f"the query cannot be evaluated: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise BackendError(f"the store failed to evaluate the query: {exc}") from None
        if request.writers is not None:
            return write(materialised, request.writers)
        return materialised


def _wire_or_none(term: object) -> WireTerm | None:
    return None if term is None else oxigraph_to_wire(term)


def _materialise(result: object, max_rows: int) -> WireResult:
    if isinstance(result, pyoxigraph.QueryBoolean):
        return WireAsk(bool(result))
    if isinstance(result, pyoxigraph.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows: list[WireRow] = []
        for solution in result:
            if len(rows) == max_rows:
                return WireSolutions(variables, rows, True)
            rows.append(tuple(map(_wire_or_none, solution)))
        return WireSolutions(variables, rows)
    if isinstance(result, pyoxigraph.QueryTriples):
        triples: list[WireTriple] = []
        for triple in result:
            if len(triples) == max_rows:
                return WireGraph(triples, True)
            triples.append(
                (
                    oxigraph_to_wire(triple.subject),
                    oxigraph_to_wire(triple.predicate),
                    oxigraph_to_wire(triple.object),
                )
            )
        return WireGraph(triples)
    raise BackendError(f"unexpected result from the store: {type(result).__name__}")


def from_wire(result: object) -> QueryResult:
    """A result in wire form as rdflib terms."""
    if not isinstance(result, WireSolutions | WireAsk | WireGraph):
        raise BackendError(f"a query worker answered with {type(result).__name__}")
    if isinstance(result, WireAsk):
        return AskResult(result.value)
    # Results repeat terms (predicates, kinds, labels); an rdflib literal is slow to build.
    term = cache(wire_to_rdflib)
    if isinstance(result, WireSolutions):
        variables = result.variables
        rows = tuple(
            {
                name: term(value)
                for name, value in zip(variables, row, strict=True)
                if value is not None
            }
            for row in result.rows
        )
        return SelectResult(variables, rows, truncated=result.truncated)
    triples = tuple((term(s), term(p), term(o)) for s, p, o in result.triples)
    return GraphResult(triples, truncated=result.truncated)


def description_graph(triples: Iterable[WireTriple]) -> Graph:
    """A description's triples as a graph on rdflib's plain store: a description is read a
    few times and dropped, and the default store's bookkeeping of contexts costs more than
    the reading."""
    term = cache(wire_to_rdflib)
    graph = Graph(store="SimpleMemory")
    for s, p, o in triples:
        graph.add((term(s), term(p), term(o)))
    return graph


class EmbeddedBackend(QueryRunner):
    """An Oxigraph store, in memory (shared with the workers by fork) or persisted on disk
    (opened read-only by each worker). Workers start on first use, or by :meth:`start`."""

    def __init__(
        self,
        store: pyoxigraph.Store | None = None,
        *,
        path: Path | None = None,
        workers: int = 2,
        timeout: float = 30.0,
        max_rows: int = 10_000,
    ) -> None:
        self._worker = StoreWorker(store, path)
        self._pool = WorkerPool(self._worker, size=workers, setup=self._worker.open)
        self._timeout = timeout
        self._max_rows = max_rows
        self._start_lock = asyncio.Lock()
        self._graphs: tuple[str, ...] | None = None

    @property
    def pool(self) -> WorkerPool:
        return self._pool

    async def start(self) -> None:
        async with self._start_lock:
            await self._pool.start()

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
        request = QueryRequest(
            text=bind_values(query, bindings or {}),
            dataset=dataset,
            max_rows=self._max_rows if max_rows is None else max_rows,
            base_iri=base_iri,
        )
        return from_wire(await self._ask(request, object, timeout))

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
        request = QueryRequest(
            text=query,
            dataset=dataset,
            max_rows=self._max_rows if max_rows is None else max_rows,
            base_iri=base_iri,
            writers=writers,
        )
        return await self._ask(request, Written, timeout)

    @property
    def immutable(self) -> bool:
        return True  # the store is read-only: persisted and opened so, or built at startup

    async def describe(self, description: Description, *, timeout: float | None = None) -> Graph:
        """Read from the store's indexes by a worker, rather than by the query: the same
        triples in a fraction of the time (see :mod:`ecograph.ld.describing`)."""
        request = DescribeRequest(
            description.iri, description.inferred_graph, description.provenance_classes
        )
        described = await self._ask(request, WireGraph, timeout)
        return description_graph(described.triples)

    async def document(
        self,
        description: Description,
        write: Callable[[Graph], bytes],
        *,
        timeout: float | None = None,
    ) -> bytes | None:
        """Described and written by a worker, under the time limit: the server process, which
        serves every request on one core, only relays the bytes."""
        request = DescribeRequest(
            description.iri, description.inferred_graph, description.provenance_classes, write
        )
        return (await self._ask(request, Document, timeout)).body

    async def graphs(self) -> tuple[str, ...]:
        if self._graphs is None:
            graphs: tuple[str, ...] = await self._ask(GraphNamesRequest(), tuple, None)
            self._graphs = graphs
            return graphs
        return self._graphs

    async def close(self) -> None:
        await self._pool.close()

    async def _ask(self, request: object, expected: type[T], timeout: float | None) -> T:
        """A worker's answer to ``request`` (the pool started if it was not yet)."""
        if not self._pool.started:
            await self.start()
        return await self._pool.ask(request, expected, timeout=timeout or self._timeout)


def require_persisted(path: Path) -> None:
    """Refuse a path that holds no persisted store, before any worker tries to open it."""
    if not path.is_dir():
        raise ConfigurationError(f"no Oxigraph store at {path}")


def open_persisted(path: Path) -> pyoxigraph.Store:
    """A persisted Oxigraph store, read-only: the one place that opens one. Each process opens
    its own, as RocksDB must not cross a fork."""
    require_persisted(path)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise ConfigurationError(f"cannot open the store at {path}: {exc}") from exc


def load_data_files(paths: Iterable[Path]) -> pyoxigraph.Store:
    """An in-memory store with each file as a named graph (its ``file:`` IRI); the graphs of
    N-Quads and TriG files are kept, and their default-graph triples go to the file's graph."""
    store = pyoxigraph.Store()
    seen: set[Path] = set()
    for path in (p.resolve() for p in paths):
        if path in seen:
            continue
        seen.add(path)
        store.extend(_file_quads(path))
    return store


def _file_quads(path: Path) -> Sequence[pyoxigraph.Quad]:
    known = RDF_FILES.get(path.suffix.lower())
    if known is None:
        raise ConfigurationError(
            f"{path}: unknown RDF file extension (use {', '.join(sorted(RDF_FILES))})"
        )
    rdf_format = known.oxigraph
    graph = pyoxigraph.NamedNode(path.as_uri())
    try:
        return [
            q
            if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)
            else pyoxigraph.Quad(q.subject, q.predicate, q.object, graph)
            for q in pyoxigraph.parse(path=path, format=rdf_format, base_iri=path.as_uri())
        ]
    except SyntaxError as exc:
        raise InputError(SourceLocation(path, exc.lineno), exc.msg) from None
    except OSError as exc:
        raise InputError(SourceLocation(path), str(exc)) from None
