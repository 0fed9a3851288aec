"""Classify households as poor, near-poor or non-poor under a standard.

Vectorised over the whole table (no Python loop over households). Two paths:

* **income**: column ``income`` (VND per person per month), compared with the
  standard's income lines;
* **scores**: column ``b1_score`` (proxy-income score of the review
  questionnaire) compared with the standard's score thresholds.

The number of deprivations comes from the indicator columns (0/1) when they
are all present, else from ``b2_score`` (points per deprivation). All bounds
are inclusive on the upper side, as the legal texts word them.

Which column holds which score
------------------------------
The two review scores keep one pair of columns across standards; the row's
standard says how they are read:

========================  ==========================  ===============================
standard                  ``b1_score``                ``b2_score``
========================  ==========================  ===============================
Decision 59/2015          B1 (Circular 17/2016):      B2: 10 points per deprivation
                          poor <= 120 rural / 140     (10 indicators, 0–100)
                          urban, or <= 150 / 175
                          and B2 >= 30
Decree 07/2021            score A, the income proxy   score B: 10 points per
                          (Circular 07/2021): within  deprivation (12 indicators,
                          <= 140 rural / 175 urban    0–120)
Decree 351/2025           none known: the score path  10 points per deprivation
                          refuses (income path only)  (unconfirmed)
========================  ==========================  ===============================

Decree 07/2021 and 351/2025 have no income-only branch: poor = income (or A)
within the line and ``deprivation_cutoff`` (3) or more deprivations, i.e.
B >= 30; near-poor = within the line and B < 30; above the line neither,
however deprived.

Examples
--------
>>> import pandas as pd
>>> from povlib import classify_households
>>> df = pd.DataFrame({"area": ["rural", "rural"], "income": [700_001, 700_001],
...                    "b2_score": [30, 20]})
>>> classify_households(df)["status"].tolist()
['poor', 'near_poor']

Decree 07/2021 on the score path: A = 140 (rural) is within the line, B = 30 makes the household poor,
B = 20 near-poor; A = 141 is above the line whatever B:

>>> scores = pd.DataFrame({"area": ["rural"] * 3, "b1_score": [140, 140, 141], "b2_score": [30, 20, 120]})
>>> classify_households(scores, "ND07_2021")["status"].tolist()
['poor', 'near_poor', 'non_poor']
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import standards as _standards
from .columns import equals
from .errors import PovlibInputError, first_rows
from .i18n import t
from .indicator_basis import shared_indicators
from .standards import AREAS, DEFAULT_STANDARD, Standard

__all__ = ["STATUSES", "POOR_VIA", "classify_households", "deprivation_matrix", "count_deprivations"]

STATUSES: tuple[str, ...] = ("poor", "near_poor", "non_poor")
POOR_VIA: tuple[str, ...] = ("income", "deprivation")

_STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))
# rows per block in the cache-blocked loops (no loop over households: ~150 blocks for 10 M rows)
_BLOCK = 1 << 16
_VIA_DTYPE = pd.CategoricalDtype(list(POOR_VIA))




def by_row_label(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` to classify in groups: its own row labels when each names one row (a message then names the rows
    as the caller knows them: the lines of a file read by the command line), else positions (a duplicated label
    must not multiply rows). Put the groups' results back in order with ``.reindex(by_row_label(df).index)``.

    >>> import pandas as pd
    >>> by_row_label(pd.DataFrame({"a": [1, 2]}, index=[7, 3])).index.tolist()
    [7, 3]
    >>> by_row_label(pd.DataFrame({"a": [1, 2]}, index=[7, 7])).index.tolist()
    [0, 1]
    """
    return df if df.index.is_unique else df.reset_index(drop=True)


def _fail(key: str, column: str, mask, index, **kw) -> None:
    """Raise the catalog message ``key`` with the column and the first offending rows."""
    rows = first_rows(mask, index)
    shown = ", ".join(str(r) for r in rows)
    raise PovlibInputError(
        *(t("classify.err.at_rows", lang, msg=t(key, lang, **kw), column=column, rows=shown) for lang in ("vi", "en")),
        column=column,
        rows=rows,
    )


