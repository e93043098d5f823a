"""The reflexive-transitive closure of a small relation: sub-classes and sub-properties of the
ontology (hundreds of edges), for the reasoner's tables and the pages' vocabulary alike."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def closure(edges: Mapping[N, Iterable[N]]) -> dict[N, frozenset[N]]:
    """Everything reachable from each node that has edges, the node itself included."""
    result: dict[N, frozenset[N]] = {}
    for start in list(edges):
        seen = {start}
        stack = [start]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        result[start] = frozenset(seen)
    return result
