"""The README's curl tour works as written, against the project graph served for real."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from endpoint_support import Running  # type: ignore[import-not-found]

README = Path(__file__).resolve().parents[3] / "README.md"
TOUR = re.search(
    r"## The server: a tour with curl.*?```sh\n(.*?)```", README.read_text("utf-8"), re.S
)
COMMANDS = [
    line for line in (TOUR.group(1) if TOUR else "").splitlines() if line.startswith("curl ")
]


def test_the_tour_has_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("command", COMMANDS)
def test_tour_command(command: str, project_server: Running) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    argv = [a.replace("http://127.0.0.1:8000", project_server.url) for a in shlex.split(command)]
    result = subprocess.run([curl, *argv[1:]], capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.strip(), "the command printed nothing"
