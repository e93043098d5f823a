"""Triples as N-Triples strings, the fast way in and out of an Oxigraph store.

The build's own computations (the closure, the derived links) handle hundreds of thousands of
triples in Python. Oxigraph term objects are slow to create and to hash; their N-Triples
strings (``str(term)``) are neither, and what Oxigraph parses back fastest is N-Triples text.
The one catch is blank nodes: a parsed document gets fresh ones, so triples that mention a
blank node go back in as term objects, which keep their identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph

#: A triple as three N-Triples terms, e.g. ``("<s>", "<p>", '"v"@en')``.
Key = tuple[str, str, str]


def select(store: pyoxigraph.Store, query: str) -> pyoxigraph.QuerySolutions:
    """Solutions of a SELECT over the union of every graph of ``store``."""
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions), "a SELECT query was expected"
    return solutions


def insert(store: pyoxigraph.Store, triples: Iterable[Key], graph: str, *, bulk: bool) -> None:
    """Add ``triples`` to the named graph ``graph`` of ``store``.

    ``bulk`` is for on-disk stores, where RocksDB's bulk loader is several times faster than
    a transaction (and the build deletes the store if it fails half-way).
    """
    target = pyoxigraph.NamedNode(graph)
    text: list[str] = []
    with_blank_nodes: list[pyoxigraph.Quad] = []
    for s, p, o in triples:
        if s.startswith("_:") or o.startswith("_:"):
            with_blank_nodes.append(pyoxigraph.Quad(term_of(s), term_of(p), term_of(o), target))
        else:
            text.append(f"{s} {p} {o} .\n")
    load = store.bulk_load if bulk else store.load
    load("".join(text).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=target)
    (store.bulk_extend if bulk else store.extend)(with_blank_nodes)


def term_of(key: str) -> Any:
    """The Oxigraph term of an N-Triples string."""
    if key.startswith("_:"):
        return pyoxigraph.BlankNode(key[2:])
    if key.startswith("<"):
        return pyoxigraph.NamedNode(key[1:-1])
    # A literal: let Oxigraph read its N-Triples form (escapes, datatype, language).
    parsed = pyoxigraph.parse(f"<x:s> <x:p> {key} .".encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    return next(iter(parsed)).object
