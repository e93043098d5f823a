"""Writing a build to ``dist/``: dumps, a VoID description, the validation report.

Everything is written into a fresh sibling folder first and swapped in with renames at the end,
so a failing or interrupted build leaves the previous ``dist/`` as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from ecograph import __version__
from ecograph.build.parallel import run_all
from ecograph.build.pipeline import Build
from ecograph.rdf import label_file
from ecograph.rdf.namespaces import BASE, ECOID, ONTOLOGY_IRI, PREFIXES, bind_prefixes
from ecograph.rdf.text import collapse

DATASET_IRI = URIRef(f"{ECOID}dataset/ecograph")
#: Dumps of the dataset: one named graph per origin, so every triple keeps its provenance.
DATASET_DUMPS = {
    "ecograph.nq": pyoxigraph.RdfFormat.N_QUADS,
    "ecograph.trig": pyoxigraph.RdfFormat.TRIG,
    "ecograph.jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
#: Dumps of the union of the named graphs, for tools that know no datasets.
UNION_DUMPS = {
    "ecograph.ttl": pyoxigraph.RdfFormat.TURTLE,
    "ecograph.nt": pyoxigraph.RdfFormat.N_TRIPLES,
}
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { %s }"
#: The union as a set: a triple stated by two files is one triple of the graph.
_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"


def void_description(result: Build) -> Graph:
    """VoID statistics of the whole graph and of each named graph.

    Computed by the store, over the union of the named graphs.
    """
    store = result.store
    void = bind_prefixes(Graph())
    ds = DATASET_IRI
    void.add((ds, RDF.type, VOID.Dataset))
    void.add((ds, DCTERMS.title, Literal("ecograph: regional innovation ecosystems", lang="en")))
    void.add(
        (ds, DCTERMS.title, Literal("ecograph: ecosistemi regionali dell'innovazione", lang="it"))
    )
    void.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    void.add((ds, DCTERMS.hasVersion, Literal(__version__)))
    void.add((ds, VOID.uriSpace, Literal(str(ECOID))))
    void.add((ds, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    void.add((ds, VOID.sparqlEndpoint, URIRef(f"{BASE}sparql")))
    for name in (*UNION_DUMPS, *DATASET_DUMPS):
        void.add((ds, VOID.dataDump, URIRef(f"{BASE}dumps/{name}")))
    is_entity = f'isIRI(?s) && STRSTARTS(STR(?s), "{ECOID}")'
    classes = _pairs(
        store,
        f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n)
        WHERE {{ ?s a ?c FILTER ({is_entity}) }} GROUP BY ?c""",
    )
    properties = _pairs(
        store,
        f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ {{ {_TRIPLES} }} BIND (?p AS ?c) }} GROUP BY ?c",
    )
    # Subjects and entities in one pass over the distinct subjects: the entities alone, with
    # the filter on every triple, took 6.9 s at 1M triples; both at once take 1.6 s.
    solutions = store.query(
        f"""SELECT (COUNT(*) AS ?subjects) (SUM(IF({is_entity}, 1, 0)) AS ?entities)
        {{ SELECT DISTINCT ?s {{ ?s ?p ?o }} }}""",
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    subjects = next(iter(solutions))
    stats = {
        VOID.triples: sum(properties.values()),
        VOID.entities: int(subjects["entities"].value),
        VOID.classes: len(classes),
        VOID.properties: len(properties),
        VOID.distinctSubjects: int(subjects["subjects"].value),
        VOID.distinctObjects: _number(store, _COUNT % "SELECT DISTINCT ?o { ?s ?p ?o }"),
    }
    for predicate, value in stats.items():
        void.add((ds, predicate, Literal(value, datatype=XSD.integer)))
    for cls, count in sorted(classes.items()):
        part = BNode()
        void.add((ds, VOID.classPartition, part))
        void.add((part, VOID["class"], cls))
        void.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        part = BNode()
        void.add((ds, VOID.propertyPartition, part))
        void.add((part, VOID.property, prop))
        void.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    sizes = _pairs(
        store,
        "SELECT ?c (COUNT(*) AS ?n) WHERE { GRAPH ?c { ?s ?p ?o } } GROUP BY ?c",
    )
    for name in map(URIRef, result.graph_names()):
        void.add((ds, VOID.subset, name))
        void.add((name, RDF.type, VOID.Dataset))
        void.add((name, VOID.triples, Literal(sizes.get(name, 0), datatype=XSD.integer)))
    return void


def _number(store: pyoxigraph.Store, query: str) -> int:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def _pairs(store: pyoxigraph.Store, query: str) -> dict[URIRef, int]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return {
        URIRef(row["c"].value): int(row["n"].value)
        for row in solutions
        if isinstance(row["c"], pyoxigraph.NamedNode)
    }


def publish(result: Build, out_dir: Path, *, with_store: bool = False) -> list[Path]:
    """Write the dumps, VoID and reports of a valid build; returns the files written.

    Everything is serialised by Oxigraph, from the build's store, the files side by side on
    the build's threads (each only reads the store). The union dumps are the named graphs
    written one after the other: a triple that two files state appears twice, which changes
    nothing in the graph the file denotes, and copying the union into one graph first would
    cost more than all the dumps together. ``with_store`` adds ``store/``, a persisted
    Oxigraph store that ``serve --store`` opens without rebuilding.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    store = result.store
    prefixes = {p: iri for p, iri in PREFIXES.items() if p != "sh"}
    jobs: list[Callable[[], object]] = []
    if with_store:  # the longest job first, so that the others fill the other threads
        jobs.append(partial(_persist, result, staging / "store"))
    jobs.append(partial(_write_void, result, staging / "void.ttl"))
    for name, fmt in DATASET_DUMPS.items():
        jobs.append(partial(store.dump, staging / name, fmt, prefixes=prefixes))
    for name, fmt in UNION_DUMPS.items():
        jobs.append(partial(_dump_union, result, staging / name, fmt, prefixes))
    try:
        run_all(jobs, result.threads)
        if with_store:  # after the store: the file names the state of its folder
            _write_labels(result, staging / "store")
        (staging / "validation-report.txt").write_text(
            result.report.render() + "\n", encoding="utf-8"
        )
        (staging / "validation-report.json").write_text(
            result.report.to_json() + "\n", encoding="utf-8"
        )
        for loaded in (*result.ontology, *result.shapes):
            shutil.copyfile(loaded.path, staging / loaded.path.name)
        context_file = result.root / "context" / "ecograph.context.jsonld"
        if context_file.is_file():
            shutil.copyfile(context_file, staging / context_file.name)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def _write_void(result: Build, path: Path) -> None:
    void_description(result).serialize(path, format="turtle", encoding="utf-8")


def _dump_union(
    result: Build, path: Path, fmt: pyoxigraph.RdfFormat, prefixes: dict[str, str]
) -> None:
    with path.open("wb") as out:
        for graph in result.graph_names():
            result.store.dump(out, fmt, from_graph=pyoxigraph.NamedNode(graph), prefixes=prefixes)


def _write_labels(result: Build, store_dir: Path) -> None:
    """The labels search matches on, beside the persisted store (see
    :mod:`ecograph.rdf.label_file`): read here from the build's store in a fraction of what
    the server would pay to read them from the persisted one."""
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    solutions = result.store.query(
        prologue + label_file.LABELS_QUERY, use_default_graph_as_union=True
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    rows = (
        (entity.value, label.language or "", label.value, collapse(label.value))
        for solution in solutions
        if isinstance(entity := solution["entity"], pyoxigraph.NamedNode)
        and isinstance(label := solution["label"], pyoxigraph.Literal)
    )
    label_file.write(label_file.beside(store_dir), store_dir, rows)


def _persist(result: Build, path: Path) -> None:
    """The store as a folder that ``serve --store`` opens as it is."""
    if result.store_path is not None:
        result.store.flush()
        result.store.backup(str(path))  # a RocksDB checkpoint: hard links, no copy
        return
    persisted = pyoxigraph.Store(str(path))
    persisted.bulk_extend(result.store)  # twice as fast as bulk-loading the N-Quads dump
    persisted.flush()
    del persisted


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames, so readers never see a mix."""
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
