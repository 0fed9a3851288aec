"""Benchmark of the query layer (povlib.query, DuckDB) on the national dataset, against pandas and mpitb.

Usage::

    python bench/bench_scale.py                                  # Thái Nguyên (19) at scale 1, 2025-2026
    python bench/bench_scale.py --provinces 19,01 --scale 0.5 --data /tmp/vn_bench
    python bench/bench_scale.py --data /work/national --repeat 2 --server   # the whole country, and the server

The data are the national synthetic dataset (``python -m povlib generate --scope vietnam``), generated
under ``--data`` when that folder holds no Parquet file yet (the time is printed). Side by side, in one run:

* AF by commune over one review year (``af_for_standard`` by ``commune_code``) on every commune of the data,
  and on the *pandas part*: the largest provinces whose rows (both years) fit ``--pandas-rows``, the whole
  data when they all fit (the output says which). pandas (``povlib.measures.af_for_standard``) runs on that
  part, loaded with the columns it needs only; DuckDB on the same part from the Parquet files;
* ``mpitb`` 0.2 (``MPIToolbox.est``, as in ``bench_core.py``) on a sample of ``--mpitb-max`` households of that
  year, its time scaled linearly to the year's households (printed as such) and its H, A, M0 compared;
* flows between the review years by commune (``flow_table``), the same way (pandas:
  ``povlib.transitions.flow_table``);
* rates by commune and year, and one page's queries: the national overview (``povlib.views.national``:
  ``facts``, ``overview_figures`` and ``ranking`` of the provinces, as the page asks them);
* the peak resident memory of this process after the DuckDB steps (``resource.getrusage``) and, with
  ``--server``, of a Streamlit server with the national dataset open (``bench/scale_server.py``: VmHWM of
  the server process after a browser opened the national pages);
* whether DuckDB and pandas give the same figures (printed, not asserted), and the machine load.

Each timing is the best of ``--repeat`` runs. No timing is asserted anywhere: this script only prints.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from povlib import measures, standards, transitions  # noqa: E402
from povlib.panel import classify_panel, with_indicators  # noqa: E402
from povlib.query import Filter, af_for_standard, flow_table, from_parquet, rates, reclassify, summary  # noqa: E402
from povlib.query.source import HOUSEHOLD_FILES, DuckDBSource  # noqa: E402
from povlib.synth.national import generate_national  # noqa: E402
from povlib.views import national  # noqa: E402

STANDARD = "ND07_2021"
GROUP = "commune_code"


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


def pandas_part(src, budget: int) -> tuple[list[str], int]:
    """The largest provinces (most rows first) whose rows together fit ``budget``; their row count."""
    sizes = src.sql("SELECT province_code, COUNT(*) AS n FROM households GROUP BY province_code")
    chosen, total = [], 0
    for p, n in sizes.sort_values(["n", "province_code"], ascending=[False, True]).to_numpy():
        if total + int(n) <= budget:
            chosen.append(str(p))
            total += int(n)
    return sorted(chosen), total


def mpitb_af(df: pd.DataFrame, std):
    """``mpitb`` 0.2's AF by commune (bench_core.py's call, for any standard)."""
    from mpitb.core import MPIToolbox

    tb = MPIToolbox()
    dims: dict[str, list[str]] = {}
    for ind in std.indicators:
        dims.setdefault(ind.dimension, []).append(ind.id)
    tb.set(name="std", dimensions=[(v, k) for k, v in dims.items()], replace=True)
    return tb.est(df, "std", klist=[100 * std.deprivation_cutoff / len(std.indicator_ids)], over=[GROUP],
                  measures=["M0", "H", "A"], indmeasures=["hdk", "actb", "pctb"], aux=["hd"])


def mpitb_diff(recs, ours: pd.DataFrame) -> float:
    """Largest |H, A, M0 difference| by commune between mpitb and povlib."""
    r = pd.DataFrame(recs)
    r = r[(r["loa"] == GROUP) & r["measure"].isin(["H", "A", "M0"]) & r.get("indicator", pd.Series(dtype=object)).isna()]
    o = ours.set_index(GROUP)
    return max((abs(float(x["b"]) - float(o.loc[x["subg"], x["measure"]])) for _, x in r.iterrows()), default=0.0)


def run_mpitb(one: pd.DataFrame, n_year: int, m: int) -> str:
    """mpitb on ``m`` households of ``one`` (a year), scaled to ``n_year``: one line of text."""
    try:
        from importlib.metadata import version

        import mpitb  # noqa: F401
        ver = version("mpitb")
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        return f"mpitb not available ({type(exc).__name__}: {exc}); pip install -r bench/requirements.txt"
    std = standards.get(STANDARD)
    sample = one.sample(n=min(m, len(one)), random_state=0)
    sample = sample.assign(**{GROUP: sample[GROUP].astype(str)})
    t0 = time.perf_counter()
    try:
        recs = mpitb_af(sample[[GROUP, *std.indicator_ids]].reset_index(drop=True), std)
    except Exception as exc:  # noqa: BLE001
        return f"mpitb {ver} failed: {type(exc).__name__}: {exc}"
    s = time.perf_counter() - t0
    ours = measures.af_for_standard(sample, STANDARD, by=GROUP)
    return (f"mpitb {ver} `MPIToolbox.est` by commune on a sample of {len(sample):,} households: {s:.1f} s, scaled "
            f"linearly to the {n_year:,} households of the year: {s * n_year / len(sample):.0f} s; largest "
            f"|H, A, M0 difference| vs povlib on the sample: {mpitb_diff(recs, ours):.1e}")


def overview_queries(src, years: list[int]):
    """The national overview page's queries (the country, the last year): facts, headline figures, ranking."""
    y = years[-1]
    national.facts(src)
    national.overview_figures(src, y, years=years)
    return national.ranking(src, y, "province")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/tmp/povlib_bench_scale", help="folder of the Parquet dataset")
    ap.add_argument("--provinces", default="19", help="(generation) province codes, comma-separated, or 'all'")
    ap.add_argument("--scale", type=float, default=1.0, help="(generation) households per commune × scale")
    ap.add_argument("--years", type=int, nargs="+", default=[2025, 2026], help="(generation) review years")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    ap.add_argument("--pandas-rows", type=int, default=12_000_000,
                    help="rows (both years) loaded for pandas at most: the largest provinces that fit")
    ap.add_argument("--no-pandas", action="store_true", help="DuckDB only")
    ap.add_argument("--mpitb-max", type=int, default=200_000, help="households given to mpitb (a sample)")
    ap.add_argument("--server", action="store_true", help="also measure a Streamlit server's peak memory")
    ap.add_argument("--whatif", default="ND351_2025",
                    help="a what-if standard to re-classify every household under ('none': skip those steps)")
    args = ap.parse_args(argv)

    data = Path(args.data)
    print(f"# bench_scale: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average at start {load()}")
    if not (data.is_dir() and next(data.glob(HOUSEHOLD_FILES), None) is not None):
        provinces = None if args.provinces == "all" else args.provinces.split(",")
        res = generate_national(data, years=args.years, provinces=provinces, scale=args.scale)
        print(f"generated {res['rows']:,} rows, {res['bytes'] / 1e6:.1f} MB in {res['seconds']:.1f} s -> {data} "
              f"(peak memory {peak_mb():,.0f} MB: the peaks below include the generation; run again to leave it out)")
    src = from_parquet(data, threads=args.threads)
    counts = src.sql("SELECT year, COUNT(*) AS n, COUNT(DISTINCT commune_code) AS c, "
                     "COUNT(DISTINCT province_code) AS p FROM households GROUP BY year ORDER BY year")
    years = [int(y) for y in counts["year"]]
    n_rows = int(counts["n"].sum())
    size = sum(f.stat().st_size for f in data.glob(HOUSEHOLD_FILES))
    print(f"data: {data}, {size / 1e6:,.0f} MB, rows {n_rows:,} ("
          f"{', '.join(f'{y}: {n:,} households in {c:,} communes of {p} provinces' for y, n, c, p in counts.to_numpy())})")
    y0 = years[0]
    n_y0 = int(counts["n"].iloc[0])
    rows: list[tuple[str, float, float | None]] = []
    t, _ = best(lambda: rates(src, ["year", GROUP]), args.repeat)
    rows.append((f"rates by commune and year, {n_rows:,} rows", t, None))
    t, _ = best(lambda: af_for_standard(src, STANDARD, by=GROUP, where=Filter(years=(y0,))), args.repeat)
    rows.append((f"AF by commune, {y0}, {n_y0:,} households (every commune)", t, None))
    t, _ = best(lambda: flow_table(src, GROUP, check=False), args.repeat)
    rows.append((f"flows by commune {years[0]}→{years[-1]}, {n_rows:,} rows", t, None))
    t, _ = best(lambda: overview_queries(src, years), args.repeat)
    rows.append(("national overview page's queries (facts, headline figures and flows, ranking of provinces)", t, None))
    # the same page's figures from the commune summaries saved beside the data (povlib.query.summary; built
    # once first when missing: that build is timed apart), as the dashboard computes them
    t0 = time.perf_counter()
    built = not summary.is_current(data)
    summ_src = summary.ensure(src, data)
    if built:
        rows.append(("building the commune summaries (once per change of the data; saved)", time.perf_counter() - t0,
                     None))
    t, _ = best(lambda: overview_queries(DuckDBSource(src.con, summaries=summary.load(data)), years), args.repeat)
    rows.append(("the same overview from the saved commune summaries (loading them included)", t, None))
    same = overview_queries(summ_src, years).equals(overview_queries(src, years))
    notes = [f"overview ranking from the summaries equal to the engine's: {'yes' if same else 'NO'}"]
    if args.whatif != "none":  # every household re-classified by the engine (povlib.query.reclassify)
        w = args.whatif
        t, _ = best(lambda: reclassify.check(src, w), args.repeat)
        rows.append((f"what-if {w}: checking the inputs its rules read, {n_rows:,} rows", t, None))
        w_src = reclassify.reclassified(src, w, checked=False)
        t, _ = best(lambda: overview_queries(w_src, years), args.repeat)
        rows.append((f"what-if {w}: the overview's queries by the engine on the re-classified view", t, None))
        t0 = time.perf_counter()
        built = not summary.is_current(data, w)
        w_summ = summary.ensure(w_src, data)
        if built:
            rows.append((f"what-if {w}: building its commune summaries (once per standard and change; saved)",
                         time.perf_counter() - t0, None))
        t, _ = best(lambda: overview_queries(dataclasses.replace(w_src, summaries=summary.load(data, w)), years),
                    args.repeat)
        rows.append((f"what-if {w}: the same overview from its saved summaries (loading them included)", t, None))
        same_w = overview_queries(w_summ, years).equals(overview_queries(w_src, years))
        notes.append(f"what-if {w}: overview ranking from its summaries equal to the engine's: "
                     f"{'yes' if same_w else 'NO'}")
    peak_db = peak_mb()

    if not args.no_pandas:
        part, part_rows = pandas_part(src, args.pandas_rows)
        whole = part_rows == n_rows
        where = Filter(provinces=tuple(part))
        what = "the whole data" if whole else f"{len(part)} provinces ({', '.join(part)})"
        ind = standards.get(STANDARD).indicator_ids
        t0 = time.perf_counter()
        extra = "area, members, income, b1_score, b2_score, " if args.whatif != "none" else ""
        frame = src.sql(f"SELECT household_id, year, standard, status, {extra}{GROUP}, {', '.join(ind)} "
                        f"FROM households {where.where()} ORDER BY year, household_id")
        t_load = time.perf_counter() - t0
        one, _ = with_indicators(frame[frame["year"] == y0], STANDARD)
        n_part = len(one)
        t_db, af_db = best(lambda: af_for_standard(src, STANDARD, by=GROUP, where=Filter(years=(y0,), provinces=tuple(part))), args.repeat)
        t_pd, af_pd = best(lambda: measures.af_for_standard(one, STANDARD, by=GROUP), args.repeat)
        rows.append((f"AF by commune, {y0}, pandas part: {what}, {n_part:,} households", t_db, t_pd))
        t_db, fl_db = best(lambda: flow_table(src, GROUP, where=where, check=False), args.repeat)
        t_pd, fl_pd = best(lambda: transitions.flow_table(frame, GROUP), args.repeat)
        rows.append((f"flows by commune, pandas part: {what}, {part_rows:,} rows", t_db, t_pd))
        if args.whatif != "none":  # the same re-classification: the engine's view counted vs classify_panel
            w = args.whatif
            t_db, r_db = best(lambda: rates(reclassify.reclassified(src, w, checked=False), ["year", GROUP],
                                            where=where), args.repeat)
            t_pd, r_pd = best(lambda: measures.rates(classify_panel(frame, w), by=["year", GROUP]), args.repeat)
            rows.append((f"what-if {w}: re-classified rates by commune, pandas part: {what}, {part_rows:,} rows",
                         t_db, t_pd))
            notes.append(f"what-if {w} rates, same figures as pandas: "
                         f"{'yes' if equal(r_db, r_pd, ['year', GROUP]) else 'NO'}")
        notes.append(f"pandas part ({what}) loaded with {frame.shape[1]} columns in {t_load:.1f} s "
                     f"({frame.memory_usage(deep=True).sum() / 1e6:,.0f} MB as a frame); peak memory after the "
                     f"pandas steps {peak_mb():,.0f} MB; same figures as DuckDB: AF "
                     f"{'yes' if equal(af_db, af_pd, [GROUP]) else 'NO'}, flows {'yes' if equal(fl_db, fl_pd, [GROUP]) else 'NO'}")
        notes.append(run_mpitb(one, n_y0, args.mpitb_max))
        del frame, one

    print()
    print("| step | DuckDB s | pandas s | pandas / DuckDB |")
    print("|---|---:|---:|---:|")
    for name, a, b in rows:
        print(f"| {name} | {a:.2f} | {'' if b is None else f'{b:.2f}'} | {'' if b is None else f'{b / a:.1f}×'} |")
    print()
    print(f"peak memory of this process after the DuckDB steps: {peak_db:,.0f} MB")
    for n in notes:
        print(n)
    if args.server:
        from scale_server import server_memory  # noqa: E402 - bench/ is on sys.path when run as a script
        print(server_memory(data))
    print(f"load average at end {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
