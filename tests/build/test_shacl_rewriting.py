"""The SPARQL texts of the shapes, rewritten through the one lexer (ecograph.rdf.sparql_text):
variables renamed and prefixes expanded in the query, never inside strings, IRIs or comments."""

from __future__ import annotations

from ecograph.build.shacl.rewriting import (
    expand_prefixes,
    not_exists_as_minus,
    rename_variables,
    top_level,
)
from ecograph.rdf.sparql_text import tokens

TEXT = """?this ex:p ?v . # ?v in a comment
  FILTER (?v=?w || ?v != "?v ex:q" || ?v = <http://example.org/?v>)
  ?this rdf:type/rdfs:subClassOf* ex:C ."""


def test_the_tokens_give_the_text_back() -> None:
    assert "".join(value for _, value, _ in tokens(TEXT)) == TEXT


def test_variables_are_renamed_apart_outside_strings_iris_and_comments() -> None:
    renamed = rename_variables(TEXT, {"this": "?focus"}, "c0_")
    assert renamed.startswith("?focus ex:p ?c0_v . # ?v in a comment")
    # Two variables side by side with no space between them are two variables.
    assert "FILTER (?c0_v=?c0_w ||" in renamed
    assert '"?v ex:q"' in renamed and "<http://example.org/?v>" in renamed


def test_prefixes_are_expanded_in_paths_but_not_in_strings() -> None:
    prefixes = {"ex": "http://example.org/", "rdf": "R#", "rdfs": "S#"}
    expanded = expand_prefixes(TEXT, prefixes)
    assert "?this <http://example.org/p> ?v ." in expanded
    assert "<R#type>/<S#subClassOf>* <http://example.org/C> ." in expanded
    assert '"?v ex:q"' in expanded


def test_the_outermost_group_keeps_its_length_and_only_its_own_text() -> None:
    text = 'SELECT ?this WHERE { ?this a <C> . FILTER NOT EXISTS { ?this a <D> } } # "x"'
    outer = top_level(text)
    assert len(outer) == len(text)
    assert outer.startswith("SELECT ?this WHERE {")
    assert "?this a" not in outer and "#" not in outer


def test_a_target_filter_not_exists_on_the_focus_becomes_minus() -> None:
    body = "?this a <http://example.org/C> . FILTER NOT EXISTS { ?this a <http://example.org/D> }"
    assert not_exists_as_minus(body) == (
        "?this a <http://example.org/C> . MINUS { ?this a <http://example.org/D> }"
    )
    nested = "{ ?this a <C> . FILTER NOT EXISTS { ?this a <D> } }"
    assert not_exists_as_minus(nested) == nested
