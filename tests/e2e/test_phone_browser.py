"""The planning, deprivations and compare pages on a phone (390 × 844) in headless Chromium (issue 10).

* planning: the first tab (the budget) is far shorter than the old single page (6.253 px at 1440 wide,
  8.266 px on the phone) and its chart names every commune inside the screen;
* deprivations: no chart text (indicator labels, axis titles, tick labels) runs past the chart's edge.

What is measured is the bounding box of every SVG text of a chart: one that is cut off by the chart's
edge has a box that reaches past it.

* compare: no table of the page scrolls sideways (four communes: the phone gets one table per commune).
* reports: no table scrolls sideways on the phone (one card per row, :func:`ui.tables.report_ui`), the grid
  on a desktop;
* trends: the legend of every chart under its x axis, clear of the axis' title and tick labels (it covered
  "Năm rà soát" on a phone), at 390 and 1440 px.
"""
from __future__ import annotations

import pytest

from povlib.i18n import t
from tests.support.browser import NEEDS_CHROMIUM, assert_no_error, open_in_context, shot, wait_idle

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group

PHONE = {"width": 390, "height": 844}

# every text of a chart (ticks, axis titles, annotations, legend), with the chart's own box
_TEXTS = """(root) => {
    const svg = root.querySelector('.main-svg');
    const box = svg.getBoundingClientRect();
    const texts = Array.from(root.querySelectorAll('.main-svg text, .main-svg .annotation-text'))
        .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
        .map(e => { const r = e.getBoundingClientRect();
                    return {text: e.textContent.trim(), left: r.left, right: r.right,
                            cls: e.getAttribute('class') || ''}; });
    return {left: box.left, right: box.right, texts: texts};
}"""


def _chart_texts(page, key: str) -> dict:
    chart = page.locator(f".st-key-{key}")
    chart.locator(".main-svg").first.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    return chart.evaluate(_TEXTS)


def _cut_off(found: dict, viewport: int) -> list[str]:
    right = min(found["right"], viewport)
    return [f"{t['text']!r} ({t['left']:.0f}–{t['right']:.0f} px, chart {found['left']:.0f}–{right:.0f})"
            for t in found["texts"] if t["left"] < max(found["left"], 0) - 1 or t["right"] > right + 1]


def test_planning_budget_first_and_short_on_a_phone(server, browser):
    ctx, page = open_in_context(browser, f"{server}/planning?year=2019", PHONE)
    try:
        assert_no_error(page, "planning")
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        shot(page, "phone-planning")
        assert height < 4_700, height  # the old page: 8.266 px on the phone
        found = _chart_texts(page, "plan_budget_chart")
        communes = [t["text"] for t in found["texts"] if "ytick" in t["cls"] or t["text"].startswith(("Xã", "Thị"))]
        assert len(set(communes)) == 22, communes  # every commune named, none skipped
        assert not _cut_off(found, PHONE["width"]), _cut_off(found, PHONE["width"])
    finally:
        ctx.close()


def test_planning_first_tab_on_a_desktop(server, browser):
    ctx, page = open_in_context(browser, f"{server}/planning?year=2019", {"width": 1440, "height": 900})
    try:
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        assert height < 3_500, height  # the old page: 6.253 px
    finally:
        ctx.close()


def test_deprivation_charts_fit_a_phone(server, browser):
    ctx, page = open_in_context(browser, f"{server}/deprivations?year=2019", PHONE)
    try:
        assert_no_error(page, "deprivations")
        for key in ("dep_bars", "dep_contrib", "dep_counts"):
            found = _chart_texts(page, key)
            assert len(found["texts"]) >= 8, key
            assert not _cut_off(found, PHONE["width"]), (key, _cut_off(found, PHONE["width"]))
        shot(page, "phone-deprivations")
    finally:
        ctx.close()


# every table in view: the data grid's scroller, or a Markdown table's box; each must fit its container
_TABLES = """() => Array.from(document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stDataFrame"], [data-testid="stMain"] [data-testid="stMarkdownContainer"] table'))
    .filter(e => e.offsetParent !== null)
    .map(e => { const s = e.querySelector('.dvn-scroller') || e.parentElement;
                return {what: e.tagName, scroll: s.scrollWidth, client: s.clientWidth,
                        right: e.getBoundingClientRect().right}; })"""


def test_compare_tables_fit_a_phone(server, browser):
    url = f"{server}/compare?year=2019&communes=02035,02020,02050,02074"
    ctx, page = open_in_context(browser, url, PHONE)
    try:
        assert_no_error(page, "compare")
        shot(page, "phone-compare")
        tables = page.evaluate(_TABLES)
        wide = [tb for tb in tables if tb["scroll"] > tb["client"] or tb["right"] > PHONE["width"]]
        assert not wide, wide
        assert len(tables) >= 4, tables  # one table per commune, at least
    finally:
        ctx.close()
    ctx, page = open_in_context(browser, url, {"width": 1440, "height": 900})
    try:
        tables = page.evaluate(_TABLES)
        assert [tb["what"] for tb in tables][:1] == ["DIV"]  # the communes side by side in one grid
        assert "TABLE" not in [tb["what"] for tb in tables]  # the phone's stacked tables are hidden
        assert tables[0]["scroll"] <= tables[0]["client"], tables
    finally:
        ctx.close()


