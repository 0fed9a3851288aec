"""Browser-test helpers: the Streamlit server on a free port, Chromium, an offline context, waiting
for a run to finish, screenshots and the map's Leaflet frame."""
from __future__ import annotations

import ast
import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from pathlib import Path

import pytest

from povlib.i18n import t
from ui.routes import url_prefix

ROOT = Path(__file__).resolve().parents[2]
#: Debian's Chromium as a user runs it: the benchmarks (``bench/``) and the screenshots one looks at
CHROMIUM = Path("/usr/bin/chromium")
#: the browser of the tests: Debian's ``chromium-headless-shell`` (the same Chromium release, built as the headless
#: shell that Playwright itself uses for headless runs: same Blink, V8 and Skia, none of the desktop browser's
#: processes), about 40 % less CPU per page than ``chromium --headless`` on the 2-core machine; ``chromium`` where
#: the shell is not installed, or whatever ``POVLIB_TEST_BROWSER`` names (``/usr/bin/chromium`` to run the browser
#: tests on the full browser)
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
TEST_BROWSER = Path(os.environ.get("POVLIB_TEST_BROWSER") or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else CHROMIUM))
if os.environ.get("POVLIB_TEST_BROWSER") and not TEST_BROWSER.exists():  # a named browser that is missing: say so,
    raise RuntimeError(f"POVLIB_TEST_BROWSER={TEST_BROWSER} does not exist")  # do not skip the browser tests
ARTIFACTS = ROOT / "test-artifacts"
FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: the mark a browser test file needs of its own (``tests/conftest.py`` marks every e2e test ``browser`` and puts it
#: in one of the ``browser-<n>`` xdist groups, :func:`tests.conftest.e2e_groups`)
NEEDS_CHROMIUM = pytest.mark.skipif(not TEST_BROWSER.exists(), reason=f"Debian chromium not installed at {TEST_BROWSER} "
                                                                      "(scripts/test.sh installs it)")
ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
#: the browser's own resolver knows only the local server: every other host fails to resolve, and no proxy of
#: the environment (``http_proxy``, a local proxy would resolve the host itself) is used, so nothing leaves
#: the machine, and the HTTP and code caches stay on (Playwright's request routing turns them off);
#: ``--proxy-server=direct://`` because the headless shell reads no ``--no-proxy-server`` (it then used the
#: environment's proxy: ``tests/e2e/test_browser.py::test_the_offline_browser_ignores_a_proxy_of_the_environment``)
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost", "--no-proxy-server",
                "--proxy-server=direct://"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the system picks it: safe with several test workers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: list[str] | None = None, env: dict[str, str] | None = None,
                 timeout: float = 90, script: str | Path = "serve.py",
                 base_path: str = "") -> tuple[subprocess.Popen, str]:
    """``streamlit run <script>`` (default the served dashboard, ``serve.py``: app.py with its /dl route) headless on a free port; returns the process and
    its URL once healthy. With ``base_path`` the server serves under it (``server.baseUrlPath``) and the
    URL ends with it.

    Several test workers start servers at once, and a port found free can be taken by another before this
    server binds it: the server counts as started only when its own log says it listens on the port (a health
    answer alone could come from the other worker's server), and a server that found its port taken is
    started again on another, up to three times. Logs: ``test-artifacts/streamlit-<port>-<pid>.log``.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    deadline = time.monotonic() + timeout
    for _attempt in range(3):
        port = free_port()
        log = ARTIFACTS / f"streamlit-{port}-{os.getpid()}.log"
        with open(log, "w") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none",  # the tests edit no file: no watching (a polling watcher costs CPU)
                 *(["--server.baseUrlPath", base_path] if base_path else []), *(args or [])],
                cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            )
        url = f"http://127.0.0.1:{port}" + url_prefix(base_path)
        while time.monotonic() < deadline:
            exited = proc.poll() is not None
            said = log.read_text(encoding="utf-8", errors="replace")  # after the exit, so it has the last words
            if exited:
                if f"Port {port} is not available" in said or "already in use" in said:
                    break  # another worker's server took the port first: again on another
                raise RuntimeError(f"streamlit exited ({proc.returncode}); see {log}")
            if f"127.0.0.1:{port}" in said:  # this server listens
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok" and proc.poll() is None:
                            return proc, url
                except OSError:
                    pass
            time.sleep(0.3)
        else:
            stop_server(proc)
            raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s; see {log}")
    raise RuntimeError(f"streamlit found its port taken three times; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_chromium(playwright, executable: Path | None = None, **options):
    """Debian's headless Chromium (never ``playwright install``; :data:`TEST_BROWSER` unless ``executable`` names
    another, e.g. :data:`CHROMIUM`), offline: it resolves only 127.0.0.1 and localhost, through no proxy
    (:data:`OFFLINE_ARGS`). ``options`` go to Playwright's ``launch``."""
    return playwright.chromium.launch(executable_path=str(executable or TEST_BROWSER),
                                      args=[*CHROMIUM_ARGS, *OFFLINE_ARGS], **options)