def _area_codes(df: pd.DataFrame) -> np.ndarray:
    """Return 0 for rural, 1 for urban; refuse anything else."""
    if "area" not in df.columns:
        raise PovlibInputError.from_key("classify.err.no_area", column="area")
    area = df["area"]
    if isinstance(area.dtype, pd.CategoricalDtype):
        cats = np.asarray(area.cat.categories, dtype=object)
        codes = area.cat.codes.to_numpy()
        lut = np.array([AREAS.index(c) if c in AREAS else -1 for c in cats] + [-1], dtype=np.int8)
        if codes.dtype == np.int8 and np.array_equal(lut[:-1], np.arange(len(cats))):
            out = codes  # categories already in AREAS order: the codes are the area codes
        else:
            out = lut[codes]  # code -1 (missing) maps to the trailing -1
    else:
        vals = area.to_numpy(dtype=object)
        out = np.full(len(vals), -1, dtype=np.int8)
        out[vals == "rural"] = 0
        out[vals == "urban"] = 1
    if len(out) and out.min() < 0:
        bad = out < 0
        _fail("classify.err.bad_area", "area", bad, df.index)
    return out


def _indicator_values(df: pd.DataFrame, col: str) -> np.ndarray:
    """Indicator column as int8 0/1 (may be a read-only view of the column's data)."""
    s = df[col]
    if s.dtype == bool:
        return s.to_numpy().view(np.int8)
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu":
        # plain numpy integers (no missing values possible): one pass, no float copy
        arr = s.to_numpy()
        bad = (arr.view(np.uint8) > 1) if arr.dtype.itemsize == 1 else ((arr < 0) | (arr > 1))
        if bad.any():
            _fail("classify.err.indicator_value", col, bad, df.index)
        return arr if arr.dtype == np.int8 else arr.astype(np.int8)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = (arr != 0.0) & (arr != 1.0)  # NaN is bad too
        if bad.any():
            _fail("classify.err.indicator_value", col, bad, df.index)
        return arr.astype(np.int8)
    # object / string columns: accept only True/False/0/1 values (never text like "có")
    mapped = s.map({True: 1, False: 0}, na_action="ignore")  # 1 == True, 0 == False
    arr = pd.to_numeric(mapped, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isnan(arr)
    if bad.any():
        _fail("classify.err.indicator_value", col, bad, df.index)
    return arr.astype(np.int8)


def deprivation_matrix(df: pd.DataFrame, standard: str | Standard = DEFAULT_STANDARD) -> np.ndarray:
    """Return the (n, k) int8 matrix of the standard's indicator columns.

    Raises
    ------
    PovlibInputError
        If an indicator column is missing or holds a value other than 0/1/True/False.
    """
    std = _standards.get(standard)
    missing = [c for c in std.indicator_ids if c not in df.columns]
    if missing:
        raise PovlibInputError.from_key("classify.err.missing_indicators", columns=", ".join(missing),
                                        column=missing[0])
    out = np.empty((len(df), len(std.indicator_ids)), dtype=np.int8)
    for j, col in enumerate(std.indicator_ids):
        out[:, j] = _indicator_values(df, col)
    return out


def _fast_count(df: pd.DataFrame, cols) -> np.ndarray | None:
    """Sum of 0/1 one-byte columns, block by block (temporaries stay in cache).

    Returns None when a column is not a plain one-byte numpy column or holds a
    value other than 0/1 (the caller then takes the checking path, which
    raises the usual error for the first bad column).
    """
    arrs = []
    for c in cols:
        dt = df[c].dtype
        if not (isinstance(dt, np.dtype) and dt.itemsize == 1 and dt.kind in "biu"):
            return None
        arrs.append(df[c].to_numpy().view(np.uint8))
    n = len(df)
    count = np.empty(n, dtype=np.int16)
    if not arrs:
        count[:] = 0
        return count
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        blk = count[lo:hi]
        np.add(arrs[0][lo:hi], arrs[1][lo:hi] if len(arrs) > 1 else 0, out=blk, dtype=np.int16)
        for a in arrs[2:]:
            np.add(blk, a[lo:hi], out=blk, dtype=np.int16)
    # a value other than 0/1 somewhere (uint8 view: -1 is 255) -> checking path
    if any(a.max(initial=0) > 1 for a in arrs):
        return None
    return count


def count_deprivations(df: pd.DataFrame, standard: str | Standard = DEFAULT_STANDARD) -> np.ndarray:
    """Integer number of deprived indicators per household.

    Uses the indicator columns when all are present, else ``b2_score``; a
    column blank in every row counts as absent, and a row with a blank
    indicator uses its ``b2_score`` where there is one. Data
    that carry some but not all of the standard's indicator columns are
    refused (a lost column would silently turn into the B2 score). Rows whose
    ``standard`` column names another standard (a what-if) are counted by
    :func:`_count_what_if`.

    Examples
    --------
    The 2026 review (Decree 07/2021, 12 indicators) counted under Decree
    351/2025: the 10 indicators both standards share, not the row's score B
    (which counts *telecom* and *info_access*, gone from the new standard):

    >>> from povlib.standards import get
    >>> row = {c: 0 for c in get("ND07_2021").indicator_ids} | {"telecom": 1, "info_access": 1, "latrine": 1}
    >>> df = pd.DataFrame([row | {"standard": "ND07_2021", "b2_score": 30}])
    >>> int(count_deprivations(df, "ND07_2021")[0]), int(count_deprivations(df, "ND351_2025")[0])
    (3, 1)
    """
    std = _standards.get(standard)
    if "standard" in df.columns and len(df):
        own = equals(df["standard"], std.id)
        if not own.all():
            if not own.any():
                return _count_what_if(df, std)
            count = np.empty(len(df), dtype=np.int16)
            # only the columns read: a copy of the rows' other columns is no use
            cols = [c for c in (*std.indicator_ids, "b2_score") if c in df.columns]
            count[own] = count_deprivations(df.loc[own, cols], std)
            count[~own] = _count_what_if(df.loc[~own, [*cols, "standard"]], std)
            return count
    # a column blank in every row is not given (a panel's years carry their own standard's indicators only)
    have = [c for c in std.indicator_ids if c in df.columns and not (len(df) and df[c].isna().all())]
    if have and len(have) < len(std.indicator_ids):
        missing = [c for c in std.indicator_ids if c not in have]
        raise PovlibInputError.from_key("classify.err.some_indicators", columns=", ".join(missing),
                                        n=len(have), total=len(std.indicator_ids), column=missing[0])
    if len(have) == len(std.indicator_ids) and "b2_score" in df.columns:
        # rows with a blank indicator were reviewed with the B2 score (povlib.panel.indicator_rows): row by row
        full = df[std.indicator_ids].notna().all(axis=1).to_numpy()
        if not full.all():
            count = np.empty(len(df), dtype=np.int16)
            count[~full] = _b2_to_count(df[~full], std)
            if full.any():
                count[full] = count_deprivations(df[full], std)
            return count
    if len(have) == len(std.indicator_ids):
        count = _fast_count(df, std.indicator_ids)
        if count is None:
            # column by column: no (n, k) matrix, same checks in the same order as deprivation_matrix
            count = np.zeros(len(df), dtype=np.int16)
            for col in std.indicator_ids:
                count += _indicator_values(df, col)
        if "b2_score" in df.columns:  # every row is of this standard here (others: _count_what_if)
            b2 = pd.to_numeric(df["b2_score"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            bad = ~np.isnan(b2) & (b2 != count * std.points_per_deprivation)
            if bad.any():
                _fail("classify.err.b2_mismatch", "b2_score", bad, df.index)
        return count.astype(np.int16)
    if "b2_score" in df.columns:
        return _b2_to_count(df, std)
    missing = [c for c in std.indicator_ids if c not in have]
    raise PovlibInputError.from_key("classify.err.no_deprivation_source", columns=", ".join(missing),
                                    column=missing[0])


def _count_what_if(df: pd.DataFrame, std: Standard) -> np.ndarray:
    """Deprivations under ``std`` of rows reviewed under the standards their ``standard`` column names.

    Row by row, the first of: every indicator of ``std`` when the row gives them all; else the indicators
    ``std`` shares with the row's own standard (:func:`povlib.indicator_basis.shared_indicators`) when the row
    gives those, plus any other indicator of ``std`` the row gives (a review in another form may carry
    more) – a what-if cannot count an indicator the review did not ask about, and the row's score B
    counts its own standard's indicators; else, for a row reviewed with a score B only, that score
    divided by ``std``'s points per deprivation. :func:`povlib.query.reclassify.status_sql` is the same
    rule in SQL.
    """
    n = len(df)
    count = np.zeros(n, dtype=np.int16)
    done = np.zeros(n, dtype=bool)
    codes, names = pd.factorize(df["standard"])  # one pass (a category's code, a blank -1), no object copy
    # which cells each row's count reads: every indicator of its branch, and the others where given
    reads = {c: np.zeros(n, dtype=bool) for c in std.indicator_ids if c in df.columns}

    def branch(ids: Sequence[str], rows: np.ndarray, extra: Sequence[str] = ()) -> None:
        rows = rows & ~done & df[list(ids)].notna().all(axis=1).to_numpy(dtype=bool)
        for c in ids:
            reads[c] |= rows
        for c in extra:
            reads[c] |= rows & df[c].notna().to_numpy()
        done[rows] = True

    if set(std.indicator_ids) <= set(df.columns):
        branch(std.indicator_ids, np.ones(n, dtype=bool))
    known = set(_standards.available())
    for k, sid in enumerate(names):
        if str(sid) not in known:
            continue  # an unknown standard: only its score B can say anything
        shared = shared_indicators(std, str(sid))
        if shared and set(shared) <= set(df.columns):
            branch(shared, codes == k, [c for c in std.indicator_ids if c not in shared and c in df.columns])
    for c, rows in reads.items():  # column by column in the standard's order, as the engine checks them
        if rows.any():
            cell = df.loc[rows, c]
            # through the numbers: text "1.0" is the value 1, as the engine reads it (TRY_CAST)
            if not (pd.api.types.is_numeric_dtype(cell.dtype) or cell.dtype == bool):
                cell = pd.to_numeric(cell, errors="coerce")
            count[rows] += _indicator_values(cell.to_frame(c), c).astype(np.int16)
    if not done.all():
        if "b2_score" not in df.columns:
            # the indicators the first such row lacks: a column absent, or its cell blank
            first = int(np.flatnonzero(~done)[0])
            missing = [c for c in std.indicator_ids if c not in df.columns or pd.isna(df[c].iloc[first])]
            _fail("classify.err.no_deprivation_source", missing[0], ~done, df.index, columns=", ".join(missing))
        count[~done] = _b2_to_count(df.loc[~done, ["b2_score"]], std)
    return count


def _b2_to_count(df: pd.DataFrame, std: Standard) -> np.ndarray:
    b2 = pd.to_numeric(df["b2_score"], errors="coerce")
    raw_bad = b2.isna() & df["b2_score"].notna()
    if raw_bad.any():
        _fail("classify.err.b2_not_number", "b2_score", raw_bad.to_numpy(), df.index)
    arr = b2.to_numpy(dtype=np.float64, na_value=np.nan)
    step = std.points_per_deprivation
    bad = np.isnan(arr) | (arr < 0) | (arr > std.max_b2) | (np.mod(arr, step) != 0)
    if bad.any():
        _fail("classify.err.b2_range", "b2_score", bad, df.index, max=std.max_b2, step=step)
    return (arr // step).astype(np.int16)


def _numeric(df: pd.DataFrame, col: str, key: str, *, lo: float, hi: float | None = None) -> np.ndarray:
    s = df[col]
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iuf" and len(s):
        # plain numpy numbers: min/max (NaN propagates) decide; the array is used as is
        arr = s.to_numpy()
        mn, mx = arr.min(), arr.max()
        ok = not np.isnan(mn) and mn >= lo and bool(np.isfinite(mx))  # inf is no income
        if ok and hi is not None:
            ok = mx <= hi
        if ok:
            return arr
    num = pd.to_numeric(s, errors="coerce")
    arr = num.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(arr) | (arr < lo)
    if hi is not None:
        bad |= arr > hi
    if bad.any():
        _fail(key, col, bad, df.index)
    return arr


def _apply_rules(x: np.ndarray, area: np.ndarray, d: np.ndarray, std: Standard,
                 poor_line: tuple, near_line: tuple, avg_line: tuple | None):
    """The standard's rules, block by block so that temporaries stay in cache.

    ``x`` income (or B1 score), ``area`` 0 rural / 1 urban, ``d`` deprivation
    count; lines are (rural, urban) inclusive upper bounds. Returns status
    codes (poor 0, near_poor 1, non_poor 2), poor_via codes (income 0,
    deprivation 1, none -1) and ``average_living_standard`` (or None).
    """
    n = len(x)
    codes = np.empty(n, dtype=np.int8)
    via = np.empty(n, dtype=np.int8)
    avg = np.empty(n, dtype=bool) if avg_line is not None else None
    # an "average living standard" bound the standard does not know (None): unknown above the line
    avg_known = avg_line is not None and None not in avg_line
    pl = np.array(poor_line, dtype=np.float64)
    nl = np.array(near_line, dtype=np.float64)
    al = np.array(avg_line, dtype=np.float64) if avg_known else None
    cutoff = std.deprivation_cutoff
    income_only = std.income_only_poor
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        xb = x[lo:hi].astype(np.float64, copy=False)
        ab = area[lo:hi]
        within_near = xb <= nl.take(ab)
        if income_only:
            income_poor = xb <= pl.take(ab)
        else:
            income_poor = np.zeros(hi - lo, dtype=bool)
        dep_poor = d[lo:hi] >= cutoff
        dep_poor &= within_near
        dep_poor &= ~income_poor
        poor = income_poor | dep_poor
        near = within_near & ~poor
        # poor=0, near_poor=1, non_poor=2; via: income=0, deprivation=1, none=-1
        np.subtract(np.int8(2) - (poor.view(np.int8) << 1), near.view(np.int8), out=codes[lo:hi])
        np.subtract(dep_poor.view(np.int8), (~poor).view(np.int8), out=via[lo:hi])
        if avg is not None and avg_known:
            np.less_equal(xb, al.take(ab), out=avg[lo:hi])
            avg[lo:hi] &= ~within_near
        elif avg is not None:
            avg[lo:hi] = ~within_near  # marks the unknown rows; made missing below
    if avg is not None and not avg_known:
        # within the line: not of average living standard; above it: not known under this standard
        avg = pd.array(np.where(avg, None, False), dtype="boolean")
    return codes, via, avg


def classify_households(
    df: pd.DataFrame,
    standard: str | Standard | None = DEFAULT_STANDARD,
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
        else scores (``b1_score``: B1 under Decision 59/2015, score A under
        Decree 07/2021; see the module docstring).

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``status`` ('poor' | 'near_poor' | 'non_poor'),
        ``poor_via`` ('income' | 'deprivation' | missing), ``deprivation_count``
        (int) and, on the income path, ``average_living_standard`` (bool;
        nullable, missing above the line, when the standard has no known
        average-living-standard bound, e.g. Decree 351/2025).

    Raises
    ------
    PovlibInputError
        Input it cannot classify: missing or unknown area, negative or missing
        income, scores out of range, indicator values other than 0/1, missing
        columns, the score path under a standard without known score
        thresholds (Decree 351/2025). The message names the column and the
        first offending rows.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["rural"], "income": [700_000], "b2_score": [0]})
    >>> classify_households(df).loc[0, "poor_via"]
    'income'
    """
    if standard is None:
        if "standard" not in df.columns:
            raise PovlibInputError.from_key("classify.err.no_standard", column="standard")
        missing = df["standard"].isna().to_numpy()
        if missing.any():
            _fail("classify.err.standard_missing", "standard", missing, df.index)
        work = by_row_label(df)
        parts = [classify_households(g, str(sid), basis=basis)
                 for sid, g in work.groupby("standard", observed=True, sort=False)]
        if not parts:
            return classify_households(df, DEFAULT_STANDARD, basis=basis)
        out = pd.concat(parts).reindex(work.index)
        out.index = df.index
        return out
    std = _standards.get(standard)
    if basis == "auto":
        basis = "income" if "income" in df.columns else "scores"
    if basis not in ("income", "scores"):
        raise PovlibInputError.from_key("classify.err.basis", basis=basis)

    area = _area_codes(df)
    d = count_deprivations(df, std)  # rows of another standard (a what-if): the indicators both share
    if basis == "income":
        if "income" not in df.columns:
            raise PovlibInputError.from_key("classify.err.no_income", column="income")
        x = _numeric(df, "income", "classify.err.income_value", lo=0)
        lines = std.lines
        poor_line = (lines["rural"].poor, lines["urban"].poor)
        near_line = (lines["rural"].near_poor, lines["urban"].near_poor)
        avg_line = (lines["rural"].average, lines["urban"].average)
    else:
        if "b1_score" not in df.columns:
            raise PovlibInputError.from_key("classify.err.no_income_or_b1", column="b1_score")
        thresholds = std.score_thresholds()  # refuses a standard without known thresholds
        x = _numeric(df, "b1_score", "classify.err.b1_value", lo=0, hi=1000)
        poor_line = (thresholds["rural"].poor, thresholds["urban"].poor)
        near_line = (thresholds["rural"].near_poor, thresholds["urban"].near_poor)
        avg_line = None

    codes, via, avg = _apply_rules(x, area, d, std, poor_line, near_line, avg_line)
    # pandas 3 is copy-on-write: a shallow copy is an independent result and avoids copying every column
    out = df.copy(deep=False)
    out["status"] = pd.Categorical.from_codes(codes, dtype=_STATUS_DTYPE, validate=False)
    out["poor_via"] = pd.Categorical.from_codes(via, dtype=_VIA_DTYPE, validate=False)
    out["deprivation_count"] = d
    if avg is not None:
        out["average_living_standard"] = avg
    return out
