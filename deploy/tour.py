"""The README's curl tour: its commands, and running them against a server of one's choice.

One reading of the README for the tour test (tests/serve/test_readme_tour.py) and the replicas
demonstration (deploy/replicas.py): the commands are the lines starting with ``curl `` in the
``sh`` block under "The server: a tour with curl", written for http://127.0.0.1:8000.
Standard library only, so that the deployment scripts run without the package.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
#: The address the README's commands are written for.
README_URL = "http://127.0.0.1:8000"
_TOUR = re.compile(r"## The server: a tour with curl.*?```sh\n(.*?)```", re.S)


def tour_commands(readme: Path = README) -> list[str]:
    """The tour's curl command lines, in the README's order."""
    found = _TOUR.search(readme.read_text("utf-8"))
    block = found.group(1) if found else ""
    return [line for line in block.splitlines() if line.startswith("curl ")]


def tour_argv(command: str, url: str, extra: tuple[str, ...] = ()) -> list[str]:
    """``command`` as an argument list aimed at ``url`` instead of the README's address,
    with ``extra`` curl options added after ``curl``."""
    argv = [a.replace(README_URL, url.rstrip("/")) for a in shlex.split(command)]
    return [argv[0], *extra, *argv[1:]]


@dataclass(frozen=True)
class Outcome:
    command: str
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and bool(self.stdout.strip())


def run_command(
    command: str, url: str, *, curl: str = "curl", extra: tuple[str, ...] = (), timeout: float = 60
) -> Outcome:
    """Run one tour command against ``url``."""
    argv = tour_argv(command, url, extra)
    result = subprocess.run([curl, *argv[1:]], capture_output=True, timeout=timeout, check=False)
    return Outcome(command, result.returncode, result.stdout, result.stderr)
