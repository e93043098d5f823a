"""Running a catalogue query on an Oxigraph store, for the CLI and the golden tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph
from rdflib.term import Node

from ecograph.errors import QueryError, QuerySyntaxError
from ecograph.rdf.catalogue import NamedQuery
from ecograph.rdf.namespaces import PREFIXES
from ecograph.rdf.terms import OxTerm, rdflib_to_oxigraph


def text_of(term: object) -> str:
    """The plain text of a result term, as CSV writes it (SPARQL 1.1 CSV results)."""
    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return "" if term is None else str(term)


@dataclass(frozen=True)
class Solutions:
    """The rows of a SELECT, in order, as Oxigraph terms."""

    variables: tuple[str, ...]
    rows: tuple[Mapping[str, OxTerm], ...]

    def as_text_rows(self) -> list[dict[str, str]]:
        return [{v: text_of(row[v]) for v in self.variables if v in row} for row in self.rows]


def run_select(
    store: pyoxigraph.Store, text: str, bindings: Mapping[str, Node] | None = None
) -> Solutions:
    """Run a SELECT over the union of the store's graphs with parameters substituted."""
    substitutions: dict[pyoxigraph.Variable, OxTerm | pyoxigraph.Triple] = {
        pyoxigraph.Variable(k): rdflib_to_oxigraph(v) for k, v in (bindings or {}).items()
    }
    try:
        result = store.query(
            text, use_default_graph_as_union=True, prefixes=PREFIXES, substitutions=substitutions
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise QueryError("the catalogue's runner takes SELECT queries only")
    variables = tuple(v.value for v in result.variables)
    rows = tuple(
        {name: value for name in variables if (value := solution[name]) is not None}
        for solution in result
    )
    return Solutions(variables, rows)


GROUP_SEPARATOR = " | "


def canonical_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows with ``" | "``-joined GROUP_CONCAT lists sorted, for comparing results.

    SPARQL leaves the order inside a group undefined, and Oxigraph's varies between loads.
    """
    return [
        {
            key: GROUP_SEPARATOR.join(sorted(value.split(GROUP_SEPARATOR)))
            if GROUP_SEPARATOR in value
            else value
            for key, value in row.items()
        }
        for row in rows
    ]


def run_named(store: pyoxigraph.Store, query: NamedQuery, values: Mapping[str, str]) -> Solutions:
    return run_select(store, query.render(query.bind(values)))
