"""The explore data route (``/api/explore``) of a running ecograph server: cold and warm.

* **cold**: the first request after the server started (the server reads its explore index
  from the store, then answers);
* **warm, same filters**: the same request again (the answer is kept, with its ETag);
* **warm, new filters**: each of a set of filter combinations asked once, after the index is
  read (the server filters and counts in memory, nothing kept yet);
* **link panel**: ``/api/explore/link`` for the most evidenced link (its quotes), first time.

Only loopback is contacted; each request has a time limit. Run alone on a built benchmark
folder (``python -m bench.explore --root bench/data/1m``), or from ``bench.run``'s HTTP section.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import http

WARM_REPEATS = 20


def _get(port: int, path: str, timeout: float) -> tuple[float, bytes]:
    started = time.perf_counter()
    url = f"http://{http.HOST}:{port}{path}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
    return (time.perf_counter() - started) * 1000, body


def measure(port: int, timeout: float = 120.0) -> dict[str, Any]:
    """Milliseconds of each kind of explore request on a server that has not yet been asked."""
    cold, body = _get(port, "/api/explore", timeout)
    data = json.loads(body)
    warm = [_get(port, "/api/explore", timeout)[0] for _ in range(WARM_REPEATS)]
    filters = [f"country={c['code']}" for c in data["countries"][:8] if c.get("code")]
    filters += [
        "kind=agreement",
        "kind=mission&status=actual",
        "level=country",
        "from=2015&to=2020",
        "status=prospective",
    ]
    filters += [f"region={quote(r['iri'].rsplit('/', 1)[-1])}" for r in data["regions"][:4]]
    fresh = [_get(port, f"/api/explore?{f}", timeout)[0] for f in filters]
    result: dict[str, Any] = {
        "cold_ms": cold,
        "warm_ms": statistics.median(warm),
        "warm_max_ms": max(warm),
        "fresh_ms": statistics.median(fresh),
        "fresh_max_ms": max(fresh),
        "fresh_requests": len(fresh),
        "bytes": len(body),
        "links": data["totals"]["links"],
    }
    if data["links"]:
        path = "/api/explore/link?iri=" + quote(data["links"][0]["id"], safe="")
        result["link_ms"] = _get(port, path, timeout)[0]
        result["link_warm_ms"] = _get(port, path, timeout)[0]
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, required=True, help="a built benchmark folder")
    parser.add_argument("--repeat", type=int, default=3, help="server starts (median of each)")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds to wait for a start")
    parser.add_argument("--log", type=Path, help="server log (default: ROOT/explore-bench.log)")
    args = parser.parse_args(argv)
    log = args.log or args.root / "explore-bench.log"
    runs = []
    for _ in range(args.repeat):
        server = http.start_ecograph(args.root, args.cap, log)
        with http.running(server):
            runs.append(measure(server.port))
    merged = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(json.dumps({"runs": runs, "median": merged}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
