"""Two read-only replicas of ``ecograph serve --store`` behind HAProxy, on loopback, and the
README's curl tour run through the balancer (docs/deploy.md).

    .venv/bin/python deploy/replicas.py [--dist dist] [--replicas 2]

Each replica opens a copy of its own of the built store (``ecograph build --store`` is run
into a temporary folder when ``DIST/store`` does not exist), trusts the balancer's
X-Forwarded-For (``ECOGRAPH_TRUSTED_PROXIES=127.0.0.1``), and is checked by HAProxy on
``/readyz``. The tour must pass with every command answered, and every replica must have
answered some of them. Everything started here is stopped on the way out, also on failure.
Needs ``haproxy`` (Debian package haproxy) and ``curl``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tour import run_command, tour_commands

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONFIG = HERE / "haproxy.cfg"
REPLICA_HEADER = "x-ecograph-replica"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], patience: float = 120.0) -> None:
    """Until ``url`` answers 200; fail if ``process`` exits or ``patience`` runs out."""
    deadline = time.monotonic() + patience
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {patience:g} s")
        time.sleep(0.2)


@contextmanager
def started(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process in a session of its own, its output in ``log``; stopped (group and all) on
    the way out."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def built_store(dist: Path, work: Path) -> Path:
    """``dist/store``, built into ``work`` first if it is not there."""
    if (dist / "store").is_dir():
        return dist / "store"
    out = work / "dist"
    print(f"no store in {dist}: building one into {out}", flush=True)
    subprocess.run([_ecograph(), "build", "--store", "--out", str(out)], check=True, cwd=ROOT)
    return out / "store"


def _ecograph() -> str:
    beside = Path(sys.executable).with_name("ecograph")
    return str(beside) if beside.exists() else (shutil.which("ecograph") or "ecograph")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="built dist/ folder")
    parser.add_argument("--replicas", type=int, default=2, choices=(2,), help="replicas (2)")
    args = parser.parse_args(argv)
    haproxy = shutil.which("haproxy")
    curl = shutil.which("curl")
    if haproxy is None or curl is None:
        print("needs haproxy (apt-get install haproxy) and curl", file=sys.stderr)
        return 2
    commands = tour_commands()
    with tempfile.TemporaryDirectory(prefix="ecograph-replicas-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        store = built_store(args.dist.resolve(), work)
        env = {**os.environ, "ECOGRAPH_TRUSTED_PROXIES": '["127.0.0.1"]'}
        addresses = []
        for number in range(1, args.replicas + 1):
            copy = work / f"store-{number}"
            shutil.copytree(store, copy)
            port = free_port()
            argv_ = [_ecograph(), "serve", "--store", str(copy), "--port", str(port)]
            replica = stack.enter_context(started(argv_, env, work / f"replica-{number}.log"))
            addresses.append((f"127.0.0.1:{port}", replica))
        for address, replica in addresses:
            wait_for(f"http://{address}/readyz", replica)
            print(f"replica at {address} is ready", flush=True)
        front = f"127.0.0.1:{free_port()}"
        balancer_env = {**os.environ, "ECOGRAPH_LB_BIND": front}
        for number, (address, _) in enumerate(addresses, start=1):
            balancer_env[f"ECOGRAPH_REPLICA_{number}"] = address
        balancer = stack.enter_context(
            started([haproxy, "-db", "-f", str(CONFIG)], balancer_env, work / "haproxy.log")
        )
        wait_for(f"http://{front}/readyz", balancer)
        url = f"http://{front}"
        print(f"HAProxy at {url}; the README's tour through it:", flush=True)
        served_by: Counter[str] = Counter()
        failures = 0
        for command in commands:
            outcome = run_command(command, url, curl=curl, extra=("-D", str(work / "headers")))
            replica = _replica(work / "headers")
            served_by[replica] += 1
            mark = "ok  " if outcome.ok else "FAIL"
            print(f"{mark} [{replica}] {command}", flush=True)
            if not outcome.ok:
                failures += 1
                print(outcome.stderr.decode("utf-8", "replace"), file=sys.stderr)
        print(f"answered by: {dict(sorted(served_by.items()))}", flush=True)
        if failures:
            print(f"{failures} of {len(commands)} commands failed", file=sys.stderr)
            return 1
        if len([r for r in served_by if r != "?"]) < args.replicas:
            print("not every replica answered part of the tour", file=sys.stderr)
            return 1
        print(f"all {len(commands)} commands passed through the balancer", flush=True)
    return 0


def _replica(headers: Path) -> str:
    """The replica that answered, from the header HAProxy adds (the last response's)."""
    name = "?"
    if headers.exists():
        for line in headers.read_text("latin-1").splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == REPLICA_HEADER:
                name = value.strip()
    return name


if __name__ == "__main__":
    sys.exit(main())
