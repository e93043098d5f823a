"""Checks of the graph, reported in plain words grouped by file and entity.

Besides SHACL, four checks that shapes cannot express well: every term of the ``eco:``
namespace is declared by the ontology (a misspelt class is otherwise just an unknown IRI),
every IRI of the ``id/`` space used as an object is described somewhere, every evidence quote
occurs verbatim in its source text, and — as a warning only — entities that look like
duplicates of each other.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS
from rdflib.term import Node

from ecograph.build.load import LoadedFile, SourceFile
from ecograph.rdf.namespaces import ECO, ECOID, graph_iri, short
from ecograph.rdf.terms import oxigraph_to_rdflib, rdflib_to_oxigraph

Severity = TypingLiteral["error", "warning"]
DECLARING_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDF.Property,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.Ontology,
    }
)
#: Prefixes of the names of the graphs holding what files assert (not inferred or derived).
ASSERTED_DATA = graph_iri("data") + "/"
ASSERTED_ONTOLOGY = graph_iri("ontology") + "/"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful), with where to look."""

    severity: Severity
    check: str
    message: str
    file: str | None = None
    line: int | None = None
    entity: str | None = None
    shape: str | None = None

    def sort_key(self) -> tuple[str, str, int, str]:
        return (self.file or "~", self.entity or "", self.line or 0, self.message)


@dataclass
class Report:
    """All problems of one validation run."""

    problems: list[Problem] = field(default_factory=list)
    checked_files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def conforms(self) -> bool:
        return not self.errors

    def render(self) -> str:
        """Text for people: by file, then by entity, then the problems in plain words."""
        lines: list[str] = []
        by_file: dict[str, dict[str, list[Problem]]] = defaultdict(lambda: defaultdict(list))
        for problem in sorted(self.problems, key=Problem.sort_key):
            by_file[problem.file or "(derived at build time)"][problem.entity or ""].append(problem)
        for file, entities in by_file.items():
            lines.append(file)
            for entity, problems in entities.items():
                where = f":{problems[0].line}" if problems[0].line else ""
                lines.append(
                    f"  {entity or '(file)'}{' (line ' + where[1:] + ')' if where else ''}"
                )
                for p in problems:
                    mark = "error" if p.severity == "error" else "warning"
                    at = f" (line {p.line})" if p.line and p.line != problems[0].line else ""
                    shape = f" [{p.shape}]" if p.shape else ""
                    lines.append(f"    {mark}{at}: {p.message}{shape}")
        summary = (
            f"{len(self.checked_files)} files checked: {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings"
        )
        lines.append(("valid — " if self.conforms else "NOT valid — ") + summary)
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "files": self.checked_files,
                "problems": [asdict(p) for p in sorted(self.problems, key=Problem.sort_key)],
            },
            indent=2,
            ensure_ascii=False,
        )


@dataclass
class Locator:
    """Maps a node back to the file and line that describe it.

    Files parsed by rdflib are asked through their graphs; files loaded into the store through
    the store's index (one lookup per node, whatever the number of files).
    """

    files: Sequence[SourceFile]
    root: Path
    store: pyoxigraph.Store | None = None

    def where(self, node: Node) -> tuple[str | None, int | None]:
        for position in (0, 2):
            graphs = self._graphs_with(node, position)
            for source in self.files:
                if self._mentions(source, node, position, graphs):
                    return self.relative(source.path), source.line_of(node)
        return None, None

    def _graphs_with(self, node: Node, position: int) -> set[str]:
        if self.store is None or (isinstance(node, Literal) and position == 0):
            return set()
        term = rdflib_to_oxigraph(node)
        pattern = (term, None, None, None) if position == 0 else (None, None, term, None)
        return {
            quad.graph_name.value
            for quad in self.store.quads_for_pattern(*pattern)
            if isinstance(quad.graph_name, pyoxigraph.NamedNode)
        }

    @staticmethod
    def _mentions(source: SourceFile, node: Node, position: int, graphs: set[str]) -> bool:
        if isinstance(source, LoadedFile):
            pattern = (node, None, None) if position == 0 else (None, None, node)
            return pattern in source.graph
        return source.graph_name in graphs

    def line_in(self, file: str | None, node: Node) -> int | None:
        """The line of ``node`` in the file named as :meth:`where` names it."""
        for source in self.files:
            if self.relative(source.path) == file:
                return source.line_of(node)
        return None

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def name(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return short(str(node))
        if isinstance(node, BNode):
            return "a blank node"
        return repr(str(node))


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {
        s
        for t in DECLARING_TYPES
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(ECO))
    }


