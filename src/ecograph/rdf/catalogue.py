"""The catalogue of named SPARQL queries in ``queries/*.rq``.

Each file opens with a grlc-style header of ``#+`` lines holding YAML (summary, description,
tags, params, and the view the query page shows first). Parameters are typed and bound as RDF
terms in an inline ``VALUES`` block (see :meth:`NamedQuery.render`), never pasted into the text,
so a parameter value can never change the shape of a query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import get_args

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ecograph.errors import ParameterError, QueryError, UnknownQuery
from ecograph.rdf.sparql_text import bind_values, query_form

ParamType = TypingLiteral["iri", "string", "integer", "decimal", "date", "boolean", "language"]
PARAM_TYPES: frozenset[str] = frozenset(get_args(ParamType))
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


@dataclass(frozen=True)
class Param:
    """A typed parameter; ``name`` is also the SPARQL variable (without ``?``) it binds."""

    name: str
    type: ParamType
    description: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def to_term(self, raw: str) -> Node:
        """The RDF term for a value given as text, or a :class:`ParameterError` saying why not."""
        value = raw.strip()
        try:
            return _CONVERTERS[self.type](value)
        except (ValueError, InvalidOperation) as exc:
            raise ParameterError(
                f"parameter {self.name!r} must be {_DESCRIPTIONS[self.type]}, got {raw!r}"
            ) from exc


def _iri(value: str) -> Node:
    if not _IRI.match(value):
        raise ValueError("not an absolute IRI")
    return URIRef(value)


def _integer(value: str) -> Node:
    return Literal(int(value), datatype=XSD.integer)


def _decimal(value: str) -> Node:
    return Literal(Decimal(value), datatype=XSD.decimal)


def _date(value: str) -> Node:
    return Literal(date.fromisoformat(value), datatype=XSD.date)


def _boolean(value: str) -> Node:
    lowered = value.lower()
    if lowered not in {"true", "false"}:
        raise ValueError("not a boolean")
    return Literal(lowered == "true", datatype=XSD.boolean)


def _language(value: str) -> Node:
    if not _LANGUAGE.match(value):
        raise ValueError("not a language tag")
    return Literal(value.lower())


_CONVERTERS: dict[str, Callable[[str], Node]] = {
    "iri": _iri,
    "string": Literal,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "boolean": _boolean,
    "language": _language,
}
_DESCRIPTIONS = {
    "iri": "an absolute IRI",
    "string": "a string",
    "integer": "an integer",
    "decimal": "a decimal number",
    "date": "a date YYYY-MM-DD",
    "boolean": "true or false",
    "language": "a language tag such as 'it'",
}


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file of the catalogue, with its parsed header."""

    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    path: Path
    #: How the query page shows the result at first (``#+ view: map``): one of :data:`VIEWS`.
    view: str | None = None

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, read from the query body."""
        return query_form(self.text)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (it has: {known})")

    def bind(self, values: Mapping[str, str]) -> dict[str, Node]:
        """Terms for every parameter: given values checked against their type, else defaults."""
        for name in values:
            self.param(name)
        bound: dict[str, Node] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None:
                raise ParameterError(f"query {self.name!r} needs parameter {param.name!r}")
            bound[param.name] = param.to_term(raw)
        return bound

    def render(self, bindings: Mapping[str, Node]) -> str:
        """The query text with its parameters bound by an inline ``VALUES`` block.

        The block opens the WHERE group (see :func:`ecograph.rdf.sparql_text.bind_values`), so
        every pattern, FILTER and OPTIONAL sees the values; terms are written in N-Triples
        form, so a value can never change the shape of the query. This works on any SPARQL
        1.1 store, which Oxigraph's SEP-0007 substitution (it wants the variable projected)
        does not.
        """
        return bind_values(self.text, bindings)


#: The result views of the query page that a query may name as its first (``#+ view:``).
VIEWS = ("table", "bar", "map", "network")


def _view(path: Path, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in VIEWS:
        raise QueryError(f"{path}: view {value!r} is not one of {', '.join(VIEWS)}")
    return value


def parse_query_file(path: Path) -> NamedQuery:
    """Read one catalogue file; a malformed header is reported with the file's name."""
    text = path.read_text(encoding="utf-8")
    header_lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not header_lines:
        raise QueryError(f"{path}: no '#+' header (summary, description, params)")
    try:
        header = yaml.safe_load("\n".join(line.removeprefix(" ") for line in header_lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: the '#+' header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict) or not header.get("summary"):
        raise QueryError(f"{path}: the header needs a 'summary'")
    name = path.stem
    if not _NAME.match(name):
        raise QueryError(f"{path}: a query name is lowercase words joined by '-'")
    params = []
    for entry in header.get("params") or []:
        if not isinstance(entry, dict) or "name" not in entry or "type" not in entry:
            raise QueryError(f"{path}: each param needs a 'name' and a 'type'")
        if entry["type"] not in PARAM_TYPES:
            raise QueryError(
                f"{path}: param {entry['name']!r} has unknown type {entry['type']!r}"
                f" (one of {', '.join(sorted(PARAM_TYPES))})"
            )
        if not _VARIABLE.match(str(entry["name"])):
            raise QueryError(f"{path}: param name {entry['name']!r} is not a SPARQL variable name")
        default = entry.get("default")
        param = Param(
            name=str(entry["name"]),
            type=entry["type"],
            description=str(entry.get("description", "")),
            default=None if default is None else str(default),
        )
        if param.default is not None:
            try:
                param.to_term(param.default)
            except ParameterError as exc:
                raise QueryError(f"{path}: default of {exc}") from exc
        params.append(param)
    return NamedQuery(
        name=name,
        title=str(header["summary"]),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        view=_view(path, header.get("view")),
        params=tuple(params),
        text=text,
        path=path,
    )


@dataclass(frozen=True)
class Catalogue:
    """The named queries of a folder, by name."""

    queries: Mapping[str, NamedQuery]

    @classmethod
    def load(cls, folder: Path) -> Catalogue:
        return cls({q.name: q for q in map(parse_query_file, sorted(folder.glob("*.rq")))})

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(
                f"no query named {name!r}; the catalogue has: {', '.join(sorted(self.queries))}"
            ) from None
