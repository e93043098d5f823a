"""Which of the graph's entities a text names, and which names the graph does not hold yet.

Pure functions over a text and a list of names (no store, no files), so that ``ecograph
mentions``, ``add-source`` and the tests share them. Names and text are compared word by word
after :func:`ecograph.rdf.text.fold` (accents, case and apostrophes aside), on whole words only;
of overlapping matches the longest wins, then the leftmost. Positions are code points of the
original text, end exclusive, so ``text[start:end]`` is the span as written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ecograph.rdf.text import Word, words

#: Words that may join the capitalised words of one name ("Politecnico di Torino",
#: "Ayuntamiento de Bilbao"); coordinators ("e", "and") are left out: they join two names.
CONNECTORS = frozenset(
    [
        "di",
        "del",
        "della",
        "dello",
        "dei",
        "degli",
        "delle",
        "da",
        "de",
        "la",
        "las",
        "los",
        "of",
        "the",
        "for",
        "du",
        "des",
        "von",
        "der",
        "zu",
    ]
)
#: Leading words that are not part of a name ("Il Politecnico di Torino").
ARTICLES = frozenset(
    [
        "il",
        "lo",
        "la",
        "i",
        "gli",
        "le",
        "un",
        "uno",
        "una",
        "the",
        "a",
        "an",
        "el",
        "los",
        "las",
        "le",
        "les",
        "der",
        "die",
        "das",
    ]
)


@dataclass(frozen=True)
class Name:
    """One name of one entity: ``kind`` is the IRI's kind segment (``org``, ``person``...)."""

    iri: str
    text: str
    language: str
    kind: str


@dataclass(frozen=True)
class Mention:
    """A span of the text that names ``iri`` (as its name ``name``)."""

    iri: str
    kind: str
    name: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Unknown:
    """A span that looks like a name the graph does not hold: ``why`` is ``capitalised``
    (two or more capitalised words) or ``acronym``."""

    text: str
    start: int
    end: int
    why: str


class NameTable:
    """Names by their folded words, for matching many texts against one graph."""

    def __init__(self, names: Iterable[Name]) -> None:
        self._by_words: dict[tuple[str, ...], list[Name]] = defaultdict(list)
        self.longest = 0
        for name in names:
            key = tuple(w.key for w in words(name.text))
            if not key:
                continue
            if all(n.iri != name.iri for n in self._by_words[key]):
                self._by_words[key].append(name)
            self.longest = max(self.longest, len(key))

    def get(self, key: tuple[str, ...]) -> list[Name]:
        return self._by_words.get(key, [])


def find_mentions(text: str, table: NameTable) -> list[Mention]:
    """Every entity the text names, longest match first, matches never overlapping; sorted by
    position (an ambiguous span gives one mention per entity bearing that name)."""
    tokens = words(text)
    found: list[tuple[int, int, list[Name]]] = []  # (first word, word count, names)
    for first in range(len(tokens)):
        for count in range(min(table.longest, len(tokens) - first), 0, -1):
            key = tuple(w.key for w in tokens[first : first + count])
            names = table.get(key)
            if names:
                found.append((first, count, names))
    # Longest (in characters) first, then leftmost; a word is claimed once.
    found.sort(key=lambda f: (-(tokens[f[0] + f[1] - 1].end - tokens[f[0]].start), f[0]))
    claimed: set[int] = set()
    mentions = []
    for first, count, names in found:
        span = range(first, first + count)
        if claimed.intersection(span):
            continue
        claimed.update(span)
        start, end = tokens[first].start, tokens[first + count - 1].end
        for name in sorted(names, key=lambda n: n.iri):
            mentions.append(Mention(name.iri, name.kind, name.text, start, end, text[start:end]))
    return sorted(mentions, key=lambda m: (m.start, m.iri))


def _capitalised(text: str, word: Word) -> bool:
    first = text[word.start]
    return first.isupper() or (
        first.isdigit() and any(c.isupper() for c in text[word.start : word.end])
    )


def _acronym(text: str, word: Word) -> bool:
    written = text[word.start : word.end]
    return (
        len(written) >= 2
        and sum(c.isupper() for c in written) >= 2
        and not any(c.islower() for c in written)
    )


def _adjacent(text: str, left: Word, right: Word) -> bool:
    """Two words of one name: only spaces, hyphens or an apostrophe between them."""
    between = text[left.end : right.start]
    return between.strip(" -'’ʼ") == "" and "\n" not in between


def unknown_names(text: str, mentions: Sequence[Mention]) -> list[Unknown]:
    """Spans that look like names and that no mention covers: runs of two or more capitalised
    words (joined by connectors such as "di", "de", "of"), and acronyms standing alone."""
    covered = [(m.start, m.end) for m in mentions]

    def free(word: Word) -> bool:
        return not any(s < word.end and word.start < e for s, e in covered)

    tokens = words(text)
    unknowns: list[Unknown] = []
    run: list[Word] = []

    def close() -> None:
        while run and run[-1].key in CONNECTORS:
            run.pop()
        while run and run[0].key in ARTICLES and len(run) > 1:
            run.pop(0)
        capitalised = [w for w in run if w.key not in CONNECTORS]
        if len(capitalised) >= 2:
            start, end = run[0].start, run[-1].end
            unknowns.append(Unknown(text[start:end], start, end, "capitalised"))
        elif len(capitalised) == 1 and _acronym(text, capitalised[0]):
            word = capitalised[0]
            unknowns.append(Unknown(text[word.start : word.end], word.start, word.end, "acronym"))
        run.clear()

    for word in tokens:
        joined = bool(run) and _adjacent(text, run[-1], word)
        if free(word) and _capitalised(text, word):
            if not joined:
                close()
            run.append(word)
        elif free(word) and word.key in CONNECTORS and run and joined:
            run.append(word)
        else:
            close()
    close()
    return unknowns
