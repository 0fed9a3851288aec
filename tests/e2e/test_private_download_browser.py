"""Issue 15, item 3: a download with names is served only to the browser that asked for it (``serve.py``).

Against ``streamlit run serve.py`` in headless Chromium: the demo's officer presses *Tải CSV* on the
household list and gets a one-time link (``dl/<token>``), not a ``/media/`` file; clicking it downloads the
list with its (made-up) names. A second link fetched from another browser context (no cookie of the first)
is refused with the Vietnamese text, and the first link fetched again (same browser) is refused too.
"""
from __future__ import annotations

from urllib.parse import urljoin

from povlib.i18n import t
from tests.support.browser import (
    NEEDS_CHROMIUM,
    download_csv_cells,
    new_download_link,
    officer_households,
    shot,
)

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group
COMMUNE, YEAR = "02023", 2019  # Xã Xuân Lạc


def test_the_officer_downloads_once_and_no_other_browser_can(server, browser, demo):
    names = set(demo.loc[(demo["year"] == YEAR) & (demo["commune_code"].astype(str) == COMMUNE)
                         & demo["status"].isin(["poor", "near_poor"]), "head_name"].astype(str))
    media: list[str] = []
    downloads = []
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="vi-VN", accept_downloads=True)
    other = browser.new_context(locale="vi-VN")
    try:
        ctx.on("request", lambda r: media.append(r.url) if "/media/" in r.url else None)
        ctx.on("page", lambda p: p.on("download", lambda d: downloads.append(d)))  # the link opens a tab that downloads
        page = officer_households(ctx, f"{server}/households?communes={COMMUNE}&year={YEAR}")
        assert page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").count() == 0
        cookies = {c["name"]: c for c in ctx.cookies()}
        assert cookies["giamngheo_dl"]["httpOnly"] and cookies["giamngheo_dl"]["sameSite"] == "Strict"

        first = new_download_link(page)
        cells = download_csv_cells(page, first.removeprefix(server + "/"), downloads)
        assert names and names <= cells, "the officer's file lacks the names"
        assert not [u for u in media if not u.endswith((".png", ".svg", ".woff2"))], media  # no file in /media/
        shot(page, "private-download-officer")

        # the same link again, in the same browser: used
        again = ctx.new_page()
        resp = again.goto(first)
        assert resp.status == 404 and again.inner_text("body").strip() == t("dl.refused.unknown", "vi")
        assert resp.headers["cache-control"] == "no-store, private"
        again.close()

        # a fresh link opened by another browser (no cookie of this one): refused, and burnt
        second = new_download_link(page)
        stranger = other.new_page()
        resp = stranger.goto(second)
        assert resp.status == 403 and stranger.inner_text("body").strip() == t("dl.refused.wrong_browser", "vi")
        back = ctx.new_page()
        assert back.goto(urljoin(server + "/", second.removeprefix(server + "/"))).status == 404
    finally:
        other.close()
        ctx.close()
