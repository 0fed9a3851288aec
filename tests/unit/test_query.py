"""The query layer (povlib.query, DuckDB) gives exactly the pandas figures (povlib.measures, povlib.transitions).

Integer counts equal; rates and AF fractions equal to the last digit (bitwise): both compute
them from the same integer counts with the same expressions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from povlib import measures, transitions
from povlib.panel import with_indicators
from povlib.query import Filter, af_by_group, af_for_standard, flow_table, flow_tables, from_frame, rates
from povlib.standards import get as get_standard


def _same(ours: pd.DataFrame, theirs: pd.DataFrame, keys) -> None:
    """Same columns in the same order, same keys (as text), every figure exactly equal."""
    assert list(ours.columns) == list(theirs.columns)
    assert len(ours) == len(theirs)
    a, b = ours.reset_index(drop=True).copy(), theirs.reset_index(drop=True).copy()
    for k in keys:
        a[k], b[k] = a[k].astype(str).to_numpy(dtype=object), b[k].astype(str).to_numpy(dtype=object)
    for c in a.columns:
        if c in keys:
            assert a[c].tolist() == b[c].tolist(), c
        else:
            x, y = a[c].to_numpy(), b[c].to_numpy()
            if y.dtype.kind in "iu":
                assert x.dtype.kind in "iu", c
            assert np.array_equal(x.astype(np.float64), y.astype(np.float64)), (c, x, y)


BYS = [None, "year", ["year", "commune_code"], ["year", "district_code"], ["year", "province_code"],
       ["year", "area"], ["year", "commune_code", "ethnic_minority"]]


@pytest.mark.parametrize("by", BYS, ids=str)
def test_rates_equal_pandas(demo_panel, demo_src, by):
    keys = [] if by is None else ([by] if isinstance(by, str) else by)
    _same(rates(demo_src, by), measures.rates(demo_panel, by), keys)


def test_rates_filtered_equal_pandas(demo_panel, demo_src):
    year = int(demo_panel["year"].max())
    _same(rates(demo_src, "commune_code", where=Filter(years=(year,))),
          measures.rates(demo_panel[demo_panel["year"] == year], "commune_code"), ["commune_code"])


@pytest.mark.parametrize("population", [None, "members"])
@pytest.mark.parametrize("by", [["year", "commune_code"], ["year", "district_code"], "year"], ids=str)
def test_af_equal_pandas(demo_panel, demo_src, by, population):
    keys = [by] if isinstance(by, str) else by
    for std in demo_panel["standard"].astype(str).unique():
        rows, _ = with_indicators(demo_panel[demo_panel["standard"] == std], std)
        ours = af_for_standard(demo_src, std, by=by, population=population, where=Filter(standard=std))
        _same(ours, measures.af_for_standard(rows, std, by=by, population=population), keys)


@pytest.mark.parametrize("status", ["poor", "near_poor"])
@pytest.mark.parametrize("by", ["commune_code", ["district_code", "commune_code"], "province_code"], ids=str)
def test_flows_equal_pandas(demo_panel, demo_src, by, status):
    keys = [by] if isinstance(by, str) else by
    _same(flow_table(demo_src, by, status=status, flags=["ethnic_minority"]),
          transitions.flow_table(demo_panel, by, status=status, flags=["ethnic_minority"]), keys)


@pytest.mark.parametrize("by", ["commune_code", "province_code"], ids=str)
def test_flows_of_both_statuses_in_one_query_equal_pandas(demo_panel, demo_src, by):
    """One join for poor and near-poor (the national overview's flows) gives each status's pandas table."""
    both = flow_tables(demo_src, by, statuses=("poor", "near_poor"), flags=["ethnic_minority"])
    assert list(both) == ["poor", "near_poor"]
    for status, ours in both.items():
        _same(ours, transitions.flow_table(demo_panel, by, status=status, flags=["ethnic_minority"]), [by])


# ---- random small panels --------------------------------------------------------------------------

IND = ["a", "b", "c", "d"]


@st.composite
def small_panels(draw):
    n_hh = draw(st.integers(1, 12))
    years = sorted(draw(st.sets(st.sampled_from([2016, 2017, 2019, 2022]), min_size=1, max_size=4)))
    rows = []
    for h in range(n_hh):
        for y in years:
            if draw(st.integers(0, 4)) == 0:  # absent this year
                continue
            status = draw(st.sampled_from(["poor", "near_poor", "non_poor"]))
            rows.append({
                "household_id": f"h{h}", "year": y,
                "commune_code": draw(st.sampled_from(["01", "02", "03", None])),
                "status": status,
                "poor_via": draw(st.sampled_from(["income", "deprivation"])) if status == "poor" else None,
                "members": draw(st.integers(1, 9)),
                "ethnic_minority": draw(st.booleans()),
                "ever_poor_before": draw(st.sampled_from([True, False, None])),
                **{i: draw(st.integers(0, 1)) for i in IND},
            })
    df = pd.DataFrame(rows, columns=["household_id", "year", "commune_code", "status", "poor_via", "members",
                                     "ethnic_minority", "ever_poor_before", *IND])
    df["year"] = df["year"].astype(np.int64)
    df["members"] = df["members"].astype(np.int64)
    df["ethnic_minority"] = df["ethnic_minority"].astype(bool)
    for i in IND:
        df[i] = df[i].astype(np.int8)
    return df


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=small_panels(), k=st.sampled_from([0.25, 0.5, 0.75, 1.0, 1 / 3]), wts=st.sampled_from([None, (0.1, 0.2, 0.3, 0.4)]))
def test_random_panels_equal_pandas(df, k, wts):
    src = from_frame(df)
    for by in (None, "year", ["year", "commune_code"]):
        keys = [] if by is None else ([by] if isinstance(by, str) else by)
        _same(rates(src, by), measures.rates(df, by), keys)
    if len(df):
        for pop in (None, "members"):
            _same(af_by_group(src, IND, ["year", "commune_code"], k=k, weights=wts, population=pop),
                  measures.af_by_group(df, IND, ["year", "commune_code"], k=k, weights=wts, population=pop),
                  ["year", "commune_code"])
        for status in ("poor", "near_poor"):
            _same(flow_table(src, "commune_code", status=status, flags=["ethnic_minority"]),
                  transitions.flow_table(df, "commune_code", status=status, flags=["ethnic_minority"]),
                  ["commune_code"])


def test_deprivation_weights_are_integers_in_the_sql():
    """The identification of the poor is exact: integer weights and cut-off, no float literal."""
    from povlib.af_weights import integer_weights
    from povlib.query import af_sql

    ids = get_standard("ND07_2021").indicator_ids
    W, K, _ = integer_weights(ids, None, 1 / 3)
    sql = af_sql(ids, W, K, "commune_code")
    assert f">= {K} THEN 1" in sql and "." not in sql.split("FROM")[0].replace("d_", "")


def test_flows_a_household_absent_one_review_is_not_linked():
    """Absent at the review in between: it left and joined again (as pandas has it), not a continuing spell."""
    p = pd.DataFrame({"household_id": ["a", "a", "b", "b", "b"], "year": [2016, 2019, 2016, 2017, 2019],
                      "commune_code": ["01"] * 5, "status": ["poor", "poor", "poor", "non_poor", "poor"]})
    ours = flow_table(from_frame(p), "commune_code")
    _same(ours, transitions.flow_table(p, "commune_code"), ["commune_code"])
    assert ours.loc[ours["year"] == 2019, ["joined", "re_entered"]].iloc[0].tolist() == [1, 1]


def test_flows_refuse_a_household_twice_in_a_year():
    from povlib.errors import PovlibInputError

    p = pd.DataFrame({"household_id": ["a", "a", "b"], "year": [2016, 2016, 2017],
                      "commune_code": ["01"] * 3, "status": ["poor", "poor", "poor"]})
    with pytest.raises(PovlibInputError) as err:
        flow_table(from_frame(p), "commune_code")
    assert "a (2016)" in err.value.message("vi") and "trùng" in err.value.message("vi")
    with pytest.raises(PovlibInputError):
        transitions.flow_table(p, "commune_code")
