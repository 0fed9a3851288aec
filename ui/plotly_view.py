"""Draw the dashboard's plotly figures in the browser with the plotly.js that the ``plotly`` package ships.

Why not ``st.plotly_chart``: its frontend part (Streamlit's ``PlotlyChart`` chunk, all of plotly.js in a
4.7 MB module) is evaluated by the browser on every new page load, about 1.9 s on the project's machine
against 0.8 s for a whole bare Streamlit page; the same figure drawn by ``plotly.min.js`` loaded by a
script tag, which the browser keeps compiled in its code cache, adds about 0.35 s
(``bench/bench_chart_libs.py``; README "Charts in the browser").

* :func:`show` draws a figure: with :data:`COMPONENT` (``st.components.v2``, no iframe) when the server
  serves plotly.js (:func:`asset_route`, mounted by ``serve.py``), else with ``st.plotly_chart`` (the app
  run as ``streamlit run app.py`` or AppTest), so a figure is always drawn; if plotly.js cannot be loaded, the chart's place says so;
* :func:`selected_points` reads a click on a figure drawn with ``on_select`` the same way for both.

The figure travels as plotly's JSON; the component draws it with ``Plotly.react`` in the page's
document (Streamlit's fonts and colours apply), resizes it with its column, and on a click on a point of
a figure drawn with ``on_select`` sends the point (``curve_number``, ``point_index``, ``x``, ``y``,
``customdata``) back as the trigger value ``select``.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
from plotly.offline import get_plotlyjs_version
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from povlib.i18n import t

from .routes import relative

__all__ = ["ASSET", "asset_route", "show", "selected_points", "layout_for_page"]

#: plotly.js as the ``plotly`` package ships it (the version its figures are written for).
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@dataclass
class _Asset:
    #: set by the entry point that mounts :func:`asset_route` (``serve.py``)
    served: bool = False
    #: the route's path; versioned, so the browser may keep the file for a year
    path: str = f"/assets/plotly-{get_plotlyjs_version()}.min.js"


ASSET = _Asset()


def asset_route(prefix: str = "") -> Route:
    """``GET <prefix>/assets/plotly-<version>.min.js``: the plotly package's ``plotly.min.js``, cacheable for a year.

    ``prefix`` is :func:`ui.routes.url_prefix` of the server's ``server.baseUrlPath``; the component loads
    the file by the address relative to the page (:func:`ui.routes.relative`).
    """

    async def serve(_request: Request) -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})

    return Route(prefix + ASSET.path, serve, methods=["GET"])


# The page's fonts and colours for a figure the component draws (st.plotly_chart applies Streamlit's own
# theme in the browser): no grey plot area, the app's font, the theme's text colour.
_JS = """
const loading = {};
function plotlyJs(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading[src]) {
    loading[src] = new Promise((ok, bad) => {
      const s = document.createElement("script");
      s.src = src; s.async = true;
      s.onload = () => ok(window.Plotly);
      s.onerror = () => { delete loading[src]; bad(new Error("plotly.js: " + src)); };
      document.head.appendChild(s);
    });
  }
  return loading[src];
}

