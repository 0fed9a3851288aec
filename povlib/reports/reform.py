"""The review before a year re-expressed on the year's communes (the summary form across the 2020 and
2025 reforms): each household's commune and area of the previous review become the ones of the year it
lives in (:func:`previous_on_units`, :func:`previous_areas`), a commune's own form takes its territory
(:func:`commune_rows`), and counts by a vanished commune move to its one successor (:func:`start_on_units`,
the SQL engine's counts). Communes of the previous review with no row yet in the year (a review season's
partial data: their files not imported) are named by :func:`units_not_reviewed`; the summary form leaves
their households out of the start of the year instead of counting them as moved out.

Only the distinct (old, new) pairs are looked up in the unit registry, never the households.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..columns import as_text
from ..errors import PovlibInputError
from ..household_links import UNIT_COLUMN
from ..sorting import sort_frame
from ..units import same_unit, successors

__all__ = ["commune_rows", "not_reviewed_rows", "not_reviewed_table", "previous_on_units", "previous_areas",
           "start_on_units", "units_not_reviewed", "without_not_reviewed"]


def commune_rows(panel: pd.DataFrame, year: int, commune: str) -> np.ndarray:
    """The rows of one commune's form of ``year``: its rows of ``year``; of the review before, the rows of the
    households whose commune became it (:func:`previous_on_units`: a merged commune's, the part of a split one
    that is in it now), not the rows that merely carried its code then; of the reviews before that, every row
    of those households (for re-entry).

    Examples
    --------
    >>> p = pd.DataFrame({"household_id": ["a", "b", "a", "b"], "year": [2024, 2024, 2025, 2025],
    ...                   "commune_code": ["02023", "02026", "02026", "02026"]})
    >>> commune_rows(p, 2025, "02026").tolist()  # a's 2024 row in Xuân Lạc, merged into Nam Cường
    [True, True, True, True]
    """
    codes = as_text(panel[UNIT_COLUMN])
    mine = codes == str(commune)
    yr = panel["year"].to_numpy()
    earlier = yr[yr < int(year)]
    if not len(earlier):
        return mine
    prev = int(earlier.max())
    hh = pd.factorize(panel["household_id"].to_numpy())[0]
    new, _ = previous_on_units(codes, hh, yr, prev, int(year))
    at_prev = yr == prev
    keep = np.where(at_prev, new == str(commune), mine)
    # the reviews before: every row of those households (whether one was in the status before is a fact
    # about the household, wherever it lived: re-entry, not newly arising)
    ours = np.unique(hh[keep & (yr >= prev)])
    return np.where(yr < prev, np.isin(hh, ours), keep)


def previous_on_units(codes: np.ndarray, hh: np.ndarray, yr: np.ndarray, prev_year: int,
                       year: int) -> tuple[np.ndarray, list[str]]:
    """``codes`` with the commune of each ``prev_year`` row re-expressed on the communes of ``year``: the
    household's own commune in ``year`` when it is a successor of its old one by the dated crosswalk (a merge,
    a commune split among several, a part moved to another commune), else, for a commune that no longer
    exists, its one successor among the communes of ``year``; any other row (a move, a commune split among
    several that the household left) keeps its code. Only the distinct (old, new) pairs
    are looked up. Also returns the old codes replaced.

    Examples
    --------
    >>> codes = np.array(["02023", "02023", "02026", "02026"], dtype=object)
    >>> new, old = previous_on_units(codes, np.array([0, 1, 0, 1]), np.array([2024, 2024, 2025, 2025]), 2024, 2025)
    >>> new.tolist(), old
    (['02026', '02026', '02026', '02026'], ['02023'])
    """
    now = pd.unique(codes[yr == year])
    at = np.flatnonzero(yr == year)
    there = pd.Series(codes[at], index=hh[at], dtype=object)
    there = there[~there.index.duplicated()]
    before = np.flatnonzero(yr == prev_year)
    b0 = there.reindex(hh[before]).to_numpy(dtype=object)
    b_idx, b_uni = pd.factorize(codes[before], use_na_sentinel=False)
    stays = {c: same_unit(str(c), int(prev_year), int(year)) for c in b_uni}
    gone = ~np.array([stays[c] for c in b_uni], dtype=bool)[b_idx]  # not the same unit any more
    other = ~pd.isna(b0) & (b0 != codes[before])  # in ``year`` in another commune (a move, or a successor)
    pick_rows = gone | other
    rows, c1 = before[pick_rows], b0[pick_rows]
    if not len(rows):
        return codes, []
    c0 = codes[rows]
    now_set = {str(c) for c in now}
    succ: dict[str, set[str]] = {}
    for c in pd.unique(c0):
        try:
            succ[c] = {u.code for u in successors((str(c), int(prev_year)), int(year))} & now_set
        except PovlibInputError:  # a code the registry does not know: no successor
            succ[c] = set()
    c1 = np.where(pd.isna(c1), "", c1).astype(object)  # "": the household has no row in ``year``

    def became(a: str, b: str) -> str:
        if b in succ[a]:  # the household's commune in ``year`` is a successor of its old one: the same place
            return b
        return next(iter(succ[a])) if len(succ[a]) == 1 and not stays[a] else a

    pairs = pd.DataFrame({"a": c0, "b": c1})
    uniq = pairs.drop_duplicates().reset_index(drop=True)
    uniq["new"] = [became(a, b) for a, b in uniq.itertuples(index=False)]  # the distinct pairs, not the rows
    new = pairs.merge(uniq, on=["a", "b"], how="left")["new"].to_numpy(dtype=object)
    out = codes.copy()
    out[rows] = new
    return out, sorted(str(a) for a in pd.unique(c0[new != c0]))


def previous_areas(codes: np.ndarray, areas: np.ndarray, yr: np.ndarray, prev_year: int,
                    year: int) -> np.ndarray:
    """``areas`` with each ``prev_year`` row given the area of its commune in ``year`` when that commune lies in
    one area then (a town merged into a rural commune: its households start the year in the rural rows, as the
    commune's row counts them); other rows keep theirs.

    Examples
    --------
    >>> codes = np.array(["02020", "02020", "02020"], dtype=object)
    >>> previous_areas(codes, np.array([1, 0, 0]), np.array([2024, 2024, 2025]), 2024, 2025).tolist()
    [0, 0, 0]
    """
    now = yr == year
    pairs = pd.DataFrame({"c": pd.Series(codes[now], dtype=object), "a": areas[now]}).drop_duplicates()
    n = pairs.groupby("c", sort=False)["a"].agg(["first", "size"])
    one = n.loc[n["size"] == 1, "first"]
    before = np.flatnonzero(yr == prev_year)
    # each distinct code looked up once, then spread over the rows
    b_idx, b_uni = pd.factorize(codes[before], use_na_sentinel=False)
    to = one.reindex(pd.Index(b_uni, dtype=object)).to_numpy(dtype=float)[b_idx]
    out = areas.copy()
    out[before] = np.where(~np.isnan(to), np.nan_to_num(to, nan=-1).astype(np.int64), areas[before])
    return out


def start_on_units(ft: pd.DataFrame, code_col: str, prev_year: int, year: int, units: set[str],
                    area_of: pd.Series | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """``ft`` (a flow table of ``year`` by ``code_col``) with the counts of the previous review (``start``,
    ``start_*``, ``left``) of a unit that no longer exists in ``year`` moved to its successor, when the dated
    crosswalk gives it exactly one among ``units`` (the units of ``year``): the households of a merged commune
    start the year in the commune they were merged into. A unit split among several keeps its row (it is then
    in the form's totals only). With ``area_of`` (code -> area of a unit of one area) and an ``area`` column,
    the moved counts take the area of the unit they move to. Also returns the codes moved.

    Examples
    --------
    >>> ft = pd.DataFrame({"commune_code": ["02026", "02023"], "start": [5, 3], "escaped": [4, 0], "left": [0, 1]})
    >>> out, moved = start_on_units(ft, "commune_code", 2024, 2025, {"02026"})  # Xuân Lạc into Nam Cường
    >>> out.to_dict("records"), moved
    ([{'commune_code': '02026', 'start': 8, 'escaped': 4, 'left': 1}], {'02023': '02026'})
    """
    old = sorted(set(ft[code_col].astype(str)) - units)
    moved: dict[str, str] = {}
    for c0 in old:
        try:
            nxt = {u.code for u in successors((c0, int(prev_year)), int(year))} & units
        except PovlibInputError:  # a code the registry does not know: its row stays
            continue
        if len(nxt) == 1:
            moved[c0] = nxt.pop()
    if not moved:
        return ft, moved
    out = ft.assign(**{code_col: ft[code_col].astype(str).replace(moved)})
    keys = [code_col]
    if area_of is not None and "area" in out.columns:
        to = out[code_col].map(area_of)
        hit = out[code_col].isin(list(moved.values())) & to.notna()
        out["area"] = out["area"].astype(object).where(~hit, to.astype(object))
        keys.append("area")
    return out.groupby(keys, sort=False, as_index=False).sum(), moved


def not_reviewed_rows(codes: np.ndarray, yr: np.ndarray, prev_year: int, year: int) -> np.ndarray:
    """Rows of ``prev_year`` whose commune (``codes``, re-expressed on the year's by :func:`previous_on_units`)
    has no row in ``year``. A commune that a reform divided or merged counts as reviewed when one of its
    successors has rows (the households that left a divided commune keep its code: they are not missing).

    >>> not_reviewed_rows(np.array(["a", "b", "a"], dtype=object), np.array([2024, 2024, 2025]), 2024, 2025).tolist()
    [False, True, False]
    """
    now = yr == year
    present = pd.unique(codes[now])
    gone = (yr == prev_year) & ~pd.Index(codes, dtype=object).isin(present)
    if not gone.any():
        return gone
    here = {str(c) for c in present}
    followed = []
    for c in pd.unique(codes[gone]):
        try:
            if not same_unit(str(c), int(prev_year), int(year)) and \
                    {u.code for u in successors((str(c), int(prev_year)), int(year))} & here:
                followed.append(c)
        except PovlibInputError:  # a code the registry does not know: it is what it says
            continue
    return gone & ~pd.Index(codes, dtype=object).isin(followed) if followed else gone


def units_not_reviewed(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """Communes of the previous review with no row in ``year`` (their review files not imported yet).

    A commune merged or divided by a reform counts as reviewed when its successor has rows in ``year``
    (:func:`previous_on_units`).

    Returns
    -------
    DataFrame
        ``code``, ``name`` (as in the previous review) and ``households`` (of the previous review), in
        Vietnamese order, plus ``attrs['prev_year']``; empty when ``year`` is the first review or holds
        every commune.

    Examples
    --------
    >>> p = pd.DataFrame({"household_id": ["a", "b", "c", "a"], "year": [2024, 2024, 2024, 2025],
    ...                   "commune_code": ["02020", "02020", "02029", "02020"],
    ...                   "commune_name": ["Xã Bằng Lãng", "Xã Bằng Lãng", "Xã Đồng Lạc", "Xã Bằng Lãng"]})
    >>> units_not_reviewed(p, 2025)[["code", "name", "households"]].values.tolist()
    [['02029', 'Xã Đồng Lạc', 1]]
    >>> units_not_reviewed(p, 2024).empty  # the first review: nothing to compare with
    True
    """
    found = _previous_rows_gone(panel, year)
    if found is None:
        return pd.DataFrame(columns=["code", "name", "households"])
    prev, at, new, gone = found
    gone_at = at[gone]  # only those rows' names are read (usually none)
    names = (panel["commune_name"].iloc[gone_at].astype(str).to_numpy(dtype=object) if "commune_name" in panel
             else new[gone])
    return not_reviewed_table(new[gone], names, prev)


def _previous_rows_gone(panel: pd.DataFrame, year: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray] | None:
    """The previous review year, the positions of its and ``year``'s rows, their communes on the year's units
    (:func:`previous_on_units`) and which of them are :func:`not_reviewed_rows`; None for the first review."""
    years = pd.unique(panel["year"]).astype(int)
    earlier = years[years < int(year)]
    if not len(earlier):
        return None
    prev = int(earlier.max())
    yr_all = panel["year"].to_numpy()
    at = np.flatnonzero((yr_all == prev) | (yr_all == int(year)))
    rows = panel.iloc[at]
    yr = rows["year"].to_numpy()
    codes = np.asarray(as_text(rows["commune_code"]), dtype=object)
    new, _ = previous_on_units(codes, pd.factorize(rows["household_id"])[0], yr, prev, int(year))
    return prev, at, new, not_reviewed_rows(new, yr, prev, int(year))


def not_reviewed_table(codes: np.ndarray, names: np.ndarray, prev_year: int) -> pd.DataFrame:
    """The table of :func:`units_not_reviewed` from the previous review's rows of those communes (``codes`` on
    the year's units, ``names`` as then)."""
    out = (pd.DataFrame({"code": codes, "name": names})
           .groupby("code", sort=False).agg(name=("name", "first"), households=("name", "size")).reset_index())
    out["households"] = out["households"].astype(np.int64)
    out = sort_frame(out, ["name", "code"], text=["name"]).reset_index(drop=True)
    out.attrs["prev_year"] = int(prev_year)
    return out


def without_not_reviewed(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """``panel`` without the previous review's rows of the communes that have no row in ``year`` (their files not
    imported yet): what a comparison of ``year`` with the previous review may use (the transitions of a Sankey
    diagram showed those households as gone).

    >>> p = pd.DataFrame({"household_id": ["a", "b", "a"], "year": [2024, 2024, 2025],
    ...                   "commune_code": ["02020", "02029", "02020"]})
    >>> without_not_reviewed(p, 2025)["household_id"].tolist()
    ['a', 'a']
    """
    found = _previous_rows_gone(panel, year)
    if found is None or not found[3].any():
        return panel
    _, at, _, gone = found
    keep = np.ones(len(panel), dtype=bool)
    keep[at[gone]] = False
    return panel.loc[keep]
