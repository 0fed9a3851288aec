"""The whole dashboard in headless Chromium (Playwright) against ``streamlit run app.py``.

* every page listed in the app's navigation loads with no error element;
* the map draws its polygons with the internet blocked (Leaflet served locally);
* clicking a commune on the map opens its panel; clicking a bar on the overview
  opens that commune; on the province panel a district click drills down;
* a screenshot of each page goes to ``test-artifacts/`` (gitignored).

Uses Debian's ``/usr/bin/chromium`` (installed by ``scripts/test.sh``), never
``playwright install``. Every request that is not to the local server is
aborted, so the tests also prove the app works offline. Run only these tests
with ``python -m pytest tests/e2e`` (fixtures: ``tests/e2e/conftest.py``; the
province panel is built by the test session if missing, ``tests/conftest.py``).
"""
from __future__ import annotations

import time

import pytest

from povlib.i18n import t
from tests.support.browser import (
    FOLIUM_IFRAME,
    NEEDS_CHROMIUM,
    Offline,
    assert_no_error,
    click_latlng,
    listed_pages,
    map_frame,
    pick_unit,
    shot,
    wait_idle,
)
from ui import plotly_view
from ui.nav import NEEDS

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group


#: pages with charts on their first view, and how many at least
CHART_PAGES = {"overview": 1, "deprivations": 3, "trends": 1}


# --- tests -----------------------------------------------------------------------------------------
def test_every_page_loads_without_error(server, browser):
    listed = listed_pages()
    assert "map" in listed and "overview" in listed
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(server + "/")
        wait_idle(page)
        hrefs = page.locator('[data-testid="stSidebarNav"] a').evaluate_all("els => els.map(e => e.href)")
        nav = [h.rstrip("/").rsplit("/", 1)[-1].split("?")[0] for h in hrefs]
        nav = [("overview" if n in ("", server.rsplit("/", 1)[-1]) else n) for n in nav]
        assert set(listed) - set(NEEDS) <= set(nav) and not set(NEEDS) & set(nav), (listed, nav)  # not signed in
        plotly_js: list[tuple[str, int]] = []  # (page, status) of every request for plotly.js
        errors: list[str] = []  # uncaught script errors (the chart component's among them)
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        page.on("response", lambda r: plotly_js.append((page.url, r.status)) if plotly_view.ASSET.path in r.url else None)
        for url in listed:
            page.goto(f"{server}/{url}")
            wait_idle(page)
            if url == "map":
                map_frame(page)
            if url in CHART_PAGES:  # drawn by the app's component with the plotly.js served by serve.py
                page.locator(".povlib-plotly .main-svg").first.wait_for(timeout=60_000)
                assert page.locator(".povlib-plotly.js-plotly-plot").count() >= CHART_PAGES[url], url
                assert page.locator('[data-testid="stPlotlyChart"]').count() == 0, url
            assert_no_error(page, url)
            assert page.locator('[data-testid="stMainBlockContainer"] [data-testid="stHeading"]').count() >= 1, url
            shot(page, f"page-{url}")
        assert not off.blocked_code(), off.blocked
        assert not errors, errors
        # once per page that draws a chart (each goto is a new document; Offline routes every request, which
        # keeps the browser's cache off), always found
        assert {u.split("?")[0].rsplit("/", 1)[-1] for u, _ in plotly_js} >= set(CHART_PAGES), plotly_js
        assert {status for _, status in plotly_js} == {200}, plotly_js


def test_the_offline_browser_records_and_fails_a_request_off_the_machine(server, browser):
    """The guard of the other tests: a request to any host but 127.0.0.1 / localhost is seen by ``Offline``
    and fails to resolve, with the browser's cache on. The machine's own name is the probe: it resolves
    (to this machine, /etc/hosts) for every program but the offline browser."""
    import socket

    probe = f"http://{socket.gethostname()}:{server.rsplit(':', 1)[-1]}/_stcore/health"
    with Offline(browser) as off:
        page = off.ctx.new_page()
        failures: list[str] = []
        page.on("requestfailed", lambda r: failures.append(f"{r.url} {r.failure}"))
        page.goto(f"{server}/help")
        wait_idle(page)
        outcome = page.evaluate("url => fetch(url, {mode: 'no-cors'}).then(r => 'loaded', e => 'failed: ' + e)", probe)
        assert outcome.startswith("failed"), outcome
        assert failures == [f"{probe} net::ERR_NAME_NOT_RESOLVED"], failures
        assert off.blocked_code() == [f"fetch: {probe}"], off.blocked


