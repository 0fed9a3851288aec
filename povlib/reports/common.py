"""Shared building blocks of the report tables: input checks, unit names and the form's row order.

* checks that raise :class:`~povlib.errors.PovlibInputError` with a catalog
  message: :func:`check_year`, :func:`check_status`, :func:`level_columns`,
  :func:`need_columns`, :func:`year_standard`;
* yes/no columns: :func:`flag_values`, :func:`missing_flags`;
* unit names: :func:`unit_label` (the reporting unit in the titles),
  :func:`unit_names` (code -> name of the rows);
* :func:`assemble_rows` – rows in the order of the forms: section I (urban)
  and its units, section II (rural) and its units, then the total.

Examples
--------
>>> import pandas as pd
>>> from povlib.reports.common import check_year, level_columns
>>> level_columns("district")
('district_code', 'district_name')
>>> check_year(pd.DataFrame({"year": [2018, 2019], "status": ["poor", "poor"]}), 2020)
Traceback (most recent call last):
    ...
povlib.errors.PovlibInputError: Năm 2020 không có trong dữ liệu (các năm có: 2018, 2019)
"""
from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..i18n import t
from ..paths import GEO_DIR
from ..sorting import sort_frame
from ..units import province_names

__all__ = [
    "LEVELS",
    "STATUS_KEYS",
    "check_year",
    "check_status",
    "level_columns",
    "need_columns",
    "year_standard",
    "flag_values",
    "missing_flags",
    "unit_label",
    "unit_names",
    "assemble_rows",
]

#: unit levels: name -> (code column, name column)
LEVELS = {"commune": ("commune_code", "commune_name"), "district": ("district_code", "district_name")}
#: the two statuses the reports count
STATUS_KEYS = ("poor", "near_poor")
_AREAS = ("urban", "rural")
_ROMAN = {"urban": "I", "rural": "II"}


# --- checks ---------------------------------------------------------------------------------------
def check_year(panel: pd.DataFrame, year: int) -> None:
    """Raise :class:`PovlibInputError` (Vietnamese message) unless ``year`` is in the panel."""
    for col in ("year", "status"):
        if col not in panel.columns:
            raise PovlibInputError.from_key("report.err.missing_column", column=col, name=col)
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    try:
        ok = int(year) in years
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise PovlibInputError.from_key("report.err.year", year=year, years=", ".join(map(str, years)) or "–")


def check_status(status: str) -> None:
    """Raise :class:`PovlibInputError` unless ``status`` is ``'poor'`` or ``'near_poor'``."""
    if status not in STATUS_KEYS:
        raise PovlibInputError.from_key("report.err.status", status=status)


def level_columns(level: str) -> tuple[str, str]:
    """The (code column, name column) of a unit level of :data:`LEVELS`; an unknown level raises."""
    if level not in LEVELS:
        raise PovlibInputError.from_key("report.err.level", level=level)
    return LEVELS[level]


def need_columns(df: pd.DataFrame, cols: Sequence[str]) -> None:
    """Raise :class:`PovlibInputError` naming the columns of ``cols`` that ``df`` lacks."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise PovlibInputError.from_key("report.err.missing_columns", column=missing[0],
                                        columns=", ".join(missing))


def year_standard(df_year: pd.DataFrame) -> str | None:
    """The one standard of the rows of a year (None without a ``standard`` column); several raise."""
    if "standard" not in df_year.columns or df_year.empty:
        return None
    stds = sorted({str(s) for s in pd.unique(df_year["standard"]) if pd.notna(s)})
    if len(stds) > 1:
        raise PovlibInputError.from_key("report.err.mixed_standards", standards=", ".join(stds))
    return stds[0] if stds else None


# --- yes/no columns -------------------------------------------------------------------------------
def flag_values(s: pd.Series) -> np.ndarray:
    """A yes/no column as booleans; unknown (missing) counts as *not* in the group (see the report notes)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return s.fillna(False).to_numpy(dtype=bool) if s.hasnans else s.to_numpy(dtype=bool)


def missing_flags(df: pd.DataFrame, flags: Sequence[str]) -> dict[str, int]:
    """How many rows have no value in each yes/no column of ``flags`` (present columns only)."""
    return {f: int(df[f].isna().sum()) for f in flags if f in df.columns and df[f].isna().any()}


