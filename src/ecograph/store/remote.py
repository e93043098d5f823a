"""The remote backend: any SPARQL 1.1 endpoint, over HTTP.

Queries get the same checks as on the embedded store, run in killable worker processes (rdflib's
parser can be slow, and must never hold the event loop); only then is the query sent, after the
server's default prefixes (the endpoint does not know them). Graphs a
query names must be graphs the endpoint holds (a remote store may dereference an unknown one).

Rows are counted as they arrive: SELECT results are asked for as TSV and graphs as N-Triples,
one row or triple per line, so the server stops reading (and drops the connection) once it has
one row past the cap, instead of downloading a result it would throw away. An endpoint that
answers in another format is read whole, up to :data:`MAX_BODY_BYTES`.

The endpoint should expose the union of its graphs as its default graph, as the embedded store
does (``oxigraph serve --union-default-graph``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pyoxigraph
from rdflib.term import Node

from ecograph.errors import BackendError, QueryError, QueryTimeout, UpdateRefused
from ecograph.rdf.namespaces import PREFIXES
from ecograph.rdf.sparql_text import bind_values, declare_prefixes, query_form
from ecograph.rdf.terms import oxigraph_to_rdflib
from ecograph.store.backend import QueryDataset, QueryRunner
from ecograph.store.results import AskResult, GraphResult, QueryResult, SelectResult
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

MAX_BODY_BYTES = 64 * 1024 * 1024
#: How often the list of the endpoint's graphs may be refreshed when a query names a new one.
GRAPHS_REFRESH_SECONDS = 10.0

_ACCEPT = {
    "SELECT": "text/tab-separated-values, application/sparql-results+json;q=0.9, "
    "application/sparql-results+xml;q=0.8",
    "ASK": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, "
    "application/ld+json;q=0.7",
}
#: SELECT from an endpoint whose TSV is not SPARQL's (Virtuoso's: quoted names, no term syntax).
_SELECT_NO_TSV = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
#: The header by which Virtuoso says that it cut a result at its time limit (an "anytime"
#: query: 200 with what it had found so far), never to be passed on as a whole result.
_INCOMPLETE_STATE = ("x-sql-state", "S1TAT")
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_RESULTS_FORMATS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "application/xml": pyoxigraph.QueryResultsFormat.XML,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}


def _check_request(request: Any) -> QueryInfo | bool:
    """Runs in a check worker: the query's analysis, or (``"is_update"``) whether it is an
    update; a query that fails the checks raises, and the parent raises the same error."""
    operation, text, base_iri = request
    if operation == "is_update":
        return is_update(text)
    return analyse(text, base_iri=base_iri)


class RemoteBackend(QueryRunner):
    """A SPARQL 1.1 endpoint over HTTP. Its query checks run in ``workers`` processes of its
    own; a query past its time limit is abandoned (the connection dropped) and reported as a
    timeout, whatever the endpoint then does with it."""

    def __init__(
        self,
        endpoint: str,
        *,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        workers: int = 1,
        client: httpx.AsyncClient | None = None,
        timeout_parameter: str | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._timeout_parameter = timeout_parameter
        # whether the endpoint writes SPARQL TSV (Virtuoso's is CSV with tabs: then JSON)
        self._sparql_tsv = True
        self._timeout = timeout
        self._max_rows = max_rows
        self._pool = WorkerPool(_check_request, size=workers, name="query check")
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(None, connect=10.0), follow_redirects=False
        )
        self._owns_client = client is None
        self._start_lock = asyncio.Lock()
        self._graphs: frozenset[str] | None = None
        self._graphs_at = 0.0
        self._in_flight = 0

    @property
    def endpoint(self) -> str:
        return self._endpoint

    @property
    def pool(self) -> WorkerPool:
        return self._pool

    @property
    def in_flight(self) -> int:
        """Requests sent to the endpoint and not answered yet."""
        return self._in_flight

    async def start(self) -> None:
        async with self._start_lock:
            await self._pool.start()

    async def close(self) -> None:
        await self._pool.close()
        if self._owns_client:
            await self._client.aclose()

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
        if not self._pool.started:
            await self.start()
        budget = timeout or self._timeout
        deadline = asyncio.get_running_loop().time() + budget
        text = bind_values(query, bindings or {})
        info = UNPARSED
        if needs_analysis(text):
            info = await self._pool.ask(("analyse", text, base_iri), QueryInfo, timeout=budget)
        requested = (*dataset.default_graphs, *dataset.named_graphs) if dataset else ()
        await self._check_graphs(info, requested)
        form = info.form or query_form(text)
        cap = self._max_rows if max_rows is None else max_rows
        try:
            async with asyncio.timeout_at(deadline):
                left = deadline - asyncio.get_running_loop().time()
                return await self._send(declare_prefixes(text, PREFIXES), form, dataset, cap, left)
        except TimeoutError:
            raise QueryTimeout(
                f"the SPARQL endpoint did not answer within the time limit ({budget:g} s); "
                "the request was abandoned"
            ) from None
        except QueryError:
            # The endpoint refused a text not parsed here: was it an update?
            if info is UNPARSED and await self._pool.ask(
                ("is_update", text, None), bool, timeout=budget
            ):
                raise UpdateRefused(UPDATE_MESSAGE) from None
            raise

    async def graphs(self) -> tuple[str, ...]:
        return tuple(sorted(await self._graph_names()))

    async def _graph_names(self, *, refresh: bool = False) -> frozenset[str]:
        stale = time.monotonic() - self._graphs_at > GRAPHS_REFRESH_SECONDS
        if self._graphs is None or (refresh and stale):
            try:
                async with asyncio.timeout(self._timeout):
                    result = await self._send(
                        "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "SELECT", None, 1_000_000
                    )
            except TimeoutError:
                raise QueryTimeout("the SPARQL endpoint did not list its graphs in time") from None
            if not isinstance(result, SelectResult):
                raise BackendError("the SPARQL endpoint did not list its graphs")
            self._graphs = frozenset(str(r["g"]) for r in result.rows if "g" in r)
            self._graphs_at = time.monotonic()
        return self._graphs

    async def _check_graphs(self, info: QueryInfo, requested: tuple[str, ...]) -> None:
        named = {*info.from_graphs, *info.from_named_graphs, *requested}
        if not named:
            return
        known = await self._graph_names()
        if not named <= known:
            known = await self._graph_names(refresh=True)
        check_graphs(info, requested, known)

    async def _send(
        self,
        text: str,
        form: str,
        dataset: QueryDataset | None,
        cap: int,
        seconds: float | None = None,
    ) -> QueryResult:
        """Send the query; with ``seconds`` and a ``timeout_parameter``, the endpoint is told
        to stop it there too (in milliseconds, as Virtuoso's ``timeout`` takes it)."""
        form = "CONSTRUCT" if form in {"CONSTRUCT", "DESCRIBE"} else form
        data: dict[str, Any] = {"query": text}
        if dataset is not None:
            data["default-graph-uri"] = list(dataset.default_graphs)
            data["named-graph-uri"] = list(dataset.named_graphs)
        if self._timeout_parameter and seconds is not None:
            data[self._timeout_parameter] = str(max(1, int(seconds * 1000)))
        accept = _ACCEPT[form] if form != "SELECT" or self._sparql_tsv else _SELECT_NO_TSV
        async with self._post(data, accept) as response:
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if form == "SELECT" and media_type == "text/tab-separated-values":
                try:
                    return await _tsv_solutions(response, cap)
                except _NotSparqlTsv as exc:
                    if accept == _SELECT_NO_TSV:  # TSV again, although not asked for
                        raise BackendError(
                            f"the SPARQL endpoint sent TSV that is not SPARQL's: {exc}"
                        ) from None
                    self._sparql_tsv = False  # ask again, for JSON, now and from now on
                    body = None
            elif form == "CONSTRUCT" and media_type == "application/n-triples":
                return await _ntriples_graph(response, cap)
            else:
                body = await _read_body(response)
        if body is None:
            return await self._send(text, form, dataset, cap, seconds)
        if form == "CONSTRUCT":
            return _graph(body, media_type, cap)
        return _results(body, media_type, cap)

    @asynccontextmanager
    async def _post(self, data: dict[str, Any], accept: str) -> AsyncIterator[httpx.Response]:
        user_text = str(data["query"]).split("\n", 1)[-1]  # without the prefix line
        self._in_flight += 1
        try:
            async with self._client.stream(
                "POST", self._endpoint, data=data, headers={"Accept": accept}
            ) as response:
                if response.status_code >= 500:
                    detail = (await _read_start(response, 4000)).decode("utf-8", "replace")
                    if "estimated execution time" in detail:  # Virtuoso's refusal by cost
                        raise QueryTimeout(
                            "the SPARQL endpoint refused the query: it estimates that it would "
                            f"run past its time limit ({detail.strip().splitlines()[0]})"
                        )
                    raise BackendError(
                        f"the SPARQL endpoint answered {response.status_code}: {detail.strip()}"
                    )
                if response.status_code >= 400:
                    detail = (await _read_start(response, 4000)).decode("utf-8", "replace")
                    raise QueryError(describe_engine_error(detail.strip(), user_text, 1))
                if response.headers.get(_INCOMPLETE_STATE[0], "").strip() == _INCOMPLETE_STATE[1]:
                    raise QueryTimeout(
                        "the SPARQL endpoint stopped the query at its time limit and sent an "
                        "incomplete result, which is not passed on; narrow the query down"
                    )
                yield response
        except httpx.HTTPError as exc:
            raise BackendError(f"the SPARQL endpoint cannot be reached: {exc}") from exc
        finally:
            self._in_flight -= 1


async def _read_body(response: httpx.Response, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, refused past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise BackendError(f"the SPARQL endpoint sent more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_start(response: httpx.Response, limit: int) -> bytes:
    """The first ``limit`` bytes: enough of an error message to show."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


async def _lines(response: httpx.Response, wanted: int) -> tuple[list[str], bool]:
    """Up to ``wanted`` lines; ``True`` when there were more (the rest is not downloaded)."""
    lines: list[str] = []
    async for line in response.aiter_lines():
        if len(lines) == wanted:
            return lines, True
        lines.append(line)
    return lines, False


class _NotSparqlTsv(Exception):
    """The endpoint's TSV header does not name variables (``?x``): not SPARQL TSV."""


async def _tsv_solutions(response: httpx.Response, cap: int) -> SelectResult:
    lines, truncated = await _lines(response, cap + 1)  # the header, then the rows
    if lines and lines[0].strip() and not lines[0].lstrip().startswith(("?", "$")):
        raise _NotSparqlTsv(lines[0][:200])
    parsed = _parse_results("\n".join(lines) + "\n", pyoxigraph.QueryResultsFormat.TSV)
    return _solutions(parsed, cap, truncated)


async def _ntriples_graph(response: httpx.Response, cap: int) -> GraphResult:
    lines: list[str] = []
    truncated = False
    async for line in response.aiter_lines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(lines) == cap:
            truncated = True
            break
        lines.append(line)
    return _graph("\n".join(lines).encode("utf-8"), "application/n-triples", cap, truncated)


def _parse_results(body: bytes | str, results_format: pyoxigraph.QueryResultsFormat) -> Any:
    try:
        return pyoxigraph.parse_query_results(body, format=results_format)
    except (SyntaxError, ValueError) as exc:
        raise BackendError(f"the SPARQL endpoint sent unreadable results: {exc}") from None


def _results(body: bytes, media_type: str, cap: int) -> SelectResult | AskResult:
    results_format = _RESULTS_FORMATS.get(media_type)
    if results_format is None:
        raise BackendError(f"the SPARQL endpoint answered in an unexpected format: {media_type}")
    parsed = _parse_results(body, results_format)
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return AskResult(bool(parsed))
    return _solutions(parsed, cap, False)


def _solutions(parsed: Any, cap: int, truncated: bool) -> SelectResult:
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        raise BackendError("the SPARQL endpoint answered a SELECT with a boolean")
    variables = tuple(v.value for v in parsed.variables)
    rows: list[dict[str, Node]] = []
    try:
        for solution in parsed:
            if len(rows) == cap:
                truncated = True
                break
            rows.append(
                {
                    name: oxigraph_to_rdflib(_canonical(term))
                    for name in variables
                    if (term := solution[name]) is not None
                }
            )
    except SyntaxError as exc:
        raise BackendError(f"the SPARQL endpoint sent unreadable results: {exc}") from None
    return SelectResult(variables, tuple(rows), truncated=truncated)


def _graph(body: bytes, media_type: str, cap: int, truncated: bool = False) -> GraphResult:
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise BackendError(f"the SPARQL endpoint answered in an unexpected format: {media_type}")
    triples: list[tuple[Node, Node, Node]] = []
    try:
        for quad in pyoxigraph.parse(body, format=rdf_format):
            if len(triples) == cap:
                truncated = True
                break
            triples.append(
                (
                    oxigraph_to_rdflib(quad.subject),
                    oxigraph_to_rdflib(quad.predicate),
                    oxigraph_to_rdflib(_canonical(quad.object)),
                )
            )
    except SyntaxError as exc:
        raise BackendError(f"the SPARQL endpoint sent an unreadable graph: {exc}") from None
    return GraphResult(tuple(triples), truncated=truncated)


def _canonical(term: Any) -> Any:
    """A term in its canonical form where an endpoint writes another one of the same value:
    Virtuoso writes ``true``/``false`` booleans as ``"1"``/``"0"``."""
    if (
        isinstance(term, pyoxigraph.Literal)
        and term.datatype.value == _XSD_BOOLEAN
        and term.value in {"1", "0"}
    ):
        return pyoxigraph.Literal(
            "true" if term.value == "1" else "false", datatype=pyoxigraph.NamedNode(_XSD_BOOLEAN)
        )
    return term
