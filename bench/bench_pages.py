"""Time every dashboard page through Streamlit's AppTest, on the district and province demo data.

Usage::

    python bench/bench_pages.py                       # cho-don and bac-kan, every page
    python bench/bench_pages.py --datasets cho-don --pages overview,map --repeat 5
    python bench/bench_pages.py --markdown bench/pages_results.md

The pages are discovered from the app's navigation (``ui/nav.PAGES``, the list
``app.py`` builds ``st.navigation`` from). For each
dataset a fresh subprocess (cold caches) opens the app and, page by page, times

* **first visit**: switching to the page (its caches fill on first use);
* **re-render**: running the page again with nothing changed (median of
  ``--repeat`` runs) – what a user waits for on any interaction once the page
  has loaded;
* **year change**: the shared year filter set to another review year (new
  cache entries), and **year back**: set back to the first year (cached).

Targets (issue 3): every page re-renders in under 1 s on the district data
and under 2 s on the province data after the first load. The times are
AppTest's (the script run and element serialisation, no browser); no test
asserts them. The province panel is generated if missing
(``python -m povlib generate --scope bac-kan``, about 5 s).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DATASETS = ("cho-don", "bac-kan")
TARGET = {"cho-don": 1.0, "bac-kan": 2.0}
YEAR_KEY = "f_year"  # the shared year filter's widget key (ui.filters.K_YEAR)


def discover_pages() -> list[tuple[str, str]]:
    """(file, url path) of each page in the app's menu."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from ui.nav import PAGES

    return [(p, url) for p, url, *_ in PAGES]


