"""Shape-based constraint components (SHACL 4.7): sh:node, sh:property and
sh:qualifiedValueShape with its counts.

sh:property of a node shape is compiled by :mod:`ecograph.build.shacl.compiler`, each property
shape with the node shape's focus nodes; sh:property inside a property shape or a value shape
is refused, as is sh:qualifiedValueShapesDisjoint.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import (
    Check,
    Context,
    Focus,
    PropertyPath,
    Test,
    integer,
    select,
)

PARAMETERS = frozenset({SH.node})
PROPERTY_PARAMETERS = frozenset(
    {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
)
_QUALIFIED = (
    (SH.qualifiedMinCount, "QualifiedMinCount", "COALESCE(?n, 0) < {}"),
    (SH.qualifiedMaxCount, "QualifiedMaxCount", "COALESCE(?n, 0) > {}"),
)


def node(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for other in context.shapes.objects(shape, SH.node):
        yield Test("NodeConstraintComponent", context.conforms(other, v))


def qualified(context: Context, prop: Node, path: PropertyPath, focus: Focus) -> Iterator[Check]:
    """The focus nodes with too few or too many values that conform to the qualified shape."""
    g = context.shapes
    shape = g.value(prop, SH.qualifiedValueShape)
    if shape is None:
        return
    condition = context.conforms(shape, "?v")
    counted = (
        f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
        f"?this {path.sparql} ?v . FILTER ({condition}) }} GROUP BY ?this }}"
    )
    for key, name, test in _QUALIFIED:
        bound = integer(prop, g.value(prop, key))
        if bound is not None:
            where = f"{focus.group} {counted} FILTER ({test.format(bound)})"
            yield Check(prop, f"{name}ConstraintComponent", select("?this", where))
