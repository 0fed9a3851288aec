"""The dated unit registry (data/units/) and re-expression across the 2020 and 2025 reforms (povlib.units)."""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.ops import unary_union

from povlib import paths
from povlib.errors import PovlibInputError
from povlib.geo.layers import boundaries, layer_for
from povlib.units import UnitKey, crosswalk_matrix, largest_remainder, load_registry, reexpress, successors, units_at

COUNTS = ["households", "people", "poor", "near_poor"]


@pytest.mark.parametrize(("within", "expected"), [("064", (22, 20, 8)), ("06", (122, 108, 37))])
def test_unit_counts_per_period(within, expected):
    got = tuple(len(units_at(d, within=within)) for d in ("2019-12-31", "2021-01-01", "2025-07-01"))
    assert got == expected
    assert len(units_at("2020-01-31", within=within)) == expected[0]
    assert len(units_at("2025-06-30", within=within)) == expected[1]


def test_national_2025_list():
    assert len(units_at("2025-07-01")) == 3321
    assert len(units_at("2025-07-01", level="province")) == 34
    assert len(units_at(2025, within="19")) == 92


def test_every_crosswalk_code_exists_in_its_period():
    reg = load_registry()
    units = reg.units
    for r in reg.crosswalk.itertuples():
        old, new = (r.from_code, r.from_valid_from), (r.to_code, r.to_valid_from)
        assert old in units.index, old
        assert new in units.index, new
        day_before = (dt.date.fromisoformat(r.effective) - dt.timedelta(days=1)).isoformat()
        assert units.at[old, "valid_to"] == day_before, (old, r.effective)
        assert units.at[new, "valid_from"] == r.effective, new
    for (code, _vf), g in reg.crosswalk.groupby(["from_code", "from_valid_from"]):
        assert g["weight"].sum() == pytest.approx(1, abs=1e-3), code
    # every unit that ends before the open end has successors
    ended = units[(units["valid_to"] < "9999-12-31") & (units["level"] == "commune")]
    xw_from = set(zip(reg.crosswalk.from_code, reg.crosswalk.from_valid_from, strict=True))
    assert set(ended.index) <= xw_from


def test_village_rows_point_at_crosswalk_rows():
    reg = load_registry()
    pairs = set(zip(reg.crosswalk.from_code, reg.crosswalk.from_valid_from, reg.crosswalk.to_code, strict=True))
    for r in reg.villages.itertuples():
        assert (r.from_code, r.from_valid_from, r.to_code) in pairs


def test_a_code_without_its_period_is_refused():
    with pytest.raises(PovlibInputError):
        successors("02083", 2025)
    assert successors(("02083", 2019), 2020) == {UnitKey("02083", "2020-02-01"): 1.0}
    assert successors(("02083", 2021), 2025) == {UnitKey("02083", "2025-07-01"): 1.0}
    with pytest.raises(PovlibInputError) as err:  # 02056 (Rã Bản) was gone by 2021
        reexpress(pd.DataFrame({"code": ["02056"], "households": [3]}), 2021, 2025)
    assert "02056" in str(err.value)


def test_whole_merge_is_exact():
    f = pd.DataFrame({"code": ["02056", "02059"], "households": [123, 456], "poor": [7, 11]})
    out = reexpress(f, 2019, 2020).set_index("code")
    assert out.loc["02059", ["households", "poor"]].tolist() == [579, 18]
    assert not out.loc["02059", "estimated"]
    m = crosswalk_matrix(2019, 2020, within="064")
    assert m.weights.loc[("02056", "2016-01-01"), ("02059", "2020-02-01")] == 1
    assert not m.estimated.loc[("02056", "2016-01-01")].any()


def test_split_exact_by_village_and_flagged_by_weight():
    by_village = pd.DataFrame({"code": ["02149", "02149", "02155", "02155"],
                               "village": ["Nà Tát", "Khuổi Slậy", "nà khun", "Bản Cạu"],
                               "households": [30, 170, 25, 300]})
    out = reexpress(by_village, 2019, 2020).set_index("code")
    assert out["households"].to_dict() == {"02137": 170, "02152": 55, "02155": 300}
    assert not out["estimated"].any()
    no_village = by_village.groupby("code", as_index=False)["households"].sum()
    out = reexpress(no_village, 2019, 2020).set_index("code")
    assert out["households"].sum() == 525
    assert out["estimated"].all()
    ph = reexpress(pd.DataFrame({"code": ["02074"], "households": [1000]}), 2019, 2025).set_index("code")
    assert ph["households"].to_dict() == {"02020": 226, "02083": 774}  # 0.2257 via Bằng Lãng, 0.7743
    assert ph["estimated"].all()