#: what a page may fetch offline: the local server and the browser's own schemes
LOCAL_URLS = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


class Offline:
    """A browser context of the offline browser (:func:`launch_chromium`) that records every request not
    addressed to the local server (each fails: the browser resolves no other host).

    The requests are watched, not routed: Playwright's routing would turn the context's HTTP cache off, so
    that each page of a test fetched and compiled Streamlit's JavaScript again.
    """

    def __init__(self, browser, width: int = 1400, height: int = 1600):
        self.ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        self.blocked: list[tuple[str, str]] = []
        self.ctx.on("request", self._seen)

    def _seen(self, request):
        if not request.url.startswith(LOCAL_URLS):
            self.blocked.append((request.resource_type, request.url))

    def blocked_code(self) -> list[str]:
        """Every request to the internet the page tried (scripts, styles, data, fonts, icons):
        the dashboard must need none of them."""
        return [f"{kind}: {u}" for kind, u in self.blocked]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.ctx.close()


#: counts the messages the page sends to the server and receives from it, on every websocket (a wrapper of
#: ``WebSocket.prototype.send`` that listens on each socket the first time it sends): what :func:`wait_idle`
#: reads to know that an action was answered. Installed in a page by :func:`watch_messages`.
MESSAGES_HOOK = """(() => {
  if (window.__stIdle) return;
  const s = window.__stIdle = {lastSend: 0, lastRecv: 0, since: performance.now(), sockets: new WeakSet()};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!s.sockets.has(this)) {
      s.sockets.add(this);
      this.addEventListener('message', () => { s.lastRecv = performance.now(); });
    }
    s.lastSend = performance.now();
    return send.call(this, data);
  };
})();"""

#: the app is idle: connected, no script run in progress or asked for (the ``data-test-script-state`` Streamlit
#: sets on ``stApp``), no skeleton, every message sent answered and ``quiet`` ms without any message either way
#: and since the wait began (a message left unanswered for 5 s counts as answered: a slow server starts a run
#: well within that); an error on screen ends the wait (``assert_no_error`` reports it)
_IDLE = """(quiet) => {
  if (document.querySelector('[data-testid="stException"]')) return true;
  const app = document.querySelector('[data-testid="stApp"]');
  const s = window.__stIdle;
  if (!app || !s) return false;
  if (!['notRunning', 'compilationError'].includes(app.getAttribute('data-test-script-state'))) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const now = performance.now();
  if (s.lastRecv < s.lastSend) return now - s.lastSend >= 5000;
  return now - Math.max(s.lastRecv, s.lastSend, s.since) >= quiet;
}"""

_WATCHED: weakref.WeakSet[object] = weakref.WeakSet()  # the browser contexts given the hook for their next documents


def watch_messages(page) -> None:
    """Count the page's websocket messages (:data:`MESSAGES_HOOK`) now and in every later document of its
    context, and start the quiet spell of :func:`wait_idle` now. Called by :func:`wait_idle`."""
    ctx = page.context
    if ctx not in _WATCHED:
        ctx.add_init_script(MESSAGES_HOOK)
        _WATCHED.add(ctx)
    page.evaluate("() => { " + MESSAGES_HOOK + " window.__stIdle.since = performance.now(); }")


