"""The file a curator starts a new article from: ``data/articles/NNN-slug.ttl``.

It holds the house header (what the article is, what is modelled, the judgement calls), the
project's prefixes, and — as comments, since nothing is asserted yet — the entities of the
graph that the text names (to reuse their IRIs instead of minting duplicates), the names the
graph does not hold yet, and one evidence stub per name with its quote anchored in the text
(the sentence that holds it, with Web Annotation selectors), ready to uncomment and fill.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import Literal

from ecograph.curate.mentions import Mention, Unknown
from ecograph.curate.sources import NewSource, SourceFacts
from ecograph.rdf.anchoring import AmbiguousQuote, anchor, selector_at, sentence_around
from ecograph.rdf.namespaces import ECOID, PREFIXES
from ecograph.rdf.terms import ntriples
from ecograph.rdf.text import fold

RULE = "# " + "=" * 77
SECTION = "# " + "-" * 77
#: The prefixes every article declares (those of the house style, in its order).
ARTICLE_PREFIXES = {
    "eco": PREFIXES["eco"],
    "prov": PREFIXES["prov"],
    "rdfs": PREFIXES["rdfs"],
    "skos": PREFIXES["skos"],
    "xsd": PREFIXES["xsd"],
    "foaf": PREFIXES["foaf"],
    "dcterms": PREFIXES["dcterms"],
    "oa": "http://www.w3.org/ns/oa#",
    "o": f"{ECOID}org/",
    "person": f"{ECOID}person/",
    "place": f"{ECOID}place/",
    "mission": f"{ECOID}mission/",
    "event": f"{ECOID}event/",
    "project": f"{ECOID}project/",
    "agreement": f"{ECOID}agreement/",
    "programme": f"{ECOID}programme/",
    "role": f"{ECOID}role/",
    "evidence": f"{ECOID}evidence/",
    "source": f"{ECOID}source/",
    "sector": f"{ECOID}sector/",
    "policy": f"{ECOID}policy/",
    "roletype": f"{ECOID}role-type/",
    "status": f"{ECOID}status/",
    "fund": f"{ECOID}fund/",
}


def _short(iri: str) -> str:
    for prefix, namespace in sorted(ARTICLE_PREFIXES.items(), key=lambda p: -len(p[1])):
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and "/" not in local:
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _slug(words: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(words))[:5]) or "quote"


def evidence_stub(
    text: str, source: NewSource, sentence: tuple[int, int], name: str, node: str, language: str
) -> list[str]:
    """A commented ``eco:Evidence`` ``node`` quoting ``text[sentence]``, labelled ``name``."""
    begin, finish = sentence
    note = []
    try:
        found = anchor(text, text[begin:finish], start=begin)
    except AmbiguousQuote:  # the sentence recurs with the same context: the position decides
        found = selector_at(text, begin, text[begin:finish])
        note = ["# (this sentence occurs more than once: keep the position selector)"]
    lines = [
        f"{node} a eco:Evidence ;",
        f"    rdfs:label {ntriples(Literal(f'Evidence {source.number}: {name}', lang=language))} ;",
        f"    eco:quote {ntriples(Literal(found.exact))} ;",
        f"    prov:wasQuotedFrom source:{source.iri_name} ;",
        f"    oa:hasSource source:{source.iri_name} ;",
        "    oa:hasSelector [",
        "        a oa:TextQuoteSelector ;",
        f"        oa:exact {ntriples(Literal(found.exact))} ;",
        f"        oa:prefix {ntriples(Literal(found.prefix))} ;",
        f"        oa:suffix {ntriples(Literal(found.suffix))}",
        "    ] , [",
        "        a oa:TextPositionSelector ;",
        f"        oa:start {found.start} ;",
        f"        oa:end {found.end}",
        "    ] .",
    ]
    return note + ["# " + line for line in lines]


def render(
    source: NewSource,
    facts: SourceFacts,
    text: str,
    mentions: Sequence[Mention],
    unknowns: Sequence[Unknown],
) -> str:
    """The whole new article file."""
    given = ", ".join(
        part
        for part in (
            facts.publisher,
            facts.date and f"dated {facts.date}",
            f"language {facts.language}",
        )
        if part
    )
    out = [
        RULE,
        f"# ecograph instance data — article {source.number}",
        f"# Source: {source.text_path.as_posix()}",
        f"#   {facts.title}",
        f"#   ({given}). Source node: source:{source.iri_name}",
        "#   (described in data/sources.ttl).",
        "#",
        "# What is modelled",
        "#   - (to write: the activities, agreements, organisations and people the",
        "#     article reports, each with prov:wasDerivedFrom and eco:evidence)",
        "#",
        "# Judgement calls (what is NOT asserted, and why)",
        "#   - (to write)",
        RULE,
        "",
        *(f"@prefix {p + ':':<10} <{iri}> ." for p, iri in ARTICLE_PREFIXES.items()),
        "",
        SECTION,
        "# Entities of the graph that the text names: reuse these IRIs.",
        "# (positions are code points of the text, end exclusive; found by `ecograph mentions`)",
        SECTION,
        "",
    ]
    if not mentions:
        out.append("# (none)")
    by_entity: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_entity.setdefault(mention.iri, []).append(mention)
    for iri, found in by_entity.items():
        spans = ", ".join(f"[{m.start}, {m.end})" for m in found[:6])
        more = f" and {len(found) - 6} more" if len(found) > 6 else ""
        written = sorted({m.text for m in found})
        out.append(f"# {_short(iri)} ({found[0].kind}): {' / '.join(written)} at {spans}{more}")
    out += [
        "",
        SECTION,
        "# Names the graph does not hold yet: a new entity, a variant of a known one",
        "# (add it as skos:altLabel), or not a name at all. Decide, then delete the line.",
        SECTION,
        "",
    ]
    if not unknowns:
        out.append("# (none)")
    by_name: dict[str, list[Unknown]] = {}
    for unknown in unknowns:
        by_name.setdefault(unknown.text, []).append(unknown)
    for name, seen in by_name.items():
        spans = ", ".join(f"[{u.start}, {u.end})" for u in seen[:6])
        out.append(f"# {name!r} ({seen[0].why}) at {spans}")
    out += [
        "",
        SECTION,
        f"# Evidence stubs (verbatim from {source.text_path.as_posix()}): one per sentence",
        "# holding the first occurrence of a name above. Uncomment the ones you use, cite them",
        "# with eco:evidence. To trim a quote, edit eco:quote, drop its oa:hasSelector and run",
        "# `ecograph anchor` on this file: it writes the selectors anew.",
        SECTION,
    ]
    # One stub per sentence, for the names whose first occurrence it holds.
    firsts = [(found[0].start, found[0].end, found[0].text) for found in by_entity.values()]
    firsts += [(seen[0].start, seen[0].end, name) for name, seen in by_name.items()]
    sentences: dict[tuple[int, int], list[str]] = {}
    for start, end, name in sorted(firsts):
        sentences.setdefault(sentence_around(text, start, end), []).append(name)
    used: set[str] = set()
    for sentence, names in sentences.items():
        node = base = f"evidence:{source.number}-{_slug(names[0])}"
        while node in used:
            node = f"{base}-{len(used)}"
        used.add(node)
        label = ", ".join(names)
        out += ["", *evidence_stub(text, source, sentence, label, node, facts.language)]
    return "\n".join(out) + "\n"
