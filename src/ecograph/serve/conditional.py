"""Conditional GET, once for every route: an ETag from the body, and 304 when the client holds
it already (RFC 9110: ``If-None-Match`` compares weakly, ``*`` matches any)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import Response


def etag_of(body: bytes) -> str:
    """A strong ETag of ``body``: the same bytes give the same tag on every replica."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison: ``W/`` is ignored)."""
    if if_none_match.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return etag.removeprefix("W/") in tags


def cached(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    max_age: int,
    etag: str | None = None,
    headers: Mapping[str, str] | None = None,
    immutable: bool = False,
) -> Response:
    """``body`` with its ETag and ``Cache-Control``, or a 304 without it when the client's
    copy is current. ``headers`` are sent with either."""
    tag = etag or etag_of(body)
    sent = {
        "ETag": tag,
        "Cache-Control": f"public, max-age={max_age}" + (", immutable" if immutable else ""),
        **(headers or {}),
    }
    if matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=sent)
    return Response(body, media_type=media_type, headers=sent)
