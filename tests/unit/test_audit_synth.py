"""Issue 9, the auditor's figures: the synthetic panels against the published figures, and rounding.

Sources (``../shared/docs/poverty-rules.md`` §5 and ``data/targets/bac_kan.toml``):

* [BK2019] Bắc Kạn, preliminary result of the 2019 review (giamngheo.backan.gov.vn, "Năm 2019, giảm
  1.432 hộ nghèo"): 16.003/80.276 poor households (19,93 %), 1.432 fewer (1,95 points) than at the
  start of the year; 8.668/80.276 near-poor (10,80 %), 747 fewer (1,02 points); district poverty
  rates Pác Nặm 35,22 %, Ngân Sơn 34,41 %, Na Rì 25,11 %, Ba Bể 23,8 %, Bạch Thông 17,46 %,
  Chợ Đồn 15,86 %, Chợ Mới 16,85 %, Bắc Kạn city 1,93 %.
* [CENSUS2019] 2019 census: Huyện Chợ Đồn 49.554 inhabitants.
* [BK2020] Bắc Kạn, 2020 review: 14.982 poor of 80.972 households (18,50 %), 8.469 near-poor (10,46 %).
* [BK2021] Bắc Kạn, the 2021 total review under both standards: 17,02 % / 10,11 % (Decision 59/2015),
  26,93 % / 9,74 % (Decree 07/2021).
* Official tables round percentages half up (issue 9, item 8): 1/32 = 3,125 % prints as 3,13 %.
"""
from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
import openpyxl
import pandas as pd
import pytest

import povlib
from povlib import rates
from povlib.i18n import fmt_num, fmt_pct, fmt_points, percent
from povlib.panel import classify_panel
from povlib.reports import build_report
from povlib.reports.summary import summary_display, summary_table
from povlib.units import units_at
from tests.support.frames import assert_frames_equal

#: [BK2019] district poverty rates, end of 2019, as printed
PUBLISHED_DISTRICT_RATES = {"058": "1,93 %", "060": "35,22 %", "061": "23,80 %", "062": "34,41 %",
                            "063": "17,46 %", "064": "15,86 %", "065": "16,85 %", "066": "25,11 %"}


@pytest.fixture(scope="module")
def province():
    """The province demo panel (built by tests/conftest.py: ``python -m povlib generate --scope bac-kan``)."""
    return povlib.load_demo("bac-kan")


@pytest.fixture(scope="module")
def by_year(province):
    return rates(province, "year").set_index("year")


# --- item 1: the province's poor and near-poor -----------------------------------------------------------
def test_province_poor_2019_is_the_published_count(by_year):
    """[BK2019]: 16.003 poor of 80.276 households at the end of 2019, printed 19,93 %."""
    r = by_year.loc[2019]
    assert (int(r["households"]), int(r["poor"])) == (80_276, 16_003)
    assert fmt_pct(r["poor_rate"]) == "19,93 %"


def test_province_poor_fell_by_1432_households_and_1_95_points(by_year):
    """[BK2019]: the poor fell by 1.432 households (1,95 points) in 2019, so 17.435 at the end of 2018."""
    assert int(by_year.loc[2018, "poor"]) == 17_435
    assert int(by_year.loc[2018, "poor"] - by_year.loc[2019, "poor"]) == 1_432
    change = Fraction(16_003, 80_276) - Fraction(17_435, int(by_year.loc[2018, "households"]))
    assert fmt_points(change) == "−1,95 điểm %"
    assert fmt_pct(by_year.loc[2018, "poor_rate"]) == "21,88 %"


def test_province_near_poor_2019_is_the_published_count(by_year):
    """[BK2019]: 8.668 near-poor of 80.276 households at the end of 2019, printed 10,80 % (the panel had 7.828)."""
    r = by_year.loc[2019]
    assert int(r["near_poor"]) == 8_668
    assert fmt_pct(r["near_poor_rate"]) == "10,80 %"


def test_province_near_poor_fell_by_747_households_and_1_02_points(by_year):
    """[BK2019]: the near-poor fell by 747 households (1,02 points) in 2019 (the panel had them rise by 246)."""
    assert int(by_year.loc[2018, "near_poor"] - by_year.loc[2019, "near_poor"]) == 747
    change = Fraction(8_668, 80_276) - Fraction(9_415, int(by_year.loc[2018, "households"]))
    assert fmt_points(change) == "−1,02 điểm %"
    old = by_year.loc[2016:2021, "near_poor"]
    assert list(old) == sorted(old, reverse=True)  # falling, 2016 to 2021 (one standard)


