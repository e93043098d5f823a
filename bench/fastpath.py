"""A prototype of the build on Oxigraph, to put numbers on the proposals (not used by ecograph).

``python -m bench.fastpath measure --scale 1m`` runs every phase of the build with the data in
an Oxigraph store instead of rdflib graphs, and checks its output against ecograph's own
functions where that is affordable (``--check``):

- parse: ``Store.bulk_load`` per file into its named graph (Rust Turtle parser; syntax errors
  carry line and column), plus the lexical checks of typed literals as one SPARQL query;
- reason: the same rule tables as :mod:`ecograph.reasoning` (``Rules.from_graph``), applied
  as SPARQL updates until nothing new follows — checked equal to ``infer()``;
- derive: ecosystems and cross-border links from a few SELECTs and the same Python logic as
  :mod:`ecograph.derivation` — checked equal to ``derive()``;
- validate: the shapes compiled to set-based SPARQL (:mod:`bench.shacl_sparql`), and the
  declared-terms, dangling-IRI, quote and duplicate checks as queries plus linear Python;
- publish: ``Store.dump`` in every format and VoID counts from SPARQL aggregates, into a store
  that is already persisted (``serve --store`` opens it as it is).

``python -m bench.fastpath check-shacl`` compares the compiled shapes with pySHACL on every
valid and invalid example of ``tests/data/shapes``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from bench.generate import ROOT
from bench.shacl_sparql import Check, Compiler, focus_shapes, validate

ECO = "https://w3id.org/ecograph/ontology#"
ID = "https://w3id.org/ecograph/id/"
GRAPH = f"{ID}graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#"

TIMES: dict[str, float] = {}


@contextmanager
def timed(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started
    print(f"  {name}: {TIMES[name]:.2f} s", flush=True)


def rows(store: ox.Store, query: str) -> list[Any]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


# ------------------------------------------------------------------------------ parse


def load(store: ox.Store, root: Path) -> dict[str, list[Path]]:
    """Every file into its named graph, as ``Build.named_graphs`` names them."""
    files = {
        "ontology": sorted((root / "ontology").glob("*.ttl")),
        "shapes": sorted((root / "shapes").glob("*.ttl")),
        "data": sorted((root / "data").rglob("*.ttl")),
    }
    for kind, paths in files.items():
        for path in paths:
            name = path.stem if kind != "data" else path.relative_to(root / "data").with_suffix("")
            graph = ox.NamedNode(f"{GRAPH}{kind}/{Path(name).as_posix()}")
            store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
    return files


ILL_TYPED = f"""
SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER (isLiteral(?o))
  BIND (datatype(?o) AS ?t)
  FILTER (
    (?t = <{XSD}date> && !regex(str(?o), "^-?[0-9]{{4,}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9][0-9]:[0-9][0-9])?$"))
 || (?t = <{XSD}gYear> && !regex(str(?o), "^-?[0-9]{{4,}}(Z|[+-][0-9][0-9]:[0-9][0-9])?$"))
 || (?t = <{XSD}gYearMonth> && !regex(str(?o), "^-?[0-9]{{4,}}-(0[1-9]|1[0-2])(Z|[+-][0-9][0-9]:[0-9][0-9])?$"))
 || (?t = <{XSD}gMonthDay> && !regex(str(?o), "^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9][0-9]:[0-9][0-9])?$"))
 || (?t = <{XSD}integer> && !regex(str(?o), "^[+-]?[0-9]+$"))
 || (?t = <{XSD}decimal> && !regex(str(?o), "^[+-]?([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)$"))
 || (?t = <{XSD}boolean> && !(str(?o) IN ("true", "false", "1", "0")))
  )
}}"""  # noqa: E501 - regexes read best on one line


# ------------------------------------------------------------------------------ reason


def reason(store: ox.Store) -> int:
    """Materialise the entailments into graph/inferred; returns how many there are."""
    from ecograph.reasoning import Rules

    tbox = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        tbox.parse(path, format="turtle")
    rules = Rules.from_graph(tbox)

    # One update per rule and predicate (or class): each reads one index range, where a
    # VALUES table joined with ?s ?p ?o would scan every triple (10 s instead of 2.8 s at 100k).
    a = f"<{RDF_TYPE}>"
    updates = []
    for p, qs in sorted(rules.super_properties.items(), key=str):
        heads = " ".join(f"?s <{q}> ?o ." for q in sorted(qs, key=str))
        updates.append(f"INSERT {{ {heads} }} WHERE {{ ?s <{p}> ?o }}")
    for p, qs in sorted(rules.inverses.items(), key=str):
        heads = " ".join(f"?o <{q}> ?s ." for q in sorted(qs, key=str))
        updates.append(f"INSERT {{ {heads} }} WHERE {{ ?s <{p}> ?o FILTER (!isLiteral(?o)) }}")
    for p in sorted(rules.symmetric, key=str):
        updates.append(f"INSERT {{ ?o <{p}> ?s }} WHERE {{ ?s <{p}> ?o FILTER (!isLiteral(?o)) }}")
    for p in sorted(rules.transitive, key=str):
        updates.append(f"INSERT {{ ?x <{p}> ?z }} WHERE {{ ?x <{p}>+ ?z }}")
    for p, cs in sorted(rules.domains.items(), key=str):
        heads = " ".join(f"?s {a} <{c}> ." for c in sorted(cs, key=str))
        updates.append(f"INSERT {{ {heads} }} WHERE {{ ?s <{p}> ?o }}")
    for p, cs in sorted(rules.ranges.items(), key=str):
        heads = " ".join(f"?o {a} <{c}> ." for c in sorted(cs, key=str))
        updates.append(f"INSERT {{ {heads} }} WHERE {{ ?s <{p}> ?o FILTER (!isLiteral(?o)) }}")
    for c, ds in sorted(rules.super_classes.items(), key=str):
        heads = " ".join(f"?s {a} <{d}> ." for d in sorted(ds, key=str))
        updates.append(f"INSERT {{ {heads} }} WHERE {{ ?s {a} <{c}> }}")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def size() -> int:
        solutions = store.query(count)
        assert isinstance(solutions, ox.QuerySolutions)
        return int(next(iter(solutions))["n"].value)

    # Work in the default graph (a copy of the asserted union), then keep what is new.
    with timed("· reason: copy the asserted union"):
        store.update(
            "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER ("
            f"STRSTARTS(STR(?g), '{GRAPH}ontology/') || STRSTARTS(STR(?g), '{GRAPH}data/')) }}"
        )
    before, after = -1, size()
    rounds = 0
    while after != before:
        rounds += 1
        with timed(f"· reason: round {rounds}"):
            for update in updates:
                store.update(update)
        before, after = after, size()
    inferred = f"{GRAPH}inferred"
    with timed("· reason: keep what is new"):
        store.update(
            f"INSERT {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o "
            "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } FILTER (!isLiteral(?s)) }"
        )
        store.update("CLEAR DEFAULT")
    solutions = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }}"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


# ------------------------------------------------------------------------------ derive


def derive(store: ox.Store) -> int:
    """ecograph.derivation's ecosystems and links, from SELECTs over the reasoned union."""
    agent_links = [
        "participant",
        "delegationMember",
        "leader",
        "metWith",
        "host",
        "visited",
        "organiser",
        "partner",
        "party",
    ]
    place_links = ["origin", "destination", "venue", "partnerRegion", "signedAt"]
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows(
        store,
        f"SELECT ?s ?c WHERE {{ ?s <{RDF_TYPE}> ?c VALUES ?c {{ <{ECO}Place> <{ECO}Region> "
        f"<{ECO}Country> }} }}",
    ):
        types[row["s"].value].add(row["c"].value.rsplit("#", 1)[1])
    within: dict[str, list[str]] = defaultdict(list)
    for row in rows(store, f"SELECT ?s ?o WHERE {{ ?s <{ECO}within> ?o }} ORDER BY ?s ?o"):
        within[row["s"].value].append(row["o"].value)
    territory: dict[str, str | None] = {}

    def territory_of(place: str) -> str | None:
        if place not in territory:
            candidates = [place, *within.get(place, ())]
            found = next((c for c in candidates if "Region" in types[c]), None)
            found = found or next((c for c in candidates if "Country" in types[c]), None)
            territory[place] = found
        return territory[place]

    def country_of(t: str) -> str | None:
        if "Country" in types[t]:
            return t
        return next((p for p in within.get(t, ()) if "Country" in types[p]), None)

    seats: dict[str, list[str]] = defaultdict(list)
    for row in rows(
        store,
        f"SELECT ?a ?p WHERE {{ ?a <{ECO}locatedIn>|<{ECO}inEcosystemOf> ?p }}",
    ):
        seats[row["a"].value].append(row["p"].value)

    def territories_of(node: str) -> set[str]:
        places = [node] if "Place" in types[node] else seats.get(node, [])
        return {t for t in map(territory_of, places) if t is not None}

    actors: dict[str, set[str]] = defaultdict(set)
    for agent in seats:
        if "Place" in types[agent]:
            continue
        for t in territories_of(agent):
            actors[t].add(agent)
    props = " ".join(f"<{ECO}{p}>" for p in agent_links + place_links)
    involved: dict[str, set[str]] = defaultdict(set)
    for row in rows(
        store,
        f"SELECT DISTINCT ?item ?v WHERE {{ ?item <{RDF_TYPE}> ?c VALUES ?c {{ <{ECO}Activity> "
        f"<{ECO}Agreement> }} ?item ?p ?v VALUES ?p {{ {props} }} FILTER (isIRI(?v)) }}",
    ):
        involved[row["item"].value].add(row["v"].value)
    evidence: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, values in involved.items():
        ts: set[str] = set()
        for value in values:
            ts |= territories_of(value)
        for a in ts:
            for b in ts:
                ca, cb = country_of(a), country_of(b)
                if a < b and ca is not None and cb is not None and ca != cb:
                    evidence[(a, b)].add(item)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows(store, f"SELECT ?s ?l WHERE {{ ?s <{RDFS_LABEL}> ?l }}"):
        subject = row["s"].value
        if subject in types and row["l"].language:
            labels[subject][row["l"].language] = row["l"].value
    sources: dict[str, set[str]] = defaultdict(set)
    for row in rows(store, f"SELECT ?s ?o WHERE {{ ?s <{PROV}wasDerivedFrom> ?o }}"):
        if row["s"].value in involved:
            sources[row["s"].value].add(row["o"].value)

    def slug(iri: str) -> str:
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def label(node: str, lang: str) -> str:
        found = labels.get(node, {})
        return (
            found.get(lang)
            or found.get("en")
            or found.get("it")
            or next(iter(found.values()), slug(node))
        )

    def lit(text: str, lang: str) -> str:
        return json.dumps(text, ensure_ascii=False) + f"@{lang}"

    lines: list[str] = []
    eco = f"{ID}ecosystem/"
    for t in set(actors) | {t for pair in evidence for t in pair}:
        e = f"<{eco}{slug(t)}>"
        lines.append(f"{e} <{RDF_TYPE}> <{ECO}Ecosystem> .")
        lines.append(f"{e} <{ECO}territory> <{t}> .")
        lines.append(
            f"{e} <{RDFS_LABEL}> {lit('Innovation ecosystem of ' + label(t, 'en'), 'en')} ."
        )
        italian = "Ecosistema dell'innovazione: " + label(t, "it")
        lines.append(f"{e} <{RDFS_LABEL}> {lit(italian, 'it')} .")
        lines += [f"{e} <{ECO}actor> <{a}> ." for a in actors.get(t, ())]
    for (a, b), items in evidence.items():
        first, second = sorted((slug(a), slug(b)))
        link = f"<{ID}link/{first}--{second}>"
        lines.append(f"{link} <{RDF_TYPE}> <{ECO}CrossBorderLink> .")
        for t in (a, b):
            lines.append(f"{link} <{ECO}between> <{eco}{slug(t)}> .")
            country = country_of(t)
            if country is not None:
                lines.append(f"{link} <{ECO}linkCountry> <{country}> .")
        for lang in ("en", "it"):
            lines.append(
                f"{link} <{RDFS_LABEL}> {lit(label(a, lang) + ' – ' + label(b, lang), lang)} ."
            )
        for item in items:
            lines.append(f"{link} <{ECO}evidencedBy> <{item}> .")
            lines += [f"{link} <{PROV}wasDerivedFrom> <{s}> ." for s in sources.get(item, ())]
    store.load(
        "\n".join(lines).encode(),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(f"{GRAPH}derived"),
    )
    return len(set(lines))


