"""The household table as stored: its columns and dtypes, and how stored rows are classified.

Checked intake rows become store rows with :func:`to_store` (administrative
names from the commune list, the demo panel's raw columns, then the indicator
columns); :func:`store_dtypes` gives any stored table the demo panel's dtypes
(nullable ones where values are missing). Stored rows are classified by
:func:`povlib.panel.classify_panel`.

Examples
--------
>>> import pandas as pd
>>> empty = store_dtypes(pd.DataFrame(columns=STORE_COLUMNS))
>>> list(empty.columns[:3]), str(empty["year"].dtype), str(empty["area"].dtype)
(['household_id', 'year', 'standard'], 'int16', 'category')
"""
from __future__ import annotations

import pandas as pd

from . import schema as _schema
from .communes import unit_of_row

__all__ = ["FLAGS", "STORE_COLUMNS", "id_key", "store_dtypes", "to_store"]

#: Columns of the household table in the store, in order (the demo panel's raw columns).
STORE_COLUMNS = (
    ["household_id", "year", "standard", "province_code", "district_code", "district_name", "commune_code",
     "commune_name", "village", "area", "members", "ethnic_minority", "meritorious", "social_protection",
     "no_labour_capacity", "female_head", "head_name", "id_number", "income", "b1_score", "b2_score"]
)
#: Yes/no columns of a household.
FLAGS = ["ethnic_minority", "meritorious", "social_protection", "no_labour_capacity", "female_head"]


def id_key(ids: pd.Series) -> pd.Series:
    """Household ids as compared and stored: NFKC, then upper case (``h1``, ``Ｈ1`` and ``H1`` are one id).

    >>> id_key(pd.Series(["h1", "Ｈ１", "H1", None], dtype="string")).tolist()
    ['H1', 'H1', 'H1', <NA>]
    """
    return ids.astype("string").str.normalize("NFKC").str.upper()


def to_store(typed: pd.DataFrame) -> pd.DataFrame:
    """Typed intake rows -> the store's columns (names and parents from the units of each row's year)."""
    df = typed.drop(columns=[c for c in ("_row", "commune_name") if c in typed]).copy()
    if len(df):  # the names and parents the commune had on 31/12 of the row's year (no district after 2025)
        unit = unit_of_row(df)
        for c in ("commune_name", "district_code", "district_name", "province_code"):
            df[c] = unit["full_name" if c == "commune_name" else c].to_numpy()
    inds = [c for c in _schema.indicator_ids() if c in df]
    cols = STORE_COLUMNS + inds
    for c in STORE_COLUMNS:
        if c not in df:
            df[c] = pd.NA
    return store_dtypes(df[cols].reset_index(drop=True))


def store_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Give stored households the demo panel's dtypes (nullable ones where values are missing)."""
    out = df.copy()
    spec = {
        "household_id": "str", "head_name": "str", "id_number": "str",
        "year": "int16", "members": "int16", "income": "int64", "b1_score": "int16", "b2_score": "int16",
    }
    cats = ["standard", "province_code", "district_code", "district_name", "commune_code", "commune_name",
            "village", "area"]
    for c in out.columns:
        s = out[c]
        if c in cats:
            out[c] = s.astype("string").astype("category")
        elif c in spec and spec[c] == "str":
            out[c] = s.astype("string").astype("str") if s.notna().all() else s.astype("string")
        elif c in spec:
            nullable = {"int16": "Int16", "int64": "Int64"}[spec[c]]
            v = pd.to_numeric(s).astype(nullable) if len(s) else s.astype(nullable)
            out[c] = v.astype(spec[c]) if v.notna().all() else v
        elif c in FLAGS:
            v = pd.to_numeric(s).astype("Int8").astype("boolean") if len(s) else s.astype("boolean")
            out[c] = v.astype(bool) if v.notna().all() else v
        elif c in _schema.indicator_ids():
            v = pd.to_numeric(s).astype("Int8") if len(s) else s.astype("Int8")
            out[c] = v.astype("int8") if v.notna().all() else v
    return out
