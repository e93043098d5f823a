"""Shared fixtures: the real project, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from ecograph.build.pipeline import Build, build, to_store
from ecograph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def project_build(settings: Settings) -> Build:
    return build(settings)


@pytest.fixture(scope="session")
def project_store(project_build: Build) -> pyoxigraph.Store:
    return to_store(project_build)
