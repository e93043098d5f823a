"""Other constraint components (SHACL 4.8): sh:in and sh:hasValue; sh:closed (with
sh:ignoredProperties) is refused."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import Context, Test, Unsupported, constant

PARAMETERS = frozenset({SH["in"], SH.hasValue})
#: Allowed on a node shape, so that ``sh:closed false`` passes; ``sh:closed true`` is refused.
NODE_PARAMETERS = frozenset({SH.closed, SH.ignoredProperties})


def in_(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    g = context.shapes
    for values in g.objects(shape, SH["in"]):
        members = [f"sameTerm({v}, {constant(shape, m)})" for m in Collection(g, values)]
        yield Test("InConstraintComponent", "(" + (" || ".join(members) or "false") + ")")


def has_value(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    """sh:hasValue of a node shape; on a property shape it is refused."""
    g = context.shapes
    for value in g.objects(shape, SH.hasValue):
        if v == this and (shape, SH.path, None) not in g:
            yield Test(
                "HasValueConstraintComponent", f"sameTerm({v}, {constant(shape, value)})", True
            )
        else:
            raise Unsupported(shape, "sh:hasValue on a property shape")


def refuse_closed(context: Context, shape: Node) -> None:
    if (shape, SH.closed, Literal(True)) in context.shapes:
        raise Unsupported(shape, "sh:closed")
