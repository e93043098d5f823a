"""Candidates for a name: retrieval, scoring and the match decision, explained by features.

A query's name is compared with the names of the graph after folding (accents, case and
apostrophes aside) and with punctuation and spacing aside: "kilometro-rosso" is an exact match
for "Kilometro Rosso". Only names sharing a word with the query (or its compact key) are
scored, rarest words first, so a batch costs what its words cost, not what the graph holds.

The score (0-100) is the best name similarity of the entity, less 20 for each optional property
condition that fails; a required condition that fails, or a type the entity is not of (or a
sub-class of), removes the candidate. ``match`` is true for the first candidate only when its
name is an exact match, every condition holds, and no other candidate scores as high (two
namesakes are for the curator to choose between).
"""

from __future__ import annotations

import difflib
import heapq
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ecograph.rdf.text import compact, name_key
from ecograph.reconcile.index import NameIndex, entity_id, entity_iri

#: Names compared letter by letter per query (the best by shared words, rare words weighing
#: more, and by length): the comparison is the costly part of a query.
SHORTLIST = 12
#: A word borne by more names than this is not looked up once rarer words found some.
COMMON_WORD = 2_000
#: Postings read for a word at most (a query made only of very common words).
MOST_POSTINGS = 20_000
PROPERTY_PENALTY = 20.0


@dataclass(frozen=True)
class Condition:
    """A property the candidate should have: ``values`` are ids, IRIs or names."""

    pid: str
    values: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class Query:
    text: str
    type: str | None = None
    limit: int = 5
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    value: float | bool


@dataclass
class Candidate:
    entity: str
    name: str
    types: tuple[str, ...]
    score: float
    match: bool = False
    features: list[Feature] = field(default_factory=list)

    @property
    def id(self) -> str:
        return entity_id(self.entity) or self.entity


#: The values of the properties a batch's conditions name, per entity: pid -> matchable keys.
PropertyValues = Mapping[str, Mapping[str, frozenset[str]]]


def similarity(a: str, b: str) -> float:
    """0-100: how alike two names are, word forms compared (difflib's ratio)."""
    if a == b:
        return 100.0
    return 100.0 * difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def shortlist(
    index: NameIndex,
    query: str,
    size: int = SHORTLIST,
    keep: Callable[[str], bool] | None = None,
) -> list[int]:
    """Names that share the query's compact key or some of its words, best first.

    Words are looked up rarest first, each weighing more the rarer it is; a common word
    ("cluster", "di") is skipped once rarer ones found names. A name's weight is divided by
    the root of its word count, so that a short name made of the query's words comes first.
    Only the names of entities ``keep`` accepts (e.g. of the query's type) are ranked.
    """
    words = name_key(query).split()
    exact = index.by_compact.get(compact(query), [])
    weights: dict[int, float] = defaultdict(float)
    total = max(len(index.names), 1)
    for word in sorted(set(words), key=lambda w: len(index.by_word.get(w, ()))):
        postings = index.by_word.get(word, [])
        if not postings or (weights and len(postings) > COMMON_WORD):
            continue
        weight = 1.0 + (total / len(postings)) ** 0.5
        for number in postings[:MOST_POSTINGS]:
            weights[number] += weight
    if keep is not None:
        weights = defaultdict(
            float, {n: w for n, w in weights.items() if keep(index.names[n].entity)}
        )
        exact = [n for n in exact if keep(index.names[n].entity)]
    best = heapq.nlargest(size, weights, key=lambda n: weights[n] / index.names[n].words ** 0.5)
    return list(dict.fromkeys([*exact, *best]))


def value_keys(value: str) -> set[str]:
    """What a condition value may be matched by: its compact form, and the IRI it names."""
    keys = {compact(value)}
    if value.startswith(("http://", "https://")) or "/" in value:
        keys.add(entity_iri(value))
    return keys


def candidates(
    index: NameIndex,
    query: Query,
    values: PropertyValues,
    *,
    language: str = "en",
) -> list[Candidate]:
    """The scored candidates of one query, best first, at most ``query.limit``."""
    type_id = index.type_id(query.type) if query.type else None
    direct = entity_iri(query.text.strip())
    by_entity: dict[str, tuple[float, bool]] = {}
    if direct in index.by_entity:  # an id or IRI given as the name
        by_entity[direct] = (100.0, True)
    key, key_compact = name_key(query.text), compact(query.text)
    keep = None if type_id is None else (lambda entity: index.is_a(entity, type_id))
    for number in shortlist(index, query.text, max(SHORTLIST, query.limit * 2), keep):
        name = index.names[number]
        exact = name.compact == key_compact
        score = 100.0 if exact else similarity(key, name.key)
        best = by_entity.get(name.entity)
        if best is None or (score, exact) > best:
            by_entity[name.entity] = (score, exact)
    found: list[Candidate] = []
    for entity, (name_score, exact) in by_entity.items():
        if type_id is not None and not index.is_a(entity, type_id):
            continue
        features = [
            Feature("name_exact", "Name equal, accents, case and punctuation aside", exact),
            Feature("name_similarity", "Name similarity (0-100)", round(name_score, 1)),
        ]
        if type_id is not None:
            features.append(Feature("type_match", f"Of type {type_id} or a sub-class", True))
        score, failed, dropped = name_score, 0, False
        for condition in query.conditions:
            have = values.get(entity, {}).get(condition.pid, frozenset())
            wanted = set().union(*(value_keys(v) for v in condition.values))
            held = bool(have & wanted)
            features.append(Feature(f"property:{condition.pid}", f"{condition.pid} matches", held))
            if not held:
                if condition.required:
                    dropped = True
                    break
                failed += 1
                score -= PROPERTY_PENALTY
        if dropped:
            continue
        candidate = Candidate(
            entity,
            index.name_of(entity, language),
            index.types_of.get(entity, ()),
            max(0.0, round(score, 1)),
            match=exact and failed == 0,
            features=features,
        )
        found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.name, c.entity))
    for later in found[1:]:
        later.match = False
    if len(found) > 1 and found[0].match and found[1].score >= found[0].score:
        found[0].match = False  # namesakes: the curator chooses
    return found[: query.limit]


def needed(index: NameIndex, queries: Sequence[Query]) -> tuple[set[str], set[str]]:
    """The entities whose property values a batch's conditions need, and those properties:
    every candidate the name and type alone give, before any condition is applied."""
    pids = {c.pid for q in queries for c in q.conditions}
    pool: set[str] = set()
    for query in queries:
        if query.conditions:
            unconditioned = Query(query.text, query.type, 2 * SHORTLIST, ())
            pool.update(c.entity for c in candidates(index, unconditioned, {}))
    return pool, pids


def reconcile(
    index: NameIndex,
    queries: Sequence[Query],
    values: PropertyValues,
    *,
    language: str = "en",
) -> list[list[Candidate]]:
    """Candidates for every query of a batch, ``values`` read for what :func:`needed` says."""
    return [candidates(index, query, values, language=language) for query in queries]
