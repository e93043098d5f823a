"""The build: load, reason, derive, validate — in that order, each step a module of its own.

Nothing here writes files (that is ``publishing``); a failed step raises before anything is
published, which is what keeps ``dist/`` from ever holding half a build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from ecograph.build.checks import (
    Locator,
    Problem,
    Report,
    check_dangling,
    check_declared,
    check_duplicates,
    check_evidence,
    declared_terms,
)
from ecograph.build.derive import derive_into
from ecograph.build.load import check_literals, load_file
from ecograph.build.parallel import run_all
from ecograph.build.reason import infer_into
from ecograph.build.shacl.engine import check_shacl
from ecograph.errors import ConfigurationError, ValidationFailed
from ecograph.rdf.files import LoadedFile, SourceFile, parse_files
from ecograph.rdf.namespaces import DERIVED_GRAPH, INFERRED_GRAPH, bind_prefixes, graph_iri
from ecograph.rdf.terms import oxigraph_to_rdflib
from ecograph.settings import Settings

#: Below this many quads the checks take a millisecond or two each, and handing the GIL from
#: thread to thread costs more than running them side by side saves (docs/build.md).
THREADS_FROM = 20_000


@dataclass
class Build:
    """Everything one build produced: a store with one named graph per origin (each ontology
    and data file, the inferred closure, the derived links), and the report on it.

    The shapes are not in the store: they describe the graph, they are not part of it.
    """

    store: pyoxigraph.Store
    ontology: list[LoadedFile]
    data: list[SourceFile]
    shapes: list[LoadedFile]
    report: Report
    root: Path
    counts: dict[str, int] = field(default_factory=dict)
    #: Where the store lives when it was built on disk (``None``: in memory).
    store_path: Path | None = None
    #: Threads for the work that only reads the store (the checks, the published files).
    threads: int = 1

    def graph_names(self) -> list[str]:
        return [f.graph_name for f in (*self.ontology, *self.data)] + [
            INFERRED_GRAPH,
            DERIVED_GRAPH,
        ]

    def graph(self, name: str) -> Graph:
        """One named graph as an rdflib graph: for small builds (tests, examples) only."""
        graph = bind_prefixes(Graph())
        for quad in self.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(name)):
            graph.add(
                (
                    oxigraph_to_rdflib(quad.subject),
                    oxigraph_to_rdflib(quad.predicate),
                    oxigraph_to_rdflib(quad.object),
                )
            )
        return graph

    @property
    def inferred(self) -> Graph:
        return self.graph(INFERRED_GRAPH)

    @property
    def derived(self) -> Graph:
        return self.graph(DERIVED_GRAPH)

    def union(self) -> Graph:
        """Every named graph merged, as an rdflib graph: for small builds only."""
        merged = bind_prefixes(Graph())
        for name in self.graph_names():
            merged += self.graph(name)
        return merged


def reference_paths(settings: Settings) -> list[Path]:
    """Data every other file may point to: the files at the top of ``data/`` (places, sources)."""
    return sorted((settings.root / "data").glob("*.ttl"))


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders as the ``.ttl`` files under them; order kept, duplicates dropped."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(path.rglob("*.ttl")) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.resolve() not in {f.resolve() for f in found}:
                found.append(candidate)
    return found


@dataclass(frozen=True)
class Schema:
    """What every build of a project reads before its data: the ontology (also merged, as the
    TBox, and as N-Triples for the store) and the shapes (also merged). Read once, it serves
    many builds: the tests build each shape example on the same schema."""

    ontology: list[LoadedFile]
    shapes: list[LoadedFile]
    tbox: Graph
    shapes_graph: Graph
    ontology_ntriples: list[bytes]


def read_schema(settings: Settings) -> Schema:
    """Parse the ontology and shapes files (an :class:`~ecograph.errors.InputError` on the
    first broken one)."""
    if not settings.ontology_files:
        raise ConfigurationError(
            f"{settings.root} holds no ontology/*.ttl: not an ecograph project"
        )
    ontology = parse_files(settings.ontology_files)
    shapes = parse_files(settings.shapes_files)
    tbox = Graph()
    for loaded in ontology:
        loaded.graph_name = graph_iri("ontology", loaded.path.stem)
        tbox += loaded.graph
    shapes_graph = Graph()
    for loaded in shapes:
        loaded.graph_name = graph_iri("shapes", loaded.path.stem)
        shapes_graph += loaded.graph
    ntriples = [loaded.graph.serialize(format="nt", encoding="utf-8") for loaded in ontology]
    return Schema(ontology, shapes, tbox, shapes_graph, ntriples)


def build(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    *,
    on_disk: Path | None = None,
    schema: Schema | None = None,
) -> Build:
    """Load the ontology, shapes and data (``paths`` or all of ``data/``) and check them.

    Raises :class:`~ecograph.errors.InputError` on the first file that cannot be parsed;
    validation problems are returned in the report, not raised, so callers decide. With
    ``on_disk`` (an empty folder) the store is a RocksDB one there: for graphs larger than
    memory, at some cost in speed; the caller removes the folder if the build fails. A
    ``schema`` already read (:func:`read_schema`) is used instead of reading it again.
    """
    schema = schema if schema is not None else read_schema(settings)
    ontology, shapes, tbox = schema.ontology, schema.shapes, schema.tbox
    data_paths = expand([*reference_paths(settings), *paths]) if paths else settings.data_paths
    store = pyoxigraph.Store(str(on_disk)) if on_disk is not None else pyoxigraph.Store()
    bulk = on_disk is not None
    for loaded, ntriples in zip(ontology, schema.ontology_ntriples, strict=True):
        store.load(
            ntriples,
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            to_graph=pyoxigraph.NamedNode(loaded.graph_name),
        )
    data = [
        load_file(store, path, _data_graph(settings.root, path), bulk=bulk) for path in data_paths
    ]
    check_literals(store, data)

    counts = {
        "inferred": infer_into(store, tbox, INFERRED_GRAPH, bulk=bulk),
        "derived": derive_into(store, DERIVED_GRAPH, bulk=bulk),
    }

    threads = settings.build_threads if len(store) >= THREADS_FROM else 1
    report = validate(
        store,
        tbox,
        ontology,
        data,
        shapes,
        settings,
        threads=threads,
        shapes_graph=schema.shapes_graph,
    )
    return Build(
        store=store,
        ontology=ontology,
        data=data,
        shapes=shapes,
        report=report,
        root=settings.root,
        counts=counts,
        store_path=on_disk,
        threads=threads,
    )


def validate(
    store: pyoxigraph.Store,
    tbox: Graph,
    ontology: Sequence[LoadedFile],
    data: Sequence[SourceFile],
    shapes: Sequence[LoadedFile],
    settings: Settings,
    *,
    threads: int = 1,
    shapes_graph: Graph | None = None,
) -> Report:
    """The project's own checks and the shapes, side by side on ``threads`` threads.

    Each only reads the store, and the store answers without holding the GIL, so on two cores
    the checks take little more than the shapes alone; the problems come out in the same order
    whatever the threads. ``shapes_graph`` is the shapes merged, if the caller has them so.
    """
    if shapes_graph is None:
        shapes_graph = Graph()
        for loaded in shapes:
            shapes_graph += loaded.graph
    locator = Locator(files=[*data, *ontology, *shapes], root=settings.root, store=store)
    report = Report(checked_files=[locator.relative(f.path) for f in (*ontology, *shapes, *data)])
    declared = declared_terms(tbox)
    checks: list[Callable[[], list[Problem]]] = [
        lambda: check_declared(store, [*data, *shapes], declared, locator),
        lambda: check_dangling(store, [*data, *shapes], locator),
        lambda: check_evidence(store, settings, locator),
        lambda: check_duplicates(store, locator, unloaded_data(settings, data)),
    ]
    if shapes:
        checks.append(
            lambda: check_shacl(store, shapes_graph, locator, closed=True, threads=threads)
        )
    for problems in run_all(checks, threads):
        report.problems += problems
    return report


def unloaded_data(settings: Settings, data: Sequence[SourceFile]) -> list[Path]:
    """The data files of the project that a partial validation did not load (the duplicate
    check reads their names, so that a new file is compared with the whole graph)."""
    loaded = {f.path.resolve() for f in data}
    return [p for p in settings.data_paths if p.resolve() not in loaded]


def _data_graph(root: Path, path: Path) -> str:
    """The graph of a data file: named by its path under ``data/`` (or its stem elsewhere)."""
    try:
        name = path.resolve().relative_to((root / "data").resolve()).with_suffix("")
    except ValueError:
        name = Path(path.stem)
    return graph_iri("data", name.as_posix())


def to_store(result: Build, store: pyoxigraph.Store | None = None) -> pyoxigraph.Store:
    """The build's store, or a copy of its graphs in ``store`` (e.g. a persisted one)."""
    if store is None:
        return result.store
    store.bulk_extend(result.store)
    return store


def build_store(settings: Settings) -> pyoxigraph.Store:
    """The project graph, built from the repository, as a store for the server to query.

    A build that does not validate is refused: the server never serves a graph that its own
    checks reject.
    """
    result = build(settings)
    if not result.report.conforms:
        raise ValidationFailed(
            result.report, "the project graph does not validate:\n" + result.report.render()
        )
    return to_store(result)
