"""What the explore page draws: ecosystems on a map, the links between them, the activities and
agreements behind each link, aggregated on the server.

Why an index: the views need every link with its counts by kind and status, filtered by
country, region, sector, kind, status and years. Asking the store for that on every request
costs seconds at a million triples; the store cannot change while the server runs (the embedded
store is read-only), so the facts are read once with a few SPARQL queries (any backend: the
embedded store or a remote endpoint) into :class:`ExploreIndex`, and each request filters and
counts in memory. A remote store may change, so there the index is read again after a while.

Dates are kept as the data gives them: a ``--MM-DD`` (``xsd:gMonthDay``) has no year, and such
an item is never placed on a year (``year`` is ``None``; the timeline shows it apart).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecograph.errors import ParameterError
from ecograph.rdf.namespaces import ECO
from ecograph.store.backend import Backend

_PREFIXES = f"""PREFIX eco: <{ECO}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: Kinds of evidence, most specific first: an item is counted under the first class it has.
KINDS: tuple[tuple[str, str], ...] = (
    ("agreement", f"{ECO}Agreement"),
    ("mission", f"{ECO}Mission"),
    ("project", f"{ECO}Project"),
    ("event", f"{ECO}Event"),
    ("activity", f"{ECO}Activity"),
)
STATUSES = {f"{ECO}CrossBorderLink": "actual", f"{ECO}ProspectiveLink": "prospective"}
_DATE_PROPERTIES = ("startDate", "endDate", "date", "signedDate")
_YEAR = re.compile(r"^-?(\d{4})")
#: A cap on the rows of one index query, far above what the benchmark's 10M data holds.
_MAX_ROWS = 5_000_000
LIMIT_DEFAULT = 300
LIMIT_MAX = 5_000
ITEMS_DEFAULT = 500
ITEMS_MAX = 20_000


@dataclass
class Ecosystem:
    iri: str
    territory: str
    level: str  # "region" or "country"
    country: str  # the country place IRI
    label: dict[str, str] = field(default_factory=dict)
    lat: float | None = None
    long: float | None = None
    located: str = "none"  # "own" coordinates, "places" (their mean), or "none"
    actors: int = 0


@dataclass
class Item:
    """An activity or agreement behind a link."""

    iri: str
    kind: str = "activity"
    label: dict[str, str] = field(default_factory=dict)
    status: str | None = None
    dates: list[dict[str, str]] = field(default_factory=list)
    sectors: set[str] = field(default_factory=set)

    year: int | None = None  # set by year_of once the dates are read


def year_of(dates: Iterable[Mapping[str, str]]) -> int | None:
    """The earliest year the dates give; ``None`` when none gives one (a ``--MM-DD`` has none)."""
    years = [
        int(m.group(1))
        for d in dates
        if d["datatype"] != "gMonthDay" and (m := _YEAR.match(d["value"]))
    ]
    return min(years) if years else None


