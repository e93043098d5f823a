"""The typed errors of ecograph.

Each error carries what a curator or a client needs to act on it; the CLI turns them into
exit codes and the API into HTTP statuses (one mapping each: ``cli.py`` and ``api/errors.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class EcographError(Exception):
    """Base of every error that ecograph raises on purpose."""


@dataclass
class SourceLocation:
    """Where in a file something was found; ``line`` is 1-based and ``None`` when unknown."""

    file: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


class InputError(EcographError):
    """A file that cannot be read as the RDF it claims to be."""

    def __init__(self, location: SourceLocation, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


class ValidationFailed(EcographError):
    """The graph does not meet the shapes or the project's own checks."""

    def __init__(self, report: object, message: str = "the graph is not valid") -> None:
        self.report = report
        super().__init__(message)


class ConfigurationError(EcographError):
    """Settings that cannot work together, or a project folder that is not one."""


class QueryError(EcographError):
    """A SPARQL query that cannot be run: syntax, forbidden feature, or a bad parameter."""


class QuerySyntaxError(QueryError):
    """The query text is not SPARQL 1.1."""


class QueryRefused(QueryError):
    """The query is valid but would update the store or reach the network."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update: the served graph is read-only, whoever asks."""


class RemoteAccessRefused(QueryRefused):
    """The query would make the server reach the network (``SERVICE``, a ``FROM`` or dataset
    graph that the store does not hold): it never fetches anything on a client's behalf."""


class QueryTimeout(QueryError):
    """The query ran out of its time budget and was stopped."""


class ClientLimitReached(EcographError):
    """A client is over one of its limits (parallel queries, query seconds per minute): it may
    try again after ``retry_after`` seconds. Not a :class:`QueryError`: the query is fine."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(message)


class QueryTooLarge(QueryError):
    """The query text or its result is over the configured limit."""


class UnknownQuery(QueryError):
    """No query of the catalogue has that name."""


class ParameterError(QueryError):
    """A catalogue query parameter is missing or not of its declared type."""


class NotFound(EcographError):
    """An IRI that the graph says nothing about."""


class BackendError(EcographError):
    """The SPARQL store behind the API failed or could not be reached."""


class RemoteContextRefused(EcographError):
    """A JSON-LD document names a context that is not ecograph's own: it is never fetched,
    because following it would let a document make the server reach the network."""
