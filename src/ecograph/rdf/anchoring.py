"""Where a quote stands in its source text: W3C Web Annotation selectors, computed and checked.

One small pure module, shared by the build (which checks every evidence node's selectors), the
``ecograph anchor`` command (which fills them in) and curation (which anchors new quotes). It
knows nothing of RDF: texts are ``str`` (decoded UTF-8), so positions count Unicode code
points, as the Web Annotation model's ``oa:start``/``oa:end`` do (end exclusive).

A quote is never moved to a look-alike: :func:`anchor` finds the exact text or fails, and
:func:`resolve` checks a stored selector without searching for a better place.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Characters of context kept on each side of a quote (``oa:prefix``, ``oa:suffix``).
CONTEXT = 32


@dataclass(frozen=True)
class Selector:
    """A quote's place: the text quote selector (exact, prefix, suffix) and the position one."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class AnchorError(ValueError):
    """A quote that cannot be anchored, or a selector that does not hold."""


class QuoteNotFound(AnchorError):
    """The exact text does not occur in the source: the quote is orphaned."""


class AmbiguousQuote(AnchorError):
    """The exact text occurs more than once and nothing says which occurrence is meant."""

    def __init__(self, message: str, starts: tuple[int, ...]) -> None:
        super().__init__(message)
        self.starts = starts


class SelectorMismatch(AnchorError):
    """A stored selector that does not hold: wrong position, or context picking no occurrence."""


def occurrences(text: str, exact: str) -> tuple[int, ...]:
    """Every start of ``exact`` in ``text``, overlapping ones included."""
    if not exact:
        return ()
    found = []
    at = text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return tuple(found)


def selector_at(text: str, start: int, exact: str) -> Selector:
    """The selector of the occurrence of ``exact`` at ``start`` (which must hold it)."""
    end = start + len(exact)
    if text[start:end] != exact:
        raise SelectorMismatch(f"the text at {start}-{end} is not the quote")
    return Selector(
        exact=exact,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def anchor(
    text: str, exact: str, start_hint: int | None = None, *, start: int | None = None
) -> Selector:
    """The selector of ``exact`` in ``text``.

    A quote that occurs once is anchored there. One that occurs more than once needs
    ``start_hint`` (or ``start``, the same), the start of the occurrence meant (e.g. from a
    position selector already given); the hint must be an exact start, never a near miss. The
    prefix and suffix are up to :data:`CONTEXT` characters, and must pick that one occurrence.
    """
    if start_hint is None:
        start_hint = start
    starts = occurrences(text, exact)
    if not starts:
        raise QuoteNotFound("the quote does not occur in the text")
    if start_hint is not None:
        if start_hint not in starts:
            raise SelectorMismatch(
                f"the quote does not start at {start_hint}; it occurs at "
                + ", ".join(map(str, starts))
            )
        at = start_hint
    elif len(starts) == 1:
        at = starts[0]
    else:
        raise AmbiguousQuote(
            f"the quote occurs {len(starts)} times (at {', '.join(map(str, starts))}): "
            "say which with the start of the one meant",
            starts,
        )
    selector = selector_at(text, at, exact)
    if matches(text, selector.exact, selector.prefix, selector.suffix) != (at,):
        raise AmbiguousQuote(
            f"{CONTEXT} characters of context on each side do not tell the occurrences apart",
            starts,
        )
    return selector


def matches(text: str, exact: str, prefix: str = "", suffix: str = "") -> tuple[int, ...]:
    """Starts of the occurrences of ``exact`` preceded by ``prefix`` and followed by
    ``suffix`` (the text quote selector's own matching rule)."""
    return tuple(
        start
        for start in occurrences(text, exact)
        if text[:start].endswith(prefix) and text[start + len(exact) :].startswith(suffix)
    )


def resolve(
    text: str,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> int:
    """Check a stored selector against the text; return the start of the occurrence it picks.

    Raises :class:`QuoteNotFound` if the quote is not in the text at all (orphaned),
    :class:`SelectorMismatch` if the position does not hold the quote or the context picks
    another occurrence, :class:`AmbiguousQuote` if the quote occurs more than once and neither
    a position nor a context picks exactly one.
    """
    starts = occurrences(text, exact)
    if not starts:
        raise QuoteNotFound("the quote does not occur in the text")
    picked: int | None = None
    if start is not None or end is not None:
        if start is None or end is None or text[start:end] != exact:
            found = "" if start is None or end is None else f" (it holds «{text[start:end]}»)"
            raise SelectorMismatch(
                f"the position {start}-{end} does not hold the quote{found}; "
                "the quote occurs at " + ", ".join(f"{s}-{s + len(exact)}" for s in starts)
            )
        picked = start
    if prefix is not None or suffix is not None:
        by_context = matches(text, exact, prefix or "", suffix or "")
        if not by_context:
            raise SelectorMismatch("the prefix and suffix fit no occurrence of the quote")
        if picked is not None and picked not in by_context:
            raise SelectorMismatch(
                f"the prefix and suffix pick the occurrence at {by_context[0]}, "
                f"the position the one at {picked}"
            )
        if picked is None:
            if len(by_context) > 1:
                raise AmbiguousQuote(
                    f"the prefix and suffix fit {len(by_context)} occurrences", by_context
                )
            picked = by_context[0]
    if len(starts) > 1:
        unique = prefix is not None or suffix is not None
        if not unique or len(matches(text, exact, prefix or "", suffix or "")) != 1:
            raise AmbiguousQuote(
                f"the quote occurs {len(starts)} times (at {', '.join(map(str, starts))}) and "
                "needs a prefix and suffix that pick exactly one",
                starts,
            )
    return picked if picked is not None else starts[0]


_SENTENCE_ENDS = ".!?;\n"


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding ``text[start:end]``: from after the previous full
    stop (or line break) to the next one, trimmed of spaces."""
    left = start
    while left > 0 and not (
        text[left - 1] == "\n"
        or (text[left - 1] in _SENTENCE_ENDS and (left == len(text) or text[left].isspace()))
    ):
        left -= 1
    right = end
    while right < len(text) and not (
        text[right] == "\n"
        or (text[right] in _SENTENCE_ENDS and (right + 1 == len(text) or text[right + 1].isspace()))
    ):
        right += 1
    if right < len(text) and text[right] != "\n":
        right += 1  # keep the full stop
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right
