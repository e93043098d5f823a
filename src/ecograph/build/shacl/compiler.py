"""SHACL shapes compiled to set-based SPARQL: one query per constraint, for all focus nodes.

A SHACL processor that walks focus node by focus node (pySHACL does) pays, for every node,
the cost of every constraint in Python; at a million triples that is hours. The same rule asked
once for the whole graph — "which targets of this shape have no rdfs:label?" — is one query
that Oxigraph answers from its indexes. This module turns a shapes graph into such queries
(:class:`Check`); :mod:`ecograph.build.shacl.engine` runs them and words their rows as problems.

Every query selects ``?this`` (the focus node) and, where the result names one, ``?value``.
Two forms are used: *target first* (enumerate the focus nodes, then test each), needed when
the absence of something is the violation (``sh:minCount``, node-level tests); and *violation
first* (find the offending values, then ask whether their subject is a focus node), which is
what keeps value tests cheap when a shape has a large target and few values break it.

What the compiler does not know, it refuses (:class:`Unsupported`) rather than skipping: a
constraint silently left out would make a broken graph look valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import count

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

RDF_TYPE = f"<{RDF.type}>"
SUBCLASS_OF = f"<{RDFS.subClassOf}>"

#: Predicates of a shape that carry no constraint (or are handled outside the value tests).
_DESCRIPTIVE = frozenset(
    {
        RDF.type,
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.target,
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
)
#: Parameters the value tests compile (see :meth:`Compiler.value_tests`).
_VALUE_PARAMETERS = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.pattern,
        SH.flags,
        SH["in"],
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH.minLength,
        SH.maxLength,
        SH.languageIn,
        SH["or"],
        SH["and"],
        SH["not"],
        SH.xone,
        SH.node,
        SH.hasValue,
    }
)
#: Parameters that only make sense on property shapes, or on node shapes (sh:sparql).
_PROPERTY_PARAMETERS = frozenset(
    {
        SH.minCount,
        SH.maxCount,
        SH.uniqueLang,
        SH.lessThan,
        SH.lessThanOrEquals,
        SH.qualifiedValueShape,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
    }
)
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_RANGES = {
    SH.minInclusive: ("MinInclusive", ">="),
    SH.maxInclusive: ("MaxInclusive", "<="),
    SH.minExclusive: ("MinExclusive", ">"),
    SH.maxExclusive: ("MaxExclusive", "<"),
}
_DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
_CLASS_PATH = re.compile(
    r"(?:\brdf:type|(?<![\w:?$])a|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)"
    r"\s*/\s*(?:rdfs:subClassOf|<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>)\s*\*"
)
# A SPARQL token that may hold a variable-looking text (kept as is), or a variable.
_TOKENS = re.compile(
    r'("""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*)'
    r"|(?<![\w)>/])[?$](\w+)"
)
_SELECT_HEAD = re.compile(r"(?is)^\s*SELECT\s+((?:DISTINCT|REDUCED)\s+)?(.*?)\s*(?:WHERE\s*)?\{")


class Unsupported(Exception):
    """The shapes use a SHACL feature that the compiler does not translate."""

    def __init__(self, shape: Node, feature: str) -> None:
        self.shape = shape
        self.feature = feature
        super().__init__(f"{shape}: {feature}")


@dataclass(frozen=True)
class Check:
    """One query whose rows are results of one constraint of ``shape``.

    ``kind`` says how rows become results: ``"core"`` rows hold ``?this`` and maybe
    ``?value``; ``"component"`` rows are ASK-validator failures, worded with the validator's
    ``templates``; ``"sparql"`` rows are a SPARQL constraint's solutions, every projected
    variable available to the ``templates``.
    """

    shape: Node
    component: str
    query: str
    kind: str = "core"
    value_is_focus: bool = False  # node-level tests report the focus node as the value
    templates: tuple[Literal, ...] = ()
    parameters: tuple[tuple[str, Node], ...] = ()  # a custom component's bound parameters
    projects_this: bool = True  # a SPARQL constraint that selects $this
    path: Node | None = None  # the property shape's path, reported as sh:resultPath
    owner: Node | None = None  # the shape whose targets gave the focus nodes


