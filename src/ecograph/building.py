"""The build: load, reason, derive, validate — in that order, each step a module of its own.

Nothing here writes files (that is ``publishing``); a failed step raises before anything is
published, which is what keeps ``dist/`` from ever holding half a build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph, URIRef

from ecograph.derivation import derive
from ecograph.errors import ConfigurationError, ValidationFailed
from ecograph.loading import LoadedFile, parse_files
from ecograph.namespaces import bind_prefixes, graph_iri
from ecograph.reasoning import infer
from ecograph.settings import Settings
from ecograph.validation import (
    Locator,
    Report,
    check_dangling,
    check_declared,
    check_duplicates,
    check_quotes,
    check_shacl,
    declared_terms,
)


@dataclass
class Build:
    """Everything one build produced, kept apart by origin so each goes to its named graph."""

    ontology: list[LoadedFile]
    data: list[LoadedFile]
    shapes: list[LoadedFile]
    inferred: Graph
    derived: Graph
    report: Report
    root: Path

    def named_graphs(self) -> list[tuple[URIRef, Graph]]:
        """(graph name, graph) pairs: one per source file, plus the inferred and derived ones."""
        graphs = [(URIRef(graph_iri("ontology", f.path.stem)), f.graph) for f in self.ontology]
        for loaded in self.data:
            try:
                name = (
                    loaded.path.resolve()
                    .relative_to((self.root / "data").resolve())
                    .with_suffix("")
                )
            except ValueError:
                name = Path(loaded.path.stem)
            graphs.append((URIRef(graph_iri("data", name.as_posix())), loaded.graph))
        graphs.append((URIRef(graph_iri("inferred")), self.inferred))
        graphs.append((URIRef(graph_iri("derived")), self.derived))
        return graphs

    def union(self) -> Graph:
        merged = bind_prefixes(Graph())
        for _, graph in self.named_graphs():
            for triple in graph:
                merged.add(triple)
        return merged

    def dataset(self) -> Dataset:
        dataset = Dataset()
        bind_prefixes(dataset)
        for name, graph in self.named_graphs():
            target = dataset.graph(name)
            for triple in graph:
                target.add(triple)
        return dataset


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


def build(settings: Settings, paths: Sequence[Path] | None = None) -> Build:
    """Load the ontology, shapes and data (``paths`` or all of ``data/``) and check them.

    Raises :class:`~ecograph.errors.InputError` on the first file that cannot be parsed;
    validation problems are returned in the report, not raised, so callers decide.
    """
    if not settings.ontology_files:
        raise ConfigurationError(
            f"{settings.root} holds no ontology/*.ttl: not an ecograph project"
        )
    data_paths = expand([*reference_paths(settings), *paths]) if paths else settings.data_paths
    ontology = parse_files(settings.ontology_files)
    shapes = parse_files(settings.shapes_files)
    data = parse_files(data_paths)

    tbox = Graph()
    for loaded in ontology:
        tbox += loaded.graph
    asserted = Graph()
    for loaded in (*ontology, *data):
        asserted += loaded.graph
    inferred = infer(asserted, tbox)
    reasoned = asserted + inferred
    derived = derive(reasoned)
    everything = reasoned + derived

    shapes_graph = Graph()
    for loaded in shapes:
        shapes_graph += loaded.graph
    locator = Locator(files=[*data, *ontology, *shapes], root=settings.root)
    report = Report(checked_files=[locator.relative(f.path) for f in (*ontology, *shapes, *data)])
    report.problems += check_declared([*data, *shapes], declared_terms(tbox), locator)
    report.problems += check_dangling([*data, *shapes], everything, locator)
    report.problems += check_quotes(everything, settings.sources_root, locator)
    report.problems += check_duplicates(asserted, locator)
    if shapes:
        report.problems += check_shacl(everything, shapes_graph, locator)
    return Build(
        ontology=ontology,
        data=data,
        shapes=shapes,
        inferred=inferred,
        derived=derived,
        report=report,
        root=settings.root,
    )


def to_store(result: Build, store: pyoxigraph.Store | None = None) -> pyoxigraph.Store:
    """Load a build into an Oxigraph store, one named graph per origin."""
    store = store if store is not None else pyoxigraph.Store()
    for name, graph in result.named_graphs():
        payload = graph.serialize(format="nt", encoding="utf-8")
        store.load(
            payload, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(str(name))
        )
    return store


def build_store(settings: Settings) -> pyoxigraph.Store:
    """The store the server queries: a persisted one if configured, else built from the repo.

    A build that does not validate is refused: the server never serves a graph that its own
    checks reject.
    """
    if settings.store_path is not None:
        if not settings.store_path.exists():
            raise ConfigurationError(f"no Oxigraph store at {settings.store_path}")
        return pyoxigraph.Store.read_only(str(settings.store_path))
    result = build(settings)
    if not result.report.conforms:
        raise ValidationFailed(
            result.report, "the project graph does not validate:\n" + result.report.render()
        )
    return to_store(result)
