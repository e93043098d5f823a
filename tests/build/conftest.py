"""The shape examples as one session-scoped parameter: every test of one example runs while its
build is alive, and the example is built once however many tests read it (its SHACL shape
test and the engine's comparison with pySHACL)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from shape_examples import ShapeExample, example_paths

from ecograph.build.pipeline import Build


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("shape_examples")
    if "shape_example" not in metafunc.fixturenames or marker is None:
        return
    paths = example_paths(*marker.args)
    # The file's stem names the test; with both folders, the folder too.
    ids = [f"{p.parent.name}/{p.stem}" if len(marker.args) > 1 else p.stem for p in paths]
    metafunc.parametrize("shape_example", paths, ids=ids, indirect=True, scope="session")


@pytest.fixture(scope="session")
def shape_example(
    request: pytest.FixtureRequest, build_files: Callable[[Sequence[Path]], Build]
) -> ShapeExample:
    return ShapeExample(request.param, build_files([request.param]))
