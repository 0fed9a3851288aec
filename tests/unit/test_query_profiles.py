"""A plan from household profiles (povlib.query.plan_profiles, weighted) equals the plan from the households.

The national dataset plans a province or the country from profiles computed by the engine; these tests
prove, on the demos (2016–2026: two reforms, three standards, households that move, escape and re-enter),
that every eligibility figure and note basis is the one the households give.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from povlib import planning
from povlib.query import Filter
from povlib.query.profiles import plan_profiles


@pytest.fixture(scope="module")
def policies():
    return planning.load_policies(overrides=None)


def _plan_from_households(demo_panel, year, communes, ps):
    rows = demo_panel[demo_panel["year"] == year]
    if communes:
        rows = rows[rows["commune_code"].isin(communes)]
    return planning.eligibility(planning.with_earlier_reviews(demo_panel, rows), ps, year=year)


def _plan_from_profiles(demo_src, year, communes, ps):
    prof = plan_profiles(demo_src, year, where=Filter(communes=tuple(communes)), columns=planning.profile_columns(ps))
    return prof, planning.eligibility(prof, ps, year=year)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    assert len(a) == len(b)
    for c in a.columns:
        x, y = a[c].astype(object).to_numpy(), b[c].astype(object).to_numpy()
        assert [None if pd.isna(v) else v for v in x] == [None if pd.isna(v) else v for v in y], c
    assert a.attrs == b.attrs


@pytest.mark.parametrize("pick", ["first", "2019", "2021", "2022", "last"])
def test_plan_from_profiles_equals_households(demo_panel, demo_src, policies, pick):
    years = sorted(int(y) for y in demo_panel["year"].unique())
    year = {"first": years[0], "last": years[-1]}.get(pick, int(pick) if pick.isdigit() else 0)
    if year not in years:
        pytest.skip(f"no review {year} in this demo")
    ours = _plan_from_profiles(demo_src, year, (), policies)[1]
    theirs = _plan_from_households(demo_panel, year, (), policies)
    _same(ours, theirs)


def test_profiles_are_far_fewer_rows_and_weigh_every_household(demo_panel, demo_src, policies):
    year = int(demo_panel["year"].max())
    prof, _ = _plan_from_profiles(demo_src, year, (), policies)
    n = int((demo_panel["year"] == year).sum())
    assert int(prof["weight"].sum()) == n
    assert prof["weight"].dtype == np.int64 and (prof["weight"] > 0).all()
    assert len(prof) < n


def test_a_commune_in_view_finds_its_households_earlier_rows_elsewhere(demo_panel, demo_src, policies):
    """The set-top box is given once: a household's earlier reviews count wherever it lived then."""
    year = int(demo_panel["year"].max())
    communes = sorted(demo_panel.loc[demo_panel["year"] == year, "commune_code"].astype(str).unique())[:2]
    ours = _plan_from_profiles(demo_src, year, communes, policies)[1]
    _same(ours, _plan_from_households(demo_panel, year, communes, policies))


def test_a_first_review_has_no_history(demo_panel, demo_src, policies):
    year = int(demo_panel["year"].min())
    prof, elig = _plan_from_profiles(demo_src, year, (), policies)
    assert "recently_escaped" not in prof.columns and "earlier_poor" not in prof.columns
    assert elig.attrs["recently_escaped_known"] is False
