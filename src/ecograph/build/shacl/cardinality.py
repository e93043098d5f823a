"""Cardinality constraint components (SHACL 4.2): sh:minCount and sh:maxCount."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import Check, Context, Focus, PropertyPath, integer, select

PROPERTY_PARAMETERS = frozenset({SH.minCount, SH.maxCount})


def min_count(context: Context, prop: Node, path: PropertyPath, focus: Focus) -> Iterator[Check]:
    """The focus nodes with fewer values: a target-first query, since what breaks the rule
    is an absence."""
    minimum = integer(prop, context.shapes.value(prop, SH.minCount))
    if minimum is None or minimum <= 0:
        return
    p = path.sparql
    if minimum == 1 and not path.zero_length:
        # MINUS: one anti-join of two sets, where FILTER NOT EXISTS asks once per node.
        # The same answers, ?this being bound in every focus row (a zero-length path
        # would differ: alone, it matches only the nodes of the graph).
        where = f"{focus.group} MINUS {{ ?this {p} ?any }}"
    elif minimum == 1:
        where = f"{focus.group} FILTER NOT EXISTS {{ ?this {p} ?any }}"
    else:
        where = (
            f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus.group} "
            f"OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this }} FILTER (?n < {minimum})"
        )
    yield Check(prop, "MinCountConstraintComponent", select("?this", where))


def max_count(context: Context, prop: Node, path: PropertyPath, focus: Focus) -> Iterator[Check]:
    """The nodes with too many values, then whether they are focus nodes (violation first)."""
    maximum = integer(prop, context.shapes.value(prop, SH.maxCount))
    if maximum is None:
        return
    where = (
        f"{{ SELECT ?this WHERE {{ ?this {path.sparql} ?v }} GROUP BY ?this "
        f"HAVING (COUNT(DISTINCT ?v) > {maximum}) }} FILTER EXISTS {{ {focus.inline} }}"
    )
    yield Check(prop, "MaxCountConstraintComponent", select("?this", where))
