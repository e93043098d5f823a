"""The project's graph as the curating commands read it: the data files and the ontology
loaded as they are (no reasoning, no checks: a curator runs ``mentions`` on a work in
progress), the names of its entities, and its sources."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from ecograph.build.load import load_file
from ecograph.curate.mentions import Name
from ecograph.errors import ConfigurationError, InputError, SourceLocation
from ecograph.rdf.namespaces import ECOID, graph_iri
from ecograph.settings import Settings

#: Kinds of entity whose names a text may name. Evidence, sources, roles and figures are
#: labelled with sentences or descriptions, not names; role types and statuses are common words.
NAMED_KINDS = frozenset(
    [
        "org",
        "person",
        "place",
        "mission",
        "event",
        "project",
        "agreement",
        "programme",
        "designation",
        "sector",
        "policy",
        "fund",
    ]
)

_NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
PREFIX eco: <https://w3id.org/ecograph/ontology#>
SELECT DISTINCT ?entity ?name WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel foaf:name schema:name eco:acronym }
  ?entity ?property ?name .
  FILTER (isIRI(?entity) && isLiteral(?name) && STRSTARTS(STR(?entity), "%s"))
}"""

_SOURCE_FILES = """
PREFIX eco: <https://w3id.org/ecograph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?source ?identifier ?file WHERE {
  ?source a eco:Source ; eco:localFile ?file .
  OPTIONAL { ?source dcterms:identifier ?identifier }
}"""


def kind_of(iri: str) -> str:
    """The kind segment of an instance IRI (``org`` for ``ecoid:org/x``), else ``""``."""
    if not iri.startswith(str(ECOID)):
        return ""
    return iri[len(ECOID) :].split("/", 1)[0]


def project_store(settings: Settings) -> pyoxigraph.Store:
    """The ontology and every data file, each in its named graph, as written."""
    if not settings.ontology_files:
        raise ConfigurationError(
            f"{settings.root} holds no ontology/*.ttl: not an ecograph project"
        )
    store = pyoxigraph.Store()
    for path in settings.ontology_files:
        load_file(store, path, graph_iri("ontology", path.stem))
    for path in settings.data_paths:
        load_file(store, path, graph_iri("data", path.stem))
    return store


def graph_names(store: pyoxigraph.Store) -> list[Name]:
    """The names of the entities a text may name (see :data:`NAMED_KINDS`), in any language."""
    solutions = store.query(_NAMES % ECOID, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = []
    for row in solutions:
        entity, name = row["entity"], row["name"]
        kind = kind_of(entity.value)
        if kind in NAMED_KINDS and isinstance(name, pyoxigraph.Literal):
            language = name.language or ""
            names.append(Name(entity.value, name.value, language, kind))
    return sorted(names, key=lambda n: (n.iri, n.language, n.text))


def source_files(store: pyoxigraph.Store) -> dict[str, str]:
    """Each source's ``eco:localFile``, by its IRI, its short name and its identifier."""
    solutions = store.query(_SOURCE_FILES, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    files: dict[str, str] = {}
    for row in solutions:
        iri, local = row["source"].value, row["file"].value
        files[iri] = local
        files[iri[len(ECOID) :] if iri.startswith(str(ECOID)) else iri] = local
        files["source:" + iri.rsplit("/", 1)[-1]] = local
        if row["identifier"] is not None:
            files[row["identifier"].value] = local
    return files


def resolve_local_file(settings: Settings, local: str) -> Path:
    """Where a source's ``eco:localFile`` is on disk (relative to the repository's root)."""
    path = settings.source_path(local)
    if path is None or not path.is_file():
        raise InputError(
            SourceLocation(settings.root / "data" / "sources.ttl"),
            f"the source text {local!r} is not a file of the repository",
        )
    return path


def source_text(settings: Settings, store: pyoxigraph.Store, source: str) -> tuple[Path, str]:
    """The text a ``mentions`` argument names: a path to a file, or a source of the graph
    (its IRI, ``source:NNN-…``, ``source/NNN-…`` or its ``dcterms:identifier``)."""
    path = Path(source)
    if not path.is_file():
        files = source_files(store)
        if source not in files:
            raise InputError(
                SourceLocation(path),
                "neither a file nor a source of the graph (give a path, a source IRI, "
                "source:NNN-… or its dcterms:identifier)",
            )
        path = resolve_local_file(settings, files[source])
    try:
        return path, path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            SourceLocation(path), f"not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    except OSError as exc:
        raise InputError(SourceLocation(path), f"cannot read: {exc.strerror}") from None
