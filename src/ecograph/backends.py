"""Where SPARQL queries run: the embedded Oxigraph store or a remote SPARQL 1.1 endpoint.

This module is the seam between the stateless API and the store behind it. The interface is
fixed here; the implementations are filled in by the serving work (issue 3).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.term import Node


@dataclass(frozen=True)
class SelectResult:
    """A SELECT result as rdflib terms: ``rows`` map variable names to bound terms only."""

    variables: tuple[str, ...]
    rows: tuple[Mapping[str, Node], ...] = field(default_factory=tuple)


class Backend(ABC):
    """A read-only SPARQL store. Every method is safe to await from the event loop."""

    @abstractmethod
    async def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> SelectResult:
        """Run a SELECT; ``bindings`` are bound as RDF terms, never pasted into the text."""

    @abstractmethod
    async def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK."""

    @abstractmethod
    async def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE and return its triples."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the backend holds."""
