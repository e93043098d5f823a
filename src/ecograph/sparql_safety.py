"""Which queries the server agrees to run: read-only ones that never make it reach the network.

The check works on rdflib's parse of the query, never on its text: a keyword inside a string, an
IRI or a comment is harmless, while ``SeRvIcE`` or ``SERVIC\\u0045`` (SPARQL expands codepoint
escapes before parsing) is still a ``SERVICE``. What can reach the network from a query is
``SERVICE`` and a graph the store does not hold, named by ``FROM``/``FROM NAMED`` or by the
protocol's ``default-graph-uri``/``named-graph-uri`` (Oxigraph treats such a graph as empty, but
a remote store behind ``--endpoint`` may dereference it). ``LOAD`` is an update, refused as such.

rdflib's parser is recursive and slow on big queries (tens of milliseconds for a typical one,
seconds for a crafted one), so :func:`analyse` runs inside the killable query workers, under the
query's time limit, with a raised recursion limit: never on the event loop.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from ecograph.errors import (
    QuerySyntaxError,
    QueryTooLarge,
    RemoteAccessRefused,
    UpdateRefused,
)
from ecograph.namespaces import PREFIXES

QueryForm = Literal["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"]

_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
    "AskQuery": "ASK",
}

UPDATE_MESSAGE = (
    "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...) "
    "is refused"
)
GRAPHS_HINT = "the graphs it holds are listed in its service description (GET /sparql)"


@dataclass(frozen=True)
class QueryInfo:
    """What the server needs to know about a query before running it."""

    form: QueryForm
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    declared_prefixes: frozenset[str] = frozenset()


def analyse(
    text: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] = PREFIXES
) -> QueryInfo:
    """Parse ``text`` and refuse it if it is an update or uses ``SERVICE``.

    ``prefixes`` are those the server declares for every query, so that ``FROM eco:x`` resolves
    as the engine will resolve it.
    """
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise UpdateRefused(UPDATE_MESSAGE) from None
        raise QuerySyntaxError(describe_syntax_error(exc, text)) from None
    except RecursionError:
        raise QueryTooLarge("the query is nested too deeply to be checked") from None
    declarations, body = parsed[0], parsed[1]
    for service in _nodes_named(body, "ServiceGraphPattern"):
        target = _show(_field(service, "term"))
        raise RemoteAccessRefused(
            f"SERVICE {target} is refused: this endpoint never sends queries to other servers"
        )
    base, namespaces, declared = _prologue(declarations, base_iri, prefixes)
    defaults: list[str] = []
    named: list[str] = []
    for clause in _field(body, "datasetClause") or ():
        if "default" in clause:
            defaults.append(_resolve(clause["default"], base, namespaces))
        else:
            named.append(_resolve(clause["named"], base, namespaces))
    return QueryInfo(
        form=_FORMS[body.name],
        from_graphs=tuple(defaults),
        from_named_graphs=tuple(named),
        declared_prefixes=frozenset(declared),
    )


def check_graphs(info: QueryInfo, requested: Iterable[str], known: Collection[str]) -> None:
    """Refuse any graph, named in the query or by the protocol, that the store does not hold."""
    for iri in info.from_graphs:
        _require(iri, known, "FROM")
    for iri in info.from_named_graphs:
        _require(iri, known, "FROM NAMED")
    for iri in requested:
        _require(iri, known, "the dataset graph")


def _require(iri: str, known: Collection[str], what: str) -> None:
    if iri not in known:
        raise RemoteAccessRefused(
            f"{what} <{iri}> names no graph of this store, and this endpoint never fetches "
            f"graphs from elsewhere; {GRAPHS_HINT}"
        )


def describe_syntax_error(exc: ParseBaseException, text: str) -> str:
    """A message a person can act on: where, what was expected, and the line with a caret."""
    lines = text.splitlines() or [""]
    line = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else ""
    caret = " " * (max(exc.col, 1) - 1) + "^"
    return (
        f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}\n"
        f"  {line}\n  {caret}"
    )


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _field(node: CompValue, key: str) -> Any:
    """A field of a parse node, or ``None`` (``CompValue.get`` returns the key when missing)."""
    return dict.get(node, key)


def _nodes_named(root: object, name: str) -> Iterator[CompValue]:
    """Every parse node called ``name``, depth first; iterative, as parse trees can be deep."""
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == name:
                yield node
            stack.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            stack.extend(node)


def _prologue(
    declarations: Iterable[CompValue], base_iri: str | None, defaults: Mapping[str, str]
) -> tuple[str | None, dict[str, str], set[str]]:
    base = base_iri
    namespaces = dict(defaults)
    declared: set[str] = set()
    for decl in declarations:
        if decl.name == "Base":
            base = urljoin(base, str(decl["iri"])) if base else str(decl["iri"])
        elif decl.name == "PrefixDecl":
            prefix = str(_field(decl, "prefix") or "")
            namespaces[prefix] = urljoin(base, str(decl["iri"])) if base else str(decl["iri"])
            declared.add(prefix)
    return base, namespaces, declared


def _resolve(term: object, base: str | None, namespaces: Mapping[str, str]) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = str(_field(term, "prefix") or "")
        if prefix not in namespaces:
            raise QuerySyntaxError(f"the prefix {prefix!r}: is used but never declared")
        return namespaces[prefix] + str(_field(term, "localname") or "")
    iri = str(term)
    return urljoin(base, iri) if base else iri


def _show(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{_field(term, 'prefix') or ''}:{_field(term, 'localname') or ''}"
    return f"?{term}" if term is not None else ""
