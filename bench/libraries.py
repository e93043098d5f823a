"""Size and parse speed of the candidate npm libraries for the pages (docs/explore.md).

For each candidate: ``npm pack`` the exact version into a temporary folder, read the file a page
would load, and report its bytes, its gzip -9 bytes, and the median time headless Chromium takes
to parse and run it (inserted inline into a blank page, five fresh pages each, so no network).
The basemap rows also turn the TopoJSON into GeoJSON and draw every country as an SVG path.

Needs npm (the registry) and Debian's chromium; run by hand:
``python -m bench.libraries`` prints a Markdown table.
"""

from __future__ import annotations

import gzip
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: name, what it is for, the (package@version, file) pairs a page would load.
CANDIDATES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Leaflet 1.9.4", "map", (("leaflet@1.9.4", "dist/leaflet.js"),)),
    ("MapLibre GL 5.24.1", "map", (("maplibre-gl@5.24.1", "dist/maplibre-gl.js"),)),
    ("d3 7.9.2", "map, network, timeline", (("d3@7.9.2", "dist/d3.min.js"),)),
    ("Cytoscape.js 3.35.0", "network", (("cytoscape@3.35.0", "dist/cytoscape.min.js"),)),
    (
        "sigma.js 4.0.4 + graphology 0.26.0",
        "network",
        (
            ("graphology@0.26.0", "dist/graphology.umd.min.js"),
            ("sigma@4.0.4", "dist/sigma.min.js"),
        ),
    ),
    (
        "vis-timeline 8.5.4",
        "timeline",
        (("vis-timeline@8.5.4", "standalone/umd/vis-timeline-graph2d.min.js"),),
    ),
    (
        "Observable Plot 0.6.17 + d3",
        "timeline, charts",
        (("d3@7.9.2", "dist/d3.min.js"), ("@observablehq/plot@0.6.17", "dist/plot.umd.min.js")),
    ),
    ("ECharts 6.1.0", "charts", (("echarts@6.1.0", "dist/echarts.min.js"),)),
    (
        "topojson-client 3.1.0",
        "basemap",
        (("topojson-client@3.1.0", "dist/topojson-client.min.js"),),
    ),
    (
        "CodeMirror 5.65.21 + SPARQL mode + show-hint",
        "editor",
        (
            ("codemirror@5.65.21", "lib/codemirror.js"),
            ("codemirror@5.65.21", "mode/sparql/sparql.js"),
            ("codemirror@5.65.21", "addon/hint/show-hint.js"),
        ),
    ),
    ("YASGUI 4.2.28", "editor, results", (("@triply/yasgui@4.2.28", "build/yasgui.min.js"),)),
)
BASEMAPS = ("countries-110m.json", "countries-50m.json")
DRAW = """(body) => {
  const t0 = performance.now();
  const world = JSON.parse(body);
  const countries = topojson.feature(world, world.objects.countries);
  const path = d3.geoPath(d3.geoNaturalEarth1().fitSize([960, 500], countries));
  d3.select('#m').selectAll('path').data(countries.features).join('path').attr('d', path);
  document.body.getBoundingClientRect();
  return performance.now() - t0;
}"""
RUN = """(codes) => {
  const t0 = performance.now();
  for (const code of codes) {
    const tag = document.createElement('script'); tag.textContent = code;
    document.head.appendChild(tag);
  }
  return performance.now() - t0;
}"""


def fetch(spec: str, work: Path) -> Path:
    """The package's unpacked folder (``npm pack``, then untar)."""
    folder = work / spec.replace("/", "_").replace("@", "_")
    if folder.is_dir():
        return folder / "package"
    done = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(work)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    tarball = work / json.loads(done.stdout)[0]["filename"]
    with tarfile.open(tarball, "r:gz") as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


def main(argv: Sequence[str] | None = None) -> int:
    runs = 5
    rows = ["| candidate | for | bytes | gzip | parse + run |", "| --- | --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory(prefix="ecograph-libraries-") as temp, sync_playwright() as p:
        work = Path(temp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, use, files in CANDIDATES:
            bodies = [(fetch(spec, work) / path).read_bytes() for spec, path in files]
            codes = [body.decode("utf-8") for body in bodies]
            times = []
            for _ in range(runs):
                page = browser.new_page()
                page.set_content("<html><body></body></html>")
                times.append(page.evaluate(RUN, codes))
                page.close()
            size = sum(len(b) for b in bodies)
            packed = sum(len(gzip.compress(b, 9)) for b in bodies)
            median = statistics.median(times)
            rows.append(f"| {name} | {use} | {size:,} | {packed:,} | {median:.0f} ms |")
        atlas = fetch("world-atlas@2.0.2", work)
        d3 = (fetch("d3@7.9.2", work) / "dist/d3.min.js").read_text(encoding="utf-8")
        topo = fetch("topojson-client@3.1.0", work) / "dist/topojson-client.min.js"
        for basemap in BASEMAPS:
            body = (atlas / basemap).read_text(encoding="utf-8")
            times = []
            for _ in range(runs):
                page = browser.new_page()
                page.set_content('<html><body><svg id="m" width="960" height="500"></svg></body>')
                page.add_script_tag(content=topo.read_text(encoding="utf-8"))
                page.add_script_tag(content=d3)
                times.append(page.evaluate(DRAW, body))
                page.close()
            raw = body.encode("utf-8")
            rows.append(
                f"| world-atlas {basemap}: parse, project, draw | basemap | {len(raw):,} | "
                f"{len(gzip.compress(raw, 9)):,} | {statistics.median(times):.0f} ms |"
            )
        browser.close()
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
