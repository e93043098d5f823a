"""SPARQL-based constraints (SHACL 5, sh:sparql) and SPARQL-based constraint components
(SHACL 6, with an ASK validator).

A SPARQL constraint's own WHERE group is joined with the focus nodes: the same solutions as
pre-binding ``$this`` to each focus node in turn, for every focus node at once. A component's
ASK validator becomes an ``EXISTS`` test on each value, its parameters written in as constants.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ecograph.build.shacl.components import (
    Check,
    Context,
    Focus,
    Test,
    Unsupported,
    constant,
    is_true,
    prologue,
)
from ecograph.build.shacl.rewriting import SELECT_HEAD, expand_prefixes, rename_variables

NODE_PARAMETERS = frozenset({SH.sparql})


@dataclass(frozen=True)
class Component:
    """A SPARQL-based constraint component: its parameters (path, local name, optional), its
    ASK validator's body with prefixes expanded, and the validator's messages."""

    node: Node
    parameters: list[tuple[URIRef, str, bool]]
    body: str
    messages: tuple[Literal, ...]


def constraints(context: Context, shape: Node, focus: Focus) -> Iterator[Check]:
    """Each active sh:sparql constraint of a node shape, as one check."""
    for constraint in sorted(context.shapes.objects(shape, SH.sparql), key=str):
        if not context.deactivated(constraint):
            yield _constraint(context, shape, constraint, focus)


def _constraint(context: Context, shape: Node, constraint: Node, focus: Focus) -> Check:
    query = context.shapes.value(constraint, SH.select)
    if not isinstance(query, Literal):
        raise Unsupported(shape, "a SPARQL constraint without sh:select")
    text = str(query)
    for variable in ("PATH", "currentShape", "shapesGraph"):
        if re.search(rf"[?$]{variable}\b", text):
            raise Unsupported(shape, f"${variable} in a SPARQL constraint")
    head = SELECT_HEAD.match(text)
    if head is None:
        raise Unsupported(shape, "a SPARQL constraint that is not SELECT … WHERE { … }")
    projection = head.group(2)
    projects_this = projection.strip() == "*" or bool(re.search(r"[?$]this\b", projection))
    if not projects_this:
        projection = f"?this {projection}"
    body = f"SELECT {head.group(1) or ''}{projection} WHERE {{ {focus.group} " + text[head.end() :]
    return Check(
        shape,
        "SPARQLConstraintComponent",
        prologue(context.prefixes(constraint)) + context.classes(body),
        kind="sparql",
        value_is_focus=True,
        templates=tuple(
            m for m in context.shapes.objects(constraint, SH.message) if isinstance(m, Literal)
        ),
        projects_this=projects_this,
    )


def components(context: Context) -> dict[URIRef, Component]:
    """The shapes graph's constraint components, by each of their parameters."""
    g = context.shapes
    found: dict[URIRef, Component] = {}
    for component in g.subjects(RDF.type, SH.ConstraintComponent):
        parameters: list[tuple[URIRef, str, bool]] = []
        for parameter in g.objects(component, SH.parameter):
            path = g.value(parameter, SH.path)
            if not isinstance(path, URIRef):
                raise Unsupported(component, "a parameter whose sh:path is not an IRI")
            optional = is_true(g.value(parameter, SH.optional))
            local = re.split(r"[#/]", str(path))[-1]
            parameters.append((path, local, optional))
        validator = g.value(component, SH.validator)
        ask = g.value(validator, SH.ask) if validator is not None else None
        if ask is None or (component, SH.nodeValidator, None) in g:
            raise Unsupported(component, "a constraint component without an ASK validator")
        if (component, SH.propertyValidator, None) in g:
            raise Unsupported(component, "a constraint component with a SELECT validator")
        assert validator is not None
        text = str(ask)
        if not re.match(r"(?is)^\s*ASK\s*(WHERE\s*)?\{", text):
            raise Unsupported(component, "an ASK validator that is not ASK { … }")
        body = text[text.index("{") + 1 : text.rindex("}")]
        body = expand_prefixes(body, context.prefixes(validator))
        messages = tuple(m for m in g.objects(validator, SH.message) if isinstance(m, Literal))
        for path, _, _ in parameters:
            found[path] = Component(component, parameters, body, messages)
    return found


def component_tests(
    context: Context, known: dict[URIRef, Component], shape: Node, v: str, this: str
) -> Iterator[Test]:
    """A test per component whose mandatory parameters ``shape`` has."""
    g = context.shapes
    seen: set[Node] = set()
    for component in known.values():
        if component.node in seen:
            continue
        seen.add(component.node)
        bound: dict[str, Node] = {}
        applies = True
        for path, local, optional in component.parameters:
            values = list(g.objects(shape, path))
            if len(values) > 1:
                raise Unsupported(shape, f"more than one value of {path}")
            if values:
                bound[local] = values[0]
            elif not optional:
                applies = False
        if not applies:
            continue
        keep = {name: constant(shape, value) for name, value in bound.items()}
        keep |= {"value": v, "this": this}
        text = context.classes(rename_variables(component.body, keep, context.fresh("c")))
        yield Test(
            str(component.node),
            f"EXISTS {{ {text} }}",
            templates=component.messages,
            parameters=tuple(sorted(bound.items())),
            custom=True,
        )