def test_province_2020_is_the_published_review(by_year):
    """[BK2020]: 14.982 poor (18,50 %) and 8.469 near-poor (10,46 %) of 80.972 households."""
    r = by_year.loc[2020]
    assert (int(r["households"]), int(r["poor"]), int(r["near_poor"])) == (80_972, 14_982, 8_469)
    assert (fmt_pct(r["poor_rate"]), fmt_pct(r["near_poor_rate"])) == ("18,50 %", "10,46 %")


def test_province_2021_under_both_standards(province, by_year):
    """[BK2021]: the 2021 review is classified under Decision 59/2015 (17,02 % / 10,11 %) and, as a what-if over
    the same households and the indicators of Decree 07/2021 it also carries, 26,93 % / 9,74 %."""
    r = by_year.loc[2021]
    assert (fmt_pct(r["poor_rate"]), fmt_pct(r["near_poor_rate"])) == ("17,02 %", "10,11 %")
    y21 = province[province["year"] == 2021]
    assert set(y21["standard"].astype(str)) == {"QD59_2015"}
    w = rates(classify_panel(y21, "ND07_2021")).iloc[0]
    assert int(w["households"]) == int(r["households"])
    assert (fmt_pct(w["poor_rate"]), fmt_pct(w["near_poor_rate"])) == ("26,93 %", "9,74 %")


def test_province_later_years_follow_the_assumed_fall(by_year):
    """2022–2026 (Decree 07/2021): no Bắc Kạn figure found; the assumption of data/targets/bac_kan.toml (the rate
    falls at half the national pace, 4,4 % -> 1,3 % in 2021–2025) is met as printed, and the series breaks upward at
    2022 (the standard, not the generator)."""
    shown = {y: fmt_pct(by_year.loc[y, "poor_rate"]) for y in range(2022, 2027)}
    assert shown == {2022: "23,12 %", 2023: "19,85 %", 2024: "17,05 %", 2025: "14,64 %", 2026: "12,57 %"}
    assert by_year.loc[2022, "poor_rate"] > by_year.loc[2021, "poor_rate"]


def test_every_district_rate_prints_as_published(province):
    """[BK2019] district poverty rates, end of 2019, each printed exactly as published (rounded half up)."""
    r = rates(province[province["year"] == 2019], "district_code").set_index("district_code")
    shown = {str(c): fmt_pct(Fraction(int(x.poor), int(x.households))) for c, x in r.iterrows()}
    assert shown == PUBLISHED_DISTRICT_RATES


def test_district_near_poor_adds_up_to_the_province_every_year(province):
    """District near-poor rates are not published (assumption, data/targets/bac_kan.toml); the city is far
    below the province's 10,80 % [BK2019] and every district meets its target, every year."""
    sc = povlib.synth.load_scope("bac-kan")
    r = rates(province, ["year", "former_district_code"]).set_index(["year", "former_district_code"])
    for code, d in sc.districts.items():
        for y in sc.years:
            assert int(r.loc[(y, code), "near_poor"]) == d.near_poor[y], (code, y)
    city = r.loc[(2019, "058")]
    assert 0.02 < city["near_poor_rate"] < city["poor_rate"] * 3
    assert sum(d.near_poor[2019] for d in sc.districts.values()) == 8_668


# --- item 2: one Chợ Đồn ----------------------------------------------------------------------------------
def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reset_index(drop=True).copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(str)
    return out


def _cho_don_part(province: pd.DataFrame) -> pd.DataFrame:
    """The province rows of Chợ Đồn: each year the communes of that year lying in the 2019 district 064 – from
    2025 the 8 new communes whole, Xã Bạch Thông and Xã Đồng Phúc with their parts of Bạch Thông and Ba Bể."""
    keep = np.zeros(len(province), dtype=bool)
    for y in province["year"].unique():
        codes = set(units_at(int(y), within="064")["code"])
        keep |= ((province["year"] == y) & province["commune_code"].astype(str).isin(codes)).to_numpy()
    return province[keep]


def test_cho_don_has_the_same_households_people_and_rates_in_both_datasets(demo, province):
    """The district demo and the province panel's Chợ Đồn are the same data: households, people and rates
    every year (the audit found 12.700 against 14.257 households in 2019), on the units of each year."""
    part = _cho_don_part(province)
    cols = ["households", "people", "poor", "near_poor"]
    a = rates(demo, "year").set_index("year")[cols]
    b = rates(part, "year").set_index("year")[cols]
    pd.testing.assert_frame_equal(a, b)
    assert_frames_equal(_plain(demo), _plain(part))


