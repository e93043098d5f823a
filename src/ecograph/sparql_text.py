"""Preparing a query's text for a remote endpoint, which knows neither the server's default
prefixes nor SEP-0007 substitution.

Parameters are bound by an inline ``VALUES`` block placed first in the ``WHERE`` group: the
values join the pattern before any ``FILTER``, ``BIND`` or aggregate sees it, which is what
substitution means for every query of the catalogue (a trailing ``VALUES`` would join after
projection and leave a ``FILTER`` on the parameter unbound). Values are written in N-Triples
syntax by :func:`ecograph.terms.ntriples`, so they can never change the shape of the query.

Finding that group needs to know where strings, IRIs and comments are, hence the small lexer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from rdflib.term import Node

from ecograph.errors import QueryError
from ecograph.terms import ntriples

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"
               |'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][^\s(){}\[\],;.]+)
    | (?P<word>[A-Za-z_][\w\-.]*(?::[^\s(){}\[\],;]*)?|:[^\s(){}\[\],;]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_OPENING = frozenset("({[")
_CLOSING = frozenset(")}]")


def declare_prefixes(text: str, prefixes: Mapping[str, str], declared: Collection[str]) -> str:
    """``text`` with a ``PREFIX`` line for each default prefix it does not declare itself."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items() if p not in declared]
    return "\n".join([*lines, text]) if lines else text


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
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and depth == 0:
            keyword = value.upper()
            if form is None and keyword in _FORMS:
                form = keyword
            elif form is not None and keyword == "WHERE":
                after_where = True
        elif kind == "other" and value in _OPENING:
            in_where = after_where or form not in {None, "CONSTRUCT"}
            if value == "{" and depth == 0 and in_where:
                return match.start()
            depth += 1
        elif kind == "other" and value in _CLOSING:
            depth -= 1
    raise QueryError("parameters need a query with a WHERE group to bind them in")
