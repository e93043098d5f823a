"""Regression tests, each named after the bug it pins down."""

from __future__ import annotations

from pathlib import Path

import owlrl
from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import _toPythonMapping

from ecograph.rdf.files import ill_typed, parse_file


def test_owlrl_converters_do_not_make_a_day_without_a_year_ill_typed(tmp_path: Path) -> None:
    """owlrl's closure installed a gMonthDay converter in rdflib's global table that rejects
    every ``--MM-DD``; after any owlrl run in the same process, valid data failed to load."""
    converters = dict(_toPythonMapping)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(Graph())
        assert XSD.gMonthDay in _toPythonMapping  # the pollution this test is about
        path = tmp_path / "day.ttl"
        path.write_text(
            "<https://w3id.org/ecograph/id/mission/m> "
            "<https://w3id.org/ecograph/ontology#startDate> "
            '"--02-23"^^<http://www.w3.org/2001/XMLSchema#gMonthDay> .\n',
            encoding="utf-8",
        )
        assert len(parse_file(path).graph) == 1
        assert not ill_typed(Literal("--02-23", datatype=XSD.gMonthDay))
        assert ill_typed(Literal("--02-30", datatype=XSD.gMonthDay))
        assert ill_typed(Literal("2023-02-30", datatype=XSD.date))
        assert not ill_typed(Literal("2024-02-29", datatype=XSD.date))
        assert ill_typed(Literal("2023-02-29", datatype=XSD.date))
    finally:
        _toPythonMapping.clear()
        _toPythonMapping.update(converters)
