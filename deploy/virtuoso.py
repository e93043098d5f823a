"""Virtuoso Open Source on loopback, in a folder of its own: no service, no root, no state
outside the folder (docs/deploy.md, "A second engine").

    python deploy/virtuoso.py --dir /tmp/virtuoso --port 8890      # runs until Ctrl-C

Debian's ``virtuoso-opensource`` package gives ``virtuoso-t``; this writes a ``virtuoso.ini``
into the folder (database, log, HTTP and SQL ports on 127.0.0.1, the per-query time limit) and
runs ``virtuoso-t +foreground`` there. A new folder makes a new database, whose ``dba`` password
is ``dba``: fine on loopback, to be changed anywhere else. Used by the conformance tests
(tests/serve/endpoint/test_conformance.py) and the 1M measurement. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

#: Where Debian puts the server.
EXECUTABLE = "virtuoso-t"
#: A new database's administrator, who may write over the Graph Store Protocol.
DBA = ("dba", "dba")

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
; memory for about {buffers_mib} MiB of pages (8 KiB each); Virtuoso's guide: 2/3 of free RAM
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 20
ServerThreads = 20
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
; the query time limits: the server passes its own per query (the timeout URL parameter),
; these bound anything else
MaxQueryCostEstimationTime = {timeout}
MaxQueryExecutionTime = {timeout}
"""


def installed() -> str | None:
    """The path of ``virtuoso-t``, or ``None``."""
    return shutil.which(EXECUTABLE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_ini(
    folder: Path, http_port: int, sql_port: int, *, timeout: int = 60, buffers_mib: int = 1024
) -> Path:
    """``folder/virtuoso.ini`` for a database in ``folder``."""
    buffers = buffers_mib * 1024 // 8
    text = _INI.format(
        dir=folder.resolve(),
        http_port=http_port,
        sql_port=sql_port,
        timeout=timeout,
        buffers=buffers,
        dirty=buffers * 3 // 4,
        buffers_mib=buffers_mib,
    )
    ini = folder / "virtuoso.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its SPARQL endpoint and Graph Store Protocol URL (digest auth)."""

    sparql: str
    graph_store: str
    folder: Path
    process: subprocess.Popen[bytes]
    started_in: float


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running(
    folder: Path, *, timeout: int = 60, buffers_mib: int = 1024, patience: float = 120.0
) -> Iterator[Virtuoso]:
    """Virtuoso serving a database in ``folder`` (created if new), until the block ends."""
    executable = installed()
    if executable is None:
        raise RuntimeError("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = write_ini(folder, http_port, sql_port, timeout=timeout, buffers_mib=buffers_mib)
    began = time.monotonic()
    with (folder / "stdout.log").open("ab") as log:
        process = subprocess.Popen(
            [executable, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        while not _answers(f"{base}/sparql"):
            if process.poll() is not None:
                tail = (folder / "virtuoso.log").read_text("utf-8", "replace")[-2000:]
                raise RuntimeError(f"virtuoso-t exited with {process.returncode}: {tail}")
            if time.monotonic() - began > patience:
                raise RuntimeError(f"Virtuoso did not answer within {patience:g} s")
            time.sleep(0.2)
        yield Virtuoso(
            f"{base}/sparql",
            f"{base}/sparql-graph-crud-auth",
            folder,
            process,
            time.monotonic() - began,
        )
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # Virtuoso checkpoints and exits
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="the database's folder")
    parser.add_argument("--timeout", type=int, default=60, help="per-query limit, seconds")
    parser.add_argument("--buffers-mib", type=int, default=1024)
    args = parser.parse_args()
    with running(args.dir, timeout=args.timeout, buffers_mib=args.buffers_mib) as server:
        print(
            f"Virtuoso up in {server.started_in:.1f} s: SPARQL {server.sparql}, "
            f"graph store {server.graph_store} (user dba, password dba)",
            flush=True,
        )
        with suppress(KeyboardInterrupt):
            server.process.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
