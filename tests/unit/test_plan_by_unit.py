"""The plan of the whole country per province (:func:`povlib.planning.budget_by_unit`): each province's totals
are the sums of its communes' rows, the confirmed part commune by commune (a province whose communes are partly
confirmed keeps their part), and no commune is dropped."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from povlib.planning import budget, budget_by_unit, commune_totals, load_policies

PS = load_policies(overrides=None)
POLICIES = ["health_insurance_near_poor", "settop_box", "housing_loan", "tuition_exemption_poor"]
# a grant with a confirmed amount, a one-time grant, a loan, and an exemption with no amount (its budget missing)


def _budget(rows: list[tuple[int, int, int, int, bool]]) -> pd.DataFrame:
    """A budget table of communes c0, c1, … (row: commune, policy index, households, funded units, units confirmed)."""
    elig = pd.DataFrame({
        "commune_code": [f"c{c}" for c, *_ in rows], "commune_name": [f"Xã {c}" for c, *_ in rows],
        "policy_id": [POLICIES[p] for _, p, *_ in rows], "households": [h for *_, h, _, _ in rows],
        "people": [2 * h for *_, h, _, _ in rows], "units": [u for *_, u, _ in rows],
        "already_covered": [0] * len(rows), "units_estimated": [False] * len(rows),
        "funded_units": [u for *_, u, _ in rows], "units_confirmed": [ok for *_, ok in rows]})
    return budget(elig, PS)


def _pandas_totals(bud: pd.DataFrame, province_of: dict[str, str]) -> pd.DataFrame:
    """Per province, with pandas: grants, their confirmed part, lending (every row its own commune's)."""
    b = bud["budget"].fillna(0).astype("int64")
    return pd.DataFrame({"grant_budget": b.where(~bud["lending"], 0),
                         "grant_budget_confirmed": b.where(~bud["lending"] & bud["confirmed"], 0),
                         "lending_volume": b.where(bud["lending"], 0),
                         "province": bud["commune_code"].map(province_of)}).groupby("province").sum()


def test_a_partly_confirmed_province_keeps_its_confirmed_communes():
    bud = _budget([(0, 0, 3, 3, True), (1, 0, 2, 2, False)])  # one policy, one commune confirmed of two
    assert int(bud.loc[bud["confirmed"], "budget"].sum()) > 0
    up = budget_by_unit(bud, {"c0": ("19", "Thái Nguyên"), "c1": ("19", "Thái Nguyên")})
    tot = commune_totals(up).set_index("commune_code")
    assert tot.loc["19", "grant_budget"] == int(bud["budget"].sum())
    assert tot.loc["19", "grant_budget_confirmed"] == int(bud.loc[bud["confirmed"], "budget"].sum())
    assert not up.loc[0, "units_confirmed"]  # the count of the province as a whole is not confirmed


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 40), st.integers(0, 40),
                          st.booleans()), min_size=1, max_size=30),
       st.lists(st.sampled_from(["01", "19", "92"]), min_size=6, max_size=6))
def test_province_totals_are_the_sums_of_their_communes(rows, provinces):
    bud = _budget(rows)
    province_of = {f"c{i}": provinces[i] for i in range(6)}
    up = budget_by_unit(bud, {c: (p, f"Tỉnh {p}") for c, p in province_of.items()})
    got = commune_totals(up).set_index("commune_code")
    want = _pandas_totals(bud, province_of)
    assert sorted(got.index) == sorted(want.index)
    for col in want.columns:
        assert got.loc[want.index, col].tolist() == want[col].tolist(), col
    counts = bud.assign(p=bud["commune_code"].map(province_of)).groupby(["p", "policy_id"])[["households", "funded_units"]].sum()
    assert up.set_index(["commune_code", "policy_id"])[["households", "funded_units"]].sort_index().equals(counts.sort_index())


def test_a_commune_without_a_province_is_refused_not_dropped():
    bud = _budget([(0, 0, 1, 1, True), (1, 0, 1, 1, True)])
    with pytest.raises(ValueError, match="c1"):
        budget_by_unit(bud, {"c0": ("19", "Thái Nguyên")})
