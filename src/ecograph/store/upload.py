"""Loading a build's dataset into another SPARQL store: ``ecograph load --into URL``.

What ``ecograph serve --endpoint URL`` needs behind it: the published dataset (``dist/``'s
``ecograph.nq``, else ``ecograph.trig``), one named graph per origin as the build wrote them,
each sent by the SPARQL 1.1 Graph Store HTTP Protocol (``PUT graph-store?graph=G``, which
replaces the graph: loading again is safe). A few uploads run at once; a request the engine
rolled back because it collided with another (Virtuoso answers concurrent graph writes now and
then with "40001 SR172: Transaction deadlocked", or, on a fresh database, with "23000 SR197:
Non unique primary key on DB.DBA.RDF_LANGUAGE" when two writes register one new language tag at
once) or refused as busy (429, 503) is sent again after a pause, as the SQL standard says of a
serialization failure. Afterwards the SPARQL
endpoint is asked how many triples each graph holds, and every count must match, so that a
load that an engine took only in part is an error rather than a quietly smaller graph.

Blank nodes are scoped to one upload, so a blank node in two graphs would become two nodes:
the build writes none (they occur only inside the ontology graph), and a dataset that has one
is refused before anything is sent. See docs/deploy.md for each engine's URLs.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph

from ecograph.errors import BackendError, ConfigurationError, InputError, SourceLocation

#: Uploads sent at once.
PARALLEL_UPLOADS = 4
#: Triples per request: a larger graph is sent as a PUT of its first part, then POSTs (which
#: add to a graph) of the rest. Virtuoso closes the connection on a request body of ~150 MB
#: (a graph of 1M triples); 100,000 triples are 10-20 MB.
CHUNK_TRIPLES = 100_000
#: Times a part is sent before a transient refusal is final, and the first pause (doubled each
#: time, with jitter so that the uploads that collided do not collide again).
ATTEMPTS = 6
FIRST_PAUSE = 0.25
#: The count query, per graph, run after the upload.
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Loaded:
    """What a load did: graphs and triples sent, and how long it took."""

    graphs: int
    triples: int
    seconds: float


def dataset_file(dist: Path) -> Path:
    """The dataset of a build output: ``ecograph.nq``, else ``ecograph.trig``."""
    for name in ("ecograph.nq", "ecograph.trig"):
        if (dist / name).is_file():
            return dist / name
    raise ConfigurationError(f"{dist}: no ecograph.nq or ecograph.trig (run ecograph build)")


def graphs_of(path: Path) -> dict[str, list[pyoxigraph.Triple]]:
    """The dataset's triples by named graph; a default-graph triple or a blank node shared by
    two graphs is refused (neither survives an upload graph by graph)."""
    rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise ConfigurationError(f"{path}: not an N-Quads or TriG file")
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    blank_in: dict[str, str] = {}
    try:
        for quad in pyoxigraph.parse(path=path, format=rdf_format):
            if not isinstance(quad.graph_name, pyoxigraph.NamedNode):
                raise InputError(SourceLocation(path), "a triple outside any named graph")
            graph = quad.graph_name.value
            for term in (quad.subject, quad.object):
                if isinstance(term, pyoxigraph.BlankNode):
                    first = blank_in.setdefault(term.value, graph)
                    if first != graph:
                        raise InputError(
                            SourceLocation(path),
                            f"blank node _:{term.value} is in two graphs ({first}, {graph}); "
                            "an upload graph by graph would split it",
                        )
            graphs[graph].append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
    except SyntaxError as exc:
        raise InputError(SourceLocation(path, exc.lineno), exc.msg) from None
    return dict(graphs)


async def load(
    dist: Path,
    *,
    into: str,
    graph_store: str,
    auth: httpx.Auth | None = None,
    progress: Callable[[str], None] | None = None,
    timeout: float = 600.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Loaded:
    """Upload ``dist``'s dataset to ``graph_store``, then check the counts at ``into``."""
    started = time.monotonic()
    path = dataset_file(dist)
    graphs = await asyncio.to_thread(graphs_of, path)
    say = progress or (lambda _: None)
    say(f"{path}: {len(graphs)} graphs, {sum(map(len, graphs.values()))} triples")
    limits = httpx.Limits(max_connections=PARALLEL_UPLOADS)
    async with httpx.AsyncClient(
        auth=auth, timeout=timeout, limits=limits, transport=transport
    ) as client:
        if auth is not None:
            await _prime(client, graph_store)
        gate = asyncio.Semaphore(PARALLEL_UPLOADS)
        done = 0

        async def upload(graph: str, triples: list[pyoxigraph.Triple]) -> None:
            nonlocal done
            for index, part in enumerate(_parts(triples)):
                body = pyoxigraph.serialize(part, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
                method = "PUT" if index == 0 else "POST"
                for attempt in range(1, ATTEMPTS + 1):
                    async with gate:
                        response = await _send(client, method, graph_store, graph, body)
                    if response.status_code < 300:
                        break
                    why = _transient(response)
                    if why is None or attempt == ATTEMPTS:
                        tried = f" ({attempt} attempts)" if attempt > 1 else ""
                        raise BackendError(
                            f"the graph store refused graph <{graph}>{tried}: "
                            f"{response.status_code} {response.text.strip()[:500]}"
                        )
                    pause = FIRST_PAUSE * 2 ** (attempt - 1) * random.uniform(1, 2)
                    say(f"<{graph}>: {response.status_code}, {why}; again in {pause:.1f} s")
                    await asyncio.sleep(pause)
            done += 1
            if done % 500 == 0:
                say(f"{done} of {len(graphs)} graphs")

        await asyncio.gather(*(upload(g, t) for g, t in sorted(graphs.items())))
        counts = await _counts(client, into)
    expected = {graph: len(set(triples)) for graph, triples in graphs.items()}
    wrong = [
        f"<{g}>: {counts.get(g, 0)} triples, {n} sent"
        for g, n in sorted(expected.items())
        if counts.get(g, 0) != n
    ]
    if wrong:
        raise BackendError(
            f"the store does not hold what was sent ({len(wrong)} graphs): {'; '.join(wrong[:5])}"
        )
    return Loaded(len(graphs), sum(expected.values()), time.monotonic() - started)


#: A write that collided with another one: a deadlock (SQLSTATE 40001), or Virtuoso's
#: registry of language tags or datatypes filled by two writes at once.
_COLLISION = re.compile(
    r"40001|deadlock|Non unique primary key on DB\.DBA\.RDF_(LANGUAGE|DATATYPE)", re.IGNORECASE
)


def _transient(response: httpx.Response) -> str | None:
    """Why a refusal is worth sending again, or None: busy (429, 503), or a write the engine
    rolled back because it collided with another (:data:`_COLLISION`), which leaves the graph
    as it was."""
    if response.status_code in (429, 503):
        return "busy"
    if response.status_code == 500 and _COLLISION.search(response.text):
        return "a collision with another write"
    return None


async def _prime(client: httpx.AsyncClient, store: str) -> None:
    """A small authenticated request first: digest authentication answers the first request
    with a challenge, and Virtuoso closes the connection on a large body it has not read yet
    (the upload failed with a read error); the client then reuses the challenge."""
    try:
        await client.get(store, params={"graph": "urn:ecograph:load-probe"})
    except httpx.HTTPError as exc:
        raise BackendError(f"the graph store {store} cannot be reached: {exc}") from exc


def _parts(triples: list[pyoxigraph.Triple]) -> list[list[pyoxigraph.Triple]]:
    """A graph's triples in requests of :data:`CHUNK_TRIPLES`, those with blank nodes all in
    the first (a blank node is scoped to one request)."""
    blank = [t for t in triples if _has_blank(t)]
    rest = [t for t in triples if not _has_blank(t)]
    first = CHUNK_TRIPLES - len(blank) if len(blank) < CHUNK_TRIPLES else 0
    parts = [blank + rest[:first]]
    parts += [rest[i : i + CHUNK_TRIPLES] for i in range(first, len(rest), CHUNK_TRIPLES)]
    return parts


def _has_blank(triple: pyoxigraph.Triple) -> bool:
    return isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(
        triple.object, pyoxigraph.BlankNode
    )


async def _send(
    client: httpx.AsyncClient, method: str, store: str, graph: str, body: bytes
) -> httpx.Response:
    """``PUT`` (replace the graph) or ``POST`` (add to it) one part of a graph."""
    try:
        return await client.request(
            method,
            store,
            params={"graph": graph},
            content=body,
            headers={"Content-Type": "application/n-triples"},
        )
    except httpx.HTTPError as exc:
        raise BackendError(
            f"the graph store {store} failed: {type(exc).__name__} {exc}".rstrip()
        ) from exc


async def _counts(client: httpx.AsyncClient, endpoint: str) -> dict[str, int]:
    try:
        response = await client.post(
            endpoint,
            data={"query": _COUNTS},
            headers={"Accept": "application/sparql-results+json"},
        )
    except httpx.HTTPError as exc:
        raise BackendError(f"the SPARQL endpoint {endpoint} cannot be reached: {exc}") from exc
    if response.status_code != 200:
        raise BackendError(
            f"the SPARQL endpoint {endpoint} answered {response.status_code} to the count: "
            f"{response.text.strip()[:500]}"
        )
    rows = response.json()["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows if "g" in row}


def graph_store_of(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a known engine's query URL: Oxigraph's ``/query``
    → ``/store``; Virtuoso's ``/sparql`` → ``/sparql-graph-crud-auth`` (digest auth)."""
    for query_path, store_path in (("/query", "/store"), ("/sparql", "/sparql-graph-crud-auth")):
        if endpoint.rstrip("/").endswith(query_path):
            return endpoint.rstrip("/")[: -len(query_path)] + store_path
    raise ConfigurationError(
        f"cannot tell the graph store of {endpoint}: give it with --graph-store"
    )
