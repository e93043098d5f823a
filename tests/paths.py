"""Where the repository is, for the few test modules that need it when they are imported
(support modules, parametrisations, test data paths). Fixtures take ``root`` from
``conftest.py``, which reads it here: one place computes it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The tests' own files (shape examples, curation CSVs, articles that are not the corpus).
TEST_DATA = ROOT / "tests" / "data"
