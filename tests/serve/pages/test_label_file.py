"""The labels written beside a persisted store: read back exactly, and only for that store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Literal, URIRef

from ecograph.rdf import label_file
from ecograph.serve.label_index import LabelIndex
from ecograph.store.results import SelectResult

ROWS = [
    (
        "https://w3id.org/ecograph/id/org/a",
        "it",
        "Università\tdi\nTorino \\ due",
        "universita di torino \\ due",
    ),
    ("https://w3id.org/ecograph/id/org/b", "", "Kilometro Rosso", "kilometro rosso"),
]


def _quads(n: int) -> list[pyoxigraph.Quad]:
    return [
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(f"urn:s{i}"),
            pyoxigraph.NamedNode("urn:p"),
            pyoxigraph.Literal(str(i)),
        )
        for i in range(n)
    ]


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    store = pyoxigraph.Store(str(folder))
    store.bulk_extend(_quads(10))
    store.flush()
    del store
    return folder


def test_rows_come_back_as_written(store_dir: Path) -> None:
    label_file.write(label_file.beside(store_dir), store_dir, ROWS)
    assert label_file.beside(store_dir).name == "store-labels.tsv"
    pyoxigraph.Store.read_only(str(store_dir))  # a reader changes nothing that counts
    found = label_file.read(store_dir)
    assert found is not None
    assert list(found) == ROWS


def test_a_file_of_another_state_of_the_store_is_ignored(store_dir: Path) -> None:
    label_file.write(label_file.beside(store_dir), store_dir, ROWS)
    store = pyoxigraph.Store(str(store_dir))
    store.bulk_extend(_quads(1000))
    store.flush()
    del store
    assert label_file.read(store_dir) is None
    assert label_file.read(store_dir.with_name("elsewhere")) is None


class _NoQueries:
    immutable = True

    async def query(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("the label index asked the store although the file was there")


def test_search_reads_the_file_instead_of_the_store(store_dir: Path) -> None:
    label_file.write(label_file.beside(store_dir), store_dir, ROWS)
    index = LabelIndex(_NoQueries(), store_dir)  # type: ignore[arg-type]
    hits = asyncio.run(index.search("universita", 5))
    assert [h.entity for h in hits] == [ROWS[0][0]]
    assert asyncio.run(index.names(ROWS[1][0])) == {"": "Kilometro Rosso"}


class _Changing:
    """A remote endpoint whose graph gains a label between two reads."""

    immutable = False

    def __init__(self) -> None:
        self.reads = 0

    async def query(self, *args: object, **kwargs: object) -> SelectResult:
        self.reads += 1
        names = ["Kilometro Rosso"] + (["Nanjing Science City"] if self.reads > 1 else [])
        rows = [
            {"entity": URIRef(f"urn:e{i}"), "label": Literal(name)} for i, name in enumerate(names)
        ]
        return SelectResult(("entity", "label"), tuple(rows))


@pytest.mark.parametrize("max_age", [0.0, 3600.0])
def test_behind_an_endpoint_the_labels_are_read_again_after_max_age(max_age: float) -> None:
    """Regression: behind ``--endpoint`` the index was read once per server, so search and
    reconciliation never saw what the endpoint's graph gained."""
    backend = _Changing()
    index = LabelIndex(backend, max_age=max_age)  # type: ignore[arg-type]

    async def twice() -> list[str]:
        await index.search("kilometro", 5)
        return [h.entity for h in await index.search("nanjing", 5)]

    assert asyncio.run(twice()) == (["urn:e1"] if max_age == 0 else [])
    assert backend.reads == (2 if max_age == 0 else 1)
