"""Query results written out in each format the endpoint offers, as a stream of byte chunks.

SPARQL result formats (JSON, XML, CSV, TSV) and N-Triples/N-Quads are written row by row, so a
large result leaves the server as it is written; Turtle, JSON-LD and RDF/XML go through rdflib,
which needs the whole graph (results are capped, so it is bounded).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ecograph.backends import AskResult, GraphResult, SelectResult
from ecograph.namespaces import PREFIXES
from ecograph.terms import XSD_STRING, ntriples

CHUNK_SIZE = 64 * 1024
Solutions = SelectResult | AskResult


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


def _literal_datatype(term: Literal) -> str | None:
    if term.language or term.datatype is None or str(term.datatype) == XSD_STRING:
        return None
    return str(term.datatype)


# SPARQL 1.1 Query Results JSON


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        value = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif (datatype := _literal_datatype(term)) is not None:
            value["datatype"] = datatype
        return value
    raise TypeError(f"not an RDF term: {term!r}")


def _json_parts(result: Solutions) -> Iterator[str]:
    if isinstance(result, AskResult):
        yield json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return
    head = json.dumps({"vars": list(result.variables)})
    yield '{"head": ' + head + ',\n"results": {"bindings": ['
    for index, row in enumerate(result.rows):
        binding = {name: _json_term(value) for name, value in row.items()}
        yield ("," if index else "") + "\n" + json.dumps(binding, ensure_ascii=False)
    yield "\n]}}\n"


def write_json(result: Solutions) -> Iterator[bytes]:
    return _chunked(_json_parts(result))


# SPARQL Query Results XML


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        attributes = ""
        if term.language:
            attributes = f" xml:lang={quoteattr(term.language)}"
        elif (datatype := _literal_datatype(term)) is not None:
            attributes = f" datatype={quoteattr(datatype)}"
        return f"<literal{attributes}>{escape(str(term))}</literal>"
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_parts(result: Solutions) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    if isinstance(result, AskResult):
        yield f"</head>\n<boolean>{'true' if result.value else 'false'}</boolean>\n</sparql>\n"
        return
    yield "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    yield "</head>\n<results>\n"
    for row in result.rows:
        bindings = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
            for name, value in row.items()
        )
        yield f"<result>{bindings}</result>\n"
    yield "</results>\n</sparql>\n"


def write_xml(result: Solutions) -> Iterator[bytes]:
    return _chunked(_xml_parts(result))


# SPARQL 1.1 Query Results CSV and TSV (an ASK gives one column, ``_askResult``)


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv_parts(result: Solutions) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(result, AskResult):
        writer.writerows([["_askResult"], ["true" if result.value else "false"]])
        yield buffer.getvalue()
        return
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(row.get(name)) for name in result.variables])
        if buffer.tell() >= CHUNK_SIZE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(result: Solutions) -> Iterator[bytes]:
    return _chunked(_csv_parts(result))


def _tsv_parts(result: Solutions) -> Iterator[str]:
    if isinstance(result, AskResult):
        yield f"?_askResult\n{'true' if result.value else 'false'}\n"
        return
    yield "\t".join(f"?{name}" for name in result.variables) + "\n"
    for row in result.rows:
        yield (
            "\t".join(
                "" if (term := row.get(name)) is None else ntriples(term)
                for name in result.variables
            )
            + "\n"
        )


def write_tsv(result: Solutions) -> Iterator[bytes]:
    return _chunked(_tsv_parts(result))


# Graphs


def write_ntriples(result: GraphResult) -> Iterator[bytes]:
    """Also N-Quads: a CONSTRUCT result is a graph, so every quad is in the default graph."""
    return _chunked(f"{ntriples(s)} {ntriples(p)} {ntriples(o)} .\n" for s, p, o in result.triples)


def _via_rdflib(
    result: GraphResult, *, rdflib_format: str, options: Mapping[str, Any]
) -> Iterator[bytes]:
    data = result.graph().serialize(format=rdflib_format, encoding="utf-8", **options)
    for start in range(0, len(data), CHUNK_SIZE):
        yield data[start : start + CHUNK_SIZE]


write_turtle = partial(_via_rdflib, rdflib_format="turtle", options={})
write_jsonld = partial(
    _via_rdflib, rdflib_format="json-ld", options={"context": dict(PREFIXES), "auto_compact": True}
)
write_rdfxml = partial(_via_rdflib, rdflib_format="xml", options={})
