"""Compare two snapshots written by ``bench_load.py --tracemalloc DIR`` (bench only).

Usage::

    python bench/memtrace_compare.py DIR r02 r10            # top 20 tracebacks that grew, and object counts
    python bench/memtrace_compare.py DIR r02 r10 --top 40 --key lineno

Prints, for the two labels: RSS, the Python heap traced by tracemalloc, ``sys.getallocatedblocks()``,
glibc's ``mallinfo2`` (``uordblks`` in use, ``fordblks`` free but kept, ``hblkhd`` in mmapped blocks),
pyarrow's pool and Streamlit's sessions; then :meth:`tracemalloc.Snapshot.compare_to` (the allocations
that grew most, tracemalloc's own and this probe's filtered out) and the object types whose count changed most.
"""
from __future__ import annotations

import argparse
import json
import pickle
import tracemalloc
from pathlib import Path


def load(d: Path, label: str) -> tuple[tracemalloc.Snapshot, dict]:
    with open(d / f"snap-{label}.pickle", "rb") as fh:
        snap = pickle.load(fh)  # noqa: S301 - our own file
    snap = snap.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__),
                               tracemalloc.Filter(False, "*/bench/memtrace/*"),
                               tracemalloc.Filter(False, "<frozen importlib._bootstrap*>")])
    return snap, json.loads((d / f"stats-{label}.json").read_text())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--key", default="traceback", choices=["traceback", "lineno", "filename"])
    args = ap.parse_args(argv)
    (sa, a), (sb, b) = load(args.dir, args.a), load(args.dir, args.b)
    mb = 1 / 1e6
    print(f"{'':28} {args.a:>12} {args.b:>12} {'change':>10}")
    rows = [("RSS MB", a["rss_kb"] / 1024, b["rss_kb"] / 1024),
            ("traced Python heap MB", a["traced"][0] * mb, b["traced"][0] * mb),
            ("allocated blocks", a["blocks"], b["blocks"]),
            ("gc objects", a["gc_objects"], b["gc_objects"]),
            ("modules", a["modules"], b["modules"]),
            ("threads", a["threads"], b["threads"]),
            ("glibc in use MB (uordblks)", a["mallinfo2"]["uordblks"] * mb, b["mallinfo2"]["uordblks"] * mb),
            ("glibc free kept MB (fordblks)", a["mallinfo2"]["fordblks"] * mb, b["mallinfo2"]["fordblks"] * mb),
            ("glibc mmapped MB (hblkhd)", a["mallinfo2"]["hblkhd"] * mb, b["mallinfo2"]["hblkhd"] * mb),
            ("glibc arena MB", a["mallinfo2"]["arena"] * mb, b["mallinfo2"]["arena"] * mb),
            ("pyarrow pool MB", a.get("pyarrow_bytes", 0) * mb, b.get("pyarrow_bytes", 0) * mb)]
    for name, x, y in rows:
        print(f"{name:28} {x:12,.1f} {y:12,.1f} {y - x:+10,.1f}")
    print(f"Streamlit sessions: {a['sessions']} -> {b['sessions']}")
    print(f"\ntop {args.top} allocation sites by growth ({args.key}):")
    for st in sb.compare_to(sa, args.key)[:args.top]:
        print(f"{st.size_diff / 1024:+10.1f} KiB {st.count_diff:+8d} blocks (now {st.size / 1024:9.1f} KiB)")
        frames = st.traceback.format(limit=8 if args.key == "traceback" else 1, most_recent_first=True)
        for line in frames:
            print("      " + line)
    ta, tb = a["types"], b["types"]
    diff = sorted(((tb.get(k, 0) - ta.get(k, 0), k) for k in set(ta) | set(tb)), key=lambda x: -abs(x[0]))
    print("\nobject types whose count changed most:")
    for d, k in diff[:args.top]:
        print(f"{d:+8d}  {k}  ({ta.get(k, 0)} -> {tb.get(k, 0)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
