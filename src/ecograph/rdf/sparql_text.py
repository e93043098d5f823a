"""Preparing a query's text for a remote endpoint, which knows neither the server's default
prefixes nor SEP-0007 substitution.

Parameters are bound by an inline ``VALUES`` block placed first in the ``WHERE`` group: the
values join the pattern before any ``FILTER``, ``BIND`` or aggregate sees it, which is what
substitution means for every query of the catalogue (a trailing ``VALUES`` would join after
projection and leave a ``FILTER`` on the parameter unbound). Values are written in N-Triples
syntax by :func:`ecograph.rdf.terms.ntriples`, so they can never change the shape of the query.

Finding that group needs to know where strings, IRIs and comments are, hence the small lexer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rdflib.term import Node

from ecograph.errors import QueryError
from ecograph.rdf.terms import ntriples

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"
               |'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<word>(?:[A-Za-z_][\w\-.]*)?:(?:[\w\-.:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'*+,;=/?\#@%])*
             |[A-Za-z_][\w\-.]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_OPENING = frozenset("({[")
_CLOSING = frozenset(")}]")


def declare_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` after one line declaring ``prefixes`` (so that line numbers move by one); a
    prefix the query declares itself is declared again later, and the later declaration wins."""
    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items()) + "\n" + text


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, offset)`` of each token: ``space``, ``comment``, ``string``, ``iri``,
    ``var``, ``word`` (a keyword or a prefixed name) or ``other`` (one character). Variables
    and prefixed names are spelt as SPARQL's grammar spells them, so that a text can be
    rewritten token by token (:mod:`ecograph.build.shacl.rewriting`); the tokens joined give
    the text back."""
    for match in _TOKEN.finditer(text):
        yield match.lastgroup or "other", match.group(), match.start()


def nesting_depth(text: str) -> int:
    """How deeply brackets (``{``, ``(``, ``[``) nest, outside strings, IRIs and comments."""
    depth = deepest = 0
    for kind, value, _ in tokens(text):
        if kind == "other" and value in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "other" and value in _CLOSING:
            depth -= 1
    return deepest


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first form keyword outside brackets (SELECT
    when there is none; the store will then report the syntax error)."""
    depth = 0
    for kind, value, _ in tokens(text):
        if kind == "word" and depth == 0 and value.upper() in _FORMS:
            return value.upper()
        if kind == "other" and value in _OPENING:
            depth += 1
        elif kind == "other" and value in _CLOSING:
            depth -= 1
    return "SELECT"


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` as a one-row ``VALUES`` block opening its ``WHERE`` group."""
    if not bindings:
        return text
    names = sorted(bindings)
    block = (
        f" VALUES ({' '.join('?' + n for n in names)}) "
        f"{{ ({' '.join(ntriples(bindings[n]) for n in names)}) }} "
    )
    where = _where_group(text)
    return text[: where + 1] + block + text[where + 1 :]


def _where_group(text: str) -> int:
    """Offset of the ``{`` that opens the query's ``WHERE`` group."""
    depth = 0
    form: str | None = None
    after_where = False
    for kind, value, offset in tokens(text):
        if kind == "word" and depth == 0:
            keyword = value.upper()
            if form is None and keyword in _FORMS:
                form = keyword
            elif form is not None and keyword == "WHERE":
                after_where = True
        elif kind == "other" and value in _OPENING:
            in_where = after_where or form not in {None, "CONSTRUCT"}
            if value == "{" and depth == 0 and in_where:
                return offset
            depth += 1
        elif kind == "other" and value in _CLOSING:
            depth -= 1
    raise QueryError("parameters need a query with a WHERE group to bind them in")
