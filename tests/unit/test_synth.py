"""The synthetic demo panel: calibration to the published figures, units and standards of each year, reproducibility."""
from __future__ import annotations

import pandas as pd
import pytest

import povlib
from povlib import classify_households, rates
from povlib.panel import classify_panel
from povlib.synth import demo_path, generate, load_scope
from povlib.units import successors, units_at
from tests.support.frames import assert_frames_equal

#: the review years of the demo panels and the standard of each (Decision 59/2015 to 2021, Decree 07/2021 after)
YEARS = tuple(range(2016, 2027))
STANDARD = {y: "QD59_2015" if y <= 2021 else "ND07_2021" for y in YEARS}


def test_bundled_panel_is_what_the_generator_makes(demo):
    """The committed Parquet file is exactly the seeded generator's output (nothing hand-edited)."""
    fresh = classify_households(generate("cho-don"), None)
    assert_frames_equal(demo.reset_index(drop=True), fresh.reset_index(drop=True), check_categorical=False)


def test_same_seed_same_data_other_seed_other_data():
    a = generate("cho-don", scale=0.1)
    b = generate("cho-don", scale=0.1)
    pd.testing.assert_frame_equal(a, b)
    c = generate("cho-don", scale=0.1, seed=7)
    assert not a["income"].equals(c["income"])


@pytest.mark.parametrize("scope", ["cho-don", "bac-kan"])
def test_demo_path_reads_only_where_the_panel_is(scope, monkeypatch):
    """The app asks for the demo's path at every dataset list it draws: no rate is resolved to a count for it."""
    expected = load_scope(scope).output
    import povlib.synth.targets as targets

    def resolve(*_):
        raise AssertionError("demo_path resolved the scope's targets")

    monkeypatch.setattr(targets, "_resolve", resolve)
    assert demo_path(scope) == expected
    assert expected.name == {"cho-don": "cho_don_panel.parquet", "bac-kan": "bac_kan_panel.parquet"}[scope]


def test_no_status_in_raw_panel():
    raw = pd.read_parquet(demo_path())
    assert not {"status", "poor_via", "deprivation_count"} & set(raw.columns)


def test_district_2019_rate_matches_published(demo):
    r = rates(demo, "year").set_index("year")
    assert r.loc[2019, "poor_rate"] == pytest.approx(0.1586, abs=0.003)
    qd59 = r.loc[2016:2021, "poor_rate"]
    assert list(qd59) == sorted(qd59, reverse=True)  # falling from 2016, under one standard
    nd07 = r.loc[2022:2024, "poor_rate"]  # the same district (2025: whole new communes, see below)
    assert list(nd07) == sorted(nd07, reverse=True) and nd07.iloc[0] > qd59.iloc[-1]  # the break is the standard
    assert r.loc[2019, "households"] == 12_700  # assumption: census 49,554 / about 3.9 (data/README.md)
    assert r.loc[2019, "people"] == 49_554  # 2019 census, met exactly


def test_units_are_the_22_communes_of_2019(demo):
    units = load_scope("cho-don").units
    assert set(demo.loc[demo["year"] == 2019, "commune_code"].astype(str)) == set(units["commune_code"])
    assert len(units) == 22


@pytest.mark.parametrize(("scope", "within", "counts"), [("cho-don", "064", (22, 20, 8)), ("bac-kan", "06", (122, 108, 37))])
def test_each_year_on_the_units_of_that_year(scope, within, counts, demo):
    """Every row's commune is a unit in force on 31/12 of its year (povlib.units.units_at), with its name, district
    (none from the 2025 review) and province (06 Bắc Kạn, then 19 Thái Nguyên); 22/20/8 and 122/108/37 units."""
    panel = demo if scope == "cho-don" else pd.read_parquet(demo_path("bac-kan"))
    assert sorted(panel["year"].unique()) == list(YEARS)
    for y in YEARS:
        rows = panel[panel["year"] == y]
        units = units_at(y, within=within).set_index("code")
        assert set(rows["commune_code"].astype(str)) == set(units.index), y
        assert len(units) == counts[0 if y <= 2019 else 1 if y <= 2024 else 2], y
        names = rows.groupby("commune_code", observed=True)["commune_name"].first().astype(str)
        assert (names == units.loc[names.index, "name"]).all(), y
        if y >= 2025:
            assert rows["district_code"].isna().all() and rows["district_name"].isna().all()
            assert set(rows["province_code"].astype(str)) == {"19"}
        else:
            dist = rows["district_code"].astype(str)
            assert (dist.to_numpy() == units.loc[rows["commune_code"].astype(str), "district_code"].to_numpy()).all()
            assert set(rows["province_code"].astype(str)) == {"06"}
    # the former (2019) district is every household's historical grouping, every year
    first = panel.groupby("household_id")["former_district_code"].nunique()
    assert (first == 1).all()


