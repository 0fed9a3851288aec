"""Series over the review years: rates per year and unit, yearly flows, transitions between two years.

Examples
--------
>>> import povlib
>>> from povlib.views import rates_trend, with_flows, flow_counts
>>> p = with_flows(povlib.load_demo())
>>> rates_trend(p)["year"].tolist()
[2016, 2017, 2018, 2019]
>>> flow_counts(p)["year"].tolist()
[2017, 2018, 2019]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..classify import STATUSES
from ..measures import rates
from .selection import LEVELS

__all__ = ["POOR_FLOW_CODES", "NEAR_FLOW_CODES", "FLOW_CODES", "rates_trend", "flow_counts", "transition_counts",
           "standards_in_years"]

POOR_FLOW_CODES = ("escaped_poverty", "newly_poor", "re_poor")
NEAR_FLOW_CODES = ("escaped_near_poverty", "newly_near_poor", "re_near_poor")
FLOW_CODES = POOR_FLOW_CODES + NEAR_FLOW_CODES


def rates_trend(panel: pd.DataFrame, level: str | None = None) -> pd.DataFrame:
    """Poverty and near-poverty rates per review year, for the whole selection or per unit.

    Returns a long table: ``year``, ``code``, ``name`` (``'all'`` / ''
    for the whole selection), ``standard``, ``households``, ``poor``,
    ``near_poor``, ``poor_rate``, ``near_poor_rate``.
    """
    std = panel.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    if level is None:
        r = rates(panel, by="year")
        r["code"], r["name"] = "all", ""
    else:
        code_col, name_col = LEVELS[level]
        r = rates(panel, by=["year", code_col, name_col]).rename(columns={code_col: "code", name_col: "name"})
        r = r[r["households"] > 0]
        r["code"], r["name"] = r["code"].astype(str), r["name"].astype(str)
    r["year"] = r["year"].astype(int)
    r["standard"] = r["year"].map(std).astype(str)
    return r[["year", "code", "name", "standard", "households", "poor", "near_poor", "poor_rate",
              "near_poor_rate"]].reset_index(drop=True)


def flow_counts(panel: pd.DataFrame) -> pd.DataFrame:
    """Households in each yearly flow (from the second review year).

    Returns one row per year with the counts of ``escaped_poverty``,
    ``newly_poor``, ``re_poor``, ``escaped_near_poverty``,
    ``newly_near_poor``, ``re_near_poor``.
    """
    first = int(panel["year"].min()) if len(panel) else None
    cols = list(FLOW_CODES)
    g = panel.groupby("year", observed=True)[cols].sum().astype(np.int64).reset_index()
    g["year"] = g["year"].astype(int)
    return g[g["year"] != first].reset_index(drop=True)


def transition_counts(panel: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """Households by status in ``year_from`` and in ``year_to`` (for a Sankey diagram).

    A household present in one year only is ``'absent'`` in the other
    (formed, dissolved or moved). Returns ``from_status``, ``to_status``,
    ``households`` (only non-zero pairs), statuses ordered poor, near-poor,
    non-poor, absent.
    """
    a = panel.loc[panel["year"].to_numpy() == year_from, ["household_id", "status"]]
    b = panel.loc[panel["year"].to_numpy() == year_to, ["household_id", "status"]]
    m = a.merge(b, on="household_id", how="outer", suffixes=("_from", "_to"))
    order = [*STATUSES, "absent"]
    f = m["status_from"].astype(object).where(m["status_from"].notna(), "absent")
    to = m["status_to"].astype(object).where(m["status_to"].notna(), "absent")
    c = pd.crosstab(pd.Categorical(f, order), pd.Categorical(to, order), dropna=False)
    long = c.stack().rename("households").reset_index()
    long.columns = ["from_status", "to_status", "households"]
    long["from_status"] = long["from_status"].astype(str)
    long["to_status"] = long["to_status"].astype(str)
    long = long[long["households"] > 0]
    long = long[~((long["from_status"] == "absent") & (long["to_status"] == "absent"))]
    return long.reset_index(drop=True)


def standards_in_years(panel: pd.DataFrame, years: Sequence[int] | None = None) -> list[str]:
    """Distinct standards under which the given years (default: all) were measured, in year order."""
    p = panel if years is None else panel.loc[panel["year"].isin(list(years))]
    order = p.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    return list(dict.fromkeys(order.tolist()))
