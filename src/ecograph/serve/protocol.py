"""Reading a SPARQL 1.1 Protocol query request, and refusing every malformed one.

The three ways to send a query: ``GET ?query=``, ``POST`` form-encoded, ``POST
application/sparql-query`` (with the dataset in the URL). Parameters are decoded here rather than
by Starlette, which would replace bytes that are not UTF-8 instead of rejecting them.

Statuses: 400 for two queries, a missing query, a body or URL that is not UTF-8 (a declared
charset other than UTF-8 included); 415 for a POST with no or another media type; 403 for any
update (``update=``, ``application/sparql-update``, ``using-graph-uri``), whatever it says;
413 for a query or body over the configured length.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request

from ecograph.errors import QueryTooLarge, UpdateRefused
from ecograph.settings import Settings
from ecograph.store.backend import QueryDataset
from ecograph.store.safety import UPDATE_MESSAGE

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})
MAX_FIELDS = 1000


@dataclass(frozen=True)
class QueryOperation:
    """A query request, read. ``query`` is ``None`` for a bare ``GET`` (the service
    description); ``format`` is the ``format`` parameter, if any."""

    query: str | None
    dataset: QueryDataset | None
    format: str | None


async def read_operation(request: Request, settings: Settings) -> QueryOperation:
    url_params = read_pairs(request.scope.get("query_string", b""), "the URL's query string")
    if request.method == "GET":
        return _operation(url_params, None, settings, allow_bare=True)
    media_type, charset = content_type(request.headers.get("content-type"))
    if media_type == UPDATE:
        raise UpdateRefused(UPDATE_MESSAGE)
    if media_type not in {FORM, DIRECT}:
        shown = f"media type {media_type!r}" if media_type else "no media type"
        raise HTTPException(
            415, f"a SPARQL query is POSTed as {FORM} or {DIRECT}, not with {shown}"
        )
    if charset not in {None, "utf-8", "utf8"}:
        raise HTTPException(400, f"the body must be UTF-8, not {charset}")
    body = await _body(request, settings)
    if media_type == FORM:
        params = url_params + read_pairs(body, "the form-encoded body")
        return _operation(params, None, settings, allow_bare=False)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the query is not valid UTF-8") from None
    return _operation(url_params, text, settings, allow_bare=False)


def _operation(
    params: list[tuple[str, str]], direct: str | None, settings: Settings, *, allow_bare: bool
) -> QueryOperation:
    names = {name for name, _ in params}
    if names & UPDATE_PARAMS:
        raise UpdateRefused(UPDATE_MESSAGE)
    queries = [value for name, value in params if name == "query"]
    if direct is not None:
        queries.append(direct)
    if len(queries) > 1:
        raise HTTPException(400, "the request holds more than one query; send one")
    formats = [value for name, value in params if name == "format"]
    if len(formats) > 1:
        raise HTTPException(400, "the format parameter is given more than once")
    dataset = QueryDataset(
        default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
    )
    has_dataset = bool(dataset.default_graphs or dataset.named_graphs)
    if not queries:
        if allow_bare and not has_dataset:
            return QueryOperation(None, None, formats[0] if formats else None)
        raise HTTPException(400, "the query parameter is missing")
    query = queries[0]
    if not query.strip():
        raise HTTPException(400, "the query is empty")
    if len(query) > settings.max_query_length:
        raise QueryTooLarge(
            f"the query is {len(query)} characters long; this endpoint takes at most "
            f"{settings.max_query_length}"
        )
    return QueryOperation(query, dataset if has_dataset else None, formats[0] if formats else None)


def read_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError:
        raise HTTPException(400, f"{where} is not valid UTF-8") from None
    except ValueError as exc:
        raise HTTPException(400, f"{where} cannot be read: {exc}") from None


def content_type(header: str | None) -> tuple[str, str | None]:
    """The media type (lower case) and charset of a Content-Type header."""
    if not header:
        return "", None
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


async def _body(request: Request, settings: Settings) -> bytes:
    """The body, refused past what the longest allowed query could take (percent-encoded
    four-byte characters, plus room for the other parameters)."""
    return await read_body(request, settings.max_query_length * 12 + 64 * 1024)


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused (413) as soon as it is over ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise QueryTooLarge(f"the request body is over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise QueryTooLarge(f"the request body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
