"""Household profiles for a support plan: the households of one review year grouped by what a plan reads.

A plan (:func:`povlib.planning.eligibility`) reads, per household of the year, its unit, status, members,
area, the indicators and yes/no columns the policies name, whether it escaped poverty recently and
whether it was poor or near-poor in an earlier review (a support given once). Households alike in all of
these are one row with their number in ``weight``: a province's or the country's plan is then computed
from a few hundred thousand rows instead of millions of households, with the same integers
(:func:`povlib.planning.eligibility` weighs each row; ``tests/unit/test_query_profiles.py`` proves the
plan equal to the one from the households on the demos).

Flags computed by the engine, as :func:`povlib.transitions.household_flows` and
:func:`povlib.planning.with_earlier_reviews` do on the households' rows (linked by ``household_id``
wherever the household lived):

* ``recently_escaped`` – not poor now, and the last escape (poor at a review, not poor at the next review
  of the data) happened less than 3 years before; only when the data hold an earlier review;
* ``earlier_review`` – present at some earlier review; ``earlier_poor`` / ``earlier_near_poor`` – in that
  status at some earlier review;
* ``first_review`` – the first review year of these households' rows (the start of that history).

Without an earlier review of any household in view, the history flags are left out (nothing is known).

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> p = pd.DataFrame({"household_id": ["a", "a", "b", "b", "c"], "year": [2018, 2019, 2018, 2019, 2019],
...                   "commune_code": ["02020"] * 5, "commune_name": ["Bằng Lãng"] * 5,
...                   "status": ["poor", "non_poor", "near_poor", "non_poor", "non_poor"], "members": [4, 4, 3, 3, 3]})
>>> pr = plan_profiles(from_frame(p), 2019)
>>> pr[["members", "recently_escaped", "earlier_poor", "earlier_near_poor", "weight"]].values.tolist()
[[3, False, False, False, 1], [3, False, False, True, 1], [4, True, True, False, 1]]
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..transitions import RECENT_ESCAPE_YEARS
from .source import VIEW, Filter, Source, literal

__all__ = ["plan_profiles", "PROFILE_FLAGS"]

#: the columns a profile adds to the data's own (besides ``weight``)
PROFILE_FLAGS = ("recently_escaped", "earlier_review", "earlier_poor", "earlier_near_poor", "first_review")

#: the data's columns a plan may read, when the data have them (units, status, the household's facts)
_PLAN_COLUMNS = ("year", "standard", "province_code", "province_name", "district_code", "district_name",
                 "commune_code", "commune_name", "status", "poor_via", "members", "area", "ethnic_minority",
                 "pupils")



def _years_in(years: Sequence[int]) -> str:
    return f"year IN ({', '.join(literal(int(y)) for y in years)})" if years else "1 = 0"


def _profile_sql(keep: list[str], where: Filter, year: int, years: list[int], earlier: list[int]) -> str:
    """The profiles' SQL; ``earlier`` are the review years before ``year`` whose rows give the history flags."""
    sel = ", ".join(["household_id", *keep])
    parts = [f"c AS (\n  SELECT {sel} FROM {VIEW} {where.where(f'year = {literal(year)}')}\n)"]
    flags = [f"CAST({literal(year)} AS BIGINT) AS first_review"]
    joins = ""
    if earlier:
        parts.append(f"e AS (\n  SELECT household_id, year, status FROM {VIEW} "
                     f"WHERE {_years_in(earlier)} AND household_id IN (SELECT household_id FROM c)\n)")
        # an escape at review b (after the first): poor at the review before b, not poor at b; recent when
        # year - b < RECENT_ESCAPE_YEARS. One pass over the earlier rows: per household, whether it was poor
        # (p_y) or not poor (n_y) at each review y the escapes read (no self-join)
        window = [b for b in years[1:] if year - b < RECENT_ESCAPE_YEARS]
        prev = dict(zip(years[1:], years))
        need_p = sorted({prev[b] for b in window})
        need_n = [b for b in window if b != year]  # at ``year``: the row itself, not poor
        per_year = [f"MAX(CASE WHEN year = {literal(y)} AND status = 'poor' THEN 1 ELSE 0 END) AS p_{y}"
                    for y in need_p]
        per_year += [f"MAX(CASE WHEN year = {literal(y)} AND status <> 'poor' THEN 1 ELSE 0 END) AS n_{y}"
                     for y in need_n]
        parts.append("h AS (\n  SELECT household_id, MAX(CASE WHEN status = 'poor' THEN 1 ELSE 0 END) AS ep,"
                     " MAX(CASE WHEN status = 'near_poor' THEN 1 ELSE 0 END) AS en"
                     + "".join(f", {c}" for c in per_year) + " FROM e GROUP BY household_id\n)")
        escapes = [f"(c.status <> 'poor' AND h.p_{prev[b]} = 1)" if b == year
                   else f"(h.n_{b} = 1 AND h.p_{prev[b]} = 1)" for b in window]
        escaped = f"COALESCE({' OR '.join(escapes)}, FALSE)" if escapes else "FALSE"
        joins = "\nLEFT JOIN h ON h.household_id = c.household_id"
        flags = [f"(c.status <> 'poor' AND {escaped}) AS recently_escaped",
                 "h.household_id IS NOT NULL AS earlier_review",
                 "COALESCE(h.ep, 0) = 1 AS earlier_poor", "COALESCE(h.en, 0) = 1 AS earlier_near_poor",
                 f"CAST(COALESCE((SELECT MIN(year) FROM e), {literal(year)}) AS BIGINT) AS first_review"]
    names = [f.rsplit(" AS ", 1)[1] for f in flags]
    cols = ", ".join([*(f"c.{k}" for k in keep), *flags])
    group = ", ".join([*(f"c.{k}" for k in keep), *(f[: f.rindex(" AS ")] for f in flags)])
    ctes = ",\n".join(parts)
    return (f"WITH {ctes}\nSELECT {cols}, CAST(COUNT(*) AS BIGINT) AS weight\nFROM c{joins}\n"
            f"GROUP BY {group}\nORDER BY {', '.join([*keep, *names])}")


