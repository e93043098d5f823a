"""``validate`` warns when a new entity bears the name of an existing one — a probable
duplicate, minted where an IRI should have been reused — naming both IRIs and both files."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from ecograph.build.pipeline import Build

BuildFiles = Callable[[Sequence[Path]], Build]
HEADER = """@prefix eco: <https://w3id.org/ecograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix o: <https://w3id.org/ecograph/id/org/> .
@prefix place: <https://w3id.org/ecograph/id/place/> .
@prefix source: <https://w3id.org/ecograph/id/source/> .
"""
TECNALIA_FILE = "data/articles/004-clust-er-innovate-basque-country.ttl"


def duplicates(build_files: BuildFiles, tmp_path: Path, body: str) -> list[dict[str, object]]:
    """Validate a new file alone (the rest of data/ is not loaded, as curators run it)."""
    path = tmp_path / "new-article.ttl"
    path.write_text(HEADER + body, encoding="utf-8")
    report = build_files([path]).report
    problems = json.loads(report.to_json())["problems"]
    return [p for p in problems if p["check"] == "duplicate"]


def test_a_new_entity_named_like_an_existing_one_in_another_file(
    build_files: BuildFiles, tmp_path: Path
) -> None:
    """Tecnalia is an eco:ResearchInstitute of article 004; a new eco:Organisation spelt
    "TECNALIA" is a probable duplicate (a research institute is an organisation)."""
    found = duplicates(
        build_files,
        tmp_path,
        """
o:tecnalia-research a eco:Organisation ; rdfs:label "TECNALIA"@es ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
""",
    )
    assert len(found) == 1, found
    problem = found[0]
    assert problem["severity"] == "warning"
    assert problem["entity"] == "ecoid:org/tecnalia-research"
    assert str(problem["file"]).endswith("new-article.ttl") and problem["line"] == 9
    message = str(problem["message"])
    assert "ecoid:org/tecnalia" in message and f"({TECNALIA_FILE}:" in message
    assert "«TECNALIA»" in message


def test_an_alternative_label_counts_as_a_name(build_files: BuildFiles, tmp_path: Path) -> None:
    found = duplicates(
        build_files,
        tmp_path,
        """
o:bh2c a eco:Organisation ; rdfs:label "BH2C consortium"@en ;
    skos:altLabel "Basque-Hydrogen-Corridor"@en ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
""",
    )
    assert [p["entity"] for p in found] == ["ecoid:org/bh2c"]
    assert "ecoid:org/basque-hydrogen-corridor" in str(found[0]["message"])


def test_reusing_the_iri_is_no_duplicate(build_files: BuildFiles, tmp_path: Path) -> None:
    found = duplicates(
        build_files,
        tmp_path,
        """
o:tecnalia rdfs:label "Tecnalia"@it ; prov:wasDerivedFrom source:000-116f35e501ef4f54 .
""",
    )
    assert found == []


def test_namesakes_of_unrelated_classes_are_not_flagged(
    build_files: BuildFiles, tmp_path: Path
) -> None:
    """A cluster named like an existing research institute is a different thing: neither
    class is the other's or a sub-class of it (as Beijing the city and Beijing the region)."""
    found = duplicates(
        build_files,
        tmp_path,
        """
o:tecnalia-cluster a eco:Cluster ; rdfs:label "Tecnalia"@it ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
""",
    )
    assert found == []
