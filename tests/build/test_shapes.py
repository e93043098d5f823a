"""Every shape against its examples: valid ones pass, invalid ones fail with that shape.

Examples live in ``tests/data/shapes/{valid,invalid}/{Shape}-{case}.ttl``; an invalid file
names, in its header, the shape (``# expect: eshape:…``) and the focus node (``# focus: <…>``)
that must be reported.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from shape_examples import ShapeExample, example_paths

from ecograph.rdf.namespaces import ESHAPE
from ecograph.settings import Settings


def _header(path: Path, key: str) -> str:
    match = re.search(rf"^# {key}:\s*(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} has no '# {key}:' header line"
    return match.group(1)


def _shape_name(prefixed: str) -> str:
    assert prefixed.startswith("eshape:"), prefixed
    return prefixed


def _node_shapes(settings: Settings) -> list[URIRef]:
    shapes = Graph()
    for path in settings.shapes_files:
        shapes.parse(path)
    return sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


@pytest.mark.shape_examples("valid")
def test_valid_example_conforms(shape_example: ShapeExample) -> None:
    report = shape_example.build.report
    assert report.conforms, report.render()


@pytest.mark.shape_examples("invalid")
def test_invalid_example_fails_with_its_shape(shape_example: ShapeExample) -> None:
    path = shape_example.path
    expected_shape = _shape_name(_header(path, "expect"))
    focus = _header(path, "focus").strip("<>")
    report = shape_example.build.report
    assert not report.conforms, f"{path.name} should not validate"
    node_shape = expected_shape.split("-", 1)[0]
    hits = [
        p
        for p in report.errors
        if p.shape in {expected_shape, node_shape} or (p.shape or "").startswith(node_shape + "-")
    ]
    assert hits, f"{path.name}: no violation from {expected_shape}\n{report.render()}"
    focus_names = {p.entity for p in hits}
    assert any(focus.endswith(name.split(":", 1)[-1]) for name in focus_names if name), (
        f"{path.name}: {expected_shape} reported {focus_names}, expected {focus}"
    )
    assert all(p.file for p in hits), "a problem on an example must name its file"


def test_every_node_shape_has_a_valid_and_an_invalid_example(settings: Settings) -> None:
    shapes = _node_shapes(settings)
    assert len(shapes) >= 15
    valid = {p.stem.split("-", 1)[0] for p in example_paths("valid")}
    invalid = {p.stem.split("-", 1)[0] for p in example_paths("invalid")}
    for shape in shapes:
        local = str(shape)[len(str(ESHAPE)) :]
        assert local in invalid, f"eshape:{local} has no invalid example"
    assert valid, "no valid examples"


def test_every_shape_speaks_plain_words(settings: Settings) -> None:
    shapes = Graph()
    for path in settings.shapes_files:
        shapes.parse(path)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
    for shape in shapes.objects(None, SH.property):
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
