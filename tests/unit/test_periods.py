"""Pages' view of the units of each period: households re-expressed on another year's communes, flows across
a reform, the 2020 province layer, a link code from another period (povlib.views.periods, povlib.geo)."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.ops import unary_union

from povlib.errors import PovlibInputError
from povlib.geo import join_measures, layer_for, period_boundaries, unit_measures
from povlib.transitions import household_flows
from povlib.units import UnitKey, successors, units_at
from povlib.views.periods import code_elsewhere, commune_in, on_units
from tests.support.panel2026 import panel_2026

PANEL = panel_2026()
YEARS = sorted(int(y) for y in PANEL["year"].unique())
FLOW_COLUMNS = ["prev_status", "escaped_poverty", "newly_poor", "re_poor", "escaped_near_poverty",
                "newly_near_poor", "re_near_poor", "joined", "left_next", "flow_label"]


def _totals(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    st_ = df["status"].astype(str)
    return (df.assign(poor=st_.eq("poor"), near=st_.eq("near_poor"), people=df["members"].astype(int))
            .groupby(by, observed=True)[["poor", "near", "people"]].agg("sum")
            .join(df.groupby(by, observed=True).size().rename("households")).sort_index())


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(on_year=st.sampled_from(YEARS), seed=st.integers(0, 2**16), share=st.floats(0.05, 1.0))
def test_reexpressed_households_keep_every_total_and_flag_estimates(on_year, seed, share):
    rng = np.random.default_rng(seed)
    p = PANEL[rng.random(len(PANEL)) < share]
    out = on_units(p, on_year)
    # every household and person, each status, per year: the district (province after 2025) total is kept
    pd.testing.assert_frame_equal(_totals(p, ["year"]), _totals(out, ["year"]))
    # the units are those of on_year (backwards, a 2025 commune that also took in other districts' communes
    # may send a household not reviewed then to a predecessor outside Chợ Đồn: flagged as an estimate)
    assert set(out["commune_code"]) <= set(units_at(on_year)["code"])
    outside = ~out["commune_code"].isin(units_at(on_year, within="064")["code"])
    assert out.loc[outside, "unit_estimated"].all()
    # estimates: only rows of a unit divided between several units of on_year, never of a whole unit
    pairs = p[["commune_code", "year"]].astype({"commune_code": str}).drop_duplicates()
    divided = set()
    live = {y: units_at(y, within="064").set_index("code")["valid_from"] for y in YEARS}
    for c, y in pairs.itertuples(index=False):
        k = live[int(y)][c]
        m = successors(UnitKey(c, k), on_year) if y <= on_year else None
        if m is not None and len(m) > 1:
            divided.add((c, int(y)))
    est = out["unit_estimated"].to_numpy()
    src = list(zip(p["commune_code"].astype(str), p["year"].astype(int)))
    assert not any(e and (s not in divided and s[1] <= on_year) for e, s in zip(est, src))
    # a household reviewed in on_year is never estimated: its own commune then is a fact
    if on_year < 2025:
        seen = set(p.loc[p["year"] == on_year, "household_id"])
        assert not out.loc[out["unit_estimated"] & out["household_id"].isin(seen), "unit_estimated"].any()


def test_whole_merges_are_exact_and_phong_huan_is_flagged_without_a_later_review():
    y19 = PANEL[PANEL["year"] == 2019]
    m = commune_in(PANEL, 2026).loc[y19.index]
    assert not m.loc[y19["commune_code"].astype(str) != "02074", "estimated"].any()
    assert m.loc[y19["commune_code"].astype(str) == "02074", "estimated"].eq(False).all()  # reviewed in 2026
    only19 = y19.assign(household_id="x" + y19["household_id"].astype(str))  # no later review: weight
    m2 = commune_in(only19, 2026)
    assert m2.loc[only19["commune_code"].astype(str) == "02074", "estimated"].all()


@pytest.mark.parametrize("on_year", [2019, 2020, 2026])
def test_a_households_flow_is_the_same_on_old_and_new_units(on_year):
    own = household_flows(PANEL, keys=("commune_code",))
    plain = household_flows(PANEL)
    moved = household_flows(on_units(PANEL, on_year), keys=("commune_code",))
    for c in FLOW_COLUMNS:
        pd.testing.assert_series_equal(own[c], plain[c], check_names=False)
        pd.testing.assert_series_equal(own[c], moved[c], check_names=False)
    assert not own.loc[PANEL["year"].isin([2020, 2025]).to_numpy(), "joined"].any()  # a renaming is no move


def test_the_bac_kan_2020_layer_dissolves_the_2019_layer_by_the_crosswalk():
    l19, l20 = layer_for("bac-kan", 2019).read(), layer_for("bac-kan", 2020).read()
    assert len(l20) == 108 and sorted(l20["code"]) == sorted(units_at(2020, within="06")["code"])
    area = [gpd.GeoSeries([unary_union(list(g.geometry))], crs=4326).to_crs(32648).area[0] for g in (l19, l20)]
    assert abs(area[0] - area[1]) / area[0] < 1e-4 and l20.geometry.is_valid.all()
    assert sorted(l20.loc[l20["approximate"], "code"]) == ["02065", "02083", "02137", "02152", "02155"]
    assert "855" in layer_for("bac-kan", 2022).attribution("vi")
    assert "approximate" in layer_for("bac-kan", 2022).attribution("en")


@pytest.mark.parametrize(("year", "n"), [(2019, 22), (2020, 20), (2026, 8)])
def test_each_year_joins_the_layer_of_its_units(year, n):
    joined = join_measures(period_boundaries("cho-don", year), unit_measures(PANEL, year), year=year)
    assert len(joined) == n and joined["households"].notna().all()
    assert int(joined["households"].sum()) == int((PANEL["year"] == year).sum())


def test_a_later_year_is_refused_on_an_earlier_layer():
    with pytest.raises(PovlibInputError):
        join_measures(period_boundaries("cho-don", 2020), unit_measures(PANEL, 2026), year=2026)
    with pytest.raises(PovlibInputError):
        join_measures(period_boundaries("cho-don", 2019), unit_measures(PANEL, 2020), year=2020)


def test_a_code_of_another_period_names_its_place():
    assert code_elsewhere("02023", 2026) == ("Mã 02023 (Xã Xuân Lạc) thuộc danh mục đến 30/06/2025; "
                                             "năm 2026 thuộc Xã Nam Cường (02026).")
    assert code_elsewhere("02020", 2026) is None  # in force in 2026 (Xã Chợ Đồn): the code is that unit
    assert code_elsewhere("99999", 2026) is None


def test_overview_of_communes_whose_codes_the_registry_does_not_know():
    """Codes the unit registry does not know (a territory of one's own) keep the communes' own rows: no
    re-expression, no error."""
    import pandas as pd

    from povlib.views.overview import overview_of_communes

    rows = pd.DataFrame({"household_id": ["a", "b", "a"], "year": [2024, 2024, 2025],
                         "commune_code": ["99999"] * 3, "status": ["poor", "non_poor", "non_poor"]})
    fig = overview_of_communes(rows, 2025, ["99999"])
    assert (fig["households"], fig["prev_households"], fig["prev_on_units"]) == (1, 2, False)


def test_unit_changes_in_vietnamese_order():
    """The trends page's table of merged units was in code order (Xã Đồng Phúc 01933 first)."""
    import povlib
    from povlib.sorting import vi_sorted
    from povlib.views.periods import unit_changes

    names = unit_changes(povlib.load_demo("cho-don"), 2026)["name"].tolist()
    assert len(names) > 3 and names == vi_sorted(names), names