# ------------------------------------------------------------------------------ validate


DISJOINT_SHAPE = "https://w3id.org/ecograph/shapes#DisjointClassesShape"


def presolve_disjointness(store: ox.Store, checks: list[Check]) -> list[Check]:
    """S03 as one query per pair of disjoint classes, the pairs read from the ontology first.

    The shape's own query joins the ontology's axioms with every instance in one pattern, which
    no engine orders well (2 s at 10k triples on Oxigraph, growing with instances × pairs).
    The axioms are TBox: solved once, they leave ``?this a A . ?this a B`` per pair, an index
    intersection.
    """
    owl = "http://www.w3.org/2002/07/owl#"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    pairs = rows(
        store,
        "SELECT DISTINCT ?a ?b WHERE {"
        f" {{ ?x a <{owl}AllDisjointClasses> ; <{owl}members> ?l ."
        f"   ?l <{rdf}rest>*/<{rdf}first> ?a , ?b . }}"
        f" UNION {{ ?a <{owl}disjointWith> ?b }} UNION {{ ?b <{owl}disjointWith> ?a }}"
        " FILTER (isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b)) }",
    )
    kept = [c for c in checks if not (c.shape == DISJOINT_SHAPE and "SPARQL" in c.component)]
    for row in pairs:
        a, b = row["a"], row["b"]
        if not isinstance(a, ox.NamedNode) or not isinstance(b, ox.NamedNode):
            continue
        query = f"SELECT DISTINCT ?this WHERE {{ ?this a <{a.value}> . ?this a <{b.value}> }}"
        kept.append(Check(DISJOINT_SHAPE, "SPARQLConstraintComponent", query))
    return kept


