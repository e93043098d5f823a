"""The explore page and the JSON it draws: ``GET /explore``, ``GET /api/explore``,
``GET /api/explore/link``.

The aggregation happens here, on the server (:mod:`ecograph.serve.explore_data`): the index is
read once per app and kept (the store does not change while the server runs), and each answer
is kept too, by its normalised filters, with an ETag so that a browser's second look costs a 304.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ecograph.errors import ParameterError
from ecograph.serve.common import BackendDep, LanguagesDep, SettingsDep, safe_iri
from ecograph.serve.conditional import cached
from ecograph.serve.explore_data import (
    ITEMS_DEFAULT,
    ITEMS_MAX,
    LIMIT_DEFAULT,
    LIMIT_MAX,
    ExploreIndex,
    Filters,
    entity_places,
    link_detail,
    node_detail,
)
from ecograph.serve.routes.pages import page_response, render
from ecograph.serve.state import state_of
from ecograph.serve.views.kept import kept
from ecograph.settings import Settings

router = APIRouter(tags=["explore"])

_ANSWERS_KEPT = 256


@dataclass
class _Explored:
    """The app's index, and the answers written from it (which go with it)."""

    index: ExploreIndex
    answers: OrderedDict[Any, bytes] = field(default_factory=OrderedDict)


async def kept_explore_index(app: Any) -> _Explored:
    """Read once for a store that cannot change (when the server starts: it is a step of the
    app's warm-up), again after ``cache_max_age`` seconds for one that can (a remote
    endpoint): see :func:`ecograph.serve.views.kept.kept`."""
    state = state_of(app)

    async def read() -> _Explored:
        return _Explored(await ExploreIndex.read(state.backend, state.settings.query_timeout))

    return await kept(app, "explore.index", read)


async def explore_index(request: Request) -> ExploreIndex:
    """The app's index (see :func:`kept_explore_index`)."""
    return (await kept_explore_index(request.app)).index


def _dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _json_response(request: Request, body: bytes, settings: Settings) -> Response:
    return cached(request, body, "application/json", max_age=settings.cache_max_age)


@router.get(
    "/api/explore",
    summary="Cross-border links aggregated for the explore views",
    responses={
        200: {"description": "ecosystems (nodes), links with counts, the items behind them"},
        304: {"description": "not modified (If-None-Match)"},
        400: {"description": "a filter is not valid"},
    },
)
async def explore_data(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    country: Annotated[
        list[str], Query(description="ISO 3166 code or place IRI; a link touching one")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    region: Annotated[
        list[str], Query(description="territory IRI or slug (it-77); a link touching one")
    ] = [],  # noqa: B006
    sector: Annotated[
        list[str], Query(description="sector IRI or slug; items in one of them")
    ] = [],  # noqa: B006
    kind: Annotated[
        list[str], Query(description="agreement, mission, project, event or activity")
    ] = [],  # noqa: B006
    status: Annotated[str | None, Query(description="actual or prospective")] = None,
    year_from: Annotated[
        int | None,
        Query(
            alias="from",
            ge=0,
            le=9999,
            description="first year (items without a year are left out)",
        ),
    ] = None,
    year_to: Annotated[
        int | None, Query(alias="to", ge=0, le=9999, description="last year")
    ] = None,
    level: Annotated[str, Query(description="region (ecosystems) or country (summed)")] = "region",
    limit: Annotated[
        int, Query(ge=1, le=LIMIT_MAX, description="top links by number of items")
    ] = LIMIT_DEFAULT,
    items: Annotated[
        int,
        Query(
            ge=0,
            le=ITEMS_MAX,
            description="at most this many items with a year (earliest first), as many without",
        ),
    ] = ITEMS_DEFAULT,
) -> Response:
    """Ecosystems as nodes (coordinates, actors, country), the links between them (top
    ``limit`` by the number of activities and agreements behind them, counted by kind, actual
    or prospective), and those activities and agreements with their dates as given (a date
    without a year has ``year: null``). Quotes: ``/api/explore/link``."""
    filters = Filters.parse(
        country, region, sector, kind, status, year_from, year_to, level, limit, items
    )
    explored = await kept_explore_index(request.app)
    index, answers = explored.index, explored.answers
    body = answers.get(filters)
    if body is None:
        # a few hundred milliseconds of Python at 1M: in a thread, not in the event loop
        body = await asyncio.to_thread(lambda: _dumps(index.answer(filters)))
        answers[filters] = body
        while len(answers) > _ANSWERS_KEPT:
            answers.popitem(last=False)
    else:
        answers.move_to_end(filters)
    return _json_response(request, body, settings)


@router.get(
    "/api/explore/link",
    summary="One link's activities and agreements with their verbatim quotes and sources",
    responses={400: {"description": "no such link"}, 304: {"description": "not modified"}},
)
async def explore_link(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    iri: Annotated[
        str, Query(max_length=2000, description="the link's IRI (or a country pair id)")
    ],
) -> Response:
    """What the side panel shows when a link is clicked."""
    index = await explore_index(request)
    detail = await link_detail(backend, index, iri, settings.query_timeout)
    return _json_response(request, _dumps(detail), settings)


@router.get(
    "/api/explore/node",
    summary="One ecosystem's (or country's) actors",
    responses={400: {"description": "no such ecosystem"}, 304: {"description": "not modified"}},
)
async def explore_node(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    iri: Annotated[str, Query(max_length=2000, description="the ecosystem's (or country's) IRI")],
) -> Response:
    """What the side panel shows when an ecosystem is clicked: its actors, first 100."""
    index = await explore_index(request)
    detail = await node_detail(backend, index, iri, settings.query_timeout)
    return _json_response(request, _dumps(detail), settings)


@router.get(
    "/api/explore/places",
    summary="Where an entity is: the points of its small map",
    responses={400: {"description": "not an IRI"}, 304: {"description": "not modified"}},
)
async def explore_places(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    iri: Annotated[str, Query(max_length=2000, description="the entity's IRI")],
) -> Response:
    """The entity's own coordinates, else those of the places it is linked to (located in,
    held at, visiting, …); an empty list when none has coordinates (no map is drawn)."""
    if not safe_iri(iri) or not iri.startswith(settings.base_iri):
        raise ParameterError(f"not an ecograph IRI: {iri!r}")
    points = await entity_places(backend, iri, settings.query_timeout)
    return _json_response(request, _dumps({"iri": iri, "points": points}), settings)


@router.get("/explore", response_class=HTMLResponse, include_in_schema=False)
async def explore_page(request: Request, wanted: LanguagesDep) -> HTMLResponse:
    """The map, the network and the timeline; the page draws what ``/api/explore`` gives."""
    return page_response(render("explore.html", request, lang=wanted[0]))
