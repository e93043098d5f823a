"""Health and readiness, for a load balancer or an orchestrator (docs/deploy.md).

``/healthz``: the process is alive and its event loop answers (no store involved, so a busy
store never gets a healthy replica restarted). ``/readyz``: the backend is open and answers a
probe query within a few seconds, through a query worker like any request, and the start-up
warm-up has computed what the pages keep (at 1M triples the explore index takes seconds; a
balancer that waits for ``/readyz`` sends no visitor to a replica still computing it): 200 when
the replica can take traffic, 503 (with the reason) when it cannot.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse

from ecograph.errors import EcographError
from ecograph.serve.common import get_backend, request_settings
from ecograph.serve.state import state_of

router = APIRouter(tags=["operations"])

#: The probe: true on any store that holds a graph.
PROBE = "ASK { ?s ?p ?o }"
#: Longest wait for the probe, in seconds (the query time limit, if shorter).
PROBE_SECONDS = 5.0
_NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", summary="The process is alive", response_class=PlainTextResponse)
async def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok\n", headers=_NO_STORE)


@router.get("/readyz", summary="The store answers queries", response_class=PlainTextResponse)
async def readyz(request: Request) -> PlainTextResponse:
    if state_of(request.app).opened is None:
        raise HTTPException(503, "the store is not open yet", _NO_STORE)
    timeout = min(PROBE_SECONDS, request_settings(request).query_timeout)
    try:
        answered = await get_backend(request).ask(PROBE, timeout=timeout)
    except EcographError as exc:
        raise HTTPException(503, f"the store does not answer: {exc}", _NO_STORE) from None
    if not answered:
        raise HTTPException(503, "the store is empty", _NO_STORE)
    if state_of(request.app).warming_up:
        raise HTTPException(503, "warming up: computing what the pages keep", _NO_STORE)
    return PlainTextResponse("ready\n", headers=_NO_STORE)
