"""Audit (issue 9): bad numbers are refused, not computed; weights and cut-offs are taken as given.

Each test names the figure the independent audit found and the rule it checks
(items 7 and 11 of the audit).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import povlib
from povlib.classify import classify_households
from povlib.errors import PovlibInputError
from povlib.measures import alkire_foster, rates
from povlib.standards import get

QD59 = get("QD59_2015").indicator_ids


def _hh(n: int = 3, **cols) -> pd.DataFrame:
    base = {"area": ["rural"] * n, "income": [650_000] * n, "members": [4] * n, "standard": ["QD59_2015"] * n,
            **{i: [0] * n for i in QD59}}
    base.update(cols)
    return pd.DataFrame(base)


# --- item 7: bad numbers ------------------------------------------------------------------------------
def test_rates_refuse_missing_members():
    """Audit: ``rates()`` with a missing ``members`` gave people = −9,2·10¹⁸ and a rate of 0."""
    df = classify_households(_hh(members=[4.0, np.nan, 3.0]))
    with pytest.raises(PovlibInputError) as err:
        rates(df)
    assert err.value.column == "members" and err.value.rows == [1]
    assert "nhân khẩu" in str(err.value) and "members" in err.value.message("en").lower()


@pytest.mark.parametrize("bad", [0, -2, 2.5, np.inf])
def test_rates_refuse_impossible_household_sizes(bad):
    """Audit: ``members = 0`` was accepted by the library although the import refuses it."""
    df = classify_households(_hh(members=[4, bad, 3]))
    with pytest.raises(PovlibInputError) as err:
        rates(df)
    assert err.value.rows == [1]


def test_rates_people_are_exact_integers():
    df = classify_households(_hh(members=[4, 5, 3]))
    r = rates(df).iloc[0]
    assert int(r["people"]) == 12 and int(r["poor_people"]) == 12


def test_infinite_income_is_refused():
    """Audit: ``inf`` income was accepted and classed non-poor."""
    with pytest.raises(PovlibInputError) as err:
        classify_households(_hh(income=[650_000, np.inf, 1_000_000]))
    assert err.value.column == "income" and err.value.rows == [1]


def test_mixed_standards_with_a_duplicated_index_keep_their_rows():
    """Audit: a frame with mixed standards and a duplicated index doubled its rows (6 in, 12 out)."""
    a = _hh(3)
    b = _hh(3, standard=["ND07_2021"] * 3, **{i: [0] * 3 for i in get("ND07_2021").indicator_ids})
    df = pd.concat([a, b]).fillna(0)
    df.index = [0, 0, 1, 1, 2, 2]
    out = classify_households(df, standard=None)
    assert len(out) == 6
    assert list(out.index) == [0, 0, 1, 1, 2, 2]
    assert list(out["standard"]) == list(df["standard"])


def test_a_missing_standard_value_is_a_clear_error():
    """Audit: a missing ``standard`` value raised a bare ``KeyError``."""
    df = _hh(standard=["QD59_2015", None, "QD59_2015"])
    with pytest.raises(PovlibInputError) as err:
        classify_households(df, standard=None)
    assert err.value.column == "standard" and err.value.rows == [1]


def test_nine_of_ten_indicator_columns_are_refused_not_replaced_by_b2():
    """Audit: with 9 of the 10 indicator columns present the code fell back to ``b2_score``: a
    household with 3 deprivations and B2 = 0 became near-poor."""
    df = _hh(1, income=[800_000], adult_education=[1], child_schooling=[1], health_access=[1])
    assert classify_households(df).loc[0, "status"] == "poor"   # 3 deprivations, within the near-poor line
    with pytest.raises(PovlibInputError) as err:
        classify_households(df.drop(columns=["latrine"]).assign(b2_score=0))
    assert err.value.column == "latrine"
    assert "9/10" in str(err.value)


def test_what_if_on_another_standards_indicators_still_uses_b2():
    """The what-if path is kept: QD 59 data under ND 07 share 8 of its 12 indicators and use their B2."""
    demo = povlib.load_demo()
    out = classify_households(demo[demo["year"] == 2019].head(200), "ND07_2021")
    assert len(out) == 200


# --- item 11: weights and cut-offs ---------------------------------------------------------------------
def _matrix(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list("abc"))


def test_weights_with_seven_decimals_that_sum_to_one_are_accepted():
    """Audit: weights ``[0.1234567, 0.2, 0.6765433]`` (sum exactly 1 in decimal) were rejected."""
    r = alkire_foster(_matrix([[1, 0, 0], [0, 1, 1]]), [0.1234567, 0.2, 0.6765433], k=0.2)
    assert r.H == 0.5


def test_a_weight_is_not_snapped_to_a_nearby_fraction():
    """Audit: 0.6000001 was silently snapped to 3/5. Weights 0.2 + 0.2 + 0.6000001 sum to 1.0000001: refused."""
    with pytest.raises(PovlibInputError):
        alkire_foster(_matrix([[1, 0, 0]]), [0.2, 0.2, 0.6000001], k=0.5)


def test_a_cutoff_is_compared_exactly():
    """Audit: k = 0.333334 was snapped to 1/3. A score of exactly 1/3 is below 0.333334: not poor."""
    d = _matrix([[1, 0, 0]])
    assert alkire_foster(d, k=Fraction(1, 3)).H == 1.0
    assert alkire_foster(d, k=0.333334).H == 0.0
    assert alkire_foster(d, k=0.3333333333333333).H == 1.0   # 1/3 as a float is just below 1/3


@pytest.mark.parametrize("k", [1.0000001, 0, -0.1, float("nan"), float("inf")])
def test_a_cutoff_outside_0_1_is_refused(k):
    """Audit: k = 1.0000001 was accepted."""
    with pytest.raises(PovlibInputError):
        alkire_foster(_matrix([[1, 1, 1]]), k=k)


def test_float_thirds_are_accepted_within_float_rounding():
    """1/3 written as a float (0.3333333333333333 ×3 sums to 0.9999999999999999) is 1 within n × 2⁻⁵²."""
    r = alkire_foster(_matrix([[1, 0, 0], [1, 1, 0]]), [1 / 3, 1 / 3, 1 / 3], k=Fraction(2, 3))
    assert r.H == 0.5
