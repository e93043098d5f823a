"""The remote backend with an endpoint that answers as Virtuoso 7 does (docs/deploy.md): its
TSV is not SPARQL's, its booleans are 1/0, its time limit gives a partial result with
``X-SQL-State: S1TAT``, and it refuses a query by estimated cost. Answers recorded from
Virtuoso 7.2.5, served by a mock transport; the real engine runs in test_conformance.py."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from rdflib import Literal, URIRef

from ecograph.errors import QueryTimeout
from ecograph.store.remote import RemoteBackend

BOOLEAN = URIRef("http://www.w3.org/2001/XMLSchema#boolean")
VIRTUOSO_TSV = b'"s"\t"b"\n"urn:a"\t1\n'
VIRTUOSO_JSON = {
    "head": {"link": [], "vars": ["s", "b"]},
    "results": {
        "bindings": [
            {
                "s": {"type": "uri", "value": "urn:a"},
                "b": {"type": "typed-literal", "datatype": str(BOOLEAN), "value": "1"},
            }
        ]
    },
}


def _backend(handler: httpx.MockTransport) -> RemoteBackend:
    client = httpx.AsyncClient(transport=handler)
    return RemoteBackend("http://virtuoso.test/sparql", client=client, timeout_parameter="timeout")


def test_virtuoso_tsv_and_booleans() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers["accept"].startswith("text/tab-separated-values"):
            return httpx.Response(
                200, content=VIRTUOSO_TSV, headers={"content-type": "text/tab-separated-values"}
            )
        return httpx.Response(
            200,
            content=json.dumps(VIRTUOSO_JSON).encode(),
            headers={"content-type": "application/sparql-results+json"},
        )

    async def run() -> list[object]:
        backend = _backend(httpx.MockTransport(answer))
        try:
            first = await backend.select("SELECT ?s ?b WHERE { ?s <urn:p> ?b }", timeout=5)
            second = await backend.select("SELECT ?s ?b WHERE { ?s <urn:p> ?b }", timeout=5)
            return [first.rows[0]["b"], second.rows[0]["b"]]
        finally:
            await backend.close()

    values = asyncio.run(run())
    assert values == [Literal("true", datatype=BOOLEAN)] * 2
    # TSV once, then JSON for that query and every later one
    accepts = [r.headers["accept"].split(",")[0] for r in seen]
    assert accepts == [
        "text/tab-separated-values",
        "application/sparql-results+json",
        "application/sparql-results+json",
    ]
    # the time left reaches the endpoint, in milliseconds
    sent = httpx.QueryParams(seen[0].content.decode())
    assert 0 < int(sent["timeout"]) <= 5000


@pytest.mark.parametrize(
    ("status", "headers", "body", "message"),
    [
        (
            200,
            {"x-sql-state": "S1TAT", "content-type": "application/sparql-results+json"},
            json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": []}}),
            "incomplete result",
        ),
        (
            500,
            {"content-type": "text/plain"},
            "Virtuoso 42000 Error The estimated execution time 9207 (sec) exceeds the limit "
            "of 400 (sec).",
            "estimates that it would run past its time limit",
        ),
    ],
)
def test_virtuoso_time_limits_are_timeouts(
    status: int, headers: dict[str, str], body: str, message: str
) -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(status, content=body.encode(), headers=headers)
    )

    async def run() -> None:
        backend = _backend(transport)
        try:
            await backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
        finally:
            await backend.close()

    with pytest.raises(QueryTimeout, match=message):
        asyncio.run(run())
