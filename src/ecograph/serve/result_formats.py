"""The formats a query result can take, as one table per kind of result, and the choice
between them: a ``format`` parameter (a name, an extension or a media type) wins over
``Accept``; the first entry of a table answers ``*/*`` and requests without ``Accept``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response, StreamingResponse

from ecograph.serve.negotiation import Format, by_name, negotiate
from ecograph.store.results import (
    AskResult,
    GraphResult,
    QueryResult,
    ResultKind,
    SelectResult,
    Writers,
    Written,
    to_wire,
)
from ecograph.store.writers import WRITERS

W3C_FORMATS = "http://www.w3.org/ns/formats/"
TRUNCATED_HEADER = "X-Ecograph-Truncated"
MAX_ROWS_HEADER = "X-Ecograph-Max-Rows"


@dataclass(frozen=True)
class ResultFormat:
    """A representation of one kind of result: how it is named, negotiated and written."""

    format: Format
    w3c: str  # its IRI in http://www.w3.org/ns/formats/, for the service description
    writer: str  # its writer's name in :data:`ecograph.store.writers.WRITERS`

    def write(self, result: Any) -> Iterator[bytes]:
        """``result`` (rdflib terms, or already in wire form) in this format."""
        if isinstance(result, SelectResult | AskResult | GraphResult):
            result = to_wire(result)
        return WRITERS[self.writer](result)


def _fmt(
    key: str,
    media_type: str,
    extension: str,
    w3c: str,
    writer: str,
    aliases: tuple[str, ...] = (),
) -> ResultFormat:
    fmt = Format(key, media_type, extension, None, aliases)
    return ResultFormat(fmt, W3C_FORMATS + w3c, writer)


#: SELECT and ASK results. ``application/json`` and ``application/xml`` are answered too, as
#: clients that do not know the SPARQL media types ask for those.
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    _fmt("json", "application/sparql-results+json", "srj", "SPARQL_Results_JSON", "json"),
    _fmt("xml", "application/sparql-results+xml", "srx", "SPARQL_Results_XML", "xml"),
    _fmt("csv", "text/csv", "csv", "SPARQL_Results_CSV", "csv"),
    _fmt("tsv", "text/tab-separated-values", "tsv", "SPARQL_Results_TSV", "tsv"),
    _fmt("json-plain", "application/json", "json", "SPARQL_Results_JSON", "json"),
    _fmt("xml-plain", "application/xml", "xml", "SPARQL_Results_XML", "xml"),
)
#: CONSTRUCT and DESCRIBE results, and the service description.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    _fmt("ttl", "text/turtle", "ttl", "Turtle", "ttl", ("turtle",)),
    _fmt("nt", "application/n-triples", "nt", "N-Triples", "nt", ("ntriples",)),
    _fmt("nq", "application/n-quads", "nq", "N-Quads", "nt", ("nquads",)),
    _fmt("jsonld", "application/ld+json", "jsonld", "JSON-LD", "jsonld", ("json-ld", "json")),
    _fmt("rdf", "application/rdf+xml", "rdf", "RDF_XML", "rdfxml", ("rdfxml", "xml")),
    _fmt("json-plain", "application/json", "json", "JSON-LD", "jsonld"),
    _fmt("xml-plain", "application/xml", "xml", "RDF_XML", "rdfxml"),
    _fmt("text", "text/plain", "txt", "N-Triples", "nt"),
)
_KIND_NAMES = {SelectResult: "a SELECT", AskResult: "an ASK", GraphResult: "a graph"}
_KIND_WHAT: dict[ResultKind, str] = {
    "select": "a SELECT result",
    "ask": "an ASK result",
    "graph": "a graph result",
}


def formats_for(result: QueryResult) -> tuple[ResultFormat, ...]:
    return GRAPH_FORMATS if isinstance(result, GraphResult) else SOLUTION_FORMATS


def choose(
    table: Sequence[ResultFormat], accept: str | None, requested: str | None, what: str
) -> ResultFormat:
    """The format to answer in; 400 for a ``format`` no table knows, 406 for one that exists
    but not for this result, or for an ``Accept`` that names none of the table's types."""
    offered = {f.format: f for f in table}
    if requested:
        named = by_name(requested, list(offered))
        if named is not None:
            return offered[named]
        everywhere = [f.format for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)]
        if by_name(requested, everywhere) is not None:
            raise HTTPException(
                406,
                f"format {requested!r} is not available for {what}; choose one of: {_names(table)}",
            )
        raise HTTPException(400, f"unknown format {requested!r}; choose one of: {_names(table)}")
    chosen = negotiate(accept, list(offered))
    if chosen is None:
        raise HTTPException(
            406,
            f"none of the media types in Accept can represent {what}; this server offers: "
            + ", ".join(f.format.media_type for f in table),
        )
    return offered[chosen]


def _names(table: Sequence[ResultFormat]) -> str:
    return ", ".join(f.format.key for f in table if not f.format.key.endswith("-plain"))


def result_response(
    result: QueryResult,
    *,
    accept: str | None,
    requested: str | None,
    max_rows: int,
    table: Sequence[ResultFormat] | None = None,
) -> StreamingResponse:
    """The streamed response, in a format of ``table`` (default: all formats for the kind of
    result); a result cut at the row cap says so in a header."""
    what = next(name for kind, name in _KIND_NAMES.items() if isinstance(result, kind))
    chosen = choose(table or formats_for(result), accept, requested, f"{what} result")
    extra = {"Vary": "Accept"}
    if not isinstance(result, AskResult):
        extra[MAX_ROWS_HEADER] = str(max_rows)
        if result.truncated:
            extra[TRUNCATED_HEADER] = "true"
    return StreamingResponse(
        chosen.write(result), media_type=chosen.format.content_type, headers=extra
    )


@lru_cache(maxsize=512)
def _acceptable(
    table: tuple[ResultFormat, ...], accept: str | None, requested: str | None
) -> ResultFormat | None:
    """:func:`choose`, with ``None`` for its refusals: clients repeat their headers, so the
    choice is remembered."""
    try:
        return choose(table, accept, requested, "")
    except HTTPException:
        return None


@dataclass(frozen=True)
class Choice:
    """The format each kind of result would be answered in, chosen before the query runs (its
    kind is known only then), so that the backend writes the result where it is computed."""

    accept: str | None
    requested: str | None
    by_kind: dict[ResultKind, ResultFormat | None]

    @property
    def writers(self) -> Writers:
        return {kind: None if f is None else f.writer for kind, f in self.by_kind.items()}

    def response(self, written: Written, *, max_rows: int) -> Response:
        """The answer for a result written with :attr:`writers`; for one that no format fits,
        the 400 or 406 that :func:`choose` gives."""
        table = GRAPH_FORMATS if written.kind == "graph" else SOLUTION_FORMATS
        # No format for this kind: choose() raises the 400 or 406 that refused it.
        chosen = self.by_kind[written.kind] or choose(
            table, self.accept, self.requested, _KIND_WHAT[written.kind]
        )
        headers = {"Vary": "Accept"}
        if written.kind != "ask":
            headers[MAX_ROWS_HEADER] = str(max_rows)
            if written.truncated:
                headers[TRUNCATED_HEADER] = "true"
        return Response(written.body, media_type=chosen.format.content_type, headers=headers)


def choice(accept: str | None, requested: str | None) -> Choice:
    solutions = _acceptable(SOLUTION_FORMATS, accept, requested)
    graph = _acceptable(GRAPH_FORMATS, accept, requested)
    return Choice(accept, requested, {"select": solutions, "ask": solutions, "graph": graph})
