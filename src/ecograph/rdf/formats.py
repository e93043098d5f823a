"""RDF file formats by file suffix: the one table that every reader and writer of files uses.

Each format is named the way each library names it (rdflib's parser, Oxigraph's
``RdfFormat``) and by its media type, so that a build, a ``--data`` file and a download all
agree on what ``.ttl`` or ``.jsonld`` means.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ecograph.errors import InputError, SourceLocation


@dataclass(frozen=True)
class FileFormat:
    """One RDF syntax: its rdflib parser name, Oxigraph format and media type."""

    rdflib: str
    oxigraph: pyoxigraph.RdfFormat
    media_type: str


#: File suffix → format. ``.owl`` files are RDF/XML, as the OWL 2 documents publish them.
RDF_FILES: dict[str, FileFormat] = {
    ".ttl": FileFormat("turtle", pyoxigraph.RdfFormat.TURTLE, "text/turtle"),
    ".nt": FileFormat("nt", pyoxigraph.RdfFormat.N_TRIPLES, "application/n-triples"),
    ".nq": FileFormat("nquads", pyoxigraph.RdfFormat.N_QUADS, "application/n-quads"),
    ".trig": FileFormat("trig", pyoxigraph.RdfFormat.TRIG, "application/trig"),
    ".jsonld": FileFormat("json-ld", pyoxigraph.RdfFormat.JSON_LD, "application/ld+json"),
    ".rdf": FileFormat("xml", pyoxigraph.RdfFormat.RDF_XML, "application/rdf+xml"),
    ".owl": FileFormat("xml", pyoxigraph.RdfFormat.RDF_XML, "application/rdf+xml"),
}


def file_format(path: Path) -> FileFormat:
    """The format of ``path`` by its suffix, or an :class:`InputError` naming the known ones."""
    found = RDF_FILES.get(path.suffix.lower())
    if found is None:
        raise InputError(
            SourceLocation(path),
            f"unknown RDF file type {path.suffix!r} (known: {', '.join(sorted(RDF_FILES))})",
        )
    return found
