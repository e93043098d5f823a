"""Values computed once per app from a graph that cannot change while the server runs.

A page's statistics (counts by kind, by country) cost a few queries; on a persisted or embedded
store (``Backend.immutable``) they are computed on first use, or by :func:`warm_up` when the
server starts, and kept for the life of the app. Behind a remote endpoint, which may change,
they are kept ``cache_max_age`` seconds. One lock per value, so that a burst of first requests
runs the queries once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ecograph.settings import Settings
from ecograph.store.backend import Backend

T = TypeVar("T")
_STATE = "ecograph_kept_values"
log = logging.getLogger(__name__)


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    value: Any = None
    read_at: float | None = None


async def kept(app: Any, key: str, compute: Callable[[], Awaitable[T]]) -> T:
    """``compute()``'s value for ``app`` (whose state holds the backend and the settings),
    computed at most once (once per ``cache_max_age`` seconds when the backend may change)."""
    state = app.state
    slots: dict[str, _Slot] | None = getattr(state, _STATE, None)
    if slots is None:
        slots = {}
        setattr(state, _STATE, slots)
    slot = slots.setdefault(key, _Slot())
    backend: Backend = state.backend
    settings: Settings = state.settings
    async with slot.lock:
        fresh = slot.read_at is not None and (
            backend.immutable or time.monotonic() - slot.read_at < settings.cache_max_age
        )
        if not fresh:
            slot.value = await compute()
            slot.read_at = time.monotonic()
        value: T = slot.value
        return value


async def warm_up(app: Any, steps: Sequence[Callable[[Any], Awaitable[object]]]) -> None:
    """Compute what the pages keep, one step after the other, before anyone asks: started by
    the app's lifespan for a store that cannot change. A step that fails is logged and left
    to the first request that needs it (which then reports the error as usual)."""
    for step in steps:
        try:
            await step(app)
        except asyncio.CancelledError:
            raise
        except Exception:  # a warm-up never takes the server down
            log.warning("warming up %s failed", getattr(step, "__name__", step), exc_info=True)
