"""Commands ``generate``, ``classify`` and ``summary`` of ``python -m povlib``, and :func:`read_table`."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd

from ..classify import classify_households
from ..errors import PovlibInputError, first_rows, unreadable
from ..export import to_csv_bytes, write_bytes_atomic
from ..i18n import fmt_int, fmt_pct, t
from ..measures import rates
from ..panel import classify_panel, with_year_standards
from ..reports.common import check_year
from ..standards import DEFAULT_STANDARD, provisional_note
from ..synth import generate, load_scope, write_panel
from . import national

#: columns read as text from a CSV or workbook: codes, ids and names (a CCCD number keeps its leading zeros)
TEXT_COLUMNS = ("province_code", "district_code", "former_district_code", "commune_code", "household_id",
                "id_number", "head_name", "village", "commune_name", "district_name", "province_name")
#: the kinds of file the commands write their table to
OUTPUT_TYPES = (".parquet", ".csv")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a household table from CSV, XLSX or Parquet (codes, ids and names kept as text).

    The rows of a CSV or a workbook are labelled with their line in the file (the header is line 1, the first
    household line 2), so that a message naming rows names the lines the user sees. A ``year`` column must
    hold a review year on every row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "h.csv"
    >>> _ = f.write_text("household_id,id_number,year\\nH1,006057829261,2019\\nH2,001,\\n", encoding="utf-8")
    >>> read_table(f)
    Traceback (most recent call last):
    ...
    povlib.errors.PovlibInputError: Tệp h.csv: cột 'year' phải ghi năm rà soát (một số nguyên, ví dụ 2019) (cột 'year', các dòng đầu tiên: 3)
    >>> _ = f.write_text("household_id,id_number,year\\nH1,006057829261,2019\\n", encoding="utf-8")
    >>> df = read_table(f)
    >>> df.loc[2, "id_number"], int(df.loc[2, "year"])
    ('006057829261', 2019)
    """
    p = Path(path)
    if not p.exists():
        raise PovlibInputError.from_key("cli.err.file_not_found", path=p)
    suffix = p.suffix.lower()
    if suffix not in (".parquet", ".xlsx", ".xlsm", ".csv") or not p.is_file():
        raise PovlibInputError.from_key("cli.err.file_type", name=p.name)
    text = {c: str for c in TEXT_COLUMNS}
    try:
        if suffix == ".parquet":
            df = pd.read_parquet(p)
        elif suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, dtype=text, engine="openpyxl")
        else:
            df = pd.read_csv(p, dtype=text, encoding="utf-8-sig")
    except Exception as exc:  # noqa: BLE001 - a damaged or empty file gets a message, not a traceback
        raise unreadable(p.name, suffix.lstrip("."), exc) from exc
    if suffix != ".parquet":
        df.index = pd.RangeIndex(2, len(df) + 2)  # the file's lines
    if "year" in df.columns:
        df["year"] = _review_years(df["year"], p.name)
        if "household_id" in df.columns:  # a household twice in one year would be counted twice
            twice = df.duplicated(["household_id", "year"], keep=False).to_numpy() & df["household_id"].notna().to_numpy()
            if twice.any():
                rows = first_rows(twice, df.index)
                raise PovlibInputError(*(t("classify.err.at_rows", lang, msg=t("cli.err.duplicate_ids", lang, name=p.name),
                                           column="household_id", rows=", ".join(map(str, rows)))
                                         for lang in ("vi", "en")), column="household_id", rows=rows)
    return df


def _review_years(col: pd.Series, name: str) -> pd.Series:
    """``col`` as integer years; a blank or non-integer cell is refused with its rows."""
    year = pd.to_numeric(col, errors="coerce")
    bad = (year.isna() | (year != year.round()) | (year.abs() > 9999)).to_numpy()
    if bad.any():
        rows = first_rows(bad, col.index)
        shown = ", ".join(str(r) for r in rows)
        raise PovlibInputError(*(t("classify.err.at_rows", lang, msg=t("cli.err.bad_year_cells", lang, name=name),
                                   column="year", rows=shown) for lang in ("vi", "en")), column="year", rows=rows)
    return year.astype("int64")


def output_path(path: str | Path, types: tuple[str, ...] = OUTPUT_TYPES) -> Path:
    """The file a command writes, refused unless its extension is one of ``types`` (nothing is written under a
    name that says another format)."""
    p = Path(path)
    if p.suffix.lower() not in types:
        raise PovlibInputError.from_key("cli.err.out_type", name=p.name if str(path).strip() else '""',
                                        types=", ".join(types))
    return p


#: the largest ``--scale`` of ``generate``: the demo of a district or province (all years in memory), the country
#: (written in chunks, but 27 million households a year at 1)
MAX_SCALE = {"demo": 100.0, national.SCOPE: 10.0}


def _check_generate_args(args) -> None:
    """``--scale`` a positive finite number up to :data:`MAX_SCALE`, ``--seed`` a non-negative integer."""
    top = MAX_SCALE[national.SCOPE if args.scope == national.SCOPE else "demo"]
    if not (math.isfinite(args.scale) and 0 < args.scale <= top):
        raise PovlibInputError.from_key("cli.err.scale", value=f"{args.scale:g}", max=f"{top:g}", column="--scale")
    if args.seed is not None and args.seed < 0:
        raise PovlibInputError.from_key("cli.err.seed", value=args.seed, column="--seed")


