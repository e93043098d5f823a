"""Checks of the graph, reported in plain words grouped by file and entity.

Besides SHACL, the checks that shapes cannot express well: every term of the ``eco:``
namespace is declared by the ontology (a misspelt class is otherwise just an unknown IRI),
every IRI of the ``id/`` space used as an object is described somewhere, every source text is
in the repository with the bytes its checksum names, every evidence quote stands in its
source text where its selectors say, and — as a warning only — entities that look like
duplicates of each other.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import FOAF, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ecograph.build.load import load_file
from ecograph.rdf.anchoring import AmbiguousQuote, AnchorError, QuoteNotFound, resolve
from ecograph.rdf.closure import closure
from ecograph.rdf.files import LoadedFile, SourceFile
from ecograph.rdf.namespaces import (
    DERIVED_GRAPH,
    ECO,
    ECOID,
    INFERRED_GRAPH,
    OA,
    SPDX,
    graph_iri,
    short,
)
from ecograph.rdf.terms import oxigraph_to_rdflib, rdflib_to_oxigraph
from ecograph.rdf.text import compact
from ecograph.settings import Settings

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


_SOURCES = f"""
SELECT ?source ?file ?checksum ?algorithm WHERE {{
  ?source a <{ECO}Source> ; <{ECO}localFile> ?file .
  OPTIONAL {{
    ?source <{SPDX}checksum> ?sum .
    ?sum <{SPDX}checksumValue> ?checksum .
    OPTIONAL {{ ?sum <{SPDX}algorithm> ?algorithm }}
  }}
}}"""
_QUOTES = f"""
SELECT ?evidence ?quote (SAMPLE(?file) AS ?local) (SAMPLE(?pre) AS ?prefix)
       (SAMPLE(?suf) AS ?suffix) (SAMPLE(?from) AS ?start) (SAMPLE(?to) AS ?end)
       (COUNT(DISTINCT ?selector) AS ?selectors) WHERE {{
  ?evidence <{ECO}quote> ?quote .
  OPTIONAL {{ ?evidence <{PROV}wasQuotedFrom> ?source . ?source <{ECO}localFile> ?file }}
  OPTIONAL {{ ?evidence <{OA}hasSelector> ?selector }}
  OPTIONAL {{
    ?evidence <{OA}hasSelector> ?quoteSelector . ?quoteSelector a <{OA}TextQuoteSelector> .
    OPTIONAL {{ ?quoteSelector <{OA}prefix> ?pre }}
    OPTIONAL {{ ?quoteSelector <{OA}suffix> ?suf }}
  }}
  OPTIONAL {{
    ?evidence <{OA}hasSelector> ?positionSelector .
    ?positionSelector a <{OA}TextPositionSelector> ; <{OA}start> ?from ; <{OA}end> ?to .
  }}
}} GROUP BY ?evidence ?quote"""
_SHA256 = str(SPDX.checksumAlgorithm_sha256)
_Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


@dataclass(frozen=True)
class SourceTexts:
    """The source texts the checks may read, by ``eco:localFile``: those that are there, are
    UTF-8 and match their checksum. The others were reported once, as problems of their
    source, and their quotes are not checked against them."""

    texts: dict[str, str]
    problems: list[Problem]


def read_sources(store: pyoxigraph.Store, settings: Settings, locator: Locator) -> SourceTexts:
    """Read every source's text from the repository and check it against its checksum.

    A text that is missing, outside the repository, not UTF-8, or whose bytes' SHA-256 is not
    the one the source gives is an error on the source (its file and line in the data, the
    text file named in the message). A source without a checksum is left to the Source shape.
    """
    sources: dict[str, URIRef] = {}
    sums: dict[str, list[tuple[Literal, str | None]]] = defaultdict(list)
    solutions = store.query(_SOURCES, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    for row in solutions:
        local = row["file"].value
        sources[local] = URIRef(row["source"].value)
        if row["checksum"] is not None:
            algorithm = row["algorithm"].value if row["algorithm"] is not None else None
            value = oxigraph_to_rdflib(row["checksum"])
            assert isinstance(value, Literal)
            sums[local].append((value, algorithm))
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for local, source in sorted(sources.items()):
        failure = _read_source(settings, local, sums[local], texts)
        if failure is None:
            continue
        message, literal = failure
        file, line = locator.where(source)
        if literal is not None:
            line = locator.line_in(file, literal) or line
        problems.append(Problem("error", "source", message, file, line, locator.name(source)))
    return SourceTexts(texts, problems)


def _read_source(
    settings: Settings,
    local: str,
    sums: list[tuple[Literal, str | None]],
    texts: dict[str, str],
) -> tuple[str, Literal | None] | None:
    """Read one text into ``texts``; the reason it cannot be used (and the checksum literal to
    point at), or ``None``."""
    path = settings.source_path(local)
    if path is None:
        return f"the text {local} is outside the repository: give a path under data/sources/", None
    if not path.is_file():
        return f"the text {local} is missing from the repository", None
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    for value, algorithm in sums:
        if algorithm is not None and algorithm != _SHA256:
            return (
                f"the checksum of {local} uses {short(algorithm)}; only SHA-256 is checked",
                value,
            )
        if str(value).lower() != actual:
            return (
                f"the bytes of {local} do not match its checksum: their SHA-256 is {actual}, "
                f"the source gives {value} — the text changed since it was described (restore "
                "it, or describe and re-anchor the new text)",
                value,
            )
    try:
        texts[local] = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"the text {local} is not UTF-8 (byte {error.start})", None
    return None


def check_quotes(store: pyoxigraph.Store, sources: SourceTexts, locator: Locator) -> list[Problem]:
    """Every ``eco:quote`` holds in the text of its source, where its selectors say.

    The quote must occur (else it is *orphaned*: never moved to a look-alike); a position
    selector must hold exactly the quote; a text quote selector's prefix and suffix must fit
    the occurrence the position names; and a quote that occurs more than once needs a prefix
    and suffix that pick exactly one. A unique quote without selectors is checked as it is
    (``ecograph anchor`` adds them). Files and lines are looked up only for the quotes that
    fail: locating is the expensive part, and a valid graph of a million triples has tens of
    thousands of quotes.
    """
    solutions = store.query(_QUOTES, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    failed = []
    for row in solutions:
        if row["local"] is None:
            continue  # the Evidence and Source shapes report a quote without a source or file
        local = row["local"].value
        text = sources.texts.get(local)
        if text is None:
            continue  # the source's own problem says why its text cannot be read
        selected = int(row["selectors"].value) > 0
        try:
            resolve(
                text,
                row["quote"].value,
                _value(row["prefix"], selected),
                _value(row["suffix"], selected),
                _position(row["start"]),
                _position(row["end"]),
            )
        except QuoteNotFound:
            reason = f"orphaned quote: it is not in {local}; " + _first_difference(
                row["quote"].value, text
            )
        except AmbiguousQuote as error:
            reason = f"ambiguous quote in {local}: {error}"
        except AnchorError as error:
            reason = f"the selectors do not hold in {local}: {error}"
        else:
            continue
        failed.append(
            (oxigraph_to_rdflib(row["evidence"]), oxigraph_to_rdflib(row["quote"]), reason)
        )
    problems = []
    for evidence, quote, reason in sorted(failed):
        file, line = locator.where(evidence)
        line = locator.line_in(file, quote) or line
        problems.append(Problem("error", "quote", reason, file, line, locator.name(evidence)))
    return problems


def check_evidence(store: pyoxigraph.Store, settings: Settings, locator: Locator) -> list[Problem]:
    """The source texts (present, unchanged) and then every quote in them."""
    sources = read_sources(store, settings, locator)
    return sources.problems + check_quotes(store, sources, locator)


def _value(term: _Term | None, selected: bool) -> str | None:
    """A prefix or suffix: absent when there is no selector; empty when a selector gives none."""
    if term is None:
        return "" if selected else None
    return str(term.value)


def _position(term: _Term | None) -> int | None:
    if term is None:
        return None
    try:
        return int(term.value)
    except ValueError:
        return None  # the position selector shape reports a position that is not an integer


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


# Asserted: in any graph but the two the build computes (the store holds the data and
# ontology files' graphs besides them). Naming the two is half the time of testing every
# graph's name as text (6 s against 12 s at 1M).
_NAMED = f"""
SELECT DISTINCT ?s ?name ?class WHERE {{
  VALUES ?property {{ <{RDFS.label}> <{SKOS.prefLabel}> <{SKOS.altLabel}> <{FOAF.name}> }}
  GRAPH ?g1 {{ ?s ?property ?name }}
  FILTER (?g1 NOT IN (<{INFERRED_GRAPH}>, <{DERIVED_GRAPH}>))
  FILTER (isLiteral(?name) && STRSTARTS(STR(?s), "{ECOID}"))
  GRAPH ?g2 {{ ?s a ?class }}
  FILTER (?g2 NOT IN (<{INFERRED_GRAPH}>, <{DERIVED_GRAPH}>))
  FILTER (STRSTARTS(STR(?class), "{ECO}"))
}}"""
_SUBCLASSES = f"""
SELECT ?class ?broader WHERE {{
  GRAPH ?g {{ ?class <{RDFS.subClassOf}> ?broader }}
  FILTER (isIRI(?broader) && STRSTARTS(STR(?g), "{ASSERTED_ONTOLOGY}"))
}}"""


@dataclass
class _Named:
    """An entity as the duplicate check sees it: its asserted classes, one name as written,
    and the locator of the store it was read from."""

    classes: set[str]
    name: str
    locator: Locator
    new: bool


def _names(
    store: pyoxigraph.Store, locator: Locator, new: bool, every: bool = False
) -> dict[tuple[str, str], dict[Node, _Named]]:
    """(kind of IRI, compact name) -> entity -> what the check needs: only the names two
    entities or more bear, unless ``every``. Grouped first on plain strings, each name made a
    key once: at 1M triples (163,000 names) building an object per name took 2 of 5 s."""
    solutions = store.query(_NAMED)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    rows = [(row[0].value, row[1].value, row[2].value) for row in solutions]
    keys: dict[str, str] = {}
    owners: dict[tuple[str, str], str] = {}  # the first entity of each name
    shared: set[tuple[str, str]] = set()
    placed: list[tuple[str, str, str, tuple[str, str]]] = []
    for iri, name, cls in rows:
        key = keys.get(name)
        if key is None:
            key = keys[name] = compact(name)
        if not key:
            continue
        group = (iri[len(ECOID) :].split("/", 1)[0], key)
        if owners.setdefault(group, iri) != iri:
            shared.add(group)
        placed.append((iri, name, cls, group))
    groups: dict[tuple[str, str], dict[Node, _Named]] = defaultdict(dict)
    for iri, name, cls, group in placed:
        if every or group in shared:
            entity = URIRef(iri)
            named = groups[group].setdefault(entity, _Named(set(), name, locator, new))
            named.classes.add(cls)
    return groups


def _ancestors(store: pyoxigraph.Store) -> dict[str, frozenset[str]]:
    broader: dict[str, set[str]] = defaultdict(set)
    solutions = store.query(_SUBCLASSES)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    for row in solutions:
        broader[row["class"].value].add(row["broader"].value)
    return closure(broader)


def _other_files(paths: Sequence[Path], root: Path) -> tuple[pyoxigraph.Store, Locator]:
    """The data files a partial validation did not load, for their names only."""
    store = pyoxigraph.Store()
    files = [load_file(store, path, graph_iri("data", f"others/{path.stem}")) for path in paths]
    return store, Locator(files=files, root=root, store=store)


def check_duplicates(
    store: pyoxigraph.Store, locator: Locator, others: Sequence[Path] = ()
) -> list[Problem]:
    """Warn when an entity bears the name of another — a probable duplicate, minted where an
    IRI should have been reused — naming both entities and the files that describe them.

    Names are labels, preferred and alternative labels and ``foaf:name``, compared by
    :func:`ecograph.rdf.text.compact` (accents, case, punctuation and spacing aside). Two
    entities are namesakes when their IRIs are of one kind (``org/``, ``person/``...) and one's
    asserted class is the other's or a sub-class of it: a university and an organisation of
    one name are a likely pair, a city and the region named after it are not. ``others``
    (data files a partial validation did not load) are read for their names, so that a new
    file is compared with the whole graph; only pairs involving a loaded entity are reported.
    """
    groups = _names(store, locator, new=True, every=bool(others))
    if others:
        other_store, other_locator = _other_files(others, locator.root)
        for key, found in _names(other_store, other_locator, new=False, every=True).items():
            for entity, named in found.items():
                groups[key].setdefault(entity, named)
    if not any(len(found) > 1 for found in groups.values()):
        return []
    ancestors = _ancestors(store)

    def related(a: _Named, b: _Named) -> bool:
        return any(
            x in ancestors.get(y, {y}) or y in ancestors.get(x, {x})
            for x in a.classes
            for y in b.classes
        )

    problems = []
    for _, found in sorted(groups.items(), key=lambda item: item[0]):
        if len(found) < 2:
            continue
        entities = sorted(found, key=str)
        reported: set[Node] = set()
        for entity in entities:
            named = found[entity]
            if entity in reported or not named.new:
                continue
            same = [o for o in entities if o != entity and related(named, found[o])]
            if not same:
                continue
            reported.update([entity, *same])
            where = []
            for other in same:
                file, line = found[other].locator.where(other)
                place = f"{file}:{line}" if file and line else file or "an unknown file"
                where.append(f"{locator.name(other)} ({place})")
            file, line = locator.where(entity)
            problems.append(
                Problem(
                    "warning",
                    "duplicate",
                    f"may be the same entity as {', '.join(where)}: both are named "
                    f"«{named.name}» (accents, case and punctuation aside); reuse one IRI",
                    file=file,
                    line=line,
                    entity=locator.name(entity),
                )
            )
    return problems
