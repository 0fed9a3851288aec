"""Command ``generate-national`` of ``python -m povlib``: the national synthetic dataset as partitioned Parquet.

``python -m povlib generate-national --out DIR [--years 2025 2026] [--provinces 19,01] [--scale f]``
writes ``DIR/year=…/province_code=…/part-NNN.parquet`` (:mod:`povlib.synth.national`) and prints
the row count, the size on disk and the time.

Examples
--------
>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> register(sub, "en")
>>> args = sub.choices["generate-national"].parse_args(["--out", "x", "--provinces", "19,01", "--years", "2025"])
>>> args.provinces, args.years, args.scale
('19,01', [2025], 1.0)
"""
from __future__ import annotations

from ..i18n import fmt_int, fmt_num, t
from ..synth.national import generate_national


def _cmd(args) -> int:
    provinces = [p.strip() for p in args.provinces.split(",") if p.strip()] if args.provinces else None
    res = generate_national(args.out, years=args.years, provinces=provinces, scale=args.scale)
    print(t("cli.national.done", args.lang, rows=fmt_int(res["rows"], args.lang),
            mb=fmt_num(res["bytes"] / 1e6, args.lang, 1), seconds=fmt_num(res["seconds"], args.lang, 1),
            path=args.out))
    return 0


def register(sub, lang: str = "vi") -> None:
    """Add ``generate-national`` to the sub-command parsers ``sub`` (help in ``lang``)."""
    g = sub.add_parser("generate-national", help=t("cli.help.national", lang), description=t("cli.help.national", lang))
    g.add_argument("--out", required=True, help=t("cli.help.national.out", lang))
    g.add_argument("--years", type=int, nargs="+", default=None, help=t("cli.help.national.years", lang))
    g.add_argument("--provinces", default=None, help=t("cli.help.national.provinces", lang))
    g.add_argument("--scale", type=float, default=1.0, help=t("cli.help.generate.scale", lang))
    g.set_defaults(func=_cmd)
