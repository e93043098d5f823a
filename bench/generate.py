"""A deterministic generator of realistic ecosystem data, in ecograph's own ontology, at scale.

Why synthetic data: the five hand-curated articles make ~7k triples, and users will load
thousands of articles plus reference data. This generator writes "articles" that look like the
real ones — a mission, event or project between regions of two countries, the organisations,
people and roles it names, an agreement or a figure, every fact with its source and a verbatim
quote — until the data file holds the requested number of triples.

The output folder is laid out as an ecograph project root, so that the real CLI runs on it
unchanged (``ecograph --root OUT validate``)::

    OUT/ontology/, OUT/shapes/, OUT/queries/, OUT/context/   copies of the project's files
    OUT/data/geography.ttl                                   copy of the real reference places
    OUT/data/synthetic.ttl (or .nt)                          the generated graph
    OUT/data/sources/NNN_<16 hex>.txt                        the article texts the quotes are in
    OUT/manifest.json                                        counts, digest, query parameters

A separate root (rather than the repository's) keeps the real articles out: the benchmark
measures one known graph, and ``data/sources.ttl`` refers to people described only in them.

Reproducible byte for byte: one seeded :class:`random.Random`, fixed word lists, names from a
bijection of counters (never ``hash()``), no clock. Streaming: entities are written as they are
made; only their names and a few per-region pools stay in memory (~100 bytes per entity).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from bench import vocab
from ecograph.rdf.text import compact  # the key of the duplicate check: names stay unique

ROOT = Path(__file__).resolve().parent.parent
ECO = "https://w3id.org/ecograph/ontology#"
ID = "https://w3id.org/ecograph/id/"

#: Named scale factors → target number of triples in the generated data file.
SCALES: dict[str, int] = {
    "tiny": 3_000,
    "10k": 10_000,
    "100k": 100_000,
    "1m": 1_000_000,
    "10m": 10_000_000,
}
#: "Now" for statuses (completed / ongoing / planned): fixed, so output never depends on the day.
TODAY = (2025, 6, 30)

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "eco": ECO,
    "o": f"{ID}org/",
    "person": f"{ID}person/",
    "role": f"{ID}role/",
    "place": f"{ID}place/",
    "mission": f"{ID}mission/",
    "event": f"{ID}event/",
    "project": f"{ID}project/",
    "agreement": f"{ID}agreement/",
    "programme": f"{ID}programme/",
    "figure": f"{ID}figure/",
    "designation": f"{ID}designation/",
    "evidence": f"{ID}evidence/",
    "source": f"{ID}source/",
    "sector": f"{ID}sector/",
    "policy": f"{ID}policy/",
    "roletype": f"{ID}role-type/",
    "status": f"{ID}status/",
    "kind": f"{ID}kind/",
    "fund": f"{ID}fund/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
}
TEXT_PLAIN = "<http://www.iana.org/assignments/media-types/text/plain>"

# Organisation kinds a new organisation is drawn from, with weights (regional governments and
# chambers of commerce are made once per region, when first needed).
ORG_KINDS: tuple[tuple[str, int], ...] = (
    ("Company", 44),
    ("Cluster", 6),
    ("SciencePark", 4),
    ("InnovationDistrict", 2),
    ("University", 6),
    ("ResearchInstitute", 6),
    ("CompetenceCentre", 3),
    ("Incubator", 4),
    ("Foundation", 3),
    ("BusinessAssociation", 3),
    ("DevelopmentAgency", 2),
)
RESEARCH_KINDS = frozenset({"University", "ResearchInstitute", "CompetenceCentre"})
EVENT_KINDS: tuple[tuple[str, str, str], ...] = (
    ("Forum", "Innovation Forum", "Forum dell'innovazione"),
    ("Fair", "Technology Fair", "Fiera della tecnologia"),
    ("Summit", "Summit", "Summit"),
    ("Week", "Science Week", "Settimana della scienza"),
    ("Meeting", "Cooperation Meeting", "Incontro di cooperazione"),
)
AGREEMENT_KINDS: tuple[tuple[str, str, str], ...] = (
    ("LetterOfIntent", "loi", "Lettera d'intenti"),
    ("Memorandum", "mou", "Memorandum d'intesa"),
    ("CooperationAgreement", "agreement", "Accordo di cooperazione"),
)
ROLE_TYPES_USED: tuple[str, ...] = (
    "president",
    "head",
    "project-manager",
    "researcher",
    "delegate",
    "sole-director",
    "head-of-department",
)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-', as docs/model.md wants instance slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(text: str, lang: str | None = None, dt: str | None = None) -> str:
    """A literal in Turtle form: language-tagged, typed (``dt`` a prefixed name) or plain."""
    body = f'"{_escape(text)}"'
    if lang:
        return f"{body}@{lang}"
    if dt:
        return f"{body}^^{dt}"
    return body


def date_lit(y: int, m: int, d: int) -> str:
    return lit(f"{y:04d}-{m:02d}-{d:02d}", dt="xsd:date")


Pairs = list[tuple[str, str]]


class Writer:
    """Streams subject blocks as Turtle (prefixed names) or N-Triples, counting triples.

    Terms come in Turtle form — ``pfx:local`` or a literal — so N-Triples only has to expand
    prefixes; both formats therefore describe the same graph.
    """

    def __init__(self, stream: TextIO, fmt: str) -> None:
        self.stream = stream
        self.fmt = fmt
        self.triples = 0
        self.by_class: Counter[str] = Counter()
        if fmt == "ttl":
            stream.write(
                "# ecograph synthetic benchmark data (bench/generate.py): not real facts.\n"
            )
            for prefix, iri in PREFIXES.items():
                stream.write(f"@prefix {prefix}: <{iri}> .\n")

    def _nt(self, term: str) -> str:
        if term.startswith(("<", "_:")):
            return term
        if term.startswith('"'):
            head, sep, datatype = term.rpartition('"^^')
            return f'{head}"^^{self._nt(datatype)}' if sep else term
        prefix, _, local = term.partition(":")
        return f"<{PREFIXES[prefix]}{local}>"

    def block(self, subject: str, cls: str, pairs: Pairs) -> None:
        """One subject: ``a cls`` then the (predicate, object) pairs, grouped by predicate."""
        self.triples += 1 + len(pairs)
        self.by_class[cls] += 1
        if self.fmt == "nt":
            s = self._nt(subject)
            lines = [f"{s} <{PREFIXES['rdf']}type> {self._nt(cls)} .\n"]
            lines += [f"{s} {self._nt(p)} {self._nt(o)} .\n" for p, o in pairs]
            self.stream.write("".join(lines))
            return
        grouped: dict[str, list[str]] = {}
        for p, o in pairs:
            grouped.setdefault(p, []).append(o)
        parts = [f"\n{subject} a {cls}"]
        parts += [f" ;\n    {p} {' , '.join(objects)}" for p, objects in grouped.items()]
        parts.append(" .\n")
        self.stream.write("".join(parts))


@dataclass(frozen=True)
class Plan:
    """How big each part of the world is, derived from the target number of triples."""

    target: int
    seed: int
    countries: int
    regions_per_country: int
    cities_per_region: int

    @classmethod
    def for_target(cls, target: int, seed: int = 42) -> Plan:
        # Geography grows with the square root of the data: more articles mostly mean more
        # actors per region, as in real registries, not ever more regions.
        regions = max(4, round(4 * (target / 1000) ** 0.5))
        countries = min(len(vocab.COUNTRIES), max(2, round(regions**0.5)))
        per_country = max(2, -(-regions // countries))
        cities = 2 + (target >= 100_000) + (target >= 1_000_000)
        return cls(target, seed, countries, per_country, cities)


@dataclass
class Region:
    """A first-level region and the pools of actors made in it so far (indexes into World)."""

    slug: str
    country_slug: str
    country_en: str
    country_it: str
    label_en: str
    label_it: str
    places: list[str]  # the region and the places within it, for eco:locatedIn
    cities: list[tuple[str, str]]  # (slug, label) of cities, for venues and destinations
    orgs: list[int] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)
    research: list[int] = field(default_factory=list)
    hosts: list[int] = field(default_factory=list)  # parks, districts, universities
    government: int | None = None
    programme: str | None = None
    axes: list[str] = field(default_factory=list)


@dataclass
class Article:
    """The article being written: its source node, its quotes, the text they come from."""

    number: int
    slug: str
    local_file: str
    year: int
    month: int
    day: int
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (evidence local name, text)
    sentences: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return f"source:{self.slug}"


class World:
    """The state of the generation: places, the actors made so far, and the writer."""

    def __init__(self, plan: Plan, writer: Writer, sources_dir: Path) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.out = writer
        self.sources_dir = sources_dir
        self.names_used: set[str] = set()
        self.slugs_used: set[str] = set()
        self.brand_counter = 0
        self.place_counter = 0
        self.person_counter = 0
        self.regions: list[Region] = []
        self.region_weights: list[float] = []
        self.org_slug: list[str] = []
        self.org_label: list[str] = []
        self.org_kind: list[str] = []
        self.org_region: list[int] = []
        self.person_slug: list[str] = []
        self.person_label: list[str] = []
        # For manifest.json: which entities make the catalogue's queries non-trivial.
        self.stats: dict[str, Counter[str]] = defaultdict(Counter)
        concepts = _concepts(ROOT / "ontology" / "schemes.ttl")
        self.sectors: list[tuple[str, str, str]] = concepts["sectors"]
        self.sector_labels = {c[0]: c for c in self.sectors}
        self.policies = [c for c in concepts["policies"] if c[0] != "european-capital-of-culture"]
        self.counted_kinds = concepts["counted-kinds"]

    # ----------------------------------------------------------------------------- names

    def unique_label(self, label: str) -> str:
        """The label, or with a roman-numeral suffix, so no two nodes share a normalised name."""
        candidate, n = label, 1
        while compact(candidate) in self.names_used:
            n += 1
            candidate = f"{label} {_roman(n)}"
        self.names_used.add(compact(candidate))
        return candidate

    def unique_slug(self, kind: str, slug: str) -> str:
        candidate, n = slug, 1
        while f"{kind}/{candidate}" in self.slugs_used:
            n += 1
            candidate = f"{slug}-{n}"
        self.slugs_used.add(f"{kind}/{candidate}")
        return candidate

    def brand(self) -> str:
        """A new brand name: a bijection of a counter onto syllable strings (never repeats)."""
        i = self.brand_counter
        self.brand_counter += 1
        size = len(vocab.SYLLABLES)
        span, length = size**3, 3
        while i >= span:
            i -= span
            length += 1
            span = size**length
        n = (i * 7_919 + 104_729) % span
        parts = []
        for _ in range(length):
            n, r = divmod(n, size)
            parts.append(vocab.SYLLABLES[r])
        return "".join(parts).capitalize()

    def place_name(self) -> str:
        i = self.place_counter
        self.place_counter += 1
        size = len(vocab.SYLLABLES)
        n = (i * 9_973 + 31) % size**3
        parts = []
        for _ in range(3):
            n, r = divmod(n, size)
            parts.append(vocab.SYLLABLES[r])
        endings = ("ia", "ona", "ano", "era", "ice")
        return ("".join(parts) + endings[i % len(endings)]).capitalize()

    def person_name(self) -> str:
        i = self.person_counter
        self.person_counter += 1
        first, initials, last = vocab.FIRST_NAMES, vocab.INITIALS, vocab.SURNAMES
        span = len(first) * len(initials) * len(last)
        n = (i * 7_927 + 11) % span
        n, a = divmod(n, len(first))
        n, b = divmod(n, len(initials))
        c = n % len(last)
        name = f"{first[a]} {initials[b]}. {last[c]}"
        return name if i < span else f"{name} {_roman(i // span + 1)}"

    # ----------------------------------------------------------------------------- geography

    def geography(self) -> None:
        """Real regions of data/geography.ttl first, then synthetic countries and regions."""
        real = _real_regions(ROOT / "data" / "geography.ttl")
        for region in real:
            self.regions.append(region)
            self.slugs_used.update(f"place/{p}" for p in region.places)
            self.names_used.add(compact(region.label_en))
        for code, name_en, name_it in vocab.COUNTRIES[: self.plan.countries]:
            country = code.lower()
            self.out.block(
                f"place:{country}",
                "eco:Country",
                [
                    ("rdfs:label", lit(name_en, "en")),
                    ("rdfs:label", lit(name_it, "it")),
                    ("eco:iso3166Code", lit(code)),
                ],
            )
            for r in range(1, self.plan.regions_per_country + 1):
                self._synthetic_region(code, name_en, name_it, r)
        # Hubs: a few regions get most articles (Zipf-like), the real Italian ones first.
        self.region_weights = [1.0 / (rank + 2) for rank in range(len(self.regions))]

    def _synthetic_region(self, code: str, country_en: str, country_it: str, r: int) -> None:
        country = code.lower()
        name = self.place_name()
        slug = f"{country}-r{r:02d}"
        label_en = self.unique_label(name)
        self.out.block(
            f"place:{slug}",
            "eco:Region",
            [
                ("rdfs:label", lit(label_en, "en")),
                ("rdfs:label", lit(f"Regione di {name}", "it")),
                ("eco:iso3166Code", lit(f"{code}-R{r:02d}")),
                ("eco:directlyWithin", f"place:{country}"),
            ],
        )
        region = Region(
            slug=slug,
            country_slug=country,
            country_en=country_en,
            country_it=country_it,
            label_en=label_en,
            label_it=f"Regione di {name}",
            places=[slug],
            cities=[],
        )
        for _ in range(self.plan.cities_per_region):
            city = self.unique_label(self.place_name())
            city_slug = self.unique_slug("place", slugify(city))
            lat = self.rng.uniform(-60, 70)
            lon = self.rng.uniform(-170, 170)
            self.out.block(
                f"place:{city_slug}",
                "eco:City",
                [
                    ("rdfs:label", lit(city, "en")),
                    ("rdfs:label", lit(city, "it")),
                    ("eco:directlyWithin", f"place:{slug}"),
                    ("geo:lat", lit(f"{lat:.4f}", dt="xsd:decimal")),
                    ("geo:long", lit(f"{lon:.4f}", dt="xsd:decimal")),
                ],
            )
            region.places.append(city_slug)
            region.cities.append((city_slug, city))
        self.regions.append(region)

    def pick_region(self, avoid_country: str | None = None) -> int:
        while True:
            index = self.rng.choices(range(len(self.regions)), weights=self.region_weights)[0]
            if self.regions[index].country_slug != avoid_country:
                return index

    # ----------------------------------------------------------------------------- pieces

    def quote(self, article: Article, text: str, about: str) -> str:
        """A verbatim quote: a sentence of the article's text, and its evidence node."""
        local = f"{article.slug[:3]}-a{article.number}-{len(article.quotes) + 1}"
        article.quotes.append((local, text))
        article.sentences.append(text)
        self.out.block(
            f"evidence:{local}",
            "eco:Evidence",
            [
                (
                    "rdfs:label",
                    lit(f"Evidenza {article.number}-{len(article.quotes)}: {about}", "it"),
                ),
                ("eco:quote", lit(text)),
                ("prov:wasQuotedFrom", article.source),
            ],
        )
        return f"evidence:{local}"

    def sector(self) -> tuple[str, str, str]:
        return self.rng.choice(self.sectors)

    def date(self, year: int | None = None) -> tuple[int, int, int]:
        y = year if year is not None else self.rng.randint(2014, 2027)
        return y, self.rng.randint(1, 12), self.rng.randint(1, 28)

    @staticmethod
    def status(start: tuple[int, int, int], end: tuple[int, int, int], rng: random.Random) -> str:
        if end < TODAY:
            return "status:completed"
        if start <= TODAY:
            return "status:ongoing"
        return "status:planned" if rng.random() < 0.7 else "status:under-consideration"

    def organisation(self, article: Article, region_index: int, kind: str | None = None) -> int:
        """A new organisation of ``kind`` (drawn by weight if None) located in the region."""
        rng = self.rng
        region = self.regions[region_index]
        if kind is None:
            kind = rng.choices([k for k, _ in ORG_KINDS], weights=[w for _, w in ORG_KINDS])[0]
        brand = self.brand()
        sector_slug, sector_en, sector_it = self.sector()
        label_it: str | None
        label_en: str | None
        if kind == "Company":
            desc_en, _, sector_slug = rng.choice(vocab.DESCRIPTORS)
            _, sector_en, sector_it = self.sector_labels[sector_slug]
            form = vocab.LEGAL_FORMS.get(region.country_slug.upper(), "Ltd.")
            label_en, label_it = f"{brand} {desc_en} {form}", None
            slug = slugify(f"{brand} {desc_en}")
        elif kind == "Cluster":
            label_it = f"Cluster {brand} {sector_it}"
            label_en = f"{brand} {sector_en} Cluster"
            slug = slugify(f"{brand} cluster")
        elif kind in {"SciencePark", "InnovationDistrict"}:
            word_en = "Science Park" if kind == "SciencePark" else "Innovation District"
            word_it = "Parco Scientifico" if kind == "SciencePark" else "Distretto dell'Innovazione"
            label_en, label_it = f"{brand} {word_en}", f"{word_it} {brand}"
            slug = slugify(label_en)
        elif kind == "University":
            label_en, label_it = f"University of {brand}", f"Università di {brand}"
            slug = slugify(label_en)
        elif kind == "ResearchInstitute":
            field_en, field_it = rng.choice(vocab.FIELDS)
            label_en = f"{brand} Institute of {field_en}"
            label_it = f"Istituto {brand} di {field_it}"
            slug = slugify(f"{brand} institute")
        elif kind == "CompetenceCentre":
            label_en, label_it = f"{brand} Competence Centre", f"Centro di Competenza {brand}"
            slug = slugify(label_en)
        elif kind == "RegionalGovernment":
            label_en = f"Government of {region.label_en}"
            label_it = region.label_it
            if not label_it.startswith("Regione"):
                label_it = f"Regione {label_it}"
            slug = slugify(f"government {region.slug}")
        else:
            words = {
                "Incubator": ("Incubator", "Incubatore"),
                "Foundation": ("Foundation", "Fondazione"),
                "BusinessAssociation": ("Business Association", "Associazione Imprese"),
                "DevelopmentAgency": ("Development Agency", "Agenzia di Sviluppo"),
            }[kind]
            label_en, label_it = f"{brand} {words[0]}", f"{words[1]} {brand}"
            slug = slugify(label_en)
        slug = self.unique_slug("org", slug)
        pairs: Pairs = []
        shown = ""
        for text, lang in ((label_it, "it"), (label_en, "en")):
            if text is not None:
                text = self.unique_label(text)
                shown = shown or text
                pairs.append(("rdfs:label", lit(text, lang)))
        place = rng.choice(region.places) if kind != "RegionalGovernment" else region.slug
        pairs.append(("eco:locatedIn", f"place:{place}"))
        if kind != "RegionalGovernment":
            pairs.append(("eco:sector", f"sector:{sector_slug}"))
            if rng.random() < 0.3:
                pairs.append(("eco:sector", f"sector:{self.sector()[0]}"))
        if kind in {"Cluster", "University", "ResearchInstitute"}:
            acronym = "".join(w[0] for w in (label_en or shown).split() if w[0].isupper())
            pairs.append(("eco:acronym", lit(acronym)))
        if rng.random() < 0.3:
            pairs.append(
                ("dcterms:description", lit(f"{shown}, attivo nel settore {sector_it}.", "it"))
            )
        if kind not in {"Cluster", "RegionalGovernment"} and region.clusters and rng.random() < 0.4:
            cluster = rng.choice(region.clusters)
            pairs.append(("eco:memberOf", f"o:{self.org_slug[cluster]}"))
            self.stats["cluster"][self.org_slug[cluster]] += kind in RESEARCH_KINDS
        if kind == "Cluster" and region.research:
            for body in sorted(set(rng.sample(region.research, min(2, len(region.research))))):
                pairs.append(("eco:associatedResearchBody", f"o:{self.org_slug[body]}"))
                self.stats["cluster"][slug] += 1
        if rng.random() < 0.5 or kind == "RegionalGovernment":
            city = dict(region.cities).get(place, region.label_en)
            text = f"{shown}, con sede a {city}, opera nel settore {sector_it}."
            pairs.append(("eco:evidence", self.quote(article, text, shown)))
        pairs.append(("prov:wasDerivedFrom", article.source))
        self.out.block(f"o:{slug}", f"eco:{kind}", pairs)
        index = len(self.org_slug)
        self.org_slug.append(slug)
        self.org_label.append(shown)
        self.org_kind.append(kind)
        self.org_region.append(region_index)
        region.orgs.append(index)
        if kind == "Cluster":
            region.clusters.append(index)
        if kind in RESEARCH_KINDS:
            region.research.append(index)
        if kind in {"SciencePark", "InnovationDistrict", "University"}:
            region.hosts.append(index)
        self.stats["region"][region.slug] += 1
        return index

    def actors(self, article: Article, region_index: int, count: int) -> list[int]:
        """``count`` organisations of a region: existing ones when there are, else new ones."""
        region = self.regions[region_index]
        chosen: list[int] = []
        for _ in range(count):
            if len(region.orgs) > 3 and self.rng.random() < 0.6:
                candidate = self.rng.choice(region.orgs)
                if candidate not in chosen:
                    chosen.append(candidate)
                    continue
            chosen.append(self.organisation(article, region_index))
        return chosen

    def person_with_role(self, article: Article, org: int) -> str:
        """A new person holding a role in ``org``; returns the person's prefixed name."""
        name = self.unique_label(self.person_name())
        slug = self.unique_slug("person", slugify(name))
        role_type = self.rng.choice(ROLE_TYPES_USED)
        self._role(article, slug, name, org, role_type, new_person=True)
        return f"person:{slug}"

    def _role(
        self, article: Article, person: str, name: str, org: int, role_type: str, new_person: bool
    ) -> None:
        org_label = self.org_label[org]
        words = f"{vocab.ROLE_WORDS[role_type]} di {org_label}"
        text = f"{name}, {words}, ha illustrato le prospettive della collaborazione."
        evidence = self.quote(article, text, f"{name}, {words}")
        if new_person:
            self.out.block(
                f"person:{person}",
                "eco:Person",
                [
                    ("rdfs:label", lit(name, "it")),
                    ("eco:evidence", evidence),
                    ("prov:wasDerivedFrom", article.source),
                ],
            )
            self.person_slug.append(person)
            self.person_label.append(name)
        role = self.unique_slug("role", _role_slug(person, role_type, self.org_slug[org]))
        pairs: Pairs = [
            ("rdfs:label", lit(self.unique_label(f"{name}, {words}"), "it")),
            ("eco:holder", f"person:{person}"),
            ("eco:inOrganisation", f"o:{self.org_slug[org]}"),
            ("eco:roleType", f"roletype:{role_type}"),
            ("eco:roleLabel", lit(words, "it")),
        ]
        if self.rng.random() < 0.4:
            start = self.rng.randint(2008, 2023)
            pairs.append(("eco:startDate", lit(str(start), dt="xsd:gYear")))
            if self.rng.random() < 0.3:
                end = start + self.rng.randint(1, 5)
                pairs.append(("eco:endDate", lit(str(end), dt="xsd:gYear")))
        pairs += [("eco:evidence", evidence), ("prov:wasDerivedFrom", article.source)]
        self.out.block(f"role:{role}", "eco:Role", pairs)
        self.stats["person"][person] += 1

    def extra_role(self, article: Article, org: int) -> None:
        """An existing person takes a new post: people are shared between articles."""
        if not self.person_slug:
            return
        index = self.rng.randrange(len(self.person_slug))
        person, name = self.person_slug[index], self.person_label[index]
        role_type = self.rng.choice(ROLE_TYPES_USED)
        if f"role/{_role_slug(person, role_type, self.org_slug[org])}" in self.slugs_used:
            return
        self._role(article, person, name, org, role_type, new_person=False)

    def funding(self, article: Article, region_index: int) -> None:
        """The region's government and its programme with two axes (once per region)."""
        region = self.regions[region_index]
        if region.programme is not None:
            return
        gov = self.organisation(article, region_index, "RegionalGovernment")
        region.government = gov
        slug = self.unique_slug("programme", f"pr-fesr-{region.slug}-2021-2027")
        label = self.unique_label(f"Programma Regionale FESR {region.label_en} 2021-2027")
        text = f"Il {label} è finanziato da {self.org_label[gov]} con risorse del FESR."
        evidence = self.quote(article, text, label)
        axes = [f"programme:{slug}-axis-{n}" for n in (1, 2)]
        self.out.block(
            f"programme:{slug}",
            "eco:FundingProgramme",
            [
                ("rdfs:label", lit(label, "it")),
                ("eco:acronym", lit("PR FESR")),
                ("eco:funder", f"o:{self.org_slug[gov]}"),
                ("eco:fundSource", "fund:erdf"),
                ("eco:startDate", lit("2021", dt="xsd:gYear")),
                ("eco:endDate", lit("2027", dt="xsd:gYear")),
                ("eco:hasAxis", axes[0]),
                ("eco:hasAxis", axes[1]),
                ("eco:evidence", evidence),
                ("prov:wasDerivedFrom", article.source),
            ],
        )
        for n, (axis, (_, sector_en, sector_it)) in enumerate(
            zip(axes, (self.sector(), self.sector()), strict=True), start=1
        ):
            self.out.block(
                axis,
                "eco:ProgrammeAxis",
                [
                    (
                        "rdfs:label",
                        lit(self.unique_label(f"{label} – Asse {n} – {sector_it}"), "it"),
                    ),
                    (
                        "rdfs:label",
                        lit(self.unique_label(f"{label}, Axis {n} – {sector_en}"), "en"),
                    ),
                    ("eco:axisOf", f"programme:{slug}"),
                    ("prov:wasDerivedFrom", article.source),
                ],
            )
        region.programme = f"programme:{slug}"
        region.axes = axes

    # ----------------------------------------------------------------------------- articles

    def article(self, number: int) -> None:
        """One synthetic article: its facts, their quotes, the source node and its text file."""
        rng = self.rng
        digest = hashlib.sha256(f"{self.plan.seed}:{number}".encode()).hexdigest()[:16]
        slug = f"{number % 1000:03d}-{digest}"
        year, month, day = self.date()
        local = f"data/sources/{slug.replace('-', '_')}.txt"
        article = Article(number, slug, local, year, month, day)
        home = self.pick_region()
        away = self.pick_region(avoid_country=self.regions[home].country_slug)
        if rng.random() < 0.5:
            self.funding(article, home)
        ours = self.actors(article, home, rng.randint(2, 4))
        theirs = self.actors(article, away, rng.randint(1, 3))
        people = [self.person_with_role(article, org) for org in ours[: rng.randint(1, 2)]]
        if rng.random() < 0.3:
            self.person_with_role(article, rng.choice(theirs))
        if rng.random() < 0.25:
            self.extra_role(article, rng.choice(ours + theirs))
        self.stats["pair"][
            "--".join(sorted((self.regions[home].slug, self.regions[away].slug)))
        ] += 1
        roll = rng.random()
        if roll < 0.4:
            main, title = self.mission(article, home, away, ours, theirs, people)
        elif roll < 0.75:
            main, title = self.event(article, home, away, ours, theirs)
        else:
            main, title = self.project(article, home, away, ours, theirs)
        if rng.random() < 0.4:
            self.agreement(article, home, away, ours, theirs, main)
        if rng.random() < 0.01:
            self.designation(article, away)
        self.source(article, title)

    def _dates(
        self, start_year: int | None = None, days: int = 4
    ) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        start = self.date(start_year)
        end_day = min(28, start[2] + self.rng.randint(0, days))
        return start, (start[0], start[1], end_day)

    def mission(
        self,
        article: Article,
        home: int,
        away: int,
        ours: list[int],
        theirs: list[int],
        people: list[str],
    ) -> tuple[str, str]:
        rng = self.rng
        a, b = self.regions[home], self.regions[away]
        city_slug, city = rng.choice(b.cities)
        lead = ours[0]
        start, end = self._dates()
        status = self.status(start, end, rng)
        kind = "DelegationVisit" if rng.random() < 0.2 else "Mission"
        month = vocab.MONTHS_IT[start[1] - 1]
        label = self.unique_label(
            f"Missione di {self.org_label[lead]} a {city} ({month} {start[0]})"
        )
        slug = self.unique_slug("mission", slugify(f"{self.org_slug[lead]} {city} {start[0]}"))
        members = " e ".join(self.org_label[o] for o in ours[:3])
        text = (
            f"Dal {start[2]} al {end[2]} {month} {start[0]} una delegazione composta da {members} "
            f"si è recata a {city}, in {b.country_it}."
        )
        evidences = [self.quote(article, text, label)]
        sector_slug, _, sector_it = self.sector()
        objective = f"rafforzare la cooperazione nel settore {sector_it} con le imprese di {city}"
        evidences.append(
            self.quote(article, f"L'obiettivo della missione è {objective}.", f"obiettivo: {label}")
        )
        pairs: Pairs = [("rdfs:label", lit(label, "it"))]
        pairs.append(("eco:origin", f"place:{rng.choice(a.places)}"))
        pairs.append(("eco:destination", f"place:{city_slug}"))
        pairs += [("eco:delegationMember", f"o:{self.org_slug[o]}") for o in ours[:3]]
        if people:
            pairs.append(("eco:leader", people[0]))
        pairs += [("eco:metWith", f"o:{self.org_slug[o]}") for o in theirs[1:]]
        pairs.append(("eco:host", f"o:{self.org_slug[theirs[0]]}"))
        if b.hosts:
            pairs.append(("eco:visited", f"o:{self.org_slug[rng.choice(b.hosts)]}"))
        if a.clusters:
            pairs.append(("eco:organiser", f"o:{self.org_slug[rng.choice(a.clusters)]}"))
        pairs += [
            ("eco:startDate", date_lit(*start)),
            ("eco:endDate", date_lit(*end)),
            ("eco:status", status),
            ("eco:sector", f"sector:{sector_slug}"),
            ("eco:objective", lit(objective, "it")),
        ]
        if a.axes and rng.random() < 0.6:
            axis = rng.choice(a.axes)
            pairs.append(("eco:fundedBy", axis))
            self.stats["programme"][a.programme or ""] += 1
        pairs += [("eco:evidence", e) for e in evidences]
        pairs.append(("prov:wasDerivedFrom", article.source))
        self.out.block(f"mission:{slug}", f"eco:{kind}", pairs)
        if rng.random() < 0.5:
            b2b = self.unique_slug("event", f"{slug}-b2b")
            text = (
                f"A {city} si sono svolti incontri B2B tra le imprese della delegazione e "
                f"{self.org_label[theirs[0]]}."
            )
            meeting_label = self.unique_label(f"Incontri B2B a {city}: {label}")
            self.out.block(
                f"event:{b2b}",
                "eco:B2BMeeting",
                [
                    ("rdfs:label", lit(meeting_label, "it")),
                    ("eco:partOfActivity", f"mission:{slug}"),
                    ("eco:venue", f"place:{city_slug}"),
                    *[("eco:participant", f"o:{self.org_slug[o]}") for o in (*ours[:2], theirs[0])],
                    ("eco:date", date_lit(*start)),
                    ("eco:status", status),
                    ("eco:sector", f"sector:{self.sector()[0]}"),
                    ("eco:evidence", self.quote(article, text, meeting_label)),
                    ("prov:wasDerivedFrom", article.source),
                ],
            )
        if rng.random() < 0.3:
            self.figure(article, f"mission:{slug}", label, away, "participant")
        return f"mission:{slug}", f"{label}: {members} a {city}"

    def event(
        self, article: Article, home: int, away: int, ours: list[int], theirs: list[int]
    ) -> tuple[str, str]:
        rng = self.rng
        kind, word_en, word_it = rng.choice(EVENT_KINDS)
        region = self.regions[rng.choice((home, away))]
        city_slug, city = rng.choice(region.cities)
        start, end = self._dates(days=3)
        brand = self.brand()
        label_en = self.unique_label(f"{brand} {word_en} {start[0]}")
        label_it = self.unique_label(f"{word_it} {brand} {start[0]}")
        slug = self.unique_slug("event", slugify(label_en))
        organiser = ours[0]
        participants = [*ours[1:], *theirs]
        month = vocab.MONTHS_IT[start[1] - 1]
        text = (
            f"Il {label_it}, organizzato da {self.org_label[organiser]}, si è tenuto a {city} "
            f"dal {start[2]} al {end[2]} {month} con la partecipazione di "
            f"{', '.join(self.org_label[o] for o in participants)}."
        )
        sector_slug = self.sector()[0]
        pairs: Pairs = [
            ("rdfs:label", lit(label_en, "en")),
            ("rdfs:label", lit(label_it, "it")),
            ("eco:venue", f"place:{city_slug}"),
            ("eco:organiser", f"o:{self.org_slug[organiser]}"),
            *[("eco:participant", f"o:{self.org_slug[o]}") for o in participants],
        ]
        if start == end:
            pairs.append(("eco:date", date_lit(*start)))
        else:
            pairs += [("eco:startDate", date_lit(*start)), ("eco:endDate", date_lit(*end))]
        pairs += [
            ("eco:status", self.status(start, end, rng)),
            ("eco:sector", f"sector:{sector_slug}"),
        ]
        if rng.random() < 0.25:
            pairs.append(("eco:policyFramework", f"policy:{rng.choice(self.policies)[0]}"))
        pairs.append(("eco:evidence", self.quote(article, text, label_it)))
        pairs.append(("prov:wasDerivedFrom", article.source))
        self.out.block(f"event:{slug}", f"eco:{kind}", pairs)
        if rng.random() < 0.5:
            self.figure(article, f"event:{slug}", label_it, away, "company")
            self.stats["event"][f"{ID}event/{slug}"] += 1
        return f"event:{slug}", text.split(",")[0]

    def project(
        self, article: Article, home: int, away: int, ours: list[int], theirs: list[int]
    ) -> tuple[str, str]:
        rng = self.rng
        a, b = self.regions[home], self.regions[away]
        brand = self.brand().upper()
        sector_slug, sector_en, sector_it = self.sector()
        start_year = rng.randint(2014, 2026)
        end_year = start_year + rng.randint(1, 4)
        label_en = self.unique_label(f"{brand} – {sector_en} cooperation project")
        label_it = self.unique_label(f"Progetto {brand}: cooperazione nel settore {sector_it}")
        slug = self.unique_slug("project", slugify(brand))
        partners = [*ours, *theirs]
        text = (
            f"Il progetto {brand}, avviato nel {start_year} e della durata di "
            f"{end_year - start_year} anni, riunisce "
            f"{', '.join(self.org_label[o] for o in partners)}."
        )
        pairs: Pairs = [
            ("rdfs:label", lit(label_en, "en")),
            ("rdfs:label", lit(label_it, "it")),
            ("eco:acronym", lit(brand)),
            *[("eco:partner", f"o:{self.org_slug[o]}") for o in partners],
            ("eco:partnerRegion", f"place:{a.slug}"),
            ("eco:partnerRegion", f"place:{b.slug}"),
            ("eco:startDate", lit(str(start_year), dt="xsd:gYear")),
            ("eco:endDate", lit(str(end_year), dt="xsd:gYear")),
            ("eco:status", self.status((start_year, 1, 1), (end_year, 12, 31), rng)),
            ("eco:sector", f"sector:{sector_slug}"),
        ]
        if a.government is not None:
            pairs.append(("eco:funder", f"o:{self.org_slug[a.government]}"))
        if a.programme is not None and rng.random() < 0.7:
            pairs.append(("eco:fundedBy", a.programme))
            self.stats["programme"][a.programme] += 1
        pairs.append(("eco:evidence", self.quote(article, text, label_it)))
        pairs.append(("prov:wasDerivedFrom", article.source))
        self.out.block(f"project:{slug}", "eco:Project", pairs)
        return f"project:{slug}", f"{label_it} ({start_year}-{end_year})"

    def agreement(
        self, article: Article, home: int, away: int, ours: list[int], theirs: list[int], main: str
    ) -> None:
        rng = self.rng
        kind, short, word_it = rng.choice(AGREEMENT_KINDS)
        x, y = ours[0], theirs[0]
        city_slug, city = rng.choice(self.regions[rng.choice((home, away))].cities)
        signed = self.date()
        label = self.unique_label(f"{word_it} tra {self.org_label[x]} e {self.org_label[y]}")
        slug = self.unique_slug(
            "agreement", f"{self.org_slug[x]}-{self.org_slug[y]}-{short}"[:120].strip("-")
        )
        month = vocab.MONTHS_IT[signed[1] - 1]
        text = (
            f"Il {signed[2]} {month} {signed[0]} a {city} {self.org_label[x]} e "
            f"{self.org_label[y]} hanno firmato un {word_it.lower()}."
        )
        status = "status:completed" if signed < TODAY else "status:planned"
        pairs: Pairs = [
            ("rdfs:label", lit(label, "it")),
            ("eco:party", f"o:{self.org_slug[x]}"),
            ("eco:party", f"o:{self.org_slug[y]}"),
            ("eco:status", status),
        ]
        if status == "status:completed":
            pairs.append(("eco:signedDate", date_lit(*signed)))
        pairs.append(("eco:signedAt", f"place:{city_slug}"))
        if not main.startswith("project:"):
            pairs.append(("eco:signedDuring", main))
        if rng.random() < 0.3:
            pairs.append(("eco:policyFramework", f"policy:{rng.choice(self.policies)[0]}"))
        pairs.append(("eco:evidence", self.quote(article, text, label)))
        pairs.append(("prov:wasDerivedFrom", article.source))
        self.out.block(f"agreement:{slug}", f"eco:{kind}", pairs)

    def figure(self, article: Article, about: str, about_label: str, away: int, kind: str) -> None:
        rng = self.rng
        region = self.regions[away]
        value = rng.randint(3, 400)
        lower = rng.random() < 0.5
        words = {"company": "aziende", "participant": "partecipanti"}[kind]
        said = f"{'oltre ' if lower else ''}{value} {words} provenienti da {region.country_it}"
        text = f"All'iniziativa hanno preso parte {said}."
        slug = self.unique_slug("figure", f"{about.split(':', 1)[1]}-{kind}-{region.country_slug}")
        pairs: Pairs = [
            ("rdfs:label", lit(self.unique_label(f"{about_label}: {said}"), "it")),
            ("eco:figureLabel", lit(said, "it")),
            ("eco:value", lit(str(value), dt="xsd:integer")),
            ("eco:isLowerBound", lit("true" if lower else "false", dt="xsd:boolean")),
            ("eco:countOf", f"kind:{kind}"),
            ("eco:figureAbout", about),
            ("eco:figureCountry", f"place:{region.country_slug}"),
            ("eco:evidence", self.quote(article, text, said)),
            ("prov:wasDerivedFrom", article.source),
        ]
        self.out.block(f"figure:{slug}", "eco:Figure", pairs)

    def designation(self, article: Article, away: int) -> None:
        region = self.regions[away]
        city_slug, city = self.rng.choice(region.cities)
        year = self.rng.randint(2010, 2030)
        slug = self.unique_slug("designation", f"{city_slug}-european-capital-of-culture-{year}")
        awarded = year < TODAY[0]
        text = (
            f"{city} {'è stata' if awarded else 'è candidata a'} Capitale europea della Cultura "
            f"{year}."
        )
        self.out.block(
            f"designation:{slug}",
            "eco:Designation",
            [
                (
                    "rdfs:label",
                    lit(self.unique_label(f"{city}, Capitale europea della Cultura {year}"), "it"),
                ),
                ("eco:designatedPlace", f"place:{city_slug}"),
                ("eco:designationScheme", "policy:european-capital-of-culture"),
                ("eco:designationYear", lit(str(year), dt="xsd:gYear")),
                ("eco:status", "status:awarded" if awarded else "status:candidate"),
                ("eco:evidence", self.quote(article, text, city)),
                ("prov:wasDerivedFrom", article.source),
            ],
        )

    def source(self, article: Article, title: str) -> None:
        """The source node, and its text file holding every quote verbatim between fillers;
        the node gives the file's media type and the SHA-256 of its bytes, as the real ones do."""
        rng = self.rng
        publisher = rng.choice(vocab.PUBLISHERS)
        issued = (article.year, article.month, article.day)
        month = vocab.MONTHS_IT[article.month - 1]
        paragraphs = [title, f"{publisher}, {article.day} {month} {article.year}"]
        body: list[str] = []
        for sentence in article.sentences:
            body.append(sentence)
            if rng.random() < 0.5:
                body.append(rng.choice(vocab.FILLER))
        paragraphs += [" ".join(body[i : i + 4]) for i in range(0, len(body), 4)]
        data = ("\n\n".join(paragraphs) + "\n").encode("utf-8")
        name = article.local_file.rsplit("/", 1)[-1]
        (self.sources_dir / name).write_bytes(data)
        checksum = f"_:sha256-{article.number}"
        self.out.block(
            article.source,
            "eco:Source",
            [
                ("rdfs:label", lit(f"Synthetic article {article.number}", "en")),
                ("dcterms:title", lit(title, "it")),
                ("dcterms:language", lit("it", dt="xsd:language")),
                ("dcterms:identifier", lit(name[:-4])),
                ("dcterms:format", lit("text/plain")),
                ("dcat:mediaType", TEXT_PLAIN),
                ("spdx:checksum", checksum),
                ("dcterms:publisher", lit(publisher)),
                ("dcterms:issued", date_lit(*issued)),
                ("eco:localFile", lit(article.local_file)),
            ],
        )
        self.out.block(
            checksum,
            "spdx:Checksum",
            [
                ("spdx:algorithm", "spdx:checksumAlgorithm_sha256"),
                ("spdx:checksumValue", lit(hashlib.sha256(data).hexdigest(), dt="xsd:hexBinary")),
            ],
        )


