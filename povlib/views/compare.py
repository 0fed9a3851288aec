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

import pandas as pd

from .. import standards as _standards
from ..columns import is_in
from ..geo.join import unit_measures
from ..measures import deprivation_shares
from ..panel import with_indicators
from ..sorting import vi_key
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
    names = commune_choices(rows)
    order = [c for c in names if c in codes]
    d = rows[rows["year"] == int(year)]
    if d.empty:
        empty = pd.DataFrame(columns=["code", "name"])
        return Comparison(empty, empty.assign(indicator=[], share=[]), rates_trend(rows, "commune"))
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
    trend = rates_trend(rows, "commune")
    trend = _in_order(trend, order)
    cols = ["code", "name", "district_name", "households", "poor", "near_poor", "poor_rate", "near_poor_rate",
            "H", "A", "M0", "with_indicators"]
    out = m[cols].copy()
    out.attrs.update(m.attrs)
    return Comparison(out, ind, trend)
