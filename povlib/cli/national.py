"""The national synthetic dataset from the command line: ``generate --scope vietnam`` (alias ``generate-national``).

``python -m povlib generate --scope vietnam --out DIR [--years 2025 2026] [--provinces 19,01] [--scale f]``
writes ``DIR/year=…/province_code=…/part-NNN.parquet`` (:mod:`povlib.synth.national`) and prints
the row count, the size on disk and the time; then the per-commune summaries the national pages read
(``DIR/_summaries/``, :mod:`povlib.query.summary`). :mod:`povlib.cli.core` routes the scope
:data:`SCOPE` of ``generate`` here (:func:`add_arguments`, :func:`run`); ``generate-national``
is the same command under its first name.

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

import time

from ..errors import PovlibInputError
from ..i18n import fmt_int, fmt_num, t
from ..query import from_parquet, summary
from ..synth.national import generate_national

__all__ = ["SCOPE", "add_arguments", "run", "register"]

#: the ``--scope`` of ``generate`` that writes the national dataset
SCOPE = "vietnam"


def run(args) -> int:
    """Write the national dataset as ``args`` say (``out``, ``years``, ``provinces``, ``scale``)."""
    if not args.out:
        raise PovlibInputError.from_key("cli.err.national_out", scope=SCOPE)
    if getattr(args, "seed", None) is not None:
        raise PovlibInputError.from_key("cli.err.option_scope", option="--seed", scope=SCOPE)
    provinces = [p.strip() for p in args.provinces.split(",") if p.strip()] if args.provinces else None
    res = generate_national(args.out, years=args.years, provinces=provinces, scale=args.scale)
    print(t("cli.national.done", args.lang, rows=fmt_int(res["rows"], args.lang),
            mb=fmt_num(res["bytes"] / 1e6, args.lang, 1), seconds=fmt_num(res["seconds"], args.lang, 1),
            path=args.out))
    # the per-commune sums the national pages read (povlib.query.summary), built now rather than on the first visit
    t0 = time.perf_counter()
    folder = summary.save(summary.ensure(from_parquet(args.out), args.out, write=False).summaries, args.out)
    print(t("cli.national.summaries", args.lang, seconds=fmt_num(time.perf_counter() - t0, args.lang, 1),
            path=str(folder)))
    return 0


def check_not_national(args) -> None:
    """Refuse the national-only options with another scope of ``generate`` (a clear error, not ignored)."""
    for option, value in (("--years", args.years), ("--provinces", args.provinces)):
        if value:
            raise PovlibInputError.from_key("cli.err.option_scope", option=option, scope=args.scope)


def add_arguments(g, lang: str = "vi") -> None:
    """The options of the national dataset (``--years``, ``--provinces``) on the parser ``g``."""
    g.add_argument("--years", type=int, nargs="+", default=None, help=t("cli.help.national.years", lang))
    g.add_argument("--provinces", default=None, help=t("cli.help.national.provinces", lang))


def register(sub, lang: str = "vi") -> None:
    """Add the alias ``generate-national`` to the sub-command parsers ``sub`` (help in ``lang``)."""
    g = sub.add_parser("generate-national", help=t("cli.help.national", lang), description=t("cli.help.national", lang))
    g.add_argument("--out", required=True, help=t("cli.help.national.out", lang))
    add_arguments(g, lang)
    g.add_argument("--scale", type=float, default=1.0, help=t("cli.help.generate.scale", lang))
    g.set_defaults(func=run)
