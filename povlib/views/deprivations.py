"""Deprivations of one review year: Alkire–Foster measures, indicator shares, groups, units × indicators.

Every figure here needs each household's indicators. Households reviewed with
the B2 score only (:func:`povlib.panel.indicator_rows`) have none: the
figures are over the households with every indicator, and each result says
how many households that is and how many were left out (``b2_only``).

Examples
--------
>>> import povlib
>>> from povlib.views import deprivation_summary
>>> p = povlib.load_demo()
>>> s = deprivation_summary(p[p["year"] == 2019], "QD59_2015")
>>> len(s["table"]), s["cutoff"], s["b2_only"]
(10, 3, 0)
>>> b2 = p[p["year"] == 2019].drop(columns=["adult_education"])
>>> s = deprivation_summary(b2, "QD59_2015")
>>> s["with_indicators"], s["b2_only"] == s["households"], s["H"] != s["H"]
(0, True, True)
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..classify import STATUSES
from ..columns import is_in
from ..measures import af_by_group, alkire_foster, deprivation_shares, rates
from ..panel import rows_giving, with_indicators
from ..sorting import vi_key
from ..units.levels import need_level_codes
from .selection import GROUPS, LEVELS, select_rows

__all__ = ["deprivation_summary", "partial_shares", "group_comparison", "unit_indicator_matrix"]


def partial_shares(panel_year: pd.DataFrame, standard: str) -> dict | None:
    """Shares deprived in the indicators of ``standard`` that the households give, when none gives them all.

    A file of the 2027 review in the 2022–2025 form has 10 of Decree 351/2025's 12 indicators (and a score B
    within the bounds they allow): :func:`deprivation_summary` has no household with every indicator, so no
    Alkire–Foster measure and no censored share; the uncensored share of each indicator given is still known.

    Returns
    -------
    dict or None
        None when a household gives every indicator, or none gives any. Else ``given`` and ``missing`` (indicator
        ids in legal order), ``households`` (those giving every one of ``given``) and ``table``: ``indicator``,
        ``dimension``, ``share_poor``, ``share_near_poor``, ``share_all`` over those households (NaN for a
        status with none).

    Examples
    --------
    >>> import povlib
    >>> p = povlib.load_demo()
    >>> y = p[p["year"] == 2026].drop(columns=["telecom", "info_access"])
    >>> s = partial_shares(y, "ND07_2021")
    >>> len(s["given"]), s["missing"], s["households"] == len(y), round(float(s["table"]["share_all"].sum()), 3) > 0
    (10, ('telecom', 'info_access'), True, True)
    >>> partial_shares(p[p["year"] == 2026], "ND07_2021") is None
    True
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    given = [c for c in ids if c in panel_year.columns and panel_year[c].notna().any()]
    if not given or len(given) == len(ids):
        return None
    rows = panel_year.loc[rows_giving(panel_year, given)]
    vals = rows[given].to_numpy(dtype=np.float64)
    status = rows["status"].astype(str).to_numpy()
    table = pd.DataFrame({"indicator": given, "dimension": [std.dimension_of(i).id for i in given]})
    for name, sel in (("poor", status == "poor"), ("near_poor", status == "near_poor"),
                      ("all", np.ones(len(rows), dtype=bool))):
        table[f"share_{name}"] = vals[sel].mean(axis=0) if sel.any() else np.nan  # no household: no share
    return {"given": tuple(given), "missing": tuple(c for c in ids if c not in given),
            "households": int(len(rows)), "table": table}


