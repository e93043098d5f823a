"""The README's curl tour works as written, against the project graph served for real.

The commands are read by ``deploy/tour.py``, which ``deploy/replicas.py`` also runs through
the load balancer."""

from __future__ import annotations

import shutil
import sys

import pytest
from endpoint_support import ROOT, Running  # type: ignore[import-not-found]

sys.path.insert(0, str(ROOT / "deploy"))
from tour import run_command, tour_commands  # type: ignore[import-not-found]

COMMANDS = tour_commands()


def test_the_tour_has_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("command", COMMANDS)
def test_tour_command(command: str, project_server: Running) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    outcome = run_command(command, project_server.url, curl=curl)
    assert outcome.returncode == 0, outcome.stderr.decode()
    assert outcome.stdout.strip(), "the command printed nothing"
