"""``python -m povlib report``: the review's report tables as .xlsx, CSV or PDF.

Examples
--------
Write every report of 2019 for the district demo::

    python -m povlib report --year 2019 --out bao_cao_2019.xlsx

The posting list of one commune, as CSV, with names in full::

    python -m povlib report --year 2019 --kind posting --commune 02035 --show-names --out niem_yet.csv

The summary forms for printing and signing (A4, the official header and the signature block)::

    python -m povlib report --year 2019 --kind summary --out bao_cao_2019.pdf

Data: ``--input FILE`` (.csv/.xlsx/.parquet household table, classified if
needed); or the synthetic demo panel of ``--scope`` (cho-don, bac-kan); by
default the latest version in :mod:`povlib.intake.store` when it holds data, else the
cho-don demo panel. A CSV file holds one table:
when the report has several, one file per table is written next to ``--out``
(``NAME_summary_poor.csv``, ``NAME_summary_near_poor.csv``, …).
Files are written atomically.

The arguments, as the program reads them:

>>> import argparse
>>> from povlib.cli.report import add_arguments
>>> p = argparse.ArgumentParser(prog="report")
>>> add_arguments(p)
>>> a = p.parse_args(["--year", "2019", "--out", "bao_cao.xlsx"])
>>> a.kind, a.level, a.pct_base, a.show_names
('all', 'commune', 'households', False)
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ..errors import PovlibInputError
from ..export import write_bytes_atomic
from ..i18n import fmt_int, t
from ..intake import store
from ..panel import classify_panel
from ..reports import KINDS, LEVELS, build_report
from ..synth import load_demo
from .core import read_table

__all__ = ["add_arguments", "run", "load_input"]


def add_arguments(p, lang: str = "vi") -> None:
    """Arguments of the ``report`` sub-command (help in ``lang``)."""
    p.add_argument("--year", type=int, required=True, help=t("cli.help.report.year", lang))
    p.add_argument("--out", required=True, help=t("cli.help.report.out", lang))
    p.add_argument("--input", default=None, help=t("cli.help.report.input", lang))
    p.add_argument("--scope", default=None, choices=("cho-don", "bac-kan"), help=t("cli.help.report.scope", lang))
    p.add_argument("--kind", default="all", choices=KINDS, help=t("cli.help.report.kind", lang))
    p.add_argument("--level", default="commune", choices=tuple(LEVELS), help=t("cli.help.report.level", lang))
    p.add_argument("--commune", default=None, type=str.strip, help=t("cli.help.report.commune", lang))
    p.add_argument("--district", default=None, type=str.strip, help=t("cli.help.report.district", lang))
    p.add_argument("--pct-base", default="households", choices=("households", "start"),
                   help=t("cli.help.report.pct_base", lang))
    p.add_argument("--show-names", action="store_true", help=t("cli.help.report.show_names", lang))
    p.add_argument("--include-escaped", action="store_true", help=t("cli.help.report.include_escaped", lang))


def _store_panel() -> tuple[pd.DataFrame | None, str]:
    """The latest stored version, or ``(None, "")`` when the store holds none."""
    rows = store.list_versions()
    if not rows:
        return None, ""
    last = next((r for r in reversed(rows) if r["latest"]), rows[-1])
    df = store.load(last["dataset"], last["version"])
    return (df if len(df) else None), f"store:{last['dataset']}@{last['version']}"


def load_input(args) -> tuple[pd.DataFrame, str, bool]:
    """The panel to report on, a short description of its source, and whether it is synthetic."""
    if args.input:
        df = read_table(args.input)
        source, synthetic = str(args.input), False
    else:
        df, source = (None, "") if args.scope else _store_panel()
        synthetic = False
        if df is None:
            scope = args.scope or "cho-don"
            df = load_demo(scope)
            source, synthetic = f"demo:{scope}", True
    return classify_panel(df, keep_existing=True), source, synthetic


def run(args) -> int:
    """Write the review's report tables (.xlsx, .csv or .pdf, by the extension of ``--out``)."""
    lang = getattr(args, "lang", "vi")
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".pdf"):
        raise PovlibInputError.from_key("report.cli.bad_out", name=out.name)
    panel, source, synthetic = load_input(args)
    bundle = build_report(
        panel, args.year, args.kind, lang=lang, level=args.level, commune=args.commune, district=args.district,
        show_names=args.show_names, synthetic=synthetic, pct_base=args.pct_base,
        include_escaped=args.include_escaped,
    )
    written: list[Path] = []
    if suffix == ".xlsx":
        written.append(write_bytes_atomic(out, bundle.to_xlsx()))
    elif suffix == ".pdf":
        written.append(write_bytes_atomic(out, bundle.to_pdf()))
    elif len(bundle.sheets) == 1:
        written.append(write_bytes_atomic(out, bundle.to_csv()))
    else:
        for name, data in bundle.csv_files().items():
            written.append(write_bytes_atomic(out.with_name(f"{out.stem}_{bundle.keys[name]}{out.suffix}"), data))
    rows = sum(len(df) for df in bundle.sheets.values())
    for w in bundle.warnings:
        print(t("report.cli.warning", lang, msg=w), file=sys.stderr)
    for p in written:
        print(t("report.cli.written", lang, path=p))
    print(t("report.cli.summary", lang, tables=len(bundle.sheets), rows=fmt_int(rows, lang), source=source))
    return 0


def register(sub, lang: str = "vi") -> None:
    """Add ``report`` to the sub-command parsers ``sub`` (help in ``lang``)."""
    sp = sub.add_parser("report", help=t("cli.help.report", lang), description=t("cli.help.report", lang))
    add_arguments(sp, lang)
    sp.set_defaults(func=run)
