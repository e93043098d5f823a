"""``GET /static/vendor/{path}``: the npm libraries the pages use, from the package.

Only the files that ``vendor/MANIFEST.json`` lists are served (``scripts/vendor.py`` writes it
with a sha256 per file), so no path can reach anything else. Their versions are pinned and the
pages ask for them with ``?v=<version>``, so they are cached for a year (``immutable``); a
browser that accepts gzip gets them compressed once per process (the basemap shrinks 3×), under
an ETag of its own (``"…-gzip"``, as Apache's mod_deflate does): a strong ETag names one
representation, and a cache must not answer an identity request with gzip bytes.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecograph.serve.conditional import cached

router = APIRouter(include_in_schema=False)

_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
}
_YEAR = 31_536_000


@dataclass(frozen=True)
class _Asset:
    body: bytes
    gzipped: bytes
    etag: str
    media: str


class _Vendored:
    """The manifest's files, read and compressed on first use."""

    def __init__(self) -> None:
        folder = resources.files("ecograph.serve") / "static" / "vendor"
        manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
        self.folder = folder
        self.files = {
            f["path"]: f["sha256"] for package in manifest["packages"] for f in package["files"]
        }
        self.assets: dict[str, _Asset] = {}

    def get(self, path: str) -> _Asset | None:
        if path not in self.files:
            return None
        if path not in self.assets:
            body = (self.folder / path).read_bytes()
            extension = path.rsplit(".", 1)[-1]
            self.assets[path] = _Asset(
                body,
                gzip.compress(body, compresslevel=9, mtime=0),
                f'"{self.files[path][:32]}"',
                _TYPES.get(extension, "text/plain; charset=utf-8"),
            )
        return self.assets[path]


@cache
def _vendored() -> _Vendored:
    """The vendored files, read on first use: they are the package's and never change."""
    return _Vendored()


@router.get("/static/vendor/{path:path}")
async def vendored_file(path: str, request: Request) -> Response:
    """A vendored library file, as the manifest lists it."""
    asset = _vendored().get(path)
    if asset is None:
        return Response("not found", status_code=404, media_type="text/plain")
    headers = {"Vary": "Accept-Encoding"}
    body, etag = asset.body, asset.etag
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        body, etag = asset.gzipped, f'{asset.etag[:-1]}-gzip"'
    return cached(
        request, body, asset.media, max_age=_YEAR, etag=etag, headers=headers, immutable=True
    )
