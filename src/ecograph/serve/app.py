"""The application factory: one app per call, nothing loaded at import time.

The catalogue's routes are built here (they must exist before the OpenAPI document is asked
for); the backend is opened by the lifespan, from the settings, unless one is given (tests, or
an embedding application that owns it). Routers read the app's typed state
(:mod:`ecograph.serve.state`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from functools import partial

import pyoxigraph
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import ecograph
from ecograph.rdf.catalogue import Catalogue
from ecograph.serve.common import vocabulary_of
from ecograph.serve.document_cache import DocumentCache
from ecograph.serve.errors import install_error_handlers
from ecograph.serve.fairness import Fairness
from ecograph.serve.label_index import LabelIndex
from ecograph.serve.result_formats import MAX_ROWS_HEADER, TRUNCATED_HEADER
from ecograph.serve.routes import (
    explore,
    health,
    pages,
    queries,
    query_aids,
    reconcile,
    search,
    sources,
    sparql,
    vendored,
)
from ecograph.serve.routes import linked_data as entities
from ecograph.serve.state import AppState, state_of
from ecograph.serve.views.home import kept_country_counts, kept_kind_counts
from ecograph.serve.views.kept import warm_up
from ecograph.serve.views.links import kept_link_table
from ecograph.settings import Settings, get_settings
from ecograph.store.backend import Backend
from ecograph.store.opening import open_backend

log = logging.getLogger(__name__)

EXPOSED_HEADERS = [
    "ETag",
    "Last-Modified",
    "Link",
    "Content-Location",
    "Content-Disposition",
    "Vary",
    TRUNCATED_HEADER,
    MAX_ROWS_HEADER,
]


def create_app(
    settings: Settings | None = None,
    backend: Backend | None = None,
    *,
    project_store: Callable[[], pyoxigraph.Store] | None = None,
) -> FastAPI:
    """The app; its backend is ``backend`` if given, else opened at startup from the settings
    (``project_store`` makes the store when the settings name none: the build's, from the CLI).
    """
    settings = settings or get_settings()
    catalogue = load_catalogue(settings)
    app = FastAPI(
        title="ecograph",
        version=getattr(ecograph, "__version__", "0"),
        description="An open knowledge graph of regional innovation ecosystems: a read-only "
        "SPARQL 1.1 endpoint, linked data, a catalogue of named queries, search and pages.",
        lifespan=partial(_lifespan, given=backend, project_store=project_store),
    )
    app.state.ecograph = AppState(settings, catalogue, Fairness(settings))
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
        max_age=86_400,
    )
    app.router.routes.append(sparql.fast_route())
    app.include_router(sparql.router)
    app.include_router(health.router)
    app.include_router(queries.create_router(catalogue))
    app.include_router(query_aids.router)
    app.include_router(search.router)
    app.include_router(reconcile.router)
    app.include_router(entities.router)
    app.include_router(explore.router)
    app.include_router(sources.router)
    app.include_router(vendored.router)
    app.include_router(pages.router)
    return app


def load_catalogue(settings: Settings) -> Catalogue:
    """The named queries; a project without a ``queries/`` folder serves an empty catalogue."""
    if not settings.queries_dir.is_dir():
        log.info("no query catalogue at %s", settings.queries_dir)
        return Catalogue({})
    return Catalogue.load(settings.queries_dir)


@asynccontextmanager
async def _lifespan(
    app: FastAPI, given: Backend | None, project_store: Callable[[], pyoxigraph.Store] | None
) -> AsyncIterator[None]:
    state = state_of(app)
    settings = state.settings
    backend = given if given is not None else await open_backend(settings, project_store)
    state.opened = backend
    budget = settings.document_cache_mib * 2**20
    state.documents = DocumentCache(budget) if backend.immutable and budget else None
    # What startup built (modules, the app, the catalogue) lives as long as the server: a
    # full collection would walk all of it, tens of milliseconds, for nothing to free. (The
    # garbage of startup, a build's rdflib graphs, went in the collection that precedes the
    # workers' fork.)
    gc.freeze()
    state.label_index = LabelIndex(backend, settings.store_path, settings.cache_max_age)
    # What the pages keep (home statistics, the links table, the vocabulary, the label and
    # explore indexes) is computed now, in the background, rather than by the first visitor
    # (docs/serving.md, "Pages"); /readyz says "warming up" until it is done. The label index
    # is read in the server process, the rest by the query workers: side by side, they share
    # the two cores instead of waiting for each other.
    state.warming = (
        [asyncio.create_task(warm_up(app, steps)) for steps in (WARM_UP, WARM_UP_BESIDE)]
        if backend.immutable
        else []
    )
    try:
        yield
    finally:
        for task in state.warming:
            task.cancel()
        for task in state.warming:
            with suppress(asyncio.CancelledError):
                await task
        if given is None:
            await backend.close()


async def _label_index(app: FastAPI) -> object:
    return await state_of(app).labels().labels()


#: What :func:`ecograph.serve.views.kept.warm_up` computes when the server starts, in two
#: sequences side by side: the pages' values, cheapest first, asked of the query workers; and
#: the label index (read in the server process, seconds at 1M triples), then the explore index
#: (3-4 s at 1M; its rows are parsed in the server process too, so after the labels rather than
#: beside them: beside them, the first search at 1M took 0.87 s instead of 0.57 s).
WARM_UP = (
    pages.load_templates,
    kept_kind_counts,
    kept_country_counts,
    vocabulary_of,
    kept_link_table,
)
WARM_UP_BESIDE = (_label_index, explore.kept_explore_index)
