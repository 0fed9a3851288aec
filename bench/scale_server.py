"""Peak memory of a Streamlit server with the national dataset open (for ``bench_scale.py --server``).

Starts ``streamlit run serve.py`` with ``POVLIB_NATIONAL`` pointing to the data, opens the national pages
(``?dataset=vietnam``) in headless chromium one after the other, waits until each has settled
(``bench_browser.settle``, then until the server uses no CPU for 3 s), and reads the server process's ``VmHWM`` (peak resident memory) and ``VmRSS``
from ``/proc/<pid>/status``. Usage alone: ``python bench/scale_server.py /work/national [shots/]``.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: the national pages opened, in this order (the country, then the pages that query it)
PAGES = ("overview", "map", "deprivations", "trends")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of ``pid`` in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, val = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(val.split()[0]) // 1024
    return out


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) used by ``pid`` so far."""
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def _idle(pid: int, quiet: float = 3.0, timeout: float = 600) -> None:
    """Wait until the server has used no CPU for ``quiet`` s (its queries and drawing are over)."""
    deadline, last, since = time.monotonic() + timeout, _cpu(pid), time.monotonic()
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu(pid)
        if now - last > 0.02:
            last, since = now, time.monotonic()


def server_memory(data: str | Path, *, timeout: float = 600, shots: str | Path | None = None) -> str:
    """Open the national pages on a fresh server over ``data``: one line of text with the figures
    (``shots``: a folder where each page's screenshot is saved, to see what was drawn)."""
    from bench_browser import INIT_OBSERVER, settle
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = dict(os.environ, POVLIB_NATIONAL=str(Path(data).resolve()))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        idle = _status(proc.pid)
        seconds = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            ctx = browser.new_context(viewport={"width": 1440, "height": 900})
            ctx.add_init_script(INIT_OBSERVER)
            page = ctx.new_page()
            for name in PAGES:
                page.goto(f"{base}/{name}?dataset=vietnam", wait_until="commit")
                t0 = time.monotonic()
                settle(page, None, 1.5, timeout=timeout)
                _idle(proc.pid, timeout=timeout)  # a page can look settled while its queries still run
                seconds[name] = time.monotonic() - t0
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=False)
            browser.close()
        mem = _status(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    pages = ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    return (f"server (streamlit, POVLIB_NATIONAL={data}): VmRSS {idle['VmRSS']:,} MB when started; after the "
            f"national pages ({pages}, first visit each, cold caches) VmRSS {mem['VmRSS']:,} MB, "
            f"peak VmHWM {mem['VmHWM']:,} MB")


if __name__ == "__main__":
    print(server_memory(sys.argv[1] if len(sys.argv) > 1 else ROOT / "data" / "national",
                        shots=sys.argv[2] if len(sys.argv) > 2 else None))
