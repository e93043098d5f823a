"""A prototype: ecograph's SHACL shapes compiled to set-based SPARQL, evaluated by Oxigraph.

Why: pySHACL validates focus node by focus node in Python, running each SPARQL-based
constraint once per node through rdflib's engine; its cost grows with (nodes × constraints)
and reaches hours at 1M triples. The same rules can be asked once per constraint for *all*
focus nodes — "which targets of this shape have no rdfs:label?" is one query — and Oxigraph
answers such queries in milliseconds to seconds. This module is the evidence for that
proposal, not part of ecograph: it covers the SHACL Core and SHACL-SPARQL features that
``shapes/*.ttl`` uses (and raises on anything else), and ``python -m bench.fastpath
check-shacl`` compares its results with pySHACL's on every example of ``tests/data/shapes``.

Results are (focus node, source shape, value) triples: the source shape is the property shape
for property constraints and the node shape otherwise, as in pySHACL's report.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

RDF_TYPE = str(RDF.type)
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class Unsupported(Exception):
    """The shapes use a SHACL feature this prototype does not compile."""


def sparql_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def term(node: Node) -> str:
    """An rdflib term in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return f"{sparql_string(str(node))}@{node.language}"
        if node.datatype:
            return f"{sparql_string(str(node))}^^<{node.datatype}>"
        return sparql_string(str(node))
    raise Unsupported(f"a blank node {node!r} where a term is needed")


@dataclass(frozen=True)
class Check:
    """One compiled query: its rows are violations of ``shape``'s ``component``."""

    shape: str  # IRI (or blank node id) of the source shape
    component: str
    query: str


CLASS_PATHS = (
    "rdf:type/rdfs:subClassOf*",
    f"<{RDF_TYPE}>/<{SUBCLASS}>*",
)


