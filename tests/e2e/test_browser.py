"""The whole dashboard in headless Chromium (Playwright) against ``streamlit run app.py``.

* every page listed in the app's navigation loads with no error element;
* the map draws its polygons with the internet blocked (Leaflet served locally);
* clicking a commune on the map opens its panel; clicking a bar on the overview
  opens that commune; on the province panel a district click drills down;
* a screenshot of each page goes to ``test-artifacts/`` (gitignored).

Uses Debian's ``/usr/bin/chromium`` (installed by ``.ci/run``), never
``playwright install``. Every request that is not to the local server is
aborted, so the tests also prove the app works offline. Run only these tests
with ``python -m pytest -m browser``.
"""
from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PORTS = range(8620, 8630)
FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium "
                                                    "(run .ci/run or apt-get install chromium)"),
]


# --- the server ------------------------------------------------------------------------------------
def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}–{PORTS.stop - 1}")


def _start(args: list[str]) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    log = ARTIFACTS / f"streamlit-{port}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    fh = open(log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         *args],
        cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url, log
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"streamlit did not become healthy in 90 s; see {log}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server():
    proc, url, _ = _start([])
    yield url
    _stop(proc)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield b
        b.close()


class Offline:
    """A browser context that aborts every request not addressed to the local server."""

    def __init__(self, browser, width: int = 1400, height: int = 1600):
        self.ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        self.blocked: list[tuple[str, str]] = []
        self.ctx.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")):
            return route.continue_()
        self.blocked.append((route.request.resource_type, url))
        return route.abort()

    def blocked_code(self) -> list[str]:
        """Every request to the internet the page tried (scripts, styles, data, fonts, icons):
        the dashboard must need none of them."""
        return [f"{kind}: {u}" for kind, u in self.blocked]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.ctx.close()


