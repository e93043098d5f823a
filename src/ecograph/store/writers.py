"""Query results written out in each format the endpoint offers, as a stream of byte chunks.

The writers read results in the wire form of :mod:`ecograph.rdf.terms` (an IRI is a ``str``, a
blank node ``(id,)``, a literal ``(lexical form, datatype or "", language or "")``), not rdflib
terms: the embedded backend writes its results inside the query workers, where building an
rdflib term per value would cost more than writing it, and the parent then only relays bytes.
Results of a remote store, which arrive as rdflib terms, are turned into that form by
:func:`to_wire`.

SPARQL result formats (JSON, XML, CSV, TSV) and N-Triples/N-Quads are written row by row, so a
large result leaves the server as it is written; Turtle, JSON-LD and RDF/XML go through rdflib,
which needs the whole graph (results are capped, so it is bounded).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph

from ecograph.rdf.namespaces import PREFIXES, bind_prefixes
from ecograph.rdf.terms import WireTerm, ntriples, wire_to_rdflib
from ecograph.store.results import (
    ResultKind,
    WireAsk,
    WireGraph,
    WireResult,
    WireSolutions,
    Writers,
    Written,
)

CHUNK_SIZE = 64 * 1024
Solutions = WireSolutions | WireAsk
Writer = Callable[[Any], Iterator[bytes]]


def _chunked(parts: Iterable[str]) -> Iterator[bytes]:
    """Join small pieces into chunks: one network write per row would be slow."""
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= CHUNK_SIZE:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def _ntriples(term: WireTerm) -> str:
    return ntriples(wire_to_rdflib(term))


# SPARQL 1.1 Query Results JSON

_json_string: Callable[[str], str] = json.encoder.encode_basestring


def _json_term(term: WireTerm) -> str:
    if isinstance(term, str):
        return '{"type":"uri","value":' + _json_string(term) + "}"
    if len(term) == 1:
        return '{"type":"bnode","value":' + _json_string(term[0]) + "}"
    value, datatype, language = term
    if language:
        extra = ',"xml:lang":' + _json_string(language)
    elif datatype:
        extra = ',"datatype":' + _json_string(datatype)
    else:
        extra = ""
    return '{"type":"literal","value":' + _json_string(value) + extra + "}"


def _json_parts(result: Solutions) -> Iterator[str]:
    if isinstance(result, WireAsk):
        yield json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return
    names = [_json_string(v) + ":" for v in result.variables]
    yield '{"head":{"vars":' + json.dumps(list(result.variables)) + '},\n"results":{"bindings":['
    separator = "\n"
    for row in result.rows:
        bound = ",".join(
            name + _json_term(term)
            for name, term in zip(names, row, strict=True)
            if term is not None
        )
        yield separator + "{" + bound + "}"
        separator = ",\n"
    yield "\n]}}\n"


def write_json(result: Solutions) -> Iterator[bytes]:
    return _chunked(_json_parts(result))


# SPARQL Query Results XML


def _xml_term(term: WireTerm) -> str:
    if isinstance(term, str):
        return f"<uri>{escape(term)}</uri>"
    if len(term) == 1:
        return f"<bnode>{escape(term[0])}</bnode>"
    value, datatype, language = term
    attributes = ""
    if language:
        attributes = f" xml:lang={quoteattr(language)}"
    elif datatype:
        attributes = f" datatype={quoteattr(datatype)}"
    return f"<literal{attributes}>{escape(value)}</literal>"


def _xml_parts(result: Solutions) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    if isinstance(result, WireAsk):
        yield f"</head>\n<boolean>{'true' if result.value else 'false'}</boolean>\n</sparql>\n"
        return
    yield "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    yield "</head>\n<results>\n"
    names = [f"<binding name={quoteattr(v)}>" for v in result.variables]
    for row in result.rows:
        bindings = "".join(
            f"{name}{_xml_term(term)}</binding>"
            for name, term in zip(names, row, strict=True)
            if term is not None
        )
        yield f"<result>{bindings}</result>\n"
    yield "</results>\n</sparql>\n"


def write_xml(result: Solutions) -> Iterator[bytes]:
    return _chunked(_xml_parts(result))


# SPARQL 1.1 Query Results CSV and TSV (an ASK gives one column, ``_askResult``)


def _csv_value(term: WireTerm | None) -> str:
    if term is None:
        return ""
    if isinstance(term, str):
        return term
    if len(term) == 1:
        return f"_:{term[0]}"
    return term[0]


def _csv_parts(result: Solutions) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(result, WireAsk):
        writer.writerows([["_askResult"], ["true" if result.value else "false"]])
        yield buffer.getvalue()
        return
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(term) for term in row])
        if buffer.tell() >= CHUNK_SIZE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(result: Solutions) -> Iterator[bytes]:
    return _chunked(_csv_parts(result))


def _tsv_parts(result: Solutions) -> Iterator[str]:
    if isinstance(result, WireAsk):
        yield f"?_askResult\n{'true' if result.value else 'false'}\n"
        return
    yield "\t".join(f"?{name}" for name in result.variables) + "\n"
    for row in result.rows:
        yield "\t".join("" if term is None else _ntriples(term) for term in row) + "\n"


def write_tsv(result: Solutions) -> Iterator[bytes]:
    return _chunked(_tsv_parts(result))


# Graphs


def write_ntriples(result: WireGraph) -> Iterator[bytes]:
    """Also N-Quads: a CONSTRUCT result is a graph, so every quad is in the default graph."""
    return _chunked(
        f"{_ntriples(s)} {_ntriples(p)} {_ntriples(o)} .\n" for s, p, o in result.triples
    )


def rdflib_graph(result: WireGraph) -> Graph:
    graph = bind_prefixes(Graph())
    for prefix, namespace in result.prefixes:
        graph.bind(prefix, namespace)
    for s, p, o in result.triples:
        graph.add((wire_to_rdflib(s), wire_to_rdflib(p), wire_to_rdflib(o)))
    return graph


def _via_rdflib(
    result: WireGraph, *, rdflib_format: str, options: Mapping[str, Any]
) -> Iterator[bytes]:
    data = rdflib_graph(result).serialize(format=rdflib_format, encoding="utf-8", **options)
    for start in range(0, len(data), CHUNK_SIZE):
        yield data[start : start + CHUNK_SIZE]


write_turtle = partial(_via_rdflib, rdflib_format="turtle", options={})
write_jsonld = partial(
    _via_rdflib, rdflib_format="json-ld", options={"context": dict(PREFIXES), "auto_compact": True}
)
write_rdfxml = partial(_via_rdflib, rdflib_format="xml", options={})

#: Every writer by name: what a query worker is asked to write its result with.
WRITERS: dict[str, Writer] = {
    "json": write_json,
    "xml": write_xml,
    "csv": write_csv,
    "tsv": write_tsv,
    "nt": write_ntriples,
    "ttl": write_turtle,
    "jsonld": write_jsonld,
    "rdfxml": write_rdfxml,
}


def kind_of(result: WireResult) -> ResultKind:
    if isinstance(result, WireSolutions):
        return "select"
    return "ask" if isinstance(result, WireAsk) else "graph"


def write(result: WireResult, writers: Writers) -> Written:
    """``result`` written whole with the writer named for its kind (nothing if none is)."""
    kind = kind_of(result)
    name = writers.get(kind)
    truncated = not isinstance(result, WireAsk) and result.truncated
    if name is None:
        return Written(kind, None, b"", truncated)
    return Written(kind, name, b"".join(WRITERS[name](result)), truncated)
