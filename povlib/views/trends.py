"""Series over the review years: rates per year and unit, yearly flows, transitions between two years.

The yearly flows use the words of the summary form
(:mod:`povlib.reports.summary`): *newly arising* includes the households
formed, split off or moved in that are in the status at the end of the year
(counted again as ``joined_poor`` / ``joined_near_poor``), and re-entry is
missing (not 0) in a year where it cannot be told, the year after the
panel's first review (:func:`povlib.transitions.reentry_history`).

Examples
--------
>>> import povlib
>>> from povlib.views import rates_trend, with_flows, flow_counts
>>> p = with_flows(povlib.load_demo())
>>> sorted(set(rates_trend(p)["year"]))[:4], flow_counts(p)["year"].tolist()[:3]
([2016, 2017, 2018, 2019], [2017, 2018, 2019])
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..breaks import standard_of_years, yearly_rates
from ..classify import STATUSES
from ..reports.summary import form_rules
from ..sorting import sort_frame
from ..transitions import reentry_history
from .selection import LEVELS

__all__ = ["POOR_FLOW_CODES", "NEAR_FLOW_CODES", "FLOW_CODES", "JOINED_CODES", "RE_CODES", "NEWLY_CODES", "rates_trend",
           "flow_counts", "flow_flags", "reentry_unknown_years", "transition_counts", "standards_in_years"]

POOR_FLOW_CODES = ("escaped_poverty", "newly_poor", "re_poor")
NEAR_FLOW_CODES = ("escaped_near_poverty", "newly_near_poor", "re_near_poor")
FLOW_CODES = POOR_FLOW_CODES + NEAR_FLOW_CODES
#: of which: households formed, split off or moved in that are poor / near-poor (inside newly arising)
JOINED_CODES = ("joined_poor", "joined_near_poor")
#: status -> its re-entry flow code
RE_CODES = {"poor": "re_poor", "near_poor": "re_near_poor"}
#: status -> its newly-arising flow code
NEWLY_CODES = {"poor": "newly_poor", "near_poor": "newly_near_poor"}


def flow_flags(panel: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per row, the flows of :data:`FLOW_CODES` and :data:`JOINED_CODES` in the words of the summary form.

    ``panel`` carries the columns of :func:`povlib.transitions.household_flows`
    (:func:`~povlib.views.with_flows`). Under the form's rule
    ``joined_in_newly_arising`` (``povlib/rules/reports/summary_form.toml``) a
    household that joined the unit this year and is poor (near-poor) is newly
    poor (newly near-poor) there.
    """
    status = panel["status"].astype(str).to_numpy()
    joined = panel["joined"].to_numpy(dtype=bool)
    out = {c: panel[c].to_numpy(dtype=bool) for c in FLOW_CODES}
    out["joined_poor"] = joined & (status == "poor")
    out["joined_near_poor"] = joined & (status == "near_poor")
    if form_rules()["joined_in_newly_arising"]["value"]:
        out["newly_poor"] = out["newly_poor"] | out["joined_poor"]
        out["newly_near_poor"] = out["newly_near_poor"] | out["joined_near_poor"]
    return out


def reentry_unknown_years(panel: pd.DataFrame) -> dict[str, int]:
    """Status -> the review year whose re-entry count is not known (the year after the panel's first review,
    unless the panel carries the history: :func:`povlib.transitions.reentry_history`)."""
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    out = {}
    for status in RE_CODES:
        h = reentry_history(panel, status)
        later = [y for y in years if h is not None and y > h]
        if later:
            out[status] = later[0]
    return out


def rates_trend(panel: pd.DataFrame, level: str | None = None, *, both_standards: bool = True,
                whatif: str | None = None) -> pd.DataFrame:
    """Poverty and near-poverty rates per review year, for the whole selection or per unit.

    Returns a long table: ``year``, ``code``, ``name`` (``'all'`` / ''
    for the whole selection), ``standard``, ``second``, ``households``, ``poor``,
    ``near_poor``, ``poor_rate``, ``near_poor_rate``. With ``both_standards``
    a review measured under two standards (:func:`povlib.breaks.measured_under_next`,
    the 2021 total review) has a second row under the next standard, after its own (``second`` True).
    ``whatif``: every row was reclassified under this standard (a what-if view): one row a year, all under it.

    Examples
    --------
    >>> import povlib
    >>> tr = rates_trend(povlib.load_demo())
    >>> tr.loc[tr["year"].between(2020, 2022), ["year", "standard"]].values.tolist()
    [[2020, 'QD59_2015'], [2021, 'QD59_2015'], [2021, 'ND07_2021'], [2022, 'ND07_2021']]
    """
    both_standards = both_standards and whatif is None
    if level is None:
        r = yearly_rates(panel, both_standards=both_standards)
        r["code"], r["name"] = "all", ""
    else:
        code_col, name_col = LEVELS[level]
        r = yearly_rates(panel, [code_col, name_col], both_standards=both_standards)
        r = r.rename(columns={code_col: "code", name_col: "name"})
        r = r[r["households"] > 0]
        r["code"], r["name"] = r["code"].astype(str), r["name"].astype(str)
    if whatif is not None:
        r["standard"] = str(whatif)
    r = sort_frame(r, ["year", "name", "code"], text=["name"])  # Vietnamese order (povlib.sorting)
    r = r.sort_values(["year", "second"], kind="stable")        # a year's own standard first
    return r[["year", "code", "name", "standard", "second", "households", "poor", "near_poor", "poor_rate",
              "near_poor_rate"]].reset_index(drop=True)


def flow_counts(panel: pd.DataFrame) -> pd.DataFrame:
    """Households in each yearly flow (from the second review year), in the words of the summary form.

    Returns one row per year with the counts of ``escaped_poverty``,
    ``newly_poor``, ``re_poor``, ``escaped_near_poverty``,
    ``newly_near_poor``, ``re_near_poor`` and, of the newly arising,
    ``joined_poor``, ``joined_near_poor`` (:func:`flow_flags`). A re-entry
    count that is not known (:func:`reentry_unknown_years`) is missing (NaN;
    the column is then float), its entries are in newly arising.
    """
    first = int(panel["year"].min()) if len(panel) else None
    flags = flow_flags(panel)
    cols = [*FLOW_CODES, *JOINED_CODES]
    frame = pd.DataFrame({c: flags[c] for c in cols})
    frame["year"] = panel["year"].to_numpy()
    g = frame.groupby("year")[cols].sum().astype(np.int64).reset_index()
    g["year"] = g["year"].astype(int)
    g = g[g["year"] != first].reset_index(drop=True)
    for status, year in reentry_unknown_years(panel).items():
        code, newly = RE_CODES[status], NEWLY_CODES[status]
        at = (g["year"] == year).to_numpy()
        g.loc[at, newly] += g.loc[at, code]  # any entry seen as re-entering (partial history) is newly arising
        g[code] = g[code].astype(float).mask(at)
    return g


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
    return list(dict.fromkeys(standard_of_years(p).values()))
