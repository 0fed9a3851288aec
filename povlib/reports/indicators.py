"""The table by deprivation indicator: poor and near-poor households deprived in each indicator.

:func:`indicator_table` counts, for each indicator of the year's standard (in
its order), the deprived households among the poor (all, income-poor and
deprivation-poor apart) and the near-poor, with shares of each group, from
:func:`povlib.measures.deprivation_shares`; the group sizes equal
:func:`povlib.measures.rates`. :func:`indicator_display` gives the headers in
Vietnamese or English, a first row with the size of each group, shares × 100.

Examples
--------
>>> import povlib
>>> from povlib.reports.indicators import indicator_display, indicator_table
>>> d = povlib.load_demo()
>>> t = indicator_table(d[d["year"] == 2019])
>>> list(t.columns[:4]), len(indicator_display(t))
(['dimension', 'indicator', 'poor', 'poor_share'], 11)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError
from ..i18n import percent, t
from ..measures import deprivation_shares, rates
from ..panel import rows_giving
from ..standards import DEFAULT_STANDARD
from .common import need_columns, year_standard

__all__ = ["indicator_table", "indicator_display"]


def indicator_table(df_year: pd.DataFrame, standard: str | None = None) -> pd.DataFrame:
    """Poor (income-poor and deprivation-poor apart) and near-poor households deprived in each indicator.

    Parameters
    ----------
    df_year : DataFrame
        Classified households of one review year (filter to a unit first).
    standard : str, optional
        Standard whose indicators to use (default: the rows' own standard).

    Returns
    -------
    DataFrame
        One row per indicator (in the standard's order) with ``dimension``,
        ``indicator``, and for each group ``poor``, ``income_poor``,
        ``deprivation_poor``, ``near_poor``: ``<group>`` (deprived households)
        and ``<group>_share`` (÷ households of the group). ``attrs['households']``
        holds the group sizes (from :func:`povlib.measures.rates`).

    Examples
    --------
    >>> import povlib
    >>> d = povlib.load_demo(); d = d[d["year"] == 2019]
    >>> t = indicator_table(d)
    >>> len(t), t.attrs["households"]["poor"] == int(povlib.rates(d)["poor"].iloc[0])
    (10, True)
    """
    std = _standards.get(standard or year_standard(df_year) or DEFAULT_STANDARD)
    ids = std.indicator_ids
    need_columns(df_year, ["status", "poor_via"])
    missing = [c for c in ids if c not in df_year.columns]
    if len(missing) == len(ids):
        raise PovlibInputError.from_key("report.err.no_indicators", columns=", ".join(missing))
    # households reviewed with the B2 score only have no per-indicator answers: left out, and counted
    known = rows_giving(df_year, ids)
    given = [c for c in ids if c in df_year.columns and df_year[c].notna().any()]
    not_given: tuple[str, ...] = ()
    if not known.any() and 0 < len(given) < len(ids):  # the previous standard's form: the indicators it gives
        ids, not_given = given, tuple(c for c in ids if c not in given)
        known = rows_giving(df_year, ids)
    unknown = int((~known).sum())
    df_year = df_year[known] if unknown else df_year
    st = df_year["status"].astype(str)
    via = df_year["poor_via"].astype(str)
    groups = {
        "poor": st == "poor",
        "income_poor": (st == "poor") & (via == "income"),
        "deprivation_poor": (st == "poor") & (via == "deprivation"),
        "near_poor": st == "near_poor",
    }
    r = rates(df_year)
    sizes = {"poor": int(r["poor"].iloc[0]), "income_poor": int(r["income_poor"].iloc[0]),
             "deprivation_poor": int(r["deprivation_poor"].iloc[0]), "near_poor": int(r["near_poor"].iloc[0])}
    out = pd.DataFrame({"dimension": [std.dimension_of(i).id for i in ids], "indicator": ids})
    for g, mask in groups.items():
        sub = df_year[mask.to_numpy()]
        if len(sub):
            ds = deprivation_shares(sub, std, indicators=ids).set_index("indicator")
            out[g] = ds.loc[ids, "deprived"].to_numpy().astype(np.int64)
            out[f"{g}_share"] = ds.loc[ids, "share"].to_numpy().astype(float)
        else:
            out[g] = np.zeros(len(ids), dtype=np.int64)
            out[f"{g}_share"] = np.full(len(ids), np.nan)
        if len(sub) != sizes[g]:
            raise PovlibInputError.from_key("report.err.inconsistent")
    out.attrs.update({"households": sizes, "standard": std.id, "unknown": unknown})
    if not_given:  # the standard's indicators the rows do not give (the table has the others)
        out.attrs["not_given"] = not_given
    return out


def indicator_display(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Headers in ``lang``, a first row with the size of each group, shares × 100 (rounded half up).

    The poor are split into income-poor and poor through deprivation of access
    to basic social services only under a standard that has an income-only
    poor branch (Decision 59/2015; not Decree 07/2021, where every poor
    household is both): ``attrs['income_branch']``, by default the table's
    standard's.

    Examples
    --------
    >>> import povlib
    >>> d = povlib.load_demo(); t_ = indicator_table(d[d["year"] == 2019])
    >>> len(indicator_display(t_).columns)
    11
    >>> t_.attrs["income_branch"] = False  # e.g. the rows were classified under Decree 07/2021
    >>> [a for a, b in indicator_display(t_).columns][3:]
    ['Hộ nghèo', 'Hộ nghèo', 'Hộ cận nghèo', 'Hộ cận nghèo']
    """
    std = _standards.get(table.attrs.get("standard", DEFAULT_STANDARD))
    sizes = table.attrs.get("households", {})
    split = table.attrs.get("income_branch", std.income_only_poor)
    groups = ([("poor", t("report.ind.poor_all", lang)), ("income_poor", t("via.income", lang)),
               ("deprivation_poor", t("via.deprivation", lang))] if split else [("poor", t("status.poor", lang))])
    groups.append(("near_poor", t("status.near_poor", lang)))
    n_ = t("report.col.deprived_number", lang)
    p_ = t("report.col.deprived_pct", lang)
    cols = [(t("report.col.tt", lang), ""), (t("report.col.dimension", lang), ""),
            (t("report.col.indicator", lang), "")]
    for _, label in groups:
        cols += [(label, n_), (label, p_)]
    head = [["", "", t("report.ind.group_size", lang)]]
    for g, _ in groups:
        head[0] += [sizes.get(g, np.nan), np.nan]
    body = []
    for i, row in enumerate(table.itertuples(index=False), start=1):  # 10–12 indicators, not households
        line = [str(i), std.dimension_of(row.indicator).label(lang), std.indicator(row.indicator).label(lang)]
        for g, _ in groups:
            line += [getattr(row, g), percent(getattr(row, g), sizes.get(g, 0))]  # rounded half up
        body.append(line)
    out = pd.DataFrame(head + body)
    out.columns = pd.MultiIndex.from_tuples(cols)
    for j, (_, b) in enumerate(cols):
        if b == n_:
            out.isetitem(j, pd.array(out.iloc[:, j], dtype="Int64"))
        elif b == p_:
            out.isetitem(j, pd.to_numeric(out.iloc[:, j], errors="coerce").astype(float))
    return out
