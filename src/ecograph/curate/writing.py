"""All-or-nothing writes of several files: a command that adds a source either leaves every
file it meant to write, or none of them changed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_together(files: Mapping[Path, bytes]) -> None:
    """Write every file of ``files`` or none.

    Each is first written in full to a temporary file beside it; only when all are written are
    they renamed into place (a rename within a folder is atomic). Should a rename fail, the files
    already replaced get their old contents back and new ones are removed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            staged.append((Path(name), path))
        old = {path: path.read_bytes() if path.exists() else None for _, path in staged}
        done: list[Path] = []
        try:
            for temporary, path in staged:
                os.replace(temporary, path)
                done.append(path)
        except OSError:
            for path in done:
                before = old[path]
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(before)
            raise
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
