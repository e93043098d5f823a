"""Re-run every named query and rewrite its golden files, for review with ``git diff``.

Each ``tests/golden/{query}[--{case}].json`` is run again with the parameters it records; a
query that has no golden file yet gets one with its defaults. A changed golden file is a
claim about the sources: check every changed row against the articles before committing.

    .venv/bin/python scripts/update_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ecograph.build.pipeline import build, to_store
from ecograph.rdf.catalogue import Catalogue
from ecograph.settings import Settings
from ecograph.store.running import canonical_rows, run_named

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def main() -> int:
    settings = Settings(root=ROOT)
    result = build(settings)
    if not result.report.conforms:
        print(result.report.render(), file=sys.stderr)
        return 1
    store = to_store(result)
    catalogue = Catalogue.load(settings.queries_dir)
    cases = {p: json.loads(p.read_text(encoding="utf-8"))["params"] for p in GOLDEN.glob("*.json")}
    for query in catalogue:
        default = GOLDEN / f"{query.name}.json"
        cases.setdefault(default, {})
    for path, params in sorted(cases.items()):
        solutions = run_named(store, catalogue.get(path.stem.split("--")[0]), params)
        body = {
            "params": params,
            "variables": list(solutions.variables),
            "rows": canonical_rows(solutions.as_text_rows()),
        }
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(body['rows'])} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
