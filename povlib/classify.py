"""Classify households as poor, near-poor or non-poor under a standard.

Vectorised over the whole table (no Python loop over households). Two paths:

* **income**: column ``income`` (VND per person per month), compared with the
  standard's income lines;
* **scores**: column ``b1_score`` (proxy-income score of the review
  questionnaire) compared with the standard's score thresholds.

The number of deprivations comes from the indicator columns (0/1) when they
are all present, else from ``b2_score`` (points per deprivation). All bounds
are inclusive on the upper side, as the legal texts word them.

Examples
--------
>>> import pandas as pd
>>> from povlib import classify_households
>>> df = pd.DataFrame({"area": ["rural", "rural"], "income": [700_001, 700_001],
...                    "b2_score": [30, 20]})
>>> classify_households(df)["status"].tolist()
['poor', 'near_poor']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import standards as _standards
from .errors import PovlibInputError, first_rows
from .standards import AREAS, Standard

__all__ = ["STATUSES", "POOR_VIA", "classify_households", "deprivation_matrix", "count_deprivations"]

STATUSES: tuple[str, ...] = ("poor", "near_poor", "non_poor")
POOR_VIA: tuple[str, ...] = ("income", "deprivation")

_STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))
_VIA_DTYPE = pd.CategoricalDtype(list(POOR_VIA))


def _fail(msg_vi: str, msg_en: str, column: str, mask, index) -> None:
    rows = first_rows(mask, index)
    shown = ", ".join(str(r) for r in rows)
    raise PovlibInputError(
        f"{msg_vi} (cột '{column}', các dòng đầu tiên: {shown})",
        f"{msg_en} (column '{column}', first rows: {shown})",
        column=column,
        rows=rows,
    )


def _area_codes(df: pd.DataFrame) -> np.ndarray:
    """Return 0 for rural, 1 for urban; refuse anything else."""
    if "area" not in df.columns:
        raise PovlibInputError(
            "Thiếu cột 'area' (khu vực: 'rural' nông thôn / 'urban' thành thị)",
            "Missing column 'area' ('rural' or 'urban')",
            column="area",
        )
    area = df["area"]
    if isinstance(area.dtype, pd.CategoricalDtype):
        cats = np.asarray(area.cat.categories, dtype=object)
        codes = area.cat.codes.to_numpy()
        lut = np.array([AREAS.index(c) if c in AREAS else -1 for c in cats] + [-1], dtype=np.int8)
        out = lut[codes]  # code -1 (missing) maps to the trailing -1
    else:
        vals = area.to_numpy(dtype=object)
        out = np.full(len(vals), -1, dtype=np.int8)
        out[vals == "rural"] = 0
        out[vals == "urban"] = 1
    bad = out < 0
    if bad.any():
        _fail(
            "Khu vực trống hoặc không hợp lệ (chỉ nhận 'rural' hoặc 'urban')",
            "Area missing or invalid (only 'rural' or 'urban')",
            "area", bad, df.index,
        )
    return out


def _indicator_values(df: pd.DataFrame, col: str) -> np.ndarray:
    s = df[col]
    if s.dtype == bool:
        return s.to_numpy(dtype=np.int8)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isin(arr, (0.0, 1.0))
        if bad.any():
            _fail("Giá trị chỉ số phải là 0 hoặc 1", "Indicator values must be 0 or 1", col, bad, df.index)
        return arr.astype(np.int8)
    # object / string columns: accept only True/False/0/1 values (never text like "có")
    mapped = s.map({True: 1, False: 0, 1: 1, 0: 0}, na_action="ignore")
    arr = pd.to_numeric(mapped, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isnan(arr)
    if bad.any():
        _fail("Giá trị chỉ số phải là 0 hoặc 1", "Indicator values must be 0 or 1", col, bad, df.index)
    return arr.astype(np.int8)


def deprivation_matrix(df: pd.DataFrame, standard: str | Standard = "QD59_2015") -> np.ndarray:
    """Return the (n, k) int8 matrix of the standard's indicator columns.

    Raises
    ------
    PovlibInputError
        If an indicator column is missing or holds a value other than 0/1/True/False.
    """
    std = _standards.get(standard)
    missing = [c for c in std.indicator_ids if c not in df.columns]
    if missing:
        raise PovlibInputError(
            f"Thiếu cột chỉ số thiếu hụt: {', '.join(missing)}",
            f"Missing deprivation indicator columns: {', '.join(missing)}",
            column=missing[0],
        )
    out = np.empty((len(df), len(std.indicator_ids)), dtype=np.int8)
    for j, col in enumerate(std.indicator_ids):
        out[:, j] = _indicator_values(df, col)
    return out


def count_deprivations(df: pd.DataFrame, standard: str | Standard = "QD59_2015") -> np.ndarray:
    """Integer number of deprived indicators per household.

    Uses the indicator columns when all are present, else ``b2_score``.
    """
    std = _standards.get(standard)
    have = [c for c in std.indicator_ids if c in df.columns]
    if len(have) == len(std.indicator_ids):
        count = deprivation_matrix(df, std).sum(axis=1, dtype=np.int16)
        if "b2_score" in df.columns:
            b2 = pd.to_numeric(df["b2_score"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            bad = ~np.isnan(b2) & (b2 != count * std.points_per_deprivation)
            if bad.any():
                _fail(
                    "Điểm B2 không khớp với số chỉ số thiếu hụt",
                    "B2 score does not match the number of deprived indicators",
                    "b2_score", bad, df.index,
                )
        return count.astype(np.int16)
    if "b2_score" in df.columns:
        return _b2_to_count(df, std)
    missing = [c for c in std.indicator_ids if c not in df.columns]
    raise PovlibInputError(
        f"Không tính được số chiều thiếu hụt: thiếu cột chỉ số {', '.join(missing)} và không có cột 'b2_score'",
        f"Cannot count deprivations: missing indicator columns {', '.join(missing)} and no 'b2_score' column",
        column=missing[0],
    )


def _b2_to_count(df: pd.DataFrame, std: Standard) -> np.ndarray:
    b2 = pd.to_numeric(df["b2_score"], errors="coerce")
    raw_bad = b2.isna() & df["b2_score"].notna()
    if raw_bad.any():
        _fail("Điểm B2 không phải là số", "B2 score is not a number", "b2_score", raw_bad.to_numpy(), df.index)
    arr = b2.to_numpy(dtype=np.float64, na_value=np.nan)
    step = std.points_per_deprivation
    bad = np.isnan(arr) | (arr < 0) | (arr > std.max_b2) | (np.mod(arr, step) != 0)
    if bad.any():
        _fail(
            f"Điểm B2 trống hoặc ngoài khoảng (0–{std.max_b2}, bội số của {step})",
            f"B2 score missing or out of range (0–{std.max_b2}, a multiple of {step})",
            "b2_score", bad, df.index,
        )
    return (arr // step).astype(np.int16)


def _numeric(df: pd.DataFrame, col: str, msg_vi: str, msg_en: str, *, lo: float, hi: float | None = None) -> np.ndarray:
    s = df[col]
    num = pd.to_numeric(s, errors="coerce")
    arr = num.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isnan(arr) | (arr < lo)
    if hi is not None:
        bad |= arr > hi
    if bad.any():
        _fail(msg_vi, msg_en, col, bad, df.index)
    return arr


def classify_households(
    df: pd.DataFrame,
    standard: str | Standard | None = "QD59_2015",
    *,
    basis: str = "auto",
) -> pd.DataFrame:
    """Classify households under a poverty standard.

    Parameters
    ----------
    df : DataFrame
        One row per household. Needs ``area`` ('rural' | 'urban'); either
        ``income`` (VND per person per month) or ``b1_score``; and either the
        standard's indicator columns (0/1) or ``b2_score``.
    standard : str or Standard or None, default "QD59_2015"
        The standard's id (see :mod:`povlib.standards`). ``None`` classifies
        each row under the id in its ``standard`` column.
    basis : {'auto', 'income', 'scores'}
        Which path to use. 'auto' takes income when the column is present,
        else scores.

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``status`` ('poor' | 'near_poor' | 'non_poor'),
        ``poor_via`` ('income' | 'deprivation' | missing), ``deprivation_count``
        (int) and, on the income path, ``average_living_standard`` (bool).

    Raises
    ------
    PovlibInputError
        Input it cannot classify: missing or unknown area, negative or missing
        income, scores out of range, indicator values other than 0/1, missing
        columns. The message names the column and the first offending rows.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["rural"], "income": [700_000], "b2_score": [0]})
    >>> classify_households(df).loc[0, "poor_via"]
    'income'
    """
    if standard is None:
        if "standard" not in df.columns:
            raise PovlibInputError(
                "Không chỉ định chuẩn nghèo và bảng không có cột 'standard'",
                "No standard given and the table has no 'standard' column",
                column="standard",
            )
        parts = [classify_households(g, str(sid), basis=basis) for sid, g in df.groupby("standard", observed=True, sort=False)]
        if not parts:
            return classify_households(df, "QD59_2015", basis=basis)
        out = pd.concat(parts)
        return out.loc[df.index]
    std = _standards.get(standard)
    if basis == "auto":
        basis = "income" if "income" in df.columns else "scores"
    if basis not in ("income", "scores"):
        raise PovlibInputError(f"Cách phân loại không hợp lệ: {basis}", f"Unknown basis: {basis}")

    area = _area_codes(df)
    d = count_deprivations(df, std)
    if basis == "income":
        if "income" not in df.columns:
            raise PovlibInputError("Thiếu cột 'income' (thu nhập bình quân người/tháng)",
                                   "Missing column 'income'", column="income")
        x = _numeric(df, "income", "Thu nhập trống, không phải số hoặc âm",
                     "Income missing, not a number or negative", lo=0)
        poor_line = np.where(area == 1, std.lines["urban"].poor, std.lines["rural"].poor)
        near_line = np.where(area == 1, std.lines["urban"].near_poor, std.lines["rural"].near_poor)
        avg_line = np.where(area == 1, std.lines["urban"].average, std.lines["rural"].average)
    else:
        if "b1_score" not in df.columns:
            raise PovlibInputError(
                "Thiếu cả cột 'income' lẫn 'b1_score': không phân loại được",
                "Neither 'income' nor 'b1_score' is present: cannot classify",
                column="b1_score",
            )
        x = _numeric(df, "b1_score", "Điểm B1 trống, không phải số hoặc ngoài khoảng (0–1000)",
                     "B1 score missing, not a number or out of range (0–1000)", lo=0, hi=1000)
        poor_line = np.where(area == 1, std.scores["urban"].poor, std.scores["rural"].poor)
        near_line = np.where(area == 1, std.scores["urban"].near_poor, std.scores["rural"].near_poor)
        avg_line = None

    deprived = d >= std.deprivation_cutoff
    if std.income_only_poor:
        income_poor = x <= poor_line
    else:
        income_poor = np.zeros(len(x), dtype=bool)
    dep_poor = ~income_poor & (x <= near_line) & deprived
    poor = income_poor | dep_poor
    near = ~poor & (x <= near_line)

    codes = np.where(poor, 0, np.where(near, 1, 2)).astype(np.int8)
    via = np.where(income_poor, 0, np.where(dep_poor, 1, -1)).astype(np.int8)
    out = df.copy()
    out["status"] = pd.Categorical.from_codes(codes, dtype=_STATUS_DTYPE)
    out["poor_via"] = pd.Categorical.from_codes(via, dtype=_VIA_DTYPE)
    out["deprivation_count"] = d
    if avg_line is not None:
        out["average_living_standard"] = (x > near_line) & (x <= avg_line)
    return out