def check_declared(
    store: pyoxigraph.Store,
    files: Iterable[SourceFile],
    declared: set[URIRef],
    locator: Locator,
) -> list[Problem]:
    """Every ``eco:`` term used outside the ontology must be declared by it."""
    problems = []
    names = sorted(str(t)[len(str(ECO)) :] for t in declared)
    for source in files:
        for term in sorted(_eco_terms(store, source) - declared):
            local = str(term)[len(str(ECO)) :]
            close = difflib.get_close_matches(local, names, n=1)
            hint = f" — did you mean eco:{close[0]}?" if close else ""
            problems.append(
                Problem(
                    "error",
                    "declared-terms",
                    f"eco:{local} is not declared in the ontology{hint}",
                    file=locator.relative(source.path),
                    line=source.line_of(term),
                    entity=f"eco:{local}",
                )
            )
    return problems


def _eco_terms(store: pyoxigraph.Store, source: SourceFile) -> set[URIRef]:
    """The ``eco:`` IRIs a file uses, in any position."""
    if isinstance(source, LoadedFile):
        return {
            node
            for triple in source.graph
            for node in triple
            if isinstance(node, URIRef) and str(node).startswith(str(ECO))
        }
    found = store.query(
        f"SELECT DISTINCT ?t WHERE {{ GRAPH <{source.graph_name}> {{ "
        "{ ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } } "
        f'FILTER (isIRI(?t) && STRSTARTS(STR(?t), "{ECO}")) }}'
    )
    assert isinstance(found, pyoxigraph.QuerySolutions)
    return {URIRef(row["t"].value) for row in found}


def check_dangling(
    store: pyoxigraph.Store, files: Iterable[SourceFile], locator: Locator
) -> list[Problem]:
    """Every IRI of the ``id/`` space that is used as an object is described somewhere."""
    problems = []
    for source in files:
        for subject, predicate, obj in sorted(_undescribed_objects(store, source)):
            problems.append(
                Problem(
                    "error",
                    "dangling",
                    f"{locator.name(obj)} (object of {locator.name(predicate)}) is not "
                    "described anywhere — misspelt, or its description is missing",
                    file=locator.relative(source.path),
                    line=source.line_of(obj),
                    entity=locator.name(subject),
                )
            )
    return problems


def _undescribed_objects(store: pyoxigraph.Store, source: SourceFile) -> set[tuple[Node, ...]]:
    if isinstance(source, LoadedFile):
        return {
            (s, p, o)
            for s, p, o in source.graph
            if isinstance(o, URIRef)
            and str(o).startswith(str(ECOID))
            and not any(True for _ in store.quads_for_pattern(pyoxigraph.NamedNode(o), None, None))
        }
    found = store.query(
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH <{source.graph_name}> {{ ?s ?p ?o }} "
        f'FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{ECOID}")) '
        "FILTER NOT EXISTS { GRAPH ?any { ?o ?anyP ?anyO } } }"
    )
    assert isinstance(found, pyoxigraph.QuerySolutions)
    return {tuple(oxigraph_to_rdflib(row[v]) for v in ("s", "p", "o")) for row in found}


_QUOTES = f"""
SELECT ?evidence ?quote ?source (SAMPLE(?file) AS ?local) WHERE {{
  ?evidence <{ECO}quote> ?quote .
  OPTIONAL {{ ?evidence <{PROV}wasQuotedFrom> ?source . OPTIONAL {{ ?source <{ECO}localFile> ?file }} }}
}} GROUP BY ?evidence ?quote ?source"""  # noqa: E501 - one query, read as one


