"""String-based constraint components (SHACL 4.4): sh:minLength, sh:maxLength, sh:pattern
(with sh:flags), sh:languageIn, sh:uniqueLang."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import (
    Check,
    Context,
    Focus,
    PropertyPath,
    Test,
    integer,
    is_true,
    select,
    string,
)

PARAMETERS = frozenset({SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH.languageIn})
PROPERTY_PARAMETERS = frozenset({SH.uniqueLang})


def pattern(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    flags = context.shapes.value(shape, SH.flags)
    for regex in context.shapes.objects(shape, SH.pattern):
        extra = f", {string(str(flags))}" if flags is not None else ""
        yield Test(
            "PatternConstraintComponent",
            f"(!isBlank({v}) && regex(str({v}), {string(python_regex(str(regex)))}{extra}))",
        )


def min_length(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for bound in context.shapes.objects(shape, SH.minLength):
        n = integer(shape, bound)
        yield Test(
            "MinLengthConstraintComponent",
            "true" if n == 0 else f"(!isBlank({v}) && strlen(str({v})) >= {n})",
        )


def max_length(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for bound in context.shapes.objects(shape, SH.maxLength):
        n = integer(shape, bound)
        yield Test("MaxLengthConstraintComponent", f"(!isBlank({v}) && strlen(str({v})) <= {n})")


def language_in(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    g = context.shapes
    for languages in g.objects(shape, SH.languageIn):
        matches = [f"langMatches(lang({v}), {string(str(t))})" for t in Collection(g, languages)]
        yield Test(
            "LanguageInConstraintComponent",
            f'(isLiteral({v}) && lang({v}) != "" && ({" || ".join(matches) or "false"}))',
        )


def unique_lang(context: Context, prop: Node, path: PropertyPath, focus: Focus) -> Iterator[Check]:
    """sh:uniqueLang: one result per focus node and language used more than once."""
    if not is_true(context.shapes.value(prop, SH.uniqueLang)):
        return
    p = path.sparql
    where = (
        f"{focus.group if focus.cheap_inline else ''} ?this {p} ?a . ?this {p} ?b . "
        'FILTER (!sameTerm(?a, ?b) && isLiteral(?a) && lang(?a) != "" '
        "&& LCASE(lang(?a)) = LCASE(lang(?b))"
        + ("" if focus.cheap_inline else f" && EXISTS {{ {focus.inline} }}")
        + ") BIND (LCASE(lang(?a)) AS ?lang)"
    )
    yield Check(prop, "UniqueLangConstraintComponent", select("DISTINCT ?this ?lang", where))


def python_regex(pattern: str) -> str:
    """A Python ``re`` pattern rewritten for SPARQL's regex() so that it matches the same
    strings: outside a character class, Python's ``$`` also matches before a final newline,
    which the regex engines of SPARQL stores do not do (``\\n?$`` does, as a search)."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append("(?:\\n?$)")
            continue
        out.append(char)
    return "".join(out)
