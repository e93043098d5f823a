"""ecograph's SHACL engine: the shapes as set-based SPARQL over the build's Oxigraph store.

The shapes are compiled to one query per constraint (:mod:`ecograph.build.shacl.compiler`) and every
row of every query becomes a :class:`~ecograph.build.checks.Problem`, worded as pySHACL's report
has always been worded for this project: the same severity, message, file, line, entity and
shape. ``tests/build/test_shacl_engine.py`` holds the two to that on every example of
``tests/data/shapes``, with pySHACL as the reference.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from ecograph.build.checks import Locator, Problem, Severity
from ecograph.build.parallel import run_all
from ecograph.build.shacl.compiler import Compiler
from ecograph.build.shacl.components import Check, Unsupported
from ecograph.errors import InputError, SourceLocation
from ecograph.rdf.terms import oxigraph_to_rdflib

_SEVERITY: dict[Node | None, Severity] = {
    SH.Violation: "error",
    SH.Warning: "warning",
    SH.Info: "warning",
}
# A message template's placeholder: {$name} or {?name}.
_PLACEHOLDER = re.compile(r"\{[$?]([^{}]+)\}")
# pySHACL's own words for a custom component's result when nothing else is said.
_CUSTOM_DEFAULT = "Parameterised SHACL Query generated constraint validation reports."
_NO_MESSAGE = "does not meet its shape"
#: How many focus nodes of a SPARQL target are written into the checks' queries, at most.
FOCUS_LISTED = 2000


@dataclass(frozen=True)
class Result:
    """One row of a check: the focus node, the value it names, and every variable bound."""

    focus: Node
    value: Node | None
    path: Node | None
    bindings: dict[str, Node]


def check_shacl(
    store: pyoxigraph.Store,
    shapes: Graph,
    locator: Locator,
    times: dict[str, float] | None = None,
    *,
    closed: bool | None = None,
    threads: int = 1,
) -> list[Problem]:
    """Every SHACL result on the store's union graph, as problems naming focus node and shape.

    ``times`` collects the seconds spent per node shape, for the benchmark (with ``threads``
    above one, the checks overlap and their seconds add up to more than the wall time).
    ``closed`` says whether the data is closed under rdfs:subClassOf (see
    :func:`closed_under_subclass`): ``None`` asks the store, which costs a query over every
    typed node; the build, which has just reasoned, knows. Shapes that the compiler cannot
    translate are a broken input file, raised as one.
    """
    checks = compile_shapes(store, shapes, closed, times)
    problems = []
    outcomes = run_all([partial(_timed_run, store, check) for check in checks], threads)
    for check, (found, seconds) in zip(checks, outcomes, strict=True):
        problems += [to_problem(check, result, shapes, locator) for result in found]
        if times is not None:
            owner = check.owner if check.owner is not None else check.shape
            _add_time(times, owner, seconds)
    return problems


def compile_shapes(
    store: pyoxigraph.Store,
    shapes: Graph,
    closed: bool | None = None,
    times: dict[str, float] | None = None,
) -> list[Check]:
    """The checks of the shapes; a SPARQL target is run here, once (see :func:`focus_nodes`)."""
    if closed is None:
        closed = closed_under_subclass(store)

    def enumerate_focus(shape: Node, query: str) -> list[str] | None:
        started = time.perf_counter()
        nodes = focus_nodes(store, query)
        if times is not None:
            _add_time(times, shape, time.perf_counter() - started)
        return nodes

    try:
        return Compiler(shapes, closed=closed, enumerate_focus=enumerate_focus).compile()
    except Unsupported as error:
        raise _unusable(error.shape, error.feature) from None


def _timed_run(store: pyoxigraph.Store, check: Check) -> tuple[list[Result], float]:
    """The check's results and the seconds they took."""
    started = time.perf_counter()
    return list(run(store, check)), time.perf_counter() - started


def _add_time(times: dict[str, float], shape: Node, seconds: float) -> None:
    key = str(shape).rsplit("#", 1)[-1]
    times[key] = times.get(key, 0.0) + seconds


def closed_under_subclass(store: pyoxigraph.Store) -> bool:
    """Whether every instance of a class is also typed with each of its named super-classes.

    One step is enough: closed under one rdfs:subClassOf step, the data is closed under any
    number of them. ecograph's reasoning makes it so; a store built otherwise is still
    validated correctly, only along the slower rdfs:subClassOf* paths.
    """
    query = (
        f"ASK {{ ?c <{RDFS.subClassOf}> ?d . FILTER (isIRI(?d) && ?c != ?d) "
        f"?x a ?c . FILTER NOT EXISTS {{ ?x a ?d }} }}"
    )
    answer = store.query(query, use_default_graph_as_union=True)
    return not bool(answer)


