"""Running the application with uvicorn: what ``ecograph serve`` calls."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph
import uvicorn

from ecograph.serve.app import create_app
from ecograph.settings import Settings


def run(settings: Settings, project_store: Callable[[], pyoxigraph.Store] | None = None) -> None:
    """Serve until interrupted. One uvicorn process: the query workers are its children, and a
    second server process would hold a second copy of the store for nothing."""
    uvicorn.run(
        create_app(settings, project_store=project_store),
        host=settings.host,
        port=settings.port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
