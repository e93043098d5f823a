"""Where the build spends its time: ``python -m bench.profile --scale 100k [--skip shacl]``.

Runs :func:`ecograph.build.pipeline.build` (and optionally the publishing step) on a generated
project under pyinstrument, a sampling profiler: unlike cProfile it adds little overhead to
the many small rdflib calls, so the proportions it shows are those of a normal run. Writes a
text tree (and an HTML page) to ``bench/results/profile-SCALE.{txt,html}``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.generate import ROOT, parse_scale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--skip", default="", help="checks not to run, e.g. shacl,quotes")
    parser.add_argument("--publish", action="store_true", help="profile publishing too")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    from ecograph.build import pipeline as building
    from ecograph.build.publish import publish
    from ecograph.settings import Settings

    root = args.data / args.scale
    if not (root / "manifest.json").is_file():
        from bench.generate import generate

        generate(root, parse_scale(args.scale))
    for check in filter(None, args.skip.split(",")):
        setattr(building, f"check_{check}", lambda *a, **k: [])
    profiler = Profiler(interval=0.005)
    with profiler:
        result = building.build(Settings(root=root))
        if args.publish:
            with tempfile.TemporaryDirectory(dir=root) as scratch:
                publish(result, Path(scratch) / "dist", with_store=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"profile-{args.scale}"
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    stem.with_suffix(".txt").write_text(text, encoding="utf-8")
    stem.with_suffix(".html").write_text(profiler.output_html(), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
