"""Time the dashboard in a real browser against a bare Streamlit page measured in the same run.

Usage::

    python bench/bench_browser.py                      # every page, 3 repeats, district demo
    python bench/bench_browser.py --repeat 5 --pages overview,map,planning
    python bench/bench_browser.py --markdown bench/results_browser.md

What it measures (one headless Debian chromium, driven by Playwright, offline: every request not
addressed to 127.0.0.1 is aborted)

* **page load**: open the page by its URL in a browser that has loaded the app once (Streamlit's
  JavaScript in its cache), until the page is *settled*;
* **sidebar switch**: from another page, click the page's link in the sidebar menu, until settled;
* **map click**: on the map page, click a commune, until its panel is drawn and settled;
* **what-if**: on the planning page, tick the first what-if measure, until settled.

*Settled* is the moment of the last change to the page's DOM before a quiet spell of ``--quiet``
seconds with no script run in progress (a MutationObserver in the page records the time of every
change; the quiet spell itself is not counted). The **floor** is the same measurement, in the
same browser and the same run, of a bare Streamlit app (``st.navigation`` with two pages holding
a title and a line of text) served by a second ``streamlit run`` on the same machine: what any
Streamlit page costs here. Load and switch are printed as seconds and as ratios to the floor; the
map click and the what-if as seconds.

Targets (issue 10): every page load and sidebar switch within 2x the bare page; a map click and a
what-if answered within 1 s. Medians of ``--repeat`` runs. No test asserts these (no wall-clock
limits in tests); the figures depend on the machine and its load, which is printed.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import (  # noqa: E402  (the repository root on the path first)
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_URLS,
    OFFLINE_ARGS,
    Offline,
    click_latlng,
    launch_chromium,
    listed_pages,
    map_frame,
    pick_unit,
    start_server,
    stop_server,
)

TARGET_RATIO = 2.0
TARGET_INTERACTION_S = 1.0

BARE_APP = '''import streamlit as st

def first():
    st.title("Trang một")
    st.write("Một dòng chữ.")

def second():
    st.title("Trang hai")
    st.write("Một dòng chữ.")

st.navigation([st.Page(first, title="Một", url_path="one"), st.Page(second, title="Hai", url_path="two")]).run()
'''

# records the time of the last DOM change (performance.now(), ms) in window.__lastChange
OBSERVER = """() => {
  window.__lastChange = performance.now();
  if (window.__observer) window.__observer.disconnect();
  window.__observer = new MutationObserver(() => { window.__lastChange = performance.now(); });
  window.__observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""
NOW = "() => performance.timeOrigin + performance.now()"
INIT_OBSERVER = ("document.addEventListener('DOMContentLoaded', () => (" + OBSERVER + ")());")


class browser_context:  # noqa: N801  (used as a context manager, like Offline)
    """The browser the benchmark drives, offline (every request off 127.0.0.1 fails), as ``ctx``.

    ``cache=True`` (the default of the benchmarks): a Chromium profile of its own on disk, with its HTTP
    cache and V8's code cache, as a user's browser has on a second visit; the internet is cut by the
    browser's host resolver (``--host-resolver-rules``), which leaves the caches on. ``cache=False``: a
    fresh context whose every request goes through Playwright's router (what the tests used before
    4 Dec 2026), which turns the HTTP cache off, so every tab fetches and compiles Streamlit's
    JavaScript again (the figures in the README before 3 Dec 2026 17:00 UTC were measured so).
    """

    def __init__(self, pw, cache: bool = True, width: int = 1400, height: int = 1600):
        self._profile = None
        self._browser = None
        self._off = None
        self.failed: list[str] = []
        if cache:
            self._profile = tempfile.mkdtemp(prefix="bench-profile-")
            self.ctx = pw.chromium.launch_persistent_context(
                self._profile, executable_path=str(CHROMIUM), viewport={"width": width, "height": height},
                locale="vi-VN", args=[*CHROMIUM_ARGS, *OFFLINE_ARGS])
            self.ctx.on("requestfailed", lambda r: None if r.url.startswith(LOCAL_URLS) else self.failed.append(
                f"{r.resource_type}: {r.url}"))
        else:
            self._browser = launch_chromium(pw, CHROMIUM)  # the browser a user runs, not the tests' shell
            self._off = Offline(self._browser, width=width, height=height)
            self.ctx = self._off.ctx
            # the old method: every request through Playwright's router, which turns the HTTP cache off
            self.ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL_URLS)
                           else route.abort())

    def blocked_code(self) -> list[str]:
        """Every request off 127.0.0.1 the pages tried (all failed)."""
        return self._off.blocked_code() if self._off is not None else list(self.failed)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.ctx.close()
        if self._browser is not None:
            self._browser.close()
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)


