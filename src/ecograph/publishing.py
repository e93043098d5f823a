"""Writing a build to ``dist/``: dumps, a VoID description, the validation report.

Everything is written into a fresh sibling folder first and swapped in with renames at the end,
so a failing or interrupted build leaves the previous ``dist/`` as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from ecograph import __version__
from ecograph.building import Build, to_store
from ecograph.namespaces import BASE, ECOID, ONTOLOGY_IRI, bind_prefixes

DATASET_IRI = URIRef(f"{ECOID}dataset/ecograph")
DUMPS = {
    "ecograph.ttl": "turtle",
    "ecograph.nt": "nt",
    "ecograph.nq": "nquads",
    "ecograph.trig": "trig",
}


def void_description(result: Build, union: Graph) -> Graph:
    """VoID statistics of the whole graph and of each named graph, computed from the build."""
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
    for name in (*DUMPS, "ecograph.jsonld"):
        void.add((ds, VOID.dataDump, URIRef(f"{BASE}dumps/{name}")))
    subjects = {s for s in union.subjects()}
    objects = {o for o in union.objects()}
    entities = {s for s in subjects if isinstance(s, URIRef) and str(s).startswith(str(ECOID))}
    classes = Counter(o for s, o in union.subject_objects(RDF.type) if s in entities)
    properties = Counter(p for p in union.predicates())
    stats = {
        VOID.triples: len(union),
        VOID.entities: len(entities),
        VOID.classes: len(classes),
        VOID.properties: len(properties),
        VOID.distinctSubjects: len(subjects),
        VOID.distinctObjects: len(objects),
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
    for name, graph in result.named_graphs():
        void.add((ds, VOID.subset, name))
        void.add((name, RDF.type, VOID.Dataset))
        void.add((name, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    return void


def _jsonld_context(root: Path) -> dict[str, object] | None:
    path = root / "context" / "ecograph.context.jsonld"
    if not path.is_file():
        return None
    context = json.loads(path.read_text(encoding="utf-8"))
    inner = context.get("@context", context)
    return inner if isinstance(inner, dict) else None


def publish(result: Build, out_dir: Path, *, with_store: bool = False) -> list[Path]:
    """Write the dumps, VoID and reports of a valid build; returns the files written.

    ``with_store`` adds ``store/``, a persisted Oxigraph store that ``serve --store`` opens
    without rebuilding.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        union = result.union()
        dataset = result.dataset()
        for name, fmt in DUMPS.items():
            source = dataset if fmt in {"nquads", "trig"} else union
            source.serialize(staging / name, format=fmt, encoding="utf-8")
        context = _jsonld_context(result.root)
        union.serialize(
            staging / "ecograph.jsonld",
            format="json-ld",
            encoding="utf-8",
            context=context,
            auto_compact=True,
        )
        void_description(result, union).serialize(
            staging / "void.ttl", format="turtle", encoding="utf-8"
        )
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
        if with_store:
            store = to_store(result, pyoxigraph.Store(str(staging / "store")))
            store.flush()
            del store
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames, so readers never see a mix."""
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