@dataclass
class _Focus:
    """The focus nodes of a shape, in the two forms the queries need."""

    group: str  # a group pattern binding ?this to every focus node, once
    inline: str  # a pattern true when ?this (already bound) is a focus node
    cheap_inline: bool  # whether ``inline`` is a few index lookups (else enumerate first)


@dataclass
class Compiler:
    """Compiles every shape of ``shapes`` that has targets into :class:`Check` queries.

    ``closed`` says that the data is closed under rdfs:subClassOf (every rdf:type already has
    its super-classes, as after ecograph's reasoning): the SHACL instance test
    ``rdf:type/rdfs:subClassOf*`` is then the plain ``rdf:type``, one index lookup instead of a
    path walk — the same answers, which
    :func:`~ecograph.build.shacl.engine.closed_under_subclass` checks on
    the store before this mode is used.
    """

    shapes: Graph
    closed: bool = False
    #: Enumerates a shape's focus nodes (the SPARQL targets' ``SELECT ?this`` query) as SPARQL
    #: terms, or ``None`` when there are too many to write out: see :meth:`_focus`.
    enumerate_focus: Callable[[Node, str], list[str] | None] | None = None
    _names: Iterator[int] = field(default_factory=count)

    def __post_init__(self) -> None:
        self.components = self._custom_components()

    # ------------------------------------------------------------------ the shapes

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in sorted(self._top_level_shapes(), key=str):
            if self._deactivated(shape):
                continue
            focus = self._focus(shape)
            if focus is None:
                continue  # no targets (used only through sh:node, sh:or…) or no focus nodes
            found: list[Check] = []
            if (shape, SH.path, None) in self.shapes:
                found += self._property_checks(shape, focus)
            else:
                found += self._node_checks(shape, focus)
                for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                    if not self._deactivated(prop):
                        found += self._property_checks(prop, focus)
            checks += [replace(c, owner=shape) for c in found]
        return checks

    def _top_level_shapes(self) -> set[Node]:
        g = self.shapes
        found: set[Node] = set(g.subjects(RDF.type, SH.NodeShape))
        found |= set(g.subjects(RDF.type, SH.PropertyShape))
        for key in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            found |= set(g.subjects(key, None))
        return found

    def _deactivated(self, shape: Node) -> bool:
        value = self.shapes.value(shape, SH.deactivated)
        return isinstance(value, Literal) and bool(value.value)

    def _check_known(self, shape: Node, allowed: frozenset[URIRef]) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if not isinstance(predicate, URIRef) or predicate in self.components:
                continue
            if str(predicate).startswith(str(SH)) and predicate not in allowed:
                raise Unsupported(shape, f"sh:{str(predicate)[len(str(SH)) :]} here")

    # ------------------------------------------------------------------ targets

    def _focus(self, shape: Node) -> _Focus | None:
        g = self.shapes
        parts: list[str] = []
        cheap = True
        classes = list(g.objects(shape, SH.targetClass))
        implicit = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        if any(t in implicit for t in g.objects(shape, RDF.type)):
            classes.append(shape)
        for cls in classes:
            parts.append(self.instance("?this", cls))
        for prop in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {term(prop)} [] .")
        for prop in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"[] {term(prop)} ?this .")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(term(n) for n in nodes) + " }")
        for target in g.objects(shape, SH.target):
            select = g.value(target, SH.select)
            if select is None or (target, SH.ask, None) in g:
                raise Unsupported(shape, "a target that is not a SPARQL SELECT target")
            parts.append(self._inline_select(shape, str(select), self._prefixes(target)))
            cheap = False
        if not parts:
            return None
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        if len(parts) == 1 and len(classes) == 1 and cheap:
            # One class: a triple pattern, whose subjects need no DISTINCT around them.
            return _Focus(group=parts[0], inline=union, cheap_inline=True)
        # Enumerated, a target's FILTER NOT EXISTS is better an anti-join; asked of one node
        # (inline, inside an EXISTS), a lookup is what it should stay.
        enumerated = " UNION ".join(f"{{ {not_exists_as_minus(p)} }}" for p in parts)
        group = f"{{ SELECT DISTINCT ?this WHERE {{ {enumerated} }} }}"
        if not cheap and self.enumerate_focus is not None:
            # A SPARQL target is a query of its own, which every check would run again: run it
            # once, and when it finds nothing (the usual case of a target that preselects the
            # offending nodes) or a few nodes, the checks read those instead.
            found = self.enumerate_focus(shape, f"SELECT ?this WHERE {group}")
            if found is not None:
                if not found:
                    return None
                listed = "VALUES ?this { " + " ".join(found) + " }"
                return _Focus(group=listed, inline=listed, cheap_inline=True)
        return _Focus(group=group, inline=union, cheap_inline=cheap)

    def _inline_select(self, shape: Node, text: str, prefixes: dict[str, str]) -> str:
        """A SPARQL target's WHERE body, its own variables renamed so that nothing around it
        can bind them; its prefixes expanded, since the body leaves its prologue behind."""
        head = _SELECT_HEAD.match(text)
        end = text.rstrip().rfind("}")
        if head is None or end < head.end() or not re.search(r"[?$]this\b", head.group(2)):
            raise Unsupported(shape, "a SPARQL target that is not SELECT ?this WHERE { … }")
        body = self.classes(expand_prefixes(text[head.end() : end], prefixes))
        return rename_variables(body, {"this": "?this"}, f"t{next(self._names)}_")

    def instance(self, var: str, cls: Node) -> str:
        """The SHACL instance test as a triple pattern."""
        path = RDF_TYPE if self.closed else f"{RDF_TYPE}/{SUBCLASS_OF}*"
        return f"{var} {path} {term(cls)} ."

    def classes(self, text: str) -> str:
        """A query text with its instance tests as the data allows (see the class docs)."""
        return _CLASS_PATH.sub(RDF_TYPE, text) if self.closed else text

    # ------------------------------------------------------------------ node shapes

    def _node_checks(self, shape: Node, focus: _Focus) -> list[Check]:
        self._check_known(
            shape, _DESCRIPTIVE | _VALUE_PARAMETERS | {SH.sparql, SH.closed, SH.ignoredProperties}
        )
        if (shape, SH.closed, Literal(True)) in self.shapes:
            raise Unsupported(shape, "sh:closed")
        checks = []
        for test in self.value_tests(shape, "?this", "?this"):
            where = f"{focus.group} FILTER (!{test.condition})"
            checks.append(
                Check(
                    shape,
                    test.component,
                    self._select("DISTINCT ?this", where),
                    kind="component" if test.custom else "core",
                    value_is_focus=not test.no_value,
                    templates=test.templates,
                    parameters=test.parameters,
                )
            )
        for constraint in sorted(self.shapes.objects(shape, SH.sparql), key=str):
            if not self._deactivated(constraint):
                checks.append(self._sparql_check(shape, constraint, focus))
        return checks

    def _sparql_check(self, shape: Node, constraint: Node, focus: _Focus) -> Check:
        select = self.shapes.value(constraint, SH.select)
        if not isinstance(select, Literal):
            raise Unsupported(shape, "a SPARQL constraint without sh:select")
        text = str(select)
        for variable in ("PATH", "currentShape", "shapesGraph"):
            if re.search(rf"[?$]{variable}\b", text):
                raise Unsupported(shape, f"${variable} in a SPARQL constraint")
        head = _SELECT_HEAD.match(text)
        if head is None:
            raise Unsupported(shape, "a SPARQL constraint that is not SELECT … WHERE { … }")
        projection = head.group(2)
        projects_this = projection.strip() == "*" or bool(re.search(r"[?$]this\b", projection))
        if not projects_this:
            projection = f"?this {projection}"
        # The focus nodes join the constraint's own WHERE group: the same solutions as
        # pre-binding $this to each focus node in turn, for every focus node at once.
        body = (
            f"SELECT {head.group(1) or ''}{projection} WHERE {{ {focus.group} " + text[head.end() :]
        )
        query = self._prologue(self._prefixes(constraint)) + self.classes(body)
        return Check(
            shape,
            "SPARQLConstraintComponent",
            query,
            kind="sparql",
            value_is_focus=True,
            templates=tuple(
                m for m in self.shapes.objects(constraint, SH.message) if isinstance(m, Literal)
            ),
            projects_this=projects_this,
        )

    # ------------------------------------------------------------------ property shapes

    def _property_checks(self, prop: Node, focus: _Focus) -> list[Check]:
        g = self.shapes
        self._check_known(prop, _DESCRIPTIVE | _VALUE_PARAMETERS | _PROPERTY_PARAMETERS)
        if (prop, SH.qualifiedValueShapesDisjoint, None) in g:
            raise Unsupported(prop, "sh:qualifiedValueShapesDisjoint")
        path_node = g.value(prop, SH.path)
        if path_node is None:
            raise Unsupported(prop, "a property shape without sh:path")
        if (prop, SH.property, None) in g:
            raise Unsupported(prop, "a property shape inside a property shape")
        p, zero_length = self.path(prop, path_node)
        # Violation first, unless the path can have zero length (it would then match every
        # node of the graph) or the focus is cheap to enumerate anyway.
        if zero_length or focus.cheap_inline:
            values = f"{focus.group} ?this {p} ?value ."

            def where(condition: str) -> str:
                return f"{values} FILTER (!{condition})"

        else:

            def where(condition: str) -> str:
                return f"?this {p} ?value . FILTER (!{condition} && EXISTS {{ {focus.inline} }})"

        def absent(patterns: tuple[str, ...]) -> str:
            # A test that passes when one of the patterns matches (sh:class, sh:or of classes):
            # anti-joins (MINUS) of the values with each pattern's matches, where a FILTER
            # would ask an EXISTS per value. ?value is bound in every row, so the same answers.
            minus = " ".join(f"MINUS {{ {pattern} }}" for pattern in patterns)
            if focus.cheap_inline:
                return f"{focus.group} ?this {p} ?value . {minus}"
            return f"?this {p} ?value . {minus} FILTER EXISTS {{ {focus.inline} }}"

        checks = []
        for test in self.value_tests(prop, "?value", "?this"):
            if test.no_value:
                query = self._select("DISTINCT ?this", f"{focus.group} FILTER (!{test.condition})")
            elif test.absent and not zero_length:
                query = self._select("DISTINCT ?this ?value", absent(test.absent))
            else:
                query = self._select("DISTINCT ?this ?value", where(test.condition))
            checks.append(
                Check(
                    prop,
                    test.component,
                    query,
                    kind="component" if test.custom else "core",
                    templates=test.templates,
                    parameters=test.parameters,
                )
            )
        checks += self._cardinality(prop, p, zero_length, focus)
        if _true(g.value(prop, SH.uniqueLang)):
            where_unique = (
                f"{focus.group if focus.cheap_inline else ''} ?this {p} ?a . ?this {p} ?b . "
                'FILTER (!sameTerm(?a, ?b) && isLiteral(?a) && lang(?a) != "" '
                "&& LCASE(lang(?a)) = LCASE(lang(?b))"
                + ("" if focus.cheap_inline else f" && EXISTS {{ {focus.inline} }}")
                + ") BIND (LCASE(lang(?a)) AS ?lang)"
            )
            checks.append(
                Check(
                    prop,
                    "UniqueLangConstraintComponent",
                    self._select("DISTINCT ?this ?lang", where_unique),
                )
            )
        for key, name, op in (
            (SH.lessThan, "LessThan", "<"),
            (SH.lessThanOrEquals, "LessThanOrEquals", "<="),
        ):
            for other in g.objects(prop, key):
                if not isinstance(other, URIRef):
                    raise Unsupported(prop, f"sh:{name[0].lower() + name[1:]} with a non-IRI")
                # pySHACL compares IRIs and strings as text, anything else as values; a
                # string against a non-string never passes.
                ok = (
                    f"IF(isIRI(?value) || datatype(?value) IN (xsd:string, rdf:langString), "
                    f"(isIRI(?other) || datatype(?other) IN (xsd:string, rdf:langString)) "
                    f"&& STR(?value) {op} STR(?other), "
                    f"!(isIRI(?other) || datatype(?other) IN (xsd:string, rdf:langString)) "
                    f"&& COALESCE(?value {op} ?other, false))"
                )
                pair = f"?this {term(other)} ?other . FILTER (!COALESCE({ok}, false))"
                checks.append(
                    Check(
                        prop,
                        f"{name}ConstraintComponent",
                        self._select(
                            "DISTINCT ?this ?value ?other",
                            f"{focus.group} ?this {p} ?value . {pair}",
                        ),
                    )
                )
        return [replace(c, path=path_node) for c in checks]

    def _cardinality(self, prop: Node, p: str, zero_length: bool, focus: _Focus) -> list[Check]:
        g = self.shapes
        checks = []
        minimum = _integer(prop, g.value(prop, SH.minCount))
        if minimum is not None and minimum > 0:
            if minimum == 1 and not zero_length:
                # MINUS: one anti-join of two sets, where FILTER NOT EXISTS asks once per node.
                # The same answers, ?this being bound in every focus row (a zero-length path
                # would differ: alone, it matches only the nodes of the graph).
                where = f"{focus.group} MINUS {{ ?this {p} ?any }}"
            elif minimum == 1:
                where = f"{focus.group} FILTER NOT EXISTS {{ ?this {p} ?any }}"
            else:
                where = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus.group} "
                    f"OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this }} FILTER (?n < {minimum})"
                )
            checks.append(Check(prop, "MinCountConstraintComponent", self._select("?this", where)))
        maximum = _integer(prop, g.value(prop, SH.maxCount))
        if maximum is not None:
            where = (
                f"{{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?v) > {maximum}) }} FILTER EXISTS {{ {focus.inline} }}"
            )
            checks.append(Check(prop, "MaxCountConstraintComponent", self._select("?this", where)))
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            condition = self.conforms(qualified, "?v")
            counted = (
                f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                f"?this {p} ?v . FILTER ({condition}) }} GROUP BY ?this }}"
            )
            for key, name, test in (
                (SH.qualifiedMinCount, "QualifiedMinCount", "COALESCE(?n, 0) < {}"),
                (SH.qualifiedMaxCount, "QualifiedMaxCount", "COALESCE(?n, 0) > {}"),
            ):
                bound = _integer(prop, g.value(prop, key))
                if bound is not None:
                    where = f"{focus.group} {counted} FILTER ({test.format(bound)})"
                    checks.append(
                        Check(prop, f"{name}ConstraintComponent", self._select("?this", where))
                    )
        return checks

    def path(self, shape: Node, node: Node) -> tuple[str, bool]:
        """A SHACL path in SPARQL syntax, and whether it can have zero length."""
        g = self.shapes
        if isinstance(node, URIRef):
            return term(node), False
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            inner, zero = self.path(shape, inverse)
            return f"^{inner}", zero
        alternative = g.value(node, SH.alternativePath)
        if alternative is not None:
            members = [self.path(shape, m) for m in Collection(g, alternative)]
            return "(" + "|".join(m for m, _ in members) + ")", any(z for _, z in members)
        for key, suffix, zero in (
            (SH.zeroOrMorePath, "*", True),
            (SH.oneOrMorePath, "+", False),
            (SH.zeroOrOnePath, "?", True),
        ):
            inner_node = g.value(node, key)
            if inner_node is not None:
                inner, inner_zero = self.path(shape, inner_node)
                return f"({inner}){suffix}", zero or inner_zero
        if (node, RDF.first, None) in g:
            members = [self.path(shape, m) for m in Collection(g, node)]
            return "(" + "/".join(m for m, _ in members) + ")", all(z for _, z in members)
        raise Unsupported(shape, "a path that is not a SHACL path")

    # ------------------------------------------------------------------ value tests

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression, true when ``var`` conforms to ``shape`` used as a value shape
        (through sh:node, sh:or, sh:and, sh:xone, sh:not or sh:qualifiedValueShape)."""
        g = self.shapes
        if self._deactivated(shape):
            return "true"
        # With allow_warnings, as ecograph runs pySHACL, a shape of lesser severity conforms.
        if g.value(shape, SH.severity) in (SH.Warning, SH.Info):
            return "true"
        if (shape, SH.property, None) in g or (shape, SH.path, None) in g:
            raise Unsupported(shape, "a property shape inside a value shape")
        self._check_known(shape, _DESCRIPTIVE | _VALUE_PARAMETERS)
        tests = [t.condition for t in self.value_tests(shape, var, var)]
        return "(" + " && ".join(tests) + ")" if tests else "true"

    def _alternatives(self, members: list[Node], conditions: list[str], v: str) -> tuple[str, ...]:
        """The patterns of an sh:or whose every member is one sh:class test (else none)."""
        patterns: list[str] = []
        for member, condition in zip(members, conditions, strict=True):
            tests = list(self.value_tests(member, v, v)) if condition != "true" else []
            if len(tests) != 1 or tests[0].component != "ClassConstraintComponent":
                return ()
            patterns += tests[0].absent
        return tuple(patterns)

    def value_tests(self, shape: Node, v: str, this: str) -> Iterator[_Test]:
        """Each value-level constraint of ``shape`` as a condition on ``v``, which is the
        focus node itself for node shapes; ``this`` is the focus node."""
        g = self.shapes
        for cls in g.objects(shape, SH["class"]):
            instance = self.instance(v, cls)
            yield _Test("ClassConstraintComponent", f"EXISTS {{ {instance} }}", absent=(instance,))
        for datatype in g.objects(shape, SH.datatype):
            if datatype == RDFS.Literal:
                yield _Test("DatatypeConstraintComponent", f"isLiteral({v})")
            else:
                yield _Test(
                    "DatatypeConstraintComponent",
                    f"(isLiteral({v}) && datatype({v}) = {term(datatype)})",
                )
        for kind in g.objects(shape, SH.nodeKind):
            test = _NODE_KINDS.get(kind) if isinstance(kind, URIRef) else None
            if test is None:
                raise Unsupported(shape, f"sh:nodeKind {kind}")
            yield _Test("NodeKindConstraintComponent", test.format(v=v))
        flags = g.value(shape, SH.flags)
        for pattern in g.objects(shape, SH.pattern):
            extra = f", {sparql_string(str(flags))}" if flags is not None else ""
            regex = sparql_string(python_regex(str(pattern)))
            yield _Test(
                "PatternConstraintComponent",
                f"(!isBlank({v}) && regex(str({v}), {regex}{extra}))",
            )
        for values in g.objects(shape, SH["in"]):
            members = [f"sameTerm({v}, {term(m)})" for m in Collection(g, values)]
            yield _Test("InConstraintComponent", "(" + (" || ".join(members) or "false") + ")")
        for key, (name, op) in _RANGES.items():
            for bound in g.objects(shape, key):
                yield _Test(
                    f"{name}ConstraintComponent", f"COALESCE({v} {op} {term(bound)}, false)"
                )
        for bound in g.objects(shape, SH.minLength):
            n = _integer(shape, bound)
            yield _Test(
                "MinLengthConstraintComponent",
                "true" if n == 0 else f"(!isBlank({v}) && strlen(str({v})) >= {n})",
            )
        for bound in g.objects(shape, SH.maxLength):
            n = _integer(shape, bound)
            yield _Test(
                "MaxLengthConstraintComponent", f"(!isBlank({v}) && strlen(str({v})) <= {n})"
            )
        for languages in g.objects(shape, SH.languageIn):
            matches = [
                f"langMatches(lang({v}), {sparql_string(str(t))})" for t in Collection(g, languages)
            ]
            yield _Test(
                "LanguageInConstraintComponent",
                f'(isLiteral({v}) && lang({v}) != "" && ({" || ".join(matches) or "false"}))',
            )
        for listed in g.objects(shape, SH["or"]):
            shapes = list(Collection(g, listed))
            either = [self.conforms(m, v) for m in shapes]
            yield _Test(
                "OrConstraintComponent",
                "(" + (" || ".join(either) or "false") + ")",
                absent=self._alternatives(shapes, either, v),
            )
        for listed in g.objects(shape, SH["and"]):
            every = [self.conforms(m, v) for m in Collection(g, listed)]
            yield _Test("AndConstraintComponent", "(" + (" && ".join(every) or "true") + ")")
        for listed in g.objects(shape, SH.xone):
            ones = [f"IF({self.conforms(m, v)}, 1, 0)" for m in Collection(g, listed)]
            yield _Test("XoneConstraintComponent", "(" + (" + ".join(ones) or "0") + " = 1)")
        for negated in g.objects(shape, SH["not"]):
            yield _Test("NotConstraintComponent", f"!{self.conforms(negated, v)}")
        for node in g.objects(shape, SH.node):
            yield _Test("NodeConstraintComponent", self.conforms(node, v))
        for value in g.objects(shape, SH.hasValue):
            if v == this and (shape, SH.path, None) not in g:
                yield _Test("HasValueConstraintComponent", f"sameTerm({v}, {term(value)})", True)
            else:
                raise Unsupported(shape, "sh:hasValue on a property shape")
        yield from self._custom_tests(shape, v, this)

    # ------------------------------------------------------------------ custom components

    def _custom_components(self) -> dict[URIRef, _Component]:
        g = self.shapes
        found: dict[URIRef, _Component] = {}
        for component in g.subjects(RDF.type, SH.ConstraintComponent):
            parameters: list[tuple[URIRef, str, bool]] = []
            for parameter in g.objects(component, SH.parameter):
                path = g.value(parameter, SH.path)
                if not isinstance(path, URIRef):
                    raise Unsupported(component, "a parameter whose sh:path is not an IRI")
                optional = _true(g.value(parameter, SH.optional))
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
            body = expand_prefixes(body, self._prefixes(validator))
            messages = tuple(m for m in g.objects(validator, SH.message) if isinstance(m, Literal))
            for path, _, _ in parameters:
                found[path] = _Component(component, parameters, body, messages)
        return found

    def _custom_tests(self, shape: Node, v: str, this: str) -> Iterator[_Test]:
        g = self.shapes
        seen: set[Node] = set()
        for component in self.components.values():
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
            keep = {name: term(value) for name, value in bound.items()}
            keep |= {"value": v, "this": this}
            text = self.classes(rename_variables(component.body, keep, f"c{next(self._names)}_"))
            yield _Test(
                str(component.node),
                f"EXISTS {{ {text} }}",
                templates=component.messages,
                parameters=tuple(sorted(bound.items())),
                custom=True,
            )

    # ------------------------------------------------------------------ text

    def _prefixes(self, node: Node) -> dict[str, str]:
        """The prefixes pySHACL gives a SPARQL text: rdf, rdfs and owl, then the declarations
        of its sh:prefixes (plus those of every owl:Ontology when sh:prefixes names a node that
        is not itself an ontology with declarations)."""
        g = self.shapes
        prefixes = dict(_DEFAULT_PREFIXES)
        named = list(g.objects(node, SH.prefixes))
        if not named:
            return prefixes
        ontologies = set(g.subjects(RDF.type, OWL.Ontology))
        everywhere = {d for o in ontologies for d in g.objects(o, SH.declare)}
        for prefixes_node in named:
            own = set(g.objects(prefixes_node, SH.declare))
            declarations = own if own and prefixes_node in ontologies else own | everywhere
            for declaration in declarations:
                prefix = g.value(declaration, SH.prefix)
                namespace = g.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise Unsupported(node, "an sh:declare without sh:prefix and sh:namespace")
                prefixes[str(prefix)] = str(namespace)
        return prefixes

    def _prologue(self, prefixes: dict[str, str]) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))

    def _select(self, projection: str, where: str) -> str:
        prologue = self._prologue({"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)})
        return f"{prologue}SELECT {projection} WHERE {{ {where} }}"


@dataclass(frozen=True)
class _Test:
    component: str
    condition: str
    no_value: bool = False  # the result names no value (sh:hasValue on a node shape)
    templates: tuple[Literal, ...] = ()
    parameters: tuple[tuple[str, Node], ...] = ()
    custom: bool = False  # a SPARQL-based constraint component's validator
    #: Patterns on the value, one of which must match for the test to pass (else empty): the
    #: test as anti-joins, where the data allows (see :meth:`Compiler._property_checks`).
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Component:
    node: Node
    parameters: list[tuple[URIRef, str, bool]]
    body: str
    messages: tuple[Literal, ...]


def _true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.value is True


def _integer(shape: Node, value: Node | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, Literal) or not isinstance(value.value, int):
        raise Unsupported(shape, f"a count or length that is not an integer: {value}")
    return int(value.value)


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
        text = sparql_string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype:
            return f"{text}^^<{node.datatype}>"
        return text
    if isinstance(node, BNode):
        raise Unsupported(node, "a blank node where a constant is needed")
    raise Unsupported(node, f"{node!r} where a constant is needed")


def python_regex(pattern: str) -> str:
    """A Python ``re`` pattern rewritten for SPARQL's regex() so that it matches the same
    strings: outside a character class, Python's ``$`` also matches before a final newline,
    which the regex engines of SPARQL stores do not do (``\\n?$`` does, as a search)."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append("(?:\\n?$)")
            continue
        out.append(char)
    return "".join(out)


