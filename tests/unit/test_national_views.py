"""povlib.views.national (the query layer's tables for the national dataset) equal the pandas views on the
same rows: a small national sample (two provinces) read back whole for the pandas side."""
from __future__ import annotations

import pandas as pd
import pytest

from povlib import views
from povlib.query import from_parquet
from povlib.synth.national import generate_national
from povlib.views import national

PROVINCES = ("19", "33")
STD = "ND07_2021"


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    out = tmp_path_factory.mktemp("vn")
    generate_national(out, provinces=PROVINCES, scale=0.003)
    return from_parquet(out)


@pytest.fixture(scope="module")
def frame(src):
    return src.sql("SELECT * FROM households ORDER BY province_code, year, household_id")


@pytest.mark.parametrize("province", [None, "19"])
def test_deprivation_summary_equals_pandas(src, frame, province):
    rows = frame[(frame["year"] == 2026) & ((frame["province_code"] == province) if province else True)]
    got = national.deprivation_summary(src, 2026, STD, province=province)
    want = views.deprivation_summary(rows, STD)
    pd.testing.assert_frame_equal(got["table"], want["table"])
    pd.testing.assert_frame_equal(got["count_dist"], want["count_dist"])
    for k in ("H", "A", "M0", "households", "with_indicators", "b2_only", "cutoff"):
        assert got[k] == want[k], k


@pytest.mark.parametrize("among", ["all", "poor", "poor_near"])
def test_unit_indicator_matrix_equals_pandas(src, frame, among):
    rows = frame[(frame["year"] == 2026) & (frame["province_code"] == "33")]
    got = national.unit_indicator_matrix(src, 2026, STD, "commune", province="33", among=among)
    pd.testing.assert_frame_equal(got, views.unit_indicator_matrix(rows, STD, "commune", among=among))


def test_ranking_of_communes_equals_pandas(src, frame):
    rows = frame[(frame["year"] == 2025) & (frame["province_code"] == "19")]
    got = national.ranking(src, 2025, "commune", province="19")
    want = views.unit_ranking(rows.assign(district_code="19"), "commune")
    pd.testing.assert_frame_equal(got.drop(columns="district_code"), want.drop(columns="district_code"),
                                  check_dtype=False)


def test_facts_and_one_commune(src, frame):
    info = national.facts(src)
    assert info.years == (2025, 2026) and set(info.districts) == set(PROVINCES)
    assert len(info.communes_in(2026)) == frame.loc[frame["year"] == 2026, "commune_code"].nunique()
    code = info.communes_in(2026)["code"].iloc[0]
    rows = national.commune_rows(src, code, national.province_of(info, code, 2026))
    assert set(rows["commune_code"].astype(str)) == {code}
    assert len(rows) == int((frame["commune_code"] == code).sum())


def test_flows_and_transitions_equal_pandas(src, frame):
    rows = frame[frame["province_code"] == "19"]
    panel = views.with_flows(rows, keys=("commune_code",))
    got = national.flow_counts(src, years=(2025, 2026), province="19")
    pd.testing.assert_frame_equal(got, views.flow_counts(panel), check_dtype=False)
    pd.testing.assert_frame_equal(national.transition_counts(src, 2025, 2026, province="19"),
                                  views.transition_counts(rows, 2025, 2026), check_dtype=False)


@pytest.mark.parametrize("year", [2025, 2026])
def test_overview_figures_equal_pandas(src, frame, year):
    rows = frame[frame["province_code"] == "33"]
    want = views.overview_figures(views.with_flows(rows, keys=("commune_code",)), year)
    got = national.overview_figures(src, year, years=(2025, 2026), province="33")
    assert got.keys() >= want.keys()
    for k in want:
        assert got[k] == want[k] or (got[k] != got[k] and want[k] != want[k]), (k, got[k], want[k])
