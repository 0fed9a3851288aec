"""The 2027 plan under Decree 351/2025, projected from the 2026 review (issue 12 item 5): boundary households at
the lines and at 2/3 deprivations, rural/urban, missing indicators, transitions, dated policy amounts, and a
property: the projected counts add up to the review's households of each commune."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from povlib import planning, standards
from povlib.errors import PovlibInputError
from povlib.planning import PolicyPeriod, plan_target, policies_for_year, project, project_plan

pytestmark = pytest.mark.unit

#: the Decree 07/2021 indicators a 2026 review carries that Decree 351/2025 keeps
KEPT = ("employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
        "housing_quality", "living_area", "water_source", "latrine")


def _hh(income, area, n_deprived, status="non_poor", cols=KEPT, extra=None):
    """One 2026 household (Decree 07/2021 columns) deprived in its first ``n_deprived`` indicators."""
    row = {"household_id": "h", "commune_code": "02020", "commune_name": "Xã Chợ Đồn", "year": 2026,
           "standard": "ND07_2021", "status": status, "area": area, "members": 3, "income": income,
           "telecom": 0, "info_access": 0}
    row.update({c: int(i < n_deprived) for i, c in enumerate(cols)})
    row.update(extra or {})
    return row


def _status(rows) -> list[str]:
    df = pd.DataFrame(rows)
    df["household_id"] = [f"h{i}" for i in range(len(df))]
    return project(df, 2026).households["status_plan"].tolist()


def test_the_plan_year_and_standard_come_from_the_rules_data():
    assert plan_target(2026) == planning.PlanTarget(2026, 2027, "ND07_2021", "ND351_2025")
    assert plan_target(2026).projection
    assert not plan_target(2019).projection and not plan_target(2023).projection
    assert plan_target(2021).plan_standard == "ND07_2021"  # the 2021 review planned 2022 under Decree 07
    assert plan_target(2030) is None  # no standard for 2031 in the rules


@pytest.mark.parametrize(("income", "area", "d", "want"), [
    (2_200_000, "rural", 3, "poor"),        # at the rural line, 3 deprivations
    (2_200_000, "rural", 2, "near_poor"),   # at the line, 2
    (2_200_001, "rural", 12, "non_poor"),   # above the line: never poor, however deprived
    (0, "rural", 0, "near_poor"),           # no income-only branch under Decree 351
    (2_800_000, "urban", 3, "poor"),        # at the urban line
    (2_800_000, "urban", 2, "near_poor"),
    (2_800_001, "urban", 3, "non_poor"),
    (2_500_000, "rural", 5, "non_poor"),    # between the lines: rural is above its line ...
    (2_500_000, "urban", 5, "poor"),        # ... urban within its own
])
def test_boundary_households_at_the_lines_and_the_cutoff(income, area, d, want):
    assert _status([_hh(income, area, d)]) == [want]


def test_lines_and_cutoff_are_the_standards_own():
    std = standards.get("ND351_2025")
    assert (std.lines["rural"].poor, std.lines["urban"].poor, std.deprivation_cutoff) == (2_200_000, 2_800_000, 3)


def test_missing_indicators_are_named_not_invented():
    pr = project(pd.DataFrame([_hh(2_000_000, "rural", 2), _hh(2_000_000, "rural", 1)]), 2026)
    assert pr.missing == ("waste_treatment", "digital_services")
    assert pr.used == tuple(i for i in standards.get("ND351_2025").indicator_ids if i in KEPT)
    # Decree 07's own information indicators are not read as Decree 351's digital services
    assert "telecom" not in pr.used and "info_access" not in pr.used
    h = pr.households
    assert h["status_plan"].tolist() == ["near_poor", "near_poor"]
    # 2 deprived + 2 missing could reach 3; 1 + 2 could too; a household with 0 could not
    assert h["could_be_poor"].tolist() == [True, True]
    pr0 = project(pd.DataFrame([_hh(2_000_000, "rural", 0)]), 2026)
    assert pr0.households["could_be_poor"].tolist() == [False]


def test_a_blank_indicator_counts_as_unknown_for_that_household_only():
    rows = [_hh(2_000_000, "rural", 2), _hh(2_000_000, "rural", 0), _hh(2_000_000, "rural", 0)]
    df = pd.DataFrame(rows).assign(household_id=["a", "b", "c"])
    df["latrine"] = df["latrine"].astype(float)
    df.loc[[1, 2], ["latrine", "water_source", "housing_quality"]] = np.nan  # b and c reviewed with B2 only
    df.loc[2, "waste"] = 1
    pr = project(df, 2026)
    h = pr.households
    assert "latrine" in pr.used and h["unknown_indicators"].tolist() == [2, 5, 5]
    assert h["status_plan"].tolist() == ["near_poor"] * 3 and h["could_be_poor"].tolist() == [True, True, True]
    df.loc[:, "latrine"] = np.nan  # blank for every household: a missing indicator
    assert "latrine" in project(df, 2026).missing


def test_a_review_with_every_indicator_has_nothing_missing():
    cols = standards.get("ND351_2025").indicator_ids
    pr = project(pd.DataFrame([_hh(2_000_000, "urban", 3, cols=cols)]), 2026)
    assert pr.missing == () and pr.households["status_plan"].tolist() == ["poor"]
    assert not pr.households["could_be_poor"].any()


def test_transitions_between_the_review_and_the_projection():
    rows = [_hh(1_000_000, "rural", 3, "poor"),          # stays poor
            _hh(1_000_000, "rural", 2, "poor"),          # poor -> near-poor (fewer deprivations counted)
            _hh(3_000_000, "rural", 3, "poor"),          # leaves
            _hh(1_800_000, "rural", 4, "non_poor"),      # newly poor: above the old line, within the new
            _hh(1_800_000, "rural", 1, "non_poor"),      # newly near-poor
            _hh(1_400_000, "rural", 1, "near_poor")]     # stays near-poor
    df = pd.DataFrame(rows).assign(household_id=[f"h{i}" for i in range(len(rows))])
    pr = project(df, 2026)
    assert pr.households["transition"].tolist() == ["stays_poor", "poor_to_near_poor", "leaves_poor", "newly_poor",
                                                    "newly_near_poor", "stays_near_poor"]
    tr = planning.transition_table(pr, total_label="Tổng cộng")
    assert tr.iloc[-1]["households"] == 6 and tr.iloc[-1]["newly_poor"] == 1


def test_bad_input_is_refused_with_the_row():
    with pytest.raises(PovlibInputError, match="income"):
        project(pd.DataFrame([_hh(2_000_000, "rural", 1)]).drop(columns="income"), 2026)
    df = pd.DataFrame([_hh(2_000_000, "rural", 1), _hh(2_000_000, "núi", 1)])
    with pytest.raises(PovlibInputError, match="area") as e:
        project(df, 2026)
    assert e.value.rows == [1]
    df = pd.DataFrame([_hh(2_000_000, "rural", 1), _hh(2_000_000, "rural", 1, extra={"latrine": 2})])
    with pytest.raises(PovlibInputError, match="latrine"):
        project(df, 2026)
    with pytest.raises(PovlibInputError):
        project(pd.DataFrame([_hh(2_000_000, "rural", 1)]).assign(year=2030), 2030)  # no standard for 2031


def test_policy_amounts_of_the_period_and_carried_forward():
    base = planning.load_policies(overrides=None)
    dp = policies_for_year(base, 2027)
    assert dp.period.id == "2026_2030" and dp.period.covers(2027) and not dp.period.covers(2031)
    ps = dp.policies
    assert ps.parameter_values["base_salary"] == 2_340_000 and ps.unit_amount("learning_cost") == 150_000
    # every amount of the period is unconfirmed (not checked against the signed text), carried ones too
    assert not any(ps.amount_confirmed(p.id) for p in ps.policies)
    assert "policy:settop_box" in dp.carried and "param:base_salary" not in dp.carried
    assert ps.unit_amount("settop_box") == base.unit_amount("settop_box")
    assert base.amount_confirmed("credit_poor") and not ps.amount_confirmed("credit_poor")  # carried: unconfirmed
    kwh = {q.id: q for q in ps.parameters}["electricity_kwh_per_month"]
    assert "param:electricity_kwh_per_month" in dp.carried and not kwh.confirmed and kwh.value == 30


def test_a_period_is_chosen_by_its_dates_not_by_a_year_in_code():
    base = planning.load_policies(overrides=None)
    per = PolicyPeriod("x", dt.date(2031, 1, 1), dt.date(2035, 12, 31), parameters={
        "base_salary": {"value": 3_000_000, "confirmed": True, "source": "s"}})
    assert policies_for_year(base, 2032, (per,)).policies.parameter_values["base_salary"] == 3_000_000
    assert policies_for_year(base, 2030, (per,)).period is None
    bad = PolicyPeriod("y", dt.date(2031, 1, 1), dt.date(2035, 12, 31), amounts={
        "health_insurance_poor": {"unit_amount": 1, "confirmed": True, "source": "s"}})
    with pytest.raises(PovlibInputError, match="health_insurance_poor"):
        policies_for_year(base, 2032, (bad,))


def test_the_cost_is_the_projected_households_times_the_periods_amounts():
    rows = [_hh(2_000_000, "rural", 3, "near_poor"), _hh(2_000_000, "urban", 1, "non_poor")]
    df = pd.DataFrame(rows).assign(household_id=["a", "b"])
    pp = project_plan(df, 2026, planning.load_policies(overrides=None), difficult=None)
    b = pp.budget.set_index("policy_id")
    hi = round(2_340_000 * 4.5 / 100 * 12)
    assert b.loc["health_insurance_poor", "people"] == 3
    assert b.loc["health_insurance_poor", "budget"] == 3 * hi
    assert b.loc["health_insurance_near_poor", "budget"] == round(3 * hi * 0.7)
    assert not b["confirmed"].any()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4_000_000), st.sampled_from(["rural", "urban"]), st.integers(0, 10),
                          st.sampled_from(["poor", "near_poor", "non_poor"]), st.sampled_from(["A", "B", "C"])),
                min_size=1, max_size=60))
def test_projected_counts_add_up_to_the_review_households_of_each_commune(hhs):
    rows = [_hh(inc, area, d, status, extra={"commune_code": c, "commune_name": f"Xã {c}"})
            for inc, area, d, status, c in hhs]
    df = pd.DataFrame(rows).assign(household_id=[f"h{i}" for i in range(len(rows))])
    pr = project(df, 2026)
    by = planning.projection_by_commune(pr).set_index("commune_code")
    want = df.groupby("commune_code").size()
    assert by["households"].to_dict() == want.to_dict()
    assert (by[["poor_plan", "near_poor_plan", "non_poor_plan"]].sum(axis=1) == by["households"]).all()
    tr = planning.transition_table(pr).set_index("commune_code")
    assert (tr[list(planning.TRANSITIONS.values())].sum(axis=1) == want).all()
    # people add up too, and the review's counts are the review's
    assert by["people_poor_plan"].sum() == 3 * by["poor_plan"].sum()
    assert by["poor_review"].sum() == int(np.sum(df["status"] == "poor"))
