"""Every error the API can answer with, mapped to its HTTP status in one place.

Typed errors of :mod:`ecograph.errors` get the status of their closest class in
:data:`STATUS_BY_ERROR`; HTTP errors raised by routes or by Starlette (404, 405, ...) keep their
own; anything else is a 500 with a plain message, logged with its traceback for the operator and
never shown to the client. That last one is an ASGI middleware rather than an exception handler:
Starlette re-raises after a handler for ``Exception``, and uvicorn then drops the connection.

The body is a page for browsers, ``application/problem+json`` (RFC 9457) for JSON clients and
under ``/api/``, plain text for everyone else (curl, SPARQL clients).
"""

from __future__ import annotations

import html
import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecograph.errors import (
    BackendError,
    ClientLimitReached,
    ConfigurationError,
    EcographError,
    InputError,
    NotFound,
    ParameterError,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    RemoteAccessRefused,
    RemoteContextRefused,
    UnknownQuery,
    UpdateRefused,
    ValidationFailed,
)
from ecograph.serve.negotiation import HTML, JSON, Format, negotiate

log = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[EcographError], int] = {
    QuerySyntaxError: 400,
    ParameterError: 400,
    UpdateRefused: 403,
    RemoteAccessRefused: 400,
    QueryRefused: 400,
    QueryTooLarge: 413,
    QueryTimeout: 504,
    ClientLimitReached: 429,
    UnknownQuery: 404,
    QueryError: 400,
    NotFound: 404,
    RemoteContextRefused: 400,
    BackendError: 502,
    ConfigurationError: 500,
    InputError: 500,
    ValidationFailed: 500,
    EcographError: 500,
}

_TEXT = Format("text", "text/plain", "txt", None)
_PROBLEM = Format("problem", "application/problem+json", "json", None)


def status_for(error: EcographError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def problem_response(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """The error body in the form the client reads best."""
    title = HTTPStatus(status).phrase
    offered = [_TEXT, JSON, _PROBLEM, HTML]
    if request.url.path.startswith("/api/"):
        offered = [JSON, _PROBLEM, _TEXT, HTML]
    chosen = negotiate(request.headers.get("accept"), offered) or offered[0]
    if chosen is HTML:
        page = (
            f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{status} {html.escape(title)}</title></head>\n<body><h1>{status} "
            f"{html.escape(title)}</h1>\n<pre>{html.escape(detail)}</pre>\n"
            f'<p><a href="/">ecograph home</a></p></body></html>\n'
        )
        return HTMLResponse(page, status_code=status, headers=headers)
    if chosen is _TEXT:
        return PlainTextResponse(f"{status} {title}: {detail}\n", status, headers=headers)
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status, headers=headers, media_type=chosen.media_type)


async def _typed_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, EcographError):  # pragma: no cover - registered for these only
        return await _unexpected(request, exc)
    status = status_for(exc)
    if status >= 500:
        log.warning("%s %s failed: %s", request.method, request.url.path, exc)
    headers = None
    if isinstance(exc, ClientLimitReached):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem_response(request, status, str(exc), headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, StarletteHTTPException):  # pragma: no cover
        return await _unexpected(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(request, exc.status_code, detail, dict(exc.headers or {}))


async def _validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 for an ill-formed parameter becomes a 400 naming it, like every other
    bad parameter of the API."""
    if not isinstance(exc, RequestValidationError):  # pragma: no cover
        return await _unexpected(request, exc)
    problems = [
        f"{'.'.join(str(p) for p in error.get('loc', ())[1:]) or 'request'}: {error.get('msg')}"
        for error in exc.errors()
    ]
    return problem_response(request, 400, "; ".join(problems) or "bad request")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("%s %s: unexpected error", request.method, request.url.path, exc_info=exc)
    return problem_response(request, 500, "the server failed to answer; the error was logged")


class CatchAll:
    """The one place that catches any exception: a bug becomes a logged, plain 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            if started:  # too late for a status: let the server close the connection
                raise
            response = await _unexpected(Request(scope), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """The handlers, and the catch-all middleware (add CORS after it, so that it wraps it)."""
    app.add_exception_handler(EcographError, _typed_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(CatchAll)
