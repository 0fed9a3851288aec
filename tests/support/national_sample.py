"""A small national sample (two provinces at scale 0.003) for the tests that compare the national (SQL) tables
with the pandas ones: the provinces, and how its rows are read and selected. The pytest fixtures that make it
are in :mod:`tests.support.national_fixtures`.
"""
from __future__ import annotations

import pandas as pd

from povlib.query.source import Source

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
