"""Value type constraint components (SHACL 4.1): sh:class, sh:datatype, sh:nodeKind."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from ecograph.build.shacl.components import Context, Test, Unsupported, constant

PARAMETERS = frozenset({SH["class"], SH.datatype, SH.nodeKind})
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


def class_(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    """sh:class: an instance of the class, or of one of its subclasses. The pattern is kept
    as ``absent`` too, so that a property's values can be tested by one anti-join."""
    for cls in context.shapes.objects(shape, SH["class"]):
        instance = context.instance(v, cls)
        yield Test("ClassConstraintComponent", f"EXISTS {{ {instance} }}", absent=(instance,))


def datatype(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for datatype in context.shapes.objects(shape, SH.datatype):
        if datatype == RDFS.Literal:
            yield Test("DatatypeConstraintComponent", f"isLiteral({v})")
        else:
            yield Test(
                "DatatypeConstraintComponent",
                f"(isLiteral({v}) && datatype({v}) = {constant(shape, datatype)})",
            )


def node_kind(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for kind in context.shapes.objects(shape, SH.nodeKind):
        test = _NODE_KINDS.get(kind) if isinstance(kind, URIRef) else None
        if test is None:
            raise Unsupported(shape, f"sh:nodeKind {kind}")
        yield Test("NodeKindConstraintComponent", test.format(v=v))
