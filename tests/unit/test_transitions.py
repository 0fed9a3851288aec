"""Year-over-year flows: hand-made cases and the flow identity on the demo panel and random panels."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from povlib import PovlibInputError
from povlib.transitions import flow_table, flow_table_of_year, household_flows

IDENTITY = ["start", "escaped", "re_entered", "newly_arising", "joined", "left", "end"]


def _assert_identity(t):
    lhs = t["end"]
    rhs = t["start"] - t["escaped"] + t["re_entered"] + t["newly_arising"] + t["joined"] - t["left"]
    assert (lhs == rhs).all()


def _panel(rows):
    return pd.DataFrame(rows, columns=["household_id", "year", "commune_code", "status"])


def test_hand_made_flows():
    p = _panel([
        ("a", 2017, "X", "poor"), ("a", 2018, "X", "near_poor"), ("a", 2019, "X", "poor"),     # escaped, re-poor
        ("b", 2017, "X", "non_poor"), ("b", 2018, "X", "poor"), ("b", 2019, "X", "poor"),      # newly poor, stays
        ("c", 2017, "X", "poor"),                                                               # left after 2017
        ("d", 2018, "X", "poor"), ("d", 2019, "X", "non_poor"),                                # joined, escaped
        ("e", 2017, "X", "near_poor"), ("e", 2018, "X", "non_poor"), ("e", 2019, "X", "near_poor"),
    ])
    f = pd.concat([p, household_flows(p)], axis=1).set_index(["household_id", "year"])
    assert f.loc[("a", 2018), "escaped_poverty"] and f.loc[("a", 2018), "newly_near_poor"]
    assert f.loc[("a", 2019), "re_poor"] and not f.loc[("a", 2019), "newly_poor"]
    assert f.loc[("b", 2018), "newly_poor"] and f.loc[("b", 2018), "flow_label"] == "newly_poor"
    assert not f.loc[("b", 2019)][["newly_poor", "re_poor", "escaped_poverty"]].any()
    assert f.loc[("c", 2017), "left_next"]
    assert f.loc[("d", 2018), "joined"] and f.loc[("d", 2019), "escaped_poverty"]
    assert f.loc[("d", 2019), "recently_escaped"]
    assert f.loc[("e", 2018), "escaped_near_poverty"] and f.loc[("e", 2019), "re_near_poor"]
    assert f.loc[("a", 2018), "recently_escaped"] and not f.loc[("a", 2019), "recently_escaped"]

    t = flow_table(p, "commune_code", status="poor").set_index("year")
    assert t.loc[2018, IDENTITY].tolist() == [2, 1, 0, 1, 1, 1, 2]   # start a,c; esc a; new b; join d; left c
    assert t.loc[2019, IDENTITY].tolist() == [2, 1, 1, 0, 0, 0, 2]   # start b,d; esc d; re a
    assert t.loc[2018, "exit_to_near_poor"] == 1
    _assert_identity(t)


def test_recently_escaped_lasts_three_reviews():
    p = _panel([("a", y, "X", s) for y, s in zip(range(2015, 2020), ["poor", "non_poor", "non_poor", "near_poor", "non_poor"])])
    f = household_flows(p)
    assert f["recently_escaped"].tolist() == [False, True, True, True, False]


def test_moving_between_units_is_left_and_joined():
    p = _panel([("a", 2018, "X", "poor"), ("a", 2019, "Y", "poor")])
    t = flow_table(p, "commune_code").set_index(["commune_code", "year"])
    assert t.loc[("X", 2019), "left"] == 1 and t.loc[("Y", 2019), "joined"] == 1
    _assert_identity(t)


def test_duplicate_household_year_refused():
    p = _panel([("a", 2018, "X", "poor"), ("a", 2018, "X", "near_poor")])
    with pytest.raises(PovlibInputError) as exc:
        flow_table(p)
    assert exc.value.column == "household_id"


def test_missing_columns_refused():
    with pytest.raises(PovlibInputError):
        household_flows(pd.DataFrame({"household_id": ["a"], "year": [2019]}))


@pytest.mark.parametrize("status", ["poor", "near_poor"])
def test_identity_on_demo_panel(demo, status):
    t = flow_table(demo, "commune_code", status=status, flags=("ethnic_minority",))
    years = sorted(int(y) for y in demo["year"].unique())[1:]
    # a row for every commune of every later year (and, at a reform, one for each former unit's start)
    cur = demo.loc[demo["year"] > years[0] - 1, ["commune_code", "year"]].astype({"commune_code": str})
    want = {(c, int(y)) for c, y in cur.drop_duplicates().itertuples(index=False) if y in years}
    assert want <= set(zip(t["commune_code"].astype(str), t["year"].astype(int)))
    # the identity holds per commune between reviews on the same units; at a reform (2020, 2025) the start is
    # counted on the former units and the end on the new ones, so it holds for the district as a whole
    units = {int(y): set(g["commune_code"].astype(str)) for y, g in demo.groupby("year", observed=True)}
    same_units = [y for y in years if units[y] == units[max(v for v in units if v < y)]]
    assert len(same_units) == len(years) - 2
    _assert_identity(t[t["year"].isin(same_units)])
    _assert_identity(t.groupby("year")[["start", "escaped", "re_entered", "newly_arising", "joined", "left",
                                        "end"]].sum())
    # start and end agree with direct counts
    for year in years:
        end = t[t["year"] == year]["end"].sum()
        assert end == (demo[demo["year"] == year]["status"] == status).sum()
        start = t[t["year"] == year]["start"].sum()
        assert start == (demo[demo["year"] == year - 1]["status"] == status).sum()
    assert (t["end_ethnic_minority"] <= t["end"]).all()


def test_demo_flows_are_plausible(demo):
    f = household_flows(demo)
    y = demo["year"] == 2019
    assert f.loc[y, "escaped_poverty"].sum() > f.loc[y, "newly_poor"].sum() > 0
    assert f.loc[y, "re_poor"].sum() > 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(2015, 2019), st.sampled_from("AB"),
                          st.sampled_from(["poor", "near_poor", "non_poor"])), min_size=1, max_size=80))
def test_identity_on_random_panels(rows):
    p = _panel([(f"h{h}", y, u, s) for h, y, u, s in rows]).drop_duplicates(["household_id", "year"])
    for status in ("poor", "near_poor"):
        t = flow_table(p, "commune_code", status=status)
        _assert_identity(t)
        for _, r in t.iterrows():
            direct = ((p["year"] == r["year"]) & (p["commune_code"] == r["commune_code"]) & (p["status"] == status)).sum()
            assert r["end"] == direct


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(2015, 2019), st.sampled_from("AB"),
                          st.sampled_from(["poor", "near_poor", "non_poor"]), st.sampled_from([True, False, None])),
                min_size=1, max_size=80), st.booleans())
def test_one_year_of_flows_is_the_whole_tables_year(rows, with_history):
    """flow_table_of_year (two reviews, the earlier ones folded into the history column) equals the rows of
    that year of flow_table on random panels: gaps between a household's reviews, moves, spells long before,
    a history column with missing values or none."""
    p = _panel([(f"h{h}", y, u, s) for h, y, u, s, _ in rows]).drop_duplicates(["household_id", "year"])
    if with_history:
        hist = {(f"h{h}", y): e for h, y, _, _, e in rows}
        p["ever_poor_before"] = [hist[(h, y)] for h, y in zip(p["household_id"], p["year"])]
    for status in ("poor", "near_poor"):
        whole = flow_table(p, ["commune_code"], status=status)
        for year in sorted(p["year"].unique()):
            want = whole[whole["year"] == year].reset_index(drop=True)
            pd.testing.assert_frame_equal(flow_table_of_year(p, int(year), ["commune_code"], status=status), want)


@pytest.mark.parametrize("scope", ["cho-don", "bac-kan"])
def test_one_year_of_flows_on_the_demos(scope):
    """The same on both demos (reforms of 2020 and 2025 included), by commune and area, with a flag."""
    import povlib

    p = povlib.load_demo(scope)
    for status in ("poor", "near_poor"):
        whole = flow_table(p, ["commune_code", "area"], status=status, flags=("ethnic_minority",))
        for year in sorted(int(y) for y in p["year"].unique()):
            want = whole[whole["year"] == year].reset_index(drop=True)
            got = flow_table_of_year(p, year, ["commune_code", "area"], status=status, flags=("ethnic_minority",))
            pd.testing.assert_frame_equal(got, want)
