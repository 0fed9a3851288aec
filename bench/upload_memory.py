"""Server memory of one session that checks a ≈50 MB review file on the data page, then imports it.

Starts ``streamlit run serve.py`` on 127.0.0.1 with a temporary store (``POVLIB_STORE``), drives one
headless Chromium session (Playwright, ``/usr/bin/chromium``) and prints the resident memory of the
server process (``VmRSS`` in ``/proc/<pid>/status``; ``VmHWM`` is the peak) after each step:

* ``idle``      – the data page open, nothing uploaded;
* ``checkedN``  – round N: a file uploaded and checked (the summary shown), the session still open;
* ``abandonN``  – round N: the uploader emptied (the check abandoned);
* ``checked``   – the first file uploaded and checked again;
* ``imported``  – its import done: from then on the sidebar shows the imported data by default, so
  this figure also holds the classified panel the dashboard caches once for every session;
* ``closed``    – the browser closed (the session disconnected).

Each figure is read ``--settle`` seconds after the step, once the server is idle. The files are the
province demo panel in the template layout (CSV), cut to ``--mb`` megabytes, each a little different.

Run: ``python bench/upload_memory.py [--app DIR]`` – ``DIR`` another checkout of the app, to compare.
Nothing is asserted (figures belong here, not in tests).
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import povlib  # noqa: E402
from povlib import intake as pio  # noqa: E402
from povlib.i18n import t  # noqa: E402


def _starts(key: str) -> re.Pattern:
    """The text of a catalog string up to its first placeholder, followed by a number."""
    return re.compile("^" + re.escape(t(key).split("{", 1)[0]) + r"[\d.]+")


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def _review_files(folder: Path, mb: float, n: int) -> list[Path]:
    """``n`` different review files (template CSV of the province demo panel) of about ``mb`` megabytes."""
    demo = povlib.load_demo("bac-kan")
    full = folder / "full.csv"
    pio.export_to_template(demo, full, fmt="csv")
    rows = int(len(demo) * mb * 1e6 / full.stat().st_size)
    full.unlink()
    out = []
    for i in range(n):  # each file leaves out a different household row: another file, the same size
        path = folder / f"ho_gia_dinh_{i + 1}.csv"
        pio.export_to_template(demo.iloc[:rows].drop(demo.index[i]), path, fmt="csv")
        out.append(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--app", default=str(ROOT), help="checkout whose app.py to run (default: this one)")
    ap.add_argument("--mb", type=float, default=48.0, help="size of the review file (MB)")
    ap.add_argument("--settle", type=float, default=8.0, help="seconds to wait before each reading")
    ap.add_argument("--rounds", type=int, default=3, help="check-then-abandon rounds before the import")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = _review_files(tmp, args.mb, args.rounds)
        print(f"{len(files)} files of {files[0].stat().st_size / 1e6:.1f} MB; app {args.app}")
        port = next(p for p in range(8650, 8700) if socket.socket().connect_ex(("127.0.0.1", p)) != 0)
        log = open(tmp / "streamlit.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run",
                                 "serve.py" if (Path(args.app) / "serve.py").exists() else "app.py",
                                 "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false"],
                                cwd=args.app, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "POVLIB_STORE": str(tmp / "store")})
        url = f"http://127.0.0.1:{port}"
        readings: list[tuple[str, int, int, float]] = []

        def read(step: str, t0: float) -> None:
            time.sleep(args.settle)
            readings.append((step, _kb(proc.pid, "VmRSS"), _kb(proc.pid, "VmHWM"), time.perf_counter() - t0))
            print(f"{step:<9} RSS {_mb(readings[-1][1]):>9}   peak {_mb(readings[-1][2]):>9}   "
                  f"(step {readings[-1][3]:.0f} s)", flush=True)

        try:
            for _ in range(240):
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok":
                            break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                pg = b.new_page(viewport={"width": 1400, "height": 1600})
                t0 = time.perf_counter()
                pg.goto(f"{url}/data")
                pg.get_by_text(t("intake.page.upload_household")).wait_for(timeout=120_000)
                read("idle", t0)

                def check(file: Path, step: str) -> None:
                    t0 = time.perf_counter()
                    pg.locator("input[type=file]").first.set_input_files(str(file))
                    pg.get_by_text(_starts("intake.page.summary")).wait_for(timeout=900_000)
                    idle_again()
                    read(step, t0)

                def idle_again() -> None:  # no script run under way (the status widget gone)
                    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                         timeout=900_000)

                for i, file in enumerate(files, start=1):  # check, then abandon (the uploader emptied)
                    check(file, f"checked{i}")
                    t0 = time.perf_counter()
                    pg.get_by_test_id("stFileChipDeleteBtn").first.click()
                    pg.get_by_text(_starts("intake.page.summary")).wait_for(state="detached", timeout=900_000)
                    idle_again()
                    read(f"abandon{i}", t0)
                check(files[0], "checked")
                t0 = time.perf_counter()
                pg.get_by_label(t("intake.page.importer")).fill("Bench")
                pg.keyboard.press("Enter")
                go = t("intake.page.import")
                pg.wait_for_function("(go) => !Array.from(document.querySelectorAll('button')).find("
                                     "b => b.innerText.includes(go)).disabled", arg=go, timeout=120_000)
                pg.get_by_role("button", name=go).click()
                pg.get_by_text(_starts("intake.page.imported")).wait_for(timeout=900_000)
                idle_again()  # (a page that checks the file again against the new version does it now)
                read("imported", t0)
                t0 = time.perf_counter()
                b.close()
            read("closed", t0)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        idle = readings[0][1]
        print("kept by the session (RSS − idle): " + ", ".join(f"{s} {_mb(r - idle)}" for s, r, _, _ in readings[1:]))


if __name__ == "__main__":
    main()