def check_quotes(store: pyoxigraph.Store, sources_root: Path, locator: Locator) -> list[Problem]:
    """Every ``eco:quote`` must occur verbatim in the text file of the source it cites.

    Files and lines are looked up only for the quotes that fail: locating is the expensive
    part, and a valid graph of a million triples has tens of thousands of quotes.
    """
    problems = []
    texts: dict[str, str | None] = {}
    solutions = store.query(_QUOTES, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    failed = []
    for row in solutions:
        if row["local"] is None:
            continue  # the Source shape reports a source without a file
        local, quote = row["local"].value, row["quote"].value
        if local not in texts:
            path = sources_root / local
            texts[local] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = texts[local]
        if text is None or quote not in text:
            failed.append(
                (oxigraph_to_rdflib(row["evidence"]), oxigraph_to_rdflib(row["quote"]), local)
            )
    for evidence, quote, local in sorted(failed):
        path = sources_root / local
        text = texts[local]
        file, line = locator.where(evidence)
        line = locator.line_in(file, quote) or line
        if text is None:
            message = (
                f"cannot check the quote: source text {path} not found "
                "(set ECOGRAPH_SHARED_DIR to the folder holding sources/)"
            )
            problems.append(
                Problem("warning", "quote", message, file, line, entity=locator.name(evidence))
            )
        else:
            message = f"the quote is not verbatim in {local}: " + _first_difference(
                str(quote), text
            )
            problems.append(
                Problem("error", "quote", message, file, line, entity=locator.name(evidence))
            )
    return problems


def _first_difference(quote: str, text: str) -> str:
    """Say where the quote stops matching, so the curator sees the typo at once."""
    best = 0
    for length in range(len(quote), 0, -1):
        if quote[:length] in text:
            best = length
            break
    if best == 0:
        return f"not even its first character «{quote[:1]}» matches"
    before, after = quote[max(0, best - 30) : best], quote[best : best + 30]
    return f"it matches up to «…{before}» and then has «{after}…»"


_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def _normalise(label: str) -> str:
    """The label with accents, case and punctuation gone ("Città-Metro" → "cittametro")."""
    if label.isascii():  # most labels: no decomposition needed (3× faster at 1M triples)
        return _NOT_ALPHANUMERIC.sub("", label.lower())
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALPHANUMERIC.sub("", plain.casefold())


_LABELLED = f"""
SELECT DISTINCT ?s ?label ?class WHERE {{
  GRAPH ?g1 {{ ?s <{RDFS.label}> ?label }}
  GRAPH ?g2 {{ ?s a ?class }}
  FILTER (STRSTARTS(STR(?s), "{ECOID}") && STRSTARTS(STR(?class), "{ECO}"))
  FILTER (STRSTARTS(STR(?g1), "{ASSERTED_DATA}") || STRSTARTS(STR(?g1), "{ASSERTED_ONTOLOGY}"))
  FILTER (STRSTARTS(STR(?g2), "{ASSERTED_DATA}") || STRSTARTS(STR(?g2), "{ASSERTED_ONTOLOGY}"))
}}"""


def check_duplicates(store: pyoxigraph.Store, locator: Locator) -> list[Problem]:
    """Warn when two entities of the same class carry the same label, accents and case aside.

    Only asserted types count: with inferred super-classes every pair of namesakes would be
    reported again under each class they share.
    """
    groups: dict[tuple[str, str], set[Node]] = defaultdict(set)
    solutions = store.query(_LABELLED)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    for row in solutions:
        key = _normalise(row["label"].value)
        if key:
            groups[(row["class"].value, key)].add(URIRef(row["s"].value))
    problems = []
    reported: set[frozenset[Node]] = set()
    for (_, key), members in sorted(groups.items(), key=lambda item: str(item[0])):
        if len(members) < 2 or frozenset(members) in reported:
            continue
        reported.add(frozenset(members))
        first, *others = sorted(members, key=str)
        file, line = locator.where(first)
        problems.append(
            Problem(
                "warning",
                "duplicate",
                f"may be the same entity as {', '.join(locator.name(o) for o in others)} "
                f"(same class and label «{key}»)",
                file=file,
                line=line,
                entity=locator.name(first),
            )
        )
    return problems
