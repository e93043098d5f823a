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
from typing import Any, TypeVar

from ecograph.serve.state import Slot, state_of

T = TypeVar("T")
log = logging.getLogger(__name__)


async def kept(app: Any, key: str, compute: Callable[[], Awaitable[T]]) -> T:
    """``compute()``'s value for ``app`` (whose state holds the backend and the settings),
    computed at most once (once per ``cache_max_age`` seconds when the backend may change)."""
    state = state_of(app)
    slot = state.kept.setdefault(key, Slot())
    backend, settings = state.backend, state.settings
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
