"""The home page's statistics: how many things of each kind, how many actors and links per country.

Counting by the kind in the IRI (``…/id/org/…``) needs the text of every IRI of the graph, which
Oxigraph must decode one by one: 6 s at 1M triples. Counting the instances of the class that
defines each kind is a count over the store's index, without decoding: a few milliseconds a
kind. :data:`KINDS` names that class (or scheme) for every kind; a test holds the two counts
equal on the project graph. Countries: the actors of every place within a country (the places
first, a few hundred, then their actors by the index) and the links by ``eco:linkCountry``, in
two queries instead of one whose ``UNION`` under a property path took 8 s at 1M.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from ecograph.rdf.namespaces import ECO
from ecograph.serve.common import PREFIXES
from ecograph.serve.state import state_of
from ecograph.serve.views.kept import kept
from ecograph.settings import Settings
from ecograph.store.backend import Backend


@dataclass(frozen=True)
class Kind:
    """A kind of IRI (``/id/{kind}/…``): its names in English and Italian, and the graph
    pattern (over ``?s``) that its members, and only they, match."""

    key: str
    english: str
    italian: str
    pattern: str


def _class(local: str) -> str:
    return f"?s a <{ECO}{local}>"


def _scheme(base_iri: str, scheme: str) -> str:
    return f"?s <http://www.w3.org/2004/02/skos/core#inScheme> <{base_iri}id/scheme/{scheme}>"


def kinds(base_iri: str) -> tuple[Kind, ...]:
    """Every kind of the home page, in its order."""
    concept_scheme = "?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme>"
    agent, person = "?s a <http://xmlns.com/foaf/0.1/Agent>", _class("Person")
    programme = f"{{ {_class('FundingProgramme')} }} UNION {{ {_class('ProgrammeAxis')} }}"
    return (
        # Some actors are agents only ("Turin's business and institutional actors"): no
        # eco:Organisation, yet under /id/org/. (MINUS: 0.2 s at 1M, FILTER NOT EXISTS 3 s.)
        Kind("org", "Organisations", "Organizzazioni", f"{agent} MINUS {{ {person} }}"),
        Kind("person", "People", "Persone", _class("Person")),
        Kind("role", "Roles", "Ruoli", _class("Role")),
        Kind("place", "Places", "Luoghi", _class("Place")),
        Kind("mission", "Missions", "Missioni", _class("Mission")),
        Kind("event", "Events", "Eventi", _class("Event")),
        Kind("project", "Projects", "Progetti", _class("Project")),
        Kind("agreement", "Agreements", "Accordi", _class("Agreement")),
        Kind("programme", "Funding programmes", "Programmi di finanziamento", programme),
        Kind("figure", "Figures", "Cifre", _class("Figure")),
        Kind("designation", "Designations", "Designazioni", _class("Designation")),
        Kind("source", "Source articles", "Articoli fonte", _class("Source")),
        Kind("evidence", "Evidence quotes", "Citazioni", _class("Evidence")),
        Kind(
            "ecosystem", "Innovation ecosystems", "Ecosistemi dell'innovazione", _class("Ecosystem")
        ),
        Kind(
            "link", "Cross-border links", "Collegamenti transfrontalieri", _class("CrossBorderLink")
        ),
        Kind(
            "prospective-link",
            "Prospective links",
            "Collegamenti prospettici",
            _class("ProspectiveLink"),
        ),
        Kind("inference", "Modeller's inferences", "Inferenze di chi modella", _class("Inference")),
        Kind("sector", "Sectors", "Settori", _scheme(base_iri, "sectors")),
        Kind("policy", "Policy frameworks", "Quadri politici", _scheme(base_iri, "policies")),
        Kind("role-type", "Role types", "Tipi di ruolo", _scheme(base_iri, "role-types")),
        Kind("status", "Statuses", "Stati", _scheme(base_iri, "activity-status")),
        Kind("kind", "Counted kinds", "Tipi contati", _scheme(base_iri, "counted-kinds")),
        Kind("fund", "Funds", "Fondi", _scheme(base_iri, "funds")),
        Kind(
            "basis",
            "Bases of inferences",
            "Fondamenti delle inferenze",
            _scheme(base_iri, "inference-basis"),
        ),
        Kind("scheme", "Concept schemes", "Schemi di concetti", concept_scheme),
    )


def count_query(all_kinds: tuple[Kind, ...]) -> str:
    """The number of IRIs matching each kind's pattern, by kind."""
    branches = "\n  UNION ".join(
        f'{{ {{ {k.pattern} }} BIND ("{k.key}" AS ?kind) }}' for k in all_kinds
    )
    return f"""{PREFIXES}
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {branches}
  FILTER (isIRI(?s))
}} GROUP BY ?kind"""


