"""Property pair constraint components (SHACL 4.5): sh:lessThan and sh:lessThanOrEquals.

sh:equals and sh:disjoint are not compiled (no shape of the project uses them): the compiler
refuses a shape that has them, as it refuses every parameter it does not know.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import (
    Check,
    Context,
    Focus,
    PropertyPath,
    Unsupported,
    constant,
    select,
)

_COMPARISONS = (
    (SH.lessThan, "LessThan", "<"),
    (SH.lessThanOrEquals, "LessThanOrEquals", "<="),
)
PROPERTY_PARAMETERS = frozenset(key for key, _, _ in _COMPARISONS)
_TEXT = "(isIRI({v}) || datatype({v}) IN (xsd:string, rdf:langString))"


def less_than(context: Context, prop: Node, path: PropertyPath, focus: Focus) -> Iterator[Check]:
    """One result per value and the other property's value it is not less than."""
    for key, name, op in _COMPARISONS:
        for other in context.shapes.objects(prop, key):
            if not isinstance(other, URIRef):
                raise Unsupported(prop, f"sh:{name[0].lower() + name[1:]} with a non-IRI")
            # pySHACL compares IRIs and strings as text, anything else as values; a string
            # against a non-string never passes.
            ok = (
                f"IF({_TEXT.format(v='?value')[1:-1]}, "
                f"{_TEXT.format(v='?other')} && STR(?value) {op} STR(?other), "
                f"!{_TEXT.format(v='?other')} && COALESCE(?value {op} ?other, false))"
            )
            pair = f"?this {constant(prop, other)} ?other . FILTER (!COALESCE({ok}, false))"
            where = f"{focus.group} ?this {path.sparql} ?value . {pair}"
            yield Check(
                prop, f"{name}ConstraintComponent", select("DISTINCT ?this ?value ?other", where)
            )
