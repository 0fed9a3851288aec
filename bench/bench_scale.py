"""Benchmark of the query layer (povlib.query, DuckDB) against the pandas implementation, on the national dataset.

Usage::

    python bench/bench_scale.py                                  # Thái Nguyên (19) at scale 1, 2025-2026
    python bench/bench_scale.py --provinces 19,01 --scale 0.5 --data /tmp/vn_bench
    python bench/bench_scale.py --provinces all                  # the whole country (about 54 M rows)

The data are the national synthetic dataset (``python -m povlib generate --scope vietnam``), generated
under ``--data`` when that folder holds no Parquet file yet (the time is printed). Side by side, in one run:

* AF by commune over one review year (``af_for_standard`` by ``commune_code``): DuckDB over the Parquet
  files against ``povlib.measures.af_for_standard`` on the same rows in memory;
* flows between the review years by commune (``flow_table``): DuckDB against
  ``povlib.transitions.flow_table``;
* rates by commune and year (DuckDB only, for reference);
* the peak resident memory of the process (``resource.getrusage``) after the DuckDB steps (the pandas
  frame not yet loaded) and after the pandas steps; the time to load the frame for pandas;
* whether both give the same figures (printed, not asserted), and the machine load.

Each timing is the best of ``--repeat`` runs. No timing is asserted anywhere: this script only prints.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from povlib import measures, transitions  # noqa: E402
from povlib.panel import with_indicators  # noqa: E402
from povlib.query import Filter, af_for_standard, flow_table, from_parquet, rates  # noqa: E402
from povlib.synth.national import generate_national  # noqa: E402

STANDARD = "ND07_2021"


def peak_mb() -> float:
    """Peak resident memory of this process so far (MB; Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def best(fn, repeat: int):
    """(best seconds, last result) of ``repeat`` calls."""
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def equal(a, b, keys) -> bool:
    """Same keys (as text) and every figure exactly equal."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    for c in a.columns:
        if c in keys:
            if a[c].astype(str).tolist() != b[c].astype(str).tolist():
                return False
        elif not np.array_equal(a[c].to_numpy(np.float64), b[c].to_numpy(np.float64)):
            return False
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/tmp/povlib_bench_scale", help="folder of the Parquet dataset")
    ap.add_argument("--provinces", default="19", help="province codes (comma-separated) or 'all'")
    ap.add_argument("--scale", type=float, default=1.0, help="households per commune × scale")
    ap.add_argument("--years", type=int, nargs="+", default=[2025, 2026])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    ap.add_argument("--no-pandas", action="store_true", help="DuckDB only (data too large for memory)")
    args = ap.parse_args(argv)

    data = Path(args.data)
    print(f"# bench_scale: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average at start {load()}")
    if not (data.is_dir() and any(data.rglob("*.parquet"))):
        provinces = None if args.provinces == "all" else args.provinces.split(",")
        res = generate_national(data, years=args.years, provinces=provinces, scale=args.scale)
        print(f"generated {res['rows']:,} rows, {res['bytes'] / 1e6:.1f} MB in {res['seconds']:.1f} s -> {data} "
              f"(peak memory {peak_mb():,.0f} MB: the peaks below include the generation; run again to leave it out)")
    src = from_parquet(data, threads=args.threads)
    years = [int(y) for y in src.sql("SELECT DISTINCT year FROM households ORDER BY year")["year"]]
    counts = src.sql("SELECT year, COUNT(*) AS n, COUNT(DISTINCT commune_code) AS c FROM households GROUP BY year "
                     "ORDER BY year")
    provinces = src.sql("SELECT DISTINCT province_code FROM households ORDER BY province_code")["province_code"]
    n_rows = int(counts["n"].sum())
    print(f"data: {data} (provinces {', '.join(provinces)}), years {years}, rows {n_rows:,} "
          f"({', '.join(f'{int(y)}: {int(n):,} in {int(c)} communes' for y, n, c in counts.to_numpy())})")
    y0 = years[0]
    f_year = Filter(years=(y0,))

    rows = []
    t_rates, _ = best(lambda: rates(src, ["year", "commune_code"]), args.repeat)
    t_af_db, af_db = best(lambda: af_for_standard(src, STANDARD, by="commune_code", where=f_year), args.repeat)
    t_fl_db, fl_db = best(lambda: flow_table(src, "commune_code", check=False), args.repeat)
    peak_db = peak_mb()
    rows.append(("rates by commune and year", t_rates, None))
    if args.no_pandas:
        rows += [(f"AF by commune, {y0}", t_af_db, None), ("flows by commune", t_fl_db, None)]
    else:
        t0 = time.perf_counter()
        frame = src.sql("SELECT * FROM households ORDER BY year, household_id")
        t_load = time.perf_counter() - t0
        one, _ = with_indicators(frame[frame["year"] == y0], STANDARD)
        t_af_pd, af_pd = best(lambda: measures.af_for_standard(one, STANDARD, by="commune_code"), args.repeat)
        t_fl_pd, fl_pd = best(lambda: transitions.flow_table(frame, "commune_code"), args.repeat)
        rows += [(f"AF by commune, {y0}", t_af_db, t_af_pd), ("flows by commune", t_fl_db, t_fl_pd)]
        same_af = equal(af_db, af_pd, ["commune_code"])
        same_fl = equal(fl_db, fl_pd, ["commune_code"])

    print()
    print(f"| step ({n_rows:,} rows) | DuckDB s | pandas s | pandas / DuckDB |")
    print("|---|---:|---:|---:|")
    for name, a, b in rows:
        print(f"| {name} | {a:.2f} | {'' if b is None else f'{b:.2f}'} | {'' if b is None else f'{b / a:.1f}×'} |")
    print()
    print(f"peak memory after the DuckDB steps: {peak_db:,.0f} MB")
    if not args.no_pandas:
        print(f"frame loaded for pandas in {t_load:.1f} s ({frame.memory_usage(deep=True).sum() / 1e6:,.0f} MB); "
              f"peak memory after the pandas steps: {peak_mb():,.0f} MB")
        print(f"same figures: AF {'yes' if same_af else 'NO'}, flows {'yes' if same_fl else 'NO'}")
    print(f"load average at end {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
