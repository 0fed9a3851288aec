"""Load the dashboard with N concurrent headless browser sessions and print what the server spends.

Usage::

    python bench/bench_load.py                          # 10 users x 3 rounds, district demo
    python bench/bench_load.py --sessions 20 --rounds 5 --pages overview,map,households
    python bench/bench_load.py --new-browsers           # every session a first-time visitor
    python bench/bench_load.py --markdown bench/results_load.md --py-spy /tmp/server.txt

What it does

* starts ``streamlit run serve.py`` (the served dashboard) on 127.0.0.1 at a free port with the shipped
  ``.streamlit/config.toml`` (arguments after ``--`` go to ``streamlit run``) and the
  deployment's allocator settings (glibc's ``MALLOC_ARENA_MAX=2`` and pyarrow's system pool,
  ``bench/load_server.py`` ``MALLOC_ENV``, as in ``deploy/systemd/giamngheo.service``;
  ``--glibc-defaults`` runs it without them, ``--arrow-pool`` with another pyarrow pool, ``--malloc
  jemalloc`` with jemalloc preloaded instead of glibc's malloc, to compare);
* opens one headless Chromium (``/usr/bin/chromium`` with ``--no-sandbox
  --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync``; Playwright drives it, never ``playwright install``) and, in
  each round, N sessions at once. A session is a new browser tab: it opens the
  first page by its URL and reaches the others through the sidebar menu (one
  Streamlit session, three page views, as a user clicks). A page view counts when
  its title is drawn, no script run is in progress and no error is on screen (the
  map also needs its polygons drawn). By default each of the N users keeps its
  browser (context) from round to round, as people coming back do: round 1 loads
  Streamlit's JavaScript into each browser, later rounds find it in the browser's
  cache. ``--new-browsers`` gives every session of every round a new, empty browser;
* every request not addressed to 127.0.0.1 is aborted: the browser sends it to a
  proxy on a port nothing listens on (this keeps the HTTP cache, which Playwright's
  request routing would turn off), and with ``--new-browsers`` Playwright's routing
  aborts it as well. The count of such requests is printed (the app makes none);
* after each round it prints pages per second (page views / wall time of the
  round), the **server CPU per page view** (``utime + stime`` of the server
  process, from ``/proc/<pid>/stat``, over the round, divided by the page views)
  and the **server RSS** after the round (``VmRSS`` of ``/proc/<pid>/status``,
  read once the round's tabs have closed and ``--settle`` seconds have passed),
  with the targets beside them: under 0.3 s of server CPU per page view, and no
  growth of server memory from one round to the next once the caches are full.
  Round 1 starts with cold caches: every session asks for the same first views at
  once. Streamlit keeps a closed session for ``server.disconnectedSessionTTL``
  (120 s) in case its browser comes back, so the RSS right after a round includes
  the sessions of the last round or two; after round 1 and after the last round
  the script therefore also waits ``--drain`` seconds, runs one more session (at
  whose end Streamlit drops the expired ones) and reads RSS again: the growth
  between these two readings is the figure to compare with "no growth".

It is bounded: at most 50 sessions and 20 rounds, each page view waits at most
``--page-timeout`` seconds, and no round starts after ``--max-seconds``. The
machine may be shared: the 1-minute load average is printed beside each round,
and the browsers run on the same machine as the server (their CPU is not counted).
Nothing here is a test; no figure is asserted.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_server import (  # noqa: E402  (after the path set-up: the bench runs as a script)
    ALLOCATOR_PREFIXES,
    JEMALLOC,
    MALLOC_ENV,
    active_sessions,
    cache_bytes,
    cpu_seconds,
    free_port,
    jemalloc_env,
    load_average,
    memory_mb,
    memtrace_dump,
    memtrace_env,
    rss_regions,
    server_env,
    start_server,
    stop_server,
    thread_count,
)
from povlib.i18n import t  # noqa: E402
from ui.nav import PAGES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
MAX_SESSIONS, MAX_ROUNDS = 50, 20
TARGET_CPU_PER_VIEW = 0.3  # seconds of server CPU per page view
HEADING = '[data-testid="stMainBlockContainer"] [data-testid="stHeading"]'
ERRORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')
FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


# --- one browser session ---------------------------------------------------------------------------
@dataclass
class SessionResult:
    views: int = 0
    failures: list[str] = field(default_factory=list)
    outside: int = 0


async def _wait_view(page, title: str, is_map: bool, timeout: float) -> None:
    """Until the page titled ``title`` is drawn and idle; raises on an error element or a timeout."""
    deadline = time.monotonic() + timeout
    await page.locator(HEADING).filter(has_text=title).first.wait_for(timeout=timeout * 1000)
    quiet = 0
    while quiet < 4:  # ~1 s with no script run, no skeleton
        for sel in ERRORS:
            loc = page.locator(sel)
            if await loc.count():
                raise AssertionError((await loc.first.inner_text())[:300])
        busy = (await page.locator('[data-testid="stStatusWidget"]').count()
                or await page.locator('[data-testid="stSkeleton"]').count())
        quiet = 0 if busy else quiet + 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"still running after {timeout:.0f} s")
        await asyncio.sleep(0.25)
    if is_map:
        left = max(1.0, deadline - time.monotonic())
        await page.frame_locator(FOLIUM_IFRAME).first.locator("path.leaflet-interactive").first.wait_for(
            timeout=left * 1000)


async def new_context(browser, blocked: list[int], *, route: bool):
    """A browser context (its own cookies and HTTP cache).

    Requests not addressed to 127.0.0.1 fail in any case: the browser sends them to a proxy
    that does not exist (see :func:`run_rounds`). With ``route`` Playwright also aborts them
    itself; routing turns the context's HTTP cache off, so it is used only for new browsers.
    """
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")

    async def abort_outside(r):
        if r.request.url.startswith(LOCAL):
            await r.continue_()
        else:
            blocked[0] += 1
            await r.abort()

    if route:
        await ctx.route("**/*", abort_outside)
    return ctx


async def run_session(ctx, url: str, pages: list[str], query: str, timeout: float) -> SessionResult:
    """One Streamlit session (a new tab): the first page by URL, the others through the sidebar menu."""
    res = SessionResult()
    try:
        page = await ctx.new_page()
    except Exception as exc:  # noqa: BLE001 - the browser went away: every view of the session fails
        res.failures += [f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}" for name in pages]
        return res
    page.on("requestfailed", lambda req: None if req.url.startswith(LOCAL) else setattr(res, "outside", res.outside + 1))
    try:
        for i, name in enumerate(pages):
            title = t(f"app.page.{name}", "vi")
            try:
                if i == 0:
                    await page.goto(f"{url}/{name}{query}", timeout=timeout * 1000)
                else:
                    await page.locator(f'[data-testid="stSidebarNav"] a[href*="/{name}"]').first.click(
                        timeout=timeout * 1000)
                await _wait_view(page, title, name == "map", timeout)
                res.views += 1
            except Exception as exc:  # noqa: BLE001 - a failed view is counted and reported, the round goes on
                res.failures.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        with contextlib.suppress(Exception):
            await page.close()  # the websocket closes: the server's session ends
    return res


# --- rounds ----------------------------------------------------------------------------------------
@dataclass
class Round:
    n: int
    sessions: int
    views: int
    failed: int
    wall: float
    cpu: float
    rss_mb: float
    hwm_mb: float
    idle_cpu: float
    load: float
    live_sessions: int | None
    failures: list[str]

    @property
    def pages_per_s(self) -> float:
        return self.views / self.wall if self.wall else 0.0

    @property
    def cpu_per_view(self) -> float:
        return self.cpu / self.views if self.views else float("nan")


class Browser:
    """The Chromium of the run and the N users' contexts; relaunched if it goes away mid-run."""

    def __init__(self, playwright, args: argparse.Namespace):
        self.pw, self.args, self.blocked = playwright, args, [0]
        self.browser = None
        self.users: list = []

    async def start(self) -> None:
        # every request not to 127.0.0.1 goes to a proxy on a port nothing listens on, and fails;
        # the HTTP cache stays on (Playwright's routing would turn it off)
        self.browser = await self.pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
            proxy={"server": f"http://127.0.0.1:{free_port()}", "bypass": "127.0.0.1"})
        self.users = [] if self.args.new_browsers else [
            await new_context(self.browser, self.blocked, route=False) for _ in range(self.args.sessions)]

    async def contexts(self) -> list:
        if not self.browser.is_connected():
            print("  the browser went away; starting a new one (its users' caches are empty again)", flush=True)
            await self.start()
        return self.users or [await new_context(self.browser, self.blocked, route=True)
                              for _ in range(self.args.sessions)]

    async def done_with(self, ctxs: list) -> None:
        if not self.users:
            for c in ctxs:
                with contextlib.suppress(Exception):
                    await c.close()

    async def close(self) -> None:
        for c in self.users:
            with contextlib.suppress(Exception):
                await c.close()
        with contextlib.suppress(Exception):
            await self.browser.close()


