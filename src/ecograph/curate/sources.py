"""A new source for the repository: its text under ``data/sources/``, its description in
``data/sources.ttl``, and the names under which the files go.

The description says only what the curator gives (title, publisher, the date or the parts of
it the article gives, language, a URL) and what the bytes give (SHA-256, media type): the
same statements, in the same order, as the hand-written sources of ``data/sources.ttl``.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ecograph.errors import InputError, SourceLocation
from ecograph.rdf.terms import ntriples
from ecograph.rdf.text import fold

SOURCES_FOLDER = Path("data") / "sources"
SOURCES_FILE = Path("data") / "sources.ttl"
ARTICLES_FOLDER = Path("data") / "articles"
TEXT_PLAIN = "http://www.iana.org/assignments/media-types/text/plain"

_DATES = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), XSD.date),
    (re.compile(r"^(\d{4})-(\d{2})$"), XSD.gYearMonth),
    (re.compile(r"^(\d{4})$"), XSD.gYear),
    (re.compile(r"^--(\d{2})-(\d{2})$"), XSD.gMonthDay),
)
_NUMBERED = re.compile(r"^(\d{3})[-_]")
_CHECKSUM = re.compile(r'spdx:checksumValue\s+"([0-9a-fA-F]{64})"')
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class SourceFacts:
    """What the curator says about the text (``date`` as given: ``2024-05-11``, ``2024-05``,
    ``2024`` or ``--05-11``)."""

    title: str
    publisher: str | None
    date: str | None
    language: str
    url: str | None = None


@dataclass(frozen=True)
class NewSource:
    """Where a new source goes: ``number`` is the NNN its files share."""

    number: str
    digest: str
    slug: str

    @property
    def stem(self) -> str:
        return f"{self.number}_{self.digest[:16]}"

    @property
    def iri_name(self) -> str:
        return f"{self.number}-{self.digest[:16]}"

    @property
    def text_path(self) -> Path:
        return SOURCES_FOLDER / f"{self.stem}.txt"

    @property
    def article_path(self) -> Path:
        return ARTICLES_FOLDER / f"{self.number}-{self.slug}.ttl"


def date_literal(value: str, where: Path) -> Literal:
    """The date as the article gives it, typed by its form; a day that does not exist (or a
    form that is none of these) is refused."""
    for pattern, datatype in _DATES:
        found = pattern.match(value)
        if not found:
            continue
        parts = [int(p) for p in found.groups()]
        if datatype == XSD.gMonthDay:
            month, day = parts
            year = 2000  # a leap year: --02-29 exists
        else:
            year, month, day = [*parts, 1, 1][:3]
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise InputError(SourceLocation(where), f"--date {value!r}: no such day")
        return Literal(value, datatype=datatype)
    raise InputError(
        SourceLocation(where),
        f"--date {value!r} is not a date as an article gives it: write YYYY-MM-DD, YYYY-MM, "
        "YYYY or --MM-DD (the day and month without a year)",
    )


def check_facts(facts: SourceFacts, where: Path) -> None:
    if not facts.title.strip():
        raise InputError(SourceLocation(where), "--title is empty")
    if facts.publisher is not None and not facts.publisher.strip():
        raise InputError(SourceLocation(where), "--publisher is empty")
    if not _LANGUAGE.match(facts.language):
        raise InputError(
            SourceLocation(where), f"--lang {facts.language!r}: give a lowercase code such as it"
        )
    if facts.url is not None and not _URL.match(facts.url):
        raise InputError(SourceLocation(where), f"--url {facts.url!r} is not an http(s) URL")
    if facts.date is not None:
        date_literal(facts.date, where)


def slugify(title: str, most: int = 6) -> str:
    """The first words of the title, folded to ASCII and joined by hyphens."""
    found = re.findall(r"[a-z0-9]+", fold(title))
    return "-".join(found[:most]) or "article"


def next_number(root: Path) -> str:
    """The first NNN after every article, source text and source description there is."""
    used = [-1]
    for folder in (root / ARTICLES_FOLDER, root / SOURCES_FOLDER):
        if folder.is_dir():
            used += [int(m[1]) for p in folder.iterdir() if (m := _NUMBERED.match(p.name))]
    sources = root / SOURCES_FILE
    if sources.is_file():
        used += [int(n) for n in re.findall(r"source:(\d{3})-", sources.read_text("utf-8"))]
    number = max(used) + 1
    if number > 999:
        raise InputError(SourceLocation(root / ARTICLES_FOLDER), "no NNN left after 999")
    return f"{number:03d}"


def files_numbered(root: Path, number: str) -> list[Path]:
    """The articles, source texts and descriptions that already use ``number`` (NNN)."""
    if not re.fullmatch(r"\d{3}", number):
        raise InputError(SourceLocation(root), f"--number {number!r}: give three digits, e.g. 042")
    found = [
        path
        for folder in (root / ARTICLES_FOLDER, root / SOURCES_FOLDER)
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if path.name.startswith((f"{number}-", f"{number}_"))
    ]
    sources = root / SOURCES_FILE
    if sources.is_file() and f"source:{number}-" in sources.read_text("utf-8"):
        found.append(sources)
    return found


def known_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every source text there is, with where it was found: the checksums the
    descriptions give and the files of ``data/sources/`` themselves."""
    found: dict[str, str] = {}
    sources = root / SOURCES_FILE
    if sources.is_file():
        for number, line in enumerate(sources.read_text("utf-8").splitlines(), 1):
            for digest in _CHECKSUM.findall(line):
                found.setdefault(digest.lower(), f"{SOURCES_FILE}:{number}")
    folder = root / SOURCES_FOLDER
    if folder.is_dir():
        for path in sorted(folder.glob("*.txt")):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found.setdefault(digest, str(path.relative_to(root)))
    return found


