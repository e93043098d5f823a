"""Reading RDF files into graphs, with errors that name the file, the line and the problem.

rdflib is the parser because its errors carry line numbers; a literal that parses but is not
a value of its datatype (``"2023-13-45"^^xsd:date``) is an error here too, since rdflib only
warns about it and a bad date would otherwise travel silently into the published graph.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ecograph.errors import InputError, SourceLocation
from ecograph.namespaces import short

#: File suffix → rdflib parser name; the same table serves ``--data`` files.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}

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


@dataclass
class LoadedFile:
    """One parsed file and what is needed to point back into it."""

    path: Path
    graph: Graph
    text: str = field(repr=False)

    def line_of(self, term: Node) -> int | None:
        """The first line outside comments that mentions ``term`` (full IRI or prefixed name)."""
        searchable = _COMMENT_LINE.sub(lambda m: " " * len(m.group()), self.text)
        for needle in self._needles(term, searchable):
            index = searchable.find(needle)
            if index >= 0:
                return searchable.count("\n", 0, index) + 1
        return None

    def _needles(self, term: Node, text: str) -> Iterator[str]:
        if isinstance(term, URIRef):
            value = str(term)
            yield f"<{value}>"
            for prefix, namespace in self.graph.namespaces():
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


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
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
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            SourceLocation(path),
            f"unknown RDF file type {path.suffix!r} (known: {', '.join(sorted(FORMATS))})",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(SourceLocation(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(SourceLocation(path), f"not UTF-8 text ({exc.reason})") from None
    graph = Graph()
    try:
        with _quiet_rdflib():
            graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise InputError(SourceLocation(path, exc.lines + 1), f"syntax error: {exc._why}") from None
    except (SyntaxError, ValueError) as exc:
        raise InputError(SourceLocation(path), f"syntax error: {exc}") from None
    loaded = LoadedFile(path=path, graph=graph, text=text)
    bad = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and ill_typed(o)]
    located = sorted(((loaded.line_of(o) or loaded.line_of(s) or 0), s, p, o) for s, p, o in bad)
    if located:
        where, subject, predicate, obj = located[0]
        more = f"; {len(bad) - 1} more ill-typed literals in this file" if len(bad) > 1 else ""
        raise InputError(
            SourceLocation(path, where or None),
            f"{obj!s} is not a valid {short(str(obj.datatype))}"
            f" (on {short(str(subject))} {short(str(predicate))}){more}",
        )
    return loaded


def parse_files(paths: Iterable[Path]) -> list[LoadedFile]:
    """Parse every file, stopping at the first that is broken (nothing is half-built)."""
    return [parse_file(path) for path in paths]
