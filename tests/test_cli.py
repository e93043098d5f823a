"""The ``ecograph`` command on bad input: a clear message with file and line, a non-zero exit,
and nothing half-written to ``dist/``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import VOID

from ecograph.cli import EXIT_INPUT, EXIT_INVALID, EXIT_OK, main
from ecograph.rdf import label_file
from ecograph.rdf.namespaces import ECOID
from ecograph.rdf.terms import rdflib_to_oxigraph


def _header(path: Path, key: str) -> str:
    match = re.search(rf"^# {key}: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name}: no '# {key}:' line"
    return match.group(1).strip()


@pytest.mark.each_file("tests/data/invalid-input/*.ttl")
def test_validate_reports_bad_input_with_file_and_line(
    path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(root), "validate", str(path)])
    out, err = capsys.readouterr()
    said = out + err
    assert code in {EXIT_INPUT, EXIT_INVALID}
    assert _header(path, "expect-error") in said
    assert path.name in said
    line = _header(path, "expect-line")
    assert re.search(rf"{re.escape(path.name)}:{line}\b|\(line {line}\)", said), said


def test_validate_passes_on_the_project_data(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(root), "validate"]) == EXIT_OK
    assert "valid — " in capsys.readouterr().out


@pytest.fixture
def project_copy(root: Path, tmp_path: Path) -> Path:
    """A copy of the project, to break without touching the real one."""
    copy = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries", "context"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, copy / folder)
    return copy  # nothing beside it: the source texts are in data/sources/


@pytest.mark.each_file("tests/data/invalid-input/*.ttl")
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
    root: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project_copy / "dist"
    assert main(["--root", str(project_copy), "build", "--out", str(out)]) == EXIT_OK
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = min((root / "tests" / "data" / "invalid-input").glob("*.ttl"))
    shutil.copyfile(bad, project_copy / "data" / "articles" / bad.name)
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
    union = _union_of(out)
    void = Graph().parse(out / "void.ttl")
    dataset = URIRef("https://w3id.org/ecograph/id/dataset/ecograph")
    assert void.value(dataset, VOID.triples).toPython() == len(union) > 4000
    subjects = set(union.subjects())
    entities = {s for s in subjects if isinstance(s, URIRef) and s.startswith(str(ECOID))}
    assert void.value(dataset, VOID.distinctSubjects).toPython() == len(subjects)
    assert void.value(dataset, VOID.entities).toPython() == len(entities) > 300
    assert void.value(dataset, VOID.distinctObjects).toPython() == len(set(union.objects()))


def isomorphic(a: Graph, b: Graph) -> bool:
    """Whether the graphs are the same but for blank node names: rdflib's ``isomorphic`` by
    Oxigraph's canonicalization, which takes a fraction of a second where rdflib takes seconds
    on the published graph."""
    canonical = []
    for graph in (a, b):
        dataset = pyoxigraph.Dataset(
            pyoxigraph.Quad(*(rdflib_to_oxigraph(term) for term in triple)) for triple in graph
        )
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
        canonical.append(dataset)
    return canonical[0] == canonical[1]


def _union_of(dist: Path) -> Graph:
    """The published graph, read from every dump: they must all say the same."""
    nt = Graph().parse(dist / "ecograph.nt", format="nt")
    assert isomorphic(nt, Graph().parse(dist / "ecograph.ttl", format="turtle"))
    for name, fmt in (("ecograph.nq", "nquads"), ("ecograph.trig", "trig")):
        quads = Dataset()
        quads.parse(dist / name, format=fmt)
        flat = Graph()
        for s, p, o, _ in quads.quads():
            flat.add((s, p, o))
        assert isomorphic(nt, flat), f"{name} holds another graph than ecograph.nt"
    jsonld = Dataset()
    jsonld.parse(dist / "ecograph.jsonld", format="json-ld")
    assert len({(s, p, o) for s, p, o, _ in jsonld.quads()}) == len(nt)
    return nt


def test_on_disk_build_publishes_the_same_graph_and_a_store(project_copy: Path) -> None:
    memory, disk = project_copy / "dist-memory", project_copy / "dist-disk"
    assert main(["--root", str(project_copy), "build", "--out", str(memory)]) == EXIT_OK
    args = ["--root", str(project_copy), "build", "--on-disk", "--store", "--out", str(disk)]
    assert main(args) == EXIT_OK
    assert isomorphic(_union_of(memory), _union_of(disk))
    store = pyoxigraph.Store.read_only(str(disk / "store"))
    assert len(store) == sum(1 for _ in pyoxigraph.parse(path=disk / "ecograph.nq"))
    labels = label_file.read(disk / "store")  # search's labels, for this store and no other
    assert labels is not None
    assert ("Kilometro Rosso", "kilometro rosso") in {(text, key) for _, _, text, key in labels}
    leftovers = [p.name for p in project_copy.iterdir() if p.name.startswith(".dist")]
    assert not leftovers, f"the build left its workspace behind: {leftovers}"


def test_query_unknown_name_is_a_clear_error(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(root), "query", "no-such-query"]) == EXIT_INPUT
    assert "no query named 'no-such-query'" in capsys.readouterr().err
