"""povlib.views.national (the query layer's tables for the national dataset) equal the pandas views on the
same rows: a small national sample (two provinces) read back whole for the pandas side."""
from __future__ import annotations

import pandas as pd
import pytest

from povlib import views
from povlib.views import national
from tests.support.national_sample import PROVINCES, year_rows

STD = "ND07_2021"


@pytest.mark.parametrize("province", [None, "19"])
def test_deprivation_summary_equals_pandas(national_any_src, national_frame, province):
    rows = year_rows(national_frame, 2026, province)
    got = national.deprivation_summary(national_any_src, 2026, STD, province=province)
    want = views.deprivation_summary(rows, STD)
    pd.testing.assert_frame_equal(got["table"], want["table"])
    pd.testing.assert_frame_equal(got["count_dist"], want["count_dist"])
    for k in ("H", "A", "M0", "households", "with_indicators", "b2_only", "cutoff"):
        assert got[k] == want[k], k


@pytest.mark.parametrize("among", ["all", "poor", "poor_near"])
def test_unit_indicator_matrix_equals_pandas(national_any_src, national_frame, among):
    rows = national_frame[(national_frame["year"] == 2026) & (national_frame["province_code"] == "33")]
    got = national.unit_indicator_matrix(national_any_src, 2026, STD, "commune", province="33", among=among)
    pd.testing.assert_frame_equal(got, views.unit_indicator_matrix(rows, STD, "commune", among=among))


def test_ranking_of_communes_equals_pandas(national_any_src, national_frame):
    rows = national_frame[(national_frame["year"] == 2025) & (national_frame["province_code"] == "19")]
    got = national.ranking(national_any_src, 2025, "commune", province="19")
    want = views.unit_ranking(rows.assign(district_code="19"), "commune")
    pd.testing.assert_frame_equal(got.drop(columns="district_code"), want.drop(columns="district_code"),
                                  check_dtype=False)


def test_facts_and_one_commune(national_any_src, national_frame):
    info = national.facts(national_any_src)
    assert info.years == (2025, 2026) and set(info.districts) == set(PROVINCES)
    assert len(info.communes_in(2026)) == national_frame.loc[national_frame["year"] == 2026, "commune_code"].nunique()
    code = info.communes_in(2026)["code"].iloc[0]
    rows = national.commune_rows(national_any_src, code, national.province_of(info, code, 2026))
    assert set(rows["commune_code"].astype(str)) == {code}
    assert len(rows) == int((national_frame["commune_code"] == code).sum())


def test_flows_and_transitions_equal_pandas(national_any_src, national_frame):
    rows = national_frame[national_frame["province_code"] == "19"]
    panel = views.with_flows(rows, keys=("commune_code",))
    got = national.flow_counts(national_any_src, years=(2025, 2026), province="19")
    pd.testing.assert_frame_equal(got, views.flow_counts(panel), check_dtype=False)
    pd.testing.assert_frame_equal(national.transition_counts(national_any_src, 2025, 2026, province="19"),
                                  views.transition_counts(rows, 2025, 2026), check_dtype=False)


@pytest.mark.parametrize("year", [2025, 2026])
def test_overview_figures_equal_pandas(national_any_src, national_frame, year):
    rows = national_frame[national_frame["province_code"] == "33"]
    want = views.overview_figures(views.with_flows(rows, keys=("commune_code",)), year)
    got = national.overview_figures(national_any_src, year, years=(2025, 2026), province="33")
    assert got.keys() >= want.keys()
    for k in want:
        assert got[k] == want[k] or (got[k] != got[k] and want[k] != want[k]), (k, got[k], want[k])