class Compiler:
    """Compiles the node shapes of a shapes graph into :class:`Check` queries.

    With ``closure=True`` the data graph is taken to be closed under rdfs:subClassOf (ecograph
    validates after OWL RL reasoning, which materialises every super-class of every type), so
    the SHACL instance test ``rdf:type/rdfs:subClassOf*`` is compiled as plain ``rdf:type``:
    the same answers, from one index lookup instead of a path walk.
    """

    def __init__(self, shapes: Graph, closure: bool = False) -> None:
        self.g = shapes
        self.closure = closure
        prefixes = []
        for declaration in shapes.objects(None, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes.append(f"PREFIX {prefix}: <{namespace}>")
        self.prologue = "\n".join(sorted(set(prefixes)))
        # Custom constraint components: parameter path -> ASK body with $value and $param.
        self.components: dict[URIRef, tuple[str, str]] = {}
        for component in shapes.subjects(RDF.type, SH.ConstraintComponent):
            parameter = shapes.value(component, SH.parameter)
            path = shapes.value(parameter, SH.path) if parameter is not None else None
            validator = shapes.value(component, SH.validator)
            ask = shapes.value(validator, SH.ask) if validator is not None else None
            if not isinstance(path, URIRef) or ask is None:
                raise Unsupported(f"constraint component {component} is not an ASK validator")
            body = str(ask).strip()
            body = body[body.index("{") + 1 : body.rindex("}")]
            self.components[path] = (str(path), body)

    # ------------------------------------------------------------------ paths and targets

    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        inverse = self.g.value(node, SH.inversePath)
        if inverse is not None:
            return f"^{self.path(inverse)}"
        alternative = self.g.value(node, SH.alternativePath)
        if alternative is not None:
            members = [self.path(m) for m in Collection(self.g, alternative)]
            return "(" + "|".join(members) + ")"
        for key, suffix in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = self.g.value(node, key)
            if inner is not None:
                return f"({self.path(inner)}){suffix}"
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(m) for m in Collection(self.g, node)) + ")"
        raise Unsupported(f"path {node!r}")

    def targets(self, shape: Node) -> str | None:
        """A group binding ?this to every focus node of ``shape`` (None: no targets)."""
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(f"?this <{RDF_TYPE}>/<{SUBCLASS}>* {term(cls)} .")
        for prop in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {term(prop)} ?target_o .")
        for prop in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"?target_s {term(prop)} ?this .")
        nodes = list(self.g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(term(n) for n in nodes) + " }")
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if select is None:
                raise Unsupported(f"target {target!r} of {shape}")
            parts.append(str(select).strip())
        if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in self.g:
            parts.append(f"?this <{RDF_TYPE}>/<{SUBCLASS}>* {term(shape)} .")
        if not parts:
            return None
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    # ------------------------------------------------------------------ value conditions

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression, true when the value ``var`` meets the value constraints of
        ``shape`` (a node shape used through sh:node / sh:or / sh:not, or a blank one)."""
        conditions = [c for _, c in self.value_conditions(shape, var)]
        if list(self.g.objects(shape, SH.property)):
            raise Unsupported(f"property shapes nested in {shape!r}")
        return "(" + " && ".join(conditions) + ")" if conditions else "true"

    def value_conditions(self, shape: Node, v: str) -> Iterator[tuple[str, str]]:
        """(component, condition on ``v``) for every value-level constraint of ``shape``."""
        g = self.g
        for cls in g.objects(shape, SH["class"]):
            yield (
                "ClassConstraintComponent",
                (f"EXISTS {{ {v} <{RDF_TYPE}>/<{SUBCLASS}>* {term(cls)} }}"),
            )
        for datatype in g.objects(shape, SH.datatype):
            yield (
                "DatatypeConstraintComponent",
                f"(isLiteral({v}) && datatype({v}) = {term(datatype)})",
            )
        for kind in g.objects(shape, SH.nodeKind):
            local = str(kind).rsplit("#", 1)[1]
            tests = {
                "IRI": f"isIRI({v})",
                "Literal": f"isLiteral({v})",
                "BlankNode": f"isBlank({v})",
                "BlankNodeOrIRI": f"(isBlank({v}) || isIRI({v}))",
                "BlankNodeOrLiteral": f"(isBlank({v}) || isLiteral({v}))",
                "IRIOrLiteral": f"(isIRI({v}) || isLiteral({v}))",
            }
            yield "NodeKindConstraintComponent", tests[local]
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            extra = f", {sparql_string(str(flags))}" if flags is not None else ""
            yield (
                "PatternConstraintComponent",
                (f"(!isBlank({v}) && regex(str({v}), {sparql_string(str(pattern))}{extra}))"),
            )
        for values in g.objects(shape, SH["in"]):
            members = ", ".join(term(m) for m in Collection(g, values))
            yield "InConstraintComponent", f"({v} IN ({members}))"
        for key, op in (
            (SH.minInclusive, ">="),
            (SH.maxInclusive, "<="),
            (SH.minExclusive, ">"),
            (SH.maxExclusive, "<"),
        ):
            for bound in g.objects(shape, key):
                name = str(key).rsplit("#", 1)[1]
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                yield component, f"COALESCE({v} {op} {term(bound)}, false)"
        for key, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for bound in g.objects(shape, key):
                name = str(key).rsplit("#", 1)[1]
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                yield component, f"(!isBlank({v}) && strlen(str({v})) {op} {int(str(bound))})"
        for languages in g.objects(shape, SH.languageIn):
            matches = [
                f"langMatches(lang({v}), {sparql_string(str(t))})" for t in Collection(g, languages)
            ]
            yield "LanguageInConstraintComponent", f"(isLiteral({v}) && ({' || '.join(matches)}))"
        for alternatives in g.objects(shape, SH["or"]):
            options = [self.conforms(m, v) for m in Collection(g, alternatives)]
            yield "OrConstraintComponent", "(" + " || ".join(options) + ")"
        for conjuncts in g.objects(shape, SH["and"]):
            options = [self.conforms(m, v) for m in Collection(g, conjuncts)]
            yield "AndConstraintComponent", "(" + " && ".join(options) + ")"
        for negated in g.objects(shape, SH["not"]):
            yield "NotConstraintComponent", f"!{self.conforms(negated, v)}"
        for node in g.objects(shape, SH.node):
            yield "NodeConstraintComponent", self.conforms(node, v)
        for parameter, (_, body) in self.components.items():
            for value in g.objects(shape, parameter):
                local = parameter.split("#")[-1]
                text = body.replace("$value", v).replace(f"${local}", term(value))
                yield "custom:" + local, f"EXISTS {{ {text} }}"
        unsupported = {
            SH.hasValue,
            SH.closed,
            SH.equals,
            SH.disjoint,
            SH.lessThan,
            SH.xone,
            SH.qualifiedMaxCount,
        }
        for key in unsupported:
            if (shape, key, None) in g:
                raise Unsupported(f"{key} on {shape!r}")

    # ------------------------------------------------------------------ shapes

    def _name(self, shape: Node) -> str:
        return str(shape) if isinstance(shape, URIRef) else f"_:{shape}"

    def compile(self) -> list[Check]:
        checks = self._compile()
        if not self.closure:
            return checks
        return [Check(c.shape, c.component, _without_class_paths(c.query)) for c in checks]

    def _compile(self) -> list[Check]:
        checks: list[Check] = []
        shapes = set(self.g.subjects(RDF.type, SH.NodeShape))
        shapes |= {s for s in self.g.subjects(SH.targetClass, None)}
        for shape in sorted(shapes, key=str):
            if self.g.value(shape, SH.deactivated) == Literal(True):
                continue
            target = self.targets(shape)
            if target is None:
                continue  # a helper shape, used through sh:node
            checks += self._node_checks(shape, target)
            for prop in self.g.objects(shape, SH.property):
                checks += self._property_checks(prop, target)
        return checks

    def _query(self, select: str, where: str) -> str:
        return f"{self.prologue}\nSELECT DISTINCT {select} WHERE {{ {where} }}"

    def _node_checks(self, shape: Node, target: str) -> list[Check]:
        name = self._name(shape)
        checks = []
        for component, condition in self.value_conditions(shape, "?this"):
            where = f"{target} FILTER (!{condition})"
            checks.append(Check(name, component, self._query("?this (?this AS ?value)", where)))
        for constraint in self.g.objects(shape, SH.sparql):
            select = self.g.value(constraint, SH.select)
            if select is None:
                raise Unsupported(f"sh:sparql without sh:select on {shape}")
            text = str(select)
            brace = re.search(r"(?is)\bWHERE\s*\{", text)
            if brace is None:
                raise Unsupported(f"no WHERE in a SPARQL constraint of {shape}")
            cut = brace.end()
            body = text[:cut] + f" {target} " + text[cut:]
            head = re.match(r"(?is)\s*SELECT\s+(DISTINCT\s+)?", body)
            assert head is not None
            body = body[: head.end()] + body[head.end() :]
            checks.append(Check(name, "SPARQLConstraintComponent", f"{self.prologue}\n{body}"))
        return checks

    def _property_checks(self, prop: Node, target: str) -> list[Check]:
        g = self.g
        name = self._name(prop)
        path = g.value(prop, SH.path)
        if path is None:
            raise Unsupported(f"property shape {prop!r} without sh:path")
        p = self.path(path)
        checks = []
        min_count = g.value(prop, SH.minCount)
        if min_count is not None and int(str(min_count)) > 0:
            n = int(str(min_count))
            if n == 1:
                where = f"{target} FILTER NOT EXISTS {{ ?this {p} ?any }}"
                checks.append(
                    Check(name, "MinCountConstraintComponent", self._query("?this", where))
                )
            else:
                where = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} "
                    f"OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this }} FILTER (?n < {n})"
                )
                checks.append(
                    Check(name, "MinCountConstraintComponent", self._query("?this", where))
                )
        max_count = g.value(prop, SH.maxCount)
        if max_count is not None:
            where = (
                f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} ?this {p} ?v }} "
                f"GROUP BY ?this }} FILTER (?n > {int(str(max_count))})"
            )
            checks.append(Check(name, "MaxCountConstraintComponent", self._query("?this", where)))
        for component, condition in self.value_conditions(prop, "?value"):
            where = f"{target} ?this {p} ?value . FILTER (!{condition})"
            checks.append(Check(name, component, self._query("?this ?value", where)))
        if g.value(prop, SH.uniqueLang) == Literal(True):
            where = (
                f'{target} ?this {p} ?a , ?b . FILTER (?a != ?b && lang(?a) != "" '
                "&& lang(?a) = lang(?b))"
            )
            checks.append(Check(name, "UniqueLangConstraintComponent", self._query("?this", where)))
        for other in g.objects(prop, SH.lessThanOrEquals):
            where = (
                f"{target} ?this {p} ?value . ?this {term(other)} ?other . "
                "FILTER (!COALESCE(?value <= ?other, false))"
            )
            checks.append(
                Check(
                    name, "LessThanOrEqualsConstraintComponent", self._query("?this ?value", where)
                )
            )
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            n = int(str(g.value(prop, SH.qualifiedMinCount) or 0))
            condition = self.conforms(qualified, "?v")
            where = (
                f"{target} OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                f"?this {p} ?v . FILTER ({condition}) }} GROUP BY ?this }} "
                f"FILTER (COALESCE(?n, 0) < {n})"
            )
            checks.append(
                Check(name, "QualifiedMinCountConstraintComponent", self._query("?this", where))
            )
        if list(g.objects(prop, SH.sparql)) or list(g.objects(prop, SH.property)):
            raise Unsupported(f"SPARQL or nested property constraints on {prop!r}")
        return checks


def _without_class_paths(query: str) -> str:
    for path in CLASS_PATHS:
        query = query.replace(path, f"<{RDF_TYPE}>")
    return query


def validate(
    store: pyoxigraph.Store, checks: list[Check], times: dict[str, float] | None = None
) -> set[tuple[str, str, str]]:
    """(focus, source shape, value or "") of every violation, over the store's union graph;
    ``times`` collects the seconds each shape's checks took."""
    results: set[tuple[str, str, str]] = set()
    for check in checks:
        started = time.perf_counter()
        solutions = store.query(check.query, use_default_graph_as_union=True)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        for row in solutions:
            focus = row["this"]
            value = row["value"] if "value" in [v.value for v in solutions.variables] else None
            results.add((_text(focus), check.shape, _text(value) if value is not None else ""))
        if times is not None:
            key = "· shacl " + check.shape.rsplit("#", 1)[-1].split("-", 1)[0]
            times[key] = times.get(key, 0.0) + time.perf_counter() - started
    return results


def _text(node: object) -> str:
    if isinstance(node, pyoxigraph.NamedNode):
        return node.value
    if isinstance(node, pyoxigraph.BlankNode):
        return f"_:{node.value}"
    return str(node)


def focus_shapes(results: set[tuple[str, str, str]]) -> set[tuple[str, str]]:
    return {(focus, shape) for focus, shape, _ in results}


def shape_name(shape: Node) -> str:
    return (
        str(shape)
        if isinstance(shape, URIRef)
        else f"_:{shape}"
        if isinstance(shape, BNode)
        else str(shape)
    )