def _running(page) -> bool:
    return page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').count() > 0


def settle(page, start_ms: float | None, quiet: float, timeout: float = 120, ready=None) -> float:
    """Seconds from ``start_ms`` (epoch ms; None: the document's navigation start) to the last DOM
    change before a quiet spell of ``quiet`` s with no script run in progress and a heading drawn.
    Times are epoch ms (``performance.timeOrigin + performance.now()``), so a click that loads a new
    document is measured across it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if _running(page) or page.locator('[data-testid="stMain"] [data-testid="stHeading"]').count() == 0:
            continue
        if ready is not None and not ready():  # the answer to an interaction is not drawn yet
            continue
        now, last, origin = page.evaluate(
            "() => [performance.timeOrigin + performance.now(), performance.timeOrigin + (window.__lastChange || 0),"
            " performance.timeOrigin]")
        if now - last >= quiet * 1000:
            start_ms = origin if start_ms is None else start_ms
            if page.locator('[data-testid="stException"]').count():
                raise RuntimeError(f"an error on screen at {page.url}")
            return max(0.0, (last - start_ms) / 1000)
    raise RuntimeError(f"{page.url} did not settle in {timeout} s")


def time_load(ctx, url: str, quiet: float) -> float:
    """Open ``url`` in a new tab of a warm browser: seconds to settled (from navigation start)."""
    page = ctx.new_page()
    try:
        page.goto(url, wait_until="commit")
        return settle(page, None, quiet)  # from the navigation's start
    finally:
        page.close()


def menu_link(page, link_name: str):
    """The sidebar menu's link whose text is exactly ``link_name`` (None when the menu lacks it)."""
    # the link's text content is its icon's ligature name run into the title ("dashboardTổng quan")
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=re.compile(rf"{re.escape(link_name)}\s*$"))
    return link.first if link.count() else None


def time_switch(page, link_name: str, quiet: float) -> float:
    """Click a sidebar menu link on an open, settled page: seconds to settled."""
    page.evaluate(OBSERVER)
    link = menu_link(page, link_name)
    if link is None:
        raise RuntimeError(f"no menu link {link_name!r} on {page.url}")
    start = page.evaluate(NOW)
    link.click()
    return settle(page, start, quiet)


