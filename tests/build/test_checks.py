"""The project's own checks beyond SHACL, each shown to fire on a file made to trip it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ecograph.build.pipeline import Build

BuildFiles = Callable[[Sequence[Path]], Build]
HEADER = """@prefix eco: <https://w3id.org/ecograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix o: <https://w3id.org/ecograph/id/org/> .
@prefix place: <https://w3id.org/ecograph/id/place/> .
@prefix source: <https://w3id.org/ecograph/id/source/> .
"""


def _check(build_files: BuildFiles, tmp_path: Path, body: str) -> list[dict[str, object]]:
    path = tmp_path / "example.ttl"
    path.write_text(HEADER + body, encoding="utf-8")
    report = build_files([path]).report
    return [
        p for p in json.loads(report.to_json())["problems"] if p["file"] and "example" in p["file"]
    ]


def test_a_likely_duplicate_is_a_warning_not_an_error(
    build_files: BuildFiles, tmp_path: Path
) -> None:
    body = """
o:cnr-a a eco:ResearchCouncil ; rdfs:label "Consiglio Nazionale delle Ricerche"@it ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
o:cnr-b a eco:ResearchCouncil ; rdfs:label "consiglio nazionale delle ricerche"@it ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
"""
    problems = _check(build_files, tmp_path, body)
    duplicates = [p for p in problems if p["check"] == "duplicate"]
    assert len(duplicates) == 1
    assert duplicates[0]["severity"] == "warning"
    assert "ecoid:org/cnr-b" in str(duplicates[0]["message"])
    assert not [p for p in problems if p["severity"] == "error"], problems


def test_the_declared_terms_check_suggests_the_right_name(
    build_files: BuildFiles, tmp_path: Path
) -> None:
    body = """
o:x a eco:Cluster ; rdfs:label "X"@en ; eco:locatedInn place:it-77 ;
    prov:wasDerivedFrom source:000-116f35e501ef4f54 .
"""
    problems = [p for p in _check(build_files, tmp_path, body) if p["check"] == "declared-terms"]
    assert [p["message"] for p in problems] == [
        "eco:locatedInn is not declared in the ontology — did you mean eco:locatedIn?"
    ]
    assert problems[0]["line"] == 8  # the line of the misspelt term


@pytest.mark.parametrize("check", ["declared-terms", "dangling", "quote", "duplicate", "shacl"])
def test_the_project_data_trips_no_check(check: str, project_build: Build) -> None:
    report = project_build.report
    assert not [p for p in report.problems if p.check == check], report.render()
