"""A test fixture: a small national sample (two provinces at scale 0.003) in Parquet, read through the query
layer, and the same rows read back whole for the pandas side of the equality tests.

A test module that compares the national (SQL) tables with the pandas ones loads this module as a plugin,
``pytest_plugins = ("tests.support.national_sample",)``, and asks for ``national_src`` (a
:class:`povlib.query.source.DuckDBSource`) and ``national_frame`` (every household row, in a fixed order).
Both are made once per module that uses them, and only read.
"""
from __future__ import annotations

import pandas as pd
import pytest

from povlib.query import from_parquet
from povlib.query.source import Source
from povlib.synth.national import generate_national

PROVINCES = ("19", "33")


def household_rows(src: Source) -> pd.DataFrame:
    """Every household row of a national source, ordered by province, year and household."""
    return src.sql("SELECT * FROM households ORDER BY province_code, year, household_id")


def year_rows(frame: pd.DataFrame, year: int, province: str | None = None) -> pd.DataFrame:
    """The rows of one year, of one province or (``None``) of all."""
    keep = frame["year"] == year
    if province is not None:
        keep &= frame["province_code"] == province
    return frame[keep]


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