def time_action(page, act, quiet: float, ready) -> float:
    """Do ``act`` on a settled page: seconds until ``ready()`` holds and the page is settled."""
    page.evaluate(OBSERVER)
    start = page.evaluate(NOW)
    act()
    return settle(page, start, quiet, ready=ready)


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def _titles(lang: str = "vi") -> dict[str, str]:
    from povlib.i18n import t
    from ui.nav import PAGES

    return {url: t(key, lang) for _, url, key, _ in PAGES}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", default="", help="comma-separated url paths (default: every listed page)")
    ap.add_argument("--quiet", type=float, default=0.6, help="quiet spell (s) that ends a measurement")
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    ap.add_argument("--no-cache", action="store_true",
                    help="a fresh context whose every request Playwright routes: no HTTP or code cache, every "
                         "tab fetches and compiles the JavaScript again (how figures before 3 Dec 2026 were taken)")
    ap.add_argument("--national", type=Path, default=None,
                    help="measure the national dataset in this folder (POVLIB_NATIONAL; pages opened with "
                         "?dataset=vietnam; each page's first visit on the fresh server is printed too)")
    args = ap.parse_args(argv)
    q = "?dataset=vietnam" if args.national else ""

    pages = [p for p in listed_pages() if not args.pages or p in args.pages.split(",")]
    titles = _titles()
    tmp = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    (tmp / "bare.py").write_text(BARE_APP, encoding="utf-8")
    app_proc, app_url = start_server(env={"POVLIB_NATIONAL": str(args.national.resolve())} if args.national else None)
    first: dict[str, float] = {}
    bare_proc, bare_url = start_server(["--client.toolbarMode", "minimal"], script=tmp / "bare.py")
    rows: list[tuple[str, float, float]] = []
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            with browser_context(pw, cache=not args.no_cache) as off:
                off.ctx.add_init_script(INIT_OBSERVER)
                # warm the browser cache and the servers' caches: every page once
                time_load(off.ctx, f"{bare_url}/", args.quiet)
                for p in pages:
                    first[p] = time_load(off.ctx, f"{app_url}/{p}{q}", args.quiet)
                    print(f"{p}: first visit {first[p]:.2f} s", file=sys.stderr, flush=True)
                bare_load = _median([time_load(off.ctx, f"{bare_url}/", args.quiet) for _ in range(args.repeat)])
                page = off.ctx.new_page()
                page.goto(f"{bare_url}/")
                settle(page, None, args.quiet)
                bare_sw = []
                for _ in range(args.repeat):
                    bare_sw.append(time_switch(page, "Hai", args.quiet))
                    time_switch(page, "Một", args.quiet)
                bare_switch = _median(bare_sw)
                page.close()
                for p in pages:
                    load = _median([time_load(off.ctx, f"{app_url}/{p}{q}", args.quiet) for _ in range(args.repeat)])
                    tab = off.ctx.new_page()
                    other = "help" if p != "help" else "overview"
                    tab.goto(f"{app_url}/{other}{q}")
                    settle(tab, None, args.quiet)
                    sw = []
                    # a page the demo's menu does not list (the data page needs an account that imports)
                    # is only opened by its URL
                    for _ in range(args.repeat if menu_link(tab, titles[p]) is not None else 0):
                        sw.append(time_switch(tab, titles[p], args.quiet))
                        time_switch(tab, titles[other], args.quiet)
                    tab.close()
                    rows.append((p, load, _median(sw)))
                    print(f"{p}: load {load:.2f} s, switch {_median(sw):.2f} s", file=sys.stderr, flush=True)
                # the map click and the what-if are the demo's (one commune's households)
                interactions = [] if args.national else _interactions(off.ctx, app_url, args.repeat, args.quiet)
                blocked = off.blocked_code()
    finally:
        stop_server(app_proc)
        stop_server(bare_proc)

    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    lines = [f"Dashboard in headless chromium, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; "
             f"Python {platform.python_version()}; load average {load_avg}; medians of {args.repeat}; "
             + ("no cache (every request routed)" if args.no_cache else "the browser's HTTP and code caches on")
             + (f"; national dataset {args.national} (?dataset=vietnam)" if args.national else ""), "",
             f"Floor (bare Streamlit page, same browser, same run): load {bare_load:.2f} s, "
             f"sidebar switch {bare_switch:.2f} s", "",
             "| page | first visit s | load s | × bare | switch s | × bare | target ≤ 2× | ",
             "|---|---|---|---|---|---|---|"]
    met = 0
    for p, load, sw in rows:
        listed = sw == sw  # nan: not in the demo's menu
        ok = load <= TARGET_RATIO * bare_load and (not listed or sw <= TARGET_RATIO * bare_switch)
        met += ok
        switch = f"{sw:.2f} | {sw / bare_switch:.1f}" if listed else "not in the demo's menu | –"
        lines.append(f"| {p} | {first[p]:.2f} | {load:.2f} | {load / bare_load:.1f} | {switch} | "
                     f"{'met' if ok else 'missed'} |")
    lines.append("")
    for name, secs in interactions:
        if name.startswith("map click,"):  # a phase of the click, not a target of its own
            lines.append(f"  - {name[len('map click, '):]}: {secs:.2f} s")
            continue
        lines.append(f"- {name}: {secs:.2f} s (target ≤ {TARGET_INTERACTION_S:.0f} s: "
                     f"{'met' if secs <= TARGET_INTERACTION_S else 'missed'})")
    lines.append(f"- {met} of {len(rows)} pages within {TARGET_RATIO:.0f}× the bare page for load and switch")
    lines.append(f"- requests to the internet aborted: {len(blocked)}")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


