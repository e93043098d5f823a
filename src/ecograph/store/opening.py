"""Opening the backend the settings name: ``endpoint`` → a remote SPARQL endpoint;
``data_files`` → an in-memory store of those files; ``store_path`` → a persisted Oxigraph store;
otherwise the project graph, built from the repository."""

from __future__ import annotations

import pyoxigraph

from ecograph.errors import ConfigurationError
from ecograph.settings import Settings
from ecograph.store.backend import Backend
from ecograph.store.embedded import EmbeddedBackend, load_data_files
from ecograph.store.remote import RemoteBackend


async def open_backend(settings: Settings) -> Backend:
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
    if settings.store_path is not None and not settings.store_path.is_dir():
        raise ConfigurationError(f"no Oxigraph store at {settings.store_path}")
    backend: RemoteBackend | EmbeddedBackend
    if settings.endpoint:
        backend = RemoteBackend(
            settings.endpoint,
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
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
            _store(settings),
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
        )
    await backend.start()
    return backend


def _store(settings: Settings) -> pyoxigraph.Store:
    if settings.data_files:
        return load_data_files(settings.data_files)
    from ecograph.build.pipeline import build_store  # the build pulls in reasoning and SHACL

    return build_store(settings)
