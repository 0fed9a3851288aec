"""Pytest fixtures: the national sample of :mod:`tests.support.national_sample`, generated in Parquet and read
through the query layer, and its rows read back whole for the pandas side.

Registered for every test in ``tests/conftest.py`` (``pytest_plugins``); a test asks for
``national_src`` (a :class:`povlib.query.source.DuckDBSource`), ``national_any_src`` (that source once
without and once with its commune summaries, :mod:`povlib.query.summary`) and ``national_frame`` (every household row, in
a fixed order). Both are made once per module that uses them, and only read.
"""
from __future__ import annotations

import pandas as pd
import pytest

from povlib.query import from_parquet, summary
from povlib.synth.national import generate_national
from tests.support.national_sample import PROVINCES, household_rows


@pytest.fixture(scope="module")
def national_root(tmp_path_factory):
    """The folder of the sample's Parquet files (generated once per module)."""
    out = tmp_path_factory.mktemp("vn")
    generate_national(out, provinces=PROVINCES, scale=0.003)
    return out


@pytest.fixture(scope="module")
def national_src(national_root):
    """The sample's query source (DuckDB over the generated Parquet files), without summaries."""
    return from_parquet(national_root)


@pytest.fixture(scope="module")
def national_src_summarized(national_root, national_src):
    """The same source with its commune summaries attached (:func:`povlib.query.summary.ensure`: built
    and saved under the sample's folder)."""
    return summary.ensure(national_src, national_root)


@pytest.fixture(scope="module", params=["engine", "summaries"])
def national_any_src(request):
    """The sample's source once without and once with its commune summaries: a test asking for it checks
    both ways of computing the national tables."""
    return request.getfixturevalue("national_src" if request.param == "engine" else "national_src_summarized")


@pytest.fixture(scope="module")
def national_frame(national_src) -> pd.DataFrame:
    """The sample's rows, whole (:func:`household_rows`)."""
    return household_rows(national_src)
