"""The overview's headline figures and the ranking of units.

Examples
--------
>>> import povlib
>>> from povlib.views import with_flows, overview_figures
>>> fig = overview_figures(with_flows(povlib.load_demo()), 2019)
>>> round(fig["poor_rate"] * 100, 2)
15.86
"""
from __future__ import annotations

import pandas as pd

from ..measures import rates
from .selection import LEVELS
from .trends import FLOW_CODES, standards_in_years

__all__ = ["overview_figures", "unit_ranking"]


def _prev_year(panel: pd.DataFrame, year: int) -> int | None:
    ys = panel["year"].unique()
    earlier = ys[ys < year]
    return int(earlier.max()) if len(earlier) else None


def overview_figures(panel: pd.DataFrame, year: int) -> dict:
    """The overview's headline figures for ``year`` over the rows given.

    Returns
    -------
    dict
        ``year``, ``prev_year`` (or None), ``households``, ``people``,
        ``poor``, ``near_poor``, ``poor_rate``, ``near_poor_rate``,
        ``income_poor``, ``deprivation_poor``, the same counts and rates of the
        previous year as ``prev_<name>``, the changes ``d_poor`` /
        ``d_near_poor`` (households) and ``d_poor_rate`` / ``d_near_poor_rate``
        (fractions; × 100 = points), and the flow counts of the year
        (``escaped_poverty``, ``newly_poor``, ``re_poor``,
        ``escaped_near_poverty``, ``newly_near_poor``, ``re_near_poor``; None
        for the first year of the panel). Counts are ints, rates floats.
        ``standards``: the standards of the previous year and of ``year``
        (distinct, in year order); two of them mean the changes compare
        figures measured under different standards and must be flagged.
    """
    cur = panel.loc[panel["year"].to_numpy() == year]
    r = rates(cur).iloc[0]
    keys = ("households", "people", "poor", "near_poor", "income_poor", "deprivation_poor")
    out: dict = {"year": int(year)}
    for k in keys:
        out[k] = int(r[k]) if k in r else None
    for k in ("poor_rate", "near_poor_rate", "poor_near_rate"):
        out[k] = float(r[k])
    prev = _prev_year(panel, year)
    out["prev_year"] = prev
    if "standard" in panel.columns:
        out["standards"] = standards_in_years(panel, [year] if prev is None else [prev, year])
    else:
        out["standards"] = []
    if prev is not None:
        p = rates(panel.loc[panel["year"].to_numpy() == prev]).iloc[0]
        for k in ("households", "poor", "near_poor"):
            out[f"prev_{k}"] = int(p[k])
            out[f"d_{k}"] = out[k] - int(p[k])
        for k in ("poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = float(p[k])
            out[f"d_{k}"] = out[k] - float(p[k])
        for code in FLOW_CODES:
            out[code] = int(cur[code].sum()) if code in cur.columns else None
    else:
        for k in ("households", "poor", "near_poor", "poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = None
            out[f"d_{k}"] = None
        for code in FLOW_CODES:
            out[code] = None
    return out


def unit_ranking(panel_year: pd.DataFrame, level: str = "commune") -> pd.DataFrame:
    """Units of one review year ranked by poverty rate (highest first).

    Returns columns ``code``, ``name``, ``households``, ``poor``,
    ``near_poor``, ``poor_rate``, ``near_poor_rate`` (and ``district_code``
    for communes).
    """
    code_col, name_col = LEVELS[level]
    by = [code_col, name_col] + (["district_code"] if level == "commune" else [])
    r = rates(panel_year, by=by)
    r = r[r["households"] > 0].rename(columns={code_col: "code", name_col: "name"})
    for c in ("code", "name", "district_code"):
        if c in r.columns:
            r[c] = r[c].astype(str)
    cols = ["code", "name", *(["district_code"] if level == "commune" else []),
            "households", "poor", "near_poor", "poor_rate", "near_poor_rate"]
    return r[cols].sort_values(["poor_rate", "name"], ascending=[False, True]).reset_index(drop=True)
