"""``/api/queries``: the ``queries/`` catalogue as a REST API.

Each catalogue query is its own operation (``GET /api/queries/{name}``), registered when the
app is created so that the OpenAPI document lists it with its typed parameters. Parameters are
validated and turned into RDF terms by :meth:`ecograph.rdf.catalogue.NamedQuery.bind` (one place for
the rules) and bound as terms, never pasted into the query. Results: JSON (SPARQL 1.1 results)
or CSV, by ``Accept`` or ``format``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecograph.errors import ParameterError
from ecograph.rdf.catalogue import Catalogue, NamedQuery, Param
from ecograph.serve.dependencies import BackendDep, CatalogueDep, SettingsDep
from ecograph.serve.protocol import read_pairs
from ecograph.serve.result_formats import SOLUTION_FORMATS, ResultFormat, result_response
from ecograph.serve.state import state_of
from ecograph.store.results import GraphResult

PREFIX = "/api/queries"
RESERVED = frozenset({"format"})

_BY_KEY = {f.format.key: f for f in SOLUTION_FORMATS}
#: JSON first: it answers ``*/*``.
QUERY_API_FORMATS: tuple[ResultFormat, ...] = (
    _BY_KEY["json-plain"],
    _BY_KEY["json"],
    _BY_KEY["csv"],
)
_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
    "language": {"type": "string", "pattern": "^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$"},
}


def describe_param(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": param.type,
        "required": param.required,
        "default": param.default,
        "description": param.description,
    }


def describe_query(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "tags": list(query.tags),
        "form": query.form,
        "view": query.view or "table",
        "url": f"{PREFIX}/{query.name}",
        "parameters": [describe_param(p) for p in query.params],
        "query": query.text,
    }


async def list_queries(catalogue: CatalogueDep) -> dict[str, Any]:
    """The catalogue: each query's title, description, parameters (with types and defaults)
    and its text."""
    return {"queries": [describe_query(q) for q in catalogue]}


async def run_query(
    request: Request, catalogue: CatalogueDep, backend: BackendDep, settings: SettingsDep
) -> Response:
    """Run one catalogue query; the route it came by names it (its last path segment)."""
    query = catalogue.get(request.url.path.rstrip("/").rsplit("/", 1)[-1])
    pairs = read_pairs(request.scope.get("query_string", b""), "the URL's query string")
    values: dict[str, str] = {}
    for name, value in pairs:
        if name in RESERVED:
            continue
        if name in values:
            raise ParameterError(f"parameter {name!r} is given more than once")
        values[name] = value
    formats = [value for name, value in pairs if name == "format"]
    bindings = query.bind(values)
    fairness = state_of(request.app).fairness
    async with fairness.query(request, sparql=False, timeout=settings.query_timeout) as left:
        result = await backend.query(
            query.text, bindings=bindings, timeout=left, max_rows=settings.max_rows
        )
    return result_response(
        result,
        accept=request.headers.get("accept"),
        requested=formats[0] if formats else None,
        max_rows=settings.max_rows,
        table=None if isinstance(result, GraphResult) else QUERY_API_FORMATS,
    )


def _openapi(query: NamedQuery) -> dict[str, Any]:
    parameters = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": {**_SCHEMAS[p.type], **({"default": p.default} if p.default else {})},
        }
        for p in query.params
    ]
    parameters.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "json or csv (overrides Accept)",
            "schema": {"type": "string", "enum": ["json", "csv"]},
        }
    )
    return {
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "the rows",
                "content": {"application/json": {}, "text/csv": {}},
            },
            "400": {"description": "a parameter is missing or not of its type"},
            "504": {"description": "the query ran out of time"},
        },
    }


def create_router(catalogue: Catalogue) -> APIRouter:
    """The catalogue's routes: the list, one documented operation per query, and a fallback
    that answers 404 (listing the names) for a name the catalogue lacks."""
    router = APIRouter(tags=["queries"])
    router.add_api_route(PREFIX, list_queries, methods=["GET"], summary="The query catalogue")
    for query in catalogue:
        router.add_api_route(
            f"{PREFIX}/{query.name}",
            run_query,
            methods=["GET"],
            name=f"query:{query.name}",
            operation_id=f"query_{query.name.replace('-', '_')}",
            summary=query.title,
            description=query.description,
            tags=["queries", *query.tags],
            openapi_extra=_openapi(query),
            response_class=Response,
        )
    router.add_api_route(PREFIX + "/{name}", run_query, methods=["GET"], include_in_schema=False)
    return router
