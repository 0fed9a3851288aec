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

Moves and escapes (one rule for every household-level view)
-----------------------------------------------------------
An escape is a change of the household's *own* status between two
consecutive reviews of the same household (``household_id``), wherever it
lives: a household that moves to another commune and escapes poverty in the
same year has escaped (``escaped_poverty``, ``escaped_near_poverty`` and so
``recently_escaped``), and the move is recorded besides (``joined`` in the
new unit). :func:`household_flows` applies this whatever its ``keys``, so the
support plan (policy groups), the posting list and the pages count the same
households. Entries into a status (newly arising, re-entered) stay per unit:
a household that moves in poor has *joined* the unit's list. The flow table
by unit (:func:`flow_table`, the summary form) keeps its own unit accounting
(a mover left one unit and joined the other).

Which rows are the same household at the previous and next review (and when a renamed commune is no move) is
:mod:`povlib.household_links`.

For every unit, year and status the flow table satisfies
``end = start − escaped + re_entered + newly_arising + joined − left``
(the summary form of the reports writes ``joined`` under newly arising, see
:mod:`povlib.reports.summary`).

History before the panel
------------------------
*Tái nghèo* needs an escape in an earlier review. A panel knows only its own
reviews: in the year after its first review every entry looks newly arising,
and later a household poor only before the panel began looks newly arising
too. A panel may carry that history as columns (:data:`HISTORY_COLUMNS`:
``ever_poor_before`` / ``ever_near_poor_before``, true when the household was
in the status at a review before the panel's first year); where given they
count as an earlier spell. :func:`reentry_history` says from which review
year re-entry can be told: the year after it has re-entered figures that are
not known (the reports and pages say so instead of showing 0).

Examples
--------
>>> import pandas as pd
>>> from povlib.transitions import flow_table
>>> p = pd.DataFrame({"household_id": ["a", "a", "b", "b"], "year": [2018, 2019] * 2,
...                   "commune_code": ["02020"] * 4,
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
from .household_links import int_codes, links
from .i18n import t

__all__ = ["household_flows", "flow_table", "flow_table_of_year", "flow_columns", "FLOW_COLUMNS", "HISTORY_COLUMNS", "flow_labels", "reentry_history"]

FLOW_COLUMNS = ("start", "escaped", "re_entered", "newly_arising", "joined", "left", "end")
#: status -> optional input column: the household was in the status at a review before the panel began
HISTORY_COLUMNS = {"poor": "ever_poor_before", "near_poor": "ever_near_poor_before"}

#: an escape from poverty is recent while fewer years than this have passed since it (``recently_escaped``)
RECENT_ESCAPE_YEARS = 3


def _history(panel: pd.DataFrame, status: str) -> np.ndarray | None:
    """The history column of ``status`` as booleans (missing = not known to have been), None without one."""
    col = HISTORY_COLUMNS[status]
    if col not in panel.columns:
        return None
    s = panel[col]
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return s.fillna(False).to_numpy(dtype=bool)


def reentry_history(panel: pd.DataFrame, status: str = "poor") -> int | None:
    """The review year from which re-entry into ``status`` can be told, or None when it always can.

    Re-entry (*tái nghèo*, *tái cận nghèo*) needs an earlier spell in the
    status. Without the history column of :data:`HISTORY_COLUMNS` (or with a
    missing value in it) the panel's history starts at its first review year:
    that year is returned, and in the review after it the re-entered count is
    not known (every entry is counted as newly arising). With the column
    filled on every row, None.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"household_id": ["a", "a"], "year": [2016, 2017], "status": ["poor", "non_poor"]})
    >>> reentry_history(p), reentry_history(p.assign(ever_poor_before=False))
    (2016, None)
    """
    col = HISTORY_COLUMNS.get(status)
    if col is None:
        raise PovlibInputError.from_key("report.err.status", status=status)
    if col in panel.columns and len(panel) and not panel[col].isna().any():
        return None
    return int(panel["year"].min()) if len(panel) else None


def _check_columns(panel: pd.DataFrame, keys: Sequence[str]) -> None:
    need = ["household_id", "year", "status", *keys]
    missing = [c for c in need if c not in panel.columns]
    if missing:
        raise PovlibInputError.from_key("transitions.err.missing_columns", columns=", ".join(missing),
                                        column=missing[0])


def _check_panel(panel: pd.DataFrame, keys: Sequence[str]) -> None:
    """Required columns present and one row per household and year."""
    _check_columns(panel, keys)
    links(panel, ())


def _status_codes(s: pd.Series) -> np.ndarray:
    """Status as int8 codes in STATUSES order (poor=0, near_poor=1, non_poor=2)."""
    if isinstance(s.dtype, pd.CategoricalDtype) and list(s.cat.categories) == list(STATUSES):
        return s.cat.codes.to_numpy().astype(np.int8)
    cat = pd.Categorical(s.astype(object), categories=list(STATUSES))
    codes = cat.codes.astype(np.int8)
    if (codes < 0).any():
        bad = codes < 0
        raise PovlibInputError.from_key("transitions.err.bad_statuses", column="status", rows=first_rows(bad, s.index))
    return codes


_LABELS = ("recently_escaped", "escaped_near_poverty", "newly_near_poor", "re_near_poor",
           "escaped_poverty", "newly_poor", "re_poor")


def _label_array(codes: np.ndarray, labels: list[str]):
    """``labels[codes]`` as the string array pandas would infer from Python strings.

    Under pandas' pyarrow-backed ``str`` dtype the column is built from a
    dictionary array (fast); otherwise an object array is returned.
    """
    obj = np.array(labels, dtype=object)
    dtype = pd.Series(obj[:1]).dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        try:
            import pyarrow as pa

            dic = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels, type=pa.large_string()))
            return pd.array(dic.cast(pa.large_string()), dtype=dtype)
        except Exception:  # pragma: no cover - any pyarrow mismatch: the plain way
            pass
    return obj.take(codes)


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
        Escapes are the household's own and ignore ``keys``: a household that
        moves and escapes in the same year has escaped (and joined its new unit).

    The history columns of :data:`HISTORY_COLUMNS`, where present, count as
    a spell in the status before the panel (re-entry rather than newly
    arising).

    Returns
    -------
    DataFrame
        Indexed like ``panel``, with ``prev_status`` (the household's status at
        the previous review, wherever it lived; missing in the first year or
        when the household was absent), and booleans ``escaped_poverty``,
        ``newly_poor``, ``re_poor``, ``escaped_near_poverty``,
        ``newly_near_poor``, ``re_near_poor``, ``joined``, ``left_next``
        (absent at the next review), ``recently_escaped``, plus
        ``flow_label`` (a short code for display, e.g. 're_poor').
    """
    keys = list(keys)
    _check_columns(panel, keys)
    L = links(panel, keys)
    years = L.years
    code = _status_codes(panel["status"])
    n = L.n
    prev = np.where(L.linked, code[L.prev_row], np.int8(-1)).astype(np.int8)
    first_year = L.yr == years[0] if n else np.zeros(0, dtype=bool)

    is_poor = code == 0
    is_near = code == 1
    ever_poor = L.ever_before(is_poor)
    ever_near = L.ever_before(is_near)
    for status, ever in (("poor", ever_poor), ("near_poor", ever_near)):
        hist = _history(panel, status)
        if hist is not None:
            ever |= hist
    has_prev = prev >= 0
    entered_poor = has_prev & (prev != 0) & is_poor
    entered_near = has_prev & (prev != 1) & is_near
    # escapes follow the household wherever it lives (module docstring: "Moves and escapes")
    own_prev = np.where(L.has_prev, code[L.prev_row], np.int8(-1)).astype(np.int8)
    out = {
        "prev_status": pd.Categorical.from_codes(own_prev, categories=list(STATUSES)),
        "escaped_poverty": (own_prev == 0) & ~is_poor,
        "newly_poor": entered_poor & ~ever_poor,
        "re_poor": entered_poor & ever_poor,
        "escaped_near_poverty": (own_prev == 1) & (code == 2),
        "newly_near_poor": entered_near & ~ever_near,
        "re_near_poor": entered_near & ever_near,
        "joined": ~has_prev & ~first_year,
    }
    left_next = np.zeros(n, dtype=bool)
    if n:
        left_next = ~L.next_linked & (L.yr != years[-1])
    out["left_next"] = left_next
    # recently escaped: last escape within 3 review years, not poor now
    last_esc = L.last_value(L.yr.astype(np.float64), out["escaped_poverty"])
    out["recently_escaped"] = ~is_poor & ~np.isnan(last_esc) & ((L.yr - last_esc) < RECENT_ESCAPE_YEARS)

    # the last matching name wins (same precedence as successive overwrites)
    lab = np.zeros(n, dtype=np.int8)
    for j, name in enumerate(_LABELS, start=1):
        lab[out[name]] = j
    lab[out["joined"] & (code < 2) & (lab == 0)] = len(_LABELS) + 1
    out["flow_label"] = _label_array(lab, ["", *_LABELS, "joined"])

    res = pd.DataFrame(out)
    res.index = panel.index
    return res


_BLOCK = 1 << 16          # rows per block in cache-blocked loops
_MAX_CELLS = 1 << 22      # (groups × flag patterns) counted with one bincount per block


def _aggregate(key_codes: list[tuple[np.ndarray, int]], years_col: np.ndarray,
               year_idx: np.ndarray, n_years: int, counts: dict[str, np.ndarray], rows: np.ndarray | None,
               panel: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Pre-aggregate 0/1 columns per (unit, year); one row per group present.

    ``year_idx``, ``years_col`` and the ``counts`` arrays are per panel row;
    ``rows`` selects the rows to count (None: all). Rows are counted per
    (group, pattern of the 0/1 columns) with one bincount per block, and the
    column sums follow from the patterns. Returns a small frame shaped like
    the row-level one (key columns with the same values, ``year``, int64
    sums) so the same pandas groupby gives the same table as on every row.
    """
    names = list(counts)
    vals = [counts[c] for c in names]
    m = len(vals)
    P = 1 << m
    size = n_years
    for _, nk in key_codes:
        size *= nk
    N = len(year_idx) if rows is None else len(rows)

    def gid_of(sel) -> np.ndarray:
        g = year_idx[sel].astype(np.int64)
        for kc, nk in key_codes:
            g = g * nk + kc[sel]
        return g

    if m <= 16 and size * P <= _MAX_CELLS:
        cells = np.zeros(size * P, dtype=np.int64)
        rep = np.zeros(size, dtype=np.int64)
        for lo in range(0, N, _BLOCK):
            hi = min(lo + _BLOCK, N)
            sel = slice(lo, hi) if rows is None else rows[lo:hi]
            g = gid_of(sel)
            pat = np.zeros(hi - lo, dtype=np.int64)
            for j, v in enumerate(vals):
                pat |= v[sel].astype(np.int64) << j
            cells += np.bincount(g * P + pat, minlength=size * P)
            rep[g] = np.arange(lo, hi) if rows is None else sel  # any row of each group
        C = cells.reshape(size, P)
        present = np.flatnonzero(C.sum(axis=1) > 0)
        bits = (np.arange(P)[:, None] >> np.arange(m)[None, :]) & 1
        sums = C[present] @ bits
        rep_rows = rep[present]
    else:  # many groups or columns: one bincount per column
        sel = slice(None) if rows is None else rows
        gid = gid_of(sel)
        if size > 4 * max(len(gid), 1) + 1024:
            gid, uniq = pd.factorize(gid)
            size = len(uniq)
        present = np.bincount(gid, minlength=size) > 0
        rep = np.zeros(size, dtype=np.int64)
        rep[gid] = np.arange(N) if rows is None else rows
        rep_rows = rep[present]
        sums = np.column_stack([np.bincount(gid[v[sel]], minlength=size)[present] for v in vals]) if m \
            else np.zeros((int(present.sum()), 0), dtype=np.int64)
    frame = {k: panel[k].iloc[rep_rows].to_numpy() for k in keys}
    frame["year"] = years_col[rep_rows].astype(np.int64)
    for j, c in enumerate(names):
        frame[c] = sums[:, j].astype(np.int64)
    return pd.DataFrame(frame)


def flow_table(
    panel: pd.DataFrame,
    by: str | Sequence[str] = "commune_code",
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

    The history column of the status (:data:`HISTORY_COLUMNS`), where
    present, counts as a spell before the panel. Without it ``re_entered``
    of the year after :func:`reentry_history` is 0 by construction, not a
    known figure: show it as unknown.

    Returns
    -------
    DataFrame
        One row per unit and year (from the second year of the panel) with
        ``start``, ``escaped`` (of which ``exit_to_<status>``), ``re_entered``,
        ``newly_arising``, ``joined``, ``left``, ``end`` as integers, and
        ``end == start - escaped + re_entered + newly_arising + joined - left``.
    """
    if status not in ("poor", "near_poor"):
        raise PovlibInputError.from_key("transitions.err.bad_status", status=status)
    keys = [by] if isinstance(by, str) else list(by)
    _check_columns(panel, keys)
    L = links(panel, keys)
    years = L.years
    s_code = STATUSES.index(status)
    code = _status_codes(panel["status"])
    prev = np.where(L.linked, code[L.prev_row], np.int8(-1)).astype(np.int8)
    in_s = code == s_code
    ever = L.ever_before(in_s)
    hist = _history(panel, status)
    if hist is not None:  # in the status at a review before the panel
        ever |= hist

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
    fvals = {f: panel[f].to_numpy(dtype=bool) for f in flags}
    for f in flags:
        cols[f"end_{f}"] = in_s & fvals[f]
    key_codes = [int_codes(panel[k]) for k in keys]
    cur = _aggregate(key_codes, L.yr, L.yi, len(years), cols, None, panel, keys)
    cur_g = cur.groupby(keys + ["year"], sort=True).sum()

    # start and left are counted on the previous year's rows, reported at the next year
    start_cols = {"start": in_s, "left": in_s & ~L.next_linked}
    for f in flags:
        start_cols[f"start_{f}"] = in_s & fvals[f]
    krows = np.flatnonzero(L.yi < len(years) - 1)
    next_year = np.append(years[1:], years[-1]).astype(np.int64) if len(years) else np.zeros(0, np.int64)
    prv = _aggregate(key_codes, next_year[L.yi], L.yi + 1, len(years) + 1, start_cols, krows, panel, keys)
    prv_g = prv.groupby(keys + ["year"], sort=True).sum()

    table = cur_g.join(prv_g, how="outer").fillna(0).astype(np.int64)
    table = table[table.index.get_level_values("year") != years[0]]
    return table[flow_columns(status, flags)].reset_index()


def flow_table_of_year(
    panel: pd.DataFrame,
    year: int,
    by: str | Sequence[str] = "commune_code",
    *,
    status: str = "poor",
    flags: Sequence[str] = (),
) -> pd.DataFrame:
    """:func:`flow_table`'s rows of one review ``year``, computed on that year and the review before it only.

    A flow of ``year`` reads the household's row of the previous review and, for re-entry, whether it was in
    ``status`` at any review before: the reviews before the previous one are folded into the history column
    (:data:`HISTORY_COLUMNS`) of the two years' rows, so the table is the same as :func:`flow_table`'s rows of
    ``year`` at the cost of two years instead of all of them (the summary form of a late year).

    Parameters
    ----------
    panel : DataFrame
        As for :func:`flow_table`.
    year : int
        A review year of ``panel``; its first year (no previous review) gives an empty table.
    by, status, flags
        As for :func:`flow_table`.

    Returns
    -------
    DataFrame
        The rows of ``year`` of ``flow_table(panel, by, status=status, flags=flags)``, same columns and order.

    See Also
    --------
    flow_table : every year at once.

    Examples
    --------
    >>> import povlib
    >>> p = povlib.load_demo()
    >>> whole = flow_table(p, status="poor")
    >>> whole[whole["year"] == 2019].reset_index(drop=True).equals(flow_table_of_year(p, 2019, status="poor"))
    True
    """
    if status not in ("poor", "near_poor"):
        raise PovlibInputError.from_key("transitions.err.bad_status", status=status)
    yr = panel["year"].to_numpy()
    earlier = np.unique(yr[yr < year])
    if not len(earlier):  # the first review (or none before it): no flows
        whole = flow_table(panel[yr == year], by, status=status, flags=flags)
        return whole.iloc[0:0].reset_index(drop=True)
    prev = earlier[-1]
    keep = (yr == prev) | (yr == year)
    two = panel[keep]
    before = yr < prev
    if before.any():
        hh, _ = int_codes(panel["household_id"])
        in_s = _status_codes(panel["status"]) == STATUSES.index(status)
        seen = np.zeros(int(hh.max()) + 1, dtype=bool)
        seen[hh[before & in_s]] = True
        spell = seen[hh[keep]]
        hist = _history(panel, status)
        if hist is not None:
            spell |= hist[keep]
        two = two.assign(**{HISTORY_COLUMNS[status]: spell})
    table = flow_table(two, by, status=status, flags=flags)
    return table[table["year"] == year].reset_index(drop=True)


def flow_columns(status: str, flags: Sequence[str] = ()) -> list[str]:
    """The count columns of :func:`flow_table` for ``status``, in their order (also the SQL one's,
    :func:`povlib.query.flow_table`).

    Examples
    --------
    >>> flow_columns("poor", ["minority"])  # doctest: +NORMALIZE_WHITESPACE
    ['start', 'start_minority', 'escaped', 'exit_to_near_poor', 'exit_to_non_poor',
     're_entered', 'newly_arising', 'joined', 'left', 'end', 'end_minority']
    """
    return ["start", *[f"start_{f}" for f in flags], "escaped",
            *[f"exit_to_{o}" for o in STATUSES if o != status],
            "re_entered", "newly_arising", "joined", "left", "end", *[f"end_{f}" for f in flags]]


def flow_labels(lang: str = "vi") -> dict[str, str]:
    """Display names of the ``flow_label`` codes (kept beside the logic for the CLI)."""
    return {code: t(f"flow.{code}", lang) for code in
            ("escaped_poverty", "newly_poor", "re_poor", "escaped_near_poverty",
             "newly_near_poor", "re_near_poor", "recently_escaped", "joined")}
