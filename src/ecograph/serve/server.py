"""Running the application with uvicorn: what ``ecograph serve`` calls."""

from __future__ import annotations

import uvicorn

from ecograph.serve.app import create_app
from ecograph.settings import Settings


def run(settings: Settings) -> None:
    """Serve until interrupted. One uvicorn process: the query workers are its children, and a
    second server process would hold a second copy of the store for nothing."""
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