def _ensure_panel(dataset: str) -> None:
    if dataset == "bac-kan" and not (ROOT / "data" / "demo" / "bac_kan_panel.parquet").exists():
        print("generating the province demo panel (python -m povlib generate --scope bac-kan)...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "povlib", "generate", "--scope", "bac-kan"], cwd=ROOT, check=True)


def _problems(at) -> list[str]:
    out = [f"exception: {str(e.value)[:200]}" for e in at.exception]
    out += [f"st.error: {str(e.value)[:200]}" for e in at.error]
    return out


_CPU: list[float] = []


def _timed_run(at, timeout: float) -> float:
    """Wall time of one script run; its CPU time (all threads of this process) goes to _CPU."""
    c0, t0 = time.process_time(), time.perf_counter()
    at.run(timeout=timeout)
    _CPU.append(time.process_time() - c0)
    return time.perf_counter() - t0


def _has_year(at) -> bool:
    try:
        at.selectbox(key=YEAR_KEY)
        return True
    except KeyError:
        return False


def run_dataset(dataset: str, pages: list[tuple[str, str]], repeat: int, timeout: float) -> dict:
    """Time the pages of one dataset (run in its own process: cold caches)."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.query_params["dataset"] = dataset
    res: dict = {"dataset": dataset, "pages": []}
    res["app_first_load_s"] = _timed_run(at, timeout)
    res["app_first_load_problems"] = _problems(at)
    try:
        years = list(at.selectbox(key=YEAR_KEY).options)
        year0 = at.selectbox(key=YEAR_KEY).value
    except Exception as exc:  # noqa: BLE001
        res["error"] = f"no year filter ({YEAR_KEY}): {exc}"
        return res
    other = next((y for y in reversed(years) if str(y) != str(year0)), None)
    for path, url in pages:
        row: dict = {"page": url, "file": path, "problems": []}
        try:
            at.switch_page(path)
            row["first_s"] = _timed_run(at, timeout)
            row["problems"] += _problems(at)
            runs, cpus = [], []
            for _ in range(repeat):
                runs.append(_timed_run(at, timeout))
                cpus.append(_CPU[-1])
            row["rerender_s"] = statistics.median(runs)
            row["rerender_max_s"] = max(runs)
            row["rerender_cpu_s"] = statistics.median(cpus)
            row["problems"] += _problems(at)
            row["load_avg"] = os.getloadavg()[0]
            if not _has_year(at):
                row["no_year_filter"] = True
            elif other is not None:
                at.selectbox(key=YEAR_KEY).set_value(int(other) if str(other).isdigit() else other)
                row["year_change_s"] = _timed_run(at, timeout)
                row["problems"] += _problems(at)
                at.selectbox(key=YEAR_KEY).set_value(int(year0) if str(year0).isdigit() else year0)
                row["year_back_s"] = _timed_run(at, timeout)
                row["problems"] += _problems(at)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next page
            row["problems"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
        row["problems"] = sorted(set(row["problems"]))
        res["pages"].append(row)
        print(f"[{dataset}] {url}: " + ", ".join(f"{k}={v:.2f}" for k, v in row.items() if k.endswith("_s") or k == "load_avg"),
              file=sys.stderr)
    res["year_from"], res["year_to"] = year0, other
    return res


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def render(results: list[dict], repeat: int) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    import pandas as pd
    import streamlit

    lines = [f"Dashboard pages through AppTest, {when}; {os.cpu_count()} cores; Python {platform.python_version()}, "
             f"streamlit {streamlit.__version__}, pandas {pd.__version__}", ""]
    lines.append("| dataset | page | first visit s | re-render s (median) | re-render CPU s | year change s "
                 "| year back s | target | status |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for r in results:
        ds = r["dataset"]
        if "error" in r:
            lines.append(f"| {ds} | (all) | | | | | | | failed: {r['error']} |")
            continue
        target = TARGET.get(ds, 2.0)
        for p in r["pages"]:
            rr = p.get("rerender_s")
            slow = [k for k in ("rerender_s", "year_back_s") if p.get(k) is not None and p[k] >= target]
            status = "; ".join(p["problems"]) if p["problems"] else ("ok" if rr is not None else "not run")
            ok = rr is not None and not slow and not p["problems"]
            verdicts.append(ok)
            yc = "no year filter" if p.get("no_year_filter") else _fmt(p.get("year_change_s"))
            yb = "–" if p.get("no_year_filter") else _fmt(p.get("year_back_s"))
            lines.append(f"| {ds} | {p['page']} | {_fmt(p.get('first_s'))} | {_fmt(rr)} | {_fmt(p.get('rerender_cpu_s'))} "
                         f"| {yc} | {yb} | < {target:g} s: {'met' if ok else 'MISSED'} | {status} |")
    lines.append("")
    for r in results:
        if "error" not in r:
            lines.append(f"- {r['dataset']}: app first load (cold caches, overview) {r['app_first_load_s']:.2f} s; "
                         f"year change {r.get('year_from')} → {r.get('year_to')} and back"
                         + (f"; problems at first load: {r['app_first_load_problems']}" if r["app_first_load_problems"] else ""))
    loads = sorted({round(p["load_avg"], 1) for r in results for p in r.get("pages", []) if "load_avg" in p})
    if loads:
        lines.append(f"- 1-minute load average during the runs: {loads[0]}–{loads[-1]} on {os.cpu_count()} cores "
                     "(wall times grow with it; CPU s is the time the script run itself used, all threads).")
    lines.append(f"- re-render: median of {repeat} runs of the page with nothing changed; year change: first time "
                 "with the other year (its caches fill); year back: to the first year (cached). A page 'meets' the "
                 "target when its re-render and cached year change are under it and it shows no error.")
    if verdicts:
        lines.append(f"- {sum(verdicts)} of {len(verdicts)} page × dataset runs meet the target.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--pages", default="", help="comma-separated url paths (default: every page of the menu)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300.0, help="AppTest timeout per run, seconds")
    ap.add_argument("--markdown", help="also write the table to this Markdown file")
    ap.add_argument("--json", help="also write the raw figures to this JSON file")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    pages = discover_pages()
    if a.pages:
        want = [p.strip() for p in a.pages.split(",") if p.strip()]
        pages = [p for p in pages if p[1] in want]
    if a._worker:
        print(json.dumps(run_dataset(a._worker, pages, a.repeat, a.timeout)))
        return 0
    if not pages:
        print("no page found in the app's navigation", file=sys.stderr)
        return 1
    print(f"pages: {', '.join(u for _, u in pages)}", file=sys.stderr)
    results = []
    for ds in [d.strip() for d in a.datasets.split(",") if d.strip()]:
        _ensure_panel(ds)
        cmd = [sys.executable, __file__, "--_worker", ds, "--repeat", str(a.repeat), "--timeout", str(a.timeout)]
        if a.pages:
            cmd += ["--pages", a.pages]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        lines = p.stdout.strip().splitlines()
        if p.returncode != 0 or not lines:
            results.append({"dataset": ds, "error": f"worker exited with {p.returncode}"})
            continue
        results.append(json.loads(lines[-1]))
    text = render(results, a.repeat)
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text + "\n", encoding="utf-8")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