// Called on mount and again on every change of the data (a new figure); the function returned is called
// when the element goes. One chart div, one resize observer and one click handler per element.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let el = parentElement.querySelector("div.povlib-plotly");
  if (!el) {
    el = document.createElement("div");
    el.className = "povlib-plotly";
    parentElement.appendChild(el);
  }
  const fig = data.figure;
  plotlyJs(data.src).then((Plotly) => {
    if (!el.isConnected) return;
    const font = getComputedStyle(document.body);
    const layout = Object.assign({}, fig.layout || {});
    layout.font = Object.assign({ family: font.fontFamily, color: font.color }, layout.font || {});
    layout.autosize = true;
    return Plotly.react(el, fig.data || [], layout, data.config || {}).then(() => {
      if (el.__povlibClick) el.removeListener("plotly_click", el.__povlibClick);
      el.__povlibClick = null;
      if (data.select) {
        el.__povlibClick = (ev) => {
          const points = (ev.points || []).map((p) => ({
            curve_number: p.curveNumber, point_index: p.pointIndex, point_number: p.pointNumber,
            x: p.x, y: p.y, customdata: p.customdata === undefined ? null : p.customdata,
          }));
          setTriggerValue("select", { points: points });
        };
        el.on("plotly_click", el.__povlibClick);
      }
      // the width the figure was just drawn at: the observer's first call (on observe) and any call with an
      // unchanged width would only draw it again (Plots.resize costs as much as the drawing itself)
      el.__povlibWidth = el.clientWidth;
      if (!el.__povlibResize) {
        el.__povlibResize = new ResizeObserver(() => {
          // hidden (a closed tab: width 0): nothing to draw; drawn again once shown, if its width changed
          if (!el.isConnected || el.clientWidth === 0 || el.clientWidth === el.__povlibWidth) return;
          el.__povlibWidth = el.clientWidth;
          Plotly.Plots.resize(el);
        });
        el.__povlibResize.observe(el);
      }
    });
  }).catch((err) => {
    console.error(err);
    el.textContent = data.failed;
    el.setAttribute("role", "alert");
  });
  return () => {
    if (el.__povlibResize) el.__povlibResize.disconnect();
    el.__povlibResize = null;
    el.__povlibClick = null;
    if (window.Plotly) window.Plotly.purge(el);
  };
}
"""

_CSS = """
.povlib-plotly { width: 100%; }
"""

#: the component (registered once per process; mounted by :func:`show`)
COMPONENT = st.components.v2.component("povlib_plotly", js=_JS, css=_CSS, isolate_styles=False)


def layout_for_page(fig: go.Figure) -> dict:
    """The figure as plotly JSON for the component, with a plain template instead of plotly's default.

    ``st.plotly_chart`` replaces plotly's default template (a grey plot area) by Streamlit's in the browser;
    the dashboard's figures set no template of their own (:func:`ui.theme.apply_layout` sets their font,
    margins and grid), so the component's figures get the plain one below on the server.
    """
    spec = json.loads(fig.to_json())
    spec.setdefault("layout", {})["template"] = _PLAIN
    return spec


_PLAIN = {
    "data": {"bar": [{"marker": {"line": {"width": 0}}}]},
    "layout": {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a",
                     "#6d3fc0", "#d5dae5"],
        "title": {"font": {"weight": 600}},
        "xaxis": {"gridcolor": "#e6eaf1", "zerolinecolor": "#d5dae5", "linecolor": "#d5dae5", "automargin": True,
                  "tickfont": {"color": "#808495"}, "title": {"font": {"color": "#808495"}}},
        "yaxis": {"gridcolor": "#e6eaf1", "zerolinecolor": "#d5dae5", "linecolor": "#d5dae5", "automargin": True,
                  "tickfont": {"color": "#808495"}, "title": {"font": {"color": "#808495"}}},
        "hoverlabel": {"font": {"size": 14}},
        "legend": {"bgcolor": "rgba(0,0,0,0)"},
    },
}


def show(fig: go.Figure, *, key: str, lang: str, config: dict | None = None,
         on_select: Callable[[], None] | None = None) -> None:
    """Draw ``fig`` across its column (see the module's docstring for which element draws it).

    ``lang`` is the interface language (the message shown if plotly.js cannot be loaded). ``on_select`` runs
    (before the next script run) after a click on a point; read the point with :func:`selected_points`.
    """
    config = {"displayModeBar": False, **(config or {})}
    if not ASSET.served:
        kwargs = {"on_select": on_select, "selection_mode": "points"} if on_select is not None else {}
        st.plotly_chart(fig, key=key, width="stretch", config=config, **kwargs)
        return
    config.pop("locale", None)  # plotly.min.js carries English only; numbers follow the figure's separators
    data = {"figure": layout_for_page(fig), "config": config, "src": relative(ASSET.path), "select": on_select is not None,
            "failed": t("chart.load_failed", lang)}
    callbacks = {"on_select_change": on_select} if on_select is not None else {}
    COMPONENT(key=key, data=data, **callbacks)


def selected_points(key: str) -> list[dict]:
    """The points of the last click on the figure drawn by ``show(..., key=key, on_select=...)``.

    Each point a dict with ``point_index`` and ``customdata`` (and plotly's other fields).
    """
    state = st.session_state.get(key)
    if not state:
        return []
    chosen = state.get("select") if "select" in state else state.get("selection")
    return list((chosen or {}).get("points", []) or [])
