"""Households and people by status, and their rates, per unit: :func:`povlib.measures.rates` in SQL.

The engine counts (integers); the rates are computed from the counts by the same pandas
expressions as :func:`povlib.measures.rates`, so both agree to the last digit.

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> df = pd.DataFrame({"commune_code": ["a", "a", "b"], "status": ["poor", "non_poor", "near_poor"],
...                    "poor_via": ["income", None, None], "members": [4, 2, 3]})
>>> r = rates(from_frame(df), "commune_code")
>>> r[["commune_code", "households", "poor", "poor_rate", "people", "poor_people"]].to_string(index=False)
'commune_code  households  poor  poor_rate  people  poor_people\\n           a           2     1        0.5       6            4\\n           b           1     0        0.0       3            0'
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from .source import VIEW, Filter, Source

__all__ = ["rates", "rates_sql", "rates_counts", "rates_from_counts", "by_list"]


def by_list(by: str | Sequence[str] | None) -> list[str]:
    """``by`` as a list of column names (empty for None)."""
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _count(cond: str, value: str = "1") -> str:
    return f"CAST(COALESCE(SUM(CASE WHEN {cond} THEN {value} ELSE 0 END), 0) AS BIGINT)"


def rates_sql(by: str | Sequence[str] | None = None, *, people: bool = True, where: Filter | None = None,
              members: str = "members", null_keys: bool = False) -> str:
    """The SQL of :func:`rates` (plain ANSI SQL over the ``households`` view).

    ``null_keys`` keeps the rows with a missing key as a group of their own (they are dropped otherwise).

    Examples
    --------
    >>> print(rates_sql("year", people=False).splitlines()[-2])
    GROUP BY year
    """
    keys = by_list(by)
    poor, near = "status = 'poor'", "status = 'near_poor'"
    cols = [*keys, "CAST(COUNT(*) AS BIGINT) AS households", f"{_count(poor)} AS poor",
            f"{_count(near)} AS near_poor", f"{_count(poor + ' AND poor_via = ' + chr(39) + 'income' + chr(39))} AS income_poor",
            f"{_count(poor + ' AND poor_via = ' + chr(39) + 'deprivation' + chr(39))} AS deprivation_poor"]
    if people:
        cols += [f"CAST(COALESCE(SUM({members}), 0) AS BIGINT) AS people", f"{_count(poor, members)} AS poor_people",
                 f"{_count(near, members)} AS near_poor_people"]
    where = where or Filter()
    known = () if null_keys else tuple(f"{k} IS NOT NULL" for k in keys)
    sql = "SELECT " + ",\n       ".join(cols) + f"\nFROM {VIEW}\n{where.where(*known)}\n"
    if keys:
        sql += "GROUP BY " + ", ".join(keys) + "\nORDER BY " + ", ".join(keys)
    return sql.rstrip("\n") + "\n"


def rates(source: Source, by: str | Sequence[str] | None = None, *, where: Filter | None = None,
          members: str = "members") -> pd.DataFrame:
    """Household and people counts and rates by status per group, computed by the engine.

    Same columns, in the same order, as :func:`povlib.measures.rates` (groups with a missing key
    are dropped, as pandas' groupby does; ``poor_via`` may be absent: income- and
    deprivation-poor are then 0). ``where`` selects rows first.
    """
    return rates_from_counts(rates_counts(source, by, where=where, members=members), len(by_list(by)))


def rates_counts(source: Source, by: str | Sequence[str] | None = None, *, where: Filter | None = None,
                 members: str = "members", null_keys: bool = False) -> pd.DataFrame:
    """The counts of :func:`rates` as the engine returns them (no rates): the keys, ``households``, ``poor``,
    ``near_poor``, ``income_poor``, ``deprivation_poor`` and, when the data have ``members``, ``people``,
    ``poor_people``, ``near_poor_people``. ``null_keys``: see :func:`rates_sql`."""
    cols = source.columns()
    if "status" not in cols:
        raise PovlibInputError.from_key("measures.err.not_classified", column="status")
    sql = rates_sql(by_list(by), people=members in cols, where=where, members=members, null_keys=null_keys)
    if "poor_via" not in cols:
        sql = sql.replace("poor_via = 'income'", "1 = 0").replace("poor_via = 'deprivation'", "1 = 0")
    return source.sql(sql)


def rates_from_counts(g: pd.DataFrame, n_keys: int) -> pd.DataFrame:
    """The rates of :func:`rates` added to a table of its counts (the first ``n_keys`` columns are the keys;
    the counts become ``int64``), whoever counted them (the engine, or sums of precomputed commune counts).

    Examples
    --------
    >>> r = rates_from_counts(pd.DataFrame({"households": [4], "poor": [1], "near_poor": [1]}), 0)
    >>> float(r["poor_rate"][0]), float(r["poor_near_rate"][0])
    (0.25, 0.5)
    """
    g = g.copy()
    for c in g.columns[n_keys:]:
        g[c] = g[c].astype(np.int64)
    # the same expressions as povlib.measures.rates, on the same integer counts
    g["poor_near"] = g["poor"] + g["near_poor"]
    hh = g["households"].where(g["households"] > 0)
    g["poor_rate"] = (g["poor"] / hh).fillna(0.0)
    g["near_poor_rate"] = (g["near_poor"] / hh).fillna(0.0)
    g["poor_near_rate"] = (g["poor_near"] / hh).fillna(0.0)
    if "people" in g.columns:
        pp = g["people"].where(g["people"] > 0)
        g["poor_people_rate"] = (g["poor_people"] / pp).fillna(0.0)
        g["near_poor_people_rate"] = (g["near_poor_people"] / pp).fillna(0.0)
    return g