def _interactions(ctx, app_url: str, repeat: int, quiet: float) -> list[tuple[str, float]]:
    """Median seconds of a map click (commune panel drawn) and of a what-if change."""
    from povlib import geo
    from povlib.i18n import t

    unit, pt = pick_unit(geo.boundaries("cho-don"))  # the 2019 communes: the map is opened on 2019
    clicks = []
    phases: list[tuple[float, float, float]] = []
    for _ in range(repeat):
        page = ctx.new_page()
        frames: list[tuple[str, float]] = []  # the websocket's messages (direction, time): where a click goes
        page.on("websocket", lambda ws: (ws.on("framesent", lambda _f: frames.append(("out", time.monotonic()))),
                                         ws.on("framereceived", lambda _f: frames.append(("in", time.monotonic())))))
        page.goto(f"{app_url}/map?year=2019")
        settle(page, None, quiet)
        frame = map_frame(page)
        panel = page.locator(".st-key-map_panel")
        frames.clear()
        t0 = time.monotonic()
        shown: list[float] = []

        def ready() -> bool:
            ok = panel.count() > 0 and unit["name"] in panel.inner_text()
            if ok and not shown:
                shown.append(time.monotonic())
            return ok

        clicks.append(time_action(page, lambda: click_latlng(page, frame, pt.y, pt.x), quiet, ready=ready))
        sent = [t for d, t in frames if d == "out"]
        got = [t for d, t in frames if d == "in" and (not shown or t <= shown[0])]
        if sent and got and shown:
            phases.append((sent[0] - t0, got[-1] - sent[0], shown[0] - got[-1]))
        page.close()
    whatifs = []
    page = ctx.new_page()
    page.goto(f"{app_url}/planning")
    settle(page, None, quiet)
    page.get_by_role("tab", name=t("plan.tab.whatif", "vi")).click()
    settle(page, None, quiet)
    box = page.locator('[data-testid="stCheckbox"]').filter(has_text=t("plan.wi.hi", "vi")).first
    panel = page.get_by_role("tabpanel").filter(has=box)

    def changed(before: str):
        return lambda: panel.inner_text() != before

    for _ in range(repeat):
        whatifs.append(time_action(page, lambda: box.click(), quiet, ready=changed(panel.inner_text())))
    page.close()
    out = [(f"map click ({unit['name']})", _median(clicks))]
    if phases:  # where the click's time goes (medians; the total above also waits for the page to settle)
        out += [("map click, from the click to the map's message to the server (streamlit-folium sends its "
                 "value after a 250 ms debounce)", _median([p[0] for p in phases])),
                ("map click, the server's answer (the script run, its messages received)", _median([p[1] for p in phases])),
                ("map click, from the last message to the commune's name in the panel", _median([p[2] for p in phases]))]
    return out + [("what-if (health insurance measure on/off)", _median(whatifs))]


if __name__ == "__main__":
    sys.exit(main())
