"""Text normalisation for matching names: the one accent, case and apostrophe fold.

Every comparison of names in ecograph goes through :func:`fold` — the search box, the
reconciliation service, ``ecograph mentions`` and the duplicate check of ``validate`` — so that
"universita", "Università" and "UNIVERSITÀ" are one name everywhere, and so are
"Sull’innovazione" and "Sull'innovazione". :func:`words` keeps, for each word, where it stands in
the original text (code points, end exclusive), which is what a mention or a selector needs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Typographic apostrophes and look-alikes that articles use interchangeably with "'".
APOSTROPHES = "’ʼ‘`´′"
_TO_APOSTROPHE = str.maketrans({c: "'" for c in APOSTROPHES})
_WORD = re.compile(r"[^\W_]+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``text`` casefolded, with accents (combining marks after NFKD) dropped and every
    apostrophe written "'" — the form two spellings of one name share.

    The length may change ("ß" becomes "ss", "ﬁ" becomes "fi"); :func:`words` maps positions back.
    """
    if text.isascii():  # most names: no decomposition, and "`" the only odd apostrophe
        return text.replace("`", "'").lower()
    if any(c in text for c in APOSTROPHES):
        text = text.translate(_TO_APOSTROPHE)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def collapse(text: str) -> str:
    """The folded text with runs of white space made one space (the search box's form)."""
    return " ".join(fold(text).split())


def compact(text: str) -> str:
    """Letters and digits only, folded: "Clust-ER Innovate", "clust er innovate" and
    "clusterinnovate" are one key (the duplicate check's and reconciliation's exact key)."""
    return _NOT_ALPHANUMERIC.sub("", fold(text))


@dataclass(frozen=True)
class Word:
    """One word of a text: its folded form and where it stands in the original text."""

    key: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of ``text`` (runs of letters and digits; apostrophes, hyphens and other
    punctuation separate them), folded, with their code point spans in ``text``."""
    if text.isascii():
        return [Word(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    joined = "".join(folded)
    return [
        Word(m.group(), origin[m.start()], origin[m.end() - 1] + 1) for m in _WORD.finditer(joined)
    ]


def keys(text: str) -> tuple[str, str]:
    """:func:`name_key` and :func:`compact` of ``text``, folded once (for indexing many)."""
    folded = fold(text)
    return " ".join(_WORD.findall(folded)), _NOT_ALPHANUMERIC.sub("", folded)


def name_key(text: str) -> str:
    """The words of a name, folded, joined by one space: "Clust-ER  Innovate" and
    "clust er innovate" share "clust er innovate" (the keys of :func:`words`, without their
    positions)."""
    return " ".join(_WORD.findall(fold(text)))
