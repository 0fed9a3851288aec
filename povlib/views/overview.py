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

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..columns import as_text, is_in
from ..errors import PovlibInputError
from ..measures import rates
from ..reports.reform import units_not_reviewed
from ..sorting import sort_frame
from ..transitions import reentry_history
from .periods import on_units
from .selection import LEVELS
from .trends import (
    FLOW_CODES,
    JOINED_CODES,
    NEWLY_CODES,
    RE_CODES,
    flow_flags,
    reentry_unknown_years,
    standards_in_years,
)

__all__ = ["overview_figures", "overview_of_communes", "overview_of_scope", "unit_ranking", "with_ranks"]


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
        ``escaped_near_poverty``, ``newly_near_poor``, ``re_near_poor`` and, of
        the newly arising, the households formed or moved in ``joined_poor``,
        ``joined_near_poor``: :func:`~povlib.views.trends.flow_flags`, the
        summary form's words; None for the first year of the panel). A
        re-entry count that cannot be known (the year after the panel's first
        review) is None and ``reentry_unknown`` True (``history_from``: the
        first year of the panel's history). Counts are ints, rates floats.
        ``standards``: the standards of the previous year and of ``year``
        (distinct, in year order); two of them mean the changes compare
        figures measured under different standards and must be flagged.
        ``income_branch``: the year's standard has an income-only poor branch
        (Decision 59/2015, not Decree 07/2021): income-poor and
        deprivation-poor are shown apart only then.
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
    std_now = standards_in_years(panel, [year]) if "standard" in panel.columns else []
    out["income_branch"] = _standards.get(std_now[-1]).income_only_poor if std_now else True
    out["reentry_unknown"] = False
    out["history_from"] = None
    if prev is not None:
        p = rates(panel.loc[panel["year"].to_numpy() == prev]).iloc[0]
        for k in ("households", "poor", "near_poor"):
            out[f"prev_{k}"] = int(p[k])
            out[f"d_{k}"] = out[k] - int(p[k])
        for k in ("poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = float(p[k])
            out[f"d_{k}"] = out[k] - float(p[k])
        if "joined" in cur.columns:
            flags = flow_flags(cur)
            for code in (*FLOW_CODES, *JOINED_CODES):
                out[code] = int(flags[code].sum())
        else:
            for code in (*FLOW_CODES, *JOINED_CODES):
                out[code] = None
        for status, y in reentry_unknown_years(panel).items():
            if y == year and out[RE_CODES[status]] is not None:
                out[NEWLY_CODES[status]] += out[RE_CODES[status]]  # not told apart: all newly arising
                out[RE_CODES[status]] = None
                out["reentry_unknown"] = True
        hist = [reentry_history(panel, s) for s in RE_CODES]
        out["history_from"] = min((h for h in hist if h is not None), default=None)
    else:
        for k in ("households", "poor", "near_poor", "poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = None
            out[f"d_{k}"] = None
        for code in (*FLOW_CODES, *JOINED_CODES):
            out[code] = None
    return out


def overview_of_communes(scope_rows: pd.DataFrame, year: int, communes) -> dict:
    """:func:`overview_figures` of ``communes`` (codes of the units of ``year``), the previous review taken
    on the same territory: every review re-expressed on the communes of ``year``
    (:func:`povlib.views.periods.on_units`), not the rows that carry the same codes in another period (after
    the 2025 reform a code names another commune: the arrows compared a ward with the one commune of four
    that had its code).

    ``scope_rows`` are the rows of the scope (dataset, district, group) of every year, not yet filtered by
    commune. Adds ``prev_on_units`` (some household of the previous review was in another unit: a merged or
    split commune) and ``prev_estimated`` (its rows placed by a weight).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"household_id": ["a", "b", "c", "a", "b"], "year": [2024, 2024, 2024, 2025, 2025],
    ...                      "commune_code": ["02020", "02023", "02026", "02026", "02026"],
    ...                      "status": ["poor", "non_poor", "poor", "non_poor", "poor"]})
    >>> fig = overview_of_communes(rows, 2025, ["02026"])  # 02023 (Xuân Lạc) was merged into 02026 (Nam Cường)
    >>> fig["households"], fig["prev_households"], fig["prev_on_units"]
    (2, 2, True)
    """
    if not scope_rows.index.is_unique:
        scope_rows = scope_rows.reset_index(drop=True)
    try:
        rows = on_units(scope_rows, int(year), communes=[str(c) for c in communes], year=int(year))
    except PovlibInputError:  # a code the unit registry does not know: the communes' own rows, as before
        rows = scope_rows[is_in(scope_rows["commune_code"], [str(c) for c in communes])]
        return {**overview_figures(rows, int(year)), "prev_on_units": False, "prev_estimated": 0}
    out = overview_figures(rows, int(year))
    prev = out["prev_year"]
    before = rows["year"].to_numpy() == prev if prev is not None else np.zeros(len(rows), dtype=bool)
    was = scope_rows.loc[rows.index[before], "commune_code"].astype(str).to_numpy()
    out["prev_on_units"] = bool((was != rows.loc[before, "commune_code"].astype(str).to_numpy()).any())
    out["prev_estimated"] = int(rows.loc[before, "unit_estimated"].sum()) if "unit_estimated" in rows else 0
    return out


def overview_of_scope(rows: pd.DataFrame, year: int, *, missing: pd.DataFrame | None = None) -> dict:
    """:func:`overview_figures` of every commune in view; while some communes of the previous review have no
    row in ``year`` yet (their files not imported: :func:`povlib.reports.reform.units_not_reviewed`), the
    previous review is taken on the communes that have (:func:`overview_of_communes`), so that their households
    do not read as gone. Adds ``not_reviewed``: those communes' names. ``missing``: those communes when the
    caller found them over more rows than ``rows`` (every household of the area, not one group's).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"household_id": ["a", "b", "c", "a"], "year": [2024, 2024, 2024, 2025],
    ...                      "commune_code": ["02020", "02020", "02029", "02020"],
    ...                      "commune_name": ["Xã Bằng Lãng", "Xã Bằng Lãng", "Xã Đồng Lạc", "Xã Bằng Lãng"],
    ...                      "status": ["poor", "non_poor", "poor", "non_poor"]})
    >>> fig = overview_of_scope(rows, 2025)
    >>> fig["households"], fig["prev_households"], fig["not_reviewed"]
    (1, 2, ['Xã Đồng Lạc'])
    """
    if missing is None:
        missing = units_not_reviewed(rows, int(year))
    if missing.empty:
        return {**overview_figures(rows, int(year)), "not_reviewed": []}
    present = pd.unique(as_text(rows.loc[rows["year"].to_numpy() == int(year), "commune_code"]))
    return {**overview_of_communes(rows, int(year), present), "not_reviewed": missing["name"].tolist()}


def with_ranks(ranking: pd.DataFrame) -> pd.DataFrame:
    """``ranking`` (units by ``poor_rate``, highest first) with ``rank``, the same for units of the same rate
    (1 + the number of units with a higher rate: 1, 2, 2, 4), and ``tied``, how many units share it.

    Examples
    --------
    >>> r = pd.DataFrame({"code": ["a", "b", "c", "d"], "poor_rate": [0.5, 0.25, 0.25, 0.0]})
    >>> with_ranks(r)[["rank", "tied"]].values.tolist()
    [[1, 1], [2, 2], [2, 2], [4, 1]]
    """
    rate = ranking["poor_rate"].astype(float)
    rank = rate.rank(method="min", ascending=False).fillna(len(rate)).astype(np.int64)
    return ranking.assign(rank=rank.to_numpy(), tied=rank.map(rank.value_counts()).to_numpy(dtype=np.int64))


def unit_ranking(panel_year: pd.DataFrame, level: str = "commune") -> pd.DataFrame:
    """Units of one review year ranked by poverty rate (highest first).

    Returns columns ``code``, ``name``, ``households``, ``poor``,
    ``near_poor``, ``poor_rate``, ``near_poor_rate`` (and ``district_code``
    for communes: None for a commune of no district, as after the 2025 reform).

    Examples
    --------
    >>> import pandas as pd
    >>> year = pd.DataFrame({"commune_code": ["01", "01", "02"], "commune_name": ["Xã A", "Xã A", "Xã B"],
    ...                      "district_code": [None, None, None], "status": ["poor", "non_poor", "non_poor"]})
    >>> unit_ranking(year)[["code", "district_code", "households", "poor"]].to_dict("records")
    [{'code': '01', 'district_code': None, 'households': 2, 'poor': 1}, {'code': '02', 'district_code': None, 'households': 1, 'poor': 0}]
    """
    code_col, name_col = LEVELS[level]
    r = rates(panel_year, by=[code_col, name_col])
    if level == "commune":
        # the commune's district, not a grouping key: after the 2025 reform a commune has none, and a group
        # with a missing key is dropped (the ranking of 2025 and 2026 was empty)
        district = panel_year.groupby(code_col, observed=True, sort=False)["district_code"].first()  # first given
        r["district_code"] = r[code_col].map(district)
    r = r[r["households"] > 0].rename(columns={code_col: "code", name_col: "name"})
    for c in ("code", "name", "district_code"):
        if c in r.columns:  # text; a missing district stays missing
            r[c] = r[c].astype("string").astype(object).where(r[c].notna(), None)
    cols = ["code", "name", *(["district_code"] if level == "commune" else []),
            "households", "poor", "near_poor", "poor_rate", "near_poor_rate"]
    return sort_frame(r[cols], ["poor_rate", "name", "code"], ascending=[False, True, True],
                      text=["name"]).reset_index(drop=True)
