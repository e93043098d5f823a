"""Typed dependencies of the SPARQL and query routes, on top of those in
:mod:`ecograph.serve.common` (backend, settings) that every router shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecograph.rdf.catalogue import Catalogue
from ecograph.serve.common import BackendDep, SettingsDep, site_base
from ecograph.serve.state import state_of
from ecograph.settings import Settings

__all__ = ["BackendDep", "CatalogueDep", "SettingsDep", "public_url"]


async def get_catalogue(request: Request) -> Catalogue:
    """A coroutine, so that FastAPI calls it on the event loop rather than in a thread."""
    return state_of(request.app).catalogue


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


def public_url(request: Request, settings: Settings, path: str) -> str:
    """The absolute URL of ``path`` as clients reach it (``public_base`` behind a proxy)."""
    return site_base(request, settings) + path.lstrip("/")