async def released_rss(b: Browser, url: str, pid: int, pages: list[str], query: str, args) -> float:
    """Server RSS once the sessions closed by the last round are released.

    Streamlit keeps a closed session for ``server.disconnectedSessionTTL`` seconds (120 by
    default) in case its browser reconnects, and drops the expired ones at the next
    disconnect: wait that long, run one short session (one page), and read RSS.
    """
    await asyncio.sleep(args.drain)
    ctx = await new_context(b.browser, b.blocked, route=False) if b.browser.is_connected() else None
    if ctx is not None:
        await run_session(ctx, url, pages[:1], query, args.page_timeout)
        await ctx.close()
    await asyncio.sleep(args.settle)
    return memory_mb(pid)[0]


async def run_rounds(args, url: str, pid: int) -> tuple[list[Round], list[tuple[int, float]]]:
    """``args.rounds`` rounds of ``args.sessions`` concurrent sessions; one :class:`Round` per round,
    and (round, RSS MB) once the closed sessions were released (after round 1 and the last round)."""
    from playwright.async_api import async_playwright

    query = f"?dataset={args.dataset}" if args.dataset != "cho-don" else ""
    out: list[Round] = []
    released: list[tuple[int, float]] = []
    t_end = time.monotonic() + args.max_seconds
    async with async_playwright() as p:
        b = Browser(p, args)
        await b.start()
        try:
            for r in range(1, args.rounds + 1):
                if time.monotonic() > t_end:
                    print(f"stopping before round {r}: --max-seconds {args.max_seconds:.0f} reached", flush=True)
                    break
                ctxs = await b.contexts()
                c0, w0 = cpu_seconds(pid), time.perf_counter()
                results = await asyncio.gather(*(run_session(c, url, args.pages, query, args.page_timeout)
                                                 for c in ctxs))
                wall, cpu = time.perf_counter() - w0, cpu_seconds(pid) - c0
                load = load_average()
                await b.done_with(ctxs)
                c1 = cpu_seconds(pid)
                await asyncio.sleep(args.settle)  # the sessions' sockets have closed; let the server clean up
                idle = cpu_seconds(pid) - c1
                rss, hwm = memory_mb(pid)
                caches, regions, threads = cache_bytes(url), rss_regions(pid), thread_count(pid)
                if args.memtrace:
                    await asyncio.to_thread(memtrace_dump, args.memtrace, f"r{r:02d}")
                rnd = Round(r, args.sessions, sum(x.views for x in results), sum(len(x.failures) for x in results),
                            wall, cpu, rss, hwm, idle, load, active_sessions(url),
                            [f for x in results for f in x.failures])
                out.append(rnd)
                print_round(rnd, args)
                print("  Streamlit's caches (/_stcore/metrics, MB): "
                      + ", ".join(f"{k} {v / 1e6:.2f}" for k, v in sorted(caches.items())), flush=True)
                print("  server RSS by mapping (MB): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(regions.items()))
                      + f"; {threads} threads", flush=True)
                b.blocked[0] += sum(x.outside for x in results)
                if args.drain and (r == 1 or r == args.rounds) and args.rounds > 1:
                    released.append((r, await released_rss(b, url, pid, args.pages, query, args)))
                    if args.memtrace:
                        await asyncio.to_thread(memtrace_dump, args.memtrace, f"r{r:02d}-released")
                    print(f"  server RSS {released[-1][1]:.0f} MB once the sessions closed by round {r} were "
                          f"released (after {args.drain:.0f} s and one more session)", flush=True)
        finally:
            await b.close()
    print(f"requests not to 127.0.0.1 (all aborted): {b.blocked[0]}")
    return out, released


