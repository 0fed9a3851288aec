"""Issue 10 item 7 on screen (headless Chromium): no English left in the Vietnamese interface by
Streamlit's own widgets – the uploader's button and limit line come from the catalog (ui/uploader.py),
the top-right menu (Print, Record screen, "Made with Streamlit") is gone (client.toolbarMode "minimal"),
the map's scale is metric only (no "mi"/"ft")."""
from __future__ import annotations

import pytest

from povlib.i18n import t
from povlib.intake import limits
from tests.support.browser import (
    NEEDS_CHROMIUM,
    Offline,
    add_account,
    map_frame,
    sign_in,
    start_server,
    stop_server,
    wait_idle,
)

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group

_SHOWN = """els => els.map(e => {
  const hidden = [...e.querySelectorAll('p, span')].filter(x => getComputedStyle(x).display === 'none')
                                                    .map(x => x.textContent);
  const after = getComputedStyle(e, '::after').content;
  return {after, hidden, visible: e.innerText};
})"""


@pytest.fixture(scope="module")
def officer_server(tmp_path_factory):
    """A server whose store has an officer account (the data page needs a sign-in)."""
    store = tmp_path_factory.mktemp("lang") / "store"
    add_account(store, "can.bo", "mat-khau-dai-1", "district_officer", "06")
    proc, url = start_server(env={"POVLIB_STORE": str(store)})
    yield url
    stop_server(proc)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_uploader_and_menu_speak_the_interface_language(officer_server, browser, lang):
    with Offline(browser, width=1440, height=900) as off:
        page = off.ctx.new_page()
        sign_in(page, officer_server, "can.bo", "mat-khau-dai-1", lang)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("app.page.data", lang)).click()
        wait_idle(page)
        zone = '[data-testid="stFileUploaderDropzone"]'
        page.locator(zone).first.wait_for()
        buttons = page.locator(f'{zone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]')
        hints = page.locator(f'{zone} [data-testid="stFileUploaderDropzoneInstructions"]')
        assert buttons.count() == 2 and hints.count() == 2
        limit = t("upload.limit", lang, max_mb=limits.MAX_FILE_MB, types="CSV, XLSX, XLSM")
        for b in buttons.evaluate_all(_SHOWN):
            assert b["after"] == f'"{t("upload.button", lang)}"' and "Upload" not in b["visible"], b
        for h in hints.evaluate_all(_SHOWN):
            assert h["after"] == f'"{limit}"' and "per file" not in h["visible"], h
        text = page.locator('[data-testid="stApp"]').inner_text()
        for english in ("Print", "Record screen", "Made with Streamlit"):
            assert english not in text
        assert page.locator('[data-testid="stMainMenu"]').count() == 0


def test_map_scale_is_metric_only(server, browser):
    with Offline(browser, width=1440, height=1100) as off:
        page = off.ctx.new_page()
        page.goto(f"{server}/map?year=2019")
        wait_idle(page)
        frame = map_frame(page)
        scales = frame.locator(".leaflet-control-scale-line")
        texts = scales.all_inner_texts()
        assert len(texts) == 1 and texts[0].strip().endswith(("km", "m")), texts
        assert not any(x.strip().endswith(("mi", "ft")) for x in texts), texts
