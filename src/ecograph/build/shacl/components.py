"""What every family of constraint components shares: the :class:`Check` a constraint compiles
to, a value :class:`Test`, the :class:`Focus` nodes of a shape, the refusal
(:class:`Unsupported`), and the :class:`Context` through which a family reads the shapes.

The families (one module each, as the SHACL specification groups its core components) only
turn parameters into SPARQL; :mod:`ecograph.build.shacl.compiler` decides which shapes are
compiled, in which order, and implements :class:`Context`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from ecograph.rdf.terms import ntriples


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


@dataclass(frozen=True)
class Test:
    """A value-level constraint as a SPARQL condition on one value (true when it passes)."""

    component: str
    condition: str
    no_value: bool = False  # the result names no value (sh:hasValue on a node shape)
    templates: tuple[Literal, ...] = ()
    parameters: tuple[tuple[str, Node], ...] = ()
    custom: bool = False  # a SPARQL-based constraint component's validator
    #: Patterns on the value, one of which must match for the test to pass (else empty): the
    #: test as anti-joins, where the data allows (see :mod:`ecograph.build.shacl.compiler`).
    absent: tuple[str, ...] = ()


@dataclass
class Focus:
    """The focus nodes of a shape, in the two forms the queries need."""

    group: str  # a group pattern binding ?this to every focus node, once
    inline: str  # a pattern true when ?this (already bound) is a focus node
    cheap_inline: bool  # whether ``inline`` is a few index lookups (else enumerate first)


@dataclass(frozen=True)
class PropertyPath:
    """A property shape's path, and what its checks need to know about it."""

    node: Node  # the sh:path value, reported as sh:resultPath
    sparql: str  # the path in SPARQL syntax
    zero_length: bool  # whether it can have zero length (then it matches every node)


class Context(Protocol):
    """What a family of components reads from the compiler."""

    @property
    def shapes(self) -> Graph: ...

    def instance(self, var: str, cls: Node) -> str:
        """The SHACL instance test of ``var`` against ``cls``, as a triple pattern."""
        ...

    def classes(self, text: str) -> str:
        """A query text with its instance tests as the data allows."""
        ...

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression, true when ``var`` conforms to ``shape`` used as a value shape."""
        ...

    def value_tests(self, shape: Node, v: str, this: str) -> list[Test]:
        """Each value-level constraint of ``shape`` as a condition on ``v``."""
        ...

    def fresh(self, letter: str) -> str:
        """A prefix for variables that nothing else in the query uses."""
        ...

    def prefixes(self, node: Node) -> dict[str, str]:
        """The prefixes a SPARQL text of the shapes is given."""
        ...

    def deactivated(self, shape: Node) -> bool: ...


def constant(shape: Node, node: Node) -> str:
    """``node`` written into a query as a constant; a blank node cannot be one."""
    if isinstance(node, BNode):
        raise Unsupported(shape, "a blank node where a constant is needed")
    if not isinstance(node, URIRef | Literal):
        raise Unsupported(shape, f"{node!r} where a constant is needed")
    return ntriples(node)


def string(text: str) -> str:
    """A SPARQL string literal holding ``text``."""
    return ntriples(Literal(text))


def is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.value is True


def integer(shape: Node, value: Node | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, Literal) or not isinstance(value.value, int):
        raise Unsupported(shape, f"a count or length that is not an integer: {value}")
    return int(value.value)


def prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def select(projection: str, where: str) -> str:
    """A SELECT query with the prefixes that the families' patterns use."""
    declared = prologue({"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)})
    return f"{declared}SELECT {projection} WHERE {{ {where} }}"
