"""``ecograph mentions``: the graph's entities a text names, found in any spelling, with their
positions; and the names the graph does not hold yet.

The text is tests/data/curate/fictitious-article.txt, written for these tests (every fact in
it is invented): it names real entities of the graph in lower case, without accents, with a
straight apostrophe where the graph has a typographic one, in capitals, and a few names the
graph does not hold.
"""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from ecograph.cli import main
from ecograph.curate.commands import Found, mentions
from ecograph.curate.mentions import Name, NameTable, find_mentions, unknown_names
from ecograph.rdf.namespaces import ECOID
from ecograph.rdf.text import compact, fold, name_key, words
from ecograph.settings import Settings
from paths import ROOT, TEST_DATA

ARTICLE = TEST_DATA / "curate" / "fictitious-article.txt"

#: (IRI under id/, the span as the article writes it)
EXPECTED = [
    ("org/kilometro-rosso", "kilometro rosso"),
    ("org/universita-degli-studi-della-basilicata", "Universita degli Studi della Basilicata"),
    ("org/camera-di-commercio-di-torino", "camera di commercio di torino"),
    (
        "agreement/kilometro-rosso-nanjing-science-city-loi",
        "Lettera d'intenti tra Kilometro Rosso e Nanjing Science City",
    ),
    ("org/clust-er-innovate", "CLUST-ER INNOVATE"),
    ("org/tecnalia", "TECNALIA"),
    ("org/politecnico-di-torino", "Politecnico di Torino"),
    ("org/regione-emilia-romagna", "Regione Emilia Romagna"),
]
UNKNOWN = [
    ("Fondazione Lunaria Immaginaria", "capitalised"),
    ("Consorzio Vetro Nebbioso di Borgofittizio", "capitalised"),
    ("QXZR", "acronym"),
]


@pytest.fixture(scope="module")
def found() -> Found:
    return mentions(Settings(root=ROOT), str(ARTICLE))


def test_finds_the_entities_in_any_spelling_at_their_positions(found: Found) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    got = [(m.iri, m.start, m.end, m.text) for m in found.mentions]
    expected = []
    for identifier, span in EXPECTED:
        start = text.index(span)
        expected.append((f"{ECOID}{identifier}", start, start + len(span), span))
    assert got == expected
    for mention in found.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_longest_match_wins_and_matches_never_overlap(found: Found) -> None:
    """The letter of intent's name holds "Kilometro Rosso" and "Nanjing Science City", both
    entities of the graph: only the agreement is reported there."""
    spans = [(m.start, m.end) for m in found.mentions]
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start
    iris = [m.iri for m in found.mentions]
    assert f"{ECOID}org/nanjing-science-city" not in iris
    assert iris.count(f"{ECOID}org/kilometro-rosso") == 1


def test_lists_the_names_the_graph_does_not_hold(found: Found) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    got = [(u.text, u.why) for u in found.unknowns]
    assert got == UNKNOWN
    for unknown in found.unknowns:
        assert text[unknown.start : unknown.end] == unknown.text


def test_positions_are_code_points_of_the_original_text() -> None:
    """Folding changes lengths ("ß" → "ss", a decomposed "à" → "a"): positions still point
    into the text as written."""
    text = "Die Straße. L’Universita\u0300 di Pavia e la STRASSE."
    table = NameTable(
        [
            Name(f"{ECOID}org/unipv", "Università di Pavia", "it", "org"),
            Name(f"{ECOID}place/strasse", "Strasse", "de", "place"),
        ]
    )
    found = find_mentions(text, table)
    assert [(m.iri.rsplit("/", 1)[1], text[m.start : m.end]) for m in found] == [
        ("strasse", "Straße"),
        ("unipv", "Universita\u0300 di Pavia"),
        ("strasse", "STRASSE"),
    ]


def test_whole_words_only() -> None:
    table = NameTable([Name(f"{ECOID}org/api", "API", "it", "org")])
    assert find_mentions("Le rapide api di Matera", table)[0].text == "api"
    assert find_mentions("Una terapia", table) == []


def test_acronyms_and_capitalised_runs() -> None:
    text = "Il Parco Scientifico di Valfinta e la Fondazione Alfa Beta, con ZRT e il sindaco."
    found = unknown_names(text, [])
    assert [(u.text, u.why) for u in found] == [
        ("Parco Scientifico di Valfinta", "capitalised"),
        ("Fondazione Alfa Beta", "capitalised"),
        ("ZRT", "acronym"),
    ]


def test_one_fold_for_every_comparison() -> None:
    assert fold("Università") == fold("UNIVERSITA") == "universita"
    assert fold("Sull’innovazione") == fold("Sull'innovazione") == fold("Sullʼinnovazione")
    assert name_key("Clust-ER  Innovate") == name_key("clust er innovate") == "clust er innovate"
    assert compact("kilometro-rosso") == compact("Kilometro Rosso") == "kilometrorosso"
    assert [(w.key, w.start, w.end) for w in words("Città-Metro")] == [
        ("citta", 0, 5),
        ("metro", 6, 11),
    ]


def test_the_command_prints_a_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "mentions", str(ARTICLE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["iri"] for m in data["mentions"]] == [f"{ECOID}{i}" for i, _ in EXPECTED]
    assert [u["text"] for u in data["unknown"]] == [name for name, _ in UNKNOWN]
    assert main(["--root", str(ROOT), "mentions", str(ARTICLE)]) == 0
    table = capsys.readouterr().out
    assert "org/politecnico-di-torino" in table and "Fondazione Lunaria Immaginaria" in table


def test_a_source_of_the_graph_by_its_identifier(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "mentions", "source:004-23e507947b13cc3a"]) == 0
    assert f"{ECOID}org/tecnalia" in capsys.readouterr().out


def test_an_unknown_source_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "mentions", "source:999-nothing"]) == 2
    assert "neither a file nor a source" in capsys.readouterr().err
