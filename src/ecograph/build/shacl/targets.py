"""The targets of a shape (section 2.1 of SHACL, and SPARQL-based targets from SHACL-AF) as
the focus-node patterns every check of that shape starts from."""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ecograph.build.shacl.components import Context, Focus, Unsupported, constant
from ecograph.build.shacl.rewriting import (
    SELECT_HEAD,
    expand_prefixes,
    not_exists_as_minus,
    rename_variables,
)

#: Runs a SPARQL target's ``SELECT ?this`` query once and lists its focus nodes as SPARQL
#: terms, or ``None`` when there are too many to write out.
EnumerateFocus = Callable[[Node, str], list[str] | None]
TARGETS = frozenset(
    {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
)


def shapes_with_targets(shapes: Graph) -> set[Node]:
    """Every shape that may have focus nodes of its own: the declared node and property
    shapes, and whatever has a target."""
    found: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    for key in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(shapes.subjects(key, None))
    return found


def focus(context: Context, shape: Node, enumerate_focus: EnumerateFocus | None) -> Focus | None:
    """The focus nodes of ``shape``, or ``None`` when it has no targets or they find none."""
    g = context.shapes
    parts: list[str] = []
    cheap = True
    classes = list(g.objects(shape, SH.targetClass))
    implicit = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
    if any(t in implicit for t in g.objects(shape, RDF.type)):
        classes.append(shape)
    for cls in classes:
        parts.append(context.instance("?this", cls))
    for prop in g.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?this {constant(shape, prop)} [] .")
    for prop in g.objects(shape, SH.targetObjectsOf):
        parts.append(f"[] {constant(shape, prop)} ?this .")
    nodes = list(g.objects(shape, SH.targetNode))
    if nodes:
        parts.append("VALUES ?this { " + " ".join(constant(shape, n) for n in nodes) + " }")
    for target in g.objects(shape, SH.target):
        query = g.value(target, SH.select)
        if query is None or (target, SH.ask, None) in g:
            raise Unsupported(shape, "a target that is not a SPARQL SELECT target")
        parts.append(_inline_select(context, shape, str(query), context.prefixes(target)))
        cheap = False
    if not parts:
        return None
    union = " UNION ".join(f"{{ {p} }}" for p in parts)
    if len(parts) == 1 and len(classes) == 1 and cheap:
        # One class: a triple pattern, whose subjects need no DISTINCT around them.
        return Focus(group=parts[0], inline=union, cheap_inline=True)
    # Enumerated, a target's FILTER NOT EXISTS is better an anti-join; asked of one node
    # (inline, inside an EXISTS), a lookup is what it should stay.
    enumerated = " UNION ".join(f"{{ {not_exists_as_minus(p)} }}" for p in parts)
    group = f"{{ SELECT DISTINCT ?this WHERE {{ {enumerated} }} }}"
    if not cheap and enumerate_focus is not None:
        # A SPARQL target is a query of its own, which every check would run again: run it
        # once, and when it finds nothing (the usual case of a target that preselects the
        # offending nodes) or a few nodes, the checks read those instead.
        found = enumerate_focus(shape, f"SELECT ?this WHERE {group}")
        if found is not None:
            if not found:
                return None
            listed = "VALUES ?this { " + " ".join(found) + " }"
            return Focus(group=listed, inline=listed, cheap_inline=True)
    return Focus(group=group, inline=union, cheap_inline=cheap)


def _inline_select(context: Context, shape: Node, text: str, prefixes: dict[str, str]) -> str:
    """A SPARQL target's WHERE body, its own variables renamed so that nothing around it
    can bind them; its prefixes expanded, since the body leaves its prologue behind."""
    head = SELECT_HEAD.match(text)
    end = text.rstrip().rfind("}")
    if head is None or end < head.end() or not re.search(r"[?$]this\b", head.group(2)):
        raise Unsupported(shape, "a SPARQL target that is not SELECT ?this WHERE { … }")
    body = context.classes(expand_prefixes(text[head.end() : end], prefixes))
    return rename_variables(body, {"this": "?this"}, context.fresh("t"))
