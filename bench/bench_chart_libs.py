"""What one chart costs a page in the browser, by the library that draws it, against a bare page.

Usage::

    python bench/bench_chart_libs.py                  # 5 repeats, the browser with its caches
    python bench/bench_chart_libs.py --no-cache       # the browser as bench_browser.py --no-cache drives it
    python bench/bench_chart_libs.py --plotly-js plotly-basic.min.js --plotly-js plotly-cartesian.min.js

Why: issue 10 and 14 ask every page to load within 2x a bare Streamlit page. The dashboard's charts are
plotly figures drawn by ``st.plotly_chart``, whose frontend part (Streamlit's ``PlotlyChart`` chunk: all of
plotly.js, 4.7 MB) the browser evaluates on every new page load. This script measures that cost apart
from the dashboard: the same small bar chart (22 communes with Vietnamese names) drawn

* ``plotly``: by ``st.plotly_chart`` (what the dashboard does);
* ``vega-lite``: by ``st.vega_lite_chart`` (Streamlit's other chart element);
* ``plotly.js <file>``: by a small ``st.components.v2`` component that draws the same figure's JSON with
  the named plotly.js bundle, loaded once per page by a script tag from a route of the served app
  (``st.App``). Always the full bundle that the ``plotly`` Python package ships; ``--plotly-js`` adds
  others, for example the partial bundles ``plotly.js-basic-dist-min`` (bar, scatter, pie) and
  ``plotly.js-cartesian-dist-min`` (adds heatmap) from the npm registry.

Each variant is a one-page app served by its own ``streamlit run`` on 127.0.0.1; all are opened in the same
headless Chromium, in turns, after two warm-up rounds. A load is timed as in ``bench_browser.py`` (from
the navigation's start to the last change of the page before a quiet spell). Printed: the median load of
each variant in seconds and as a ratio to the bare page's, measured in the same run.

Nothing here is used by the dashboard; it measures what a choice of chart library would cost.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_browser import INIT_OBSERVER, browser_context, time_load  # noqa: E402

from tests.support.browser import start_server, stop_server  # noqa: E402

NAMES = ["Bản Thi", "Bằng Lãng", "Bằng Phúc", "Bình Trung", "Đại Sảo", "Đồng Lạc", "Đông Viên", "Lương Bằng",
         "Nam Cường", "Nghĩa Tá", "Ngọc Phái", "Phong Huân", "Phương Viên", "Quảng Bạch", "Tân Lập", "Xuân Lạc",
         "Yên Mỹ", "Yên Phong", "Yên Thịnh", "Yên Thượng", "Bằng Lũng", "Rã Bản"]

FIGURE = f'''
import plotly.graph_objects as go

NAMES = {NAMES!r}
FIG = go.Figure(go.Bar(x=[(7 * i) % 23 + 3.5 for i in range(len(NAMES))], y=NAMES, orientation="h"))
FIG.update_layout(title="Tỷ lệ hộ nghèo theo xã (%)", separators=",.", height=520)
'''

BARE = '''import streamlit as st
st.title("Trang trống")
st.write("Một dòng chữ.")
'''

PLOTLY = FIGURE + '''
import streamlit as st
st.title("Biểu đồ")
st.plotly_chart(FIG, config={"displayModeBar": False})
'''

VEGA = f'''import pandas as pd
import streamlit as st
NAMES = {NAMES!r}
st.title("Biểu đồ")
df = pd.DataFrame({{"xã": NAMES, "tỷ lệ": [(7 * i) % 23 + 3.5 for i in range(len(NAMES))]}})
st.vega_lite_chart(df, {{"title": "Tỷ lệ hộ nghèo theo xã (%)", "height": 460, "mark": "bar",
                        "encoding": {{"y": {{"field": "xã", "type": "nominal", "sort": None}},
                                     "x": {{"field": "tỷ lệ", "type": "quantitative"}}}}}})
'''

# the component: one script tag per page (shared by every chart of the page), then Plotly.react
COMPONENT = FIGURE + '''
import streamlit as st

JS = """
export default async function(component) {
  const { data, parentElement } = component;
  let el = parentElement.querySelector("div.chart");
  if (!el) { el = document.createElement("div"); el.className = "chart"; parentElement.appendChild(el); }
  if (!window.__plotlyLoading) {
    window.__plotlyLoading = new Promise((ok, bad) => {
      const s = document.createElement("script");
      s.src = data.lib; s.onload = ok; s.onerror = bad; document.head.appendChild(s);
    });
  }
  await window.__plotlyLoading;
  const fig = JSON.parse(data.fig);
  await window.Plotly.react(el, fig.data, fig.layout, {displayModeBar: false, responsive: true});
}
"""
chart = st.components.v2.component("bench_plotly_js", js=JS, isolate_styles=False)
st.title("Biểu đồ")
chart(data={"fig": FIG.to_json(), "lib": "/lib/plotly.js"}, key="chart")
'''

SERVE = '''from pathlib import Path

import streamlit as st
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
app = st.App("component.py", routes=[Mount("/lib", app=StaticFiles(directory=HERE / "lib"))])
'''


def _plotly_full() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def write_apps(tmp: Path, bundles: list[Path]) -> dict[str, Path]:
    """One folder per variant, each with the script ``streamlit run`` serves; returns {label: script}."""
    apps: dict[str, Path] = {}
    for label, text in (("bare", BARE), ("plotly (st.plotly_chart)", PLOTLY), ("vega-lite (st.vega_lite_chart)", VEGA)):
        d = tmp / f"app{len(apps)}"
        d.mkdir()
        (d / "page.py").write_text(text, encoding="utf-8")
        apps[label] = d / "page.py"
    for bundle in bundles:
        d = tmp / f"app{len(apps)}"
        (d / "lib").mkdir(parents=True)
        shutil.copyfile(bundle, d / "lib" / "plotly.js")
        (d / "component.py").write_text(COMPONENT, encoding="utf-8")
        (d / "serve.py").write_text(SERVE, encoding="utf-8")
        size = bundle.stat().st_size / 1e6
        apps[f"plotly.js {bundle.name} ({size:.1f} MB) in a component"] = d / "serve.py"
    return apps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quiet", type=float, default=0.6, help="quiet spell (s) that ends a measurement")
    ap.add_argument("--no-cache", action="store_true",
                    help="a fresh context whose every request is routed by Playwright (no HTTP or code cache)")
    ap.add_argument("--plotly-js", type=Path, action="append", default=[],
                    help="another plotly.js bundle to draw the chart with (repeatable)")
    args = ap.parse_args(argv)
    for b in args.plotly_js:
        if not b.is_file():
            ap.error(f"--plotly-js {b}: no such file")

    tmp = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    apps = write_apps(tmp, [_plotly_full(), *args.plotly_js])
    servers = {}
    times: dict[str, list[float]] = {label: [] for label in apps}
    try:
        for label, script in apps.items():
            servers[label] = start_server(script=script)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw, browser_context(pw, cache=not args.no_cache) as bc:
            bc.ctx.add_init_script(INIT_OBSERVER)
            for _ in range(2):  # warm the servers, the browser's caches and the component's first mount
                for _proc, url in servers.values():
                    time_load(bc.ctx, f"{url}/", args.quiet)
            for _ in range(args.repeat):
                for label, (_, url) in servers.items():
                    times[label].append(time_load(bc.ctx, f"{url}/", args.quiet))
            blocked = bc.blocked_code()
    finally:
        for proc, _ in servers.values():
            stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)

    bare = statistics.median(times["bare"])
    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    lines = [f"One chart per page in headless chromium, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; "
             f"Python {platform.python_version()}; load average {load_avg}; medians of {args.repeat}; "
             + ("no cache (routed)" if args.no_cache else "the browser's HTTP and code caches on"), "",
             "| page | load s | × bare | loads s |", "|---|---:|---:|---|"]
    for label, xs in times.items():
        med = statistics.median(xs)
        lines.append(f"| {label} | {med:.2f} | {med / bare:.1f} | {', '.join(f'{x:.2f}' for x in xs)} |")
    lines.append(f"\n- requests to the internet aborted: {len(blocked)}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