def _normalise(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", "", plain)


def other_checks(store: ox.Store, shared: Path) -> dict[str, int]:
    """ecograph's non-SHACL checks as queries and linear Python: counts of problems."""
    declared = (
        f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER (STRSTARTS(STR(?g), '{GRAPH}data/') || STRSTARTS(STR(?g), '{GRAPH}shapes/')) "
        f"VALUES ?k {{ 1 2 3 }} BIND (IF(?k = 1, ?s, IF(?k = 2, ?p, ?o)) AS ?t) "
        f"FILTER (isIRI(?t) && STRSTARTS(STR(?t), '{ECO}')) "
        "FILTER NOT EXISTS { GRAPH ?onto { ?t a ?type } "
        f"FILTER (STRSTARTS(STR(?onto), '{GRAPH}ontology/')) }} }}"
    )
    dangling = (
        f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER (isIRI(?o) && STRSTARTS(STR(?o), '{ID}')) "
        "FILTER NOT EXISTS { ?o ?anyP ?anyO } }"
    )
    counts = {
        "declared": len(rows(store, declared)),
        "dangling": len(rows(store, dangling)),
    }
    texts: dict[str, str | None] = {}
    bad_quotes = 0
    for row in rows(
        store,
        f"SELECT ?e ?q ?f WHERE {{ ?e <{ECO}quote> ?q ; <{PROV}wasQuotedFrom> ?src . "
        f"?src <{ECO}localFile> ?f }}",
    ):
        local = row["f"].value
        if local not in texts:
            path = shared / local
            texts[local] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = texts[local]
        bad_quotes += text is not None and row["q"].value not in text
    counts["quotes"] = bad_quotes
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows(
        store,
        f"SELECT ?s ?l ?c WHERE {{ GRAPH ?g {{ ?s <{RDFS_LABEL}> ?l . ?s <{RDF_TYPE}> ?c }} "
        f"FILTER (STRSTARTS(STR(?s), '{ID}') && STRSTARTS(STR(?c), '{ECO}')) }}",
    ):
        key = _normalise(row["l"].value)
        if key:
            groups[(row["c"].value, key)].add(row["s"].value)
    counts["duplicates"] = sum(1 for members in groups.values() if len(members) > 1)
    return counts


# ------------------------------------------------------------------------------ publish


def publish(store: ox.Store, out: Path) -> dict[str, int]:
    """Dumps in every format and the VoID numbers, from the store."""
    out.mkdir(parents=True, exist_ok=True)
    for graph in list(store.named_graphs()):  # the shapes are published as files, not data
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(f"{GRAPH}shapes/"):
            store.remove_graph(graph)
    for name, fmt in (("ecograph.nq", ox.RdfFormat.N_QUADS), ("ecograph.trig", ox.RdfFormat.TRIG)):
        with timed(f"· publish {name}"):
            store.dump(out / name, format=fmt)
    # The union graph, once, in the default graph: the triple formats are dumped from it.
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    for name, fmt in (
        ("ecograph.nt", ox.RdfFormat.N_TRIPLES),
        ("ecograph.ttl", ox.RdfFormat.TURTLE),
        ("ecograph.jsonld", ox.RdfFormat.JSON_LD),
    ):
        with timed(f"· publish {name}"):
            store.dump(out / name, format=fmt, from_graph=ox.DefaultGraph())
    void = {}
    started = time.perf_counter()
    for name, query in {
        "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
        "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
        "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
        "classPartitions": (
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF_TYPE}> ?c }} GROUP BY ?c"
        ),
        "propertyPartitions": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    }.items():
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        found = list(solutions)
        void[name] = int(found[0]["n"].value) if "Partitions" not in name else len(found)
    store.update("CLEAR DEFAULT")
    TIMES["· publish: VoID counts"] = time.perf_counter() - started
    return void