def expand_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Prefixed names replaced by full IRIs, for text moved away from its own prologue."""
    if not prefixes:
        return text
    names = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    pattern = re.compile(rf"({_TOKENS.pattern})|(?<![\w:?$\-.])({names}):([\w\-.]*[\w\-])?")

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        prefix, local = match.group(4), match.group(5) or ""
        return f"<{prefixes[prefix]}{local}>"

    return pattern.sub(replace, text)


_NOT_EXISTS_TYPE = re.compile(
    r"FILTER\s+NOT\s+EXISTS\s*\{\s*(\?this\s+(?:a|<[^<>\s]*>)\s+<[^<>\s]*>)\s*\.?\s*\}"
)
_THIS_TRIPLE = re.compile(r"(?:^|[.{}])\s*\?this\s+(?:a\s|<)")


def top_level(text: str) -> str:
    """``text`` with what nested groups, strings, IRIs and comments hold blanked out (the
    same length, so that positions still match): what is left is the outermost group."""
    out = list(text)
    depth = 0
    position = 0
    for match in re.finditer(_TOKENS.pattern + r"|[{}]", text):
        for i in range(position, match.start()):
            if depth > 0:
                out[i] = " "
        token = match.group(0)
        if match.group(1) is not None:
            out[match.start() : match.end()] = " " * len(token)
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth > 0:
            out[match.start() : match.end()] = " " * len(token)
        position = match.end()
    for i in range(position, len(text)):
        if depth > 0:
            out[i] = " "
    return "".join(out)


def not_exists_as_minus(body: str) -> str:
    """A target's ``FILTER NOT EXISTS { ?this <p> <o> }`` as ``MINUS { ?this <p> <o> }``.

    Oxigraph answers the FILTER with one lookup per row, the MINUS with one anti-join: at a
    million triples, 3 s against 1 s for a target over every typed node (but inside an EXISTS,
    asked per row, the MINUS would enumerate its right side every time). The two agree when
    ?this is bound in every row, which a triple pattern on ?this in the same (outermost)
    group ensures; elsewhere the text is kept as it is.
    """
    outer = top_level(body)
    if not _THIS_TRIPLE.search(outer):
        return body
    pieces = []
    position = 0
    for match in _NOT_EXISTS_TYPE.finditer(body):
        if not outer[match.start() :].startswith("FILTER"):
            continue  # inside a nested group
        pieces += [body[position : match.start()], f"MINUS {{ {match.group(1)} }}"]
        position = match.end()
    return "".join(pieces) + body[position:]


def rename_variables(text: str, keep: dict[str, str], prefix: str) -> str:
    """Variables of ``text`` renamed to ``?{prefix}{name}``, except those in ``keep``, which
    become the given text (a variable of the query around, or a constant)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        name = match.group(2)
        return keep.get(name, f"?{prefix}{name}")

    return _TOKENS.sub(replace, text)
