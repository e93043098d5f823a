"""The project's own graph: it validates, and every check has really looked at it."""

from __future__ import annotations

from rdflib.namespace import PROV, RDF

from ecograph.build.pipeline import Build
from ecograph.rdf.namespaces import ECO, ECOID, OA
from ecograph.settings import Settings


def test_project_graph_validates(project_build: Build) -> None:
    assert project_build.report.conforms, project_build.report.render()


def test_every_source_article_is_described_and_used(
    project_build: Build, settings: Settings
) -> None:
    union = project_build.union()
    texts = sorted((settings.root / "data" / "sources").glob("*.txt"))
    assert len(texts) == 5
    for text in texts:
        source = ECOID[f"source/{text.stem.replace('_', '-')}"]
        assert (source, RDF.type, ECO.Source) in union
        assert (source, ECO.localFile, None) in union
        derived = set(union.subjects(PROV.wasDerivedFrom, source))
        assert len(derived) >= 10, f"{text.name}: only {len(derived)} facts point to it"


def test_every_quote_is_anchored_in_its_source(project_build: Build) -> None:
    """Issue 10: each evidence node is a Web Annotation specific resource with both selectors
    (``ecograph anchor`` wrote them; the build checked them against the text)."""
    union = project_build.union()
    evidence = set(union.subjects(ECO.quote, None))
    assert len(evidence) >= 100
    for node in evidence:
        kinds = {t for s in union.objects(node, OA.hasSelector) for t in union.objects(s, RDF.type)}
        assert {OA.TextQuoteSelector, OA.TextPositionSelector} <= kinds, node
        assert set(union.objects(node, OA.hasSource)) == set(
            union.objects(node, PROV.wasQuotedFrom)
        ), node


def test_every_evidence_quote_was_checked(project_build: Build) -> None:
    union = project_build.union()
    quotes = list(union.objects(None, ECO.quote))
    assert len(quotes) >= 50
    assert not [p for p in project_build.report.problems if p.check == "quote"]


def test_cross_border_links_are_derived(project_build: Build) -> None:
    derived = project_build.derived
    links = set(derived.subjects(RDF.type, ECO.CrossBorderLink))
    assert ECOID["link/cn-sh--it-77"] in links  # Basilicata Creativa in Shanghai
    assert ECOID["link/cn-js--it-25"] in links  # Kilometro Rosso and Nanjing Science City
    assert ECOID["link/cn-bj--it-21"] in links  # Beijing delegation in Turin
    assert ECOID["link/es-pv--it-45"] in links  # Clust-ER Innovate in the Basque Country
    for link in links:
        assert len(set(derived.objects(link, ECO.between))) == 2, link
        assert set(derived.objects(link, ECO.evidencedBy)), link
        assert len(set(derived.objects(link, ECO.linkCountry))) == 2, link