def plan_profiles(source: Source, year: int, *, where: Filter | None = None,
                  columns: Sequence[str] = ()) -> pd.DataFrame:
    """The households of ``year`` (selected by ``where``) grouped by what a plan reads, with ``weight``.

    Parameters
    ----------
    source : Source
        The engine holding the ``households`` view (the whole data: earlier reviews of the selected
        households are found wherever they lived).
    year : int
        The review year to plan from.
    where : Filter, optional
        The units in view (its ``years`` are ignored: the year is ``year``).
    columns : list of str
        More of the data's columns to keep (the indicators and yes/no columns the policies name);
        those the data lack are left out.

    Returns
    -------
    DataFrame
        One row per distinct profile: the plan's columns the data have, ``columns``, the flags of
        :data:`PROFILE_FLAGS` (the history flags only when a household in view has an earlier review)
        and ``weight`` (households, int64), sorted by them. Empty when the year has no row in view.
    """
    have = source.columns()
    for c in ("household_id", "year", "status"):
        if c not in have:
            raise PovlibInputError.from_key("transitions.err.missing_columns", columns=c, column=c)
    w = replace(where or Filter(), years=())  # the year is ``year``; a group's extra conditions are kept
    keep = list(dict.fromkeys([c for c in [*_PLAN_COLUMNS, *columns] if c in have]))
    year = int(year)
    years = sorted(int(y) for y in source.sql(f"SELECT DISTINCT year FROM {VIEW} WHERE year IS NOT NULL "
                                              f"AND year <= {literal(year)}")["year"])
    earlier = [y for y in years if y < year]
    out = source.sql(_profile_sql(keep, w, year, years, earlier))
    if earlier and not out["earlier_review"].astype(bool).any():  # no household in view was there before
        out = source.sql(_profile_sql(keep, w, year, years, []))
    for c in ("recently_escaped", "earlier_review", "earlier_poor", "earlier_near_poor"):
        if c in out.columns:
            out[c] = out[c].astype(bool)
    for c in ("weight", "first_review", "year", "members"):
        if c in out.columns and out[c].notna().all():
            out[c] = out[c].astype(np.int64)
    return out.reset_index(drop=True)
