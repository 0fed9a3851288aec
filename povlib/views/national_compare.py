"""Units of the national dataset side by side (the compare page), computed where the data are.

:func:`compare_units` is :func:`povlib.views.compare_communes` for the national dataset: two to four
communes of one province, or provinces, each with its rates and Alkire–Foster measures
(:func:`povlib.views.national.unit_measures`), the indicators' uncensored shares (one grouped SQL sum
over the households that carry every indicator) and every year's rates
(:func:`povlib.views.national.rates_trend`). Only small tables come back from the engine.

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> df = pd.DataFrame({"year": [2025] * 4, "province_code": ["01", "01", "19", "19"],
...                    "commune_code": ["00004", "00004", "05500", "05501"],
...                    "commune_name": ["Phường Ba Đình", "Phường Ba Đình", "Xã X", "Xã Y"],
...                    "status": ["poor", "non_poor", "near_poor", "poor"], "standard": "ND07_2021",
...                    "members": [3, 2, 4, 1], "area": "urban"})
>>> unit_choices(from_frame(df), 2025, "commune", province="19")
{'05500': 'Xã X', '05501': 'Xã Y'}
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError
from ..geo.national import province_names
from ..query.source import VIEW, Source, literal
from ..sorting import vi_key
from .compare import Comparison
from .national import UnitFilter, facts_standards, rates_trend, unit_filter, unit_measures

__all__ = ["unit_choices", "compare_units"]

_KEY = {"province": "province_code", "commune": "commune_code"}


def _key(level: str) -> str:
    if level not in _KEY:
        raise PovlibInputError.from_key("nat.err.level", level=level)
    return _KEY[level]


def unit_choices(source: Source, year: int, level: str, *, province: str | None = None) -> dict[str, str]:
    """Code -> name of the units one may compare in ``year``: the provinces (``level='province'``) or the
    communes of ``province``, in Vietnamese dictionary order of the names (one grouped query)."""
    key = _key(level)
    where = unit_filter(years=(year,), province=province if level == "commune" else None)
    if level == "province":
        codes = source.sql(f"SELECT DISTINCT province_code AS code FROM {VIEW} {where.where()}")["code"].astype(str)
        names = province_names()
        u = pd.DataFrame({"code": codes, "name": [names.get(c, c) for c in codes]})
    else:
        u = source.sql(f"SELECT {key} AS code, MIN(commune_name) AS name FROM {VIEW} {where.where()} GROUP BY {key}")
        u = u.astype({"code": str, "name": str})
    u = u.sort_values("code", kind="stable").sort_values("name", key=vi_key, kind="stable")
    return dict(zip(u["code"], u["name"]))


def _in_order(df: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    pos = {c: i for i, c in enumerate(order)}
    return df.iloc[df["code"].map(pos).argsort(kind="stable")].reset_index(drop=True)


def indicator_shares(source: Source, where: UnitFilter, standard: str, key: str) -> pd.DataFrame:
    """Households deprived in each indicator per unit (``key``), over the households carrying every indicator:
    the long table of :func:`povlib.measures.deprivation_shares` (``code``, ``indicator``, ``deprived``,
    ``households``, ``share``), indicators in legal order within each unit."""
    std = _standards.get(standard)
    ids = std.indicator_ids
    known = " AND ".join(f"{i} IS NOT NULL" for i in ids)
    sums = ", ".join(f"CAST(SUM(CAST({i} AS BIGINT)) AS BIGINT) AS {i}" for i in ids)
    g = source.sql(f"SELECT {key} AS code, CAST(COUNT(*) AS BIGINT) AS households, {sums} FROM {VIEW} "
                   f"{where.where(known)} GROUP BY {key}")
    g["code"] = g["code"].astype(str)
    long = g.melt(id_vars=["code", "households"], value_vars=ids, var_name="indicator", value_name="deprived")
    long = long.astype({"households": np.int64, "deprived": np.int64})
    # the same expression as povlib.measures.deprivation_shares, on the same integer counts
    long["share"] = (long["deprived"] / long["households"].where(long["households"] > 0)).fillna(0.0)
    long["_i"] = long["indicator"].map({i: n for n, i in enumerate(ids)})
    return long.sort_values(["code", "_i"], kind="stable").drop(columns="_i").reset_index(drop=True)


def compare_units(source: Source, codes: Sequence[str], year: int, level: str, *, province: str | None = None,
                  group: str | None = "all", standard: str | None = None) -> Comparison:
    """Rates and measures (of ``year``), indicators (of ``year``) and the trend (every year) of the units
    ``codes``: provinces, or communes of ``province``; the columns of :func:`povlib.views.compare_communes`.

    ``standard`` None: the indicators of the year's own standard. A code without households in ``year``
    has no row in ``rates`` and ``indicators`` (it may still have a trend).
    """
    key = _key(level)
    codes = [str(c) for c in codes]
    prov = province if level == "commune" else None
    choices = unit_choices(source, year, level, province=prov)
    order = [c for c in choices if c in codes]
    cond = f"{key} IN ({', '.join(literal(c) for c in codes)})" if codes else "1 = 0"
    base = unit_filter(years=(year,), province=prov, group=group)
    where = UnitFilter(years=base.years, provinces=base.provinces, extra=(*base.extra, cond))
    trend = rates_trend(source, level, province=prov, communes=codes if level == "commune" else (), group=group)
    trend = _in_order(trend[trend["code"].isin(codes)], order + [c for c in codes if c not in order])
    std_id = standard or (facts_standards(source, [year]) or [None])[0]
    if not order or std_id is None:
        empty = pd.DataFrame(columns=["code", "name"])
        return Comparison(empty, empty.assign(indicator=[], share=[]), trend)
    m = unit_measures(source, year, level, province=prov, group=group, standard=std_id)
    m = _in_order(m[m["code"].isin(codes)], order)
    used = m.attrs["indicator_standard"]  # a what-if standard whose indicators the data lack: the year's own
    ind = indicator_shares(source, where, used, key)
    ind["name"] = ind["code"].map(choices)
    ind = _in_order(ind, order)[["code", "name", "indicator", "deprived", "households", "share"]]
    ind.attrs["standard"] = used
    cols = ["code", "name", "district_name", "households", "poor", "near_poor", "poor_rate", "near_poor_rate",
            "H", "A", "M0", "with_indicators"]
    out = m[cols].copy()
    out.attrs.update(m.attrs)
    return Comparison(out, ind, trend)
