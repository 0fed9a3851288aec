"""The served dashboard under a base path (``streamlit run serve.py --server.baseUrlPath giamngheo``).

``st.App`` mounts the app's own routes where it is told (the server's root) while Streamlit serves the
pages under the base path; ``serve.py`` builds them under it (``ui.routes``). In headless Chromium: the
overview's charts are drawn by the app's component with the plotly.js of ``/giamngheo/assets/``, and the
officer's one-time CSV link of the household list leads to ``/giamngheo/dl/<token>`` and downloads the
list with its (made-up) names. Before the fix the link fetched Streamlit's ``index.html`` instead.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.browser import (
    NEEDS_CHROMIUM,
    Offline,
    assert_no_error,
    download_csv_cells,
    new_download_link,
    officer_households,
    shot,
    start_server,
    stop_server,
    wait_idle,
)
from ui import plotly_view

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group
BASE = "giamngheo"
COMMUNE, YEAR = "02023", 2019  # Xã Xuân Lạc


@pytest.fixture(scope="module")
def based():
    proc, url = start_server(base_path=BASE)
    yield url
    stop_server(proc)


def test_under_a_base_path_charts_and_the_one_time_download_work(based, browser, demo):
    assert urlsplit(based).path == f"/{BASE}"
    names = set(demo.loc[(demo["year"] == YEAR) & (demo["commune_code"].astype(str) == COMMUNE)
                         & demo["status"].isin(["poor", "near_poor"]), "head_name"].astype(str))
    with Offline(browser) as off:
        scripts: list[tuple[str, int]] = []
        page = off.ctx.new_page()
        page.on("response", lambda r: scripts.append((urlsplit(r.url).path, r.status))
                if plotly_view.ASSET.path in r.url else None)
        page.goto(based)  # no trailing slash: Streamlit redirects to /giamngheo/
        wait_idle(page)
        page.locator(".povlib-plotly .main-svg").first.wait_for(timeout=60_000)
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
        assert_no_error(page, "overview under a base path")
        assert scripts == [(f"/{BASE}{plotly_view.ASSET.path}", 200)], scripts
        shot(page, "base-path-overview")
        assert not off.blocked_code(), off.blocked

    downloads = []
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="vi-VN", accept_downloads=True)
    try:
        ctx.on("page", lambda p: p.on("download", lambda d: downloads.append(d)))  # the link opens a tab
        page = officer_households(ctx, f"{based}/households?communes={COMMUNE}&year={YEAR}")
        link = new_download_link(page)
        assert urlsplit(link).path.startswith(f"/{BASE}/dl/"), link
        cells = download_csv_cells(page, urlsplit(link).path.removeprefix(f"/{BASE}/"), downloads)
        assert names and names <= cells, "the officer's file lacks the names"
    finally:
        ctx.close()