def print_round(r: Round, args: argparse.Namespace) -> None:
    cpu_ok = "met" if r.cpu_per_view < TARGET_CPU_PER_VIEW else "NOT met"
    print(f"round {r.n}: {r.views}/{r.sessions * len(args.pages)} page views ok in {r.wall:.1f} s "
          f"= {r.pages_per_s:.2f} pages/s | server CPU {r.cpu:.1f} s = {r.cpu_per_view:.3f} s per page view "
          f"(target < {TARGET_CPU_PER_VIEW} s: {cpu_ok}) | server RSS {r.rss_mb:.0f} MB after the round "
          f"(peak {r.hwm_mb:.0f} MB; closed sessions still kept for reconnection included) | idle CPU in the {args.settle:.0f} s "
          f"after: {r.idle_cpu:.2f} s | sessions still connected: {r.live_sessions} | load average {r.load:.2f}",
          flush=True)
    for f in r.failures[:10]:
        print(f"  failed view: {f}")
    if len(r.failures) > 10:
        print(f"  … and {len(r.failures) - 10} more failed views")


def summary(rounds: list[Round], released: list[tuple[int, float]]) -> list[str]:
    """The closing lines: CPU per view over the warm rounds, the memory trend, the totals."""
    lines = []
    warm = [r for r in rounds[1:] if r.views]
    if warm:
        cpu = sum(r.cpu for r in warm) / max(1, sum(r.views for r in warm))
        lines.append(f"warm rounds (2–{rounds[-1].n}): {cpu:.3f} s of server CPU per page view "
                     f"(target < {TARGET_CPU_PER_VIEW} s: {'met' if cpu < TARGET_CPU_PER_VIEW else 'NOT met'})")
        growth = warm[-1].rss_mb - warm[0].rss_mb
        lines.append(f"server RSS from round 2 to round {warm[-1].n}: {warm[0].rss_mb:.0f} → {warm[-1].rss_mb:.0f} MB "
                     f"({growth:+.0f} MB; round 1 ended at {rounds[0].rss_mb:.0f} MB; closed sessions are kept "
                     f"for reconnection for a while, see below)")
    if len(released) == 2:
        (r0, m0), (r1, m1) = released
        lines.append(f"server RSS once the closed sessions were released: {m0:.0f} MB after round {r0}, {m1:.0f} MB "
                     f"after round {r1} ({m1 - m0:+.0f} MB; target: no growth)")
    allv = sum(r.views for r in rounds)
    lines.append(f"all rounds: {allv} page views, {sum(r.failed for r in rounds)} failed, "
                 f"{sum(r.cpu for r in rounds) / max(1, allv):.3f} s of server CPU per page view")
    return lines


