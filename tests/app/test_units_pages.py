"""Every page on a year after each reform: the units of that year (fixture panel 2016–2026, tests/support)."""
from __future__ import annotations

import pytest
import streamlit as st

from tests.support.apptest import errors, new_page
from tests.support.panel2026 import use_panel_2026

pytestmark = pytest.mark.app

PAGES = ("overview", "map", "deprivations", "trends", "households", "reports", "planning", "compare")


@pytest.fixture
def panel2026(monkeypatch):
    use_panel_2026(monkeypatch)
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("year", [2020, 2026])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_units_of_the_year(panel2026, page, year):
    at = new_page(f"app_pages/{page}.py", year=str(year)).run()
    assert not errors(at), (page, year, errors(at))


def test_unit_changes_of_communes_chosen_outside_the_district():
    """Chosen communes are taken whole, whatever the district (``views.select_rows``): the note of what the
    series merged reads their rows without the district filter, as the series does (before, a commune outside
    the district raised ``KeyError`` there)."""
    import povlib
    from povlib.views import PanelRef, Selection
    from ui import cache

    p = povlib.load_demo("bac-kan")
    y = p[p["year"] == 2020]
    commune = "01840"
    home = set(y.loc[y["commune_code"].astype(str) == commune, "district_code"].astype(str))
    other = next(d for d in sorted(y["district_code"].dropna().astype(str).unique()) if d not in home)
    outside = Selection(PanelRef("bac-kan"), district=other, communes=(commune,), group="urban")
    got = cache.view_unit_changes(outside, 2020, 2020)
    want = cache.view_unit_changes(Selection(PanelRef("bac-kan"), communes=(commune,), group="urban"), 2020, 2020)
    assert got.equals(want)
