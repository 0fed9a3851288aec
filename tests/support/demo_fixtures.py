"""Pytest fixtures: the two bundled demo panels and their query sources.

Registered for every test in ``tests/conftest.py`` (``pytest_plugins``); a test asks for
``demo_panel`` (the classified panel of Chợ Đồn, then of Bắc Kạn: every test using it runs once per demo) and
``demo_src`` (the same rows as a :class:`povlib.query` source, DuckDB over the frame). Both are made once per
module and demo, and only read.
"""
from __future__ import annotations

import pandas as pd
import pytest

import povlib
from povlib.query import from_frame


@pytest.fixture(scope="module", params=["cho-don", "bac-kan"])
def demo_panel(request) -> pd.DataFrame:
    """The bundled demo panel, classified (``povlib.load_demo``), once per demo."""
    return povlib.load_demo(request.param)


@pytest.fixture(scope="module")
def demo_src(demo_panel):
    """The demo panel as a query source (:func:`povlib.query.from_frame`)."""
    return from_frame(demo_panel)
