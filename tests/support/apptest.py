"""AppTest helpers: one page run on its own, the router for the tests that switch pages, chart clicks.

A page script run on its own draws the shared sidebar itself (``ui.filters.current()``), so a test
seeds the filters in the URL (``?year=2019&communes=02023``) and runs that page once; only the tests
of the router (``app.py``: navigation, footer, filters kept across a page switch) start from ``app.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT = 180


def errors(at: AppTest) -> list[str]:
    """The exceptions and the ``st.error`` boxes of the last run (pages catch povlib's errors and show them)."""
    return [f"exception: {e.value}" for e in at.exception] + [f"st.error: {e.value}" for e in at.error]


def assert_ok(at: AppTest, context: str = "") -> None:
    """No exception and no ``st.error`` in the last run."""
    shown = errors(at)
    assert not shown, f"{context}: {shown}"


def new_page(page: str, state: dict | None = None, **query) -> AppTest:
    """The page ``app_pages/<x>.py`` as an AppTest (not run yet), with query parameters and session state."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    return at


def open_page(page: str, state: dict | None = None, **query) -> AppTest:
    """One run of ``page`` on its own; asserts that it drew without exception or ``st.error``."""
    at = new_page(page, state, **query).run()
    assert_ok(at, page)
    return at


def open_via_router(page: str, **query) -> AppTest:
    """``app.py`` (router and sidebar) showing ``page``: only for the tests of the router and page switches."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert_ok(at, "app.py")
    if page != "app_pages/overview.py":
        at.switch_page(page)
        at.run()
        assert_ok(at, page)
    return at


def click_chart_points(at: AppTest, key: str, points: list[dict]) -> AppTest:
    """Run again as after a click on ``points`` of the ``st.plotly_chart(key=..., on_select=...)``.

    AppTest has no element for a chart's selection: this sends the selection event the frontend sends
    (the chart's widget state, JSON) with the other widgets' states, so the page's ``on_select``
    callback runs before the script, as in the browser. (Uses AppTest's element tree and run internals:
    ``_tree``, ``_run``.)
    """
    charts = [c for c in at.get("plotly_chart") if getattr(c, "key", None) == key]
    assert charts, f"no plotly chart with key {key!r} in the last run"
    states = at._tree.get_widget_states()
    state = WidgetState(id=charts[0].proto.id)
    state.string_value = json.dumps({"selection": {"points": points, "point_indices": [p.get("point_index", 0)
                                                                                        for p in points],
                                                   "box": [], "lasso": []}})
    states.widgets.append(state)
    return at._run(states)
