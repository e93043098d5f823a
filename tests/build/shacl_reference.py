"""The reference that ecograph's SHACL engine is held to: pySHACL's report, as problems.

This is how ecograph validated before :mod:`ecograph.build.shacl.engine` (node by node with pySHACL,
far too
slow for a large graph), kept here so that a test can compare the two on every example.
pySHACL is a test-only dependency for this reason alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import processor as sparql_processor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ecograph.build.checks import Locator, Problem, Severity
from ecograph.errors import InputError, SourceLocation

_SEVERITY: dict[Node | None, Severity] = {
    SH.Violation: "error",
    SH.Warning: "warning",
    SH.Info: "warning",
}


@contextmanager
def prepared_sparql() -> Iterator[None]:
    """Parse each SPARQL text once while pySHACL runs.

    pySHACL evaluates a SPARQL-based constraint once per focus node, passing the same query
    text each time, and rdflib parses it anew on every call: on this project that parsing was
    90% of validation time. A prepared rdflib query is meant to be evaluated many times, so
    the text is prepared once and reused; the patch is undone on leaving, so nothing outside
    validation sees it.
    """
    original = sparql_processor.SPARQLProcessor.query
    cache: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Query] = {}

    def query(self: Any, str_or_query: str | Query, *args: Any, **kwargs: Any) -> Any:
        if isinstance(str_or_query, str):
            init_ns = kwargs.get("initNs") or (args[1] if len(args) > 1 else None) or {}
            base = kwargs.get("base") or (args[2] if len(args) > 2 else None)
            key = (str_or_query, base, tuple(sorted((k, str(v)) for k, v in init_ns.items())))
            if key not in cache:
                cache[key] = sparql_processor.prepareQuery(str_or_query, initNs=init_ns, base=base)
            str_or_query = cache[key]
        return original(self, str_or_query, *args, **kwargs)

    sparql_processor.SPARQLProcessor.query = query  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        sparql_processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def reference_shacl(data: Graph, shapes: Graph, locator: Locator) -> list[Problem]:
    """Run pySHACL; every result becomes a problem naming its focus node and shape.

    pySHACL returns (rather than raises) a failure when the shapes themselves are unusable;
    that is a broken input file, not a data problem, so it is raised as one.
    """
    with prepared_sparql():
        _, results, text = pyshacl.validate(
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
