"""Vendor the pages' JavaScript libraries and data from npm into the package.

Why: the pages must work offline and never make a browser ask another host, so every library
they use is shipped inside the package, at a pinned version, with its licence, and with a
checksum that lets anyone (and a test) prove that the files are exactly what npm published.

What it does, for each package of ``scripts/vendor.json``:

1. ``npm view NAME@VERSION dist.integrity``: the sha512 that the registry publishes;
2. ``npm pack NAME@VERSION``: the tarball, whose sha512 must equal it;
3. keeps only the listed files and the licence file, under
   ``src/ecograph/serve/static/vendor/<dest>/`` (the package's own paths below that);
4. writes ``vendor/MANIFEST.json``: name, version, licence, integrity, and the sha256 and size
   of every file kept.

The new folder is built beside the old one and swapped in at the end, so a failure leaves the
vendored files as they were.

Usage::

    python scripts/vendor.py            # fetch and write (needs npm and the registry)
    python scripts/vendor.py --check    # no network: the files match the manifest and the list
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
PINS: Final = REPO_ROOT / "scripts" / "vendor.json"
DEFAULT_DEST: Final = REPO_ROOT / "src" / "ecograph" / "serve" / "static" / "vendor"
MANIFEST: Final = "MANIFEST.json"
COMMAND: Final = "python scripts/vendor.py"


class VendorError(RuntimeError):
    """Something is not as pinned: stop and say what, before anything is written."""


@dataclass(frozen=True)
class Pin:
    """One package as ``vendor.json`` pins it."""

    name: str
    version: str
    dest: str
    licence_file: str
    files: tuple[str, ...]

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


def _relative(path: str, where: str) -> PurePosixPath:
    """A path inside a package, refused if it could leave the folder it is written to."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise VendorError(f"{where}: {path!r} is not a plain relative path")
    return pure


def load_pins(path: Path = PINS) -> list[Pin]:
    """The pinned list, checked: exact versions, plain paths, no folder used twice."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise VendorError(f"{path}: {error}") from error
    pins: list[Pin] = []
    for number, entry in enumerate(document.get("packages", []), start=1):
        where = f"{path.name}: package {number}"
        try:
            pin = Pin(
                name=str(entry["name"]),
                version=str(entry["version"]),
                dest=str(entry["dest"]),
                licence_file=str(entry["licence_file"]),
                files=tuple(str(f) for f in entry["files"]),
            )
        except (KeyError, TypeError) as error:
            raise VendorError(f"{where}: missing or wrong field {error}") from error
        if not all(part.isdigit() for part in pin.version.split(".")):
            raise VendorError(f"{where} ({pin.name}): version {pin.version!r} is not exact")
        for name in (pin.dest, pin.licence_file, *pin.files):
            _relative(name, where)
        pins.append(pin)
    dests = [p.dest for p in pins]
    if len(set(dests)) != len(dests):
        raise VendorError(f"{path.name}: two packages share a dest folder")
    return pins


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _npm(*args: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(
            ["npm", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise VendorError(f"npm {' '.join(args)}: {error}") from error
    if done.returncode != 0:
        raise VendorError(f"npm {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def published_integrity(pin: Pin) -> str:
    """The registry's ``sha512-…`` for the exact version."""
    value = _npm("view", pin.spec, "dist.integrity").strip()
    if not value.startswith("sha512-"):
        raise VendorError(f"{pin.spec}: the registry gives no sha512 integrity ({value!r})")
    return value


def fetch(pin: Pin, work: Path) -> tuple[Path, str]:
    """The package tarball, checked against the registry's sha512; (path, integrity)."""
    expected = published_integrity(pin)
    listing = json.loads(_npm("pack", pin.spec, "--json", "--pack-destination", str(work)))
    tarball = work / listing[0]["filename"]
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    if actual != expected:
        raise VendorError(f"{pin.spec}: tarball sha512 {actual} != published {expected}")
    return tarball, actual


