"""Opening the backend the settings name: ``endpoint`` → a remote SPARQL endpoint;
``data_files`` → an in-memory store of those files; ``store_path`` → a persisted Oxigraph store;
otherwise the store that ``project_store`` makes (the command line passes the build's, so that
this layer never imports the build)."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph

from ecograph.errors import ConfigurationError
from ecograph.settings import Settings
from ecograph.store.backend import Backend
from ecograph.store.embedded import EmbeddedBackend, load_data_files
from ecograph.store.remote import RemoteBackend


async def open_backend(
    settings: Settings, project_store: Callable[[], pyoxigraph.Store] | None = None
) -> Backend:
    """The backend, started: its worker processes are forked once the store is in memory."""
    chosen = [
        name
        for name, value in (
            ("--endpoint", settings.endpoint),
            ("--data", settings.data_files),
            ("--store", settings.store_path),
        )
        if value
    ]
    if len(chosen) > 1:
        raise ConfigurationError(f"choose one of {', '.join(chosen)}: they name different graphs")
    backend: RemoteBackend | EmbeddedBackend
    if settings.endpoint:
        backend = RemoteBackend(
            settings.endpoint,
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            timeout_parameter=settings.endpoint_timeout_parameter,
        )
    elif settings.store_path is not None:
        backend = EmbeddedBackend(
            path=settings.store_path,
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
        )
    else:
        backend = EmbeddedBackend(
            _store(settings, project_store),
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
        )
    await backend.start()
    return backend


def _store(
    settings: Settings, project_store: Callable[[], pyoxigraph.Store] | None
) -> pyoxigraph.Store:
    if settings.data_files:
        return load_data_files(settings.data_files)
    if project_store is None:
        raise ConfigurationError("nothing to serve: give --store, --endpoint or --data")
    return project_store()
