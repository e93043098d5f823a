"""What one app holds for its lifetime, typed.

FastAPI's ``app.state`` is an untyped bag; the factory puts one :class:`AppState` in it and
every module reads that through :func:`state_of`, so that a name misspelt is a type error and
not a silent ``None``. Values computed once per app (the pages' statistics, the explore index,
the reconciliation service) live in :attr:`AppState.kept`, through
:func:`ecograph.serve.views.kept.kept`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ecograph.errors import BackendError
from ecograph.rdf.catalogue import Catalogue
from ecograph.serve.document_cache import DocumentCache
from ecograph.serve.fairness import Fairness
from ecograph.serve.label_index import LabelIndex
from ecograph.settings import Settings
from ecograph.store.backend import Backend


@dataclass
class Slot:
    """One value computed once per app (see :func:`ecograph.serve.views.kept.kept`)."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    value: Any = None
    read_at: float | None = None


@dataclass
class AppState:
    """The settings, the catalogue and the limits from the factory; the backend, the document
    cache and the label index from the lifespan, once the store is open."""

    settings: Settings
    catalogue: Catalogue
    fairness: Fairness
    opened: Backend | None = None
    documents: DocumentCache | None = None
    label_index: LabelIndex | None = None
    kept: dict[str, Slot] = field(default_factory=dict)
    #: The lifespan's warm-up tasks (see :func:`ecograph.serve.views.kept.warm_up`): until
    #: they end the replica is not ready, so that a balancer sends it no first visitor.
    warming: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def warming_up(self) -> bool:
        """Whether the warm-up is still computing what the pages keep."""
        return any(not task.done() for task in self.warming)

    @property
    def backend(self) -> Backend:
        """The open backend; before startup has opened it, a :class:`BackendError`."""
        if self.opened is None:
            raise BackendError("the store is not open yet")
        return self.opened

    def labels(self) -> LabelIndex:
        """The label index that search, reconciliation and the pages share."""
        if self.label_index is None:
            self.label_index = LabelIndex(self.backend, max_age=self.settings.cache_max_age)
        return self.label_index


def state_of(app: Any) -> AppState:
    """The app's :class:`AppState` (``app`` is the FastAPI app, e.g. ``request.app``)."""
    state: AppState = app.state.ecograph
    return state
