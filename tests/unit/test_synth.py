"""The synthetic demo panel: calibration to the published figures and reproducibility."""
from __future__ import annotations

import pandas as pd
import pytest

import povlib
from povlib import classify_households, rates
from povlib.synth import demo_path, generate, load_scope


def test_bundled_panel_is_what_the_generator_makes(demo):
    """The committed Parquet file is exactly the seeded generator's output (nothing hand-edited)."""
    fresh = classify_households(generate("cho-don"), None)
    pd.testing.assert_frame_equal(demo.reset_index(drop=True), fresh.reset_index(drop=True), check_categorical=False)


def test_same_seed_same_data_other_seed_other_data():
    a = generate("cho-don", scale=0.1)
    b = generate("cho-don", scale=0.1)
    pd.testing.assert_frame_equal(a, b)
    c = generate("cho-don", scale=0.1, seed=7)
    assert not a["income"].equals(c["income"])


def test_no_status_in_raw_panel():
    raw = pd.read_parquet(demo_path())
    assert not {"status", "poor_via", "deprivation_count"} & set(raw.columns)


def test_district_2019_rate_matches_published(demo):
    r = rates(demo, "year").set_index("year")
    assert r.loc[2019, "poor_rate"] == pytest.approx(0.1586, abs=0.003)
    assert list(r["poor_rate"]) == sorted(r["poor_rate"], reverse=True)  # falling from 2016
    assert r.loc[2019, "households"] == 12_700  # assumption: census 49,554 / about 3.9 (data/README.md)
    assert r.loc[2019, "people"] == 49_554  # 2019 census, met exactly


def test_units_are_the_22_communes_of_2019(demo):
    units = load_scope("cho-don").units
    assert set(demo["commune_code"].astype(str)) == set(units["commune_code"])
    assert len(units) == 22


def test_town_far_below_remote_communes(demo):
    y = demo[demo["year"] == 2019]
    r = rates(y, "commune_code").set_index("commune_code")
    town = r.loc["02020", "poor_rate"]  # Thị trấn Bằng Lũng, the only urban unit
    assert (y.loc[y["commune_code"] == "02020", "area"] == "urban").all()
    assert town < 0.05
    assert r["poor_rate"].max() > 4 * town + 0.1


def test_deprivation_patterns_make_sense(demo):
    y = demo[demo["year"] == 2019]
    poor, non = y[y["status"] == "poor"], y[y["status"] == "non_poor"]
    for ind in povlib.standards.get("QD59_2015").indicator_ids:
        assert poor[ind].mean() >= non[ind].mean()
    assert y["ethnic_minority"].mean() > 0.8
    assert (y["b2_score"] == 10 * y["deprivation_count"]).all()
    assert set(y["poor_via"].dropna().unique()) == {"income", "deprivation"}


def test_stable_ids_across_years(demo):
    ids = demo.groupby("year")["household_id"].apply(set)
    kept = len(ids[2018] & ids[2019]) / len(ids[2018])
    assert 0.97 < kept < 1.0
    assert not demo.duplicated(["household_id", "year"]).any()


@pytest.mark.slow
def test_province_panel_calibration():
    """Every whole-number target of data/targets/bac_kan.toml is met exactly, every district and year."""
    sc = load_scope("bac-kan")
    panel = classify_households(generate("bac-kan"), None)
    assert panel.loc[panel["year"] == 2019, "commune_code"].nunique() == 122
    r = rates(panel, ["year", "district_code"]).set_index(["year", "district_code"])
    for code, d in sc.districts.items():
        for y in sc.years:
            got = r.loc[(y, code)]
            assert (got["households"], got["poor"], got["near_poor"]) == \
                (d.households[y], d.poor[y], d.near_poor[y]), (code, y)
        assert r.loc[(sc.years[-1], code), "people"] == d.people_last
    tot = rates(panel, "year").set_index("year")
    assert tuple(tot.loc[2019, ["households", "poor", "near_poor"]]) == (80_276, 16_003, 8_668)
    assert tuple(tot.loc[2018, ["poor", "near_poor"]]) == (17_435, 9_415)