def test_cho_don_is_generated_as_the_province_generates_it():
    """Same seed stream for the district: the generator's Chợ Đồn equals its province's Chợ Đồn rows."""
    gen = povlib.synth.generate
    whole = gen("bac-kan", scale=0.05)
    part = gen("cho-don", scale=0.05)
    assert_frames_equal(_plain(part), _plain(_cho_don_part(whole)))
    assert set(part.loc[part["year"] == 2026, "former_district_code"].astype(str)) == {"061", "063", "064"}


def test_cho_don_territory_is_the_province_s_district_064():
    """The district demo is drawn on the cho-don territory (data/geo/territories.toml) but generated from
    the province's units: both code lists (GSO list of 01/12/2019) must be the same 22 units."""
    part = povlib.synth.load_territory("cho-don").units
    whole = povlib.synth.load_territory("bac-kan").units
    pd.testing.assert_frame_equal(part.reset_index(drop=True),
                                  whole[whole["district_code"] == "064"].reset_index(drop=True))
    assert len(part) == 22


def test_cho_don_people_2019_are_the_census(demo):
    """[CENSUS2019]: Chợ Đồn had 49.554 inhabitants; the panel's 2019 households hold exactly as many people
    (the province panel had about 56.000); 15,86 % poor [BK2019]."""
    r = rates(demo[demo["year"] == 2019]).iloc[0]
    assert int(r["people"]) == 49_554
    assert fmt_pct(Fraction(int(r["poor"]), int(r["households"]))) == "15,86 %"


def test_cho_don_earlier_rates_move_with_the_province(demo, by_year):
    """Chợ Đồn's 2016–2018 rates are not published; the only published figure before 2019 is the province's
    2018 count [BK2019] (17.435 poor): the district's rate moves by the province's ratio, one household
    either way (data/README.md), so 2018 prints 17,41 % (15,86 % × 21,88 / 19,93)."""
    r = rates(demo[demo["year"] <= 2021], "year").set_index("year")
    ratio = Fraction(17_435, int(by_year.loc[2018, "households"])) / Fraction(16_003, 80_276)
    expect = Fraction(int(r.loc[2019, "poor"]), int(r.loc[2019, "households"])) * ratio
    assert abs(int(r.loc[2018, "poor"]) - expect * int(r.loc[2018, "households"])) <= 1
    assert fmt_pct(r.loc[2018, "poor_rate"]) == "17,41 %"
    assert list(r["poor_rate"]) == sorted(r["poor_rate"], reverse=True)


# --- item 8: rounding as officials round ------------------------------------------------------------------
def test_percentages_round_half_up():
    """Official tables round half up: 1/32 = 3,125 % prints as 3,13 % and 5/32 = 15,625 % as 15,63 %
    (banker's rounding gave 3,12 % and 15,62 %)."""
    assert fmt_pct(1 / 32) == "3,13 %" and fmt_pct(5 / 32) == "15,63 %"
    assert fmt_pct(Fraction(1, 32), "en") == "3.13%" and fmt_pct(Fraction(5, 32), "en") == "15.63%"
    assert fmt_num(3.125) == "3,13" and fmt_num(15.625, "en") == "15.63" and fmt_num(0.145, digits=2) == "0,15"
    assert fmt_points(Fraction(-1955, 100_000)) == "−1,96 điểm %"
    assert percent(1, 32) == 3.13 and percent(5, 32) == 15.63 and percent(29, 200) == 14.5


def _one_commune(poor: int, households: int = 32) -> pd.DataFrame:
    return pd.DataFrame({
        "household_id": [f"h{i}" for i in range(households)], "year": 2019, "commune_code": "A",
        "commune_name": "Xã A", "area": "rural", "ethnic_minority": True,
        "status": ["poor"] * poor + ["non_poor"] * (households - poor),
    })


@pytest.mark.parametrize(("poor", "shown"), [(1, 3.13), (5, 15.63)])
def test_report_tables_and_exports_round_half_up(poor, shown):
    """The summary form's rate columns, on screen, in the workbook and in the CSV: 1/32 → 3,13 and
    5/32 → 15,63 (rounded half up as the official tables are)."""
    p = _one_commune(poor)
    disp = summary_display(summary_table(p, 2019, status="poor"))
    rates_shown = disp.iloc[-1, -3], disp.iloc[-1, -1]  # end rate; ethnic-minority rate
    assert rates_shown == (shown, shown)
    b = build_report(p, 2019, "summary")
    csv = b.to_csv().decode("utf-8-sig")
    assert f",{shown}," in csv or csv.rstrip().endswith(f",{shown}")
    ws = openpyxl.load_workbook(io.BytesIO(b.to_xlsx())).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert shown in values and shown - 0.01 not in values
