"""``deploy/replicas.py``: two replicas behind HAProxy on loopback, the README's curl tour run
through the balancer, every command answered and both replicas taking part (docs/deploy.md).
Skipped, saying why, where HAProxy or curl is not installed (Debian: haproxy, curl)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from endpoint_support import ROOT  # type: ignore[import-not-found]

from ecograph.build.pipeline import Build
from ecograph.build.publish import publish


def test_the_tour_passes_through_the_balancer(project_build: Build, tmp_path: Path) -> None:
    if shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists():
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    dist = tmp_path / "dist"
    publish(project_build, dist, with_store=True)
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "replicas.py"), "--dist", str(dist)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={"PATH": f"/usr/sbin:/usr/bin:/bin:{Path(sys.executable).parent}"},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "through the balancer" in result.stdout
    assert "FAIL" not in result.stdout
    served = [line for line in result.stdout.splitlines() if line.startswith("answered by:")]
    assert served and "replica1" in served[0] and "replica2" in served[0], result.stdout
