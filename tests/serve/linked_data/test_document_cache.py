"""Entity documents kept by the server (:mod:`ecograph.serve.document_cache`): within budget,
least recently used out first, and only where the graph cannot change."""

from __future__ import annotations

import pyoxigraph
from ld_support import Running  # type: ignore[import-not-found]

from ecograph.serve.document_cache import DocumentCache, etag_of
from ecograph.store.embedded import EmbeddedBackend
from ecograph.store.remote import RemoteBackend


def test_documents_are_kept_with_their_etag() -> None:
    cache = DocumentCache(budget=100)
    kept = cache.put("urn:a", "jsonld", b"{}")
    assert kept.etag == etag_of(b"{}")
    assert cache.get("urn:a", "jsonld") == kept
    assert cache.get("urn:a", "ttl") is None


def test_the_least_recently_used_goes_first_when_over_budget() -> None:
    cache = DocumentCache(budget=10)
    cache.put("urn:a", "nt", b"aaaa")
    cache.put("urn:b", "nt", b"bbbb")
    assert cache.get("urn:a", "nt") is not None  # now b is the least recently used
    cache.put("urn:c", "nt", b"cccc")
    assert cache.get("urn:b", "nt") is None
    assert cache.get("urn:a", "nt") is not None
    assert cache.get("urn:c", "nt") is not None
    assert len(cache) == 2


def test_a_document_over_the_budget_is_served_but_not_kept() -> None:
    cache = DocumentCache(budget=3)
    assert cache.put("urn:a", "nt", b"abcd").body == b"abcd"
    assert len(cache) == 0


def test_only_a_store_that_cannot_change_keeps_documents() -> None:
    assert EmbeddedBackend(pyoxigraph.Store()).immutable
    assert not RemoteBackend("http://127.0.0.1:9/sparql").immutable


def test_a_kept_document_answers_as_the_first(fixture_server: Running) -> None:
    first = fixture_server.get("/id/org/test-cluster.jsonld")
    again = fixture_server.get("/id/org/test-cluster.jsonld")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert first.headers["etag"] == again.headers["etag"] == etag_of(first.content)
    revalidated = fixture_server.get(
        "/id/org/test-cluster.jsonld", headers={"If-None-Match": first.headers["etag"]}
    )
    assert revalidated.status_code == 304