def test_the_offline_browser_ignores_a_proxy_of_the_environment(server, browser):
    """A proxy in the environment (``http_proxy``, ``all_proxy``: a local one resolves hosts itself) is not
    used by the offline browser: a request to the internet never reaches it."""
    import os
    import socket
    import threading
    from types import SimpleNamespace

    from tests.support.browser import launch_chromium

    reached: list[bytes] = []
    proxy = socket.socket()
    proxy.bind(("127.0.0.1", 0))
    proxy.listen()
    proxy.settimeout(0.2)
    done = threading.Event()

    def listen() -> None:
        while not done.is_set():
            try:
                conn, _ = proxy.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    reached.append(conn.recv(200))
                except OSError:
                    reached.append(b"")
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    threading.Thread(target=listen, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.getsockname()[1]}"
    env = {**os.environ, "http_proxy": url, "https_proxy": url, "all_proxy": url, "HTTP_PROXY": url,
           "HTTPS_PROXY": url, "ALL_PROXY": url, "no_proxy": "", "NO_PROXY": ""}
    try:
        # a second browser of the session's Playwright (one sync Playwright per thread), as launch_chromium
        # launches every browser of the tests, with the proxy in its environment
        b = launch_chromium(SimpleNamespace(chromium=browser.browser_type), env=env)
        try:
            with Offline(b) as off:
                page = off.ctx.new_page()
                page.goto(f"{server}/help")
                wait_idle(page)
                outcome = page.evaluate("() => fetch('http://example.org/x', {mode: 'no-cors'})"
                                        ".then(r => 'loaded', e => 'failed: ' + e)")
                assert outcome.startswith("failed"), outcome
                assert off.blocked_code() == ["fetch: http://example.org/x"], off.blocked
        finally:
            b.close()
    finally:
        done.set()
        proxy.close()
    assert not reached, reached


def test_a_chart_whose_plotly_js_cannot_be_loaded_says_so(server, browser):
    """plotly.js refused (a proxy that does not pass /assets/): the chart's place says so, in Vietnamese, and
    the rest of the page is drawn."""
    with Offline(browser) as off:
        off.ctx.route(f"**{plotly_view.ASSET.path}", lambda route: route.fulfill(status=404, body="not found"))
        page = off.ctx.new_page()
        page.goto(f"{server}/overview")
        wait_idle(page)
        alert = page.locator('.povlib-plotly[role="alert"]').first
        alert.wait_for(timeout=60_000)
        assert alert.inner_text() == t("chart.load_failed", "vi")
        assert page.locator('[data-testid="stMetric"]').count() >= 3
        assert_no_error(page, "overview without plotly.js")


def test_map_renders_offline_desktop_and_phone(server, browser):
    for width, name in ((1400, "map-desktop"), (390, "map-390px")):
        with Offline(browser, width=width, height=1400) as off:
            page = off.ctx.new_page()
            page.goto(f"{server}/map?year=2019")  # the 2019 units (the demo opens on its latest year)
            wait_idle(page)
            frame = map_frame(page)
            paths = frame.locator("path.leaflet-interactive")
            assert paths.count() == 22  # the 22 communes of Chợ Đồn (2019 units)
            fills = set(paths.evaluate_all("els => els.map(e => e.getAttribute('fill'))"))
            assert len(fills) >= 3, fills  # coloured by class, not one flat colour
            legend = frame.locator('[data-testid="map-legend"]')
            assert "Tỷ lệ hộ nghèo" in legend.inner_text()
            box = frame.locator(".leaflet-container").bounding_box()
            assert box["width"] > (450 if width > 1000 else 0.75 * width) and box["height"] > 300, box
            assert frame.locator(".leaflet-tile").count() == 0  # no basemap by default
            assert_no_error(page, "map")
            page.locator(FOLIUM_IFRAME).first.scroll_into_view_if_needed()
            shot(page, name)
            assert not off.blocked_code(), off.blocked