@given(total=st.integers(0, 10**6), weights=st.lists(st.floats(0.001, 1), min_size=1, max_size=6))
def test_largest_remainder_sums_exactly(total, weights):
    parts = largest_remainder(total, weights)
    assert parts.sum() == total and (parts >= 0).all()
    assert np.all(np.abs(parts - total * np.asarray(weights) / sum(weights)) < 1 + 1e-9)


YEARS = st.sampled_from([2016, 2019, 2020, 2022, 2023, 2024, 2025, 2026])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), from_year=YEARS, to_year=YEARS, scope=st.sampled_from(["064", "06"]))
def test_reexpress_keeps_district_and_province_totals(data, from_year, to_year, scope):
    src = units_at(from_year, within=scope)
    n = len(src)
    hh = np.array(data.draw(st.lists(st.integers(0, 3000), min_size=n, max_size=n)), dtype=np.int64)
    frac = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    poor = np.floor(hh * frac).astype(np.int64)
    frame = pd.DataFrame({"code": src["code"], "households": hh, "people": hh * 4 + 1, "poor": poor,
                          "near_poor": (hh - poor) // 3})
    out = reexpress(frame, from_year, to_year)
    assert out[COUNTS].dtypes.map(pd.api.types.is_integer_dtype).all()
    for c in COUNTS:
        assert out[c].sum() == frame[c].sum(), c
    if from_year < 2025 and to_year < 2025:  # both periods have districts: each district's totals are kept
        reg = load_registry().units
        d_in = frame.assign(d=src["district_code"].to_numpy()).groupby("d")[COUNTS].sum()
        d_out = out.assign(d=[reg.at[(c, v), "district_code"] for c, v in zip(out.code, out.valid_from,
                                                                                strict=True)]).groupby("d")[COUNTS].sum()
        pd.testing.assert_frame_equal(d_in, d_out.reindex(d_in.index).fillna(0).astype(d_in.dtypes), check_names=False)
    if from_year == to_year:
        assert not out["estimated"].any()
        assert out["households"].tolist() == frame.sort_values("code")["households"].tolist()


def test_the_2020_layer_dissolves_the_2019_layer():
    l19, l20 = layer_for("cho-don", 2019), layer_for("cho-don", 2020)
    g19, g20 = l19.read(), l20.read()
    assert len(g19) == 22 and len(g20) == 20
    assert sorted(g20["code"]) == sorted(units_at(2020, within="064")["code"])
    a19 = gpd.GeoSeries([unary_union(list(g19.geometry))], crs=4326).to_crs(32648).area[0]
    a20 = gpd.GeoSeries([unary_union(list(g20.geometry))], crs=4326).to_crs(32648).area[0]
    assert abs(a19 - a20) / a19 < 1e-4
    assert sorted(g20.loc[g20["approximate"], "code"]) == ["02065", "02083"]
    assert g20.geometry.is_valid.all()


def test_layer_for_each_period_and_todays_pages_unchanged():
    assert layer_for("cho-don", "2025-07-01").path.name == "cho_don_communes_2025.geojson"
    assert len(layer_for("bac-kan", 2026).read()) == 37
    assert "censusVN2009" in layer_for("bac-kan", 2019).attribution("en")
    assert layer_for("cho-don", 2020).attribution("vi") != layer_for("cho-don", 2020).attribution("en")
    assert len(layer_for("bac-kan", 2021).read()) == 108  # the 2020 layer (scripts/build_bac_kan_2020_layer.py)
    with pytest.raises(PovlibInputError):
        layer_for("bac-kan", 2015)  # before the span the project covers
    assert len(boundaries("cho-don")) == 22 and len(boundaries("bac-kan")) == 122
    assert (paths.GEO_DIR / "cho_don_communes_2020.geojson").is_file()
