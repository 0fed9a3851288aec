"""The national dataset's compare, report and planning figures (:mod:`povlib.views.national_compare` and the
modules after it) equal the pandas functions on the same rows: a small national sample (two provinces) read
back whole for the pandas side."""
from __future__ import annotations

import pandas as pd
import pytest

from povlib import views
from povlib.geo.national import province_names
from povlib.views import national_compare
from tests.support.national_sample import PROVINCES, year_rows


def _same(got: views.Comparison, want: views.Comparison) -> None:
    pd.testing.assert_frame_equal(got.rates.drop(columns="district_name"), want.rates.drop(columns="district_name"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(got.indicators, want.indicators, check_dtype=False)
    pd.testing.assert_frame_equal(got.trend, want.trend, check_dtype=False)
    assert got.indicators.attrs["standard"] == want.indicators.attrs["standard"]


@pytest.mark.parametrize("year", [2025, 2026])
def test_compare_communes_of_a_province_equals_pandas(national_src, national_frame, year):
    rows = national_frame[national_frame["province_code"] == "19"].assign(district_code="19")
    choices = national_compare.unit_choices(national_src, year, "commune", province="19")
    assert choices == views.commune_choices(rows[rows["year"] == year])
    codes = list(choices)[1:5]
    got = national_compare.compare_units(national_src, codes[::-1], year, "commune", province="19")
    _same(got, views.compare_communes(rows, codes, year))
    assert got.rates["code"].tolist() == codes


def test_compare_provinces_equals_pandas_on_provinces_as_communes(national_src, national_frame):
    names = province_names()
    province = national_frame["province_code"]
    rows = national_frame.assign(commune_code=province, commune_name=province.map(names), district_code="00")
    got = national_compare.compare_units(national_src, list(PROVINCES), 2026, "province")
    _same(got, views.compare_communes(rows, list(PROVINCES), 2026))
    assert set(got.rates["name"]) == {names[p] for p in PROVINCES}


def test_compare_a_group_and_an_unknown_code(national_src, national_frame):
    rows = national_frame[(national_frame["province_code"] == "33") & national_frame["ethnic_minority"]]
    rows = rows.assign(district_code="33")
    codes = list(national_compare.unit_choices(national_src, 2026, "commune", province="33"))[:2]
    got = national_compare.compare_units(national_src, [*codes, "99999"], 2026, "commune", province="33",
                                         group="ethnic_minority")
    _same(got, views.compare_communes(rows, [*codes, "99999"], 2026))
    empty = national_compare.compare_units(national_src, ["99999"], 2026, "commune", province="33")
    assert empty.rates.empty and empty.trend.empty


# --- reports of a province or the country (povlib.reports.national) -----------------------------------------
@pytest.mark.parametrize("status", ["poor", "near_poor"])
@pytest.mark.parametrize("year", [2025, 2026])
def test_summary_form_of_a_province_equals_pandas(national_src, national_frame, status, year):
    from povlib.reports import national as nat_reports
    from povlib.reports.summary import summary_table

    rows = national_frame[national_frame["province_code"] == "33"]
    got = nat_reports.summary_table(national_src, year, status=status, province="33", pct_base="start")
    want = summary_table(rows, year, status=status, pct_base="start")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got.attrs == want.attrs


def test_summary_form_of_the_country_by_province_equals_pandas(national_src, national_frame):
    from povlib.reports import national as nat_reports
    from povlib.reports.summary import summary_table

    names = province_names()
    province = national_frame["province_code"]
    rows = national_frame.assign(commune_code=province, commune_name=province.map(names))
    got = nat_reports.summary_table(national_src, 2026, status="poor", level="province")
    want = summary_table(rows, 2026, status="poor")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got.attrs["level"] == "province"


@pytest.mark.parametrize("province", [None, "19"])
def test_indicator_form_equals_pandas(national_src, national_frame, province):
    from povlib.reports import national as nat_reports
    from povlib.reports.indicators import indicator_table

    rows = year_rows(national_frame, 2026, province)
    got = nat_reports.indicator_table(national_src, 2026, province=province)
    want = indicator_table(rows)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == want.attrs


def test_national_report_bundle_downloads(national_src):
    from povlib.reports import national as nat_reports

    b = nat_reports.build_report(national_src, 2026, "summary", province="19", synthetic=True)
    assert list(b.keys.values()) == ["summary_poor", "summary_near_poor"]
    assert b.to_xlsx()[:2] == b"PK" and b.to_pdf()[:4] == b"%PDF"
    assert not b.unbalanced.get(next(iter(b.sheets)))
    ind = nat_reports.build_report(national_src, 2026, "indicators", level="province")
    assert list(ind.keys.values()) == ["indicators"]
