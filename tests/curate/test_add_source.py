"""``ecograph add-source``: a new text among the sources, its description, and the article file
to start from; refused whole (exit 2, nothing written) on a duplicate text, a bad date or a file
that exists. Each test works on a copy of the project in a temporary folder."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ecograph.build.pipeline import build
from ecograph.cli import main
from ecograph.rdf.namespaces import ECO, ECOID
from ecograph.settings import Settings
from paths import ROOT, TEST_DATA

ARTICLE = TEST_DATA / "curate" / "fictitious-article.txt"
SPDX = Namespace("http://spdx.org/rdf/terms#")
OA = Namespace("http://www.w3.org/ns/oa#")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def add(root: Path, *extra: str, text: Path = ARTICLE) -> int:
    return main(
        [
            "--root",
            str(root),
            "add-source",
            str(text),
            "--title",
            "Torneo dell'innovazione a Borgofittizio",
            "--publisher",
            "Gazzetta di Prova",
            "--lang",
            "it",
            *extra,
        ]
    )


def new_files(before: dict[str, str], root: Path) -> list[str]:
    return sorted(set(snapshot(root)) - set(before))


def test_adds_the_text_its_description_and_an_article(project: Path) -> None:
    before = snapshot(project)
    assert add(project, "--date", "2025-03", "--url", "https://example.org/torneo") == 0
    created = new_files(before, project)
    digest = hashlib.sha256(ARTICLE.read_bytes()).hexdigest()
    numbers = [
        int(m[1])
        for p in (project / "data" / "articles").iterdir()
        if (m := re.match(r"(\d{3})-", p.name))
    ]
    number = f"{max(numbers):03d}"
    text_file = f"data/sources/{number}_{digest[:16]}.txt"
    article_file = f"data/articles/{number}-torneo-dell-innovazione-a-borgofittizio.ttl"
    assert created == sorted([article_file, text_file])
    assert (project / text_file).read_bytes() == ARTICLE.read_bytes()

    sources = Graph().parse(project / "data" / "sources.ttl")
    source = URIRef(f"{ECOID}source/{number}-{digest[:16]}")
    assert (source, RDF.type, ECO.Source) in sources
    assert sources.value(source, DCTERMS.issued) == Literal("2025-03", datatype=XSD.gYearMonth)
    assert sources.value(source, DCTERMS.publisher) == Literal("Gazzetta di Prova")
    assert sources.value(source, ECO.localFile) == Literal(text_file)
    assert sources.value(source, URIRef("https://schema.org/url")) == URIRef(
        "https://example.org/torneo"
    )
    checksum = sources.value(source, SPDX.checksum)
    assert sources.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(sources.value(checksum, SPDX.checksumValue)) == digest


def test_the_article_lists_mentions_and_evidence_stubs_anchored_in_the_text(
    project: Path,
) -> None:
    before = snapshot(project)
    # argparse takes "--03-14" alone for an option: the value goes with "=".
    assert add(project, "--date=--03-14") == 0
    article = next(project / p for p in new_files(before, project) if p.endswith(".ttl"))
    content = article.read_text(encoding="utf-8")
    assert content.startswith("# ====")
    assert "ecograph instance data — article" in content
    assert len(Graph().parse(data=content, format="turtle")) == 0  # comments only, yet Turtle
    assert "# o:politecnico-di-torino (org): Politecnico di Torino at" in content
    assert "'Fondazione Lunaria Immaginaria' (capitalised)" in content

    # Uncommented, the stubs are Turtle whose selectors point at the text's own characters.
    prefixes = [line for line in content.splitlines() if line.startswith("@prefix")]
    section = content[content.index("# Evidence stubs") :].splitlines()
    stubs = [line[2:] for line in section if line.startswith(("# evidence:", "#     "))]
    graph = Graph().parse(data="\n".join(prefixes + stubs), format="turtle")
    text = ARTICLE.read_text(encoding="utf-8")
    quotes = list(graph.subject_objects(ECO.quote))
    # One per sentence holding a first occurrence: 11 names in 4 sentences.
    assert len(quotes) == 4
    labels = " ".join(str(o) for o in graph.objects(None, RDFS.label))
    for name in ("kilometro rosso", "TECNALIA", "QXZR", "Fondazione Lunaria Immaginaria"):
        assert name in labels
    for evidence, quote in quotes:
        selectors = list(graph.objects(evidence, OA.hasSelector))
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        start, end = (int(graph.value(position, OA[k])) for k in ("start", "end"))
        assert text[start:end] == str(quote)
        exact = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        assert text[:start].endswith(str(graph.value(exact, OA.prefix)))
        assert text[end:].startswith(str(graph.value(exact, OA.suffix)))


def test_a_text_already_among_the_sources_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(project) == 0
    before = snapshot(project)
    assert add(project, "--date", "2025") == 2
    assert "already a source" in capsys.readouterr().err
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("date", "why"),
    [("2025-02-30", "no such day"), ("March 2025", "YYYY-MM-DD"), ("--13-01", "no such day")],
)
def test_a_bad_date_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], date: str, why: str
) -> None:
    before = snapshot(project)
    assert add(project, f"--date={date}") == 2
    assert why in capsys.readouterr().err
    assert snapshot(project) == before


def test_a_number_whose_files_exist_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--number`` reserves an NNN; one that an article already has is refused."""
    before = snapshot(project)
    assert add(project, "--number", "003") == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "003-turin-beijing-delegation.ttl" in err
    assert snapshot(project) == before


def test_a_given_number_names_the_files(project: Path) -> None:
    before = snapshot(project)
    assert add(project, "--number", "042", "--slug", "Torneo di prova") == 0
    created = new_files(before, project)
    assert [p.split("/")[-1][:3] for p in created] == ["042", "042"]
    assert "data/articles/042-torneo-di-prova.ttl" in created


def test_a_text_that_is_not_utf8_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Università".encode("latin-1"))
    before = snapshot(project)
    assert add(project, text=latin) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert snapshot(project) == before


def test_the_project_still_validates_after_adding(project: Path) -> None:
    """The description meets the shapes, the checksum matches the copied bytes, and the new
    article file (comments only) adds nothing to trip a check."""
    assert add(project, "--date", "2025-03-14", "--url", "https://example.org/torneo") == 0
    report = build(Settings(root=project)).report
    assert report.conforms, report.render()
    assert not report.warnings, report.render()


def test_the_stubs_uncommented_validate(project: Path) -> None:
    """Every stub, uncommented as it is, passes the build's quote and selector checks."""
    before = snapshot(project)
    assert add(project) == 0
    article = next(project / p for p in new_files(before, project) if p.endswith(".ttl"))
    lines = article.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("# Evidence stubs"))
    lines[start:] = [
        line[2:] if line.startswith(("# evidence:", "#     ")) else line for line in lines[start:]
    ]
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build(Settings(root=project)).report
    assert report.conforms, report.render()
    assert len(Graph().parse(article)) > 4 * 8  # the stubs are there, as triples
