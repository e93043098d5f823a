"""A minimal backend over an in-memory Oxigraph store, for these tests only.

It stands in for the serving backends where a test needs a graph of its own (hostile labels,
a tiny project); the tests of the real project graph run on the app factory's own backend.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ecograph.backends import Backend, SelectResult


def _term(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    return Literal(
        value["value"],
        lang=value.get("xml:lang"),
        datatype=URIRef(value["datatype"]) if "datatype" in value else None,
    )


class StoreBackend(Backend):
    """Runs queries over the union of a store's graphs, off the event loop."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def _run(self, query: str) -> bytes | bool:
        """Query and serialise in one thread: Oxigraph's result iterators cannot move."""
        result = self.store.query(query, use_default_graph_as_union=True)
        if isinstance(result, pyoxigraph.QuerySolutions):
            return result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
        if isinstance(result, pyoxigraph.QueryTriples):
            return result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        return bool(result)

    async def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> SelectResult:
        assert not bindings, "the test backend does not bind parameters"
        result = await asyncio.to_thread(self._run, query)
        assert isinstance(result, bytes)
        data = json.loads(result)
        rows = tuple(
            {name: _term(value) for name, value in row.items()}
            for row in data["results"]["bindings"]
        )
        return SelectResult(tuple(data["head"]["vars"]), rows)

    async def ask(self, query: str, *, timeout: float | None = None) -> bool:
        result = await asyncio.to_thread(self._run, query)
        return bool(result)

    async def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        payload = await asyncio.to_thread(self._run, query)
        assert isinstance(payload, bytes)
        graph = Graph()
        if payload:
            graph.parse(data=payload.decode("utf-8"), format="nt")
        return graph
