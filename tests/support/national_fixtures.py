"""Pytest fixtures: the national sample of :mod:`tests.support.national_sample`, generated in Parquet and read
through the query layer, and its rows read back whole for the pandas side.

Registered for every test in ``tests/conftest.py`` (``pytest_plugins``); a test asks for
``national_src`` (a :class:`povlib.query.source.DuckDBSource`) and ``national_frame`` (every household row, in
a fixed order). Both are made once per module that uses them, and only read.
"""
from __future__ import annotations

import pandas as pd
import pytest

from povlib.query import from_parquet
from povlib.synth.national import generate_national
from tests.support.national_sample import PROVINCES, household_rows


@pytest.fixture(scope="module")
def national_src(tmp_path_factory):
    """The sample's query source (DuckDB over the generated Parquet files)."""
    out = tmp_path_factory.mktemp("vn")
    generate_national(out, provinces=PROVINCES, scale=0.003)
    return from_parquet(out)


@pytest.fixture(scope="module")
def national_frame(national_src) -> pd.DataFrame:
    """The sample's rows, whole (:func:`household_rows`)."""
    return household_rows(national_src)
