"""Query results as both sides of the store's seam hold them.

Two forms of the same three kinds (solutions, a boolean, triples): rdflib terms for the code
that reads results (pages, linked data, the query API), and the wire form of
:mod:`ecograph.rdf.terms` for the writers of :mod:`ecograph.store.writers`, which the embedded
backend runs in its workers, where building rdflib terms would cost more than writing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rdflib import Graph
from rdflib.term import Node

from ecograph.rdf.namespaces import bind_prefixes
from ecograph.rdf.terms import WireTerm, WireTriple, rdflib_to_wire


@dataclass(frozen=True)
class SelectResult:
    """A SELECT result as rdflib terms: ``rows`` map variable names to bound terms only.

    ``truncated`` says that the query had more rows than the cap and only the first ones are here.
    """

    variables: tuple[str, ...]
    rows: tuple[Mapping[str, Node], ...] = field(default_factory=tuple)
    truncated: bool = False


@dataclass(frozen=True)
class AskResult:
    value: bool


Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE, in the order the store gave them."""

    triples: tuple[Triple, ...] = ()
    truncated: bool = False
    prefixes: tuple[tuple[str, str], ...] = ()  # bound besides the project's, for writing

    def graph(self) -> Graph:
        graph = bind_prefixes(Graph())
        for prefix, namespace in self.prefixes:
            graph.bind(prefix, namespace)
        for triple in self.triples:
            graph.add(triple)
        return graph


QueryResult = SelectResult | AskResult | GraphResult

WireRow = tuple[WireTerm | None, ...]


@dataclass(frozen=True)
class WireSolutions:
    """A SELECT result: one tuple per row, aligned with ``variables`` (``None`` unbound)."""

    variables: tuple[str, ...]
    rows: Sequence[WireRow]
    truncated: bool = False


@dataclass(frozen=True)
class WireAsk:
    value: bool


@dataclass(frozen=True)
class WireGraph:
    """The triples of a CONSTRUCT or DESCRIBE; ``prefixes`` are bound besides the project's."""

    triples: Sequence[WireTriple]
    truncated: bool = False
    prefixes: tuple[tuple[str, str], ...] = ()


WireResult = WireSolutions | WireAsk | WireGraph
ResultKind = Literal["select", "ask", "graph"]
#: The writer (by name) to write each kind of result with; ``None``: no format is acceptable.
Writers = Mapping[ResultKind, str | None]


@dataclass(frozen=True)
class Written:
    """A result, written: ``writer`` is ``None`` when the client accepts no format for its
    kind (then ``body`` is empty)."""

    kind: ResultKind
    writer: str | None
    body: bytes
    truncated: bool


def to_wire(result: QueryResult) -> WireResult:
    """A result of rdflib terms (a remote store's, the service description) in wire form."""
    if isinstance(result, AskResult):
        return WireAsk(result.value)
    if isinstance(result, SelectResult):
        names = result.variables
        rows = [
            tuple(None if (t := row.get(n)) is None else rdflib_to_wire(t) for n in names)
            for row in result.rows
        ]
        return WireSolutions(names, rows, result.truncated)
    triples = [
        (rdflib_to_wire(s), rdflib_to_wire(p), rdflib_to_wire(o)) for s, p, o in result.triples
    ]
    return WireGraph(triples, result.truncated, result.prefixes)
