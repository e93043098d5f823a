"""Loading data files into the build's Oxigraph store, one named graph per file.

Oxigraph's Rust parser is many times faster than rdflib's (docs/build.md), and its syntax
errors carry line and column, which become :class:`~ecograph.errors.InputError`
naming the file. Ill-typed literals are then judged for all files at once
(:func:`check_literals`), by the same rules as :mod:`ecograph.rdf.files`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.term import Node

from ecograph.errors import InputError, SourceLocation
from ecograph.rdf.files import SourceFile, ill_typed, quiet_rdflib, raise_ill_typed
from ecograph.rdf.formats import file_format
from ecograph.rdf.terms import oxigraph_to_rdflib

_TYPED_LITERALS = """
SELECT DISTINCT ?o WHERE {
  ?s ?p ?o
  FILTER (isLiteral(?o) && LANG(?o) = ""
          && STRSTARTS(STR(DATATYPE(?o)), "http://www.w3.org/2001/XMLSchema#")
          && DATATYPE(?o) != <http://www.w3.org/2001/XMLSchema#string>)
}"""
_OX_ERROR = re.compile(
    r"^Parser error at line (?P<line>\d+)(?: between columns (?P<col>\d+))?[^:]*: "
)


def load_file(
    store: pyoxigraph.Store, path: Path, graph_name: str, *, bulk: bool = False
) -> SourceFile:
    """Parse one data file into its named graph of ``store``.

    The load is one transaction: a file with a syntax error leaves nothing behind — except
    with ``bulk`` (on-disk stores, where the bulk loader is much faster), when the caller
    throws the whole store away on error. Literals are judged afterwards, for all files at
    once, by :func:`check_literals`.
    """
    fmt = file_format(path).oxigraph
    if not path.is_file():
        raise InputError(SourceLocation(path), "no such file")
    try:
        (store.bulk_load if bulk else store.load)(
            path=path,
            format=fmt,
            to_graph=pyoxigraph.NamedNode(graph_name),
            base_iri=path.resolve().as_uri(),
        )
    except SyntaxError as exc:
        found = _OX_ERROR.match(exc.msg or "")
        line = int(found["line"]) if found else exc.lineno
        detail = (exc.msg or "")[found.end() :] if found else (exc.msg or str(exc))
        column = f" (column {found['col']})" if found and found["col"] else ""
        raise InputError(SourceLocation(path, line), f"syntax error{column}: {detail}") from None
    except (OSError, ValueError) as exc:
        raise InputError(SourceLocation(path), f"cannot read: {exc}") from None
    return SourceFile(path=path, graph_name=graph_name)


def check_literals(store: pyoxigraph.Store, files: Sequence[SourceFile]) -> None:
    """Raise on the first file (in ``files`` order) holding an ill-typed literal.

    Only distinct typed literals of XSD datatypes leave the store, so the cost follows the
    number of different values, not the size of the data.
    """
    values = store.query(_TYPED_LITERALS, use_default_graph_as_union=True)
    assert isinstance(values, pyoxigraph.QuerySolutions)
    with quiet_rdflib():
        bad = [
            row["o"]
            for row in values
            if ill_typed(Literal(row["o"].value, datatype=URIRef(row["o"].datatype.value)))
        ]
    if not bad:
        return
    by_graph: dict[str, list[tuple[Node, Node, Literal]]] = {}
    for literal in bad:
        found = store.query(
            f"SELECT ?g ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {literal} }} }}",
        )
        assert isinstance(found, pyoxigraph.QuerySolutions)
        for row in found:
            with quiet_rdflib():
                obj = Literal(literal.value, datatype=URIRef(literal.datatype.value))
            triple = (oxigraph_to_rdflib(row["s"]), oxigraph_to_rdflib(row["p"]), obj)
            by_graph.setdefault(row["g"].value, []).append(triple)
    for source in files:
        if source.graph_name in by_graph:
            raise_ill_typed(source, by_graph[source.graph_name])