# --- unit names -----------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    """Province code -> name: the unit registry's provinces (the 34 from 1 July 2025 among them, e.g. 19 Tỉnh
    Thái Nguyên) and the boundary tables' (a code keeps its latest name).

    >>> _province_names()["06"], _province_names()["19"]
    ('Tỉnh Bắc Kạn', 'Tỉnh Thái Nguyên')
    """
    names = dict(province_names())
    for p in sorted(GEO_DIR.glob("*_communes.csv")):
        try:
            u = pd.read_csv(p, dtype=str, usecols=["province_code", "province_name"], keep_default_na=False)
        except (ValueError, OSError):
            continue
        names.update(dict(zip(u["province_code"], u["province_name"])))
    return names


def unit_label(df: pd.DataFrame, lang: str = "vi") -> str:
    """The reporting unit of a table: ``'Huyện Chợ Đồn, Tỉnh Bắc Kạn'`` (one commune / district / province).

    >>> import pandas as pd
    >>> unit_label(pd.DataFrame({"province_code": ["06"], "district_name": ["Huyện Chợ Đồn"],
    ...                          "commune_code": ["02035"], "commune_name": ["Xã Bản Thi"]}))
    'Xã Bản Thi, Huyện Chợ Đồn, Tỉnh Bắc Kạn'
    """
    parts: list[str] = []
    code_col = "commune_code" if "commune_code" in df.columns else "commune_name"
    if "commune_name" in df.columns and len(df) and df[code_col].nunique() == 1:
        parts.append(str(df["commune_name"].iloc[0]))
    if "district_name" in df.columns and len(df) and df["district_name"].nunique() == 1:
        parts.append(str(df["district_name"].iloc[0]))
    if "province_code" in df.columns and len(df) and df["province_code"].nunique() == 1:
        code = str(df["province_code"].iloc[0])
        parts.append(_province_names().get(code, f"{t('general.province', lang)} {code}"))
    return ", ".join(parts) if parts else t("report.unit_unknown", lang)


def unit_names(df: pd.DataFrame, code_col: str, name_col: str) -> pd.Series:
    """Unit code (text) -> unit name, from the rows of ``df`` (empty without ``name_col``)."""
    if name_col not in df.columns:
        return pd.Series(dtype=object)
    g = df[[code_col, name_col]].drop_duplicates(code_col)
    return pd.Series(g[name_col].astype(str).to_numpy(), index=g[code_col].astype(str).to_numpy())


# --- row assembly: urban units, rural units, total -------------------------------------------------
def assemble_rows(unit_df: pd.DataFrame, area_df: pd.DataFrame, total: pd.Series, *, code_col: str,
                  names: pd.Series, lang: str) -> pd.DataFrame:
    """Rows in form order: section I (urban subtotal), its units, section II (rural), its units, total.

    Parameters
    ----------
    unit_df : DataFrame
        One row per unit and area: ``code_col``, ``area`` and the value columns.
    area_df : DataFrame
        One row per area: ``area`` and the value columns.
    total : Series
        The value columns of the whole table (its index gives their order).
    code_col : str
        Column of the unit codes in ``unit_df``.
    names : Series
        Unit code -> name (:func:`unit_names`).
    lang : str
        Language of the section and total labels.

    Returns
    -------
    DataFrame
        ``row_kind`` ('area', 'unit', 'total'), ``tt`` (I, 1, 2, …, II, …),
        ``code``, ``name``, ``area`` and the value columns.
    """
    value_cols = [c for c in total.index]
    rows = []
    for area in _AREAS:
        a = area_df[area_df["area"].astype(str) == area]
        sec = {"row_kind": "area", "tt": _ROMAN[area], "code": "", "area": area,
               "name": t(f"report.area.{area}", lang)}
        sec.update({c: (a[c].iloc[0] if len(a) else 0) for c in value_cols})
        rows.append(sec)
        u = unit_df[unit_df["area"].astype(str) == area]
        # units in Vietnamese dictionary order of their names (povlib.sorting), then by code
        u = sort_frame(u.assign(_name=u[code_col].astype(str).map(names)), ["_name", code_col],
                       text=["_name"]).drop(columns="_name")
        block = pd.DataFrame({"row_kind": "unit", "code": u[code_col].astype(str).to_numpy(),
                              "area": area, "name": u[code_col].astype(str).map(names).to_numpy()})
        for c in value_cols:
            block[c] = u[c].to_numpy()
        rows.append(block)
    tot = {"row_kind": "total", "tt": "", "code": "", "area": "", "name": t("general.total", lang)}
    tot.update({c: total[c] for c in value_cols})
    rows.append(tot)
    frames = [pd.DataFrame([r]) if isinstance(r, dict) else r for r in rows]
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    is_unit = out["row_kind"] == "unit"
    out.loc[is_unit, "tt"] = np.arange(1, int(is_unit.sum()) + 1).astype(str)
    out["tt"] = out["tt"].astype(str)
    return out[["row_kind", "tt", "code", "name", "area", *value_cols]]