def wait_idle(page, timeout: float = 90) -> None:
    """Wait until the app is drawn and no script run is in progress (stable for ~1 s)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stHeading"], [data-testid="stException"]',
                           timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        skeleton = page.locator('[data-testid="stSkeleton"]').count() > 0
        failed = page.locator('[data-testid="stException"]').count() > 0  # reported by assert_no_error
        quiet = 0 if ((running or skeleton) and not failed) else quiet + 1
        if quiet >= 4:
            return
        time.sleep(0.3)
    shot(page, "timeout")
    raise AssertionError(f"the app kept running for more than {timeout} s at {page.url}; on screen: "
                         + page.locator('[data-testid="stMain"]').inner_text()[:600])


def assert_no_error(page, what: str) -> None:
    for sel in ERROR_SELECTORS:
        loc = page.locator(sel)
        if loc.count():
            raise AssertionError(f"{what}: error element {sel}: {loc.first.inner_text()[:800]}")


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _listed_pages() -> list[str]:
    """url paths of the pages the app lists whose file exists (the PAGES list, read without importing)."""
    for source in ("ui/nav.py", "app.py"):
        if not (ROOT / source).exists():
            continue
        tree = ast.parse((ROOT / source).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                if isinstance(target, ast.Name) and target.id == "PAGES":
                    rows = ast.literal_eval(node.value)
                    return [url for path, url, *_ in rows if (ROOT / path).exists()]
    raise AssertionError("no PAGES list in ui/nav.py or app.py")


def map_frame(page):
    page.locator(FOLIUM_IFRAME).first.wait_for(timeout=90_000)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_selector("path.leaflet-interactive", timeout=90_000)
    return frame


def click_latlng(page, frame, lat: float, lng: float) -> None:
    """Click the map at a geographic point (robust to concave polygons, unlike a bbox centre)."""
    page.locator(FOLIUM_IFRAME).first.scroll_into_view_if_needed()
    x, y = frame.evaluate(
        """([lat, lng]) => {
            const p = window.map.latLngToContainerPoint([lat, lng]);
            const r = window.map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }""",
        [lat, lng],
    )
    box = page.locator(FOLIUM_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.click(box["x"] + x, box["y"] + y)


def _pick_unit(layer):
    """A unit far from the legend (bottom right): the northernmost one, and a point inside it."""
    pts = layer.geometry.representative_point()
    i = int(pts.y.to_numpy().argmax())
    return layer.iloc[i], pts.iloc[i]


# --- tests -----------------------------------------------------------------------------------------
def test_every_page_loads_without_error(server, browser):
    listed = _listed_pages()
    assert "map" in listed and "overview" in listed
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(server + "/")
        wait_idle(page)
        hrefs = page.locator('[data-testid="stSidebarNav"] a').evaluate_all("els => els.map(e => e.href)")
        nav = [h.rstrip("/").rsplit("/", 1)[-1].split("?")[0] for h in hrefs]
        nav = [("overview" if n in ("", server.rsplit("/", 1)[-1]) else n) for n in nav]
        assert set(listed) <= set(nav), (listed, nav)
        for url in listed:
            page.goto(f"{server}/{url}")
            wait_idle(page)
            if url == "map":
                map_frame(page)
            assert_no_error(page, url)
            assert page.locator('[data-testid="stMainBlockContainer"] [data-testid="stHeading"]').count() >= 1, url
            shot(page, f"page-{url}")
        assert not off.blocked_code(), off.blocked


def test_map_renders_offline_desktop_and_phone(server, browser):
    for width, name in ((1400, "map-desktop"), (390, "map-390px")):
        with Offline(browser, width=width, height=1400) as off:
            page = off.ctx.new_page()
            page.goto(f"{server}/map")
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


def test_clicking_a_commune_opens_its_panel(server, browser):
    from povlib import geo

    unit, pt = _pick_unit(geo.boundaries("cho-don"))
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{server}/map")
        wait_idle(page)
        frame = map_frame(page)
        assert page.locator(".st-key-map_panel").count() == 0
        click_latlng(page, frame, pt.y, pt.x)
        panel = page.locator(".st-key-map_panel")
        panel.wait_for(timeout=90_000)
        wait_idle(page)
        assert unit["name"] in panel.locator("h3").first.inner_text()
        assert f"communes={unit['code']}" in page.url
        tabs = panel.get_by_role("tab")
        assert tabs.count() == 3
        assert panel.locator('[data-testid="stDataFrame"]').count() == 1  # villages table (a canvas grid)
        tabs.nth(1).click()
        panel.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        tabs.nth(2).click()
        assert "2016" in tabs.nth(2).inner_text() and "2019" in tabs.nth(2).inner_text()
        # the selected commune is outlined on the redrawn map
        frame = map_frame(page)
        weights = frame.locator("path.leaflet-interactive").evaluate_all(
            "els => els.map(e => parseFloat(e.getAttribute('stroke-width')))")
        assert max(weights) >= 3 and sorted(weights)[-2] < 3
        assert_no_error(page, "map panel")
        shot(page, "map-commune-panel")
        assert not off.blocked_code(), off.blocked


def test_clicking_an_overview_bar_opens_the_commune(server, browser):
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{server}/overview")
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


@pytest.fixture(scope="module")
def province_server():
    """A server for the province panel, built first if needed (seeded, ~5 s)."""
    from povlib.synth import demo_path

    if not demo_path("bac-kan").exists():
        subprocess.run([sys.executable, "-m", "povlib", "generate", "--scope", "bac-kan"], cwd=ROOT, check=True,
                       capture_output=True)
    proc, url, _ = _start([])
    yield url
    _stop(proc)


@pytest.mark.slow
def test_province_map_drills_down_to_communes(province_server, browser):
    from povlib import geo

    districts = geo.boundaries("bac-kan", "district")
    unit, pt = _pick_unit(districts)
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{province_server}/map?dataset=bac-kan")
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
def test_province_map_shows_all_122_communes(province_server, browser):
    with Offline(browser) as off:
        page = off.ctx.new_page()
        page.goto(f"{province_server}/map?dataset=bac-kan&level=commune")
        wait_idle(page, timeout=150)
        frame = map_frame(page)
        assert frame.locator("path.leaflet-interactive").count() == 122
        assert frame.locator('[data-testid="map-legend"]').count() == 1
        assert_no_error(page, "province communes")
        shot(page, "map-province-communes")
        assert not off.blocked_code(), off.blocked