def _count_script_runs(page) -> list[str]:
    """The ends of the script runs the server reports to ``page`` (Streamlit's ``script_finished`` messages on
    its websocket), as a list that grows while the page lives; register before the page opens."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ends: list[str] = []

    def frame(payload) -> None:
        if isinstance(payload, bytes | bytearray):
            msg = ForwardMsg.FromString(bytes(payload))
            if msg.WhichOneof("type") == "script_finished":
                ends.append(str(msg.script_finished))

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return ends


def test_clicking_a_commune_opens_its_panel(server, browser):
    from povlib import geo

    unit, pt = pick_unit(geo.boundaries("cho-don"))
    with Offline(browser) as off:
        page = off.ctx.new_page()
        runs = _count_script_runs(page)
        page.goto(f"{server}/map?year=2019")  # a commune of the 2019 layer
        wait_idle(page)
        frame = map_frame(page)
        assert page.locator(".st-key-map_panel").count() == 0
        time.sleep(1)
        wait_idle(page)
        runs.clear()
        click_latlng(page, frame, pt.y, pt.x)
        panel = page.locator(".st-key-map_panel")
        panel.wait_for(timeout=90_000)
        wait_idle(page)
        # one script run per click: the click is handled before the run it starts (st_folium's on_change), not
        # by a run that draws the old selection and then reruns (issue 10: a map click within 1 s)
        assert len(runs) == 1, runs
        assert unit["name"] in panel.locator("h3").first.inner_text()
        assert f"communes={unit['code']}" in page.url
        # one part at a time: the village table first, a chart only when its part is chosen
        parts = panel.get_by_role("radio")  # the segmented control's buttons
        parts.nth(2).wait_for(timeout=90_000)  # drawn after the heading
        assert parts.count() == 3
        panel.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)  # villages table (a canvas grid)
        assert panel.locator(".js-plotly-plot").count() == 0
        parts.nth(1).click()
        panel.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        parts.nth(2).click()
        wait_idle(page)
        # short part labels (a phone); the trend's full title, with its years, is inside the part
        trend = panel.get_by_text("2016–2026").first
        trend.wait_for(timeout=30_000)
        assert panel.locator('[data-testid="stDataFrame"]').count() == 0
        # the selected commune is outlined on the redrawn map
        frame = map_frame(page)
        weights = frame.locator("path.leaflet-interactive").evaluate_all(
            "els => els.map(e => parseFloat(e.getAttribute('stroke-width')))")
        assert max(weights) >= 3 and sorted(weights)[-2] < 3
        assert_no_error(page, "map panel")
        shot(page, "map-commune-panel")
        assert not off.blocked_code(), off.blocked


#: counts plotly's redraws for a size (``Plotly.Plots.resize``) once plotly.js is on the page
_COUNT_RESIZES = """(() => {
    window.__resizes = 0;
    const wrap = setInterval(() => {
        if (!window.Plotly) return;
        clearInterval(wrap);
        const resize = window.Plotly.Plots.resize;
        window.Plotly.Plots.resize = function (...a) { window.__resizes += 1; return resize.apply(this, a); };
    }, 1);
})();"""


def test_charts_are_drawn_once_and_follow_the_window_width(server, browser):
    """A chart is drawn once per figure (no second drawing for the size it was just drawn at: that doubled the
    charts' cost of a page), and drawn again at the new width when the window narrows."""
    with Offline(browser, width=1400, height=1000) as off:
        off.ctx.add_init_script(_COUNT_RESIZES)
        page = off.ctx.new_page()
        page.goto(f"{server}/overview")
        wait_idle(page)
        page.locator('[data-testid="stSidebarNav"] a[href$="/deprivations"]').first.click()  # as a user switches
        wait_idle(page)
        charts = page.locator(".povlib-plotly.js-plotly-plot")
        charts.first.locator(".main-svg").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)  # a resize observer calls back on the next frame
        assert charts.count() >= CHART_PAGES["deprivations"]
        assert page.evaluate("window.__resizes") == 0, "a chart was drawn a second time at the same width"
        before = charts.first.locator(".main-svg").first.bounding_box()["width"]
        page.set_viewport_size({"width": 900, "height": 1000})
        page.wait_for_function("window.__resizes > 0", timeout=30_000)
        page.wait_for_function("""() => {
            const el = document.querySelector('.povlib-plotly.js-plotly-plot');
            const svg = el.querySelector('.main-svg');
            return Math.abs(svg.getBoundingClientRect().width - el.clientWidth) < 2;
        }""", timeout=30_000)
        after = charts.first.locator(".main-svg").first.bounding_box()["width"]
        assert after < before - 100, (before, after)
        assert_no_error(page, "deprivations, narrowed")


