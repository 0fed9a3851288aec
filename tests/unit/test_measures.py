"""Rates and Alkire–Foster measures: identities on random data (hypothesis) and exact cut-offs."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from povlib import PovlibInputError, alkire_foster, rates
from povlib.measures import af_by_group, af_for_standard, deprivation_shares


@st.composite
def deprivation_data(draw):
    n = draw(st.integers(1, 60))
    k = draw(st.integers(1, 8))
    X = draw(arrays(np.int8, (n, k), elements=st.integers(0, 1)))
    raw = draw(st.lists(st.integers(1, 20), min_size=k, max_size=k))
    weights = [Fraction(r, sum(raw)) for r in raw]
    cut = draw(st.fractions(min_value=Fraction(1, 100), max_value=1))
    pop = draw(arrays(np.int64, n, elements=st.integers(1, 9)))
    groups = draw(arrays(np.int64, n, elements=st.integers(0, 3)))
    cols = [f"i{j}" for j in range(k)]
    return pd.DataFrame(X, columns=cols), weights, cut, pop, groups


@settings(max_examples=150, deadline=None)
@given(deprivation_data())
def test_af_identities(data):
    df, w, k, pop, _ = data
    r = alkire_foster(df, weights=w, k=k, population=pop)
    wf = np.array([float(x) for x in w])
    assert r.M0 == pytest.approx(r.H * r.A, abs=1e-12)
    assert r.M0 == pytest.approx(float((wf * r.censored).sum()), abs=1e-12)
    assert (r.censored <= r.uncensored + 1e-12).all()
    if r.M0 > 0:
        assert r.contribution.sum() == pytest.approx(100.0)
    else:
        assert r.contribution.sum() == 0
    # poor identification exactly as integer arithmetic with Fractions
    scores = [sum(Fraction(int(v)) * wi for v, wi in zip(row, w)) for row in df.to_numpy()]
    assert list(r.poor) == [s >= k for s in scores]
    assert 0 <= r.H <= 1 and 0 <= r.A <= 1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(deprivation_data())
def test_subgroup_decomposition(data):
    df, w, k, pop, groups = data
    df = df.assign(g=groups, pop=pop)
    cols = [c for c in df.columns if c.startswith("i")]
    total = alkire_foster(df[cols], weights=w, k=k, population=df["pop"])
    by = af_by_group(df, cols, "g", weights=w, k=k, population="pop")
    assert (by["pop_share"] * by["M0"]).sum() == pytest.approx(total.M0, abs=1e-12)
    assert (by["pop_share"] * by["H"]).sum() == pytest.approx(total.H, abs=1e-12)
    assert by["pop_share"].sum() == pytest.approx(1.0)
    # each group's figures equal the direct computation on that group
    for _, row in by.iterrows():
        sub = df[df["g"] == row["g"]]
        direct = alkire_foster(sub[cols], weights=w, k=k, population=sub["pop"])
        assert row["M0"] == pytest.approx(direct.M0, abs=1e-12)
        assert row["A"] == pytest.approx(direct.A, abs=1e-12)


def test_three_of_ten_equal_weights_pass_k_point_three():
    d = pd.DataFrame([[1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]], columns=list("abcdefghij"))
    r = alkire_foster(d, weights=[0.1] * 10, k=0.3)
    assert list(r.poor) == [True, False]
    assert r.H == 0.5 and r.A == pytest.approx(0.3)


def test_weights_must_sum_to_one():
    d = pd.DataFrame({"a": [1], "b": [0]})
    with pytest.raises(PovlibInputError, match="1"):
        alkire_foster(d, weights=[0.5, 0.6], k=0.5)
    with pytest.raises(PovlibInputError):
        alkire_foster(d, weights={"a": 0.5}, k=0.5)
    with pytest.raises(PovlibInputError):
        alkire_foster(d, weights=[1.0], k=0.5)
    with pytest.raises(PovlibInputError):
        alkire_foster(d, k=0)


def test_non_binary_matrix_refused():
    with pytest.raises(PovlibInputError) as exc:
        alkire_foster(pd.DataFrame({"a": [0, 2]}), k=0.5)
    assert exc.value.column == "a"


def test_af_for_standard_equals_three_deprivations(demo):
    y = demo[demo["year"] == 2019]
    r = af_for_standard(y, "QD59_2015")
    assert r.H == pytest.approx((y["deprivation_count"] >= 3).mean())
    by = af_for_standard(y, "QD59_2015", by="commune_code")
    assert len(by) == 22
    assert (by["pop_share"] * by["M0"]).sum() == pytest.approx(r.M0)


def test_rates_by_group_sum_to_total(demo):
    y = demo[demo["year"] == 2019]
    tot = rates(y).iloc[0]
    by = rates(y, "commune_code")
    for c in ("households", "poor", "near_poor", "people", "income_poor", "deprivation_poor"):
        assert by[c].sum() == tot[c]
    assert tot["poor"] == (y["status"] == "poor").sum()
    assert tot["poor_rate"] == pytest.approx(tot["poor"] / tot["households"])
    assert tot["income_poor"] + tot["deprivation_poor"] == tot["poor"]
    assert tot["poor_near"] == tot["poor"] + tot["near_poor"]


def test_rates_needs_status():
    with pytest.raises(PovlibInputError):
        rates(pd.DataFrame({"a": [1]}))


def test_deprivation_shares(demo):
    y = demo[demo["year"] == 2019]
    s = deprivation_shares(y, by="status")
    poor_latrine = s[(s["status"] == "poor") & (s["indicator"] == "latrine")]["share"].iloc[0]
    assert poor_latrine == pytest.approx(y.loc[y["status"] == "poor", "latrine"].mean())
