"""The ``ecograph`` command on bad input: a clear message with file and line, a non-zero exit,
and nothing half-written to ``dist/``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ecograph.cli import EXIT_INPUT, EXIT_INVALID, EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "data" / "invalid-input").glob("*.ttl"))


def _header(path: Path, key: str) -> str:
    match = re.search(rf"^# {key}: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name}: no '# {key}:' line"
    return match.group(1).strip()


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_validate_reports_bad_input_with_file_and_line(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(ROOT), "validate", str(path)])
    out, err = capsys.readouterr()
    said = out + err
    assert code in {EXIT_INPUT, EXIT_INVALID}
    assert _header(path, "expect-error") in said
    assert path.name in said
    line = _header(path, "expect-line")
    assert re.search(rf"{re.escape(path.name)}:{line}\b|\(line {line}\)", said), said


def test_validate_passes_on_the_project_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "validate"]) == EXIT_OK
    assert "valid — " in capsys.readouterr().out


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project, to break without touching the real one."""
    copy = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries", "context"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, copy / folder)
    shutil.copytree(ROOT.parent / "shared", tmp_path / "shared", symlinks=True)
    return copy


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_build_with_bad_input_writes_nothing(
    path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(path, project_copy / "data" / "articles" / path.name)
    out = project_copy / "dist"
    code = main(["--root", str(project_copy), "build", "--out", str(out)])
    assert code in {EXIT_INPUT, EXIT_INVALID}
    assert not out.exists()
    assert not list(project_copy.glob(".dist*")), "a staging folder was left behind"
    assert path.name in capsys.readouterr().err


def test_failed_build_leaves_the_previous_dist_untouched(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project_copy / "dist"
    assert main(["--root", str(project_copy), "build", "--out", str(out)]) == EXIT_OK
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    shutil.copyfile(BAD[0], project_copy / "data" / "articles" / BAD[0].name)
    assert main(["--root", str(project_copy), "build", "--out", str(out)]) != EXIT_OK
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert before == after
    capsys.readouterr()


def test_build_writes_dumps_void_and_report(project_copy: Path) -> None:
    out = project_copy / "dist"
    assert main(["--root", str(project_copy), "build", "--out", str(out)]) == EXIT_OK
    names = {p.name for p in out.iterdir()}
    expected = {"ecograph.ttl", "ecograph.nq", "ecograph.jsonld", "void.ttl"}
    assert expected | {"validation-report.txt", "validation-report.json"} <= names


def test_query_unknown_name_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "query", "no-such-query"]) == EXIT_INPUT
    assert "no query named 'no-such-query'" in capsys.readouterr().err
