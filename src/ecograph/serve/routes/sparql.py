"""``/sparql``: the query part of the SPARQL 1.1 Protocol, read-only and network-free.

Requests: ``GET ?query=``, ``POST`` form-encoded, ``POST application/sparql-query``; with
``default-graph-uri``/``named-graph-uri`` naming graphs of the store; ``format`` (``json``,
``xml``, ``csv``, ``tsv``; ``ttl``, ``nt``, ``nq``, ``jsonld``, ``rdf``; or a media type) wins
over ``Accept``. No query: the service description (Turtle, or by ``Accept``). The project's
prefixes are declared for every query; relative IRIs resolve against the endpoint's URL.

Answers, all with a readable body (text, JSON problem or page, as the client accepts):

=====  =====================================================================================
200    results, written where they were computed (by a query worker, for the embedded
       store); ``X-Ecograph-Max-Rows: N`` and, when the result was cut at N rows
       (``max_rows``), ``X-Ecograph-Truncated: true``
400    syntax error (line, column, caret), two queries, a missing query, a body or URL that
       is not UTF-8, an unknown ``format``, ``SERVICE``, a ``FROM``/dataset graph the store
       does not hold (it would have to be fetched)
403    any update (``update=``, ``application/sparql-update``, an update sent as a query)
405    a method other than GET and POST (with ``Allow``)
406    ``Accept`` or ``format`` names no format for this kind of result
413    a query over ``max_query_length`` characters, or nested over 100 levels deep
415    a POST without one of the two media types
502    the store failed (a remote endpoint down, a worker that died)
504    the query ran out of ``query_timeout`` and was stopped (its worker process killed)
=====  =====================================================================================
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.routing import Route

from ecograph.serve.common import get_backend, request_settings
from ecograph.serve.dependencies import public_url
from ecograph.serve.protocol import DIRECT, FORM, read_operation
from ecograph.serve.result_formats import GRAPH_FORMATS, choice, choose
from ecograph.serve.service_description import service_description
from ecograph.serve.state import state_of
from ecograph.store.results import GraphResult

router = APIRouter(tags=["SPARQL"])

_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "query",
        "in": "query",
        "description": "a SPARQL 1.1 query; without it, the service description",
        "schema": {"type": "string"},
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "description": "a graph of this store to merge into the default graph (repeatable)",
        "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "description": "a graph of this store that GRAPH may reach (repeatable)",
        "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "format",
        "in": "query",
        "description": "the result format, overriding Accept: json, xml, csv, tsv (SELECT, ASK); "
        "ttl, nt, nq, jsonld, rdf (CONSTRUCT, DESCRIBE); or a media type",
        "schema": {"type": "string"},
    },
]
_OPENAPI: dict[str, Any] = {
    "parameters": _PARAMETERS,
    "requestBody": {
        "required": False,
        "content": {
            FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
            DIRECT: {"schema": {"type": "string"}},
        },
    },
    "responses": {
        "200": {
            "description": "the result, in the negotiated format",
            "content": {f.format.media_type: {} for f in GRAPH_FORMATS[:5]}
            | {
                "application/sparql-results+json": {},
                "application/sparql-results+xml": {},
                "text/csv": {},
                "text/tab-separated-values": {},
            },
        },
        "400": {"description": "a syntax error, a malformed request, or network access"},
        "403": {"description": "an update: this endpoint is read-only"},
        "413": {"description": "the query is too long"},
        "415": {"description": "a POST with an unsupported media type"},
        "504": {"description": "the query ran out of time and was stopped"},
    },
}


_DESCRIPTION = (
    "Read-only SPARQL 1.1 Protocol endpoint over the whole graph (the default graph is the "
    "union of the named graphs)."
)
ALLOWED = ("GET", "POST")


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query endpoint (GET)",
    description=_DESCRIPTION,
    openapi_extra={k: v for k, v in _OPENAPI.items() if k != "requestBody"},
    response_class=Response,
    operation_id="sparql_get",
)
@router.post(
    "/sparql",
    summary="SPARQL 1.1 query endpoint (POST)",
    description=_DESCRIPTION,
    openapi_extra=_OPENAPI,
    response_class=Response,
    operation_id="sparql_post",
)
async def sparql(request: Request) -> Response:
    """Documents the endpoint in the OpenAPI description; :func:`fast_route` answers first."""
    return await answer(request)


def fast_route() -> Route:
    """``GET`` and ``POST /sparql`` as a plain Starlette route, for the app to match before
    FastAPI's: a lookup takes a worker a tenth of a millisecond, less than FastAPI's own work
    per request (dependencies, wrappers), and the endpoint needs none of it."""
    route = Route("/sparql", answer, methods=ALLOWED, include_in_schema=False)
    route.methods = set(ALLOWED)  # not the HEAD that Starlette adds: the 405 route answers it
    return route


async def answer(request: Request) -> Response:
    """The endpoint: the request read and checked here, the query run and its result written
    by the backend (in a query worker, for the embedded store)."""
    backend = get_backend(request)
    settings = request_settings(request)
    operation = await read_operation(request, settings)
    endpoint = public_url(request, settings, "/sparql")
    accept = request.headers.get("accept")
    if operation.query is None:
        description = service_description(endpoint, await backend.graphs(), settings)
        chosen = choose(GRAPH_FORMATS, accept, operation.format, "the service description")
        prefixes = tuple((str(p), str(n)) for p, n in description.namespaces())
        return Response(
            b"".join(chosen.write(GraphResult(tuple(description), prefixes=prefixes))),
            media_type=chosen.format.content_type,
            headers={"Vary": "Accept"},
        )
    formats = choice(accept, operation.format)
    fairness = state_of(request.app).fairness
    async with fairness.query(request, sparql=True, timeout=settings.query_timeout) as left:
        written = await backend.written(
            operation.query,
            writers=formats.writers,
            dataset=operation.dataset,
            timeout=left,
            max_rows=settings.max_rows,
            base_iri=endpoint,
        )
    return formats.response(written, max_rows=settings.max_rows)


@router.api_route(
    "/sparql",
    methods=["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
async def other_methods() -> Response:
    """405 naming both methods: GET and POST are two routes, and Starlette's own 405 would
    name only the first."""
    raise HTTPException(
        405, "the SPARQL endpoint takes GET and POST", {"Allow": ", ".join(ALLOWED)}
    )