@dataclass
class Link:
    iri: str
    status: str
    between: tuple[str, str]
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    """The request's filters, normalised (so that equal filters share a cached answer)."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    status: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    level: str = "region"
    limit: int = LIMIT_DEFAULT
    items_limit: int = ITEMS_DEFAULT

    @classmethod
    def parse(
        cls,
        country: Sequence[str] = (),
        region: Sequence[str] = (),
        sector: Sequence[str] = (),
        kind: Sequence[str] = (),
        status: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        level: str = "region",
        limit: int = LIMIT_DEFAULT,
        items_limit: int = ITEMS_DEFAULT,
    ) -> Filters:
        kinds = {k for k, _ in KINDS}
        bad = [k for k in kind if k not in kinds]
        if bad:
            raise ParameterError(f"kind must be one of {', '.join(sorted(kinds))}, not {bad[0]!r}")
        if status not in (None, "", "actual", "prospective"):
            raise ParameterError(f"status must be actual or prospective, not {status!r}")
        if level not in ("region", "country"):
            raise ParameterError(f"level must be region or country, not {level!r}")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise ParameterError(f"from ({year_from}) is after to ({year_to})")
        if not 1 <= limit <= LIMIT_MAX:
            raise ParameterError(f"limit must be between 1 and {LIMIT_MAX}")
        if not 0 <= items_limit <= ITEMS_MAX:
            raise ParameterError(f"items must be between 0 and {ITEMS_MAX}")

        def norm(values: Sequence[str]) -> tuple[str, ...]:
            return tuple(sorted({v.strip() for v in values if v.strip()}))

        return cls(
            countries=tuple(sorted({c.lower() for c in norm(country)})),
            regions=norm(region),
            sectors=norm(sector),
            kinds=norm(kind),
            status=status or None,
            year_from=year_from,
            year_to=year_to,
            level=level,
            limit=limit,
            items_limit=items_limit,
        )


def _count(values: Iterable[str]) -> dict[str, int]:
    """How often each value occurs (``collections.Counter`` is slower here: its isinstance
    check against ``Mapping`` costs about a millisecond per call in a large process)."""
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return counts


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class ExploreIndex:
    """Everything the explore views need, read once from the store."""

    ecosystems: dict[str, Ecosystem]
    links: dict[str, Link]
    items: dict[str, Item]
    labels: dict[str, dict[str, str]]  # countries and sectors
    country_codes: dict[str, str]  # country IRI -> ISO code
    country_points: dict[str, tuple[float, float]] = field(default_factory=dict)

    # ----------------------------------------------------------------------------- reading

    @classmethod
    async def read(cls, backend: Backend, timeout: float) -> ExploreIndex:
        """Read with a few simple queries: each is one index scan or a short join, no query
        joins items to links (that join cost seconds at 1M; the links are joined here, in
        dictionaries). They run one at a time: side by side they would hold every query worker
        for the whole read, and other users' queries would wait; one at a time leaves the other
        workers free, for a read hardly longer on two cores."""
        turn = asyncio.Lock()

        async def rows(body: str) -> list[dict[str, dict[str, str]]]:
            async with turn:
                written = await backend.written(
                    _PREFIXES + body,
                    writers={"select": "json", "ask": None, "graph": None},
                    timeout=timeout,
                    max_rows=_MAX_ROWS,
                )
            document = await asyncio.to_thread(json.loads, written.body)
            found: list[dict[str, dict[str, str]]] = document["results"]["bindings"]
            return found

        (
            ecosystem_rows,
            centroid_rows,
            actor_rows,
            link_rows,
            evidence_rows,
            type_rows,
            fact_rows,
            label_rows,
        ) = await asyncio.gather(
            rows(
                """SELECT ?eco ?t ?country ?level ?lat ?long WHERE {
  ?eco a eco:Ecosystem ; eco:territory ?t .
  { ?t a eco:Country BIND (?t AS ?country) BIND ("country" AS ?level) }
  UNION { ?t eco:within ?country . ?country a eco:Country . BIND ("region" AS ?level)
          FILTER NOT EXISTS { ?t a eco:Country } }
  OPTIONAL { ?t geo:lat ?lat ; geo:long ?long }
}"""
            ),
            rows(
                """SELECT ?t (AVG(?lat) AS ?la) (AVG(?long) AS ?lo) WHERE {
  ?eco a eco:Ecosystem ; eco:territory ?t . ?p eco:within ?t ; geo:lat ?lat ; geo:long ?long
} GROUP BY ?t"""
            ),
            rows(
                "SELECT ?eco (COUNT(DISTINCT ?a) AS ?n) WHERE { ?eco eco:actor ?a } GROUP BY ?eco"
            ),
            rows(
                """SELECT ?link ?cls ?eco WHERE {
  VALUES ?cls { eco:CrossBorderLink eco:ProspectiveLink } ?link a ?cls ; eco:between ?eco }"""
            ),
            rows("SELECT ?link ?item WHERE { ?link eco:evidencedBy ?item }"),
            rows(
                """SELECT ?item ?type WHERE {
  VALUES ?type { eco:Agreement eco:Mission eco:Project eco:Event eco:Activity } ?item a ?type }"""
            ),
            rows(
                """SELECT ?item ?p ?o WHERE {
  VALUES ?p { eco:startDate eco:endDate eco:date eco:signedDate eco:status eco:sector }
  ?item ?p ?o }"""
            ),
            rows(
                """SELECT ?item ?o WHERE {
  VALUES ?type { eco:Activity eco:Agreement } ?item a ?type ; rdfs:label ?o }"""
            ),
        )

        ecosystems, links, items = await asyncio.to_thread(
            _assemble,
            ecosystem_rows,
            centroid_rows,
            actor_rows,
            link_rows,
            evidence_rows,
            type_rows,
            fact_rows,
            label_rows,
        )
        named = {e.country for e in ecosystems.values()} | {
            e.territory for e in ecosystems.values()
        }
        named |= {s for i in items.values() for s in i.sectors}
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        codes: dict[str, str] = {}
        points: dict[str, tuple[float, float]] = {}
        values = " ".join(f"<{iri}>" for iri in sorted(named) if ">" not in iri)
        if values:
            for row in await rows(
                f"""SELECT ?s ?label ?code ?lat ?long WHERE {{
  VALUES ?s {{ {values} }}
  {{ ?s rdfs:label ?label }} UNION {{ ?s skos:prefLabel ?label }}
  UNION {{ ?s eco:iso3166Code ?code }} UNION {{ ?s a eco:Country ; geo:lat ?lat ; geo:long ?long }}
}}"""
            ):
                iri = row["s"]["value"]
                if "lat" in row:
                    points[iri] = (float(row["lat"]["value"]), float(row["long"]["value"]))
                if "label" in row:
                    labels[iri].setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
                if "code" in row:
                    codes[iri] = row["code"]["value"]
        for eco in ecosystems.values():
            eco.label = dict(labels.get(eco.territory, {})) or {"": _slug(eco.territory)}
        return cls(ecosystems, links, items, dict(labels), codes, points)

    # ----------------------------------------------------------------------------- answering

    def _country_matches(self, eco: Ecosystem, wanted: Iterable[str]) -> bool:
        code = self.country_codes.get(eco.country, "").lower()
        return any(w in (code, eco.country.lower(), _slug(eco.country)) for w in wanted)

    def _region_matches(self, eco: Ecosystem, wanted: Iterable[str]) -> bool:
        return any(w in (eco.territory, eco.iri, _slug(eco.territory)) for w in wanted)

    def _item_kept(self, item: Item, filters: Filters) -> bool:
        if filters.kinds and item.kind not in filters.kinds:
            return False
        if filters.sectors and not any(
            s in filters.sectors or _slug(s) in filters.sectors for s in item.sectors
        ):
            return False
        if filters.year_from is not None or filters.year_to is not None:
            year = item.year
            if year is None:
                return False
            if filters.year_from is not None and year < filters.year_from:
                return False
            if filters.year_to is not None and year > filters.year_to:
                return False
        return True

    def answer(self, filters: Filters) -> dict[str, Any]:
        """The JSON document of ``GET /api/explore`` for these filters."""
        # Which ecosystems each place filter keeps, decided once (there are few of them): a
        # link is kept when one of its ends is in the country and one (maybe the other) in
        # the region, so that country=CN&region=it-77 gives Basilicata's links to China.
        everywhere = set(self.ecosystems)
        in_country = (
            {e.iri for e in self.ecosystems.values() if self._country_matches(e, filters.countries)}
            if filters.countries
            else everywhere
        )
        in_region = (
            {e.iri for e in self.ecosystems.values() if self._region_matches(e, filters.regions)}
            if filters.regions
            else everywhere
        )
        by_item = bool(
            filters.kinds
            or filters.sectors
            or filters.year_from is not None
            or filters.year_to is not None
        )
        kept_items = (
            {iri for iri, item in self.items.items() if self._item_kept(item, filters)}
            if by_item
            else set()
        )
        chosen: list[tuple[Link, list[str]]] = []
        for link in self.links.values():
            if filters.status and link.status != filters.status:
                continue
            first, second = link.between
            if not (first in in_country or second in in_country) or not (
                first in in_region or second in in_region
            ):
                continue
            items = [i for i in link.items if i in kept_items] if by_item else link.items
            if items:
                chosen.append((link, items))
        if filters.level == "country":
            drawn = self._by_country(chosen)
            drawn.sort(key=lambda d: (-d["evidence"], d["id"]))
            total = len(drawn)
            shown = drawn[: filters.limit]
        else:
            chosen.sort(key=lambda pair: (-len(pair[1]), pair[0].iri))
            total = len(chosen)
            shown = [
                self._link_json(link, sorted(items)) for link, items in chosen[: filters.limit]
            ]
        node_links: dict[str, int] = defaultdict(int)
        for d in shown:
            for n in d["between"]:
                node_links[n] += 1
        if filters.level == "country":
            nodes = self._country_nodes(node_links)
        else:
            nodes = [
                self._ecosystem_json(e, node_links[e.iri])
                for e in sorted(self.ecosystems.values(), key=lambda e: e.iri)
                if node_links[e.iri]
                or (
                    (not filters.countries or self._country_matches(e, filters.countries))
                    and (not filters.regions or self._region_matches(e, filters.regions))
                    and e.actors > 0
                )
            ]
        behind: dict[str, list[str]] = defaultdict(list)
        for d in shown:
            for i in d.pop("items"):
                behind[i].append(d["id"])
        # The timeline's items: at most ``items_limit`` with a year, taken evenly over them in
        # date order (every k-th) so that the whole span shows, and as many without one (shown
        # apart); the counts of all are in the totals.
        dated = sorted(
            (i for i in behind if self.items[i].year is not None),
            key=lambda i: (self.items[i].year or 0, i),
        )
        undated = sorted(i for i in behind if self.items[i].year is None)
        step = -(-len(dated) // filters.items_limit) if filters.items_limit else 0
        listed = (dated[::step] if step else []) + undated[: filters.items_limit]
        return {
            "filters": {
                "country": list(filters.countries),
                "region": list(filters.regions),
                "sector": list(filters.sectors),
                "kind": list(filters.kinds),
                "status": filters.status,
                "from": filters.year_from,
                "to": filters.year_to,
                "level": filters.level,
                "limit": filters.limit,
                "items": filters.items_limit,
            },
            "totals": {
                "links": total,
                "links_shown": len(shown),
                "items": len(behind),
                "items_shown": len(listed),
                "items_with_year": len(dated),
                "items_every": step,
                "items_without_year": len(undated),
                "nodes": len(nodes),
            },
            "nodes": nodes,
            "links": shown,
            "items": [self.item_json(self.items[i], behind[i]) for i in listed],
            "countries": [
                {"iri": c, "code": self.country_codes.get(c, ""), "label": self.labels.get(c, {})}
                for c in sorted({e.country for e in self.ecosystems.values()})
            ],
            "regions": [
                {"iri": e.territory, "label": e.label, "country": e.country}
                for e in sorted(self.ecosystems.values(), key=lambda e: e.territory)
                if e.level == "region"
            ],
            "sectors": [
                {"iri": s, "slug": _slug(s), "label": self.labels.get(s, {})}
                for s in sorted({s for i in self.items.values() for s in i.sectors})
            ],
            "kinds": [k for k, _ in KINDS],
        }

    def _link_json(self, link: Link, items: list[str]) -> dict[str, Any]:
        kinds = _count(self.items[i].kind for i in items)
        return {
            "id": link.iri,
            "iri": link.iri,
            "status": link.status,
            "between": list(link.between),
            "countries": [self.ecosystems[e].country for e in link.between],
            "evidence": len(items),
            "kinds": dict(sorted(kinds.items())),
            "items": items,
        }

    def _by_country(self, chosen: list[tuple[Link, list[str]]]) -> list[dict[str, Any]]:
        """Links summed over country pairs (actual and prospective kept apart)."""
        pairs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for link, items in chosen:
            first, second = sorted(self.ecosystems[e].country for e in link.between)
            if first != second:
                pairs[(first, second, link.status)].update(items)
        found = []
        for (first, second, status), pair_items in pairs.items():
            ordered = sorted(pair_items)
            kinds = _count(self.items[i].kind for i in ordered)
            found.append(
                {
                    "id": f"{first}--{second}--{status}",
                    "iri": None,
                    "status": status,
                    "between": [first, second],
                    "countries": [first, second],
                    "evidence": len(ordered),
                    "kinds": dict(sorted(kinds.items())),
                    "items": ordered,
                }
            )
        return found

    def _country_nodes(self, node_links: Mapping[str, int]) -> list[dict[str, Any]]:
        actors: dict[str, int] = defaultdict(int)
        own: dict[str, Ecosystem] = {}
        for eco in self.ecosystems.values():
            actors[eco.country] += eco.actors
            if eco.level == "country":
                own[eco.country] = eco
        nodes = []
        for country in sorted(node_links):
            own_eco = own.get(country)
            point = self.country_points.get(country)
            nodes.append(
                {
                    "id": country,
                    "territory": country,
                    "label": self.labels.get(country, {}),
                    "country": country,
                    "country_code": self.country_codes.get(country, ""),
                    "level": "country",
                    "lat": point[0] if point else (own_eco.lat if own_eco else None),
                    "long": point[1] if point else (own_eco.long if own_eco else None),
                    "located": "own" if point else (own_eco.located if own_eco else "none"),
                    "actors": actors[country],
                    "links": node_links[country],
                }
            )
        return nodes

    def _ecosystem_json(self, eco: Ecosystem, links: int) -> dict[str, Any]:
        return {
            "id": eco.iri,
            "territory": eco.territory,
            "label": eco.label,
            "country": eco.country,
            "country_code": self.country_codes.get(eco.country, ""),
            "level": eco.level,
            "lat": eco.lat,
            "long": eco.long,
            "located": eco.located,
            "actors": eco.actors,
            "links": links,
        }

    def item_json(self, item: Item, links: list[str]) -> dict[str, Any]:
        return {
            "iri": item.iri,
            "kind": item.kind,
            "label": item.label,
            "status": item.status,
            "dates": item.dates,
            "year": item.year,
            "sectors": sorted(item.sectors),
            "links": links,
        }


Rows = list[dict[str, dict[str, str]]]


def _assemble(
    ecosystem_rows: Rows,
    centroid_rows: Rows,
    actor_rows: Rows,
    link_rows: Rows,
    evidence_rows: Rows,
    type_rows: Rows,
    fact_rows: Rows,
    label_rows: Rows,
) -> tuple[dict[str, Ecosystem], dict[str, Link], dict[str, Item]]:
    """The ecosystems, links and items from the rows of the index queries (run in a thread:
    at 1M it is a second of Python that must not hold up the server's other requests)."""
    ecosystems: dict[str, Ecosystem] = {}
    for row in ecosystem_rows:
        iri = row["eco"]["value"]
        eco = ecosystems.setdefault(
            iri,
            Ecosystem(iri, row["t"]["value"], row["level"]["value"], row["country"]["value"]),
        )
        if "lat" in row and eco.lat is None:
            eco.lat, eco.long = float(row["lat"]["value"]), float(row["long"]["value"])
            eco.located = "own"
    by_territory = {e.territory: e for e in ecosystems.values()}
    for row in centroid_rows:
        found_eco = by_territory.get(row["t"]["value"])
        if found_eco is not None and found_eco.located == "none":
            found_eco.lat = float(row["la"]["value"])
            found_eco.long = float(row["lo"]["value"])
            found_eco.located = "places"
    for row in actor_rows:
        if row["eco"]["value"] in ecosystems:
            ecosystems[row["eco"]["value"]].actors = int(row["n"]["value"])

    links: dict[str, Link] = {}
    between: dict[str, list[str]] = defaultdict(list)
    status: dict[str, str] = {}
    for row in link_rows:
        link = row["link"]["value"]
        status[link] = STATUSES[row["cls"]["value"]]
        if row["eco"]["value"] not in between[link]:
            between[link].append(row["eco"]["value"])
    for link, pair in between.items():
        if len(pair) == 2 and all(p in ecosystems for p in pair):
            first, second = sorted(pair)
            links[link] = Link(link, status[link], (first, second))
    items: dict[str, Item] = {}
    for row in evidence_rows:
        found = links.get(row["link"]["value"])
        if found is not None:
            iri = row["item"]["value"]
            if iri not in found.items:
                found.items.append(iri)
            items.setdefault(iri, Item(iri))
    rank = {type_: n for n, (_, type_) in enumerate(KINDS)}
    best: dict[str, int] = {}
    for row in type_rows:
        iri, type_ = row["item"]["value"], row["type"]["value"]
        if iri in items and rank[type_] < best.get(iri, len(KINDS)):
            best[iri] = rank[type_]
            items[iri].kind = KINDS[rank[type_]][0]
    seen: set[tuple[str, str, str]] = set()
    for row in fact_rows:
        item = items.get(row["item"]["value"])
        if item is None:
            continue
        predicate, value = row["p"]["value"], row["o"]
        key = (item.iri, predicate, value["value"])
        if key in seen:  # the union of graphs may give a fact twice
            continue
        seen.add(key)
        local = predicate.removeprefix(str(ECO))
        if local == "status":
            item.status = _slug(value["value"])
        elif local == "sector":
            item.sectors.add(value["value"])
        elif local in _DATE_PROPERTIES:
            datatype = value.get("datatype", "").removeprefix(_XSD)
            item.dates.append({"property": local, "value": value["value"], "datatype": datatype})
    for row in label_rows:
        item = items.get(row["item"]["value"])
        if item is not None:
            item.label.setdefault(row["o"].get("xml:lang", ""), row["o"]["value"])
    for item in items.values():
        item.dates.sort(key=lambda d: (_DATE_PROPERTIES.index(d["property"]), d["value"]))
        item.year = year_of(item.dates)
    return ecosystems, links, items


async def link_detail(
    backend: Backend, index: ExploreIndex, iri: str, timeout: float
) -> dict[str, Any]:
    """One link (or a country pair ``A--B--status``) with its items and their verbatim quotes."""
    if iri in index.links:
        link = index.links[iri]
        items = link.items
        head: dict[str, Any] = {"id": iri, "iri": iri, "status": link.status}
        head["between"] = list(link.between)
    else:
        parts = iri.split("--")
        if len(parts) != 3:
            raise ParameterError(f"no link {iri!r}")
        first, second, status = parts
        items = sorted(
            {
                i
                for link in index.links.values()
                if link.status == status
                and sorted(index.ecosystems[e].country for e in link.between) == [first, second]
                for i in link.items
            }
        )
        if not items:
            raise ParameterError(f"no link {iri!r}")
        head = {"id": iri, "iri": None, "status": status, "between": [first, second]}
    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    values = " ".join(f"<{i}>" for i in sorted(set(items)) if ">" not in i)
    if values:
        written = await backend.written(
            f"""{_PREFIXES}
SELECT ?item ?evidence ?quote ?source ?title WHERE {{
  VALUES ?item {{ {values} }}
  ?item eco:evidence ?evidence . ?evidence eco:quote ?quote .
  OPTIONAL {{ ?evidence prov:wasQuotedFrom ?source . OPTIONAL {{ ?source dcterms:title ?title }} }}
}} ORDER BY ?item ?evidence""",
            writers={"select": "json", "ask": None, "graph": None},
            timeout=timeout,
            max_rows=_MAX_ROWS,
        )
        seen: set[tuple[str, str, str]] = set()
        for row in json.loads(written.body)["results"]["bindings"]:
            item, evidence = row["item"]["value"], row["evidence"]["value"]
            key = (item, evidence, row["quote"]["value"])
            if key in seen:
                continue
            seen.add(key)
            quotes[item].append(
                {
                    "evidence": evidence,
                    "text": row["quote"]["value"],
                    "source": row["source"]["value"] if "source" in row else None,
                    "source_title": row["title"]["value"] if "title" in row else None,
                }
            )
    head["items"] = [
        {**index.item_json(index.items[i], [head["id"]]), "quotes": quotes.get(i, [])}
        for i in sorted(set(items))
        if i in index.items
    ]
    return head


async def node_detail(
    backend: Backend, index: ExploreIndex, iri: str, timeout: float, limit: int = 100
) -> dict[str, Any]:
    """An ecosystem's actors (or a country's, summed over its ecosystems), first ``limit``."""
    ecosystems = [e.iri for e in index.ecosystems.values() if iri in (e.iri, e.country)]
    if not ecosystems:
        raise ParameterError(f"no ecosystem or country {iri!r}")
    values = " ".join(f"<{e}>" for e in sorted(ecosystems) if ">" not in e)
    written = await backend.written(
        f"""{_PREFIXES}
SELECT ?actor ?label WHERE {{
  VALUES ?eco {{ {values} }} ?eco eco:actor ?actor . OPTIONAL {{ ?actor rdfs:label ?label }}
}}""",
        writers={"select": "json", "ask": None, "graph": None},
        timeout=timeout,
        max_rows=_MAX_ROWS,
    )
    actors: dict[str, dict[str, str]] = {}
    for row in json.loads(written.body)["results"]["bindings"]:
        names = actors.setdefault(row["actor"]["value"], {})
        if "label" in row:
            names.setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])

    def key(entry: tuple[str, dict[str, str]]) -> tuple[str, str]:
        iri_, names = entry
        shown = names.get("en") or names.get("it") or next(iter(names.values()), "")
        return (shown.lower() or _slug(iri_), iri_)

    ordered = sorted(actors.items(), key=key)
    return {
        "id": iri,
        "actors": [{"iri": a, "label": names} for a, names in ordered[:limit]],
        "more": max(0, len(ordered) - limit),
    }