# ------------------------------------------------------------------------------ commands


def measure(root: Path, check: bool, keep: Path | None) -> dict[str, Any]:
    TIMES.clear()
    scratch = Path(tempfile.mkdtemp(prefix="fastpath-", dir=root))
    try:
        store = ox.Store()  # in memory: updates on RocksDB cost 3-20x more; persisted at the end
        with timed("parse"):
            load(store, root)
        with timed("parse"):
            bad = rows(store, ILL_TYPED)
        with timed("reason"):
            inferred = reason(store)
        with timed("derive"):
            derived = derive(store)
        shapes = Graph()
        for path in sorted((root / "shapes").glob("*.ttl")):
            shapes.parse(path, format="turtle")
        with timed("validate.shacl"):
            checks = presolve_disjointness(store, Compiler(shapes, closure=True).compile())
            violations = validate(store, checks, TIMES)
        with timed("validate.other"):
            others = other_checks(store, root)
        with timed("publish"):
            void = publish(store, scratch / "dist")
            with timed("· publish: persisted store"):
                persisted = ox.Store(str(scratch / "dist" / "store"))
                persisted.bulk_load(
                    path=scratch / "dist" / "ecograph.nq", format=ox.RdfFormat.N_QUADS
                )
                persisted.flush()
                del persisted
        result: dict[str, Any] = {
            "times": dict(TIMES),
            "total": sum(t for name, t in TIMES.items() if not name.startswith("·")),
            "ill_typed": len(bad),
            "inferred": inferred,
            "derived": derived,
            "violations": len(violations),
            "checks": len(checks),
            "other_checks": others,
            "void": void,
        }
        if violations:
            result["violation_sample"] = sorted(violations)[:10]
        if check:
            result["equal_to_ecograph"] = _compare_with_ecograph(root, store)
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(scratch / "dist", keep)
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _compare_with_ecograph(root: Path, store: ox.Store) -> dict[str, bool]:
    """The inferred and derived graphs equal those of ecograph's own functions."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    from ecograph.derivation import derive as eco_derive
    from ecograph.loading import parse_files
    from ecograph.reasoning import infer
    from ecograph.settings import Settings

    settings = Settings(root=root, shared_dir=root)
    tbox = Graph()
    asserted = Graph()
    for loaded in parse_files(settings.ontology_files):
        tbox += loaded.graph
        asserted += loaded.graph
    for loaded in parse_files(settings.data_paths):
        asserted += loaded.graph
    inferred = infer(asserted, tbox)
    derived = eco_derive(asserted + inferred)

    def as_rdflib(node: Any) -> Any:
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if node.language:
            return RLiteral(node.value, lang=node.language)
        if node.datatype.value == f"{XSD}string":
            return RLiteral(node.value)  # the same RDF 1.1 term as rdflib's plain literal
        return RLiteral(node.value, datatype=URIRef(node.datatype.value))

    def graph_of(name: str) -> set[tuple[Any, Any, Any]]:
        return {
            (as_rdflib(q.subject), as_rdflib(q.predicate), as_rdflib(q.object))
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(f"{GRAPH}{name}"))
        }

    def normal(triples: Any) -> set[tuple[str, str, str]]:
        return {(s.n3(), p.n3(), o.n3()) for s, p, o in triples}

    return {
        "inferred": normal(graph_of("inferred")) == normal(inferred),
        "derived": normal(graph_of("derived")) == normal(derived),
    }


def check_shacl() -> dict[str, Any]:
    """The compiled shapes against pySHACL on every example: same (focus, shape) pairs."""
    import pyshacl
    from rdflib.namespace import RDF, SH

    from ecograph import building
    from ecograph.settings import Settings

    vars(building)["check_shacl"] = lambda *a, **k: []  # pySHACL runs below, on its own
    settings = Settings(root=ROOT)
    shapes = Graph()
    for path in settings.shapes_files:
        shapes.parse(path, format="turtle")
    checks = Compiler(shapes).compile()
    fast_checks = Compiler(shapes, closure=True).compile()
    examples = sorted((ROOT / "tests" / "data" / "shapes").rglob("*.ttl"))
    mismatches: dict[str, Any] = {}
    for path in examples:
        result = building.build(settings, [path])
        data = result.union()
        _, report, _ = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
        expected = {
            (_focus(str(report.value(r, SH.focusNode))), str(report.value(r, SH.sourceShape)))
            for r in report.subjects(RDF.type, SH.ValidationResult)
        }
        store = ox.Store()
        store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        found = {(_focus(f), s) for f, s in focus_shapes(validate(store, checks))}
        fast = presolve_disjointness(store, fast_checks)
        found_fast = {(_focus(f), s) for f, s in focus_shapes(validate(store, fast))}
        for variant, got in (("plain", found), ("closure", found_fast)):
            if got != expected:
                mismatches[f"{path.name} ({variant})"] = {
                    "missing": sorted(expected - got),
                    "extra": sorted(got - expected),
                }
    return {"examples": len(examples), "checks": len(checks), "mismatches": mismatches}


def _focus(text: str) -> str:
    """Blank nodes are named differently by rdflib and Oxigraph: compare them as one."""
    return text if "://" in text else "_:blank"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=("measure", "check-shacl"))
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--check", action="store_true", help="compare with ecograph's functions")
    parser.add_argument("--keep", type=Path, help="keep the published files here")
    parser.add_argument("--out", type=Path, help="write the JSON result here")
    args = parser.parse_args(argv)
    run: Callable[[], dict[str, Any]]
    if args.command == "measure":
        root = args.data / args.scale

        def run() -> dict[str, Any]:
            return measure(root, args.check, args.keep)

    else:
        run = check_shacl
    result = run()
    text = json.dumps(result, indent=2, default=str)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
