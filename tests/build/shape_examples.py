"""The shape examples of ``tests/data/shapes``, each built as ``ecograph validate FILE`` builds
it (see ``tests/build/conftest.py``, which hands them to the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ecograph.build.pipeline import Build
from paths import TEST_DATA

FOLDER = TEST_DATA / "shapes"


@dataclass(frozen=True)
class ShapeExample:
    """A file of ``tests/data/shapes/{valid,invalid}``, built with the ontology, the reference
    data of ``data/*.ttl``, reasoning and every check."""

    path: Path
    build: Build


def example_paths(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (FOLDER / folder).glob("*.ttl"))
