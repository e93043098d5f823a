"""The reconciliation benchmark's pieces: names spelt as curators type them, and its table."""

from __future__ import annotations

from bench import report
from bench.reconcile import curator_spelling


def test_names_as_curators_type_them() -> None:
    assert curator_spelling("Università di Bèrgamo", hyphens=False) == "universita di bergamo"
    assert curator_spelling("Kilometro  Rosso", hyphens=True) == "kilometro-rosso"


def test_the_table_shows_time_throughput_and_accuracy() -> None:
    results = {
        "scales": {
            "1m": {
                "triples": 1_000_046,
                "articles": 10_124,
                "entities": 145_898,
                "reconcile": {
                    "queries": 1000,
                    "first_batch": 20.0,
                    "batch": 2.5,
                    "runs": [2.4, 2.5, 2.6],
                    "qps": 400.0,
                    "top_right": 998,
                    "matched": 990,
                },
            }
        }
    }
    lines = report.reconcile_section(results)
    assert lines[0].startswith("### Reconciliation")
    assert lines[-1] == "| 1m | 1,000 | 20.0 s | 2.5 s | 400/s | 998 / 990 |"
    assert report.reconcile_section({"scales": {}}) == []
