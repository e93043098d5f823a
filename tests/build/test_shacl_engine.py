"""ecograph's SHACL engine against pySHACL: the same problems on every shape example.

Each valid and invalid example of ``tests/data/shapes`` is built as the project builds it,
which validates it with :func:`~ecograph.build.shacl.engine.check_shacl` on the build's store;
pySHACL validates the same graph (:mod:`shacl_reference`). The problems — severity, message,
file, line, entity and shape — must be equal as multisets.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from shacl_reference import reference_shacl
from shape_examples import ShapeExample

from ecograph.build.checks import Locator, Problem
from ecograph.build.pipeline import Build, Schema
from ecograph.build.shacl.engine import check_shacl
from ecograph.errors import InputError


def locator_for(result: Build) -> Locator:
    """The locator the build makes: its files in the same order, its store."""
    files = [*result.data, *result.ontology, *result.shapes]
    return Locator(files=files, root=result.root, store=result.store)


def _show(problems: Counter[Problem]) -> str:
    return "\n".join(f"  {n} × {p}" for p, n in sorted(problems.items(), key=lambda i: str(i)))


@pytest.mark.shape_examples("valid", "invalid")
def test_engine_reports_what_pyshacl_reports(shape_example: ShapeExample, schema: Schema) -> None:
    path, result = shape_example.path, shape_example.build
    locator = locator_for(result)
    expected = Counter(reference_shacl(result.store, schema.shapes_graph, locator))
    # What check_shacl found when the build ran it on its store: every problem it words as
    # "shacl" (the build's other checks name themselves).
    found = Counter(p for p in result.report.problems if p.check == "shacl")
    assert found == expected, (
        f"{path.name}\nonly pySHACL:\n{_show(expected - found)}\n"
        f"only the engine:\n{_show(found - expected)}"
    )
    if path.parent.name == "invalid":
        assert any(p.severity == "error" for p in found), f"{path.name} should not validate"


# ---------------------------------------------------------------------------- the compiler
# Small shapes for what the examples do not exercise, each checked against pySHACL too.

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""


def both(shapes_ttl: str, data_ttl: str, root: Path) -> tuple[Counter[Problem], Counter[Problem]]:
    """(engine, pySHACL) problems for inline shapes and data."""
    shapes = Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    data = Graph().parse(data=PREFIXES + data_ttl, format="turtle")
    store = pyoxigraph.Store()
    store.load(
        data.serialize(format="nt", encoding="utf-8"),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
        to_graph=pyoxigraph.NamedNode("http://example.org/graph"),
    )
    locator = Locator(files=[], root=root)
    return (
        Counter(check_shacl(store, shapes, locator)),
        Counter(reference_shacl(data, shapes, locator)),
    )


CASES = {
    # Python's $ also matches before a final newline; SPARQL regex engines' does not.
    "pattern-dollar-before-final-newline": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [
             sh:path ex:quote ; sh:pattern "^[^\\\\r\\\\n]*[^\\\\s][^\\\\r\\\\n]*$" ;
             sh:message "one line"@en ] .""",
        'ex:a a ex:C ; ex:quote "one line\\n" . ex:b a ex:C ; ex:quote "two\\nlines" .',
        1,
    ),
    "min-length-zero-passes-blank-nodes": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [
             sh:path ex:p ; sh:minLength 0 ; sh:message "m"@en ] .""",
        "ex:a a ex:C ; ex:p [ ex:q 1 ] .",
        0,
    ),
    "unique-lang-one-result-per-language": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [
             sh:path rdfs:label ; sh:uniqueLang true ; sh:message "m"@en ] .""",
        'ex:a a ex:C ; rdfs:label "x"@en , "y"@en , "x"@it , "y"@it , "z"@de .',
        2,
    ),
    "less-than-or-equals-per-pair": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [
             sh:path ex:value ; sh:lessThanOrEquals ex:outOf ; sh:message "m"@en ] .""",
        "ex:a a ex:C ; ex:value 5 ; ex:outOf 3 , 4 , 9 .",
        2,
    ),
    "subclass-instances-without-closure": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [
             sh:path ex:p ; sh:minCount 1 ; sh:class ex:C ; sh:message "m"@en ] .""",
        "ex:D rdfs:subClassOf ex:C . ex:a a ex:D ; ex:p ex:b . ex:b a ex:E . ex:c a ex:D .",
        2,
    ),
    "sparql-message-template-sorts-first": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "Z: shape"@en ;
             sh:sparql [ sh:message "{$this} points to {?other}"@en ;
               sh:select "SELECT $this ?other WHERE { $this <http://example.org/p> ?other }" ] .""",
        "ex:a a ex:C ; ex:p ex:b , 7 .",
        2,
    ),
    "severity-warning-and-node-level-value": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ;
             sh:xone ( [ sh:class ex:D ] [ sh:class ex:E ] ) ; sh:message "m"@en .""",
        "ex:a a ex:C , ex:D , ex:E . ex:b a ex:C , ex:D .",
        1,
    ),
    # A SPARQL target is run once: its FILTER NOT EXISTS as MINUS, its few nodes listed.
    "sparql-target-not-exists-listed-focus": (
        """ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"\"\"
             SELECT ?this WHERE { ?this a <http://example.org/C> .
               FILTER NOT EXISTS { ?this a <http://example.org/D> } }\"\"\" ] ;
             sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "m"@en ] .
           ex:T a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ;
             sh:select "SELECT ?this WHERE { ?this a <http://example.org/None> }" ] ;
             sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "n"@en ] .""",
        "ex:a a ex:C . ex:b a ex:C , ex:D . ex:c a ex:C ; ex:p 1 .",
        1,
    ),
    # sh:class and an sh:or of classes are asked as anti-joins (MINUS).
    "or-of-classes-as-anti-joins": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ;
             sh:or ( [ sh:class ex:D ] [ sh:class ex:E ] ) ; sh:message "m"@en ] ;
             sh:property [ sh:path ex:q ; sh:class ex:D ; sh:message "n"@en ] .""",
        "ex:a a ex:C ; ex:p ex:x , ex:y , ex:z , 3 ; ex:q ex:x , ex:y . "
        "ex:x a ex:D . ex:y a ex:E .",
        3,
    ),
    "language-in-and-has-value": (
        """ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ; sh:hasValue ex:a ;
             sh:message "m"@en ; sh:property [ sh:path rdfs:label ;
             sh:languageIn ( "en" ) ; sh:message "n"@en ] .""",
        'ex:a rdfs:label "x"@en-GB , "y"@it , "z" .',
        3,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiler_case_matches_pyshacl(name: str, root: Path) -> None:
    shapes_ttl, data_ttl, expected = CASES[name]
    found, reference = both(shapes_ttl, data_ttl, root)
    assert found == reference, (
        f"only pySHACL: {reference - found}\nonly the engine: {found - reference}"
    )
    assert sum(found.values()) == expected, found


def test_warning_severity_is_kept(root: Path) -> None:
    found, _ = both(*CASES["severity-warning-and-node-level-value"][:2], root)
    assert {p.severity for p in found} == {"warning"}


@pytest.mark.parametrize(
    "feature",
    [
        "sh:closed true",
        "sh:equals ex:q",
        "sh:property [ sh:path ex:p ; sh:property [ sh:path ex:q ] ]",
    ],
)
def test_unsupported_feature_is_an_input_error_naming_the_shape(feature: str, root: Path) -> None:
    shapes = f'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m"@en ; {feature} .'
    if "sh:equals" in feature:
        shapes = (
            'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m"@en ; '
            f"sh:property [ sh:path ex:p ; {feature} ] ."
        )
    with pytest.raises(InputError, match="cannot be used"):
        both(shapes, "ex:a a ex:C .", root)
