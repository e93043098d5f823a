"""The formats a query result can take, as one table per kind of result, and the choice
between them: a ``format`` parameter (a name, an extension or a media type) wins over
``Accept``; the first entry of a table answers ``*/*`` and requests without ``Accept``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.responses import StreamingResponse

from ecograph.api.negotiation import Format, by_name, negotiate
from ecograph.api.result_writers import (
    write_csv,
    write_json,
    write_jsonld,
    write_ntriples,
    write_rdfxml,
    write_tsv,
    write_turtle,
    write_xml,
)
from ecograph.backends import AskResult, GraphResult, QueryResult, SelectResult

W3C_FORMATS = "http://www.w3.org/ns/formats/"
TRUNCATED_HEADER = "X-Ecograph-Truncated"
MAX_ROWS_HEADER = "X-Ecograph-Max-Rows"


@dataclass(frozen=True)
class ResultFormat:
    """A representation of one kind of result: how it is named, negotiated and written."""

    format: Format
    w3c: str  # its IRI in http://www.w3.org/ns/formats/, for the service description
    write: Callable[[Any], Iterator[bytes]]


def _fmt(
    key: str,
    media_type: str,
    extension: str,
    w3c: str,
    write: Callable[[Any], Iterator[bytes]],
    aliases: tuple[str, ...] = (),
) -> ResultFormat:
    return ResultFormat(Format(key, media_type, extension, None, aliases), W3C_FORMATS + w3c, write)


#: SELECT and ASK results. ``application/json`` and ``application/xml`` are answered too, as
#: clients that do not know the SPARQL media types ask for those.
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    _fmt("json", "application/sparql-results+json", "srj", "SPARQL_Results_JSON", write_json),
    _fmt("xml", "application/sparql-results+xml", "srx", "SPARQL_Results_XML", write_xml),
    _fmt("csv", "text/csv", "csv", "SPARQL_Results_CSV", write_csv),
    _fmt("tsv", "text/tab-separated-values", "tsv", "SPARQL_Results_TSV", write_tsv),
    _fmt("json-plain", "application/json", "json", "SPARQL_Results_JSON", write_json),
    _fmt("xml-plain", "application/xml", "xml", "SPARQL_Results_XML", write_xml),
)
#: CONSTRUCT and DESCRIBE results, and the service description.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    _fmt("ttl", "text/turtle", "ttl", "Turtle", write_turtle, ("turtle",)),
    _fmt("nt", "application/n-triples", "nt", "N-Triples", write_ntriples, ("ntriples",)),
    _fmt("nq", "application/n-quads", "nq", "N-Quads", write_ntriples, ("nquads",)),
    _fmt("jsonld", "application/ld+json", "jsonld", "JSON-LD", write_jsonld, ("json-ld", "json")),
    _fmt("rdf", "application/rdf+xml", "rdf", "RDF_XML", write_rdfxml, ("rdfxml", "xml")),
    _fmt("json-plain", "application/json", "json", "JSON-LD", write_jsonld),
    _fmt("xml-plain", "application/xml", "xml", "RDF_XML", write_rdfxml),
    _fmt("text", "text/plain", "txt", "N-Triples", write_ntriples),
)
_KIND_NAMES = {SelectResult: "a SELECT", AskResult: "an ASK", GraphResult: "a graph"}


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