def markdown(rounds: list[Round], header: list[str], tail: list[str]) -> str:
    rows = ["| round | sessions | page views ok | failed | wall s | pages/s | server CPU s | CPU s / view "
            "(target < 0.3) | RSS after MB | peak RSS MB | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rounds:
        rows.append(f"| {r.n} | {r.sessions} | {r.views} | {r.failed} | {r.wall:.1f} | {r.pages_per_s:.2f} | "
                    f"{r.cpu:.1f} | {r.cpu_per_view:.3f} | {r.rss_mb:.0f} | {r.hwm_mb:.0f} | {r.load:.2f} |")
    return "\n".join([*header, "", *rows, "", *(f"* {x}" for x in tail), ""])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Arguments after -- go to `streamlit run` (e.g. -- --server.fileWatcherType none).")
    ap.add_argument("--sessions", "-n", type=int, default=10, help=f"concurrent sessions per round (1–{MAX_SESSIONS})")
    ap.add_argument("--rounds", "-r", type=int, default=3, help=f"rounds (1–{MAX_ROUNDS})")
    ap.add_argument("--pages", default="overview,map,households",
                    help="url paths of the pages each session loads, in order (default: overview,map,households)")
    ap.add_argument("--dataset", default="cho-don", help="dataset key (cho-don or bac-kan)")
    ap.add_argument("--page-timeout", type=float, default=180, help="seconds a page view may take (default 180)")
    ap.add_argument("--max-seconds", type=float, default=1500, help="no round starts after this (default 1500)")
    ap.add_argument("--settle", type=float, default=5, help="seconds after a round before reading memory (default 5)")
    ap.add_argument("--drain", type=float, default=125,
                    help="after round 1 and the last round, wait this long (Streamlit keeps closed sessions "
                         "server.disconnectedSessionTTL = 120 s), run one more session and read RSS again; "
                         "0 = skip (default 125)")
    ap.add_argument("--new-browsers", action="store_true",
                    help="a new browser context (empty HTTP cache) for every session of every round; by default "
                         "each of the N users keeps its browser across rounds and opens a new tab (a new session) "
                         "per round, as people coming back do")
    ap.add_argument("--glibc-defaults", action="store_true",
                    help="run the server with glibc's and pyarrow's default allocators (no MALLOC_* variables, no "
                         "ARROW_DEFAULT_MEMORY_POOL) instead of "
                         f"the deployment's ({' '.join(f'{k}={v}' for k, v in MALLOC_ENV.items())}), to compare")
    ap.add_argument("--app-root", type=Path, default=ROOT,
                    help="directory whose serve.py (or app.py) to serve (another checkout, to compare versions; default this one)")
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    ap.add_argument("--tracemalloc", type=Path, dest="memtrace", metavar="DIR",
                    help="run the server under tracemalloc (bench/memtrace/sitecustomize.py on its PYTHONPATH) and "
                         "write a snapshot and object counts into DIR after each round from round 2 (tracing starts after round 1) and each release; compare "
                         "them with bench/memtrace_compare.py (RSS is read before each dump)")
    ap.add_argument("--arrow-pool", choices=["system", "mimalloc", "jemalloc"],
                    help="pyarrow's memory pool in the server (ARROW_DEFAULT_MEMORY_POOL), to compare; default: the deployment's")
    ap.add_argument("--malloc", choices=["glibc", "jemalloc"], default="glibc",
                    help="the server's C allocator: glibc's (default, the deployment's) or jemalloc preloaded "
                         "(Debian's libjemalloc2), to compare")
    ap.add_argument("--py-spy", type=Path, dest="py_spy",
                    help="record the server with py-spy (collapsed stacks, all threads) into this file")
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    args = ap.parse_args(argv)
    args.extra = extra
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.rounds <= MAX_ROUNDS:
        ap.error(f"--sessions must be 1–{MAX_SESSIONS} and --rounds 1–{MAX_ROUNDS}")
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    known = {url for _, url, *_ in PAGES}
    if unknown := [p for p in args.pages if p not in known]:
        ap.error(f"unknown page(s) {unknown}; the app has {sorted(known)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"bench_load_streamlit_{port}.log"
    env = server_env(glibc_defaults=args.glibc_defaults)
    if args.arrow_pool:
        env["ARROW_DEFAULT_MEMORY_POOL"] = args.arrow_pool
    if args.malloc == "jemalloc":
        if not JEMALLOC.exists():
            print(f"{JEMALLOC} is missing (apt-get install libjemalloc2)", file=sys.stderr)
            return 2
        env = jemalloc_env(env)
    if args.memtrace:
        args.memtrace.mkdir(parents=True, exist_ok=True)
        env = memtrace_env(env, args.memtrace.resolve())
    header = [
        f"bench_load.py – {datetime.now(UTC):%Y-%m-%d %H:%M} UTC – {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"{args.sessions} concurrent sessions x {len(args.pages)} pages ({', '.join(args.pages)}) x {args.rounds} rounds, "
        f"dataset {args.dataset}, {'a new browser per session and round' if args.new_browsers else 'each user keeps its browser across rounds (a new tab = a new session per round)'}; "
        f"app {args.app_root}; server log {log}; load average at start {load_average():.2f}",
        "server allocator: " + (" ".join(f"{k}={v}" for k, v in sorted(env.items())
                                         if k.startswith(ALLOCATOR_PREFIXES) or k == "LD_PRELOAD")
                                or "glibc's and pyarrow's defaults"),
        *([f"server under tracemalloc ({env['BENCH_MEMTRACE_FRAMES']} frames), snapshots in {args.memtrace}"]
          if args.memtrace else []),
    ]
    for line in header:
        print(line, flush=True)
    t0 = time.perf_counter()
    proc = start_server(port, args.extra, log, args.app_root, env=env)
    start_cpu = cpu_seconds(proc.pid)
    rss0, _ = memory_mb(proc.pid)
    print(f"server pid {proc.pid} at http://127.0.0.1:{port} after {time.perf_counter() - t0:.1f} s "
          f"(CPU {start_cpu:.1f} s, RSS {rss0:.0f} MB)", flush=True)
    spy = None
    if args.py_spy:
        spy = subprocess.Popen(["py-spy", "record", "--pid", str(proc.pid), "--format", "raw", "--threads",
                                "--rate", "50", "--output", str(args.py_spy)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rounds, released = asyncio.run(run_rounds(args, f"http://127.0.0.1:{port}", proc.pid))
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            spy.wait(timeout=60)
        stop_server(proc)
    if not rounds:
        return 1
    tail = summary(rounds, released)
    for line in tail:
        print(line)
    if args.markdown:
        args.markdown.write_text(markdown(rounds, header + [f"server start: RSS {rss0:.0f} MB"], tail),
                                 encoding="utf-8")
        print(f"wrote {args.markdown}")
    return 0 if all(r.failed == 0 for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