# the report's grid (data grid scroller) and every card table, shown or folded, with their widths
_REPORT_TABLES = """() => {
    const grids = Array.from(document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]'))
        .filter(e => e.offsetParent !== null)
        .map(e => { const s = e.querySelector('.dvn-scroller') || e;
                    return {what: 'grid', scroll: s.scrollWidth, client: s.clientWidth,
                            right: e.getBoundingClientRect().right}; });
    const cards = Array.from(document.querySelectorAll('[data-testid="stMain"] .rep-cards'))
        .filter(e => e.offsetParent !== null);
    const tables = cards.flatMap(c => Array.from(c.querySelectorAll('details[open] table')))
        .map(e => ({what: 'card', scroll: e.scrollWidth, client: e.parentElement.clientWidth,
                    right: e.getBoundingClientRect().right}));
    return {grids: grids, cards: cards.map(c => c.querySelectorAll('details').length),
            boxes: cards.map(c => ({scroll: c.scrollWidth, client: c.clientWidth})), tables: tables};
}"""


@pytest.mark.parametrize("query", ["report=summary", "report=posting&unit=02035"])
def test_report_tables_fit_a_phone(server, browser, query):
    url = f"{server}/reports?year=2019&{query}"
    ctx, page = open_in_context(browser, url, PHONE)
    try:
        assert_no_error(page, "reports")
        cards = page.locator(".rep-cards details")
        cards.first.wait_for(timeout=60_000)
        for i in range(min(cards.count(), 4)):  # open a few folded cards too
            if cards.nth(i).get_attribute("open") is None:
                cards.nth(i).locator("summary").click()
        cards.first.scroll_into_view_if_needed()
        shot(page, f"phone-reports-{query.split('&')[0].split('=')[1]}")
        found = page.evaluate(_REPORT_TABLES)
        assert not found["grids"], found["grids"]  # the wide grid is hidden on a phone
        assert found["cards"] and found["cards"][0] >= 5, found["cards"]  # one card per row
        assert len(found["tables"]) >= 4, found["tables"]
        wide = [tb for tb in found["tables"] + found["boxes"] if tb["scroll"] > tb["client"] + 1
                or tb.get("right", 0) > PHONE["width"]]
        assert not wide, wide
    finally:
        ctx.close()
    ctx, page = open_in_context(browser, url, {"width": 1440, "height": 900})
    try:
        wide = page.locator('[data-testid="stMain"] [data-testid="stTable"], [data-testid="stMain"] [data-testid="stDataFrame"]')
        wide.first.wait_for(timeout=60_000)  # a form as a table whose headers wrap, the posting list as a grid
        found = page.evaluate(_REPORT_TABLES)
        assert not found["cards"], found  # the table or grid, not the cards
        if query == "report=summary":  # the form as a table: the number columns' headers right-aligned as well
            aligns = wide.first.evaluate("t => [...t.querySelectorAll('thead th')].map(th => getComputedStyle(th).textAlign)")
            assert aligns.count("right") >= 5 and aligns[0] != "right", aligns
    finally:
        ctx.close()


# a chart's legend and its axes' titles and tick labels, as boxes (left, top, right, bottom)
_LEGEND = """(root) => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const legend = root.querySelector('.main-svg .legend');
    const axes = Array.from(root.querySelectorAll('.main-svg .xtitle, .main-svg .ytitle, .main-svg .xtick text'))
        .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
        .map(e => ({text: e.textContent.trim(), box: box(e)}));
    return {legend: legend ? box(legend.querySelector('.bg') || legend) : null, axes: axes,
            svg: box(root.querySelector('.main-svg'))};
}"""


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", [PHONE, {"width": 1440, "height": 900}], ids=["phone", "desktop"])
def test_trend_legends_clear_of_the_axes(server, browser, size):
    ctx, page = open_in_context(browser, f"{server}/trends?year=2019", size)
    try:
        assert_no_error(page, "trends")
        for key in ("tr_rates", "tr_flows_poor", "tr_flows_near"):
            if key == "tr_flows_poor":  # the page draws one part at a time: the flows next
                page.get_by_role("radio", name=t("tr.section.flows", "vi")).click()  # a segmented control
                wait_idle(page)
            chart = page.locator(f".st-key-{key}")
            chart.locator(".main-svg .legend").first.wait_for(timeout=60_000)
            chart.scroll_into_view_if_needed()
            found = chart.evaluate(_LEGEND)
            legend = found["legend"]
            # the flows' x title has a second line (the first review year's note)
            assert any(a["text"].startswith("Năm rà soát") for a in found["axes"]), (key, found["axes"])
            covered = [a["text"] for a in found["axes"] if _overlaps(legend, a["box"])]
            assert not covered, (key, size["width"], covered)
            assert legend[3] <= found["svg"][3] + 1, (key, legend, found["svg"])  # inside the chart
        shot(page, f"trends-legend-{size['width']}")
    finally:
        ctx.close()
