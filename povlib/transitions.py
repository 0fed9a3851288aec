"""Year-over-year status flows of a household panel.

Words as the review reports use them (Circular 17/2016/TT-BLĐTBXH):

* *thoát nghèo* (``escaped``): poor at the previous review, not poor now;
* *tái nghèo* (``re_entered``): not poor at the previous review, poor now,
  and poor in some earlier review;
* *nghèo phát sinh* (``newly_arising``): not poor at the previous review,
  poor now, never poor before in the panel;
* the same three words for the near-poor status;
* *hộ mới thoát nghèo* (``recently_escaped``): escaped poverty in this or one
  of the two previous reviews (within 3 years) and not poor now;
* ``joined`` / ``left``: the household appears in / disappears from the unit
  between two reviews (household formed, split, moved or dissolved).

For every unit, year and status the flow table satisfies
``end = start − escaped + re_entered + newly_arising + joined − left``.

Examples
--------
>>> import pandas as pd
>>> from povlib.transitions import flow_table
>>> p = pd.DataFrame({"household_id": ["a", "a", "b", "b"], "year": [2018, 2019] * 2,
...                   "gso_code_2019": ["02020"] * 4,
...                   "status": ["poor", "near_poor", "non_poor", "poor"]})
>>> t = flow_table(p, status="poor")
>>> t[["start", "escaped", "newly_arising", "end"]].iloc[0].tolist()
[1, 1, 1, 1]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .classify import STATUSES
from .errors import PovlibInputError, first_rows

__all__ = ["household_flows", "flow_table", "FLOW_COLUMNS", "flow_labels"]

FLOW_COLUMNS = ("start", "escaped", "re_entered", "newly_arising", "joined", "left", "end")


def _check_panel(panel: pd.DataFrame, keys: Sequence[str]) -> None:
    need = ["household_id", "year", "status", *keys]
    missing = [c for c in need if c not in panel.columns]
    if missing:
        raise PovlibInputError(
            f"Bảng dữ liệu nhiều năm thiếu cột: {', '.join(missing)}",
            f"Panel is missing columns: {', '.join(missing)}",
            column=missing[0],
        )
    dup = panel.duplicated(["household_id", "year"], keep=False).to_numpy()
    if dup.any():
        rows = first_rows(dup, panel.index)
        raise PovlibInputError(
            f"Mã hộ bị trùng trong cùng một năm (cột 'household_id', dòng {rows})",
            f"Duplicate household id within a year (column 'household_id', rows {rows})",
            column="household_id", rows=rows,
        )


def _status_codes(s: pd.Series) -> np.ndarray:
    """Status as int8 codes in STATUSES order (poor=0, near_poor=1, non_poor=2)."""
    if isinstance(s.dtype, pd.CategoricalDtype) and list(s.cat.categories) == list(STATUSES):
        return s.cat.codes.to_numpy().astype(np.int8)
    cat = pd.Categorical(s.astype(object), categories=list(STATUSES))
    codes = cat.codes.astype(np.int8)
    if (codes < 0).any():
        bad = codes < 0
        raise PovlibInputError(
            "Trạng thái không hợp lệ (chỉ nhận poor, near_poor, non_poor)",
            "Invalid status (only poor, near_poor, non_poor)",
            column="status", rows=first_rows(bad, s.index),
        )
    return codes


def _sorted_links(panel: pd.DataFrame, keys: Sequence[str]):
    """Sort by household and year; return order and link arrays."""
    years = np.sort(panel["year"].unique())
    prev_of = dict(zip(years[1:], years[:-1]))
    hh = panel["household_id"].to_numpy()
    yr = panel["year"].to_numpy().astype(np.int64)
    order = np.lexsort((yr, pd.factorize(hh)[0]))
    hh_s = pd.factorize(hh)[0][order]
    yr_s = yr[order]
    n = len(order)
    same_prev = np.zeros(n, dtype=bool)
    if n > 1:
        expected_prev = pd.Series(yr_s).map(prev_of).to_numpy(dtype=np.float64, na_value=np.nan)
        same_prev[1:] = (hh_s[1:] == hh_s[:-1]) & (yr_s[:-1] == expected_prev[1:])
        same_key = np.ones(n - 1, dtype=bool)
        for k in keys:
            kv = panel[k].to_numpy()[order]
            same_key &= kv[1:] == kv[:-1]
        same_prev_key = same_prev.copy()
        same_prev_key[1:] &= same_key
    else:
        same_prev_key = same_prev.copy()
    return years, order, hh_s, yr_s, same_prev, same_prev_key


def household_flows(panel: pd.DataFrame, *, keys: Sequence[str] = ()) -> pd.DataFrame:
    """Per household and year: previous status and the flows it took part in.

    Parameters
    ----------
    panel : DataFrame
        Classified households over several review years with a stable
        ``household_id`` (columns ``household_id``, ``year``, ``status``).
    keys : list of str
        Unit columns: a household that changes unit counts as having left
        one and joined the other (empty: only the household id links years).

    Returns
    -------
    DataFrame
        Indexed like ``panel``, with ``prev_status`` (missing in the first year
        or when the household was absent), and booleans ``escaped_poverty``,
        ``newly_poor``, ``re_poor``, ``escaped_near_poverty``,
        ``newly_near_poor``, ``re_near_poor``, ``joined``, ``left_next``
        (absent at the next review), ``recently_escaped``, plus
        ``flow_label`` (a short code for display, e.g. 're_poor').
    """
    keys = list(keys)
    _check_panel(panel, keys)
    years, order, hh_s, yr_s, _, linked = _sorted_links(panel, keys)
    code = _status_codes(panel["status"])[order]
    n = len(order)
    prev = np.full(n, -1, dtype=np.int8)
    prev[1:] = np.where(linked[1:], code[:-1], -1)
    first_year = yr_s == years[0]

    is_poor = code == 0
    is_near = code == 1
    # status in any earlier row of the household (rows sorted by year)
    def ever_before(flag: np.ndarray) -> np.ndarray:
        cum = pd.Series(flag.astype(np.int32)).groupby(hh_s).cumsum().to_numpy() - flag
        return cum > 0

    ever_poor = ever_before(is_poor)
    ever_near = ever_before(is_near)
    has_prev = prev >= 0
    entered_poor = has_prev & (prev != 0) & is_poor
    entered_near = has_prev & (prev != 1) & is_near
    out = {
        "prev_status": pd.Categorical.from_codes(prev, categories=list(STATUSES)),
        "escaped_poverty": has_prev & (prev == 0) & ~is_poor,
        "newly_poor": entered_poor & ~ever_poor,
        "re_poor": entered_poor & ever_poor,
        "escaped_near_poverty": has_prev & (prev == 1) & (code == 2),
        "newly_near_poor": entered_near & ~ever_near,
        "re_near_poor": entered_near & ever_near,
        "joined": ~has_prev & ~first_year,
    }
    left_next = np.zeros(n, dtype=bool)
    if n:
        nxt_linked = np.zeros(n, dtype=bool)
        nxt_linked[:-1] = linked[1:]
        left_next = ~nxt_linked & (yr_s != years[-1])
    out["left_next"] = left_next
    # recently escaped: last escape within 3 review years, not poor now
    esc_year = pd.Series(np.where(out["escaped_poverty"], yr_s, np.nan))
    last_esc = esc_year.groupby(hh_s).ffill().to_numpy()
    out["recently_escaped"] = ~is_poor & ~np.isnan(last_esc) & ((yr_s - last_esc) < 3)

    label = np.full(n, "", dtype=object)
    for name in ("recently_escaped", "escaped_near_poverty", "newly_near_poor", "re_near_poor",
                 "escaped_poverty", "newly_poor", "re_poor"):
        label = np.where(out[name], name, label)
    label = np.where(out["joined"] & (code < 2) & (label == ""), "joined", label)
    out["flow_label"] = label

    res = pd.DataFrame(out)
    inv = np.empty(n, dtype=np.int64)
    inv[order] = np.arange(n)
    res = res.iloc[inv]
    res.index = panel.index
    return res


def flow_table(
    panel: pd.DataFrame,
    by: str | Sequence[str] = "gso_code_2019",
    *,
    status: str = "poor",
    flags: Sequence[str] = (),
) -> pd.DataFrame:
    """Flows into and out of one status, per unit and review year.

    Parameters
    ----------
    panel : DataFrame
        Classified panel (``household_id``, ``year``, ``status`` and ``by``).
    by : str or list of str
        Unit columns; a household that changes unit left one and joined another.
    status : {'poor', 'near_poor'}
    flags : list of str
        Boolean columns (e.g. ``ethnic_minority``) counted among the start and
        end households as ``start_<flag>`` and ``end_<flag>``.

    Returns
    -------
    DataFrame
        One row per unit and year (from the second year of the panel) with
        ``start``, ``escaped`` (of which ``exit_to_<status>``), ``re_entered``,
        ``newly_arising``, ``joined``, ``left``, ``end`` as integers, and
        ``end == start - escaped + re_entered + newly_arising + joined - left``.
    """
    if status not in ("poor", "near_poor"):
        raise PovlibInputError(f"Trạng thái không hợp lệ: {status}", f"Invalid status: {status}")
    keys = [by] if isinstance(by, str) else list(by)
    _check_panel(panel, keys)
    years, order, hh_s, yr_s, _, linked = _sorted_links(panel, keys)
    s_code = STATUSES.index(status)
    code = _status_codes(panel["status"])[order]
    n = len(order)
    prev = np.full(n, -1, dtype=np.int8)
    prev[1:] = np.where(linked[1:], code[:-1], -1)
    in_s = code == s_code
    ever = (pd.Series(in_s.astype(np.int32)).groupby(hh_s).cumsum().to_numpy() - in_s) > 0
    nxt_linked = np.zeros(n, dtype=bool)
    if n:
        nxt_linked[:-1] = linked[1:]

    key_vals = {k: panel[k].to_numpy()[order] for k in keys}
    cols: dict[str, np.ndarray] = {
        "end": in_s,
        "escaped": (prev == s_code) & ~in_s,
        "re_entered": (prev >= 0) & (prev != s_code) & in_s & ever,
        "newly_arising": (prev >= 0) & (prev != s_code) & in_s & ~ever,
        "joined": (prev < 0) & in_s,
    }
    for other, name in enumerate(STATUSES):
        if other != s_code:
            cols[f"exit_to_{name}"] = (prev == s_code) & (code == other)
    for f in flags:
        fv = panel[f].to_numpy(dtype=bool)[order]
        cols[f"end_{f}"] = in_s & fv
    cur = pd.DataFrame({**key_vals, "year": yr_s, **{c: v.astype(np.int64) for c, v in cols.items()}})
    cur_g = cur.groupby(keys + ["year"], sort=True).sum()

    # start and left are counted on the previous year's rows, reported at the next year
    next_of = dict(zip(years[:-1], years[1:]))
    start_cols = {"start": in_s, "left": in_s & ~nxt_linked}
    for f in flags:
        start_cols[f"start_{f}"] = in_s & panel[f].to_numpy(dtype=bool)[order]
    ny = pd.Series(yr_s).map(next_of).to_numpy(dtype=np.float64, na_value=np.nan)
    keep = ~np.isnan(ny)
    prv = pd.DataFrame({**{k: v[keep] for k, v in key_vals.items()}, "year": ny[keep].astype(np.int64),
                        **{c: v[keep].astype(np.int64) for c, v in start_cols.items()}})
    prv_g = prv.groupby(keys + ["year"], sort=True).sum()

    table = cur_g.join(prv_g, how="outer").fillna(0).astype(np.int64)
    table = table[table.index.get_level_values("year") != years[0]]
    ordered = ["start", *[f"start_{f}" for f in flags], "escaped",
               *[c for c in table.columns if c.startswith("exit_to_")],
               "re_entered", "newly_arising", "joined", "left", "end", *[f"end_{f}" for f in flags]]
    return table[ordered].reset_index()


def flow_labels(lang: str = "vi") -> dict[str, str]:
    """Display names of the ``flow_label`` codes (kept beside the logic for the CLI)."""
    from .i18n import t

    return {code: t(f"flow.{code}", lang) for code in
            ("escaped_poverty", "newly_poor", "re_poor", "escaped_near_poverty",
             "newly_near_poor", "re_near_poor", "recently_escaped", "joined")}
