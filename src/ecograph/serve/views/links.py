"""The cross-border links an entity page lists, each summed up in one line (prospective links
too, marked as such: what only planned activities would make).

A link is evidenced by every activity and agreement between its two ecosystems: hundreds at 1M
triples. The page used to get all of them, with their names, for every link that touched the
entity, in one CONSTRUCT (8,886 triples, 7–10 s, for an organisation whose ecosystem has 139
links). Now the links of the graph (a few thousand at 1M) are read once per app with their
ecosystems, countries and amount of evidence (:func:`link_table`); a page asks only which links
concern its entity and which of their evidence names it, two index walks from the entity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from ecograph.rdf.namespaces import ECO
from ecograph.rdf.vocabulary import AGENT_LINKS, PLACE_LINKS
from ecograph.serve.common import PREFIXES, iri_values
from ecograph.serve.state import state_of
from ecograph.serve.views.kept import kept
from ecograph.settings import Settings
from ecograph.store.backend import Backend

#: The most links a page lists (the strongest first); the rest are counted.
MOST = 60
#: The most pieces of evidence named per link (those that concern the entity).
MOST_EVIDENCE = 12


@dataclass
class LinkSummary:
    """One link: its ecosystems and countries, how much evidence it has, and the pieces of
    evidence that concern the entity whose page lists it."""

    iri: str
    evidence_count: int
    how: str
    ecosystems: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    concerning: list[str] = field(default_factory=list)
    prospective: bool = False


@dataclass
class EntityLinks:
    links: list[LinkSummary]
    total: int


def _involving() -> str:
    return " ".join(ECO[p].n3() for p in (*AGENT_LINKS, *PLACE_LINKS))


def _found_query(node: str) -> str:
    """Links that concern the entity, and how."""
    return f"""{PREFIXES}
SELECT DISTINCT ?link ?how WHERE {{
  {{ ?link eco:evidencedBy {node} . BIND ("evidence" AS ?how) }}
  UNION {{ ?link eco:between {node} . BIND ("ecosystem" AS ?how) }}
  UNION {{ ?ecosystem eco:actor|eco:territory {node} . ?link eco:between ?ecosystem .
          BIND ("ecosystem of" AS ?how) }}
  UNION {{ VALUES ?involves {{ {_involving()} }} ?activity ?involves {node} .
          ?link eco:evidencedBy ?activity . BIND ("involved" AS ?how) }}
  UNION {{ {node} a eco:Source . ?link ?cites {node} . BIND ("source" AS ?how) }}
  ?link a eco:EcosystemLink .
}}"""


COUNTS_QUERY = f"""{PREFIXES}
SELECT ?link (COUNT(DISTINCT ?evidence) AS ?n) WHERE {{
  ?link a eco:EcosystemLink ; eco:evidencedBy ?evidence .
}} GROUP BY ?link"""
ENDS_QUERY = f"""{PREFIXES}
SELECT ?link ?ecosystem ?country ?prospective WHERE {{
  ?link a eco:EcosystemLink .
  {{ ?link eco:between ?ecosystem }} UNION {{ ?link eco:linkCountry ?country }}
  UNION {{ ?link a eco:ProspectiveLink . BIND (true AS ?prospective) }}
}}"""


@dataclass(frozen=True)
class LinkFacts:
    """What every page that lists a link says of it."""

    evidence_count: int
    ecosystems: tuple[str, ...]
    countries: tuple[str, ...]
    #: Only planned activities, or activities under consideration, would make it.
    prospective: bool = False


async def link_table(backend: Backend, settings: Settings) -> dict[str, LinkFacts]:
    """Every cross-border link with its amount of evidence, ecosystems and countries: a few
    thousand links at 1M triples, read in two queries."""
    timeout = settings.query_timeout
    counts = await backend.select(COUNTS_QUERY, timeout=timeout)
    evidence = {str(r["link"]): int(str(r.get("n", 0))) for r in counts.rows if "link" in r}
    ends = await backend.select(ENDS_QUERY, timeout=timeout)
    ecosystems: dict[str, set[str]] = defaultdict(set)
    countries: dict[str, set[str]] = defaultdict(set)
    prospective: set[str] = set()
    for row in ends.rows:
        link = str(row["link"])
        if "prospective" in row:
            prospective.add(link)
        if "ecosystem" in row:
            ecosystems[link].add(str(row["ecosystem"]))
        if "country" in row:
            countries[link].add(str(row["country"]))
    links = set(evidence) | set(ecosystems) | set(countries)
    return {
        link: LinkFacts(
            evidence.get(link, 0),
            tuple(sorted(ecosystems.get(link, ()))),
            tuple(sorted(countries.get(link, ()))),
            link in prospective,
        )
        for link in links
    }


async def kept_link_table(app: Any) -> dict[str, LinkFacts]:
    """:func:`link_table`, once per app (see :mod:`ecograph.serve.views.kept`)."""
    state = state_of(app)
    backend, settings = state.backend, state.settings
    return await kept(app, "links.table", lambda: link_table(backend, settings))


def _concerning_query(node: str, values: str) -> str:
    return f"""{PREFIXES}
SELECT DISTINCT ?link ?evidence WHERE {{
  VALUES ?link {{ {values} }}
  ?link eco:evidencedBy ?evidence .
  {{ VALUES ?involves {{ {_involving()} }} ?evidence ?involves {node} }}
  UNION {{ ?evidence ?cites {node} . {node} a eco:Source }}
}}"""


async def entity_links(app: Any, iri: str) -> EntityLinks:
    """The links of the entity's page, the most evidenced first, at most :data:`MOST`."""
    state = state_of(app)
    backend, settings = state.backend, state.settings
    node = URIRef(iri).n3()
    timeout = settings.query_timeout
    found = await backend.select(_found_query(node), timeout=timeout)
    how: dict[str, str] = {}
    for row in found.rows:
        if "link" in row:
            link = str(row["link"])
            how[link] = min(how.get(link, "~"), str(row.get("how", "")))
    if not how:
        return EntityLinks([], 0)
    table = await kept_link_table(app)
    summaries = []
    for link, why in how.items():
        facts = table.get(link, LinkFacts(0, (), ()))
        summaries.append(
            LinkSummary(
                link,
                facts.evidence_count,
                why,
                list(facts.ecosystems),
                list(facts.countries),
                prospective=facts.prospective,
            )
        )
    summaries.sort(key=lambda s: (-s.evidence_count, s.iri))
    shown = summaries[:MOST]
    values = iri_values(s.iri for s in shown)
    concerning: dict[str, set[str]] = defaultdict(set)
    rows = await backend.select(_concerning_query(node, values), timeout=timeout)
    for row in rows.rows:
        concerning[str(row["link"])].add(str(row["evidence"]))
    for summary in shown:
        summary.concerning = sorted(concerning.get(summary.iri, ()))[:MOST_EVIDENCE]
    return EntityLinks(shown, len(summaries))
