"""Run a command and print the CPU its processes used, by kind of process (pytest workers, test servers, Chromium…).

Usage::

    python bench/cpu_by_process.py -- bash scripts/test.sh
    python bench/cpu_by_process.py --interval 0.2 -- python3 -m pytest -n 0 tests/e2e/test_browser.py

Every ``interval`` seconds it reads ``/proc/<pid>/stat`` (user + system time, parent) of every process on the
machine, keeps the command's own process and its descendants (other jobs of the machine are not counted) and
remembers, per process, the CPU time it had when first seen and when last seen; the difference is what the
process used while watched, summed by its kind (:func:`kind`, from its command line). A process that lives
less than one interval is missed and one that started between two readings loses what it used before the
first, so the total observed is a little under what the machine was busy: both are printed (the machine's busy
time from ``/proc/stat``), with the command's wall time. Linux only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def kind(cmdline: str) -> str:
    """The kind of a process, from its command line (arguments separated by spaces)."""
    exe = cmdline.split(" ", 1)[0]
    if "chrom" in exe or "headless_shell" in exe or "/proc/self/exe --type=" in cmdline:
        return "Chromium"
    if "streamlit" in cmdline or "serve.py" in cmdline:
        return "Streamlit servers"
    if "playwright" in cmdline or exe.endswith("node"):
        return "Playwright driver (node)"
    if exe.endswith("java") or "spark" in cmdline:
        return "Java (Spark)"
    if "python" in exe and ("import sys;exec" in cmdline or "pytest" in cmdline or "xdist" in cmdline):
        return "pytest (controller and workers)"
    if "python" in exe:
        return "other Python"
    if "nginx" in cmdline:
        return "nginx"
    return "other"


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, CPU ticks: user + system) of a process, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def _cmdline(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None


def _busy_ticks() -> int:
    with open("/proc/stat") as fh:
        f = fh.readline().split()
    return sum(int(x) for x in (f[1], f[2], f[3], f[6], f[7], f[8]))  # user nice system irq softirq steal


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between two readings of /proc")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    a = ap.parse_args(argv)
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("give the command to run after --")
    me = os.getpid()
    seen: dict[int, list] = {}  # pid -> [kind, ticks when first seen, ticks when last seen]
    busy0, start = _busy_ticks(), time.monotonic()
    proc = subprocess.Popen(cmd)
    ours = {proc.pid}  # the command and its descendants, as far as seen
    while True:
        stats = {}
        for d in os.listdir("/proc"):
            if d.isdigit() and int(d) != me and (st := _stat(int(d))) is not None:
                stats[int(d)] = st
        grew = True
        while grew:  # a child is ours when its parent is (parents first, whatever the pid order)
            new = {pid for pid, (ppid, _) in stats.items() if pid not in ours and ppid in ours}
            ours |= new
            grew = bool(new)
        for pid, (_, ticks) in stats.items():
            if pid not in ours:
                continue
            if pid not in seen:
                line = _cmdline(pid)
                if line is None:
                    continue
                seen[pid] = [kind(line), ticks, ticks]
            seen[pid][2] = ticks
        if proc.poll() is not None:
            break
        time.sleep(a.interval)
    wall, busy = time.monotonic() - start, (_busy_ticks() - busy0) / TICK
    by_kind: collections.Counter[str] = collections.Counter()
    for k, first, last in seen.values():
        by_kind[k] += (last - first) / TICK
    print(f"\nCPU seconds by kind of process while `{' '.join(cmd)}` ran ({wall:.0f} s, exit {proc.returncode}):")
    for k, v in by_kind.most_common():
        if v >= 0.05:
            print(f"  {v:8.1f}  {k}")
    print(f"  {sum(by_kind.values()):8.1f}  observed in all; the machine was busy {busy:.1f} s "
          f"on {os.cpu_count()} cores")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
