"""A year that holds only some communes of the previous review (files still to import, every review season).

Compared with the whole previous review, the missing communes' households read as moved out and the totals
as fallen. The summary form and the overview compare the year with the previous review on the communes that
have data and name the others (:func:`povlib.reports.reform.units_not_reviewed`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from povlib import views
from povlib.reports import summary_table
from povlib.reports.reform import units_not_reviewed

YEAR, PREV = 2019, 2018
MISSING = "02050"  # its 2019 file "not imported yet"
COUNTS = ["households", "start", "start_em", "escaped", "to_poor", "newly_arising", "joined", "left", "end", "end_em"]


@pytest.fixture(scope="module")
def panels(demo) -> tuple[pd.DataFrame, pd.DataFrame]:
    drop = (demo["year"] == YEAR) & (demo["commune_code"].astype(str) == MISSING)
    return demo, demo[~drop.to_numpy()].reset_index(drop=True)


def test_the_communes_without_data_are_named_with_their_households(panels, demo):
    full, part = panels
    assert units_not_reviewed(full, YEAR).empty and units_not_reviewed(full, 2016).empty
    got = units_not_reviewed(part, YEAR)
    prev = demo[(demo["year"] == PREV) & (demo["commune_code"].astype(str) == MISSING)]
    assert got[["code", "name", "households"]].values.tolist() == [[MISSING, prev["commune_name"].iloc[0], len(prev)]]
    assert got.attrs["prev_year"] == PREV


@pytest.mark.parametrize("status", ["poor", "near_poor"])
def test_the_summary_form_leaves_them_out_of_the_start_instead_of_moving_them_out(panels, status):
    full, part = panels
    a = summary_table(full, YEAR, status=status).set_index("code")
    b = summary_table(part, YEAR, status=status).set_index("code")
    units = a.index[(a["row_kind"] == "unit").to_numpy()].tolist()
    others = [c for c in units if c != MISSING]
    assert MISSING not in b.index
    # every other commune's row is the same
    pd.testing.assert_frame_equal(a.loc[others, COUNTS], b.loc[others, COUNTS])
    # the total: that commune's start, moves and end are out, nothing of it is "moved out"
    total_a = a[a["row_kind"] == "total"].iloc[0]
    total_b = b[b["row_kind"] == "total"].iloc[0]
    for c in COUNTS:
        assert total_b[c] == total_a[c] - a.loc[MISSING, c], c
    assert b.attrs["not_reviewed"] == [units_not_reviewed(part, YEAR)["name"].iloc[0]]
    assert a.attrs["not_reviewed"] == []
    # each row still balances: end = start - escaped - to_poor + re-entered + newly arising - left
    rows = b[b["row_kind"] != "area"]
    bal = rows["start"] - rows["escaped"] - rows["to_poor"] + rows["re_entered"].fillna(0) + rows["newly_arising"] - rows["left"]
    assert (bal.to_numpy() == rows["end"].to_numpy()).all()


def test_by_district_too(panels):
    full, part = panels
    a = summary_table(full, YEAR, level="district")
    b = summary_table(part, YEAR, level="district")
    ta, tb = a[a["row_kind"] == "total"].iloc[0], b[b["row_kind"] == "total"].iloc[0]
    ua = summary_table(full, YEAR).set_index("code").loc[MISSING]
    assert tb["start"] == ta["start"] - ua["start"] and tb["left"] == ta["left"] - ua["left"]


def test_the_overview_compares_on_the_communes_with_data(panels):
    full, part = panels
    part = views.with_flows(part)
    fig = views.overview_of_scope(part, YEAR)
    prev = full[(full["year"] == PREV) & (full["commune_code"].astype(str) != MISSING)]
    assert fig["prev_households"] == len(prev)
    assert fig["prev_poor"] == int((prev["status"] == "poor").sum())
    assert fig["d_households"] == fig["households"] - len(prev)
    assert fig["not_reviewed"] == units_not_reviewed(part, YEAR)["name"].tolist()
    whole = views.overview_of_scope(views.with_flows(full), YEAR)
    assert whole["not_reviewed"] == [] and whole["prev_households"] == int((full["year"] == PREV).sum())
    assert np.isclose(whole["poor_rate"], views.overview_figures(views.with_flows(full), YEAR)["poor_rate"])


def test_the_transitions_leave_out_the_communes_without_data(panels):
    """The Sankey diagram of the previous review to a partial year: the missing commune's households are not
    'gone' (they were drawn flowing to 'Không có trong danh sách'): the transitions are those of the other
    communes' households."""
    from povlib.reports.reform import without_not_reviewed

    full, part = panels
    others = full[~((full["commune_code"].astype(str) == MISSING) & full["year"].isin([PREV, YEAR])).to_numpy()]
    got = views.transition_counts(without_not_reviewed(part, YEAR), PREV, YEAR)
    want = views.transition_counts(others, PREV, YEAR)
    pd.testing.assert_frame_equal(got, want)
    before = views.transition_counts(part, PREV, YEAR)
    gone = before[before["to_status"] == "absent"]["households"].sum()
    assert gone > want[want["to_status"] == "absent"]["households"].sum()  # the old diagram's extra "gone"
    assert without_not_reviewed(full, YEAR) is full  # a complete year is left as it is
