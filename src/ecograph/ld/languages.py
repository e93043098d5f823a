"""Picking the text to show from a literal's versions in several languages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Languages the pages and documents fall back to, in order, after the reader's own.
FALLBACK_LANGUAGES = ("en", "it")


def first_in(texts: Mapping[str, str], wanted: Sequence[str]) -> tuple[str, str] | None:
    """``(language, text)`` in the first wanted language present, else untagged, else any
    (the smallest tag, so that the choice is the same on every run), else ``None``."""
    for language in (*wanted, ""):
        if language in texts:
            return language, texts[language]
    for language, text in sorted(texts.items()):
        return language, text
    return None


def pick_language(texts: Mapping[str, str], languages: Sequence[str]) -> str | None:
    """The text in the first wanted language, else English, Italian, untagged, any."""
    found = first_in(texts, (*languages, *FALLBACK_LANGUAGES))
    return found[1] if found else None
