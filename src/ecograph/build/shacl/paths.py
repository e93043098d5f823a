"""SHACL property paths (section 2.3.1 of the specification) as SPARQL property paths."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ecograph.build.shacl.components import Unsupported, constant

_REPEATED = (
    (SH.zeroOrMorePath, "*", True),
    (SH.oneOrMorePath, "+", False),
    (SH.zeroOrOnePath, "?", True),
)


def sparql_path(shapes: Graph, shape: Node, node: Node) -> tuple[str, bool]:
    """The SHACL path ``node`` in SPARQL syntax, and whether it can have zero length."""
    if isinstance(node, URIRef):
        return constant(shape, node), False
    inverse = shapes.value(node, SH.inversePath)
    if inverse is not None:
        inner, zero = sparql_path(shapes, shape, inverse)
        return f"^{inner}", zero
    alternative = shapes.value(node, SH.alternativePath)
    if alternative is not None:
        members = [sparql_path(shapes, shape, m) for m in Collection(shapes, alternative)]
        return "(" + "|".join(m for m, _ in members) + ")", any(z for _, z in members)
    for key, suffix, zero in _REPEATED:
        inner_node = shapes.value(node, key)
        if inner_node is not None:
            inner, inner_zero = sparql_path(shapes, shape, inner_node)
            return f"({inner}){suffix}", zero or inner_zero
    if (node, RDF.first, None) in shapes:
        members = [sparql_path(shapes, shape, m) for m in Collection(shapes, node)]
        return "(" + "/".join(m for m, _ in members) + ")", all(z for _, z in members)
    raise Unsupported(shape, "a path that is not a SHACL path")