#: How an entity reaches the places a small map shows for it.
PLACE_LINKS = (
    "locatedIn",
    "inEcosystemOf",
    "venue",
    "origin",
    "destination",
    "signedAt",
    "partnerRegion",
    "territory",
    "visited",
)


async def entity_places(backend: Backend, iri: str, timeout: float) -> list[dict[str, Any]]:
    """The points of an entity's small map: its own coordinates, else those of the places it is
    located in, visits, is held at, … A place without coordinates (a district) is drawn at its
    nearest enclosing place that has them, up to two levels up, and says so (``via``)."""
    values = " ".join(f"eco:{p}" for p in PLACE_LINKS)
    written = await backend.written(
        f"""{_PREFIXES}
SELECT ?place ?relation ?depth ?at ?lat ?long ?label WHERE {{
  {{ BIND (<{iri}> AS ?place) BIND ("self" AS ?relation) }}
  UNION {{ VALUES ?p {{ {values} }} <{iri}> ?p ?place . ?place a eco:Place .
           BIND (STRAFTER(STR(?p), "#") AS ?relation) }}
  {{ ?place geo:lat ?lat ; geo:long ?long . BIND (?place AS ?at) BIND (0 AS ?depth) }}
  UNION {{ ?place eco:directlyWithin ?at . ?at geo:lat ?lat ; geo:long ?long .
           BIND (1 AS ?depth) }}
  UNION {{ ?place eco:directlyWithin/eco:directlyWithin ?at . ?at geo:lat ?lat ; geo:long ?long .
           BIND (2 AS ?depth) }}
  OPTIONAL {{ ?place rdfs:label ?label }}
}}""",
        writers={"select": "json", "ask": None, "graph": None},
        timeout=timeout,
        max_rows=1_000,
    )
    best: dict[str, dict[str, Any]] = {}
    for row in json.loads(written.body)["results"]["bindings"]:
        place, depth = row["place"]["value"], int(row["depth"]["value"])
        found = best.get(place)
        if found is None or depth < found["depth"]:
            found = {
                "iri": place,
                "relation": row["relation"]["value"],
                "depth": depth,
                "via": row["at"]["value"] if depth else None,
                "lat": float(row["lat"]["value"]),
                "long": float(row["long"]["value"]),
                "label": {},
            }
            best[place] = found
        if "label" in row and depth == found["depth"]:
            found["label"].setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
    if iri in best:  # the entity is a place with coordinates: that point alone
        return [best[iri]]
    return sorted(best.values(), key=lambda p: (p["relation"], p["iri"]))