def wait_idle(page, timeout: float = 90, quiet: float = 0.5) -> None:
    """Wait until the app is drawn and idle: no script run in progress, every message to the server answered,
    and ``quiet`` seconds without a message, counted from the call at the earliest (:data:`_IDLE`): a message an
    action sends a little later (a debounced widget, a component) is still waited for.

    A message sent before the call is seen only if the page was watched then (:func:`watch_messages`, which
    each call leaves in place for the next action and the context's later documents).
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stHeading"], [data-testid="stException"]',
                           timeout=timeout * 1000)
    watch_messages(page)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_IDLE, arg=quiet * 1000, polling=50, timeout=timeout * 1000)
    except PlaywrightTimeout as exc:  # say what was on screen
        shot(page, f"timeout-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
        raise AssertionError(f"the app kept running for more than {timeout} s at {page.url}; on screen: "
                             + page.locator('[data-testid="stMain"]').inner_text()[:600]) from exc


def open_in_context(browser, url: str, size: dict):
    """A new Vietnamese browser context of viewport ``size`` with ``url`` open and the app idle: ``(ctx, page)``."""
    ctx = browser.new_context(viewport=size, locale="vi-VN")
    page = ctx.new_page()
    page.goto(url)
    wait_idle(page)
    return ctx, page


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


def listed_pages() -> list[str]:
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
    """Click the map at a geographic point (robust to concave polygons, unlike a bbox centre).

    The point is computed once the map has settled: no zoom or pan animation (Leaflet fits the layer's bounds
    after the first draw), the point at the same place in the frame on two checks 150 ms apart, and the frame
    at the same place in the page (the page's layout may still move it). The element under the point must be a
    polygon of the layer (not the legend or a control): otherwise the click would not reach a commune and the
    test says so at once instead of waiting for a panel that cannot come.
    """
    iframe = page.locator(FOLIUM_IFRAME).first
    iframe.scroll_into_view_if_needed()
    frame.evaluate("() => { window.__settledAt = undefined; }")  # a click before this one left its point
    frame.wait_for_function(
        """([lat, lng]) => {
            const m = window.map;
            if (!m || m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) return false;
            const p = m.latLngToContainerPoint([lat, lng]);
            const key = p.x.toFixed(1) + ',' + p.y.toFixed(1);
            const same = window.__settledAt === key;
            window.__settledAt = key;
            return same;
        }""",
        arg=[lat, lng], polling=150, timeout=30_000,
    )
    box = iframe.bounding_box()
    assert box is not None, "the map's frame is not displayed"
    for _ in range(50):  # the frame's place in the page, the same on two reads
        time.sleep(0.1)
        again = iframe.bounding_box()
        if again == box:
            break
        box = again
    x, y, hit = frame.evaluate(
        """([lat, lng]) => {
            const p = window.map.latLngToContainerPoint([lat, lng]);
            const r = window.map.getContainer().getBoundingClientRect();
            const x = p.x + r.left, y = p.y + r.top;
            const el = document.elementFromPoint(x, y);
            return [x, y, el ? (el.tagName + '.' + (el.getAttribute('class') || '')) : null];
        }""",
        [lat, lng],
    )
    assert hit and "leaflet-interactive" in hit, f"the point ({lat}, {lng}) of the map is not on a polygon: {hit}"
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.click(box["x"] + x, box["y"] + y)


def pick_unit(layer):
    """A unit far from the legend (bottom right): the northernmost one, and a point inside it."""
    pts = layer.geometry.representative_point()
    i = int(pts.y.to_numpy().argmax())
    return layer.iloc[i], pts.iloc[i]


def add_account(store, username: str, password: str, role: str, *units: str) -> None:
    """A built-in account in ``store`` (fast hasher: the app re-hashes it at the first good sign-in)."""
    from argon2 import PasswordHasher

    from povlib.access import AccountStore, make_scope

    AccountStore(store, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)).add(
        username, password, role, scopes=[make_scope(c, role=role) for c in units])


def sign_in(page, url: str, username: str, password: str, lang: str = "vi") -> None:
    """Sign in through the form of the "Đăng nhập" page. The session lives in this browser tab's
    connection: go on by the menu (``page.get_by_role("link", ...)``), a new ``goto`` starts a new one."""
    page.goto(f"{url}/login?lang={lang}")
    page.get_by_label(t("auth.login.username", lang)).fill(username)
    page.get_by_label(t("auth.login.password", lang), exact=True).fill(password)
    page.get_by_role("button", name=t("auth.login.submit", lang)).click()
    page.get_by_text(t("access.login.ok", lang, name="").rstrip(" .")).first.wait_for(timeout=60_000)
    wait_idle(page)  # the message is drawn before the rest of that run (the sidebar's sign-out button, the menu)


def officer_households(ctx, url: str):
    """A new page of ``ctx`` at ``url`` (the household list) with the demo's role set to the officer's in the
    sidebar, idle and without an error."""
    page = ctx.new_page()
    page.goto(url)
    wait_idle(page)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=t("app.role", "vi"))
    box.locator("input").click()
    page.keyboard.type("Cán bộ")  # the list opens filtered (the select is low in the sidebar)
    page.get_by_role("option", name=t("app.role.officer", "vi")).click()
    wait_idle(page)
    assert_no_error(page, "households (officer)")
    return page


def new_download_link(page) -> str:
    """Press the household list's CSV button: the page shows a link to a one-time token (and no download
    button with names). Returns the link's absolute address, as the browser resolves it."""
    before = set(page.locator('a[href^="dl/"]').evaluate_all("els => els.map(e => e.href)"))
    page.get_by_test_id("stMain").get_by_role("button", name=t("hh.download_csv", "vi"), exact=True).click()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        hrefs = set(page.locator('a[href^="dl/"]').evaluate_all("els => els.map(e => e.href)")) - before
        if hrefs:
            (href,) = hrefs
            return href
        time.sleep(0.3)
    shot(page, "private-download-no-link")
    raise AssertionError("no one-time link after pressing the CSV button")


def download_csv_cells(page, href: str, downloads: list) -> set[str]:
    """Click the page's link whose ``href`` attribute is ``href``, wait (60 s at most) for the download its tab
    starts (``downloads``: the list the context's pages append their downloads to) and return the cells of
    that CSV file. Fails if nothing was downloaded or the file is not a ``.csv``."""
    page.locator(f'a[href="{href}"]').click()
    deadline = time.monotonic() + 60
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert downloads, "the link downloaded nothing"
    assert downloads[0].suggested_filename.endswith(".csv"), downloads[0].suggested_filename
    with open(downloads[0].path(), "rb") as fh:
        text = fh.read().decode("utf-8-sig")
    return {c for row in csv.reader(io.StringIO(text)) for c in row}
