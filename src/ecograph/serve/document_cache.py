"""Entity documents kept once written, for stores whose graph cannot change while the server runs.

An entity's JSON-LD, Turtle or N-Triples is a pure function of the graph (and of settings fixed
at startup), and writing one costs a walk of the store plus rdflib's serialisation, a
millisecond or more, while sites that read the graph ask for the same entities again and again.
So the body and its ETag are kept, least recently used out first, within a byte budget. Pages
are not kept: they depend on the reader's languages and on the request's own origin.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from ecograph.serve.conditional import etag_of


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str


class DocumentCache:
    """Documents by ``(IRI, format key)``."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._size = 0
        self._documents: OrderedDict[tuple[str, str], Document] = OrderedDict()

    def get(self, iri: str, key: str) -> Document | None:
        document = self._documents.get((iri, key))
        if document is not None:
            self._documents.move_to_end((iri, key))
        return document

    def put(self, iri: str, key: str, body: bytes) -> Document:
        """Keep ``body`` (unless it alone is over the budget); its document, with its ETag."""
        document = Document(body, etag_of(body))
        if len(body) > self._budget:
            return document
        previous = self._documents.pop((iri, key), None)
        if previous is not None:
            self._size -= len(previous.body)
        self._documents[(iri, key)] = document
        self._size += len(body)
        while self._size > self._budget:
            _, dropped = self._documents.popitem(last=False)
            self._size -= len(dropped.body)
        return document

    def __len__(self) -> int:
        return len(self._documents)