def extract(pin: Pin, tarball: Path, out: Path) -> dict[str, Any]:
    """Only the pinned files and the licence, into ``out/<dest>/``; the manifest entry."""
    wanted = [*pin.files, pin.licence_file]
    kept: list[dict[str, Any]] = []
    licence = ""
    with tarfile.open(tarball, "r:gz") as archive:
        members = {m.name.split("/", 1)[1]: m for m in archive.getmembers() if "/" in m.name}
        if "package.json" in members:
            meta_file = archive.extractfile(members["package.json"])
            if meta_file is not None:
                meta = json.loads(meta_file.read())
                if meta.get("version") != pin.version or meta.get("name") != pin.name:
                    raise VendorError(f"{pin.spec}: the tarball's package.json says otherwise")
                licence = str(meta.get("license", ""))
        for name in wanted:
            member = members.get(name)
            if member is None or not member.isfile():
                raise VendorError(f"{pin.spec}: the tarball has no file {name}")
            source = archive.extractfile(member)
            if source is None:
                raise VendorError(f"{pin.spec}: cannot read {name}")
            body = source.read()
            relative = PurePosixPath(pin.dest) / _relative(name, pin.spec)
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            kept.append(
                {
                    "path": str(relative),
                    "bytes": len(body),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
            )
    if not licence:
        raise VendorError(f"{pin.spec}: package.json names no licence")
    return {
        "name": pin.name,
        "version": pin.version,
        "licence": licence,
        "licence_file": str(PurePosixPath(pin.dest) / pin.licence_file),
        "integrity": "",
        "files": kept,
    }


def vendor(pins: Sequence[Pin], dest: Path) -> Path:
    """Fetch, check, extract every package into a new folder, then swap it in."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=dest.parent))
    try:
        entries = []
        with tempfile.TemporaryDirectory(prefix="ecograph-npm-") as work:
            for pin in pins:
                tarball, integrity = fetch(pin, Path(work))
                entry = extract(pin, tarball, staging)
                entry["integrity"] = integrity
                entries.append(entry)
                print(f"{pin.spec}: {len(entry['files'])} files, {entry['licence']}")
        manifest = {
            "comment": f"Written by `{COMMAND}` from scripts/vendor.json; check with "
            f"`{COMMAND} --check`. Do not edit by hand.",
            "packages": entries,
        }
        (staging / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        old = dest.with_name(dest.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if dest.exists():
            dest.rename(old)
        staging.rename(dest)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return dest


def check(pins: Sequence[Pin], dest: Path) -> list[str]:
    """What differs between the pins, the manifest and the files on disk (empty: all agree)."""
    manifest_path = dest / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        return [f"{manifest_path}: {error}"]
    problems: list[str] = []
    entries = {e.get("name"): e for e in manifest.get("packages", [])}
    listed: set[str] = {MANIFEST}
    for pin in pins:
        entry = entries.pop(pin.name, None)
        if entry is None:
            problems.append(f"{pin.spec} is pinned but not in the manifest")
            continue
        if entry.get("version") != pin.version:
            problems.append(
                f"{pin.name}: manifest has {entry.get('version')}, pinned {pin.version}"
            )
        if not str(entry.get("integrity", "")).startswith("sha512-"):
            problems.append(f"{pin.name}: the manifest records no sha512 integrity")
        if not entry.get("licence"):
            problems.append(f"{pin.name}: the manifest records no licence")
        expected = {str(PurePosixPath(pin.dest) / f) for f in (*pin.files, pin.licence_file)}
        recorded = {str(f.get("path")): f for f in entry.get("files", [])}
        for missing in sorted(expected - set(recorded)):
            problems.append(f"{pin.name}: {missing} is pinned but not in the manifest")
        for extra in sorted(set(recorded) - expected):
            problems.append(f"{pin.name}: {extra} is in the manifest but not pinned")
        for relative, record in sorted(recorded.items()):
            listed.add(relative)
            path = dest / relative
            if not path.is_file():
                problems.append(f"{relative}: missing")
            elif sha256_of(path) != record.get("sha256"):
                problems.append(f"{relative}: sha256 differs from the manifest")
    for name in sorted(entries):
        problems.append(f"{name}: in the manifest but not pinned")
    if dest.is_dir():
        for path in sorted(dest.rglob("*")):
            relative = path.relative_to(dest).as_posix()
            if path.is_file() and relative not in listed:
                problems.append(f"{relative}: a file that no manifest entry lists")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="verify, without network")
    parser.add_argument("--pins", type=Path, default=PINS, help="the pinned list (vendor.json)")
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="the vendor folder")
    args = parser.parse_args(argv)
    try:
        pins = load_pins(args.pins)
        if args.check:
            problems = check(pins, args.dest)
            for problem in problems:
                print(f"vendor: {problem}", file=sys.stderr)
            if problems:
                print(f"vendored files are out of date: run `{COMMAND}`", file=sys.stderr)
                return 1
            print(f"{args.dest}: {len(pins)} packages match {MANIFEST}")
            return 0
        vendor(pins, args.dest)
    except VendorError as error:
        print(f"vendor: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
