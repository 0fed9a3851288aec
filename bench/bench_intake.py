"""Intake at province scale: the Bắc Kạn synthetic panel (≈315 000 household-years).

As one CSV it is ≈57 MB, over the 50 MB upload limit, so it goes in as one file per district
(what a district sends the province), then one commune is re-imported.

Run: ``python bench/bench_intake.py`` (needs ``python -m povlib generate --scope bac-kan``).
Prints the time of each step; nothing is asserted (timings belong here, not in tests).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import povlib  # noqa: E402
from povlib import intake as pio  # noqa: E402
from povlib.intake import Store  # noqa: E402


def main() -> None:
    demo = povlib.load_demo("bac-kan")
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        files = []
        for code, part in demo.groupby("district_code", observed=True):
            p = Path(d) / f"district_{code}.csv"
            pio.export_to_template(part, p, fmt="csv")
            files.append(p)
        t1 = time.perf_counter()
        st = Store(Path(d) / "store")
        read = store_t = 0.0
        ok = True
        for p in files:
            a = time.perf_counter()
            r = pio.read_intake(p, store=st)
            b = time.perf_counter()
            ok &= r.ok
            st.import_intake(r, imported_by="bench")
            read += b - a
            store_t += time.perf_counter() - b
        t2 = t1 + read
        t3 = t2 + store_t
        panel = st.load_panel()
        t4 = time.perf_counter()
        one = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02023")]
        q = Path(d) / "one.csv"
        pio.export_to_template(one, q, fmt="csv")
        t5 = time.perf_counter()
        r1 = pio.read_intake(q, store=st)
        st.import_intake(r1, imported_by="bench")
        t6 = time.perf_counter()
        size = sum(f.stat().st_size for f in files) / 1e6
    print(f"rows {len(demo):,}; {len(files)} CSV files, {size:.1f} MB; ok={ok}; loaded {len(panel):,}")
    print(f"export {t1 - t0:.1f} s | read+check {t2 - t1:.1f} s | store {t3 - t2:.1f} s | "
          f"load+classify {t4 - t3:.1f} s | one-commune re-import {t6 - t5:.1f} s")


if __name__ == "__main__":
    main()
