"""``/api/terms`` and ``/api/coordinates``: what the query page fetches once, beside ``/sparql``.

Both are computed once per app (``views.query_aids``) and sent with an ETag, so a browser that
comes back revalidates and gets a 304.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecograph.serve.common import request_settings
from ecograph.serve.conditional import cached
from ecograph.serve.views import query_aids

router = APIRouter(tags=["queries"])


def _json(request: Request, value: Any) -> Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    max_age = request_settings(request).cache_max_age
    return cached(request, body, "application/json", max_age=max_age)


@router.get(
    "/api/terms",
    summary="Prefixes and ontology terms, for completion",
    responses={200: {"description": "prefixes (name → namespace) and the ontology's terms"}},
)
async def terms(request: Request) -> Response:
    """The predeclared prefixes, and every class and property of the ontology with its CURIE
    and its English and Italian labels: what the query page's editor completes."""
    return _json(request, await query_aids.terms(request.app))


@router.get(
    "/api/coordinates",
    summary="Coordinates of the places and ecosystems",
    responses={200: {"description": "IRI → [latitude, longitude]"}},
)
async def coordinates(request: Request) -> Response:
    """Every place with ``geo:lat``/``geo:long``, and every ecosystem at its territory's: what
    the query page's map draws a result's places and ecosystems with."""
    return _json(request, {"coordinates": await query_aids.coordinates(request.app)})