def focus_nodes(store: pyoxigraph.Store, query: str) -> list[str] | None:
    """The focus nodes that ``query`` selects as ``?this``, in SPARQL syntax, when there are
    at most :data:`FOCUS_LISTED` of them and none is a blank node (which a query cannot name);
    else ``None``. Only the first rows beyond the limit are read, so a large target costs
    little more here than a small one."""
    solutions = store.query(f"{query} LIMIT {FOCUS_LISTED + 1}", use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    nodes: list[str] = []
    for row in solutions:
        node = row[0]
        if len(nodes) == FOCUS_LISTED or not isinstance(
            node, pyoxigraph.NamedNode | pyoxigraph.Literal
        ):
            return None
        nodes.append(str(node))
    return nodes


def run(store: pyoxigraph.Store, check: Check) -> Iterator[Result]:
    """The check's distinct results (pySHACL reports a repeated solution once)."""
    try:
        solutions = store.query(check.query, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise _unusable(check.shape, f"a query that Oxigraph cannot parse ({error})") from None
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    seen: set[tuple[tuple[str, Node], ...]] = set()
    for row in solutions:
        bindings = {name: oxigraph_to_rdflib(row[name]) for name in names if row[name] is not None}
        key = tuple(sorted(bindings.items(), key=lambda item: item[0]))
        if key in seen:
            continue
        seen.add(key)
        result = _result(check, bindings)
        if result is not None:
            yield result


def _result(check: Check, bindings: dict[str, Node]) -> Result | None:
    focus = bindings["this"]
    if check.kind != "sparql":
        value = bindings.get("value", focus if check.value_is_focus else None)
        if check.kind == "component" and check.path is not None:
            value = None  # pySHACL names no value for a custom component on a property
        return Result(focus, value, check.path, bindings)
    variables = dict(bindings)
    if not check.projects_this:
        variables.pop("this")
    if "failure" in variables:
        variables.pop("failure")
        return Result(focus, focus, None, variables | {"this": focus, "value": focus})
    path = variables.get("path")
    value = variables.get("value")
    if not check.projects_this and path is None and value is None:
        return None  # pySHACL drops a solution that binds none of $this, ?path, ?value
    value = value if value is not None else focus
    return Result(focus, value, path, variables | {"value": value})


def to_problem(check: Check, result: Result, shapes: Graph, locator: Locator) -> Problem:
    """The result in the words and places that validation reports use."""
    message = _message(check, result, shapes)
    details = []
    if isinstance(result.path, URIRef):
        details.append(f"property {locator.name(result.path)}")
    if result.value is not None:
        details.append(f"value {locator.name(result.value)}")
    if details:
        message += f" ({'; '.join(details)})"
    file, line = locator.where(result.focus)
    if result.value is not None and not isinstance(result.value, BNode):
        line = locator.line_in(file, result.value) or line  # point at the offending value
    return Problem(
        severity=_SEVERITY.get(shapes.value(check.shape, SH.severity) or SH.Violation, "error"),
        check="shacl",
        message=message,
        file=file,
        line=line,
        entity=locator.name(result.focus),
        shape=locator.name(check.shape) if isinstance(check.shape, URIRef) else None,
    )


def _message(check: Check, result: Result, shapes: Graph) -> str:
    """The first, in text order, of the messages pySHACL attaches to the result.

    A result carries the shape's sh:message and, for SPARQL-based constraints, the
    constraint's own; ecograph has always shown the first of them in sorted order.
    """
    own = [m for m in shapes.objects(check.shape, SH.message) if isinstance(m, Literal)]
    candidates: list[str]
    if check.kind == "sparql":
        candidates = [fill(str(m), result.bindings) for m in (*check.templates, *own)]
    elif check.kind == "component":
        values: dict[str, Node] = dict(check.parameters)
        values["this"] = result.focus
        values["value"] = result.bindings.get("value", result.focus)
        if check.path is not None:
            values["path"] = check.path
        extra = [fill(str(m), values) for m in check.templates]
        candidates = [*extra, *map(str, own)] if extra else list(map(str, own))
        candidates = candidates or [_CUSTOM_DEFAULT]
    else:
        candidates = [str(m) for m in own]
    return min(candidates) if candidates else _NO_MESSAGE


def fill(template: str, values: dict[str, Node]) -> str:
    """``{$name}`` and ``{?name}`` replaced by the text of the bound term; others kept."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def _unusable(shape: Node, feature: str) -> InputError:
    name = str(shape) if isinstance(shape, URIRef) else "a blank-node shape"
    return InputError(
        SourceLocation(Path("shapes")),
        f"the shapes cannot be used: {name} uses {feature}, "
        "which ecograph's SHACL engine does not support",
    )
