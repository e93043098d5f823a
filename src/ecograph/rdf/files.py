"""Reading RDF files with rdflib, with errors that name the file, the line and the problem.

The ontology and the shapes are small and are needed as rdflib graphs (the reasoner's tables,
the SHACL compiler, the ontology pages), so they are parsed here. A literal that parses but is
not a value of its datatype (``"2023-13-45"^^xsd:date``) is an error too: both rdflib and
Oxigraph accept it, and a bad date would otherwise travel silently into the published graph.
:class:`SourceFile` is how every check points back into a file (its line of a term).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ecograph.errors import InputError, SourceLocation
from ecograph.rdf.formats import file_format
from ecograph.rdf.namespaces import short

# Lexical forms that rdflib accepts without checking (it has no converter for them).
_LEXICAL: dict[URIRef, re.Pattern[str]] = {
    XSD.gMonthDay: re.compile(r"^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-]\d\d:\d\d)?$"),
    XSD.gMonth: re.compile(r"^--(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?$"),
    XSD.gYearMonth: re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?$"),
    XSD.gYear: re.compile(r"^-?\d{4,}(Z|[+-]\d\d:\d\d)?$"),
    XSD.date: re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d\d:\d\d)?$"),
}
_DAYS_IN_MONTH = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
_COMMENT_LINE = re.compile(r"(?m)^[ \t]*#.*$")
_PREFIX_DECLARATION = re.compile(
    r"(?im)^[ \t]*@?prefix[ \t]+(?P<prefix>[\w.-]*):[ \t]*<(?P<namespace>[^>]*)>"
)


@dataclass
class SourceFile:
    """A file the build read, and what is needed to point back into it.

    The text is read again only when a problem must be located: a build that finds nothing
    wrong never holds its input twice.
    """

    path: Path
    graph_name: str
    _searchable: str | None = field(default=None, repr=False)
    _prefixes: dict[str, str] | None = field(default=None, repr=False)

    def searchable(self) -> str:
        """The text with comments blanked out (same length, so offsets keep their lines)."""
        if self._searchable is None:
            text = self.path.read_text(encoding="utf-8")
            self._searchable = _COMMENT_LINE.sub(lambda m: " " * len(m.group()), text)
        return self._searchable

    def prefixes(self) -> dict[str, str]:
        if self._prefixes is None:
            self._prefixes = {
                m["prefix"]: m["namespace"] for m in _PREFIX_DECLARATION.finditer(self.searchable())
            }
        return self._prefixes

    def line_of(self, term: Node) -> int | None:
        """The first line outside comments that mentions ``term`` (full IRI or prefixed name)."""
        searchable = self.searchable()
        for needle in self._needles(term, searchable):
            index = searchable.find(needle)
            if index >= 0:
                return searchable.count("\n", 0, index) + 1
        return None

    def _needles(self, term: Node, text: str) -> Iterator[str]:
        if isinstance(term, URIRef):
            value = str(term)
            yield f"<{value}>"
            for prefix, namespace in self.prefixes().items():
                if value.startswith(str(namespace)) and prefix:
                    local = value[len(str(namespace)) :]
                    # A prefixed name must not run into a longer one: check the next character.
                    pattern = re.compile(
                        rf"(?<![\w:]){re.escape(prefix)}:{re.escape(local)}(?![\w-])"
                    )
                    found = pattern.search(text)
                    if found:
                        yield found.group(0)
        elif isinstance(term, Literal):
            yield f'"{term}"'
            yield str(term)


@dataclass
class LoadedFile(SourceFile):
    """A file parsed by rdflib, kept as a graph of its own."""

    graph: Graph = field(default_factory=Graph, repr=False)


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal; we report them ourselves."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def ill_typed(literal: Literal) -> bool:
    """Whether the literal's lexical form is not a value of its datatype.

    The date-like types are judged by our own patterns only: rdflib's verdict depends on a
    process-wide table of converters that other libraries rewrite (owlrl installs one that
    rejects every ``--MM-DD``), so it cannot be trusted for them.
    """
    if literal.datatype is None:
        return False
    pattern = _LEXICAL.get(literal.datatype)
    if pattern is None:
        return bool(getattr(literal, "ill_typed", False))
    if not pattern.match(str(literal)):
        return True
    if literal.datatype == XSD.gMonthDay:
        month, day = int(str(literal)[2:4]), int(str(literal)[5:7])
        return day > _DAYS_IN_MONTH.get(month, 31)
    if literal.datatype == XSD.date:
        year, month, day = (int(part) for part in str(literal).lstrip("-")[:10].split("-"))
        return day > calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else False
    return False


def parse_file(path: Path) -> LoadedFile:
    """Parse one RDF file; any problem becomes an :class:`InputError` with file and line."""
    fmt = file_format(path).rdflib
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(SourceLocation(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(SourceLocation(path), f"not UTF-8 text ({exc.reason})") from None
    graph = Graph()
    try:
        with quiet_rdflib():
            graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise InputError(SourceLocation(path, exc.lines + 1), f"syntax error: {exc._why}") from None
    except (SyntaxError, ValueError) as exc:
        raise InputError(SourceLocation(path), f"syntax error: {exc}") from None
    loaded = LoadedFile(path=path, graph_name="", graph=graph)
    bad = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and ill_typed(o)]
    if bad:
        raise_ill_typed(loaded, bad)
    return loaded


def raise_ill_typed(source: SourceFile, bad: Sequence[tuple[Node, Node, Literal]]) -> None:
    located = sorted(((source.line_of(o) or source.line_of(s) or 0), s, p, o) for s, p, o in bad)
    where, subject, predicate, obj = located[0]
    more = f"; {len(bad) - 1} more ill-typed literals in this file" if len(bad) > 1 else ""
    raise InputError(
        SourceLocation(source.path, where or None),
        f"{obj!s} is not a valid {short(str(obj.datatype))}"
        f" (on {short(str(subject))} {short(str(predicate))}){more}",
    )


def parse_files(paths: Iterable[Path]) -> list[LoadedFile]:
    """Parse every file, stopping at the first that is broken (nothing is half-built)."""
    return [parse_file(path) for path in paths]
