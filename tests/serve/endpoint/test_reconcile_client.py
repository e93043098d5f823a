"""A maintained reconciliation client from PyPI, ``reconciler`` (it speaks the 0.2 protocol to
any endpoint: batches of ten queries POSTed as the ``queries`` form field), reconciles a CSV of
organisation names spelt as curators type them — lower case, no accents, a hyphen for a space —
against a running server, on both backends, and gets the right IRIs."""

from __future__ import annotations

import pandas as pd
import pytest
from endpoint_support import Running  # type: ignore[import-not-found]
from reconciler import reconcile

from paths import TEST_DATA

CSV = TEST_DATA / "curate" / "organisations.csv"


@pytest.fixture(scope="module")
def sheet() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype=str)


def test_names_alone(reconciling: Running, sheet: pd.DataFrame) -> None:
    found = reconcile(sheet["organisation"], reconciliation_endpoint=f"{reconciling.url}/reconcile")
    got = dict(zip(found["input_value"], found["id"], strict=True))
    assert got == dict(zip(sheet["organisation"], sheet["expected"], strict=True))
    assert found["match"].all()


def test_with_a_type_and_the_country_column(reconciling: Running, sheet: pd.DataFrame) -> None:
    found = reconcile(
        sheet["organisation"],
        type_id="Organisation",
        property_mapping={"country": sheet["country"]},
        reconciliation_endpoint=f"{reconciling.url}/reconcile",
    )
    got = dict(zip(found["input_value"], found["id"], strict=True))
    assert got == dict(zip(sheet["organisation"], sheet["expected"], strict=True))
    assert found["match"].all()
    assert (found["score"] == 100).all()