def _cmd_generate(args) -> int:
    _check_generate_args(args)
    if args.scope == national.SCOPE:  # the whole country: partitioned Parquet (povlib.cli.national)
        return national.run(args)
    national.check_not_national(args)
    panel = generate(args.scope, seed=args.seed, scale=args.scale)
    out = output_path(args.out, (".parquet",)) if args.out is not None else load_scope(args.scope).output
    write_panel(panel, out)
    years = f"{panel['year'].min()}–{panel['year'].max()}"
    print(t("cli.generated", args.lang, n=fmt_int(len(panel), args.lang), years=years, path=out))
    return 0


def _cmd_classify(args) -> int:
    df = read_table(args.input)
    if not args.standard and "standard" not in df.columns and "year" in df.columns:
        df = with_year_standards(df)  # each row under the standard in force in its year
    std = args.standard if args.standard else (DEFAULT_STANDARD if "standard" not in df.columns else None)
    out = classify_households(df, std, basis=args.basis)
    dest = output_path(args.output)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.suffix.lower() == ".csv":
        write_bytes_atomic(dest, to_csv_bytes(out))  # formulas neutralised, atomic
    else:
        write_panel(out, dest)
    print(t("cli.classified", args.lang, n=fmt_int(len(out), args.lang), path=dest))
    used = [std] if std is not None else sorted(out["standard"].dropna().astype(str).unique())
    for sid in used:  # a provisional standard says so wherever it is used
        note = provisional_note(sid, args.lang)
        if note:
            print(note, file=sys.stderr)
    return 0


def _cmd_summary(args) -> int:
    df = classify_panel(read_table(args.input), args.standard, keep_existing=True)
    if args.year is not None:
        check_year(df, args.year)  # a year without rows is a message, not an empty table
        df = df[df["year"] == args.year]
    if df.empty:  # a header without households: a sentence, not pandas' "Empty DataFrame"
        raise PovlibInputError.from_key("cli.err.no_households", name=Path(args.input).name)
    by = [c for c in ("year", "commune_code", "commune_name") if c in df.columns]
    r = rates(df, by or None)
    lang = args.lang
    table = pd.DataFrame({
        t("general.year", lang): r["year"].astype(str) if "year" in r else "",
        t("general.commune", lang): (r["commune_name"] if "commune_name" in r else r.get("commune_code", "")).astype(str),
        t("measure.households", lang): r["households"].map(lambda v: fmt_int(v, lang)),
        t("measure.poor", lang): r["poor"].map(lambda v: fmt_int(v, lang)),
        t("measure.poor_rate", lang): r["poor_rate"].map(lambda v: fmt_pct(v, lang)),
        t("measure.near_poor", lang): r["near_poor"].map(lambda v: fmt_int(v, lang)),
        t("measure.near_poor_rate", lang): r["near_poor_rate"].map(lambda v: fmt_pct(v, lang)),
    })
    tot = rates(df, "year") if "year" in df.columns else rates(df)
    for _, row in tot.iterrows():
        table.loc[len(table)] = [str(int(row["year"])) if "year" in row else "", t("general.total", lang), fmt_int(row["households"], lang),
                                 fmt_int(row["poor"], lang), fmt_pct(row["poor_rate"], lang),
                                 fmt_int(row["near_poor"], lang), fmt_pct(row["near_poor_rate"], lang)]
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.to_string(index=False))
    return 0


def register(sub, lang: str = "vi") -> None:
    """Add ``generate``, ``classify`` and ``summary`` to the sub-command parsers ``sub`` (help in ``lang``)."""
    g = sub.add_parser("generate", help=t("cli.help.generate", lang), description=t("cli.help.generate", lang))
    g.add_argument("--scope", default="cho-don", help=t("cli.help.generate.scope", lang))
    g.add_argument("--seed", type=int, default=None, help=t("cli.help.generate.seed", lang))
    g.add_argument("--scale", type=float, default=1.0, help=t("cli.help.generate.scale", lang))
    g.add_argument("--out", default=None, help=t("cli.help.generate.out", lang))
    national.add_arguments(g, lang)
    g.set_defaults(func=_cmd_generate)

    c = sub.add_parser("classify", help=t("cli.help.classify", lang), description=t("cli.help.classify", lang))
    c.add_argument("input", metavar="IN", help=t("cli.help.input_table", lang))
    c.add_argument("output", metavar="OUT", help=t("cli.help.classify.output", lang))
    c.add_argument("--standard", default=None, help=t("cli.help.standard_default", lang))
    c.add_argument("--basis", choices=("auto", "income", "scores"), default="auto", help=t("cli.help.classify.basis", lang))
    c.set_defaults(func=_cmd_classify)

    s = sub.add_parser("summary", help=t("cli.help.summary", lang), description=t("cli.help.summary", lang))
    s.add_argument("input", metavar="IN", help=t("cli.help.input_table", lang))
    s.add_argument("--year", type=int, default=None, help=t("cli.help.summary.year", lang))
    s.add_argument("--standard", default=None, help=t("cli.help.standard_default", lang))
    s.set_defaults(func=_cmd_summary)
