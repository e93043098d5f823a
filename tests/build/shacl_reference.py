"""The reference that ecograph's SHACL engine is held to: pySHACL's report, as problems.

This is how ecograph validated before :mod:`ecograph.build.shacl.engine` (node by node with
pySHACL, far too slow for a large graph), kept so that a test can compare the two on every
example. The reference runs through ``pyshacl-turbo``, pySHACL's API over a Rust engine, which
gives pySHACL's results on every example (docs/build.md) in a tenth of the time; it is a
test-only dependency for this reason alone.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl_turbo
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ecograph.build.checks import Locator, Problem, Severity
from ecograph.errors import InputError, SourceLocation

_SEVERITY: dict[Node | None, Severity] = {
    SH.Violation: "error",
    SH.Warning: "warning",
    SH.Info: "warning",
}


def reference_shacl(
    data: Graph | pyoxigraph.Store, shapes: Graph, locator: Locator
) -> list[Problem]:
    """Run pySHACL on ``data`` (a store: the union of its graphs); every result becomes a
    problem naming its focus node and shape.

    pySHACL returns (rather than raises) a failure when the shapes themselves are unusable;
    that is a broken input file, not a data problem, so it is raised as one.
    """
    _, results, text = pyshacl_turbo.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(results, Graph):
        raise InputError(
            SourceLocation(Path("shapes")), f"the shapes cannot be used: {text.strip()}"
        )
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        message = messages[0] if messages else "does not meet its shape"
        details = []
        if path is not None and not isinstance(path, BNode):
            details.append(f"property {locator.name(path)}")
        if value is not None:
            details.append(f"value {locator.name(value)}")
        if details:
            message += f" ({'; '.join(details)})"
        severity: Severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "error")
        file, line = locator.where(focus) if focus is not None else (None, None)
        if value is not None and not isinstance(value, BNode):
            line = locator.line_in(file, value) or line  # point at the offending value
        problems.append(
            Problem(
                severity=severity,
                check="shacl",
                message=message,
                file=file,
                line=line,
                entity=locator.name(focus) if focus is not None else None,
                shape=locator.name(shape) if isinstance(shape, URIRef) else None,
            )
        )
    return problems
