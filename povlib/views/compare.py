"""Communes side by side: rates and Alkire–Foster measures, the indicators, the trend.

The figures are the map's (:func:`povlib.geo.unit_measures`) and the trend's
(:func:`povlib.views.rates_trend`), restricted to the chosen communes; the
communes come back in Vietnamese dictionary order (:mod:`povlib.sorting`).

Examples
--------
>>> import povlib
>>> from povlib.views.compare import compare_communes, commune_choices
>>> p = povlib.load_demo()
>>> list(commune_choices(p[p["year"] == 2019]))[:2]   # the communes of one year (codes are reused later)
['02020', '02035']
>>> c = compare_communes(p, ["02035", "02020"], 2019)
>>> c.rates["name"].tolist(), len(c.indicators), sorted(c.trend["year"].unique().tolist())[:4]
(['Thị trấn Bằng Lũng', 'Xã Bản Thi'], 20, [2016, 2017, 2018, 2019])
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..columns import as_text, is_in
from ..errors import PovlibInputError
from ..geo.join import unit_measures
from ..measures import deprivation_shares
from ..panel import with_indicators
from ..sorting import vi_key
from ..units import units_at
from .periods import on_units, same_unit
from .selection import LEVELS
from .trends import rates_trend

__all__ = ["MAX_COMPARED", "Comparison", "commune_choices", "compare_communes"]

#: how many communes the page puts side by side at most
MAX_COMPARED = 4


@dataclass(frozen=True)
class Comparison:
    """The chosen communes side by side.

    Attributes
    ----------
    rates : DataFrame
        One row per commune (Vietnamese order): ``code``, ``name``,
        ``district_name``, ``households``, ``poor``, ``near_poor``,
        ``poor_rate``, ``near_poor_rate``, ``H``, ``A``, ``M0``,
        ``with_indicators`` (:func:`povlib.geo.unit_measures`).
    indicators : DataFrame
        Long: ``code``, ``name``, ``indicator``, ``deprived``, ``households``,
        ``share`` (uncensored, over the households with every indicator),
        indicators in legal order; ``attrs['standard']`` the indicators'
        standard.
    trend : DataFrame
        :func:`povlib.views.rates_trend` by commune, every review year.
    """

    rates: pd.DataFrame
    indicators: pd.DataFrame
    trend: pd.DataFrame


def commune_choices(panel: pd.DataFrame) -> dict[str, str]:
    """Code -> name of every commune of ``panel``, in Vietnamese dictionary order of the names."""
    code_col, name_col = LEVELS["commune"]
    u = panel[[code_col, name_col]].drop_duplicates(code_col).astype(str)
    u = u.sort_values(name_col, key=vi_key, kind="stable")
    return dict(zip(u[code_col], u[name_col]))


def _same_unit_rows(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of years in which their commune code named the unit it names in ``year`` (codes the unit
    registry does not know in ``year`` keep every year). Only the distinct (code, year) pairs are looked up."""
    c_idx, c_uni = pd.factorize(as_text(rows[LEVELS["commune"][0]]))
    y_idx, y_uni = pd.factorize(rows["year"].to_numpy().astype(np.int64))
    n_years = max(len(y_uni), 1)
    p_idx, p_uni = pd.factorize(c_idx.astype(np.int64) * n_years + y_idx)
    ok = np.zeros(len(p_uni), dtype=bool)
    for i, p in enumerate(p_uni):  # the distinct (code, year) pairs, not the rows
        c, y = str(c_uni[p // n_years]), int(y_uni[p % n_years])
        ok[i] = y == year or same_unit(c, y, year) or not same_unit(c, year, year)
    return rows[ok[p_idx]]


def _in_order(df: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    pos = {c: i for i, c in enumerate(order)}
    return df.iloc[df["code"].map(pos).argsort(kind="stable")].reset_index(drop=True)


def compare_communes(panel: pd.DataFrame, codes: Sequence[str], year: int, *,
                     standard: str | None = None) -> Comparison:
    """Rates, indicators (of ``year``) and trend (every year) of the communes ``codes``.

    ``panel`` is the classified panel (all years); a code without households
    in ``year`` has no row in ``rates`` and ``indicators`` (it may still have a
    trend).
    """
    code_col, name_col = LEVELS["commune"]
    codes = [str(c) for c in codes]
    rows = panel[is_in(panel[code_col], codes)]
    d = rows[rows["year"] == int(year)]
    # the communes as units of ``year`` (a code was reused across the reforms): their names that year, and
    # their trend with every year re-expressed on the units of that year, as on the trends page
    names = commune_choices(d)  # the year's names in Vietnamese order, then the other years' (no row in ``year``)
    names |= {c: n for c, n in commune_choices(rows).items() if c not in names}
    order = [c for c in names if c in codes]
    series = rows.iloc[:0]
    if len(d) and set(codes) <= set(units_at(int(year))["code"].astype(str)):  # communes of the registry
        try:
            series = on_units(panel, int(year), communes=codes, year=int(year))
        except PovlibInputError:  # other rows' codes the registry does not know
            pass
    if series.empty:  # else: the years in which each code named the same unit
        series = _same_unit_rows(rows, int(year))
    if d.empty:
        empty = pd.DataFrame(columns=["code", "name"])
        return Comparison(empty, empty.assign(indicator=[], share=[]), rates_trend(series, "commune"))
    m = unit_measures(d, int(year), standard=standard)
    dist = d.drop_duplicates(code_col).set_index(d.drop_duplicates(code_col)[code_col].astype(str))["district_name"]
    m["district_name"] = m["code"].map(dist).astype(str)
    m = _in_order(m, order)
    std = _standards.get(m.attrs["indicator_standard"])
    known, _ = with_indicators(d, std.id)
    ind = deprivation_shares(known.assign(code=known[code_col].astype(str)), std, by="code")
    ind["name"] = ind["code"].map(names)
    ind["_i"] = ind["indicator"].map({i: n for n, i in enumerate(std.indicator_ids)})
    ind = _in_order(ind.sort_values("_i", kind="stable"), order).drop(columns="_i")
    ind = ind[["code", "name", "indicator", "deprived", "households", "share"]]
    ind.attrs["standard"] = std.id
    trend = _in_order(rates_trend(series, "commune"), order)
    # households placed in a commune by a weight when re-expressed on the year's units (a divided unit)
    re_expressed = "unit_estimated" in series  # on_units' column: the series is on the year's units
    trend.attrs.update(on_units=re_expressed, estimated=int(series["unit_estimated"].sum()) if re_expressed else 0)
    cols = ["code", "name", "district_name", "households", "poor", "near_poor", "poor_rate", "near_poor_rate",
            "H", "A", "M0", "with_indicators"]
    out = m[cols].copy()
    out.attrs.update(m.attrs)
    return Comparison(out, ind, trend)
