"""Small records that the linked-data routes find and the pages show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CloseMatch:
    """A known IRI whose slug looks like the one asked for."""

    iri: str
    href: str
    label: str


@dataclass(frozen=True)
class Dump:
    """A file of the build output, named by its path inside it."""

    name: str
    size: int
    media_type: str
