"""All settings in one typed place: command-line flags and ``ECOGRAPH_*`` variables land here."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def available_cores() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
    shared_dir: Path | None = Field(
        default=None,
        description="folder holding sources/ (the article texts); default: ../shared beside root",
    )
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
    query_workers: int = Field(
        default=2,
        ge=1,
        le=64,
        description="processes that run queries; a query that times out is killed with its process",
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

    @property
    def sources_root(self) -> Path:
        """Folder against which a source's ``eco:localFile`` is resolved."""
        return self.shared_dir or (self.root.parent / "shared")

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
