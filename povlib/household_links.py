"""Which rows of a household panel are the same household at the previous and the next review.

The base of every flow (:mod:`povlib.transitions`): a household is followed by its ``household_id`` across
reviews; with unit ``keys`` it stays linked only while it stays in its unit, where a reform that renamed the
commune (the dated crosswalk of :mod:`povlib.units`) is no move. The SQL flows of the national dataset
(:mod:`povlib.query.flows`) apply the same rule through :func:`successor_pairs`.

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"household_id": ["a", "b", "a"], "year": [2018, 2018, 2019]})
>>> L = links(p, ())
>>> L.prev_row.tolist(), L.next_row.tolist()
([-1, -1, 0], [2, -1, -1])
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import PovlibInputError, first_rows

__all__ = ["UNIT_COLUMN", "Links", "duplicate_error", "int_codes", "links", "successor_pairs"]


def duplicate_error(panel: pd.DataFrame) -> PovlibInputError:
    dup = panel.duplicated(["household_id", "year"], keep=False).to_numpy()
    rows = first_rows(dup, panel.index)
    return PovlibInputError.from_key("transitions.err.duplicate_ids", column="household_id", rows=rows, lines=rows)


def int_codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of a column and their count; missing values get code 0."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int32) + 1, len(s.cat.categories) + 1
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu" and len(s):
        arr = s.to_numpy()
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo < 2 * len(arr) + 1024:  # dense integer ids: the value is the code
            return np.subtract(arr, lo - 1, dtype=np.int64), hi - lo + 2
    codes, uniques = pd.factorize(s)
    return codes.astype(np.int64) + 1, len(uniques) + 1


#: the unit column whose codes change with the 2020 and 2025 reforms (see :func:`_successor_rows`)
UNIT_COLUMN = "commune_code"


def _successor_rows(codes: pd.Series, yr: np.ndarray, other: np.ndarray, check: np.ndarray, *,
                    forward: bool = True) -> np.ndarray:
    """True where a row's commune is a successor (by the dated crosswalk) of the commune of the same
    household at the ``other`` row (its previous review; ``forward=False``: its next one, the roles swapped).

    Only the distinct (code, year, code, year) pairs are looked up (a few dozen), never the households; a code
    the registry does not know is a move, as before.
    """
    out = np.zeros(len(codes), dtype=bool)
    rows = np.flatnonzero(check)
    if not len(rows):
        return out
    from .units import successors  # the registry is read only for panels whose units change

    c = codes.astype(object).to_numpy()
    a, b = (other[rows], rows) if forward else (rows, other[rows])
    pairs = pd.DataFrame({"c0": c[a], "y0": yr[a].astype(np.int64), "c1": c[b], "y1": yr[b].astype(np.int64)})
    uniq = pairs.drop_duplicates().reset_index(drop=True)

    def became(c0, y0, c1, y1) -> bool:
        try:
            return y0 < y1 and any(k.code == str(c1) for k in successors((str(c0), int(y0)), int(y1)))
        except PovlibInputError:
            return False

    uniq["ok"] = [became(*r) for r in uniq.itertuples(index=False)]
    hit = pairs.merge(uniq, on=["c0", "y0", "c1", "y1"], how="left")["ok"].to_numpy()
    out[rows] = np.asarray(hit, dtype=bool)
    return out


def successor_pairs(units: pd.DataFrame, years: Sequence[int]) -> list[tuple[str, int, str]]:
    """``(old code, year, new code)``: a commune of each review whose successor at the next review (of
    ``years``) has another code, by the dated crosswalk; the rule :func:`povlib.transitions.household_flows` applies to a
    household whose commune code changed (a reform is no move).

    ``units`` holds the distinct ``year`` and :data:`UNIT_COLUMN` of the data. A code the registry does
    not know has no successor (a move, as in :func:`_successor_rows`).

    Examples
    --------
    >>> u = pd.DataFrame({"year": [2024, 2024, 2025], "commune_code": ["02023", "02020", "02026"]})
    >>> successor_pairs(u, [2024, 2025])
    [('02023', 2025, '02026')]
    """
    from .units import successors  # the registry is read only for panels whose units change

    codes = {int(y): set(g[UNIT_COLUMN].astype(str)) for y, g in units.groupby("year", observed=True)}
    ys = sorted(int(y) for y in years)
    out = []
    for y0, y1 in zip(ys, ys[1:]):
        later = codes.get(y1, set())
        for c0 in sorted(codes.get(y0, set())):
            try:
                nxt = {k.code for k in successors((c0, y0), y1)}
            except PovlibInputError:
                continue
            out += [(c0, y1, c1) for c1 in sorted(nxt & later) if c1 != c0]
    return out


class Links:
    """Each row's household code, review-year index and the rows of the same
    household at the previous and next review (-1 when absent).

    Built with one scatter into a (years × households) table, in the panel's
    own row order: no sort of the whole panel.
    """

    def __init__(self, panel: pd.DataFrame, keys: Sequence[str]):
        self.years = np.sort(panel["year"].unique())
        yr = panel["year"].to_numpy()
        if not (isinstance(yr.dtype, np.dtype) and yr.dtype.kind in "iuf"):
            yr = yr.astype(np.int64)
        n = len(yr)
        self.n = n
        self.yr = yr  # the column's own numeric dtype (no copy); years are cast to int64 in outputs
        ny = len(self.years)
        self.yi = np.searchsorted(self.years, yr).astype(np.int16 if ny < 2**15 - 2 else np.int64)
        self.hh, self.H = int_codes(panel["household_id"])
        idx_dtype = np.int32 if n < 2**31 - 1 else np.int64
        # rows -1 and ny are padding so that "previous" and "next" are plain offsets
        table = np.full((ny + 2) * self.H, -1, dtype=idx_dtype)
        flat = self.yi.astype(np.int64)
        flat += 1
        flat *= self.H
        flat += self.hh
        rows = np.arange(n, dtype=idx_dtype)
        table[flat] = rows
        if n and not np.array_equal(table[flat], rows):  # a later row overwrote an earlier one
            raise duplicate_error(panel)
        self.prev_row = table[flat - self.H]
        self.next_row = table[flat + self.H]
        del table, flat
        self.has_prev = self.prev_row >= 0
        self.has_next = self.next_row >= 0
        self.linked = self.has_prev.copy()
        self.next_linked = self.has_next.copy()
        for k in keys:
            kc, _ = int_codes(panel[k])
            known = kc > 0  # a missing unit never matches
            same_prev = kc[self.prev_row] == kc
            same_next = kc[self.next_row] == kc
            if k == UNIT_COLUMN:  # a reform renames units: the successor of the household's unit is the same place
                same_prev |= _successor_rows(panel[k], yr, self.prev_row, self.has_prev & ~same_prev)
                same_next |= _successor_rows(panel[k], yr, self.next_row, self.has_next & ~same_next, forward=False)
            self.linked &= known & same_prev
            self.next_linked &= known & same_next
        self.year_rows = [np.flatnonzero(self.yi == j) for j in range(ny)]
        self.year_hh = [self.hh[r] for r in self.year_rows]

    def ever_before(self, flag: np.ndarray) -> np.ndarray:
        """True where the household had ``flag`` in an earlier row (review)."""
        seen = np.zeros(self.H, dtype=bool)
        out = np.empty(self.n, dtype=bool)
        for rows, hh in zip(self.year_rows, self.year_hh):
            out[rows] = seen[hh]
            seen[hh[flag[rows]]] = True
        return out

    def last_value(self, value: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Per row, ``value`` at the household's latest row (this one included) where ``valid``; NaN if none."""
        last = np.full(self.H, np.nan)
        out = np.empty(self.n, dtype=np.float64)
        for rows, hh in zip(self.year_rows, self.year_hh):
            v = valid[rows]
            last[hh[v]] = value[rows[v]]
            out[rows] = last[hh]
        return out


def links(panel: pd.DataFrame, keys: Sequence[str]) -> Links:
    """The :class:`Links` of ``panel``, households kept in their unit of ``keys``; raises on a household twice
    in one year."""
    return Links(panel, keys)
