"""The source texts, served: ``/sources/{identifier}.txt`` (the text itself) and
``/sources/{identifier}?char=start,end`` (a page of the text with that span marked).

Entity pages link every quote here, so that anyone can check it in its place. The span is an
RFC 5147 ``char=`` range over Unicode code points, end exclusive, as the quotes' Web Annotation
position selectors count; the page also honours it as a fragment (``#char=start,end``), which
is how it would be written on the text itself.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from rdflib import Literal
from rdflib.namespace import DCTERMS

from ecograph.ld.languages import first_in
from ecograph.rdf.namespaces import ECO
from ecograph.serve.common import BackendDep, LanguagesDep, SettingsDep, local_href
from ecograph.serve.conditional import cached
from ecograph.serve.routes.pages import page_response, render
from ecograph.serve.views.source_text import read_text, span

router = APIRouter(tags=["sources"])

_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")
_SOURCE = f"""
SELECT ?source ?file ?title WHERE {{
  ?source a <{ECO}Source> ; <{DCTERMS.identifier}> ?id ; <{ECO}localFile> ?file .
  OPTIONAL {{ ?source <{DCTERMS.title}> ?title }}
}}"""


async def _source(
    backend: BackendDep, settings: SettingsDep, identifier: str
) -> tuple[str, str, dict[str, str]] | None:
    """The source's IRI, its text and its titles by language; ``None`` if there is no such
    source, or its text is not in the project folder (a server on a remote endpoint)."""
    if not _IDENTIFIER.match(identifier):
        return None
    found = await backend.select(
        _SOURCE, bindings={"id": Literal(identifier)}, timeout=settings.query_timeout
    )
    titles = {
        title.language or "": str(title)
        for row in found.rows
        if isinstance(title := row.get("title"), Literal)
    }
    for row in found.rows:
        text = read_text(settings, str(row["file"]))
        if text is not None:
            return str(row["source"]), text, titles
    return None


@router.get("/sources/{identifier}.txt", summary="The text of a source article")
async def source_text(
    identifier: str, request: Request, backend: BackendDep, settings: SettingsDep
) -> Response:
    """The article's text as the repository holds it (UTF-8): the text its quotes are in."""
    found = await _source(backend, settings, identifier)
    if found is None:
        return PlainTextResponse("no such source text", status_code=404)
    body = found[1].encode("utf-8")
    return cached(request, body, "text/plain; charset=utf-8", max_age=settings.cache_max_age)


@router.get("/sources/{identifier}", response_class=HTMLResponse, summary="A source's text")
async def source_page(
    identifier: str,
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    wanted: LanguagesDep,
    char: Annotated[str | None, Query(description="RFC 5147 range: start,end")] = None,
) -> HTMLResponse:
    """The article's text with the span ``char=start,end`` marked (a quote in its place)."""
    found = await _source(backend, settings, identifier)
    if found is None:
        return page_response(
            render("not_found.html", request, iri=f"/sources/{identifier}", words="", matches=[]),
            status_code=404,
        )
    iri, text, titles = found
    title = first_in(titles, wanted)
    marked = span(char, len(text))
    before, quote, after = (
        (text[: marked[0]], text[marked[0] : marked[1]], text[marked[1] :])
        if marked
        else (text, "", "")
    )
    return page_response(
        render(
            "source.html",
            request,
            identifier=identifier,
            title=title[1] if title else identifier,
            title_lang=title[0] if title and title[0] else None,
            source_href=local_href(iri, request, settings),
            before=before,
            quote=quote,
            after=after,
            span=marked,
            lang=wanted[0],
        )
    )
