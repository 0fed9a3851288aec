"""What issue 10 saw on screen at 1440 and 390 px, in headless Chromium:

* trends: the flows charts' note on the first review year ("2016: năm rà soát đầu…") stands outside the
  plot, under the x axis' title: inside it, it covered the 2017 bars on a phone;
* reports: the report's table fits the page at 1440 px (the grid scrolled sideways: 2.996 px of columns
  in a 978 px box) and at 390 px; nothing on the page scrolls sideways.
"""
from __future__ import annotations

import pytest

from povlib.i18n import t
from tests.support.browser import NEEDS_CHROMIUM, assert_no_error, open_in_context, shot, wait_idle

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group

SIZES = [{"width": 390, "height": 844}, {"width": 1440, "height": 900}]
IDS = ["phone", "desktop"]

# the boxes of a chart's bars and of the texts that hold ``needle``, with the chart's own box
_NOTE_AND_BARS = """(root, needle) => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const svg = root.querySelector('.main-svg');
    const bars = Array.from(root.querySelectorAll('.main-svg .bars .point path'))
        .filter(e => e.getBoundingClientRect().height > 0).map(box);
    const notes = Array.from(root.querySelectorAll('.main-svg text'))
        .filter(e => e.textContent.includes(needle)).map(box);
    return {svg: box(svg), bars: bars, notes: notes};
}"""


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_first_year_note_covers_no_bar(server, browser, size):
    ctx, page = open_in_context(browser, f"{server}/trends?year=2019", size)
    try:
        page.get_by_role("radio", name=t("tr.section.flows", "vi")).click()  # the flows part of the page
        wait_idle(page)
        assert_no_error(page, "trends flows")
        needle = t("tr.first_year_note", "vi", year="2016").split()[0]  # "2016:" (the note, whatever its lines)
        for key in ("tr_flows_poor", "tr_flows_near"):
            chart = page.locator(f".st-key-{key}")
            chart.locator(".main-svg .bars .point path").first.wait_for(timeout=60_000)
            chart.scroll_into_view_if_needed()
            found = chart.evaluate(_NOTE_AND_BARS, needle)
            assert found["notes"], (key, "no first-year note")
            assert len(found["bars"]) >= 20, key
            for note in found["notes"]:
                covered = [b for b in found["bars"] if _overlaps(note, b)]
                assert not covered, (key, size["width"], note, covered[:3])
                assert found["svg"][0] - 1 <= note[0] and note[2] <= found["svg"][2] + 1, (key, note, found["svg"])
        shot(page, f"trends-first-year-note-{size['width']}")
    finally:
        ctx.close()


# the page's own width and every box of the main area that scrolls sideways (a grid's scroller, a table's box)
_SIDEWAYS = """() => ({
    page: [document.scrollingElement.scrollWidth, window.innerWidth],
    boxes: Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
        .filter(e => e.offsetParent !== null && e.clientWidth > 40 && e.scrollWidth > e.clientWidth + 1
                     && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
        .map(e => ({what: e.getAttribute('data-testid') || e.className.toString().slice(0, 40),
                    scroll: e.scrollWidth, client: e.clientWidth})),
    tables: document.querySelectorAll('[data-testid="stMain"] [data-testid="stTable"], '
                                      + '[data-testid="stMain"] [data-testid="stDataFrame"]').length,
})"""


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("query", ["report=summary", "report=groups", "report=indicators",
                                   "report=posting&unit=02035"])
def test_report_fits_the_screen(server, browser, size, query):
    ctx, page = open_in_context(browser, f"{server}/reports?year=2019&{query}", size)
    try:
        assert_no_error(page, "reports")
        page.locator('[data-testid="stTable"], [data-testid="stDataFrame"]').first.wait_for(
            state="attached", timeout=60_000)  # the wide form is hidden on a phone, the cards on a desktop
        found = page.evaluate(_SIDEWAYS)
        shot(page, f"reports-fit-{query.split('&')[0].split('=')[1]}-{size['width']}")
        assert found["tables"] >= 1, found
        assert found["page"][0] <= found["page"][1], found["page"]
        assert not found["boxes"], (size["width"], found["boxes"])
    finally:
        ctx.close()
