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
