"""Bench-only memory probe for the server of ``bench/bench_load.py --tracemalloc DIR`` (never shipped).

``bench_load.py`` puts this folder first on the server's ``PYTHONPATH`` and sets ``BENCH_MEMTRACE_DIR``;
Python imports this module at start-up (``site``), before Streamlit, and starts a daemon thread that waits for a trigger file
``DIR/trigger-<label>`` written by the bench after each round. The first trigger starts :mod:`tracemalloc`
(``BENCH_MEMTRACE_FRAMES`` frames; tracing slows the server several times, so round 1, the cold
caches and first imports, runs untraced) and writes ``DIR/started-<label>.txt``. Each later trigger runs a full collection and
writes ``DIR/snap-<label>.pickle`` (a :class:`tracemalloc.Snapshot`) and ``DIR/stats-<label>.json``:
RSS, the traced Python heap, ``sys.getallocatedblocks()``, glibc's ``mallinfo2`` (memory in use and free
inside the C allocator), pyarrow's pool, the number of live objects per type and Streamlit's sessions.
It removes the trigger first. Nothing of the app is changed.
"""
from __future__ import annotations

import os

_DIR = os.environ.get("BENCH_MEMTRACE_DIR")


def _mallinfo2() -> dict[str, int]:
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
            "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    m = libc.mallinfo2()
    return {n: int(getattr(m, n)) for n, _ in MallInfo2._fields_}


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def _sessions() -> dict[str, int] | None:
    import sys

    if "streamlit" not in sys.modules:  # not a Streamlit process: importing it here would be the growth measured
        return None
    try:  # bench-only look inside Streamlit's runtime (not a public API; the app never does this)
        from streamlit import runtime
        mgr = runtime.get_instance()._session_mgr
        return {"all": len(mgr.list_sessions()), "active": len(mgr.list_active_sessions())}
    except Exception as exc:  # noqa: BLE001
        return {"error": repr(exc)}  # type: ignore[dict-item]


def _dump(label: str) -> None:
    import collections
    import gc
    import json
    import pickle
    import sys
    import tracemalloc

    gc.collect()
    snap = tracemalloc.take_snapshot()
    with open(os.path.join(_DIR, f"snap-{label}.pickle.tmp"), "wb") as fh:
        pickle.dump(snap, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(os.path.join(_DIR, f"snap-{label}.pickle.tmp"), os.path.join(_DIR, f"snap-{label}.pickle"))
    counts = collections.Counter(f"{getattr(type(o), '__module__', '?')}.{type(o).__qualname__}"
                                 for o in gc.get_objects())
    stats = {
        "rss_kb": _rss_kb(),
        "traced": tracemalloc.get_traced_memory(),
        "blocks": sys.getallocatedblocks(),
        "gc_objects": sum(counts.values()),
        "modules": len(sys.modules),
        "threads": __import__("threading").active_count(),
        "mallinfo2": _mallinfo2(),
        "sessions": _sessions(),
        "types": dict(counts.most_common(400)),
    }
    if "pyarrow" in sys.modules:
        stats["pyarrow_bytes"] = sys.modules["pyarrow"].total_allocated_bytes()
    # written whole, then renamed: a reader that sees ``stats-<label>.json`` (the sign the snapshot is done) never
    # reads it half-written (under load the test read an empty file and the probe was killed mid-write)
    tmp = os.path.join(_DIR, f"stats-{label}.json.tmp")
    with open(tmp, "w") as fh:
        json.dump(stats, fh)
    os.replace(tmp, os.path.join(_DIR, f"stats-{label}.json"))


def _watch() -> None:
    import time
    import traceback
    import tracemalloc

    while True:
        for name in sorted(os.listdir(_DIR)):
            if name.startswith("trigger-"):
                label = name[len("trigger-"):]
                if not tracemalloc.is_tracing():  # the first trigger starts tracing (round 1 runs at full speed)
                    tracemalloc.start(int(os.environ.get("BENCH_MEMTRACE_FRAMES", "12")))
                    os.remove(os.path.join(_DIR, name))
                    with open(os.path.join(_DIR, f"started-{label}.txt"), "w") as fh:
                        fh.write("tracemalloc started\n")
                    continue
                os.remove(os.path.join(_DIR, name))  # before the files the bench waits for
                try:
                    _dump(label)
                except Exception:  # noqa: BLE001
                    with open(os.path.join(_DIR, f"error-{label}.txt"), "w") as fh:
                        fh.write(traceback.format_exc())
        time.sleep(0.5)


if _DIR:
    import threading

    threading.Thread(target=_watch, name="bench-memtrace", daemon=True).start()
