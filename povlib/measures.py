"""Poverty rates and Alkire–Foster multidimensional measures.

Rates are households (or people) in a status divided by all resident
households (people) of the unit; they are fractions here and become
percentages only on screen.

The Alkire–Foster (AF) measures follow Alkire & Foster (2011): with weights
``w_i`` summing to 1 and cut-off ``k``, a unit is poor when its weighted
deprivation score ``c = Σ w_i d_i ≥ k``. Then ``H`` is the (population-weighted)
share poor, ``A`` the mean score among the poor, ``M0 = H·A = Σ w_i·hdk_i``.
The comparison with ``k`` is done on integers (weights and ``k`` are turned
into exact fractions over a common denominator, :mod:`povlib.af_weights`), so 3 of 10 equal weights
pass ``k = 0.3``.

Examples
--------
>>> import pandas as pd
>>> from povlib import alkire_foster
>>> d = pd.DataFrame({"a": [1, 1, 0], "b": [1, 0, 0]})
>>> r = alkire_foster(d, k=0.5)
>>> round(r.H, 4), round(r.A, 4), round(r.M0, 4)
(0.6667, 0.75, 0.5)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from . import standards as _standards
from .af_weights import integer_weights
from .errors import PovlibInputError, first_rows
from .i18n import LANGS, t
from .standards import DEFAULT_STANDARD, Standard

__all__ = ["AFResult", "alkire_foster", "af_by_group", "af_from_sums", "rates", "af_for_standard", "deprivation_shares"]


@dataclass(frozen=True)
class AFResult:
    """Alkire–Foster measures for one population.

    Attributes
    ----------
    H : float
        Multidimensional headcount ratio (share poor).
    A : float
        Intensity: mean weighted deprivation score among the poor (0 if none).
    M0 : float
        Adjusted headcount ratio, ``H * A``.
    uncensored : Series
        Share of the population deprived in each indicator (hd).
    censored : Series
        Share of the whole population that is poor and deprived in each indicator (hdk).
    contribution : Series
        Percent contribution of each indicator to M0 (sums to 100; 0 when M0 is 0).
    population : float
        Total population weight.
    poor : ndarray of bool
        Per-row identification of the poor.
    """

    H: float
    A: float
    M0: float
    uncensored: pd.Series
    censored: pd.Series
    contribution: pd.Series
    population: float
    poor: np.ndarray


# rows per block in cache-blocked loops; most (groups × patterns) cells counted with one bincount
_BLOCK = 1 << 16
_MAX_CELLS = 1 << 22


def _indicator_columns(deprivations: pd.DataFrame) -> list[np.ndarray]:
    """The 0/1 columns as int8/uint8 arrays (views where possible), checked.

    Plain numpy bool/integer/float columns are checked one by one without a
    float copy; anything else, or any value other than 0/1, goes through
    :func:`_as_matrix_checked`, which raises the usual error.
    """
    out = []
    for j in range(deprivations.shape[1]):
        s = deprivations.iloc[:, j]
        dt = s.dtype
        if not isinstance(dt, np.dtype):
            break
        a = s.to_numpy()
        if dt.kind == "b":
            out.append(a.view(np.int8))
        elif dt.kind in "iu" and dt.itemsize == 1:
            if len(a) and a.view(np.uint8).max() > 1:
                break
            out.append(a.view(np.int8))
        elif dt.kind in "iuf":
            if len(a) and ((a != 0) & (a != 1)).any():  # NaN too
                break
            out.append(a.astype(np.int8))
        else:
            break
    else:
        return out
    X = _as_matrix_checked(deprivations)
    return [X[:, j] for j in range(X.shape[1])]


def _as_matrix(deprivations: pd.DataFrame) -> np.ndarray:
    cols = _indicator_columns(deprivations)
    if not cols:
        return _as_matrix_checked(deprivations)
    return np.column_stack(cols).astype(np.int8, copy=False)


def _as_matrix_checked(deprivations: pd.DataFrame) -> np.ndarray:
    arr = deprivations.to_numpy()
    if arr.dtype == bool:
        return arr.astype(np.int8)
    arr = np.asarray(arr, dtype=np.float64)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        col = deprivations.columns[c]
        raise PovlibInputError.from_key("measures.err.matrix_values", column=str(col), rows=[deprivations.index[r]],
                                        col=col, row=deprivations.index[r])
    return arr.astype(np.int8)


def alkire_foster(
    deprivations: pd.DataFrame,
    weights: Sequence[float] | Mapping[str, float] | None = None,
    k: float = 1 / 3,
    *,
    population: Sequence[float] | pd.Series | None = None,
) -> AFResult:
    """Alkire–Foster measures of a deprivation matrix.

    Parameters
    ----------
    deprivations : DataFrame
        One 0/1 (or bool) column per indicator, one row per unit of analysis.
    weights : sequence or mapping, optional
        Indicator weights summing to 1 (default: equal weights).
    k : float
        Poverty cut-off as a share of the weighted indicators: poor when the
        score is at least ``k`` (decided exactly).
    population : sequence, optional
        Population weight per row (e.g. household size for person-level
        measures); default 1 per row.

    Returns
    -------
    AFResult

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame([[1, 1, 1, 0, 0, 0, 0, 0, 0, 0]], columns=list("abcdefghij"))
    >>> alkire_foster(d, k=0.3).H
    1.0
    """
    cols = [str(c) for c in deprivations.columns]
    W, K, w = integer_weights(cols, weights, k)
    X = _as_matrix(deprivations)
    pop = np.ones(len(X)) if population is None else np.asarray(population, dtype=np.float64)
    if len(pop) != len(X):
        raise PovlibInputError.from_key("measures.err.population_length")
    score_int = X.astype(W.dtype) @ W
    poor = np.asarray(score_int >= K, dtype=bool)
    total = float(pop.sum())
    if total <= 0:
        zero = pd.Series(0.0, index=cols)
        return AFResult(0.0, 0.0, 0.0, zero, zero, zero, total, poor)
    pw = pop * poor
    H = float(pw.sum() / total)
    hd = (pop @ X) / total
    hdk = (pw @ X) / total
    M0 = float(hdk @ w)
    A = M0 / H if H > 0 else 0.0
    contrib = (w * hdk / M0 * 100.0) if M0 > 0 else np.zeros(len(cols))
    return AFResult(
        H=H, A=float(A), M0=M0,
        uncensored=pd.Series(hd, index=cols),
        censored=pd.Series(hdk, index=cols),
        contribution=pd.Series(contrib, index=cols),
        population=total,
        poor=poor,
    )


def af_by_group(
    df: pd.DataFrame,
    indicators: Sequence[str],
    by: str | Sequence[str],
    *,
    weights: Sequence[float] | Mapping[str, float] | None = None,
    k: float = 1 / 3,
    population: str | None = None,
) -> pd.DataFrame:
    """Alkire–Foster measures per group, vectorised (rows counted per group and deprivation pattern).

    Returns one row per group with ``population``, ``pop_share``, ``H``, ``A``,
    ``M0``, and per indicator ``hd_<id>``, ``hdk_<id>`` and ``contrib_<id>``
    (percent of the group's M0). The national M0 equals
    ``(pop_share * M0).sum()`` (subgroup decomposability).
    """
    indicators = list(indicators)
    by = [by] if isinstance(by, str) else list(by)
    W, K, w = integer_weights(indicators, weights, k)
    X = _indicator_columns(df[indicators])
    pop = None if population is None else df[population].to_numpy(dtype=np.float64)
    index, S = _group_sums(df, by, X, W, K, pop)
    g_pop, g_poor, g_hd, g_hdk = S
    out = af_from_sums(g_pop, g_poor, list(g_hd.T), list(g_hdk.T), indicators, w)
    return pd.DataFrame(out, index=index).reset_index()


def af_from_sums(g_pop: np.ndarray, g_poor: np.ndarray, g_hd: Sequence[np.ndarray], g_hdk: Sequence[np.ndarray],
                 indicators: Sequence[str], w: Sequence[float]) -> dict[str, np.ndarray]:
    """Alkire–Foster measures per group from its sums, as the columns of :func:`af_by_group`.

    The one place where H, A, M0, the headcount shares and the contributions are derived from the
    per-group sums, whoever computed them (numpy here, a SQL engine in :func:`povlib.query.af_by_group`).

    Parameters
    ----------
    g_pop, g_poor : numpy.ndarray
        Population and poor population of each group.
    g_hd, g_hdk : sequence of numpy.ndarray
        Per indicator (in the order of ``indicators``): the deprived and the poor-and-deprived
        population of each group.
    indicators : sequence of str
        The indicator ids (column names ``hd_<id>``, ``hdk_<id>``, ``contrib_<id>``).
    w : sequence of float
        The indicators' weights (summing to 1).

    Returns
    -------
    dict of str to numpy.ndarray
        ``population``, ``pop_share``, ``H``, ``hd_<id>``, ``hdk_<id>``, ``M0``, ``A``,
        ``contrib_<id>`` (percent of the group's M0); a group of no population has zeros.

    Examples
    --------
    >>> out = af_from_sums(np.array([3.0, 0.0]), np.array([2.0, 0.0]), [np.array([2.0, 0.0])],
    ...                    [np.array([2.0, 0.0])], ["a"], [1.0])
    >>> [round(float(v), 4) for v in (out["H"][0], out["M0"][0], out["A"][0], out["pop_share"][0])]
    [0.6667, 0.6667, 1.0, 1.0]
    >>> out["H"][1], out["contrib_a"][1]
    (np.float64(0.0), np.float64(0.0))
    """
    total = g_pop.sum()
    has = g_pop > 0

    def ratio(num: np.ndarray) -> np.ndarray:
        return np.divide(num, g_pop, out=np.zeros(len(g_pop)), where=has)

    # plain arrays, one DataFrame at the end (no per-column inserts)
    out: dict[str, np.ndarray] = {
        "population": g_pop,
        "pop_share": g_pop / total if total > 0 else np.zeros(len(g_pop)),
        "H": ratio(g_poor),
    }
    m0 = np.zeros(len(g_pop))
    for j, c in enumerate(indicators):
        out[f"hd_{c}"] = ratio(np.asarray(g_hd[j], dtype=np.float64))
        out[f"hdk_{c}"] = ratio(np.asarray(g_hdk[j], dtype=np.float64))
        m0 = m0 + w[j] * out[f"hdk_{c}"]
    out["M0"] = m0
    H = out["H"]
    out["A"] = np.where(H > 0, m0 / np.where(H > 0, H, 1.0), 0.0)
    m0_safe = np.where(m0 > 0, m0, 1.0)
    for j, c in enumerate(indicators):
        out[f"contrib_{c}"] = np.where(m0 > 0, w[j] * out[f"hdk_{c}"] / m0_safe * 100, 0.0)
    return out


def _key_codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of a grouping column and their count; missing values get code 0."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64) + 1, len(s.cat.categories) + 1
    codes, uniques = pd.factorize(s)
    return codes.astype(np.int64) + 1, len(uniques) + 1


def _group_sums(df: pd.DataFrame, by: list[str], X: list[np.ndarray], W: np.ndarray, K: int,
                pop: np.ndarray | None):
    """Per group (sorted like ``groupby(observed=True, sort=True)``): population,
    poor population, and per indicator deprived and poor-and-deprived population.

    Rows are counted per (group, deprivation pattern) with one bincount; the
    pattern decides the score, so H, hd and hdk follow from small matrix
    products. Groups with a missing key are dropped, as groupby does.
    """
    n, m = len(df), len(X)
    rid = np.zeros(n, dtype=np.int64)
    R = 1
    for b in by:
        kc, nk = _key_codes(df[b])
        rid = rid * nk + kc
        R *= nk
    if R > 4 * n + 1024:
        rid, uniq = pd.factorize(rid)
        R = len(uniq)
    rows_per = np.bincount(rid, minlength=R)
    present = np.flatnonzero(rows_per > 0)
    # the result index and the sorted position of each present key combination, from pandas itself
    rep = np.zeros(R, dtype=np.int64)
    rep[rid] = np.arange(n)
    small = df.iloc[rep[present]]
    sg = small.groupby([small[b] for b in by], observed=True, sort=True)
    pos = sg.ngroup().to_numpy(dtype=np.float64)
    index = sg.size().index
    G = len(index)
    keep = ~np.isnan(pos)
    dest = np.full(R, -1, dtype=np.int64)
    dest[present[keep]] = pos[keep].astype(np.int64)

    dtype = np.int64 if pop is None else np.float64
    P = 1 << m
    if m <= 16 and R * P <= _MAX_CELLS:
        counts = np.zeros(R * P, dtype=dtype)
        for lo in range(0, n, _BLOCK):
            hi = min(lo + _BLOCK, n)
            pat = np.zeros(hi - lo, dtype=np.int64)
            for j, x in enumerate(X):
                pat |= x[lo:hi].astype(np.int64) << j
            cell = rid[lo:hi] * P + pat
            counts += np.bincount(cell, weights=None if pop is None else pop[lo:hi], minlength=R * P).astype(dtype, copy=False)
        C = counts.reshape(R, P)
        bits = ((np.arange(P)[:, None] >> np.arange(m)[None, :]) & 1).astype(dtype)
        poor_pat = (bits.astype(np.int64) @ W) >= K
        raw = (C.sum(axis=1), C[:, poor_pat].sum(axis=1), C @ bits, C[:, poor_pat] @ bits[poor_pat])
    else:  # too many cells: one weighted bincount per indicator
        score = np.zeros(n, dtype=np.int64)
        for j, x in enumerate(X):
            score += x.astype(np.int64) * W[j]
        poor = score >= K
        wt = np.ones(n) if pop is None else pop
        pw = wt * poor
        raw = (np.bincount(rid, weights=wt, minlength=R), np.bincount(rid, weights=pw, minlength=R),
               np.column_stack([np.bincount(rid, weights=wt * x, minlength=R) for x in X]),
               np.column_stack([np.bincount(rid, weights=pw * x, minlength=R) for x in X]))
    ok = dest >= 0
    res = []
    for a in raw:
        a = np.asarray(a, dtype=np.float64)
        o = np.zeros((G,) + a.shape[1:], dtype=np.float64)
        o[dest[ok]] = a[ok]
        res.append(o)
    return index, res


def af_for_standard(
    df: pd.DataFrame,
    standard: str | Standard = DEFAULT_STANDARD,
    *,
    by: str | Sequence[str] | None = None,
    population: str | None = None,
) -> AFResult | pd.DataFrame:
    """AF measures with a standard's indicators, equal weights and its cut-off.

    ``k`` is ``deprivation_cutoff / number of indicators`` (3 of 10 for
    Decision 59/2015), so "AF-poor" means multidimensionally deprived.
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    if by is None:
        pop = None if population is None else df[population]
        return alkire_foster(df[ids], k=k, population=pop)
    return af_by_group(df, ids, by, k=k, population=population)


def _members(df: pd.DataFrame, column: str) -> np.ndarray:
    """Household sizes as int64, refusing missing, fractional, non-finite and < 1 values."""
    s = df[column]
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu":
        arr = s.to_numpy().astype(np.int64, copy=False)
        bad = arr < 1
    else:
        num = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(num) | (num < 1) | (num != np.floor(num))
        arr = np.where(bad, 0, num).astype(np.int64)
    if len(arr) and bad.any():
        rows = first_rows(bad, df.index)
        shown = ", ".join(map(str, rows))
        raise PovlibInputError(*(t("measures.err.members_value", lang, column=column, rows=shown) for lang in LANGS),
                               column=column, rows=rows)
    return arr


def _via_masks(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose ``poor_via`` is ``'income'`` and ``'deprivation'`` (a categorical column compared on its codes,
    not turned into Python strings row by row); no column: neither."""
    if "poor_via" not in df.columns:
        return np.zeros(len(df), dtype=bool), np.zeros(len(df), dtype=bool)
    col = df["poor_via"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, cats = col.cat.codes.to_numpy(), list(col.cat.categories)
        return tuple(codes == cats.index(v) if v in cats else np.zeros(len(df), dtype=bool)  # type: ignore[return-value]
                     for v in ("income", "deprivation"))
    via = col.astype(object).to_numpy()
    return via == "income", via == "deprivation"


def rates(df: pd.DataFrame, by: str | Sequence[str] | None = None, *, members: str = "members") -> pd.DataFrame:
    """Household and people counts and rates by status, per group.

    Parameters
    ----------
    df : DataFrame
        Classified households (``status``, ``poor_via``; ``members`` for people).
    by : str or list of str, optional
        Grouping columns (commune, village, area, ethnic minority, any flag).
        None gives one row for the whole table.

    Returns
    -------
    DataFrame
        Columns ``households``, ``poor``, ``near_poor``, ``poor_near``,
        ``income_poor``, ``deprivation_poor``, ``poor_rate``, ``near_poor_rate``,
        ``poor_near_rate``, and when ``members`` exists ``people``,
        ``poor_people``, ``near_poor_people``, ``poor_people_rate``,
        ``near_poor_people_rate``. Rates are fractions.
    """
    if "status" not in df.columns:
        raise PovlibInputError.from_key("measures.err.not_classified", column="status")
    st = df["status"].astype(str).to_numpy() if not isinstance(df["status"].dtype, pd.CategoricalDtype) else None
    if st is None:
        codes = df["status"].cat.codes.to_numpy()
        cats = list(df["status"].cat.categories)
        poor = codes == cats.index("poor") if "poor" in cats else np.zeros(len(df), bool)
        near = codes == cats.index("near_poor") if "near_poor" in cats else np.zeros(len(df), bool)
    else:
        poor, near = st == "poor", st == "near_poor"
    by_income, by_deprivation = _via_masks(df)
    frame = {
        "households": np.ones(len(df), dtype=np.int64),
        "poor": poor.astype(np.int64),
        "near_poor": near.astype(np.int64),
        "income_poor": (poor & by_income).astype(np.int64),
        "deprivation_poor": (poor & by_deprivation).astype(np.int64),
    }
    has_people = members in df.columns
    if has_people:
        m = _members(df, members)
        frame["people"] = m
        frame["poor_people"] = m * poor
        frame["near_poor_people"] = m * near
    work = pd.DataFrame(frame, index=df.index)
    if by is None:
        g = work.sum().to_frame().T
    else:
        by = [by] if isinstance(by, str) else list(by)
        g = work.groupby([df[b] for b in by], observed=True, sort=True).sum().reset_index()
    g["poor_near"] = g["poor"] + g["near_poor"]
    hh = g["households"].where(g["households"] > 0)
    g["poor_rate"] = (g["poor"] / hh).fillna(0.0)
    g["near_poor_rate"] = (g["near_poor"] / hh).fillna(0.0)
    g["poor_near_rate"] = (g["poor_near"] / hh).fillna(0.0)
    if has_people:
        pp = g["people"].where(g["people"] > 0)
        g["poor_people_rate"] = (g["poor_people"] / pp).fillna(0.0)
        g["near_poor_people_rate"] = (g["near_poor_people"] / pp).fillna(0.0)
    return g


def deprivation_shares(df: pd.DataFrame, standard: str | Standard = DEFAULT_STANDARD, *, by: str | Sequence[str] | None = None,
                       indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of households deprived in each indicator, overall and by group.

    Returns a long table with columns ``[*by], indicator, deprived, households, share``. ``indicators``: some
    of the standard's only (those a review in another standard's form gives), default every one.
    """
    std = _standards.get(standard)
    ids = list(indicators) if indicators is not None else std.indicator_ids
    work = df[ids].astype(np.int64)
    work["households"] = 1
    if by is None:
        g = work.sum().to_frame().T
        by_cols: list[str] = []
    else:
        by_cols = [by] if isinstance(by, str) else list(by)
        g = work.groupby([df[b] for b in by_cols], observed=True, sort=True).sum().reset_index()
    long = g.melt(id_vars=by_cols + ["households"], value_vars=ids, var_name="indicator", value_name="deprived")
    long["share"] = (long["deprived"] / long["households"].where(long["households"] > 0)).fillna(0.0)
    return long
