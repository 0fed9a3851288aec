"""The household list's flow filter counts what the trends page and the summary form count.

A poor household that became near-poor both escaped poverty and is newly (or again) near-poor. The list filtered
on one ``flow_label`` per household (the last flow wins) missed it under "Cận nghèo phát sinh": 3 households
where the trends page said 6. The filter reads the flow columns; the list's flow column names both flows.
"""
from __future__ import annotations

import pytest

from povlib import views
from povlib.views.households import household_choices, household_list

YEAR = 2019


@pytest.fixture(scope="module")
def year_rows(demo):
    p = views.with_flows(demo)
    return p[p["year"] == YEAR]


@pytest.mark.parametrize("flow", ["newly_near_poor", "re_near_poor", "escaped_poverty", "newly_poor"])
def test_each_flow_lists_every_household_in_it(year_rows, flow):
    want = int((year_rows[flow] & year_rows["status"].isin(["poor", "near_poor"])).sum())
    got = household_list(year_rows, "QD59_2015", flows=(flow,))
    assert len(got) == want > 0
    assert flow in household_choices(year_rows, "QD59_2015")["flows"]


def test_a_poor_household_that_became_near_poor_shows_both_flows(year_rows):
    both = year_rows[year_rows["escaped_poverty"] & year_rows["newly_near_poor"]]
    assert len(both)
    got = household_list(both, "QD59_2015")
    assert set(got["Biến động"]) == {f"Thoát nghèo; Cận nghèo phát sinh {YEAR}"}


def test_the_poverty_branch_column_only_under_a_standard_that_has_branches(demo):
    p = views.with_flows(demo)
    assert "Diện nghèo" in household_list(p[p["year"] == 2019], "QD59_2015").columns
    assert "Diện nghèo" not in household_list(p[p["year"] == 2024], "ND07_2021").columns  # every poor one is both
