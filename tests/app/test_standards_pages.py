"""The pages under a what-if standard (ND07_2021 picked in the sidebar) and on data whose review years were
measured under different standards (the figures themselves: ``tests/unit/test_consistency.py``)."""
from __future__ import annotations

import numpy as np
import pytest
import streamlit as st

import povlib
from tests.support.apptest import open_page
from ui.nav import PAGES


@pytest.fixture
def mixed_demo(demo, monkeypatch):
    """The demo with its 2019 review recorded (and classified) under ND07_2021, served as 'cho-don'."""
    p = demo[demo["year"] <= 2019].copy()  # the reviews under Decision 59/2015 ...
    is19 = (p["year"] == 2019).to_numpy()   # ... the last of them recorded under Decree 07/2021
    p["standard"] = np.where(is19, "ND07_2021", p["standard"].astype(str))
    # an ND 07 review carries ND 07's own indicators: the four it adds (not deprived here); B2 is
    # recomputed from them, so the QD 59 B2 of those rows no longer applies
    for col in ("employment", "dependants", "nutrition", "info_access"):
        p[col] = np.int8(0)
    p["b2_score"] = p["b2_score"].astype("float64").where(~is19)
    p = povlib.classify_households(p, standard=None)
    monkeypatch.setattr(povlib, "load_demo", lambda scope="cho-don", path=None: p)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield p
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/trends.py"])
def test_pages_warn_when_years_of_different_standards_are_compared(mixed_demo, page):
    at = open_page(page, year="2019")
    warned = [w.value for w in at.warning if "chuẩn nghèo khác nhau" in w.value]
    assert warned, [w.value for w in at.warning]


@pytest.mark.parametrize("page", [p for p, *_ in PAGES])
def test_every_page_opens_under_nd07_on_the_demo(page):
    """Picking ND07_2021 in the sidebar must not break a page (the map did: missing ND07 indicator
    columns); every page says the figures are a what-if reclassification."""
    at = open_page(page, standard="ND07_2021", year="2019")  # no exception, no st.error
    if page != "app_pages/data.py":
        assert any("2022–2025" in w.value for w in at.warning)  # the what-if notice
