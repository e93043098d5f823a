"""RDF terms as they cross boundaries: Oxigraph in the query workers, a small picklable form
between processes, rdflib in the API, N-Triples syntax in query text and result files.

The wire form exists because rdflib terms are slow to pickle and Oxigraph terms cannot be
pickled at all: an IRI travels as a plain ``str``, a blank node as ``(id,)``, a literal as
``(lexical form, datatype IRI or "", language or "")``.
"""

from __future__ import annotations

import re

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ecograph.errors import BackendError, QueryError

WireTerm = str | tuple[str] | tuple[str, str, str]
WireTriple = tuple[WireTerm, WireTerm, WireTerm]
OxTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_LITERAL_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]")


def oxigraph_to_wire(term: object) -> WireTerm:
    """An Oxigraph result term in wire form; ``xsd:string`` is dropped, as RDF 1.1 allows,
    so that a plain literal reads the same whichever store it came from."""
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return (term.value,)
    if isinstance(term, pyoxigraph.Literal):
        language = term.language or ""
        datatype = term.datatype.value
        if language or datatype == XSD_STRING:
            datatype = ""
        return (term.value, datatype, language)
    raise BackendError(f"the store returned a term this server cannot pass on: {term!r}")


def wire_to_rdflib(term: WireTerm) -> Node:
    """The rdflib term; lexical forms are kept as they are (``"01"^^xsd:integer`` stays so)."""
    if isinstance(term, str):
        return URIRef(term)
    if len(term) == 1:
        return BNode(term[0])
    value, datatype, language = term
    if language:
        return Literal(value, lang=language, normalize=False)
    if datatype:
        return Literal(value, datatype=URIRef(datatype), normalize=False)
    return Literal(value, normalize=False)


def rdflib_to_wire(term: Node) -> WireTerm:
    """The wire form of a term bound by the API (a catalogue parameter, an entity IRI)."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return (str(term),)
    if isinstance(term, Literal):
        language = term.language or ""
        datatype = "" if language or term.datatype is None else str(term.datatype)
        return (str(term), "" if datatype == XSD_STRING else datatype, language)
    raise QueryError(f"cannot bind {term!r}: only IRIs, blank nodes and literals can be bound")


def wire_to_oxigraph(term: WireTerm) -> OxTerm:
    if isinstance(term, str):
        return pyoxigraph.NamedNode(term)
    if len(term) == 1:
        return pyoxigraph.BlankNode(term[0])
    value, datatype, language = term
    if language:
        return pyoxigraph.Literal(value, language=language)
    if datatype:
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype))
    return pyoxigraph.Literal(value)


def oxigraph_to_rdflib(term: object) -> Node:
    return wire_to_rdflib(oxigraph_to_wire(term))


def rdflib_to_oxigraph(term: Node) -> OxTerm:
    return wire_to_oxigraph(rdflib_to_wire(term))


def ntriples(term: Node) -> str:
    """The term in N-Triples syntax, which is also valid SPARQL, Turtle and SPARQL TSV.

    Everything a query text or a result line cannot hold raw is escaped, so a value written with
    this can never change the shape of the text around it.
    """
    if isinstance(term, URIRef):
        return "<" + _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", str(term)) + ">"
    if isinstance(term, BNode):
        return "_:" + (_BNODE_UNSAFE.sub("_", str(term)) or "b")
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_LITERAL_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    raise QueryError(f"{term!r} has no N-Triples form")
