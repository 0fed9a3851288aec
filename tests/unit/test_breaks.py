"""Changes of standard in a series (issue 12 item 4): :mod:`povlib.breaks` and the charts that draw them."""
from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from povlib.breaks import breaks_between, breaks_in_trend, measured_under_next, standard_breaks, yearly_rates
from povlib.classify import classify_households
from povlib.geo.profile import unit_profile
from povlib.measures import rates
from povlib.views import rates_trend


def test_the_demo_breaks_once_with_2021_measured_under_both(demo):
    (b,) = standard_breaks(demo)
    assert (b.last_year, b.first_year, b.before, b.after, b.both_year) == (2021, 2022, "QD59_2015", "ND07_2021", 2021)
    assert b.x == 2021.0


def test_a_review_without_the_next_standards_indicators_is_not_measured_under_both(demo):
    p = demo.copy()
    p.loc[p["year"] == 2021, "nutrition"] = pd.NA          # one indicator of Decree 07/2021 missing
    (b,) = standard_breaks(p)
    assert b.both_year is None and b.x == 2021.5
    assert measured_under_next(p).empty
    assert list(rates_trend(p)["year"]).count(2021) == 1


def test_measured_under_next_is_the_classification_under_the_next_standard(demo):
    extra = measured_under_next(demo)
    rows = demo[demo["year"] == 2021]
    want = classify_households(rows, "ND07_2021")
    assert (extra["status"].astype(str).to_numpy() == want["status"].astype(str).to_numpy()).all()
    assert set(extra["standard"].astype(str)) == {"ND07_2021"}
    tr = rates_trend(demo)
    r21 = tr[tr["year"] == 2021].set_index("standard")
    assert r21.loc["QD59_2015", "poor"] == int((rows["status"] == "poor").sum())
    assert r21.loc["ND07_2021", "poor"] == int((want["status"] == "poor").sum())
    assert list(r21.index) == ["QD59_2015", "ND07_2021"]  # its own standard first


def test_rates_per_commune_have_both_points(demo):
    tr = rates_trend(demo, "commune")
    n21 = tr[tr["year"] == 2021]
    assert n21.groupby("code").size().eq(2).all()


def test_the_map_profile_trend_has_both_points_and_the_chart_marks_the_break(demo):
    from ui.trend_charts import unit_trend_lines
    prof = unit_profile(demo, "02020", 2024)
    assert prof.trend["year"].tolist().count(2021) == 2
    fig = unit_trend_lines(prof, "vi")
    assert [s for s in fig.layout.shapes if s.name == "standard_break"]


@given(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=12))
def test_breaks_between_counts_every_change(stds):
    m = {2010 + i: s for i, s in enumerate(stds)}
    b = breaks_between(m)
    assert len(b) == sum(x != y for x, y in zip(stds, stds[1:]))
    assert all(m[x.last_year] == x.before and m[x.first_year] == x.after and x.first_year == x.last_year + 1
               for x in b)


@given(st.lists(st.sampled_from(["A", "B"]), min_size=2, max_size=10), st.booleans())
def test_breaks_in_trend_agrees_with_breaks_between(stds, both):
    years = [2010 + i for i in range(len(stds))]
    rows = [(y, s) for y, s in zip(years, stds)]
    expected = breaks_between(dict(rows))
    if both and expected:                               # the year before the first change measured under both
        rows.insert(years.index(expected[0].last_year) + 1, (expected[0].last_year, expected[0].after))
    got = breaks_in_trend(pd.DataFrame(rows, columns=["year", "standard"]))
    if 1 + len(expected) == len(set(stds)):             # each standard in one piece (as in the law)
        assert [(b.before, b.after) for b in got] == [(b.before, b.after) for b in expected]
        if both and expected:
            assert got[0].both_year == expected[0].last_year


def test_yearly_rates_counts_every_household_of_each_year_once_per_standard(demo):
    r = yearly_rates(demo)
    n = demo.groupby("year").size()
    for (year, _std), g in r.groupby(["year", "standard"]):
        assert int(g["households"].sum()) == int(n[year])
    assert rates(demo, by="year")["poor"].sum() == r.loc[~r["second"], "poor"].sum()
