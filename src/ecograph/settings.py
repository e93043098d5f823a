"""All settings in one typed place: command-line flags and ``ECOGRAPH_*`` variables land here."""

from __future__ import annotations

import ipaddress
import os
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def available_cores() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_query_workers(cores: int) -> int:
    """Twice the cores, at least 4 and at most 16. Forked workers share the store
    copy-on-write (20-30 MiB of their own each), and more of them than cores lets the OS share
    the CPU between a client's heavy query and the others' light ones (docs/serving.md)."""
    return min(16, max(4, 2 * cores))


def _find_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / "ontology" / "ecograph.owl.ttl").is_file():
            return folder
    return None


def default_root() -> Path:
    """The project folder: the working directory's, else the one this package was installed from."""
    found = _find_root(Path.cwd().resolve()) or _find_root(Path(__file__).resolve().parent)
    return found or Path.cwd().resolve()


class Settings(BaseSettings):
    """Settings of the build and of the server; every field can be set as ``ECOGRAPH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ECOGRAPH_", frozen=True, extra="forbid")

    root: Path = Field(default_factory=default_root, description="project folder")
    out_dir: Path | None = Field(default=None, description="build output; default: root/dist")
    build_threads: int = Field(
        default_factory=available_cores,
        ge=1,
        le=64,
        description="threads for the build's checks and published files; default: the cores",
    )

    # serving
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    endpoint: str | None = Field(default=None, description="URL of a remote SPARQL 1.1 endpoint")
    store_path: Path | None = Field(default=None, description="a persisted Oxigraph store")
    data_files: tuple[Path, ...] = Field(default=(), description="serve these RDF files instead")
    base_iri: str = "https://w3id.org/ecograph/"
    public_base: str | None = Field(
        default=None, description="where base_iri is served; default: the request's own origin"
    )
    query_timeout: float = Field(default=30.0, gt=0, description="seconds")
    max_rows: int = Field(default=10_000, ge=1)
    max_query_length: int = Field(default=20_000, ge=64)
    reconcile_batch_size: int = Field(
        default=1000,
        ge=1,
        le=10_000,
        description="most queries (or ids to extend) in one reconciliation request; more: 413",
    )
    query_workers: int = Field(
        default_factory=lambda: default_query_workers(available_cores()),
        ge=1,
        le=64,
        description="processes that run queries; a query that times out is killed with its "
        "process; default: twice the cores, 4 to 16 (docs/serving.md, 'Many clients at once')",
    )
    reserved_workers: int = Field(
        default=1,
        ge=0,
        le=63,
        description="query workers that /sparql never takes, kept for entity documents, search, "
        "the catalogue API and pages (0: /sparql may take all; at least one is left to it)",
    )
    client_parallel_queries: int = Field(
        default=2,
        ge=0,
        description="/sparql and catalogue queries one client may have running at once; "
        "more: 429 (0: no limit)",
    )
    client_query_seconds: float = Field(
        default=60.0,
        ge=0,
        description="seconds of query time one client may use in any minute; past them: 429 "
        "until enough of them are a minute old (0: no limit)",
    )
    trusted_proxies: tuple[str, ...] = Field(
        default=(),
        description="addresses or CIDR networks of proxies (a load balancer) whose "
        "X-Forwarded-For names the client; ECOGRAPH_TRUSTED_PROXIES='[\"127.0.0.1\"]'",
    )
    endpoint_timeout_parameter: str | None = Field(
        default=None,
        description="URL parameter in which the remote endpoint takes a per-query time limit "
        "in milliseconds ('timeout' for Virtuoso), so that it stops what the server gave up",
    )
    graph_store_user: str | None = Field(
        default=None, description="user for `ecograph load` (digest auth, as Virtuoso asks)"
    )
    graph_store_password: SecretStr | None = Field(
        default=None, description="password for `ecograph load`, from ECOGRAPH_GRAPH_STORE_PASSWORD"
    )
    cache_max_age: int = Field(default=3600, ge=0, description="Cache-Control max-age, seconds")
    document_cache_mib: int = Field(
        default=64,
        ge=0,
        description="entity documents kept once written, in MiB (0: none); only for a store "
        "that cannot change while the server runs (not behind --endpoint)",
    )

    @field_validator("endpoint")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("endpoint must be an http(s) URL")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"trusted_proxies: {entry!r} is not an address or a network"
                ) from None
        return value

    @property
    def sparql_workers(self) -> int:
        """Query workers that ``/sparql`` may hold at once: the rest are kept for the others."""
        return max(1, self.query_workers - self.reserved_workers)

    def source_path(self, local: str) -> Path | None:
        """Where a source's ``eco:localFile`` is: a path relative to the repository root (the
        texts live in ``data/sources/``); ``None`` for one that would leave the repository
        (absolute, or through ``..``), which nothing may read."""
        root = self._resolved_root
        path = (root / local).resolve()
        if Path(local).is_absolute() or not path.is_relative_to(root):
            return None
        return path

    @cached_property
    def _resolved_root(self) -> Path:
        """The root with its links resolved, once: the evidence check asks for every source's
        path (10,000 at 1M triples), and resolving the root each time took 0.5 s of it."""
        return self.root.resolve()

    @property
    def dist_dir(self) -> Path:
        return self.out_dir or (self.root / "dist")

    @property
    def ontology_files(self) -> list[Path]:
        return sorted((self.root / "ontology").glob("*.ttl"))

    @property
    def data_paths(self) -> list[Path]:
        return sorted((self.root / "data").rglob("*.ttl"))

    @property
    def shapes_files(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment; tests build their own."""
    return Settings()