def deprivation_summary(panel_year: pd.DataFrame, standard: str) -> dict:
    """Deprivations of one review year under a standard's indicators.

    Returns
    -------
    dict
        ``table``: one row per indicator (legal order) with ``indicator``,
        ``dimension``, ``share_poor``, ``share_near_poor``, ``share_all``
        (uncensored: share of the group deprived), ``censored_poor``,
        ``censored_near_poor``, ``censored_all`` (share of the group that is
        multidimensionally deprived – at least the standard's cut-off – and
        deprived in the indicator), ``contribution`` (percent of M0);
        ``H``, ``A``, ``M0``, ``households``; ``count_dist``: households by
        ``deprivation_count`` (0..n) and ``status``. All of these are over the
        households with every indicator: ``with_indicators`` of the
        ``households`` in view; ``b2_only`` were reviewed with the B2 score only
        (H, A and M0 are NaN when no household has the indicators).
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    households = int(len(panel_year))
    panel_year, b2_only = with_indicators(panel_year, standard)
    af = alkire_foster(panel_year[ids], k=k)
    table = pd.DataFrame({"indicator": ids, "dimension": [std.dimension_of(i).id for i in ids]})
    table["share_all"] = af.uncensored.to_numpy()
    table["censored_all"] = af.censored.to_numpy()
    table["contribution"] = af.contribution.to_numpy()
    status = panel_year["status"].astype(str)
    if len(panel_year):
        by = af_by_group(panel_year.assign(_status=status), ids, "_status", k=k).set_index("_status")
    else:
        by = pd.DataFrame()
    for s in ("poor", "near_poor"):
        if s in by.index:
            table[f"share_{s}"] = [float(by.loc[s, f"hd_{i}"]) for i in ids]
            table[f"censored_{s}"] = [float(by.loc[s, f"hdk_{i}"]) for i in ids]
        else:
            table[f"share_{s}"] = 0.0
            table[f"censored_{s}"] = 0.0
    n = len(ids)
    counts = panel_year[ids].to_numpy(dtype=np.int64).sum(axis=1)
    dist = pd.crosstab(pd.Categorical(counts, range(n + 1)), pd.Categorical(status, list(STATUSES)), dropna=False)
    dist.index.name, dist.columns.name = "deprivation_count", "status"
    count_dist = dist.stack().rename("households").reset_index()
    count_dist["deprivation_count"] = count_dist["deprivation_count"].astype(int)
    count_dist["status"] = count_dist["status"].astype(str)
    none = not len(panel_year)
    return {
        "table": table[["indicator", "dimension", "share_poor", "share_near_poor", "share_all",
                        "censored_poor", "censored_near_poor", "censored_all", "contribution"]],
        "H": np.nan if none else af.H, "A": np.nan if none else af.A, "M0": np.nan if none else af.M0,
        "households": households, "with_indicators": int(len(panel_year)), "b2_only": b2_only,
        "cutoff": std.deprivation_cutoff, "count_dist": count_dist,
    }


def group_comparison(panel_year: pd.DataFrame, standard: str) -> pd.DataFrame:
    """Poverty and Alkire–Foster measures of every household group side by side.

    One row per group (``'all'`` first, then the keys of :data:`GROUPS`
    with at least one household): ``group``, ``households``, ``poor_rate``,
    ``near_poor_rate``, ``H``, ``A``, ``M0``, ``with_indicators``. The rates
    are over all the group's households, H, A and M0 over the
    ``with_indicators`` of them that carry every indicator (NaN if none).
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    known, _ = with_indicators(panel_year, standard)
    out = []
    for gid in ("all", *GROUPS):
        rows = select_rows(panel_year, group=gid)
        if not len(rows):
            continue
        r = rates(rows).iloc[0]
        kr = select_rows(known, group=gid)
        af = alkire_foster(kr[ids], k=k)
        m = (af.H, af.A, af.M0) if len(kr) else (np.nan, np.nan, np.nan)
        out.append({"group": gid, "households": int(r["households"]), "poor_rate": float(r["poor_rate"]),
                    "near_poor_rate": float(r["near_poor_rate"]), "H": m[0], "A": m[1], "M0": m[2],
                    "with_indicators": int(len(kr))})
    return pd.DataFrame(out)


def unit_indicator_matrix(panel_year: pd.DataFrame, standard: str, level: str = "commune",
                          among: str = "all") -> pd.DataFrame:
    """Share of households deprived in each indicator, per unit (rows) × indicator (columns).

    ``among``: ``'all'`` households of the unit, or only its ``'poor'`` or
    ``'poor_near'`` (poor and near-poor) households. The index holds unit
    names; columns are indicator ids in legal order. Shares are over the
    households with every indicator; a unit without any is left out.
    """
    code_col, name_col = LEVELS[level]
    if len(panel_year) and "year" in panel_year.columns:  # by district after the 2025 reform: no districts, said so
        need_level_codes(panel_year, code_col, int(panel_year["year"].iloc[0]))
    df, _ = with_indicators(panel_year, standard)
    if among == "poor":
        df = df.loc[df["status"].astype(str).to_numpy() == "poor"]
    elif among == "poor_near":
        df = df.loc[is_in(df["status"], ["poor", "near_poor"])]
    ids = _standards.get(standard).indicator_ids
    if df.empty:
        return pd.DataFrame(columns=ids, dtype=float).rename_axis("name")
    long = deprivation_shares(df, standard, by=[name_col])
    m = long.pivot(index=name_col, columns="indicator", values="share")
    m.index = m.index.astype(str)
    m.index.name = "name"
    return m[ids].sort_index(key=vi_key, kind="stable")
