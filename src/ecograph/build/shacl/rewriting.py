"""SPARQL texts of the shapes, rewritten to sit inside the compiler's queries.

A SPARQL target, a SPARQL constraint and a component's ASK validator are written as queries of
their own; the compiler moves their bodies into its queries, which means expanding their
prefixes, renaming their variables apart and, where it pays, turning a FILTER NOT EXISTS into
a MINUS. All of it reads the text through the one SPARQL lexer,
:func:`ecograph.rdf.sparql_text.tokens`, so that strings, IRIs and comments are never touched.
"""

from __future__ import annotations

import re

from ecograph.rdf.sparql_text import tokens

#: The head of ``SELECT [DISTINCT|REDUCED] projection WHERE {``.
SELECT_HEAD = re.compile(r"(?is)^\s*SELECT\s+((?:DISTINCT|REDUCED)\s+)?(.*?)\s*(?:WHERE\s*)?\{")
_CLASS_PATH = re.compile(
    r"(?:\brdf:type|(?<![\w:?$])a|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)"
    r"\s*/\s*(?:rdfs:subClassOf|<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>)\s*\*"
)
_VERBATIM = frozenset({"string", "iri", "comment"})
_NOT_EXISTS_TYPE = re.compile(
    r"FILTER\s+NOT\s+EXISTS\s*\{\s*(\?this\s+(?:a|<[^<>\s]*>)\s+<[^<>\s]*>)\s*\.?\s*\}"
)
_THIS_TRIPLE = re.compile(r"(?:^|[.{}])\s*\?this\s+(?:a\s|<)")


def plain_types(text: str, rdf_type: str) -> str:
    """``text`` with its instance tests ``rdf:type/rdfs:subClassOf*`` as ``rdf_type``: for
    data closed under rdfs:subClassOf, where both find the same nodes."""
    return _CLASS_PATH.sub(rdf_type, text)


def expand_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Prefixed names replaced by full IRIs, for text moved away from its own prologue."""
    if not prefixes:
        return text
    names = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    name = re.compile(rf"(?<![\w:?$\-.])({names}):([\w\-.]*[\w\-])?")

    def expand(match: re.Match[str]) -> str:
        return f"<{prefixes[match.group(1)]}{match.group(2) or ''}>"

    return "".join(
        name.sub(expand, value) if kind == "word" else value for kind, value, _ in tokens(text)
    )


def rename_variables(text: str, keep: dict[str, str], prefix: str) -> str:
    """Variables of ``text`` renamed to ``?{prefix}{name}``, except those in ``keep``, which
    become the given text (a variable of the query around, or a constant)."""
    return "".join(
        keep.get(value[1:], f"?{prefix}{value[1:]}") if kind == "var" else value
        for kind, value, _ in tokens(text)
    )


def top_level(text: str) -> str:
    """``text`` with what nested groups, strings, IRIs and comments hold blanked out (the
    same length, so that positions still match): what is left is the outermost group."""
    out: list[str] = []
    depth = 0
    for kind, value, _ in tokens(text):
        if kind == "other" and value == "{":
            depth += 1
            out.append(value)
        elif kind == "other" and value == "}":
            depth -= 1
            out.append(value)
        elif kind in _VERBATIM or depth > 0:
            out.append(" " * len(value))
        else:
            out.append(value)
    return "".join(out)


def not_exists_as_minus(body: str) -> str:
    """A target's ``FILTER NOT EXISTS { ?this <p> <o> }`` as ``MINUS { ?this <p> <o> }``.

    Oxigraph answers the FILTER with one lookup per row, the MINUS with one anti-join (see
    docs/build.md); but inside an EXISTS, asked per row, the MINUS would enumerate its right
    side every time, so only enumerated targets get it. The two agree when ?this is bound in
    every row, which a triple pattern on ?this in the same (outermost) group ensures;
    elsewhere the text is kept as it is.
    """
    outer = top_level(body)
    if not _THIS_TRIPLE.search(outer):
        return body
    pieces = []
    position = 0
    for match in _NOT_EXISTS_TYPE.finditer(body):
        if not outer[match.start() :].startswith("FILTER"):
            continue  # inside a nested group
        pieces += [body[position : match.start()], f"MINUS {{ {match.group(1)} }}"]
        position = match.end()
    return "".join(pieces) + body[position:]
