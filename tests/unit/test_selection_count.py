"""``Selection.count`` / ``selected_mask`` select exactly the rows ``Selection.rows`` copies (the sidebar asks
whether a year has rows in view on every run: it counts them instead of copying them)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import povlib
from povlib.views import GROUPS, PanelRef, Selection, selected_mask


@pytest.fixture(scope="module")
def demo():
    return povlib.load_demo()


CODES = ["02020", "02023", "02026", "01933", "99999"]


@settings(max_examples=40, deadline=None)
@given(years=st.one_of(st.none(), st.lists(st.sampled_from([2016, 2019, 2024, 2026, 2031]), max_size=3)),
       district=st.sampled_from([None, "058", "061"]),
       communes=st.lists(st.sampled_from(CODES), max_size=3, unique=True),
       group=st.sampled_from(sorted(GROUPS)))
def test_count_and_mask_select_what_rows_copies(demo, years, district, communes, group):
    sel = Selection(PanelRef("cho-don"), district=district, communes=tuple(communes), group=group)
    rows = sel.rows(demo, years=years)
    assert sel.count(demo, years=years) == len(rows)
    mask = selected_mask(demo, years=years, district=district, communes=communes, group=group)
    assert demo.index[mask].equals(rows.index)
