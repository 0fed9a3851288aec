"""Where a series breaks: the review years at which the poverty standard changes.

A rate measured under Decision 59/2015 and one measured under Decree 07/2021
are not the same quantity: the line, the indicators and the rule differ. A
series across such a change is drawn in two pieces with a marked break, never
as one line that falls or rises. Where one review was measured under both
standards (the 2021 total review: its rows carry the indicators of the next
standard too), that year has two points, one at the end of each piece.

The standard of each year is the one its rows were classified under (the
panel's ``standard`` column); nothing here knows a year or a standard by name.

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"year": [2020, 2021, 2022, 2023],
...                   "standard": ["QD59_2015", "QD59_2015", "ND07_2021", "ND07_2021"]})
>>> [(b.last_year, b.first_year, b.before, b.after) for b in standard_breaks(p)]
[(2021, 2022, 'QD59_2015', 'ND07_2021')]
>>> standard_breaks(p[p["year"] >= 2022])
[]
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from . import standards
from .classify import classify_households
from .errors import PovlibInputError
from .measures import rates

__all__ = ["StandardBreak", "breaks_between", "breaks_in_trend", "measured_under_next", "standard_breaks",
           "standard_of_years", "yearly_rates"]


@dataclass(frozen=True)
class StandardBreak:
    """A change of standard between two consecutive review years of a series.

    Attributes
    ----------
    last_year, first_year : int
        The last review under ``before`` and the first under ``after``.
    before, after : str
        The standards' ids.
    both_year : int or None
        A review measured under both standards (``last_year`` when its rows
        carry every indicator of ``after`` and the income to classify them),
        else None.
    """

    last_year: int
    first_year: int
    before: str
    after: str
    both_year: int | None = None

    @property
    def x(self) -> float:
        """Where a chart on a year axis draws the break: at the review measured under both (its two points
        stand on the line), else half-way between the two reviews."""
        return float(self.both_year) if self.both_year is not None else (self.last_year + self.first_year) / 2


def standard_of_years(panel: pd.DataFrame) -> dict[int, str]:
    """Review year -> the standard its rows were classified under (the most common, for mixed imports)."""
    if not len(panel):
        return {}
    std = panel.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    return {int(y): s for y, s in std.items()}


def _carries(rows: pd.DataFrame, std_id: str) -> bool:
    """Whether every row has every indicator of ``std_id`` and an income (it can be classified under it)."""
    try:
        ids = standards.get(std_id).indicator_ids
    except PovlibInputError:  # a standard not registered here (an imported file's own id)
        return False
    cols = [*ids, "income", "area"]
    return len(rows) > 0 and all(c in rows.columns for c in cols) and not rows[cols].isna().any().any()


def standard_breaks(panel: pd.DataFrame) -> list[StandardBreak]:
    """The changes of standard between consecutive review years of ``panel``, in year order.

    Parameters
    ----------
    panel : DataFrame
        Rows with ``year`` and ``standard`` (and, for a review measured under
        both, the next standard's indicators and ``income``).

    Returns
    -------
    list of StandardBreak
        Empty when every year was measured under one standard.

    Examples
    --------
    >>> import povlib
    >>> b = standard_breaks(povlib.load_demo())
    >>> [(x.last_year, x.first_year, x.before, x.after, x.both_year) for x in b]
    [(2021, 2022, 'QD59_2015', 'ND07_2021', 2021)]
    """
    out = []
    for brk in breaks_between(standard_of_years(panel)):
        rows = panel.loc[panel["year"].to_numpy() == brk.last_year]
        out.append(replace(brk, both_year=brk.last_year if _carries(rows, brk.after) else None))
    return out


def breaks_between(standard_of_year: dict[int, str]) -> list[StandardBreak]:
    """The changes of standard between consecutive years of a ``year -> standard`` map (no review
    measured under both: see :func:`standard_breaks` for that).

    Examples
    --------
    >>> [(b.last_year, b.first_year) for b in breaks_between({2019: "A", 2021: "A", 2022: "B", 2027: "C"})]
    [(2021, 2022), (2022, 2027)]
    """
    years = sorted(standard_of_year)
    return [StandardBreak(a, b, standard_of_year[a], standard_of_year[b])
            for a, b in zip(years, years[1:]) if standard_of_year[a] != standard_of_year[b]]


def breaks_in_trend(trend: pd.DataFrame) -> list[StandardBreak]:
    """The breaks of a series table with ``year`` and ``standard`` columns (e.g.
    :func:`povlib.views.rates_trend`), where a year with a row under each of two standards is the review
    measured under both.

    Examples
    --------
    >>> tr = pd.DataFrame({"year": [2020, 2021, 2021, 2022], "standard": ["Q", "Q", "N", "N"]})
    >>> breaks_in_trend(tr)
    [StandardBreak(last_year=2021, first_year=2022, before='Q', after='N', both_year=2021)]
    >>> breaks_in_trend(tr[tr["year"] != 2021])[0].both_year is None
    True
    """
    if "standard" not in trend.columns or not len(trend):
        return []
    pairs = trend[["year", "standard"]].astype({"year": int, "standard": str}).drop_duplicates()
    order = list(dict.fromkeys(pairs["standard"]))          # the standards in the order of the series
    years = {s: sorted(pairs.loc[pairs["standard"] == s, "year"]) for s in order}
    out = []
    for a, b in zip(order, order[1:]):
        both = sorted(set(years[a]) & set(years[b]))
        last = max(years[a])
        first = min(y for y in years[b] if y not in both) if any(y not in both for y in years[b]) else max(years[b])
        out.append(StandardBreak(last, first, a, b, both[0] if both else None))
    return out


def measured_under_next(panel: pd.DataFrame) -> pd.DataFrame:
    """The rows of every review measured under both standards, classified under the next one.

    Their ``standard`` column names the next standard, so that a series
    computed over ``pd.concat([panel, measured_under_next(panel)])`` has two
    points in that year, one per standard. Empty (same columns) when no
    review was measured under both.

    Examples
    --------
    >>> import povlib
    >>> from povlib.measures import rates
    >>> p = povlib.load_demo()
    >>> extra = measured_under_next(p)
    >>> sorted(set(extra["year"])), sorted(set(extra["standard"].astype(str)))
    ([2021], ['ND07_2021'])
    >>> len(extra) == int((p["year"] == 2021).sum())
    True
    """
    parts = []
    for brk in standard_breaks(panel):
        if brk.both_year is None:
            continue
        rows = panel.loc[panel["year"].to_numpy() == brk.both_year]
        c = classify_households(rows, brk.after)
        c["standard"] = brk.after
        parts.append(c)
    if not parts:
        return panel.iloc[0:0]
    out = pd.concat(parts)
    if isinstance(panel["standard"].dtype, pd.CategoricalDtype):
        out["standard"] = pd.Categorical(out["standard"].astype(str),
                                         categories=panel["standard"].cat.categories.union(out["standard"].unique()))
    return out


def yearly_rates(rows: pd.DataFrame, by: list[str] | None = None, *, both_standards: bool = True) -> pd.DataFrame:
    """:func:`povlib.measures.rates` per review year (and ``by``), with the ``standard`` each year was
    measured under; with ``both_standards`` a review measured under two standards has a second row under
    the next one, after its own (column ``second``: True on that row).

    Examples
    --------
    >>> import povlib
    >>> r = yearly_rates(povlib.load_demo())
    >>> r.loc[r["year"].between(2021, 2022), ["year", "standard", "second"]].values.tolist()
    [[2021, 'QD59_2015', False], [2021, 'ND07_2021', True], [2022, 'ND07_2021', False]]
    """
    keys = ["year", *(by or [])]
    std = standard_of_years(rows)
    own = rates(rows, by=keys)
    own["year"] = own["year"].astype(int)
    own["standard"] = own["year"].map(std).astype(str)
    own["second"] = False
    extra = measured_under_next(rows) if both_standards and len(rows) else rows.iloc[0:0]
    if not len(extra):
        return own
    more = rates(extra, by=keys)
    more["year"] = more["year"].astype(int)
    more["standard"] = more["year"].map(standard_of_years(extra)).astype(str)
    more["second"] = True
    return pd.concat([own, more], ignore_index=True).sort_values(["year", "second"], kind="stable",
                                                                    ignore_index=True)