def test_clicking_an_overview_bar_opens_the_commune(server, browser):
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{server}/overview?year=2019")  # the 22 communes of 2019
        wait_idle(page)
        chart = page.locator(".js-plotly-plot").filter(has=page.locator(".bars")).first
        chart.wait_for(timeout=60_000)
        chart.scroll_into_view_if_needed()
        bars = chart.locator(".bars .point path")
        n = bars.count()
        assert n >= 20
        i = 2
        code, name = chart.evaluate(
            """(el, i) => { const tr = el._fullData.find(t => t.type === 'bar');
                            return [String(tr.customdata[i][0] ?? tr.customdata[i]), String(tr.y[i])]; }""", i)
        bars.nth(i).click(force=True)
        page.wait_for_url(f"**communes={code}**", timeout=60_000)
        wait_idle(page)
        assert_no_error(page, "overview after click")
        assert name in page.locator('[data-testid="stMainBlockContainer"]').inner_text()
        shot(page, "overview-commune-opened")
        # the same commune is selected on the map page (shared filters)
        page.locator('[data-testid="stSidebarNav"] a[href$="/map"]').first.click()
        panel = page.locator(".st-key-map_panel")
        panel.wait_for(timeout=90_000)
        assert name in panel.locator("h3").first.inner_text()
        assert not off.blocked_code(), off.blocked


@pytest.mark.slow
def test_province_map_drills_down_to_communes(server, browser):
    from povlib import geo

    districts = geo.boundaries("bac-kan", "district")
    unit, pt = pick_unit(districts)
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{server}/map?dataset=bac-kan&year=2019")  # the districts, before 2025
        wait_idle(page, timeout=150)
        frame = map_frame(page)
        assert frame.locator("path.leaflet-interactive").count() == 8
        shot(page, "map-province-districts")
        click_latlng(page, frame, pt.y, pt.x)
        n_communes = len(geo.boundaries("bac-kan", district=unit["code"]))
        deadline = time.monotonic() + 150
        count = 0
        while time.monotonic() < deadline:
            try:
                frame = map_frame(page)
                count = frame.locator("path.leaflet-interactive").count()
            except Exception:  # noqa: BLE001 - the iframe is being replaced by the rerun
                count = 0
            if count == n_communes:
                break
            time.sleep(1)
        assert count == n_communes, (count, n_communes)
        wait_idle(page, timeout=150)
        assert unit["name"] in page.locator('[data-testid="stMain"]').inner_text()  # "Huyện Pác Nặm · Năm 2019"
        assert page.get_by_role("button", name="← Toàn tỉnh").count() == 1
        assert_no_error(page, "province drill-down")
        shot(page, "map-province-district-communes")
        assert not off.blocked_code(), off.blocked


@pytest.mark.slow
def test_province_map_shows_all_122_communes(server, browser):
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{server}/map?dataset=bac-kan&level=commune&year=2019")
        wait_idle(page, timeout=150)
        frame = map_frame(page)
        assert frame.locator("path.leaflet-interactive").count() == 122
        assert frame.locator('[data-testid="map-legend"]').count() == 1
        assert_no_error(page, "province communes")
        shot(page, "map-province-communes")
        assert not off.blocked_code(), off.blocked
