"""Flows into and out of a status between review years: :func:`povlib.transitions.flow_table` in SQL.

A household is linked to its row at the previous review year *of the data* (not ``year - 1``)
by ``household_id`` (one sort per household: ``LAG``/``LEAD`` windows); it stayed in its unit when every ``by`` key is the same (a missing key never
matches). Per unit and year, with ``s`` the status:

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
    """The SQL of :func:`flow_table` (plain ANSI SQL over the ``households`` view)."""
    keys = by_list(by)
    s = literal(status)
    others = [o for o in STATUSES if o != status]
    where = where or Filter()
    hist = f"CASE WHEN {HISTORY_COLUMNS[status]} THEN 1 ELSE 0 END" if history else "0"
    base_cols = ", ".join(["household_id", "year", "status", *keys, *flags,
                           f"{_flag('status = ' + s)} AS in_s", f"{hist} AS hist"])
    same = lambda o: " AND ".join(["1 = 1", *(f"c.{k} IS NOT NULL AND c.{o}_{k} = c.{k}" for k in keys)])  # noqa: E731
    linked = f"c.p_yi = c.yi - 1 AND {same('p')}"
    next_linked = f"c.n_yi = c.yi + 1 AND {same('n')}"
    w = "OVER (PARTITION BY household_id ORDER BY yi)"
    lags = ", ".join([f"LAG(yi) {w} AS p_yi", f"LAG(status) {w} AS p_status", f"LEAD(yi) {w} AS n_yi",
                      *(f"LAG({k}) {w} AS p_{k}" for k in keys), *(f"LEAD({k}) {w} AS n_{k}" for k in keys)])
    kc = ", ".join(f"c.{k}" for k in keys)
    cur = [f"{_flag('c.in_s = 1')} AS n_end",
           f"{_flag(f'c.linked = 1 AND c.prev_status = {s} AND c.in_s = 0')} AS n_escaped",
           *(f"{_flag(f'c.linked = 1 AND c.prev_status = {s} AND c.status = {literal(o)}')} AS n_exit_to_{o}"
             for o in others),
           f"{_flag(f'c.linked = 1 AND c.prev_status <> {s} AND c.in_s = 1 AND c.ever = 1')} AS n_re_entered",
           f"{_flag(f'c.linked = 1 AND c.prev_status <> {s} AND c.in_s = 1 AND c.ever = 0')} AS n_newly_arising",
           f"{_flag('c.linked = 0 AND c.in_s = 1')} AS n_joined",
           *(f"{_flag(f'c.in_s = 1 AND c.{f}')} AS n_end_{f}" for f in flags)]
    prv = [f"{_flag('c.in_s = 1')} AS n_start", f"{_flag('c.in_s = 1 AND c.next_linked = 0')} AS n_left",
           *(f"{_flag(f'c.in_s = 1 AND c.{f}')} AS n_start_{f}" for f in flags)]
    cur_names = [x.rsplit(" AS ", 1)[1] for x in cur]
    prv_names = [x.rsplit(" AS ", 1)[1] for x in prv]
    key_null = " AND ".join(["1 = 1", *(f"{k} IS NOT NULL" for k in keys)])

    def agg(names: list[str]) -> str:
        return ", ".join(f"CAST(SUM({n}) AS BIGINT) AS {n}" for n in names)

    kk = ", ".join(keys)
    join_on = " AND ".join([*(f"a.{k} = b.{k}" for k in keys), "a.year = b.year"])
    out_keys = ", ".join([*(f"COALESCE(a.{k}, b.{k}) AS {k}" for k in keys), "COALESCE(a.year, b.year) AS year"])
    out_vals = ", ".join(f"COALESCE({'a' if n in cur_names else 'b'}.{n}, 0) AS {n}" for n in cur_names + prv_names)
    return f"""WITH base AS (
  SELECT {base_cols} FROM {VIEW} {where.where()}
),
yrs AS (
  SELECT year, ROW_NUMBER() OVER (ORDER BY year) AS yi FROM (SELECT DISTINCT year FROM base) d
),
b AS (
  SELECT base.*, yrs.yi FROM base JOIN yrs ON base.year = yrs.year
),
e AS (
  SELECT b.*, {lags},
         CASE WHEN hist = 1 OR COALESCE(MAX(in_s) OVER (PARTITION BY household_id ORDER BY yi
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) = 1 THEN 1 ELSE 0 END AS ever
  FROM b
),
l AS (
  SELECT c.*, CASE WHEN c.p_yi = c.yi - 1 THEN c.p_status END AS prev_status,
         {_flag(linked)} AS linked, {_flag(next_linked)} AS next_linked
  FROM e c
),
cur AS (
  SELECT {kk}, year, {agg(cur_names)}
  FROM (SELECT {kc}, c.year, {', '.join(cur)} FROM l c) x
  WHERE {key_null}
  GROUP BY {kk}, year
),
nxt AS (
  SELECT {kk}, year, {agg(prv_names)}
  FROM (SELECT {kc}, y.year, {', '.join(prv)} FROM l c JOIN yrs y ON y.yi = c.yi + 1) x
  WHERE {key_null}
  GROUP BY {kk}, year
)
SELECT {out_keys}, {out_vals}
FROM cur a FULL OUTER JOIN nxt b ON {join_on}
WHERE COALESCE(a.year, b.year) > (SELECT MIN(year) FROM yrs)
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
