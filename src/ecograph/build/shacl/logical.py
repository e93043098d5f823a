"""Logical constraint components (SHACL 4.6): sh:not, sh:and, sh:or, sh:xone, each over
value shapes compiled to one expression (:meth:`Context.conforms`)."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import Context, Test

PARAMETERS = frozenset({SH["not"], SH["and"], SH["or"], SH.xone})


def or_(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    g = context.shapes
    for listed in g.objects(shape, SH["or"]):
        shapes = list(Collection(g, listed))
        either = [context.conforms(m, v) for m in shapes]
        yield Test(
            "OrConstraintComponent",
            "(" + (" || ".join(either) or "false") + ")",
            absent=_alternatives(context, shapes, either, v),
        )


def and_(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    g = context.shapes
    for listed in g.objects(shape, SH["and"]):
        every = [context.conforms(m, v) for m in Collection(g, listed)]
        yield Test("AndConstraintComponent", "(" + (" && ".join(every) or "true") + ")")


def xone(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    g = context.shapes
    for listed in g.objects(shape, SH.xone):
        ones = [f"IF({context.conforms(m, v)}, 1, 0)" for m in Collection(g, listed)]
        yield Test("XoneConstraintComponent", "(" + (" + ".join(ones) or "0") + " = 1)")


def not_(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for negated in context.shapes.objects(shape, SH["not"]):
        yield Test("NotConstraintComponent", f"!{context.conforms(negated, v)}")


def _alternatives(
    context: Context, members: list[Node], conditions: list[str], v: str
) -> tuple[str, ...]:
    """The patterns of an sh:or whose every member is one sh:class test (else none): the
    sh:or can then be asked as anti-joins, as sh:class is."""
    patterns: list[str] = []
    for member, condition in zip(members, conditions, strict=True):
        tests = context.value_tests(member, v, v) if condition != "true" else []
        if len(tests) != 1 or tests[0].component != "ClassConstraintComponent":
            return ()
        patterns += tests[0].absent
    return tuple(patterns)
