"""Shared fixtures: the repository's root and settings, the project's schema (ontology and
shapes, parsed once) and the real project, built once per test session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import pyoxigraph
import pytest

from ecograph.build.pipeline import Build, Schema, build, read_schema, to_store
from ecograph.settings import Settings
from paths import ROOT


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "each_file(pattern): run the test once per file of the repository matching the glob "
        "pattern, given as `path` (the test named by the file's stem)",
    )
    config.addinivalue_line(
        "markers",
        "shape_examples(*folders): run the test once per shape example of these folders "
        "(valid, invalid), given as `shape_example` (see tests/build/conftest.py)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per file for tests marked ``each_file``: the files are listed when the tests are
    collected, not when a module is imported."""
    marker = metafunc.definition.get_closest_marker("each_file")
    if marker is not None:
        paths = sorted(ROOT.glob(marker.args[0]))
        metafunc.parametrize("path", paths, ids=[p.stem for p in paths])


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository: the project every test reads (or copies)."""
    return ROOT


@pytest.fixture(scope="session")
def settings(root: Path) -> Settings:
    return Settings(root=root)


@pytest.fixture(scope="session")
def schema(settings: Settings) -> Schema:
    """The ontology and shapes, parsed once for every build of a test session."""
    return read_schema(settings)


@pytest.fixture(scope="session")
def build_files(settings: Settings, schema: Schema) -> Callable[[Sequence[Path]], Build]:
    """Builds files alone (with the reference data of ``data/*.ttl``), as ``ecograph validate
    FILE…`` does, on the session's schema."""
    return partial(build, settings, schema=schema)


@pytest.fixture(scope="session")
def project_build(settings: Settings, schema: Schema) -> Build:
    return build(settings, schema=schema)


@pytest.fixture(scope="session")
def project_store(project_build: Build) -> pyoxigraph.Store:
    return to_store(project_build)