def listing_query(kind: Kind, language: str = "en") -> str:
    """What a count on the home page opens: the members of the kind, one row each, named in
    the reader's language when they have a name in it."""
    pattern = kind.pattern.replace("?s ", "?entity ")
    wanted = language if language.isalpha() else "en"
    return (
        f"{PREFIXES}SELECT ?entity (COALESCE(SAMPLE(?named), SAMPLE(?other)) AS ?label) WHERE {{\n"
        f"  {pattern}\n"
        "  FILTER (isIRI(?entity))\n"
        f'  OPTIONAL {{ ?entity rdfs:label ?named FILTER (lang(?named) = "{wanted}") }}\n'
        "  OPTIONAL { ?entity rdfs:label ?other }\n"
        "} GROUP BY ?entity ORDER BY ?entity LIMIT 500"
    )


async def kind_counts(backend: Backend, settings: Settings) -> dict[str, int]:
    """Kind → number of members, for the kinds that have any: one small query per kind, side
    by side on the backend's workers (as one query with a branch per kind, Oxigraph took about
    half as long again as the sum of the small ones)."""

    async def count(kind: Kind) -> tuple[str, int]:
        result = await backend.select(count_query((kind,)), timeout=settings.query_timeout)
        value = result.rows[0].get("n") if result.rows else None
        return kind.key, int(str(value)) if value is not None else 0

    found = await asyncio.gather(*(count(k) for k in kinds(settings.base_iri)))
    return {key: number for key, number in found if number}


@dataclass(frozen=True)
class CountryCount:
    iri: str
    actors: int
    links: int


ACTORS_QUERY = f"""{PREFIXES}
SELECT ?country (COUNT(DISTINCT ?actor) AS ?actors) WHERE {{
  ?country a eco:Country .
  ?place eco:directlyWithin* ?country .
  ?actor eco:locatedIn|eco:inEcosystemOf ?place .
}} GROUP BY ?country"""
LINKS_QUERY = f"""{PREFIXES}
SELECT ?country (COUNT(DISTINCT ?link) AS ?links) WHERE {{
  ?link eco:linkCountry ?country .
  ?country a eco:Country .
}} GROUP BY ?country"""


async def country_counts(backend: Backend, settings: Settings) -> list[CountryCount]:
    """Actors located in each country (at any depth) and the links that reach it."""
    numbers: dict[str, dict[str, int]] = {}
    for query, column in ((ACTORS_QUERY, "actors"), (LINKS_QUERY, "links")):
        result = await backend.select(query, timeout=settings.query_timeout)
        for row in result.rows:
            if "country" in row:
                value = row.get(column)
                entry = numbers.setdefault(str(row["country"]), {})
                entry[column] = int(str(value)) if value is not None else 0
    return [CountryCount(iri, n.get("actors", 0), n.get("links", 0)) for iri, n in numbers.items()]


async def kept_kind_counts(app: Any) -> dict[str, int]:
    """:func:`kind_counts`, once per app (see :mod:`ecograph.serve.views.kept`)."""
    state = state_of(app)
    backend, settings = state.backend, state.settings
    return await kept(app, "home.kinds", lambda: kind_counts(backend, settings))


async def kept_country_counts(app: Any) -> list[CountryCount]:
    """:func:`country_counts`, once per app."""
    state = state_of(app)
    backend, settings = state.backend, state.settings
    return await kept(app, "home.countries", lambda: country_counts(backend, settings))
