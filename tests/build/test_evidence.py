"""Evidence anyone can check (issue 10): on a copy of the repository with nothing beside it,
``validate`` checks every source text and quote, and fails — naming file, line and entity, with
a non-zero exit — on each way the evidence can go wrong; ``anchor`` writes selectors in place."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ecograph.cli import EXIT_INVALID, EXIT_OK, main

ARTICLE_004 = "data/articles/004-clust-er-innovate-basque-country.ttl"
TEXT_004 = "data/sources/004_23e507947b13cc3a.txt"


@pytest.fixture
def clone(root: Path, tmp_path: Path) -> Path:
    """The repository's graph, ontology, shapes and queries in an empty folder: no ../shared."""
    copy = tmp_path / "clone"
    for folder in ("ontology", "data", "shapes", "queries", "context"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, copy / folder)
    assert not (tmp_path / "shared").exists()
    return copy


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "validate"])
    out, err = capsys.readouterr()
    return code, out + err


def _line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def _reported(said: str, file: str, entity: str, line: int, words: str) -> None:
    """The report names the file, then the entity with its line, then the problem."""
    section = said.split(f"\n{file}\n", 1)
    assert len(section) == 2 or said.startswith(f"{file}\n"), f"{file} not named:\n{said}"
    body = section[-1]
    assert re.search(rf"{re.escape(entity)} \(line {line}\)|\(line {line}\)", body), said
    assert entity in body and words in body, said


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_fresh_clone_checks_every_quote_with_nothing_beside_it(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = _validate(clone, capsys)
    assert code == EXIT_OK, said
    assert "0 errors, 0 warnings" in said


def test_an_altered_quote_is_orphaned(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = clone / ARTICLE_004
    quoted = "Luca Arcangeli, Project Manager del Clust-ER Innovate, ha partecipato attivamente"
    _replace(article, quoted, quoted.replace("attivamente", "attentamente"), count=2)
    code, said = _validate(clone, capsys)
    assert code == EXIT_INVALID
    line = _line_of(article, "attentamente")
    _reported(said, ARTICLE_004, "ecoid:evidence/004-arcangeli", line, "orphaned quote")
    assert TEXT_004 in said


def test_a_changed_byte_of_a_source_text_is_an_error_on_its_source(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = clone / TEXT_004
    data = bytearray(text.read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    text.write_bytes(bytes(data))
    code, said = _validate(clone, capsys)
    assert code == EXIT_INVALID
    sources = clone / "data" / "sources.ttl"
    line = _line_of(sources, "bd7a7e3f2a82c8832eb884d1327b705c3e655d21d3df5e50bd3712ebf3c07159")
    _reported(said, "data/sources.ttl", "ecoid:source/004-23e507947b13cc3a", line, TEXT_004)
    assert "do not match its checksum" in said


def test_a_missing_source_text_is_an_error_not_a_warning(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (clone / TEXT_004).unlink()
    code, said = _validate(clone, capsys)
    assert code == EXIT_INVALID
    assert f"error: the text {TEXT_004} is missing from the repository" in said


def test_an_ambiguous_quote_without_a_selector_is_an_error(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = clone / "data" / "articles" / "005-ambiguous.ttl"
    extra.write_text(
        "@prefix eco: <https://w3id.org/ecograph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n\n"
        "<https://w3id.org/ecograph/id/evidence/005-twice> a eco:Evidence ;\n"
        '    rdfs:label "A quote found more than once"@en ;\n'
        '    eco:quote "Basilicata Creativa" ;\n'
        "    prov:wasQuotedFrom <https://w3id.org/ecograph/id/source/000-116f35e501ef4f54> .\n",
        encoding="utf-8",
    )
    code, said = _validate(clone, capsys)
    assert code == EXIT_INVALID
    file = "data/articles/005-ambiguous.ttl"
    _reported(said, file, "ecoid:evidence/005-twice", 7, "ambiguous quote")
    assert "needs a prefix and suffix that pick exactly one" in said


def test_a_position_that_does_not_hold_its_text_is_an_error(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = clone / ARTICLE_004
    text = article.read_text(encoding="utf-8")
    block = text[text.index("evidence:004-funding a eco:Evidence") :]
    start = int(re.search(r"oa:start (\d+)", block)[1])  # type: ignore[index]
    end = int(re.search(r"oa:end (\d+)", block)[1])  # type: ignore[index]
    moved = block.replace(f"oa:start {start} ;", f"oa:start {start + 1} ;", 1).replace(
        f"oa:end {end}", f"oa:end {end + 1}", 1
    )
    article.write_text(text.replace(block, moved), encoding="utf-8")
    code, said = _validate(clone, capsys)
    assert code == EXIT_INVALID
    line = _line_of(article, 'eco:quote "Il progetto è realizzato grazie ai Fondi europei')
    _reported(said, ARTICLE_004, "ecoid:evidence/004-funding", line, "does not hold the quote")


def test_an_inference_without_a_reason_is_an_error(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = clone / ARTICLE_004
    text = article.read_text(encoding="utf-8")
    node = "inference:pr-fesr-fund-source-erdf a eco:Inference ;"
    block = text[text.index(node) :]
    reason = block[block.index("    eco:reason") : block.index("    prov:wasDerivedFrom")]
    article.write_text(text.replace(reason, "", 1), encoding="utf-8")
    code, said = _validate(clone, capsys)
    assert code == EXIT_INVALID
    line = _line_of(article, node)
    _reported(said, ARTICLE_004, "ecoid:inference/pr-fesr-fund-source-erdf", line, "reason")
    assert "InferenceShape-reason" in said


NEW_ARTICLE = """# A new article's evidence, before anchoring: this comment stays.
@prefix eco: <https://w3id.org/ecograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix evidence: <https://w3id.org/ecograph/id/evidence/> .
@prefix source: <https://w3id.org/ecograph/id/source/> .

# the mission's dates
evidence:005-dates a eco:Evidence ;
    rdfs:label "Dates (a full stop. inside a string)"@en ;
    eco:quote "La missione (dal 23 al 28 febbraio scorso)" ;
    prov:wasQuotedFrom source:000-116f35e501ef4f54 .   # after the block

# the cluster's name, which occurs several times: the position says which
evidence:005-name a eco:Evidence ;
    rdfs:label "Name"@en ;
    eco:quote "Basilicata Creativa" ;
    prov:wasQuotedFrom source:000-116f35e501ef4f54 ;
    <http://www.w3.org/ns/oa#hasSelector> [
        a <http://www.w3.org/ns/oa#TextPositionSelector> ;
        <http://www.w3.org/ns/oa#start> 918 ;
        <http://www.w3.org/ns/oa#end> 937
    ] .
"""


def test_anchor_writes_selectors_in_place_and_keeps_the_rest(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = clone / "data" / "articles" / "005-new.ttl"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    assert main(["--root", str(clone), "anchor", str(article)]) == EXIT_OK
    assert "005-new.ttl: anchored 2 quotes" in capsys.readouterr().out
    written = article.read_text(encoding="utf-8")
    for kept in ("# A new article's evidence", "# the mission's dates", "   # after the block"):
        assert kept in written
    assert "@prefix oa: <http://www.w3.org/ns/oa#> ." in written
    assert 'oa:prefix " industriale su scala globale.\\n\\n"' in written
    assert "oa:start 445 ;" in written and "oa:end 487" in written
    assert (
        written.index("evidence:005-dates")
        < written.index("oa:start 445")
        < written.index("evidence:005-name")
    )
    assert written.count("oa:TextQuoteSelector") == 2
    # the repeated name is anchored where its position said, with the context found there
    name = written[written.index("evidence:005-name") :]
    assert 'oa:prefix " a Shanghai, la delegazione di “"' in name
    assert "oa:start" not in name  # the position given is kept as it was, not written twice
    code, said = _validate(clone, capsys)
    assert code == EXIT_OK, said
    assert main(["--root", str(clone), "anchor", str(article)]) == EXIT_OK
    assert article.read_text(encoding="utf-8") == written  # nothing left to anchor


def test_anchor_never_moves_an_orphaned_quote_and_writes_nothing(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = clone / "data" / "articles" / "005-new.ttl"
    orphan = NEW_ARTICLE.replace("(dal 23 al 28 febbraio scorso)", "(dal 23 al 29 febbraio scorso)")
    article.write_text(orphan, encoding="utf-8")
    assert main(["--root", str(clone), "anchor", str(article)]) == EXIT_INVALID
    said = capsys.readouterr().err
    _reported(said, "data/articles/005-new.ttl", "ecoid:evidence/005-dates", 11, "orphaned quote")
    assert article.read_text(encoding="utf-8") == orphan