def _role_slug(person: str, role_type: str, org: str) -> str:
    return f"{person}-{role_type}-{org}"[:120].strip("-")


def _roman(n: int) -> str:
    """Roman numerals, for the rare label that needs a "II" to stay unique."""
    out = []
    for value, numeral in _NUMERALS:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


_NUMERALS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _concepts(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """(slug, English label, Italian label) of each scheme's concepts, sorted by IRI."""
    graph = Graph().parse(path, format="turtle")
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for concept, scheme in sorted(graph.subject_objects(SKOS.inScheme)):
        labels = {
            lbl.language: str(lbl)
            for lbl in graph.objects(concept, SKOS.prefLabel)
            if isinstance(lbl, Literal)
        }
        slug = str(concept).rsplit("/", 1)[1]
        found[str(scheme).rsplit("/", 1)[1]].append(
            (slug, labels.get("en", slug), labels.get("it", labels.get("en", slug)))
        )
    return found


def _real_regions(path: Path) -> list[Region]:
    """The regions of data/geography.ttl with the places within them, in a fixed order."""
    graph = Graph().parse(path, format="turtle")

    def eco(name: str) -> URIRef:
        return URIRef(ECO + name)

    parent: dict[Node, Node] = dict(graph.subject_objects(eco("directlyWithin")))

    def label(node: Node, lang: str) -> str:
        for lbl in graph.objects(node, RDFS.label):
            if isinstance(lbl, Literal) and lbl.language == lang:
                return str(lbl)
        return str(node).rsplit("/", 1)[1]

    regions = []
    for region in sorted(graph.subjects(RDF.type, eco("Region")), key=_region_rank):
        country = parent[region]
        places = [str(region).rsplit("/", 1)[1]]
        cities = []
        for place in sorted(parent, key=str):
            node: Node | None = place
            while node is not None and node != region:
                node = parent.get(node)
            if node == region and place != region:
                places.append(str(place).rsplit("/", 1)[1])
                if (place, RDF.type, eco("City")) in graph:
                    cities.append((str(place).rsplit("/", 1)[1], label(place, "en")))
        if not cities:
            cities = [(places[0], label(region, "en"))]
        regions.append(
            Region(
                slug=places[0],
                country_slug=str(country).rsplit("/", 1)[1],
                country_en=label(country, "en"),
                country_it=label(country, "it"),
                label_en=label(region, "en"),
                label_it=label(region, "it"),
                places=places,
                cities=cities,
            )
        )
    return regions


def _region_rank(node: object) -> tuple[int, str]:
    """Italian regions first, Basilicata (it-77, the catalogue's default) at the top."""
    slug = str(node).rsplit("/", 1)[1]
    order = ("it-77", "it-21", "it-25", "it-45", "it-75", "cn-sh", "cn-js")
    return (order.index(slug) if slug in order else len(order), slug)


def _copy_project_files(out: Path) -> None:
    """The ontology, shapes, queries and context the output folder needs as a project root."""
    for folder, pattern in (
        ("ontology", "*.ttl"),
        ("shapes", "*.ttl"),
        ("queries", "*.rq"),
        ("context", "*.jsonld"),
    ):
        target = out / folder
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for path in sorted((ROOT / folder).glob(pattern)):
            shutil.copyfile(path, target / path.name)
    (out / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "data" / "geography.ttl", out / "data" / "geography.ttl")


def _query_params(world: World) -> dict[str, dict[str, str]]:
    """Bindings that make each parametrised catalogue query touch generated data."""

    def top(name: str) -> str | None:
        counts = world.stats[name]
        return max(sorted(counts), key=lambda k: counts[k]) if counts else None

    params: dict[str, dict[str, str]] = {}
    if region := top("region"):
        params["actors-of-region-by-kind"] = {"region": f"{ID}place/{region}"}
        params["region-links-by-partner-country"] = {"region": f"{ID}place/{region}"}
    if programme := top("programme"):
        params["activities-funded-by-programme"] = {
            "programme": f"{ID}programme/{programme.split(':', 1)[1]}"
        }
    if person := top("person"):
        params["person-roles"] = {"person": f"{ID}person/{person}"}
    if cluster := top("cluster"):
        params["research-bodies-of-cluster"] = {"cluster": f"{ID}org/{cluster}"}
    if event := top("event"):
        params["participation-by-country"] = {"event": event}
    if pair := top("pair"):
        params["provenance"] = {"entity": f"{ID}link/{pair}"}
    return params


def generate(
    out: Path, target: int, *, seed: int = 42, fmt: str = "ttl", quiet: bool = True
) -> dict[str, object]:
    """Write a project root with ~``target`` generated triples to ``out``; returns the manifest."""
    if fmt not in {"ttl", "nt"}:
        raise ValueError(f"format must be ttl or nt, not {fmt!r}")
    plan = Plan.for_target(target, seed)
    out.mkdir(parents=True, exist_ok=True)
    _copy_project_files(out)
    sources = out / "data" / "sources"
    if sources.exists():
        shutil.rmtree(sources)
    sources.mkdir(parents=True)
    for stale in (out / "data").glob("synthetic.*"):
        stale.unlink()
    data_file = out / "data" / f"synthetic.{fmt}"
    with data_file.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
        writer = Writer(stream, fmt)
        world = World(plan, writer, sources)
        world.geography()
        number = 0
        while writer.triples < target:
            world.article(number)
            number += 1
            if not quiet and number % 1000 == 0:
                print(f"  {number} articles, {writer.triples} triples", file=sys.stderr)
    digest = hashlib.sha256(data_file.read_bytes()).hexdigest()
    manifest: dict[str, object] = {
        "generator": "bench/generate.py",
        "seed": seed,
        "target_triples": target,
        "triples": writer.triples,
        "articles": number,
        "format": fmt,
        "data_file": data_file.relative_to(out).as_posix(),
        "sha256": digest,
        "plan": {
            "countries": plan.countries,
            "regions_per_country": plan.regions_per_country,
            "cities_per_region": plan.cities_per_region,
            "regions": len(world.regions),
        },
        "entities": dict(sorted(writer.by_class.items())),
        "query_params": _query_params(world),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def parse_scale(text: str) -> int:
    """A scale name (10k, 1m, …) or a plain number of triples."""
    key = text.strip().lower()
    if key in SCALES:
        return SCALES[key]
    return int(key.replace("_", ""))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="10k", help=f"{', '.join(SCALES)} or a triple count")
    parser.add_argument("--out", type=Path, help="output folder (default: bench/data/SCALE)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=("ttl", "nt"), default="ttl")
    args = parser.parse_args(argv)
    target = parse_scale(args.scale)
    out = args.out or ROOT / "bench" / "data" / args.scale.lower()
    manifest = generate(out, target, seed=args.seed, fmt=args.format, quiet=False)
    print(
        f"wrote {out}: {manifest['triples']} triples, {manifest['articles']} articles "
        f"(sha256 {str(manifest['sha256'])[:16]}…)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