def test_household_moves_only_to_a_successor_of_its_commune(demo):
    """A household's commune in year y+1 is a successor of its commune in year y (ids stable through the reforms)."""
    cols = ["household_id", "year", "commune_code"]
    a = demo[cols].astype({"commune_code": str})
    pairs = a.merge(a.assign(year=a["year"] - 1), on=["household_id", "year"], suffixes=("", "_next"))
    pairs = pairs[["year", "commune_code", "commune_code_next"]].drop_duplicates()
    assert len(pairs) > 0 and set(pairs["year"]) == set(YEARS[:-1])
    for r in pairs.itertuples():
        succ = {k.code for k in successors((r.commune_code, r.year), r.year + 1)}
        assert r.commune_code_next in succ, r
    # the reforms are crossed: 2019 -> 2020 (22 -> 20) and 2024 -> 2025 (20 -> 8)
    moved = pairs[pairs["commune_code"] != pairs["commune_code_next"]]
    assert {2019, 2024} <= set(moved["year"])


def test_phong_huan_split_by_village(demo):
    """Phong Huân (02074) has no village list: whole villages go to Yên Phong or Bằng Lãng by the registry's weight
    (0,7743 / 0,2257), each village to one of them; households keep their village."""
    ids = demo.loc[(demo["year"] == 2019) & (demo["commune_code"].astype(str) == "02074"), "household_id"]
    y20 = demo[(demo["year"] == 2020) & demo["household_id"].isin(ids)]
    assert set(y20["commune_code"].astype(str)) == {"02083", "02065"}
    assert (y20.groupby("village", observed=True)["commune_code"].nunique() == 1).all()
    assert 0.6 < (y20["commune_code"].astype(str) == "02083").mean() < 0.95


def test_standards_and_indicators_by_year(demo):
    """Decision 59/2015 to 2021, Decree 07/2021 from 2022 (through 2026: Decree 351/2025); each row carries its
    standard's indicators, the 2021 review both sets (measured under both), and B2 = 10 per deprivation."""
    assert povlib.standards.standard_for_year(2026).id == "ND07_2021"
    q = povlib.standards.get("QD59_2015").indicator_ids
    n = povlib.standards.get("ND07_2021").indicator_ids
    for y in YEARS:
        rows = demo[demo["year"] == y]
        assert set(rows["standard"].astype(str)) == {STANDARD[y]}, y
        carried = {c for c in set(q) | set(n) if rows[c].notna().all()}
        blank = {c for c in set(q) | set(n) if rows[c].isna().all()}
        want = set(q) | set(n) if y == 2021 else set(q) if y < 2021 else set(n)
        assert carried == want and blank == (set(q) | set(n)) - want, y
        own = q if STANDARD[y] == "QD59_2015" else n
        assert (rows["b2_score"] == 10 * rows[own].sum(axis=1)).all(), y


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
    for y in (2018, 2019, 2020, 2024):  # 2019 -> 2020 and 2024 -> 2025 cross a reform: ids stay
        kept = len(ids[y] & ids[y + 1]) / len(ids[y])
        assert 0.97 < kept < 1.0, y
    assert not demo.duplicated(["household_id", "year"]).any()


def test_nd07_years_deprivations_and_scores(demo):
    """Under Decree 07/2021 no one is poor by income alone; score A (b1_score) agrees with the line (A <= 140 rural
    within 1.500.000 VND); the poor are more deprived than the others in every indicator."""
    y = demo[demo["year"] == 2023]
    assert set(y["poor_via"].dropna().astype(str)) == {"deprivation"}
    rural = y[y["area"] == "rural"]
    assert ((rural["income"] <= 1_500_000) == (rural["b1_score"] <= 140)).all()
    poor, non = y[y["status"] == "poor"], y[y["status"] == "non_poor"]
    for ind in povlib.standards.get("ND07_2021").indicator_ids:
        assert poor[ind].mean() >= non[ind].mean(), ind


@pytest.mark.slow
def test_province_panel_calibration():
    """Every whole-number target of data/targets/bac_kan.toml is met exactly, every (former) district and year,
    under the year's standard, and the 2021 review under Decree 07/2021 too."""
    sc = load_scope("bac-kan")
    raw = pd.read_parquet(demo_path("bac-kan"))
    panel = classify_households(raw, None)
    assert sc.years == YEARS
    assert panel.loc[panel["year"] == 2019, "commune_code"].nunique() == 122
    r = rates(panel, ["year", "former_district_code"]).set_index(["year", "former_district_code"])
    nd07 = classify_panel(raw[raw["year"] == 2021], "ND07_2021")
    r07 = rates(nd07, "former_district_code").set_index("former_district_code")
    for code, d in sc.districts.items():
        for y in sc.years:
            got = r.loc[(y, code)]
            assert (got["households"], got["poor"], got["near_poor"]) == \
                (d.households[y], d.poor[y], d.near_poor[y]), (code, y)
        assert r.loc[(sc.anchor_year, code), "people"] == d.people_last
        assert (r07.loc[code, "poor"], r07.loc[code, "near_poor"]) == d.second[2021][1:], code
    tot = rates(panel, "year").set_index("year")
    assert tuple(tot.loc[2019, ["households", "poor", "near_poor"]]) == (80_276, 16_003, 8_668)
    assert tuple(tot.loc[2018, ["poor", "near_poor"]]) == (17_435, 9_415)
    assert tuple(tot.loc[2020, ["households", "poor", "near_poor"]]) == (80_972, 14_982, 8_469)

