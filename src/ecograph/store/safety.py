"""Which queries the server agrees to run: read-only ones that never make it reach the network.

The check works on rdflib's parse of the query, never on its text: a keyword inside a string, an
IRI or a comment is harmless, while ``SeRvIcE`` or ``SERVIC\\u0045`` (SPARQL expands codepoint
escapes before parsing) is still a ``SERVICE``. What can reach the network from a query is
``SERVICE`` and a graph the store does not hold, named by ``FROM``/``FROM NAMED`` or by the
protocol's ``default-graph-uri``/``named-graph-uri`` (Oxigraph treats such a graph as empty, but
a remote store behind ``--endpoint`` may dereference it). ``LOAD`` is an update, refused as such.

rdflib's parser is recursive and slow on big queries (tens of milliseconds for a typical one,
seconds for a crafted one), so :func:`analyse` runs inside the killable query workers, under the
query's time limit, with a raised recursion limit: never on the event loop. And most queries
need no parse at all: :func:`needs_analysis` lets through, unparsed, a text that cannot hold
those keywords anywhere (not even in a string), nor codepoint escapes, nor deep nesting; the
engine's own parser then reads it, and a text it rejects is checked for being an update.

Nesting is limited (:data:`MAX_NESTING`) because Oxigraph's parser, like rdflib's, recurses on
brackets, and a few thousand nested ``{`` crash it: a worker would die (and be replaced), but a
remote store behind ``--endpoint`` might go down with it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from ecograph.errors import (
    QuerySyntaxError,
    QueryTooLarge,
    RemoteAccessRefused,
    UpdateRefused,
)
from ecograph.rdf.namespaces import PREFIXES
from ecograph.rdf.sparql_text import nesting_depth

QueryForm = Literal["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"]

#: Deepest bracket nesting a query may have.
MAX_NESTING = 100
#: Words whose absence from a query's whole text (case folded) proves it reaches no network. A
#: keyword is delimited from its neighbours, so ``prov:wasDerivedFrom`` does not count; only
#: ASCII name characters count as neighbours, so any doubt leads to the full parse.
_NETWORK_WORDS = re.compile(r"(?<![A-Za-z0-9_])(?:service|from)(?![A-Za-z0-9_])")

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
    """What the server needs to know about a query before running it; ``form`` is ``None``
    when the query was let through unparsed."""

    form: QueryForm | None
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()


UNPARSED = QueryInfo(form=None)
_ENGINE_ERROR = re.compile(r"^error at (?P<line>\d+):(?P<column>\d+): (?P<detail>.*)$", re.DOTALL)
_MAX_DETAIL = 160


def needs_analysis(text: str) -> bool:
    """Whether ``text`` must be parsed before it runs: it mentions ``SERVICE`` or ``FROM``
    somewhere, holds a codepoint escape (which could spell them), or has more brackets than the
    nesting limit. A text for which this is false can reach no network, whatever it means."""
    folded = text.casefold()
    if "\\u" in folded or _NETWORK_WORDS.search(folded):
        return True
    return text.count("{") + text.count("(") + text.count("[") > MAX_NESTING


def analyse(
    text: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] = PREFIXES
) -> QueryInfo:
    """Parse ``text`` and refuse it if it is an update, uses ``SERVICE`` or nests too deeply.

    ``prefixes`` are those the server declares for every query, so that ``FROM eco:x`` resolves
    as the engine will resolve it.
    """
    depth = nesting_depth(expandUnicodeEscapes(text))
    if depth > MAX_NESTING:
        raise QueryTooLarge(
            f"the query nests brackets {depth} levels deep; at most {MAX_NESTING} are allowed"
        )
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        if is_update(text):
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
    base, namespaces = _prologue(declarations, base_iri, prefixes)
    defaults: list[str] = []
    named: list[str] = []
    for clause in _field(body, "datasetClause") or ():
        if "default" in clause:
            defaults.append(_resolve(clause["default"], base, namespaces))
        else:
            named.append(_resolve(clause["named"], base, namespaces))
    return QueryInfo(
        form=_FORMS[body.name], from_graphs=tuple(defaults), from_named_graphs=tuple(named)
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
    """rdflib's parse error as a message a person can act on."""
    return located_error(exc.lineno, exc.col, exc.msg, text)


def describe_engine_error(message: str, text: str, line_offset: int = 0) -> str:
    """Oxigraph's syntax error (``error at 3:2: expected ...``) in the same form; its list of
    expected tokens, which can run to Unicode ranges, is cut short. ``line_offset`` is how many
    lines were put before ``text`` in what the engine read."""
    found = _ENGINE_ERROR.match(message)
    if found is None:
        return f"SPARQL syntax error: {message}"
    detail = found["detail"]
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL].rsplit(",", 1)[0] + ", ..."
    return located_error(int(found["line"]) - line_offset, int(found["column"]), detail, text)


def located_error(line: int, column: int, detail: str, text: str) -> str:
    """Where, what was expected, and the offending line with a caret under the spot."""
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (max(column, 1) - 1) + "^"
    return f"SPARQL syntax error at line {line}, column {column}: {detail}\n  {shown}\n  {caret}"


def is_update(text: str) -> bool:
    """Whether ``text`` parses as SPARQL Update (to refuse it as such, not as a bad query)."""
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
) -> tuple[str | None, dict[str, str]]:
    base = base_iri
    namespaces = dict(defaults)
    for decl in declarations:
        if decl.name == "Base":
            base = urljoin(base, str(decl["iri"])) if base else str(decl["iri"])
        elif decl.name == "PrefixDecl":
            prefix = str(_field(decl, "prefix") or "")
            namespaces[prefix] = urljoin(base, str(decl["iri"])) if base else str(decl["iri"])
    return base, namespaces


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
