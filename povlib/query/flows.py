"""Flows into and out of a status between review years: :func:`povlib.transitions.flow_table` in SQL.

A household is linked to its row at the previous review year *of the data* (not ``year - 1``)
by ``household_id`` (an equality join on the id and the review's rank: no sort of the
households); it stayed in its unit when every ``by`` key is the same (a missing key never matches). Per unit and year, with ``s`` the status:

* ``end`` – in ``s`` now; ``joined`` – in ``s`` now and not linked (new, moved in);
* ``escaped`` – linked, in ``s`` before and not now (``exit_to_<other>``: which status now);
* ``re_entered`` / ``newly_arising`` – linked, not in ``s`` before, in ``s`` now, and in ``s`` at
  some earlier review (or per the history column ``ever_<s>_before``) / never;
* ``start`` and ``left`` – counted on the previous review's rows (in ``s``; and not linked at
  the next review), reported at the next year.

The engine returns the integer table; only the renaming of columns is done in pandas
(``start``, ``end`` and ``left`` are SQL words, so the SQL names are ``n_<name>``).

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> p = pd.DataFrame({"household_id": ["a", "a", "b", "b"], "year": [2018, 2019] * 2,
...                   "commune_code": ["02020"] * 4,
...                   "status": ["poor", "near_poor", "non_poor", "poor"]})
>>> t = flow_table(from_frame(p), status="poor")
>>> t[["start", "escaped", "newly_arising", "end"]].iloc[0].tolist()
[1, 1, 1, 1]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..classify import STATUSES
from ..errors import PovlibInputError
from ..transitions import HISTORY_COLUMNS
from .rates import by_list
from .source import VIEW, Filter, Source, literal

__all__ = ["flow_sql", "flow_table", "duplicates_sql"]


def _flag(cond: str) -> str:
    return f"CASE WHEN {cond} THEN 1 ELSE 0 END"


def flow_sql(by: str | Sequence[str] = "commune_code", *, status: str = "poor", flags: Sequence[str] = (),
             history: bool = False, where: Filter | None = None) -> str:
    """The SQL of :func:`flow_table` (plain ANSI SQL over the ``households`` view).

    No window over households: each row is joined to the same household's row at the previous
    review (an equality join on ``household_id`` and the review's rank, which engines run as a
    hash join), to the review where the household was first in ``s`` (a small table: only rows in
    ``s``), and ``start`` is a plain count of the previous review's rows per unit. ``left`` is
    ``start`` less the households of those that are linked at the next review (they stay in the
    unit, so they are counted in the same group).

    Examples
    --------
    >>> "OVER (PARTITION BY household_id" in flow_sql("commune_code")
    False
    """
    keys = by_list(by)
    s = literal(status)
    others = [o for o in STATUSES if o != status]
    where = where or Filter()
    hist = f"CASE WHEN {HISTORY_COLUMNS[status]} THEN 1 ELSE 0 END" if history else "0"
    base_cols = ", ".join(["household_id", "year", "status", *keys, *flags,
                           f"{_flag('status = ' + s)} AS in_s", f"{hist} AS hist"])
    same = " AND ".join(["p.household_id IS NOT NULL", *(f"c.{k} IS NOT NULL AND p.{k} = c.{k}" for k in keys)])
    cur = [f"{_flag('in_s = 1')} AS n_end",
           f"{_flag(f'linked = 1 AND prev_status = {s} AND in_s = 0')} AS n_escaped",
           *(f"{_flag(f'linked = 1 AND prev_status = {s} AND status = {literal(o)}')} AS n_exit_to_{o}"
             for o in others),
           f"{_flag(f'linked = 1 AND prev_status <> {s} AND in_s = 1 AND ever = 1')} AS n_re_entered",
           f"{_flag(f'linked = 1 AND prev_status <> {s} AND in_s = 1 AND ever = 0')} AS n_newly_arising",
           f"{_flag('linked = 0 AND in_s = 1')} AS n_joined",
           f"{_flag(f'linked = 1 AND prev_status = {s}')} AS n_kept",
           *(f"{_flag(f'in_s = 1 AND {f}')} AS n_end_{f}" for f in flags)]
    prv = [f"{_flag('in_s = 1')} AS n_start", *(f"{_flag(f'in_s = 1 AND {f}')} AS n_start_{f}" for f in flags)]
    cur_names = [x.rsplit(" AS ", 1)[1] for x in cur]
    prv_names = [x.rsplit(" AS ", 1)[1] for x in prv]
    key_null = " AND ".join(["1 = 1", *(f"{k} IS NOT NULL" for k in keys)])

    def agg(names: list[str]) -> str:
        return ", ".join(f"CAST(SUM({n}) AS BIGINT) AS {n}" for n in names)

    kk = ", ".join(keys)
    ck = ", ".join(f"c.{k}" for k in [*keys, *flags])
    join_on = " AND ".join([*(f"a.{k} = b.{k}" for k in keys), "a.year = b.year"])
    out_keys = ", ".join([*(f"COALESCE(a.{k}, b.{k}) AS {k}" for k in keys), "COALESCE(a.year, b.year) AS year"])
    values = {n: f"COALESCE(a.{n}, 0)" for n in cur_names if n != "n_kept"}
    values |= {n: f"COALESCE(b.{n}, 0)" for n in prv_names}
    values["n_left"] = "COALESCE(b.n_start, 0) - COALESCE(a.n_kept, 0)"
    out_vals = ", ".join(f"{v} AS {n}" for n, v in values.items())
    return f"""WITH base AS (
  SELECT {base_cols} FROM {VIEW} {where.where()}
),
yrs AS (
  SELECT year, ROW_NUMBER() OVER (ORDER BY year) AS yi FROM (SELECT DISTINCT year FROM base) d
),
b AS (
  SELECT base.*, yrs.yi FROM base JOIN yrs ON base.year = yrs.year
),
fs AS (
  SELECT household_id, MIN(yi) AS first_s FROM b WHERE in_s = 1 GROUP BY household_id
),
l AS (
  SELECT {ck}, c.year, c.status, c.in_s, {_flag(same)} AS linked, p.status AS prev_status,
         CASE WHEN c.hist = 1 OR fs.first_s < c.yi THEN 1 ELSE 0 END AS ever
  FROM b c
  LEFT JOIN b p ON p.household_id = c.household_id AND p.yi = c.yi - 1
  LEFT JOIN fs ON fs.household_id = c.household_id
  WHERE c.yi > 1
),
cur AS (
  SELECT {kk}, year, {agg(cur_names)}
  FROM (SELECT {kk}, year, {', '.join(cur)} FROM l WHERE {key_null}) x
  GROUP BY {kk}, year
),
st AS (
  SELECT {kk}, yi, {agg(prv_names)}
  FROM (SELECT {kk}, yi, {', '.join(prv)} FROM b WHERE {key_null}) x
  GROUP BY {kk}, yi
),
nxt AS (
  SELECT {', '.join(f'st.{k}' for k in keys)}, y.year, {', '.join(f'st.{n}' for n in prv_names)}
  FROM st JOIN yrs y ON y.yi = st.yi + 1
)
SELECT {out_keys}, {out_vals}
FROM cur a FULL OUTER JOIN nxt b ON {join_on}
ORDER BY {', '.join(keys + ['year'])}
"""


def duplicates_sql(where: Filter | None = None, limit: int = 5) -> str:
    """The SQL listing the first ``(household_id, year)`` pairs present more than once."""
    return (f"SELECT household_id, year FROM {VIEW} {(where or Filter()).where()}\n"
            f"GROUP BY household_id, year HAVING COUNT(*) > 1\nORDER BY household_id, year\nLIMIT {int(limit)}\n")


def flow_table(source: Source, by: str | Sequence[str] = "commune_code", *, status: str = "poor",
               flags: Sequence[str] = (), where: Filter | None = None, check: bool = True) -> pd.DataFrame:
    """Flows into and out of one status per unit and review year, computed by the engine.

    Same columns and integers as :func:`povlib.transitions.flow_table` on the same rows
    (``where`` selects them; give whole households' histories, not one year). A household id
    present twice in a year is refused, as pandas does (``check=False`` skips that query on data
    known to be clean, e.g. the generated national dataset).
    """
    if status not in ("poor", "near_poor"):
        raise PovlibInputError.from_key("transitions.err.bad_status", status=status)
    keys = by_list(by)
    cols = source.columns()
    missing = [c for c in ["household_id", "year", "status", *keys] if c not in cols]
    if missing:
        raise PovlibInputError.from_key("transitions.err.missing_columns", columns=", ".join(missing),
                                        column=missing[0])
    history = HISTORY_COLUMNS[status] in cols
    if check:
        dup = source.sql(duplicates_sql(where))
        if len(dup):
            ids = ", ".join(f"{h} ({int(y)})" for h, y in zip(dup["household_id"], dup["year"]))
            raise PovlibInputError.from_key("query.err.duplicate_ids", column="household_id", ids=ids)
    g = source.sql(flow_sql(keys, status=status, flags=flags, history=history, where=where))
    g = g.rename(columns={c: c[2:] for c in g.columns if c.startswith("n_")})
    ordered = ["start", *[f"start_{f}" for f in flags], "escaped",
               *[f"exit_to_{o}" for o in STATUSES if o != status],
               "re_entered", "newly_arising", "joined", "left", "end", *[f"end_{f}" for f in flags]]
    out = g[[*keys, "year"]].copy()
    out["year"] = out["year"].astype(np.int64)
    for c in ordered:
        out[c] = g[c].astype(np.int64)
    return out
