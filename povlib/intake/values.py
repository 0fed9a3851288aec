"""Cell values: the documented lossless spellings, then the two pandera passes.

:func:`normalise_values` applies the only normalisations allowed (documented
in ``data/templates/README.md``): household ids in NFKC and upper case
(``h1`` and ``Ｈ1`` are ``H1``), the yes/no, area and sex spellings of the
column table, ``2020`` → ``02020`` for codes that lost their leading zero in
Excel, and ``1.0`` → ``1`` in whole-number columns. :func:`run_schemas` then
runs the pandera schemas of :mod:`povlib.intake.schema` with ``lazy=True``:
pass 1 converts types (text in a number column is reported, not turned into a
blank), pass 2 checks presence, ranges and allowed values. Each failure
becomes a problem quoting the cell as written in the file.

Examples
--------
>>> import pandas as pd
>>> from povlib.intake import schema
>>> specs = {s.name: s for s in schema.columns("household")}
>>> df = pd.DataFrame({"commune_code": ["2020"], "area": ["Thành thị"], "members": ["4.0"]}, dtype="string")
>>> normalise_values(df, specs).iloc[0].tolist()
['02020', 'urban', '4']
>>> bound_text(2016), bound_text(50_000_000)
('2016', '50.000.000')
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import t
from . import schema as _schema
from .layout import id_key
from .problems import Problems
from .read import RawTable
from .schema import pa  # pandera, imported in one place (schema.py keeps PySpark's warning out)

__all__ = ["bound_text", "fill_blank_year", "normalise_values", "run_schemas"]


def fill_blank_year(df: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """``df`` with its blank ``year`` cells set to ``year``, the review year chosen at import (the templates
    say the column may then be left blank); unchanged without a year or a ``year`` column.

    >>> fill_blank_year(pd.DataFrame({"year": ["2026", " ", None]}), 2026)["year"].tolist()
    ['2026', '2026', '2026']
    """
    if year is None or "year" not in df.columns:
        return df
    blank = df["year"].isna().to_numpy() | (df["year"].astype("string").str.strip() == "").fillna(True).to_numpy()
    if not blank.any():
        return df
    out = df.copy()
    out.loc[blank, "year"] = str(int(year))
    return out

#: column kinds whose type check can fail, each with a catalog key ``intake.expect.<kind>``
_EXPECTED_KINDS = ("int", "bool", "indicator")


def normalise_values(df: pd.DataFrame, specs: dict[str, _schema.ColumnSpec]) -> pd.DataFrame:
    """Apply the documented spellings (household ids, yes/no, area, sex, codes, '1.0')."""
    al = _schema.value_aliases()
    out = df.copy()
    for name in out.columns:
        s = out[name]
        kind = specs[name].kind
        low = s.str.casefold() if kind in ("bool", "area", "sex") else s
        if kind in ("bool",):
            lut = {**{v: "1" for v in al["true"]}, **{v: "0" for v in al["false"]}}
            out[name] = low.map(lut).fillna(s).astype("string")
        elif kind == "area":
            lut = {**{v: "rural" for v in al["rural"]}, **{v: "urban" for v in al["urban"]}}
            out[name] = low.map(lut).fillna(s).astype("string")
        elif kind == "sex":
            lut = {**{v: "male" for v in al["male"]}, **{v: "female" for v in al["female"]}}
            out[name] = low.map(lut).fillna(s).astype("string")
        elif name == "household_id":  # one id, however its case or width is typed
            out[name] = id_key(s)
        elif kind == "code":
            width = specs[name].width or 5
            short = s.str.fullmatch(rf"\d{{1,{width - 1}}}").fillna(False).astype(bool)
            out[name] = s.mask(short, s.str.zfill(width))
        if kind in ("int", "bool", "indicator"):
            whole = s.str.fullmatch(r"-?\d+\.0+").fillna(False).astype(bool)
            cur = out[name]
            out[name] = cur.mask(whole, cur.str.replace(r"\.0+$", "", regex=True))
    return out


def _expected(kind: str) -> tuple[str, str]:
    """What a cell of ``kind`` must hold, in Vietnamese and English (blank for text kinds)."""
    if kind not in _EXPECTED_KINDS:
        return "", ""
    return t(f"intake.expect.{kind}", "vi"), t(f"intake.expect.{kind}", "en")


def run_schemas(df: pd.DataFrame, raw: RawTable, header_of: dict[str, str], specs: dict[str, _schema.ColumnSpec],
                problems: Problems, *, required: set[str], codes: frozenset[str] | None,
                shown: pd.DataFrame | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Pandera pass 1 (types) and pass 2 (values). Returns the typed table and a bad-row mask.

    ``df`` holds the normalised text; ``shown`` the cells as written in the file (for messages).
    """
    shown = df if shown is None else shown
    bad = np.zeros(len(df), dtype=bool)
    type_failed: dict[str, np.ndarray] = {}
    present = [specs[c] for c in df.columns]
    work = df.copy()
    try:
        _schema.type_schema(present).validate(work, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        fc = fc[fc["check"].astype(str).str.startswith("coerce_dtype") & fc["index"].notna()]
        for col, g in fc.groupby("column", sort=False):
            idx = g["index"].astype(int).to_numpy()
            problems.add_many(raw.name, raw.rows[idx], header_of[col], "wrong_type", shown[col].to_numpy()[idx],
                              expected=_expected(specs[col].kind))
            bad[idx] = True
            type_failed[col] = idx
            work.loc[idx, col] = pd.NA
    typed = _schema.type_schema(present).validate(work)
    try:
        _schema.value_schema(present, codes=codes, required=required & set(df.columns)).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        fc = fc[fc["index"].notna() & fc["column"].notna()]
        for (col, check), g in fc.groupby(["column", "check"], sort=False):
            idx = g["index"].astype(int).to_numpy()
            check = str(check)
            code = "missing_value" if check == "not_nullable" else check.split("(")[0]
            spec = specs[col]
            if code == "missing_value":
                idx = idx[~np.isin(idx, type_failed.get(col, []))]  # already reported as wrong type
            vals = shown[col].to_numpy()[idx]
            problems.add_many(raw.name, raw.rows[idx], header_of[col], code, vals,
                              lo=bound_text(spec.min), hi=bound_text(spec.max), step=spec.multiple_of or "")
            bad[idx] = True
    return typed, bad


def bound_text(x: float | None) -> str:
    """A range bound as shown in messages and the template notes: ``2016``, ``50.000.000``, ``0.5``."""
    if x is None:
        return ""
    if not float(x).is_integer():
        return str(x)
    # group thousands only in large numbers: years and scores read better as 2016, 1000
    return f"{int(x):,}".replace(",", ".") if abs(x) >= 10_000 else str(int(x))
