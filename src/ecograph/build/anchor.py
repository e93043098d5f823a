"""``ecograph anchor``: give evidence that has no selectors its W3C Web Annotation selectors.

The Turtle files are edited in place, the way a curator would: the new statements go at the
end of the evidence node's own block (``oa:hasSource`` and the two ``oa:hasSelector``), and
nothing else of the file changes — comments, order and spelling stay. Evidence that has a text
quote selector is left alone, whatever it says: checking it is the build's job, and a quote
that no longer matches is reported, never moved to a look-alike. A quote that occurs more
than once is anchored only where a position selector already says which occurrence is meant.

A file is written whole or not at all (checked by parsing it again, then an atomic rename).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from ecograph.build.checks import Problem
from ecograph.errors import InputError, SourceLocation
from ecograph.rdf.anchoring import AnchorError, QuoteNotFound, Selector, anchor
from ecograph.rdf.files import LoadedFile, parse_file
from ecograph.rdf.namespaces import ECO, OA, SPDX, short
from ecograph.rdf.terms import ntriples
from ecograph.settings import Settings

_OA_PREFIX = f"@prefix oa: <{OA}> .\n"


@dataclass
class AnchorReport:
    """What ``anchor`` did: selectors written per file, and what it could not anchor."""

    anchored: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Edit:
    at: int  # offset of the block's final "." in the file's text
    subject: URIRef
    addition: str


def anchor_files(settings: Settings, paths: Sequence[Path]) -> AnchorReport:
    """Anchor the evidence of ``paths`` (Turtle files) against the texts of their sources.

    Sources are looked up in the files themselves and in the top-level files of ``data/``
    (``data/sources.ttl``); a text must match its checksum before anything is anchored in it.
    """
    report = AnchorReport()
    sources = Graph()
    for path in sorted((settings.root / "data").glob("*.ttl")):
        if path.name != "geography.ttl":
            sources += parse_file(path).graph
    loaded = [parse_file(path) for path in paths]
    for file in loaded:
        sources += file.graph
    texts = _Texts(settings, sources)
    for file in loaded:
        edits, problems = _plan(file, texts, settings)
        where = _relative(file.path, settings.root)
        if problems:
            report.problems += problems
            continue  # nothing half-written: a file with a problem is not touched
        if edits:
            _write(file, edits)
            report.anchored[where] = len(edits)
    return report


class _Texts:
    """Source texts by source IRI, read once, refused when their checksum does not match."""

    def __init__(self, settings: Settings, graph: Graph) -> None:
        self.settings = settings
        self.graph = graph
        self.texts: dict[Node, str] = {}
        self.refused: dict[Node, str] = {}

    def text(self, source: Node) -> str:
        """The text, or raise :class:`ValueError` saying why it cannot be used."""
        if source not in self.texts and source not in self.refused:
            try:
                self.texts[source] = self._read(source)
            except ValueError as error:
                self.refused[source] = str(error)
        if source in self.refused:
            raise ValueError(self.refused[source])
        return self.texts[source]

    def _read(self, source: Node) -> str:
        local = self.graph.value(source, ECO.localFile)
        if local is None:
            raise ValueError(f"the source {short(str(source))} has no eco:localFile")
        path = self.settings.source_path(str(local))
        if path is None or not path.is_file():
            raise ValueError(f"the text {local} is not a file of the repository")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        for checksum in self.graph.objects(source, SPDX.checksum):
            value = self.graph.value(checksum, SPDX.checksumValue)
            if value is not None and str(value).lower() != digest:
                raise ValueError(f"the bytes of {local} do not match its checksum")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"the text {local} is not UTF-8") from None


def _plan(file: LoadedFile, texts: _Texts, settings: Settings) -> tuple[list[_Edit], list[Problem]]:
    graph = file.graph
    text = file.path.read_text(encoding="utf-8")
    edits: list[_Edit] = []
    problems: list[Problem] = []
    where = _relative(file.path, settings.root)
    for evidence, quote in sorted(graph.subject_objects(ECO.quote)):
        if not isinstance(evidence, URIRef) or _has_quote_selector(graph, evidence):
            continue
        source = graph.value(evidence, PROV.wasQuotedFrom)
        try:
            if source is None:
                raise ValueError("the evidence names no source (prov:wasQuotedFrom)")
            selector = anchor(texts.text(source), str(quote), _start_hint(graph, evidence))
            block_end = _block_end(text, file, evidence)
        except QuoteNotFound:
            problems.append(
                _problem(
                    file,
                    where,
                    evidence,
                    quote,
                    "orphaned quote: not in the "
                    "text of its source; it is not anchored (correct it)",
                )
            )
            continue
        except (AnchorError, ValueError) as error:
            problems.append(_problem(file, where, evidence, quote, f"not anchored: {error}"))
            continue
        assert source is not None
        addition = _statements(file, graph, evidence, source, selector)
        edits.append(_Edit(block_end, evidence, addition))
    return edits, problems


def _problem(file: LoadedFile, where: str, evidence: URIRef, quote: Node, message: str) -> Problem:
    line = file.line_of(quote) or file.line_of(evidence)
    return Problem("error", "anchor", message, where, line, short(str(evidence)))


def _has_quote_selector(graph: Graph, evidence: URIRef) -> bool:
    return any(
        (selector, RDF.type, OA.TextQuoteSelector) in graph
        for selector in graph.objects(evidence, OA.hasSelector)
    )


def _start_hint(graph: Graph, evidence: URIRef) -> int | None:
    """The start a position selector already gives: which occurrence a repeated quote means."""
    for selector in graph.objects(evidence, OA.hasSelector):
        if (selector, RDF.type, OA.TextPositionSelector) in graph:
            start = graph.value(selector, OA.start)
            if isinstance(start, Literal) and str(start).isdigit():
                return int(str(start))
    return None


def _statements(
    file: LoadedFile, graph: Graph, evidence: URIRef, source: Node, selector: Selector
) -> str:
    lines: list[str] = []
    if graph.value(evidence, OA.hasSource) is None:
        lines.append(f"    oa:hasSource {_term(file, source)} ;")
    has_position = any(
        (s, RDF.type, OA.TextPositionSelector) in graph
        for s in graph.objects(evidence, OA.hasSelector)
    )
    quote_selector = [
        "    oa:hasSelector [",
        "        a oa:TextQuoteSelector ;",
        f"        oa:exact {ntriples(Literal(selector.exact))} ;",
        f"        oa:prefix {ntriples(Literal(selector.prefix))} ;",
        f"        oa:suffix {ntriples(Literal(selector.suffix))}",
    ]
    if has_position:
        lines += [*quote_selector, "    ]"]
    else:
        lines += [
            *quote_selector,
            "    ] , [",
            "        a oa:TextPositionSelector ;",
            f"        oa:start {selector.start} ;",
            f"        oa:end {selector.end}",
            "    ]",
        ]
    return " ;\n" + "\n".join(lines)


def _term(file: LoadedFile, node: Node) -> str:
    """The node as the file would spell it: a prefixed name where a prefix fits, else <iri>."""
    value = str(node)
    for prefix, namespace in sorted(file.prefixes().items(), key=lambda p: -len(p[1])):
        local = value[len(namespace) :]
        if prefix and value.startswith(namespace) and re.fullmatch(r"[\w-]+", local or "-"):
            return f"{prefix}:{local}"
    return f"<{value}>"


def _block_end(text: str, file: LoadedFile, subject: URIRef) -> int:
    """Offset of the "." that ends the statement whose subject is ``subject``."""
    searchable = file.searchable()
    for needle in _spellings(file, subject):
        # at the start of a line and followed by a predicate: not an object in a list
        found = re.search(rf"(?m)^[ \t]*{re.escape(needle)}(?=\s+[^\s,.;])", searchable)
        if found:
            return _statement_end(text, found.end())
    raise ValueError(f"cannot find the block of {short(str(subject))} in the file")


def _spellings(file: LoadedFile, subject: URIRef) -> list[str]:
    value = str(subject)
    found = [f"<{value}>"]
    for prefix, namespace in file.prefixes().items():
        if value.startswith(namespace):
            found.append(f"{prefix}:{value[len(namespace) :]}")
    base = re.search(r"(?im)^[ \t]*@?base[ \t]+<([^>]*)>", file.searchable())
    if base and value.startswith(base.group(1)):
        found.append(f"<{value[len(base.group(1)) :]}>")
    return found


def _statement_end(text: str, at: int) -> int:
    """The "." ending the Turtle statement that goes on at ``at``: outside strings, IRIs,
    comments and brackets, and followed by white space or the end of the text."""
    depth, i, n = 0, at, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif char == "<":
            i = text.index(">", i)
        elif char in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            i += len(quote)
            while not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "." and depth == 0 and (i + 1 == n or text[i + 1].isspace()):
            return i
        i += 1
    raise ValueError("the statement has no final '.'")


def _write(file: LoadedFile, edits: list[_Edit]) -> None:
    text = file.path.read_text(encoding="utf-8")
    for edit in sorted(edits, key=lambda e: -e.at):
        head = text[: edit.at].rstrip()
        text = head + edit.addition + " ." + text[edit.at + 1 :]
    if "oa" not in file.prefixes():
        last = list(re.finditer(r"(?im)^[ \t]*@prefix[^\n]*\n", text))
        cut = last[-1].end() if last else 0
        text = text[:cut] + _OA_PREFIX + text[cut:]
    try:
        Graph().parse(data=text, format="turtle", publicID=file.path.resolve().as_uri())
    except Exception as error:  # any parser failure means: do not write
        raise InputError(SourceLocation(file.path), f"anchoring would break it: {error}") from None
    handle, temporary = tempfile.mkstemp(dir=file.path.parent, prefix=f".{file.path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, file.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
