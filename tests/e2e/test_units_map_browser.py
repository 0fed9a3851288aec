"""The map of each period in Chromium (issue 11): 2019 (22 communes), 2020 (20) and 2026 (8), each drawn on the
layer of its units with its attribution, and a click on a commune of each opens that commune's panel.

The server runs on the fixture panel 2016–2026 (tests/support/panel2026.py) through ``POVLIB_DATA``."""
from __future__ import annotations

import pytest

from tests.support.browser import (
    NEEDS_CHROMIUM,
    Offline,
    click_latlng,
    map_frame,
    pick_unit,
    shot,
    start_server,
    stop_server,
    wait_idle,
)
from tests.support.panel2026 import data_dir_2026

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group


@pytest.fixture(scope="module")
def server2026(tmp_path_factory):
    data = data_dir_2026(tmp_path_factory.mktemp("data2026") / "data")
    store = tmp_path_factory.mktemp("store2026")
    proc, url = start_server(env={"POVLIB_DATA": str(data), "POVLIB_STORE": str(store)})
    yield url
    stop_server(proc)


@pytest.mark.parametrize(("year", "n", "attribution"), [(2019, 22, "censusVN2009"), (2020, 20, "855/NQ-UBTVQH14"),
                                                        (2026, 8, "01/07/2025")])
def test_each_period_drawn_on_its_layer_and_a_click_opens_its_commune(server2026, browser, year, n, attribution):
    from povlib.geo import period_boundaries

    unit, pt = pick_unit(period_boundaries("cho-don", year))
    with Offline(browser, width=1440, height=1400) as off:
        page = off.ctx.new_page()
        page.goto(f"{server2026}/map?year={year}")
        wait_idle(page)
        frame = map_frame(page)
        assert frame.locator("path.leaflet-interactive").count() == n
        assert attribution in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts().__str__()
        click_latlng(page, frame, pt.y, pt.x)
        panel = page.locator(".st-key-map_panel")
        panel.wait_for(timeout=90_000)
        wait_idle(page)
        assert unit["name"] in panel.locator("h3").first.inner_text()
        assert f"communes={unit['code']}" in page.url and f"year={year}" in page.url
        shot(page, f"map-{year}-1440")
        assert not off.blocked_code(), off.blocked


@pytest.mark.parametrize("year", [2020, 2026])
def test_the_map_of_a_later_period_on_a_phone(server2026, browser, year):
    with Offline(browser, width=390, height=844) as off:
        page = off.ctx.new_page()
        page.goto(f"{server2026}/map?year={year}")
        wait_idle(page)
        frame = map_frame(page)
        assert frame.locator("path.leaflet-interactive").count() == {2020: 20, 2026: 8}[year]
        shot(page, f"map-{year}-390")
        assert not off.blocked_code(), off.blocked
