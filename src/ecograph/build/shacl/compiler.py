"""SHACL shapes compiled to set-based SPARQL: one query per constraint, for all focus nodes.

A SHACL processor that walks focus node by focus node pays, for every node, the cost of every
constraint in Python. The same rule asked once for the whole graph — "which targets of this
shape have no rdfs:label?" — is one query that Oxigraph answers from its indexes (the figures
are in docs/build.md). This module assembles such queries (:class:`Check`) from the families of
constraint components, one module each as the SHACL specification groups them;
:mod:`ecograph.build.shacl.engine` runs them and words their rows as problems.

Every query selects ``?this`` (the focus node) and, where the result names one, ``?value``.
Two forms are used: *target first* (enumerate the focus nodes, then test each), needed when
the absence of something is the violation (``sh:minCount``, node-level tests); and *violation
first* (find the offending values, then ask whether their subject is a focus node), which is
what keeps value tests cheap when a shape has a large target and few values break it.

What the compiler does not know, it refuses (:class:`Unsupported`) rather than skipping: a
constraint silently left out would make a broken graph look valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import count

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from ecograph.build.shacl import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    sparql_based,
    string_based,
    targets,
    value_range,
    value_type,
)
from ecograph.build.shacl.components import (
    Check,
    Focus,
    PropertyPath,
    Test,
    Unsupported,
    constant,
    select,
)
from ecograph.build.shacl.paths import sparql_path
from ecograph.build.shacl.rewriting import plain_types

RDF_TYPE = f"<{RDF.type}>"
SUBCLASS_OF = f"<{RDFS.subClassOf}>"

ValueTests = Callable[["Compiler", Node, str, str], Iterator[Test]]
PropertyChecks = Callable[["Compiler", Node, PropertyPath, Focus], Iterator[Check]]

#: The value-level components, in the order their checks are made.
VALUE_TESTS: tuple[ValueTests, ...] = (
    value_type.class_,
    value_type.datatype,
    value_type.node_kind,
    string_based.pattern,
    other.in_,
    value_range.ranges,
    string_based.min_length,
    string_based.max_length,
    string_based.language_in,
    logical.or_,
    logical.and_,
    logical.xone,
    logical.not_,
    shape_based.node,
    other.has_value,
)
#: The components that count or compare a property's values, after its value tests.
PROPERTY_CHECKS: tuple[PropertyChecks, ...] = (
    cardinality.min_count,
    cardinality.max_count,
    shape_based.qualified,
    string_based.unique_lang,
    property_pair.less_than,
)
#: Predicates of a shape that carry no constraint (or are handled outside the value tests).
DESCRIPTIVE = targets.TARGETS | {
    RDF.type,
    SH.property,
    SH.path,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.declare,
    SH.prefixes,
}
VALUE_PARAMETERS = (
    value_type.PARAMETERS
    | string_based.PARAMETERS
    | value_range.PARAMETERS
    | logical.PARAMETERS
    | shape_based.PARAMETERS
    | other.PARAMETERS
)
PROPERTY_PARAMETERS = (
    cardinality.PROPERTY_PARAMETERS
    | string_based.PROPERTY_PARAMETERS
    | property_pair.PROPERTY_PARAMETERS
    | shape_based.PROPERTY_PARAMETERS
)
NODE_PARAMETERS = sparql_based.NODE_PARAMETERS | other.NODE_PARAMETERS
_DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}


@dataclass
class Compiler:
    """Compiles every shape of ``shapes`` that has targets into :class:`Check` queries.

    ``closed`` says that the data is closed under rdfs:subClassOf (every rdf:type already has
    its super-classes, as after ecograph's reasoning): the SHACL instance test
    ``rdf:type/rdfs:subClassOf*`` is then the plain ``rdf:type``, one index lookup instead of a
    path walk — the same answers, which
    :func:`~ecograph.build.shacl.engine.closed_under_subclass` checks on the store before this
    mode is used.
    """

    shapes: Graph
    closed: bool = False
    #: Enumerates a shape's focus nodes (the SPARQL targets' ``SELECT ?this`` query) as SPARQL
    #: terms, or ``None`` when there are too many to write out: see :func:`targets.focus`.
    enumerate_focus: targets.EnumerateFocus | None = None
    _names: Iterator[int] = field(default_factory=count)
    _prefixes: dict[Node, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ontologies = set(self.shapes.subjects(RDF.type, OWL.Ontology))
        self._declared_everywhere = {
            d for o in self._ontologies for d in self.shapes.objects(o, SH.declare)
        }
        self.components = sparql_based.components(self)

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in sorted(targets.shapes_with_targets(self.shapes), key=str):
            if self.deactivated(shape):
                continue
            focus = targets.focus(self, shape, self.enumerate_focus)
            if focus is None:
                continue  # no targets (used only through sh:node, sh:or…) or no focus nodes
            found: list[Check] = []
            if (shape, SH.path, None) in self.shapes:
                found += self._property_checks(shape, focus)
            else:
                found += self._node_checks(shape, focus)
                for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                    if not self.deactivated(prop):
                        found += self._property_checks(prop, focus)
            checks += [replace(c, owner=shape) for c in found]
        return checks

    # The Context that the families read the shapes through.

    def instance(self, var: str, cls: Node) -> str:
        path = RDF_TYPE if self.closed else f"{RDF_TYPE}/{SUBCLASS_OF}*"
        return f"{var} {path} {constant(cls, cls)} ."

    def classes(self, text: str) -> str:
        return plain_types(text, RDF_TYPE) if self.closed else text

    def conforms(self, shape: Node, var: str) -> str:
        """True when ``var`` conforms to ``shape`` used as a value shape (through sh:node,
        sh:or, sh:and, sh:xone, sh:not or sh:qualifiedValueShape)."""
        g = self.shapes
        if self.deactivated(shape):
            return "true"
        # With allow_warnings, as ecograph has always validated, a shape of lesser severity
        # conforms.
        if g.value(shape, SH.severity) in (SH.Warning, SH.Info):
            return "true"
        if (shape, SH.property, None) in g or (shape, SH.path, None) in g:
            raise Unsupported(shape, "a property shape inside a value shape")
        self._check_known(shape, DESCRIPTIVE | VALUE_PARAMETERS)
        tests = [t.condition for t in self.value_tests(shape, var, var)]
        return "(" + " && ".join(tests) + ")" if tests else "true"

    def value_tests(self, shape: Node, v: str, this: str) -> list[Test]:
        """Each value-level constraint of ``shape`` as a condition on ``v``, which is the
        focus node itself for node shapes; ``this`` is the focus node."""
        tests = [test for family in VALUE_TESTS for test in family(self, shape, v, this)]
        return tests + list(sparql_based.component_tests(self, self.components, shape, v, this))

    def fresh(self, letter: str) -> str:
        return f"{letter}{next(self._names)}_"

    def prefixes(self, node: Node) -> dict[str, str]:
        """The prefixes pySHACL gives a SPARQL text: rdf, rdfs and owl, then the declarations
        of its sh:prefixes (plus those of every owl:Ontology when sh:prefixes names a node that
        is not itself an ontology with declarations)."""
        if node not in self._prefixes:
            self._prefixes[node] = self._declared(node)
        return dict(self._prefixes[node])

    def deactivated(self, shape: Node) -> bool:
        value = self.shapes.value(shape, SH.deactivated)
        return isinstance(value, Literal) and bool(value.value)

    # Node and property shapes.

    def _node_checks(self, shape: Node, focus: Focus) -> list[Check]:
        self._check_known(shape, DESCRIPTIVE | VALUE_PARAMETERS | NODE_PARAMETERS)
        other.refuse_closed(self, shape)
        checks = []
        for test in self.value_tests(shape, "?this", "?this"):
            where = f"{focus.group} FILTER (!{test.condition})"
            checks.append(
                Check(
                    shape,
                    test.component,
                    select("DISTINCT ?this", where),
                    kind="component" if test.custom else "core",
                    value_is_focus=not test.no_value,
                    templates=test.templates,
                    parameters=test.parameters,
                )
            )
        checks += sparql_based.constraints(self, shape, focus)
        return checks

    def _property_checks(self, prop: Node, focus: Focus) -> list[Check]:
        g = self.shapes
        self._check_known(prop, DESCRIPTIVE | VALUE_PARAMETERS | PROPERTY_PARAMETERS)
        path_node = g.value(prop, SH.path)
        if path_node is None:
            raise Unsupported(prop, "a property shape without sh:path")
        if (prop, SH.property, None) in g:
            raise Unsupported(prop, "a property shape inside a property shape")
        path = PropertyPath(path_node, *sparql_path(g, prop, path_node))
        checks = [
            Check(
                prop,
                test.component,
                _value_query(test, path, focus),
                kind="component" if test.custom else "core",
                templates=test.templates,
                parameters=test.parameters,
            )
            for test in self.value_tests(prop, "?value", "?this")
        ]
        for family in PROPERTY_CHECKS:
            checks += family(self, prop, path, focus)
        return [replace(c, path=path_node) for c in checks]

    def _check_known(self, shape: Node, allowed: frozenset[URIRef]) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if not isinstance(predicate, URIRef) or predicate in self.components:
                continue
            if str(predicate).startswith(str(SH)) and predicate not in allowed:
                raise Unsupported(shape, f"sh:{str(predicate)[len(str(SH)) :]} here")

    def _declared(self, node: Node) -> dict[str, str]:
        g = self.shapes
        prefixes = dict(_DEFAULT_PREFIXES)
        for prefixes_node in g.objects(node, SH.prefixes):
            own = set(g.objects(prefixes_node, SH.declare))
            if own and prefixes_node in self._ontologies:
                declarations = own
            else:
                declarations = own | self._declared_everywhere
            for declaration in declarations:
                prefix = g.value(declaration, SH.prefix)
                namespace = g.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise Unsupported(node, "an sh:declare without sh:prefix and sh:namespace")
                prefixes[str(prefix)] = str(namespace)
        return prefixes


def _value_query(test: Test, path: PropertyPath, focus: Focus) -> str:
    """The query of one value test on a property's values.

    Violation first, unless the path can have zero length (it would then match every node of
    the graph) or the focus is cheap to enumerate anyway. A test that passes when one of its
    ``absent`` patterns matches (sh:class, sh:or of classes) is asked as anti-joins (MINUS) of
    the values with each pattern's matches, where a FILTER would ask an EXISTS per value:
    ?value is bound in every row, so the answers are the same.
    """
    p = path.sparql
    if test.no_value:
        return select("DISTINCT ?this", f"{focus.group} FILTER (!{test.condition})")
    if test.absent and not path.zero_length:
        minus = " ".join(f"MINUS {{ {pattern} }}" for pattern in test.absent)
        if focus.cheap_inline:
            where = f"{focus.group} ?this {p} ?value . {minus}"
        else:
            where = f"?this {p} ?value . {minus} FILTER EXISTS {{ {focus.inline} }}"
    elif path.zero_length or focus.cheap_inline:
        where = f"{focus.group} ?this {p} ?value . FILTER (!{test.condition})"
    else:
        where = f"?this {p} ?value . FILTER (!{test.condition} && EXISTS {{ {focus.inline} }})"
    return select("DISTINCT ?this ?value", where)