def describe(source: NewSource, facts: SourceFacts, original: str) -> str:
    """The Turtle block appended to ``data/sources.ttl`` (its prefixes are that file's)."""
    lang = facts.language
    label = f"{facts.title} (article {source.number})"
    lines = [
        "",
        f"# Added by `ecograph add-source` from {original}: title, publisher, date and language",
        "# as the curator gave them; checksum and media type from the bytes.",
        f"source:{source.iri_name}",
        "    a eco:Source ;",
        f"    rdfs:label {ntriples(Literal(label, lang=lang))} ;",
        f"    dcterms:title {ntriples(Literal(facts.title, lang=lang))} ;",
    ]
    if facts.publisher is not None:
        lines.append(f"    dcterms:publisher {ntriples(Literal(facts.publisher))} ;")
    if facts.date is not None:
        lines.append(f"    dcterms:issued {_typed(date_literal(facts.date, Path(original)))} ;")
    lines += [
        f'    dcterms:language "{lang}"^^xsd:language ;',
        f"    dcterms:identifier {ntriples(Literal(source.stem))} ;",
        '    dcterms:format "text/plain" ;',
        f"    dcat:mediaType {ntriples(URIRef(TEXT_PLAIN))} ;",
    ]
    if facts.url is not None:
        lines.append(f"    schema:url {ntriples(URIRef(facts.url))} ;")
    lines += [
        "    spdx:checksum [",
        "        a spdx:Checksum ;",
        "        spdx:algorithm spdx:checksumAlgorithm_sha256 ;",
        f'        spdx:checksumValue "{source.digest}"^^xsd:hexBinary',
        "    ] ;",
        f'    eco:localFile "{source.text_path.as_posix()}" .',
        "",
    ]
    return "\n".join(lines)


def _typed(literal: Literal) -> str:
    """``"2024-05"^^xsd:gYearMonth``: the prefixed form the file uses."""
    return f'"{literal}"^^xsd:{str(literal.datatype).rsplit("#", 1)[-1]}'


#: Prefixes a description needs, added to ``data/sources.ttl`` when it lacks them.
NEEDED_PREFIXES = {
    "eco": "https://w3id.org/ecograph/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "source": "https://w3id.org/ecograph/id/source/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
    "schema": "https://schema.org/",
}


def with_prefixes(turtle: str) -> str:
    """``data/sources.ttl`` with any prefix the descriptions need declared after its last one."""
    missing = [
        f"@prefix {p}: <{iri}> ."
        for p, iri in NEEDED_PREFIXES.items()
        if not re.search(rf"^@prefix\s+{p}:", turtle, re.MULTILINE)
    ]
    if not missing:
        return turtle
    declared = list(re.finditer(r"^@prefix[^\n]*\n", turtle, re.MULTILINE))
    at = declared[-1].end() if declared else 0
    return turtle[:at] + "\n".join(missing) + "\n" + turtle[at:]
