"""The vendored npm libraries: the files match their manifest (``scripts/vendor.py --check``,
which needs no network), and the app serves exactly those, cached as the versioned files they
are."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from ecograph.serve.app import create_app
from ecograph.settings import Settings
from ecograph.store.embedded import EmbeddedBackend


def vendor_dir(root: Path) -> Path:
    return root / "src" / "ecograph" / "serve" / "static" / "vendor"


def check(root: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "vendor.py"), "--check", "--dest", str(dest)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_vendored_files_match_the_manifest_and_the_pins(root: Path) -> None:
    done = check(root, vendor_dir(root))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((vendor_dir(root) / "MANIFEST.json").read_text(encoding="utf-8"))
    pins = json.loads((root / "scripts" / "vendor.json").read_text(encoding="utf-8"))
    assert [(p["name"], p["version"]) for p in manifest["packages"]] == [
        (p["name"], p["version"]) for p in pins["packages"]
    ]
    for package in manifest["packages"]:
        assert package["licence"] and (vendor_dir(root) / package["licence_file"]).is_file()
        assert package["integrity"].startswith("sha512-")


@pytest.mark.parametrize("damage", ["change", "remove", "add"])
def test_the_check_finds_a_damaged_copy(root: Path, tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "vendor"
    shutil.copytree(vendor_dir(root), copy)
    target = copy / "d3" / "dist" / "d3.min.js"
    if damage == "change":
        target.write_bytes(target.read_bytes() + b"\n")
    elif damage == "remove":
        target.unlink()
    else:
        (copy / "d3" / "extra.js").write_text("alert(1)\n", encoding="utf-8")
    done = check(root, copy)
    assert done.returncode == 1
    assert "d3" in done.stderr


@pytest.fixture(scope="module")
def client(root: Path, project_store: pyoxigraph.Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(root=root), EmbeddedBackend(project_store))) as running:
        yield running


def test_the_app_serves_the_vendored_files_cached_for_a_year(
    client: TestClient, root: Path
) -> None:
    manifest = json.loads((vendor_dir(root) / "MANIFEST.json").read_text(encoding="utf-8"))
    for package in manifest["packages"]:
        for entry in package["files"]:
            plain = client.get(
                f"/static/vendor/{entry['path']}", headers={"Accept-Encoding": "identity"}
            )
            assert plain.status_code == 200, entry["path"]
            assert len(plain.content) == entry["bytes"]
            assert "immutable" in plain.headers["cache-control"]
    basemap = "/static/vendor/world-atlas/countries-50m.json"
    with client.stream("GET", basemap, headers={"Accept-Encoding": "gzip"}) as raw:
        body = raw.read()  # decompressed by httpx
        assert raw.headers["content-encoding"] == "gzip"
        assert raw.num_bytes_downloaded < len(body) / 2  # sent compressed
    assert json.loads(body)["type"] == "Topology"
    again = client.get(basemap, headers={"If-None-Match": raw.headers["etag"]})
    assert again.status_code == 304


def test_gzip_and_identity_have_etags_of_their_own(client: TestClient) -> None:
    """Regression: both encodings were sent under one strong ETag, so a cache could answer an
    identity request with the gzip bytes it had validated."""
    basemap = "/static/vendor/world-atlas/countries-50m.json"
    zipped = client.get(basemap, headers={"Accept-Encoding": "gzip"})
    plain = client.get(basemap, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert zipped.headers["etag"].endswith('-gzip"')
    stale = client.get(
        basemap, headers={"Accept-Encoding": "identity", "If-None-Match": zipped.headers["etag"]}
    )
    assert stale.status_code == 200
    assert "content-encoding" not in stale.headers
    fresh = client.get(
        basemap, headers={"Accept-Encoding": "identity", "If-None-Match": plain.headers["etag"]}
    )
    assert fresh.status_code == 304


@pytest.mark.parametrize(
    "path",
    ["MANIFEST.json", "../routes/pages.py", "d3/package.json", "d3/dist/d3.js", "%2e%2e/x"],
)
def test_nothing_else_is_served_from_the_vendor_folder(client: TestClient, path: str) -> None:
    assert client.get(f"/static/vendor/{path}").status_code == 404
