"""Alkire–Foster measures per unit: :func:`povlib.measures.af_by_group` in SQL.

The engine identifies the poor with integer weights and an integer cut-off (the same exact
fractions as :mod:`povlib.measures`: a household is poor when ``Σ W_i d_i ≥ K``) and returns, per
group, integer sums: population, poor population and, per indicator, the deprived and the
poor-and-deprived population. H, A, M0, the shares and the contributions follow from those sums
with :func:`povlib.measures.af_from_sums`, as :func:`povlib.measures.af_by_group` does.

Only rows that carry every indicator are counted (:func:`povlib.panel.with_indicators`: a row
reviewed with the B2 score only has no indicators).

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> d = pd.DataFrame({"g": ["x", "x", "x"], "a": [1, 1, 0], "b": [1, 0, 0]})
>>> r = af_by_group(from_frame(d), ["a", "b"], "g", k=0.5)
>>> round(float(r.H[0]), 4), round(float(r.A[0]), 4), round(float(r.M0[0]), 4)
(0.6667, 0.75, 0.5)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..af_weights import integer_weights
from ..measures import af_from_sums
from ..standards import DEFAULT_STANDARD, Standard
from .rates import by_list
from .source import VIEW, Filter, Source

__all__ = ["af_sql", "af_by_group", "af_for_standard"]


def af_sql(indicators: Sequence[str], W: Sequence[int], K: int, by: str | Sequence[str] | None = None, *,
           population: str | None = None, where: Filter | None = None) -> str:
    """The SQL of the AF sums (plain ANSI SQL over the ``households`` view).

    Columns: the ``by`` keys, ``pop``, ``poor`` and ``hd_<i>``, ``hdk_<i>`` per indicator (integers).

    Examples
    --------
    >>> sql = af_sql(["a", "b"], [1, 2], 2, "g")
    >>> print(sql.splitlines()[1]); print(sql.splitlines()[6])
      SELECT g, CAST(a AS INTEGER) AS d_a, CAST(b AS INTEGER) AS d_b
      SELECT g, d_a, d_b, CASE WHEN d_a + 2 * d_b >= 2 THEN 1 ELSE 0 END AS p
    """
    keys = by_list(by)
    ind = list(indicators)
    # one pass over the rows: the indicators read once as small integers, every sum in the same GROUP BY;
    # without a population column each row counts 1 (no product), otherwise its population as BIGINT
    score = " + ".join(f"{int(w)} * d_{c}" if int(w) != 1 else f"d_{c}" for c, w in zip(ind, W))
    small = "INTEGER" if sum(abs(int(w)) for w in W) < 2 ** 24 else "BIGINT"  # Σ W_i d_i cannot overflow
    inner = ", ".join([*keys, *(f"CAST({c} AS {small}) AS d_{c}" for c in ind),
                       *([f"CAST({population} AS BIGINT) AS wt"] if population else [])])
    conds = [f"{c} IS NOT NULL" for c in ind] + [f"{k} IS NOT NULL" for k in keys]
    where = where or Filter()
    if population:
        sums = ["CAST(COALESCE(SUM(wt), 0) AS BIGINT) AS pop", "CAST(COALESCE(SUM(wt * p), 0) AS BIGINT) AS poor"]
        for c in ind:
            sums += [f"CAST(COALESCE(SUM(wt * d_{c}), 0) AS BIGINT) AS hd_{c}",
                     f"CAST(COALESCE(SUM(wt * p * d_{c}), 0) AS BIGINT) AS hdk_{c}"]
    else:
        sums = ["CAST(COUNT(*) AS BIGINT) AS pop", "CAST(COALESCE(SUM(p), 0) AS BIGINT) AS poor"]
        for c in ind:
            sums += [f"CAST(COALESCE(SUM(d_{c}), 0) AS BIGINT) AS hd_{c}",
                     f"CAST(COALESCE(SUM(p * d_{c}), 0) AS BIGINT) AS hdk_{c}"]
    rest = ", ".join([*keys, *(f"d_{c}" for c in ind), *(["wt"] if population else [])])
    sql = (f"WITH r AS (\n  SELECT {inner}\n  FROM {VIEW}\n  {where.where(*conds)}\n),\n"
           f"s AS (\n  SELECT {rest}, CASE WHEN {score} >= {int(K)} THEN 1 ELSE 0 END AS p\n  FROM r\n)\n"
           f"SELECT {', '.join([*keys, *sums])}\nFROM s\n")
    if keys:
        sql += "GROUP BY " + ", ".join(keys) + "\nORDER BY " + ", ".join(keys) + "\n"
    return sql


def af_by_group(source: Source, indicators: Sequence[str], by: str | Sequence[str], *,
                weights: Sequence[float] | Mapping[str, float] | None = None, k: float = 1 / 3,
                population: str | None = None, where: Filter | None = None) -> pd.DataFrame:
    """Alkire–Foster measures per group, the sums computed by the engine.

    Same columns and values as :func:`povlib.measures.af_by_group` on the same rows:
    ``[*by]``, ``population``, ``pop_share``, ``H``, ``hd_<i>``, ``hdk_<i>`` per indicator,
    ``M0``, ``A`` and ``contrib_<i>``.
    """
    indicators = list(indicators)
    keys = by_list(by)
    W, K, w = integer_weights(indicators, weights, k)
    g = source.sql(af_sql(indicators, W, K, keys, population=population, where=where))
    g_pop = g["pop"].to_numpy(dtype=np.float64)
    g_poor = g["poor"].to_numpy(dtype=np.float64)
    out = af_from_sums(g_pop, g_poor, [g[f"hd_{c}"].to_numpy(dtype=np.float64) for c in indicators],
                       [g[f"hdk_{c}"].to_numpy(dtype=np.float64) for c in indicators], indicators, w)
    res = pd.DataFrame(out)
    for j, key in enumerate(keys):
        res.insert(j, key, g[key].to_numpy())
    return res


def af_for_standard(source: Source, standard: str | Standard = DEFAULT_STANDARD, *,
                    by: str | Sequence[str], population: str | None = None,
                    where: Filter | None = None) -> pd.DataFrame:
    """AF measures per group with a standard's indicators, equal weights and its cut-off
    (:func:`povlib.measures.af_for_standard` with ``by``)."""
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    return af_by_group(source, ids, by, k=k, population=population, where=where)
