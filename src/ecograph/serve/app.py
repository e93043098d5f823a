"""The application factory: one app per call, nothing loaded at import time.

The catalogue's routes are built here (they must exist before the OpenAPI document is asked
for); the backend is opened by the lifespan, from the settings, unless one is given (tests, or
an embedding application that owns it). Routers read ``app.state.backend``,
``app.state.settings`` and ``app.state.catalogue``.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import ecograph
from ecograph.rdf.catalogue import Catalogue
from ecograph.serve.document_cache import DocumentCache
from ecograph.serve.errors import install_error_handlers
from ecograph.serve.result_formats import MAX_ROWS_HEADER, TRUNCATED_HEADER
from ecograph.serve.routes import linked_data as entities
from ecograph.serve.routes import pages, queries, search, sparql
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


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> FastAPI:
    settings = settings or get_settings()
    catalogue = load_catalogue(settings)
    app = FastAPI(
        title="ecograph",
        version=getattr(ecograph, "__version__", "0"),
        description="An open knowledge graph of regional innovation ecosystems: a read-only "
        "SPARQL 1.1 endpoint, linked data, a catalogue of named queries, search and pages.",
        lifespan=partial(_lifespan, given=backend),
    )
    app.state.settings = settings
    app.state.catalogue = catalogue
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
    app.include_router(queries.create_router(catalogue))
    app.include_router(search.router)
    app.include_router(entities.router)
    app.include_router(pages.router)
    return app


def load_catalogue(settings: Settings) -> Catalogue:
    """The named queries; a project without a ``queries/`` folder serves an empty catalogue."""
    if not settings.queries_dir.is_dir():
        log.info("no query catalogue at %s", settings.queries_dir)
        return Catalogue({})
    return Catalogue.load(settings.queries_dir)


@asynccontextmanager
async def _lifespan(app: FastAPI, given: Backend | None) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    backend = given if given is not None else await open_backend(settings)
    app.state.backend = backend
    budget = settings.document_cache_mib * 2**20
    app.state.documents = DocumentCache(budget) if backend.immutable and budget else None
    # What startup built (modules, the app, the catalogue) lives as long as the server: a
    # full collection would walk all of it, tens of milliseconds, for nothing to free. (The
    # garbage of startup, a build's rdflib graphs, went in the collection that precedes the
    # workers' fork.)
    gc.freeze()
    app.state.label_index = search.LabelIndex(backend)
    try:
        yield
    finally:
        if given is None:
            await backend.close()
