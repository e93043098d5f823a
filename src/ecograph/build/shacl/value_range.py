"""Value range constraint components (SHACL 4.3): sh:minExclusive, sh:minInclusive,
sh:maxExclusive, sh:maxInclusive.

A comparison that SPARQL cannot make (a string against a number) is an error in SPARQL and a
violation in SHACL, hence the ``COALESCE(…, false)``.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import SH
from rdflib.term import Node

from ecograph.build.shacl.components import Context, Test, constant

_RANGES = {
    SH.minInclusive: ("MinInclusive", ">="),
    SH.maxInclusive: ("MaxInclusive", "<="),
    SH.minExclusive: ("MinExclusive", ">"),
    SH.maxExclusive: ("MaxExclusive", "<"),
}
PARAMETERS = frozenset(_RANGES)


def ranges(context: Context, shape: Node, v: str, this: str) -> Iterator[Test]:
    for key, (name, op) in _RANGES.items():
        for bound in context.shapes.objects(shape, key):
            yield Test(
                f"{name}ConstraintComponent", f"COALESCE({v} {op} {constant(shape, bound)}, false)"
            )
