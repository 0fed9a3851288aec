"""The bench-only memory probe of ``bench_load.py --tracemalloc`` (README "Server memory across rounds")."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.load_server import memory_mb, memtrace_dump, memtrace_env, rss_regions
from bench.memtrace_compare import main as compare

ROOT = Path(__file__).resolve().parents[2]


def test_the_probe_starts_tracing_on_the_first_trigger_and_writes_snapshots_that_compare(tmp_path, capsys):
    out = tmp_path / "m"
    out.mkdir()
    env = memtrace_env({k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, out, frames=4)
    # keeps 20 KB every 50 ms from its start: at least 10 arrays between two snapshots (the probe looks every 0,5 s),
    # more than the probe's own first imports (ctypes, ~5 KiB), however fast the machine
    keep = "import time\nheld = []\nfor i in range(6000):\n    held.append(bytearray(20000))\n    time.sleep(0.05)\n"
    proc = subprocess.Popen([sys.executable, "-c", keep], env=env, cwd=tmp_path)
    try:
        assert memtrace_dump(out, "a", timeout=60) is False  # the first trigger only starts tracing
        assert (out / "started-a.txt").exists() and not (out / "stats-a.json").exists()
        assert memtrace_dump(out, "b", timeout=60) and memtrace_dump(out, "c", timeout=60)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert not list(out.glob("trigger-*")) and not list(out.glob("error-*"))
    assert compare([str(out), "b", "c", "--top", "3"]) == 0
    text = capsys.readouterr().out
    assert "glibc free kept MB (fordblks)" in text and "traced Python heap MB" in text
    assert "<string>" in text  # the bytearrays the script kept since b are the top growth


def test_rss_regions_add_up_to_the_resident_size():
    regions = rss_regions(os.getpid())
    assert set(regions) <= {"files", "other named", "glibc main heap", "glibc arenas", "pymalloc arenas",
                            "1 GiB reservations", "thread stacks", "other anonymous"}
    assert abs(sum(regions.values()) - memory_mb(os.getpid())[0]) < 0.1 * memory_mb(os.getpid())[0]


def test_thread_stacks_are_told_apart_and_counted():
    """A live thread's stack is an 8 MiB mapping: ``rss_regions`` names it, ``thread_count`` counts the thread."""
    import threading

    from bench.load_server import thread_count

    started, stop = threading.Event(), threading.Event()

    def deep(n: int = 300) -> None:
        if n:
            return deep(n - 1)  # touch some of the stack
        started.set()
        stop.wait(30)

    th = threading.Thread(target=deep)
    th.start()
    try:
        assert started.wait(30)
        assert str(th.native_id) in os.listdir(f"/proc/{os.getpid()}/task") and thread_count(os.getpid()) >= 2
        assert rss_regions(os.getpid()).get("thread stacks", 0) > 0
    finally:
        stop.set()
        th.join()
