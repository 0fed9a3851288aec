"""ui.plotly_view: the figures drawn by the app's own component when serve.py serves plotly.js, else by
st.plotly_chart; the route that serves plotly.js. (The browser side, a drawn chart and a click on a bar, is
in tests/e2e/test_browser.py.)"""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version
from starlette.applications import Starlette
from starlette.testclient import TestClient

from povlib.i18n import t
from tests.support.apptest import from_function as apptest_from_function
from ui import plotly_view


def _figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=[0.1586, 0.2915], y=["Xã Bản Thi", "Xã Nam Cường"], orientation="h",
                           customdata=[["02035"], ["02026"]]))
    fig.update_layout(title="Tỷ lệ hộ nghèo theo xã", separators=",.", height=320, plot_bgcolor="white")
    return fig


def test_the_route_serves_the_plotly_js_of_the_package_for_a_year():
    client = TestClient(Starlette(routes=[plotly_view.asset_route()]))
    assert plotly_view.ASSET.path == f"/assets/plotly-{get_plotlyjs_version()}.min.js"
    r = client.get(plotly_view.ASSET.path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.content == plotly_view.PLOTLY_JS.read_bytes()
    assert f"plotly.js v{get_plotlyjs_version()}" in r.content[:200].decode()
    assert client.get("/assets/plotly-0.0.0.min.js").status_code == 404


def test_the_figure_keeps_every_setting_and_gets_a_plain_template():
    fig = _figure()
    spec = plotly_view.layout_for_page(fig)
    ours = json.loads(fig.to_json())
    assert spec["data"] == ours["data"]
    assert {k: v for k, v in spec["layout"].items() if k != "template"} == \
        {k: v for k, v in ours["layout"].items() if k != "template"}
    assert spec["layout"]["plot_bgcolor"] == "white"  # the figure's own setting wins over the template's
    assert spec["layout"]["template"]["layout"]["plot_bgcolor"] == "rgba(0,0,0,0)"  # no grey plot area
    assert spec["layout"]["template"] != ours["layout"]["template"]  # plotly's default template, replaced


def _script(served: bool, select: bool):
    """A page of one figure (AppTest runs the function's source: the arguments come through ``args``)."""
    import plotly.graph_objects as go
    import streamlit as st

    from ui import plotly_view

    plotly_view.ASSET.served = served
    try:
        fig = go.Figure(go.Bar(x=[0.1586], y=["Xã Bản Thi"], customdata=[["02035"]]))
        plotly_view.show(fig, key="chart", lang="vi", config={"locale": "vi"},
                         on_select=(lambda: st.session_state.update(clicked=True)) if select else None)
    finally:
        plotly_view.ASSET.served = False


@pytest.mark.parametrize("select", [False, True])
def test_served_figures_are_drawn_by_the_component_with_their_json(select):
    at = apptest_from_function(_script, args=(True, select)).run()
    assert not at.exception
    assert not at.get("plotly_chart")
    (el,) = [e for e in at.main if getattr(e.proto, "component_name", None) == "povlib_plotly"]
    data = json.loads(el.proto.json)
    assert data["figure"]["data"][0]["y"] == ["Xã Bản Thi"]
    assert data["figure"]["data"][0]["customdata"] == [["02035"]]
    # relative to the page: the route under the page's own base path (ui.routes)
    assert data["src"] == f"assets/plotly-{get_plotlyjs_version()}.min.js"
    assert data["select"] is select
    # plotly.min.js carries English only: no locale asked of it; no mode bar (the component resizes the chart)
    assert data["config"] == {"displayModeBar": False}


def test_without_the_route_figures_are_drawn_by_st_plotly_chart():
    at = apptest_from_function(_script, args=(False, True)).run()
    assert not at.exception
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["data"][0]["y"] == ["Xã Bản Thi"]
    assert json.loads(chart.proto.config)["locale"] == "vi"
    assert not [e for e in at.main if getattr(e.proto, "component_name", None) == "povlib_plotly"]


@pytest.mark.parametrize("served, state, points", [
    (True, {"select": {"points": [{"point_index": 2, "customdata": ["02035"]}]}}, [{"point_index": 2, "customdata": ["02035"]}]),
    (False, {"selection": {"points": [{"point_index": 1}]}}, [{"point_index": 1}]),
    (True, {"selection": {"points": [{"point_index": 1}]}}, [{"point_index": 1}]),  # drawn by st.plotly_chart
    (True, None, []),
])
def test_selected_points_reads_the_click_of_either_element(monkeypatch, served, state, points):
    import streamlit as st

    monkeypatch.setattr(plotly_view.ASSET, "served", served)
    monkeypatch.setattr(st, "session_state", {} if state is None else {"k": state})
    assert plotly_view.selected_points("k") == points


def _key(element_id: str) -> str:
    return element_id.rsplit("-", 1)[-1]


@pytest.mark.parametrize("page, query", [
    ("app_pages/overview.py", {}),
    ("app_pages/deprivations.py", {}),
    ("app_pages/trends.py", {}),
    ("app_pages/planning.py", {}),
    ("app_pages/compare.py", {"year": "2019", "communes": "02035,02020"}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_every_chart_page_draws_the_same_figures_with_the_component(monkeypatch, page, query):
    """A page served by serve.py draws each figure with the component, with the JSON st.plotly_chart gets
    without the route (only the template differs); the English page says so in English if plotly.js fails."""
    from tests.support.apptest import open_page

    fallback = {_key(c.proto.id): json.loads(c.proto.spec) for c in open_page(page, **query).get("plotly_chart")}
    assert fallback, page
    monkeypatch.setattr(plotly_view.ASSET, "served", True)
    at = open_page(page, **query)
    assert not at.get("plotly_chart")
    drawn = {_key(e.proto.id): json.loads(e.proto.json) for e in at.get("bidi_component")
             if e.proto.component_name == "povlib_plotly"}
    assert drawn.keys() == fallback.keys()
    for key, data in drawn.items():
        ours, theirs = data["figure"], fallback[key]
        assert ours["data"] == theirs["data"], key
        assert {k: v for k, v in ours["layout"].items() if k != "template"} == \
            {k: v for k, v in theirs["layout"].items() if k != "template"}, key
        assert data["src"] == f"assets/plotly-{get_plotlyjs_version()}.min.js"
        assert data["failed"] == t("chart.load_failed", "vi")
    en = open_page(page, lang="en", **query)
    assert {json.loads(e.proto.json)["failed"] for e in en.get("bidi_component")} == {t("chart.load_failed", "en")}


def test_under_a_base_url_path_the_route_is_there_and_the_component_draws(monkeypatch):
    """st.App mounts a route where it is told, Streamlit serves the pages under server.baseUrlPath: serve.py
    builds the route under the base path, and the page (/giamngheo/<page>) loads it by the relative address."""
    import streamlit as st

    client = TestClient(Starlette(routes=[plotly_view.asset_route("/giamngheo")]))
    assert client.get(f"/giamngheo/assets/plotly-{get_plotlyjs_version()}.min.js").status_code == 200
    assert client.get(plotly_view.ASSET.path).status_code == 404
    get_option = st.get_option
    monkeypatch.setattr(st, "get_option", lambda name: "giamngheo" if name == "server.baseUrlPath" else get_option(name))
    at = apptest_from_function(_script, args=(True, False)).run()
    assert not at.exception
    assert not at.get("plotly_chart")
    (el,) = at.get("bidi_component")
    assert json.loads(el.proto.json)["src"] == f"assets/plotly-{get_plotlyjs_version()}.min.js"
